//! The hash of a record as stored, carried by its audit events so that `check` finds a record
//! changed outside the platform (its JSON, a real column such as an amount, or both). Every
//! column of the record's row is hashed — the JSON `donnees` and all the real columns, whatever
//! they are, so that a column added by a migration is covered from the record's next write on.
//!
//! Each column's value is read as text by the engine (`CAST(… AS TEXT)`, with the PostgreSQL
//! date and time styles pinned) and hashed alone with SHA-256; the event keeps the JSON object
//! `{column: hash or null}`, keys sorted, and its chain hash covers that object. One hash per
//! column is what lets `check` name the column that differs.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::connexion::{Moteur, Tx};
use crate::erreur::ErreurStore;

/// An audited record kind kept in a table of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableAuditee {
    /// The `entite` of its audit events.
    pub entite: &'static str,
    pub table: &'static str,
    /// The record's name in messages (`le paiement`…).
    pub nom: &'static str,
    /// The SQL expression of a row that its audit events name as `entite_id` (a BIGINT).
    pub cle: &'static str,
}

const fn t(entite: &'static str, table: &'static str, nom: &'static str) -> TableAuditee {
    TableAuditee {
        entite,
        table,
        nom,
        cle: "id",
    }
}

/// The records whose audit events carry their hash. Activity interviews and imports (recorded
/// in bulk by the activity module) are not among them.
pub const TABLES_AUDITEES: [TableAuditee; 20] = [
    t("utilisateur", "utilisateurs", "l'utilisateur"),
    t("financeur", "financeurs", "le financeur"),
    t("gestionnaire", "gestionnaires", "le gestionnaire"),
    t("lieu", "lieux", "le lieu"),
    t("intervenant", "intervenants", "l'intervenant"),
    t("appel_a_projets", "appels", "l'appel à projets"),
    t("dossier", "dossiers", "le dossier"),
    t("decision", "decisions", "la décision"),
    t("convention", "conventions", "la convention"),
    t("declaration", "declarations", "la déclaration"),
    t("bilan", "bilans", "le bilan"),
    t("paiement", "paiements", "le paiement"),
    t("message", "messages", "le message"),
    // The record of a piece (its versions' names, sizes and SHA-256); the bytes themselves are
    // checked against those SHA-256 by `check` (see `crate::pieces`).
    t("piece", "pieces", "la pièce justificative"),
    // A Caf's share of the national envelope, keyed `aip:<département>` and audited under the
    // département's number (the départements of the experiment are all numeric).
    TableAuditee {
        entite: "enveloppe",
        table: "enveloppes",
        nom: "l'enveloppe de la Caf",
        cle: "CAST(SUBSTR(cle, 5) AS BIGINT)",
    },
    // A service of the parents' directory.
    t("service", "services", "le service"),
    // The questionnaire links of a structure, numbered by the structure.
    TableAuditee {
        entite: "questionnaire_liens",
        table: "questionnaires_liens",
        nom: "les liens des questionnaires de la structure",
        cle: "gestionnaire_id",
    },
    // The phase calendar of the national instance of the AIP experiment, numbered by the
    // instance.
    t(
        "calendrier_national",
        "calendriers_nationaux",
        "le calendrier de l'expérimentation",
    ),
    // The Cnaf's calls for candidacies to a new wave, and each Caf's candidacy. The départements
    // a wave selected (`vagues_experimentation`) are not a record of their own: each row is
    // written with the decision on a candidacy, whose event this check covers.
    t(
        "appel_a_candidatures",
        "appels_candidatures",
        "l'appel à candidatures",
    ),
    t("candidature", "candidatures", "la candidature"),
];

/// The audited table of an audit `entite`, if it has one.
pub fn table_de(entite: &str) -> Option<&'static TableAuditee> {
    TABLES_AUDITEES.iter().find(|t| t.entite == entite)
}

/// The hash of each column of one record: column → SHA-256 (hex) of its text, `None` for null.
pub type Empreintes = BTreeMap<String, Option<String>>;

/// The columns of `table`, in the schema's order (read once per database handle).
async fn colonnes(tx: &mut Tx, table: &str) -> Result<Vec<String>, ErreurStore> {
    if let Ok(cache) = tx.commun.colonnes.lock()
        && let Some(c) = cache.get(table)
    {
        return Ok(c.clone());
    }
    let lignes = match tx.moteur() {
        Moteur::Sqlite => {
            tx.lignes(
                "SELECT name AS colonne FROM pragma_table_info($1) ORDER BY cid",
                &[table.into()],
            )
            .await?
        }
        Moteur::Postgres => {
            tx.lignes(
                "SELECT CAST(column_name AS TEXT) AS colonne FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 \
                 ORDER BY ordinal_position",
                &[table.into()],
            )
            .await?
        }
    };
    let noms = lignes
        .iter()
        .map(|l| l.texte("colonne"))
        .collect::<Result<Vec<_>, _>>()?;
    if noms.is_empty() {
        return Err(ErreurStore::Donnee(format!("table {table} introuvable")));
    }
    if let Ok(mut cache) = tx.commun.colonnes.lock() {
        cache.insert(table.to_owned(), noms.clone());
    }
    Ok(noms)
}

fn hacher(texte: &str) -> String {
    hex::encode(Sha256::digest(texte.as_bytes()))
}

/// Reads rows of `t` (all of them, or the one its events number `id`) as `(id, hashes)`.
pub async fn lire(
    tx: &mut Tx,
    t: &TableAuditee,
    id: Option<i64>,
) -> Result<Vec<(i64, Empreintes)>, ErreurStore> {
    let noms = colonnes(tx, t.table).await?;
    if tx.moteur() == Moteur::Postgres && !tx.styles_fixes {
        // Dates and times as text in one style whatever the server's settings.
        tx.executer("SET LOCAL DateStyle = 'ISO, YMD'", &[]).await?;
        tx.executer("SET LOCAL TimeZone = 'UTC'", &[]).await?;
        tx.executer("SET LOCAL IntervalStyle = 'iso_8601'", &[])
            .await?;
        tx.styles_fixes = true;
    }
    let champs: Vec<String> = noms
        .iter()
        .enumerate()
        .map(|(i, n)| format!("CAST(\"{n}\" AS TEXT) AS c{i}"))
        .collect();
    let mut sql = format!(
        "SELECT {} AS cle_audit, {} FROM {}",
        t.cle,
        champs.join(", "),
        t.table
    );
    let params = match id {
        Some(id) => {
            sql.push_str(&format!(" WHERE {} = $1", t.cle));
            vec![id.into()]
        }
        None => {
            sql.push_str(" ORDER BY 1");
            Vec::new()
        }
    };
    let mut sortie = Vec::new();
    for l in tx.lignes(&sql, &params).await? {
        let mut empreintes = Empreintes::new();
        for (i, n) in noms.iter().enumerate() {
            let valeur = l.texte_opt(&format!("c{i}"))?;
            empreintes.insert(n.clone(), valeur.as_deref().map(hacher));
        }
        sortie.push((l.entier("cle_audit")?, empreintes));
    }
    Ok(sortie)
}

/// The hashes of the record an audit event is about, as the event keeps them (JSON), or `None`
/// when its kind is not hashed or the record is not in its table.
pub async fn pour_evenement(
    tx: &mut Tx,
    entite: &str,
    entite_id: i64,
) -> Result<Option<String>, ErreurStore> {
    let Some(t) = table_de(entite) else {
        return Ok(None);
    };
    match lire(tx, t, Some(entite_id)).await?.pop() {
        Some((_, e)) => Ok(Some(serde_json::to_string(&e)?)),
        None => Ok(None),
    }
}

/// The columns whose hash differs between `ecrites` (as the audit event kept them) and
/// `actuelles` (as the row now is). A column present on one side only (added or dropped by a
/// migration since) is not compared.
pub fn differences(ecrites: &Empreintes, actuelles: &Empreintes) -> Vec<String> {
    ecrites
        .iter()
        .filter_map(|(n, h)| match actuelles.get(n) {
            Some(a) if a != h => Some(n.clone()),
            _ => None,
        })
        .collect()
}
