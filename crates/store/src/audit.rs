//! The audit log: every write appends an event (who, when, what, before and after), chained to
//! the previous one by a SHA-256 hash, so that an altered, inserted or deleted event is detected by
//! [`verifier`]. The chain's head (last number and hash) is kept apart, so that removing the last
//! events is detected too.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::connexion::{Base, Tx, Valeur};
use crate::erreur::ErreurStore;

/// The hash before the first event.
pub const ORIGINE: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Lock key serialising writers of the chain on PostgreSQL.
const VERROU_AUDIT: i64 = 0x00A0_D170;

/// One event as written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evenement {
    pub id: i64,
    /// RFC 3339, UTC.
    pub horodatage: String,
    pub acteur_id: Option<i64>,
    pub role: Option<String>,
    pub entite: String,
    pub entite_id: i64,
    pub action: String,
    pub etat_avant: Option<String>,
    pub etat_apres: Option<String>,
    pub description: String,
    /// JSON list of `{champ, avant, apres}`.
    pub changements: String,
    /// The record before and after, as JSON.
    pub avant: Option<String>,
    pub apres: Option<String>,
    pub hash_precedent: String,
    pub hash: String,
}

/// What to write: the event without its number and hashes.
#[derive(Debug, Clone)]
pub struct NouvelEvenement {
    pub horodatage: OffsetDateTime,
    pub acteur_id: Option<i64>,
    pub role: Option<String>,
    pub entite: String,
    pub entite_id: i64,
    pub action: String,
    pub etat_avant: Option<String>,
    pub etat_apres: Option<String>,
    pub description: String,
    pub changements: String,
    pub avant: Option<String>,
    pub apres: Option<String>,
}

impl NouvelEvenement {
    /// The event of a domain transition, with the record before and after.
    pub fn depuis_domaine(
        audit: &domain::Audit,
        avant: Option<String>,
        apres: Option<String>,
    ) -> Result<NouvelEvenement, ErreurStore> {
        Ok(NouvelEvenement {
            horodatage: audit.horodatage,
            acteur_id: Some(audit.acteur.0),
            role: Some(audit.role.code().to_owned()),
            entite: audit.entite.code().to_owned(),
            entite_id: audit.entite_id,
            action: audit.action.to_owned(),
            etat_avant: audit.etat_avant.map(str::to_owned),
            etat_apres: audit.etat_apres.map(str::to_owned),
            description: audit.description.clone(),
            changements: serde_json::to_string(&audit.changements)?,
            avant,
            apres,
        })
    }
}

/// The hash of an event: SHA-256 over every field, each prefixed by its length so that no two
/// different events write the same bytes.
pub fn empreinte(e: &Evenement) -> String {
    let mut h = Sha256::new();
    let mut champ = |s: Option<&str>| match s {
        None => h.update(b"-;"),
        Some(s) => {
            h.update(s.len().to_string().as_bytes());
            h.update(b":");
            h.update(s.as_bytes());
            h.update(b";");
        }
    };
    let id = e.id.to_string();
    let acteur = e.acteur_id.map(|a| a.to_string());
    let entite_id = e.entite_id.to_string();
    champ(Some(&id));
    champ(Some(&e.horodatage));
    champ(acteur.as_deref());
    champ(e.role.as_deref());
    champ(Some(&e.entite));
    champ(Some(&entite_id));
    champ(Some(&e.action));
    champ(e.etat_avant.as_deref());
    champ(e.etat_apres.as_deref());
    champ(Some(&e.description));
    champ(Some(&e.changements));
    champ(e.avant.as_deref());
    champ(e.apres.as_deref());
    champ(Some(&e.hash_precedent));
    hex::encode(h.finalize())
}

/// Appends an event in the caller's transaction; returns its number.
pub async fn ajouter(tx: &mut Tx, n: NouvelEvenement) -> Result<i64, ErreurStore> {
    tx.verrou_ecriture(VERROU_AUDIT).await?;
    let tete = tx
        .ligne("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &[])
        .await?;
    let (id, hash_precedent) = match tete {
        Some(l) => (l.entier("id")? + 1, l.texte("hash")?),
        None => (1, ORIGINE.to_owned()),
    };
    let horodatage = n
        .horodatage
        .to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .map_err(|e| ErreurStore::Donnee(e.to_string()))?;
    let mut e = Evenement {
        id,
        horodatage,
        acteur_id: n.acteur_id,
        role: n.role,
        entite: n.entite,
        entite_id: n.entite_id,
        action: n.action,
        etat_avant: n.etat_avant,
        etat_apres: n.etat_apres,
        description: n.description,
        changements: n.changements,
        avant: n.avant,
        apres: n.apres,
        hash_precedent,
        hash: String::new(),
    };
    e.hash = empreinte(&e);
    tx.executer(
        "INSERT INTO audit (id, horodatage, acteur_id, role, entite, entite_id, action, etat_avant, \
         etat_apres, description, changements, avant, apres, hash_precedent, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        &[
            e.id.into(),
            e.horodatage.clone().into(),
            e.acteur_id.into(),
            e.role.clone().into(),
            e.entite.clone().into(),
            e.entite_id.into(),
            e.action.clone().into(),
            e.etat_avant.clone().into(),
            e.etat_apres.clone().into(),
            e.description.clone().into(),
            e.changements.clone().into(),
            e.avant.clone().into(),
            e.apres.clone().into(),
            e.hash_precedent.clone().into(),
            e.hash.clone().into(),
        ],
    )
    .await?;
    // The head, kept apart: deleting the last events cannot go unnoticed.
    tx.executer(
        "INSERT INTO compteurs (entite, valeur) VALUES ('audit_tete', $1) \
         ON CONFLICT (entite) DO UPDATE SET valeur = $1",
        &[Valeur::Entier(e.id)],
    )
    .await?;
    Ok(e.id)
}

fn lire(l: &crate::connexion::Ligne) -> Result<Evenement, ErreurStore> {
    Ok(Evenement {
        id: l.entier("id")?,
        horodatage: l.texte("horodatage")?,
        acteur_id: l.entier_opt("acteur_id")?,
        role: l.texte_opt("role")?,
        entite: l.texte("entite")?,
        entite_id: l.entier("entite_id")?,
        action: l.texte("action")?,
        etat_avant: l.texte_opt("etat_avant")?,
        etat_apres: l.texte_opt("etat_apres")?,
        description: l.texte("description")?,
        changements: l.texte("changements")?,
        avant: l.texte_opt("avant")?,
        apres: l.texte_opt("apres")?,
        hash_precedent: l.texte("hash_precedent")?,
        hash: l.texte("hash")?,
    })
}

/// The events about one record, oldest first.
pub async fn historique(
    tx: &mut Tx,
    entite: &str,
    entite_id: i64,
) -> Result<Vec<Evenement>, ErreurStore> {
    tx.lignes(
        "SELECT * FROM audit WHERE entite = $1 AND entite_id = $2 ORDER BY id",
        &[entite.into(), entite_id.into()],
    )
    .await?
    .iter()
    .map(lire)
    .collect()
}

/// Checks the whole chain; returns every anomaly found, in French, empty when intact.
pub async fn verifier(base: &Base) -> Result<Vec<String>, ErreurStore> {
    let mut tx = base.debuter().await?;
    let mut anomalies = Vec::new();
    let mut attendu_id = 1;
    let mut precedent = ORIGINE.to_owned();
    for ligne in tx.lignes("SELECT * FROM audit ORDER BY id", &[]).await? {
        let e = lire(&ligne)?;
        if e.id != attendu_id {
            anomalies.push(format!(
                "événements d'audit n°{attendu_id} à {} absents (supprimés?)",
                e.id - 1
            ));
        }
        if e.hash_precedent != precedent {
            anomalies.push(format!(
                "événement d'audit n°{}: il ne suit pas l'événement précédent (chaînage rompu)",
                e.id
            ));
        }
        if empreinte(&e) != e.hash {
            anomalies.push(format!(
                "événement d'audit n°{} ({} {} n°{}): son contenu a été modifié après son écriture",
                e.id, e.action, e.entite, e.entite_id
            ));
        }
        precedent = e.hash.clone();
        attendu_id = e.id + 1;
    }
    let tete = tx
        .ligne(
            "SELECT valeur FROM compteurs WHERE entite = 'audit_tete'",
            &[],
        )
        .await?
        .map(|l| l.entier("valeur"))
        .transpose()?
        .unwrap_or(0);
    if tete != attendu_id - 1 {
        anomalies.push(format!(
            "le dernier événement d'audit enregistré est le n°{tete}, la table s'arrête au n°{}: des événements ont été supprimés",
            attendu_id - 1
        ));
    }
    Ok(anomalies)
}
