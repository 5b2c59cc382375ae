//! The integrity check behind `parentalite check`: the database engine's own check, every record
//! readable, every record and payment traced in the audit log, every record as its last audit
//! event hashed it, the audit chain intact and as long as its head file says. Each problem is
//! reported as a French sentence that says exactly what is wrong.

use std::collections::HashMap;

use domain::acces::Utilisateur;
use domain::appel_a_projets::AppelAProjets;
use domain::convention::Convention;
use domain::decision::Decision;
use domain::declaration::{Bilan, Declaration};
use domain::dossier::Dossier;
use domain::paiement::Paiement;
use domain::pieces::Piece;
use domain::structures::{Financeur, Gestionnaire, Intervenant, Lieu};

use crate::audit;
use crate::connexion::{Base, Moteur, Tx};
use crate::depot::Enregistrement;
use crate::empreintes::{self, Empreintes, TABLES_AUDITEES, TableAuditee};
use crate::erreur::ErreurStore;

/// What a check found: the anomalies (the database is not sound if there is any), and facts for
/// the operator (the chain's head, what could not be verified).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rapport {
    pub anomalies: Vec<String>,
    pub constats: Vec<String>,
}

async fn lisibles<T: Enregistrement>(
    tx: &mut Tx,
    anomalies: &mut Vec<String>,
) -> Result<(), ErreurStore> {
    let lignes = tx
        .lignes(
            &format!("SELECT id, donnees FROM {} ORDER BY id", T::TABLE),
            &[],
        )
        .await?;
    for l in lignes {
        let id = l.entier("id")?;
        match serde_json::from_str::<T>(&l.texte("donnees")?) {
            Ok(r) if r.id() == id => {}
            Ok(r) => anomalies.push(format!(
                "{} n°{id}: son contenu porte le numéro {} (table {})",
                T::NOM,
                r.id(),
                T::TABLE
            )),
            Err(e) => anomalies.push(format!(
                "{} n°{id}: contenu illisible ({e}) (table {})",
                T::NOM,
                T::TABLE
            )),
        }
    }
    Ok(())
}

/// Records written without going through the platform: no audit event mentions them.
async fn traces(
    tx: &mut Tx,
    table: &str,
    entite: &str,
    nom: &str,
    anomalies: &mut Vec<String>,
) -> Result<(), ErreurStore> {
    let sql = format!(
        "SELECT t.id FROM {table} t WHERE NOT EXISTS \
         (SELECT 1 FROM audit a WHERE a.entite = $1 AND a.entite_id = t.id) ORDER BY t.id"
    );
    for l in tx.lignes(&sql, &[entite.into()]).await? {
        anomalies.push(format!(
            "{nom} n°{} n'a aucun événement d'audit: il a été écrit hors de la plateforme",
            l.entier("id")?
        ));
    }
    Ok(())
}

/// The top-level fields of two JSON objects that differ (empty when either is not an object).
fn champs_differents(avant: &str, apres: &str) -> Vec<String> {
    let lire = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
    let (Some(serde_json::Value::Object(a)), Some(serde_json::Value::Object(b))) =
        (lire(avant), lire(apres))
    else {
        return Vec::new();
    };
    let mut champs: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(k.as_str()) != Some(v))
        .map(|(k, _)| k.clone())
        .chain(b.keys().filter(|k| !a.contains_key(k.as_str())).cloned())
        .collect();
    champs.sort();
    champs
}

/// Each record of `t` against its last audit event: changed since (which column), gone, or not
/// verifiable (last event written before record hashes existed).
async fn conformes(
    tx: &mut Tx,
    t: &TableAuditee,
    rapport: &mut Rapport,
) -> Result<(), ErreurStore> {
    let derniers = tx
        .lignes(
            "SELECT a.entite_id, a.id, a.apres, a.enregistrement FROM audit a \
             WHERE a.entite = $1 AND a.id = (SELECT MAX(b.id) FROM audit b \
             WHERE b.entite = a.entite AND b.entite_id = a.entite_id)",
            &[t.entite.into()],
        )
        .await?;
    let mut derniers: HashMap<i64, (i64, Option<String>, Option<String>)> = derniers
        .iter()
        .map(|l| {
            Ok((
                l.entier("entite_id")?,
                (
                    l.entier("id")?,
                    l.texte_opt("apres")?,
                    l.texte_opt("enregistrement")?,
                ),
            ))
        })
        .collect::<Result<_, ErreurStore>>()?;
    let mut non_verifiables = 0;
    for (id, actuelles) in empreintes::lire(tx, t, None).await? {
        // A record without any event is reported by `traces`.
        let Some((evenement, apres, ecrites)) = derniers.remove(&id) else {
            continue;
        };
        let Some(ecrites) = ecrites else {
            non_verifiables += 1;
            continue;
        };
        let ecrites: Empreintes = match serde_json::from_str(&ecrites) {
            Ok(e) => e,
            Err(e) => {
                rapport.anomalies.push(format!(
                    "événement d'audit n°{evenement}: empreinte de {} n°{id} illisible ({e})",
                    t.nom
                ));
                continue;
            }
        };
        let colonnes = empreintes::differences(&ecrites, &actuelles);
        if colonnes.is_empty() {
            continue;
        }
        let mut champs_json = Vec::new();
        if colonnes.iter().any(|c| c == "donnees")
            && let Some(apres) = apres
        {
            let donnees = tx
                .ligne(
                    &format!("SELECT donnees FROM {} WHERE {} = $1", t.table, t.cle),
                    &[id.into()],
                )
                .await?
                .map(|l| l.texte("donnees"))
                .transpose()?;
            champs_json = donnees
                .map(|d| champs_differents(&apres, &d))
                .unwrap_or_default();
        }
        let detail: Vec<String> = colonnes
            .iter()
            .map(|c| {
                if c == "donnees" && !champs_json.is_empty() {
                    format!("donnees (champs JSON : {})", champs_json.join(", "))
                } else {
                    c.clone()
                }
            })
            .collect();
        rapport.anomalies.push(format!(
            "{} n°{id} (table {}) a été modifié hors de la plateforme, colonne(s) qui ne \
             correspondent plus à son dernier événement d'audit (n°{evenement}) : {}",
            t.nom,
            t.table,
            detail.join(", ")
        ));
    }
    let mut disparus: Vec<(i64, i64)> = derniers
        .into_iter()
        .map(|(id, (evenement, ..))| (id, evenement))
        .collect();
    disparus.sort_unstable();
    for (id, evenement) in disparus {
        rapport.anomalies.push(format!(
            "{} n°{id} (table {}) a disparu : son dernier événement d'audit (n°{evenement}) \
             l'a écrit, il a été supprimé hors de la plateforme",
            t.nom, t.table
        ));
    }
    if non_verifiables > 0 {
        rapport.constats.push(format!(
            "{non_verifiables} enregistrement(s) de la table {} non vérifiable(s) : leur dernier \
             événement d'audit est antérieur à l'empreinte des enregistrements (ils le seront \
             après leur prochaine écriture)",
            t.table
        ));
    }
    Ok(())
}

/// Runs every check; returns the anomalies found, empty when the database is sound.
pub async fn verifier(base: &Base) -> Result<Vec<String>, ErreurStore> {
    Ok(verifier_tout(base).await?.anomalies)
}

/// Runs every check; returns the anomalies and the facts for the operator.
pub async fn verifier_tout(base: &Base) -> Result<Rapport, ErreurStore> {
    let mut rapport = Rapport::default();
    let mut tx = base.lecture().await?;
    let anomalies = &mut rapport.anomalies;
    if tx.moteur() == Moteur::Sqlite {
        for l in tx.lignes("PRAGMA integrity_check", &[]).await? {
            let r = l.texte("integrity_check")?;
            if r != "ok" {
                anomalies.push(format!("SQLite: {r}"));
            }
        }
        for l in tx.lignes("PRAGMA foreign_key_check", &[]).await? {
            anomalies.push(format!(
                "table {}: la ligne n°{} renvoie à un enregistrement absent de {}",
                l.texte("table")?,
                l.entier_opt("rowid")?.unwrap_or_default(),
                l.texte("parent")?
            ));
        }
    }
    lisibles::<Utilisateur>(&mut tx, anomalies).await?;
    lisibles::<Financeur>(&mut tx, anomalies).await?;
    lisibles::<Gestionnaire>(&mut tx, anomalies).await?;
    lisibles::<Lieu>(&mut tx, anomalies).await?;
    lisibles::<Intervenant>(&mut tx, anomalies).await?;
    lisibles::<AppelAProjets>(&mut tx, anomalies).await?;
    lisibles::<Dossier>(&mut tx, anomalies).await?;
    lisibles::<Decision>(&mut tx, anomalies).await?;
    lisibles::<Convention>(&mut tx, anomalies).await?;
    lisibles::<Declaration>(&mut tx, anomalies).await?;
    lisibles::<Bilan>(&mut tx, anomalies).await?;
    lisibles::<Paiement>(&mut tx, anomalies).await?;
    lisibles::<Piece>(&mut tx, anomalies).await?;
    for (table, entite, nom) in [
        ("gestionnaires", "gestionnaire", "le gestionnaire"),
        ("appels", "appel_a_projets", "l'appel à projets"),
        ("dossiers", "dossier", "le dossier"),
        ("decisions", "decision", "la décision"),
        ("conventions", "convention", "la convention"),
        ("declarations", "declaration", "la déclaration"),
        ("bilans", "bilan", "le bilan"),
        ("paiements", "paiement", "le paiement"),
        ("pieces", "piece", "la pièce justificative"),
    ] {
        traces(&mut tx, table, entite, nom, anomalies).await?;
    }
    for t in &TABLES_AUDITEES {
        conformes(&mut tx, t, &mut rapport).await?;
    }
    rapport
        .anomalies
        .extend(crate::pieces::verifier(&mut tx).await?);
    drop(tx);
    let journal = audit::verifier_journal(base).await?;
    rapport.anomalies.extend(journal.anomalies);
    rapport.constats.extend(journal.constats);
    Ok(rapport)
}
