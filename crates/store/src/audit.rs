//! The audit log: every write appends an event (who, when, what, before and after, and the hash
//! of the record as stored — see [`crate::empreintes`]), chained to the previous one by a SHA-256
//! hash, so that an altered, inserted or deleted event is detected by [`verifier`]. The chain's
//! head (last number and hash) is kept apart, in the database and in the head file outside it
//! ([`crate::tete`]), so that removing the last events is detected too.
//!
//! Events are written when their transaction commits ([`crate::Tx::valider`]): the record hash is
//! then that of the record as the transaction leaves it, whatever wrote it in between.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::connexion::{Base, Tx, Valeur};
use crate::empreintes;
use crate::erreur::ErreurStore;
use crate::integrite::Rapport;
use crate::tete;

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
    /// The record as stored when the event was written: JSON object column → SHA-256 of its
    /// value (see [`crate::empreintes`]). `None` for events without a hashed record, and for
    /// those written before record hashes existed.
    pub enregistrement: Option<String>,
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
/// different events write the same bytes. The record hashes come last and only when present, so
/// that events written before they existed keep their hash.
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
    if let Some(r) = &e.enregistrement {
        champ(Some(r));
    }
    hex::encode(h.finalize())
}

/// Appends an event to the caller's transaction: it is written, numbered and chained when the
/// transaction commits, with the hash of its record as the transaction leaves it.
pub async fn ajouter(tx: &mut Tx, n: NouvelEvenement) -> Result<(), ErreurStore> {
    tx.evenements.push(n);
    Ok(())
}

/// Writes the events the transaction added, just before it commits; returns the new head
/// (number and hash) when there were any.
pub(crate) async fn inscrire_en_attente(tx: &mut Tx) -> Result<Option<(i64, String)>, ErreurStore> {
    let evenements = std::mem::take(&mut tx.evenements);
    if evenements.is_empty() {
        return Ok(None);
    }
    tx.verrou_ecriture(VERROU_AUDIT).await?;
    let tete = tx
        .ligne("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &[])
        .await?;
    let (mut id, mut hash_precedent) = match tete {
        Some(l) => (l.entier("id")? + 1, l.texte("hash")?),
        None => (1, ORIGINE.to_owned()),
    };
    for n in evenements {
        let enregistrement = empreintes::pour_evenement(tx, &n.entite, n.entite_id).await?;
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
            enregistrement,
        };
        e.hash = empreinte(&e);
        tx.executer(
            "INSERT INTO audit (id, horodatage, acteur_id, role, entite, entite_id, action, etat_avant, \
             etat_apres, description, changements, avant, apres, hash_precedent, hash, enregistrement) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
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
                e.enregistrement.clone().into(),
            ],
        )
        .await?;
        hash_precedent = e.hash;
        id += 1;
    }
    let dernier = id - 1;
    // The head, kept apart: deleting the last events cannot go unnoticed.
    tx.executer(
        "INSERT INTO compteurs (entite, valeur) VALUES ('audit_tete', $1) \
         ON CONFLICT (entite) DO UPDATE SET valeur = $1",
        &[Valeur::Entier(dernier)],
    )
    .await?;
    Ok(Some((dernier, hash_precedent)))
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
        enregistrement: l.texte_opt("enregistrement")?,
    })
}

/// Every event, oldest first.
pub async fn evenements(tx: &mut Tx) -> Result<Vec<Evenement>, ErreurStore> {
    tx.lignes("SELECT * FROM audit ORDER BY id", &[])
        .await?
        .iter()
        .map(lire)
        .collect()
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

/// The events of a dossier's whole life, oldest first: those about the dossier itself, its
/// comité decisions and its convention.
pub async fn historique_dossier(
    tx: &mut Tx,
    dossier_id: i64,
) -> Result<Vec<Evenement>, ErreurStore> {
    tx.lignes(
        "SELECT * FROM audit WHERE (entite = 'dossier' AND entite_id = $1) \
         OR (entite = 'decision' AND entite_id IN (SELECT id FROM decisions WHERE dossier_id = $2)) \
         OR (entite = 'convention' AND entite_id IN (SELECT id FROM conventions WHERE dossier_id = $3)) \
         ORDER BY id",
        &[dossier_id.into(), dossier_id.into(), dossier_id.into()],
    )
    .await?
    .iter()
    .map(lire)
    .collect()
}

/// Checks the whole chain; returns every anomaly found, in French, empty when intact.
pub async fn verifier(base: &Base) -> Result<Vec<String>, ErreurStore> {
    Ok(verifier_journal(base).await?.anomalies)
}

/// At most this many lines of the head file are reported one by one.
const SIGNALEMENTS_MAX: usize = 20;

/// Checks the whole chain, the head counter and the head file; the report also states the
/// head, for an operator to compare with a copy of the head file kept elsewhere.
pub async fn verifier_journal(base: &Base) -> Result<Rapport, ErreurStore> {
    // The head file is read before the database: each of its lines was appended after its
    // transaction committed, so every event it names is in the state read next, even while
    // others write.
    let fichier_lu = base.tete_audit().map(|chemin| (chemin, tete::lire(chemin)));
    let mut tx = base.lecture().await?;
    let mut rapport = Rapport::default();
    let anomalies = &mut rapport.anomalies;
    let mut attendu_id = 1;
    let mut precedent = ORIGINE.to_owned();
    let mut hashes: HashMap<i64, String> = HashMap::new();
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
        hashes.insert(e.id, e.hash);
    }
    let dernier = attendu_id - 1;
    let tete = tx
        .ligne(
            "SELECT valeur FROM compteurs WHERE entite = 'audit_tete'",
            &[],
        )
        .await?
        .map(|l| l.entier("valeur"))
        .transpose()?
        .unwrap_or(0);
    if tete != dernier {
        anomalies.push(format!(
            "le dernier événement d'audit enregistré est le n°{tete}, la table s'arrête au n°{dernier}: des événements ont été supprimés",
        ));
    }
    drop(tx);
    if dernier > 0 {
        rapport.constats.push(format!(
            "tête du journal d'audit dans la base : événement n°{dernier}, hash {precedent}"
        ));
    } else {
        rapport
            .constats
            .push("journal d'audit vide dans la base".to_owned());
    }
    let Some((chemin, contenu)) = fichier_lu else {
        rapport.constats.push(
            "aucun fichier de tête du journal d'audit n'est configuré (--tete-audit, \
             PARENTALITE_TETE_AUDIT): la suppression des derniers événements ne peut pas être détectée"
                .to_owned(),
        );
        return Ok(rapport);
    };
    let fichier = chemin.display();
    let contenu = match contenu {
        Ok(c) => c,
        Err(e) => {
            rapport
                .anomalies
                .push(format!("fichier de tête {fichier} illisible: {e}"));
            return Ok(rapport);
        }
    };
    let Some(contenu) = contenu else {
        // Not an anomaly: a database created before the head file existed has none until its
        // next write (or `migrate`), nor has one whose first write was interrupted right after
        // its commit; and whoever can delete the file can rewrite it as well.
        if dernier > 0 {
            rapport.constats.push(format!(
                "attention : le fichier de tête {fichier} est absent alors que le journal compte \
                 {dernier} événements : la suppression des derniers événements ne peut pas être \
                 exclue (une base créée avant ce fichier l'obtient avec « parentalite migrate »)"
            ));
        } else {
            rapport.constats.push(format!(
                "fichier de tête {fichier}: pas encore créé (aucun événement)"
            ));
        }
        return Ok(rapport);
    };
    for ligne in &contenu.illisibles {
        rapport.anomalies.push(format!(
            "fichier de tête {fichier}, ligne {ligne}: ni commentaire ni « numéro hash »"
        ));
    }
    let Some(attestee) = contenu.tete() else {
        if dernier > 0 {
            rapport.anomalies.push(format!(
                "le fichier de tête {fichier} n'atteste aucun événement alors que le journal en compte {dernier}"
            ));
        }
        return Ok(rapport);
    };
    rapport.constats.push(format!(
        "fichier de tête {fichier} : événement n°{}, hash {} (ligne {}) — à comparer avec sa copie conservée ailleurs",
        attestee.numero, attestee.hash, attestee.ligne
    ));
    if attestee.numero > dernier {
        rapport.anomalies.push(format!(
            "les événements d'audit n°{} à n°{} sont absents de la base alors que le fichier de \
             tête {fichier} atteste le n°{} (ligne {}): les derniers événements ont été supprimés",
            dernier + 1,
            attestee.numero,
            attestee.numero,
            attestee.ligne
        ));
    }
    let mut reecrits = contenu
        .attestations
        .iter()
        .filter(|a| a.numero <= dernier && hashes.get(&a.numero) != Some(&a.hash));
    for a in reecrits.by_ref().take(SIGNALEMENTS_MAX) {
        rapport.anomalies.push(format!(
            "l'événement d'audit n°{} n'est plus celui que le fichier de tête atteste (ligne {}): \
             le journal a été réécrit depuis",
            a.numero, a.ligne
        ));
    }
    let reste = reecrits.count();
    if reste > 0 {
        rapport.anomalies.push(format!(
            "et {reste} autres lignes du fichier de tête qui ne correspondent plus au journal"
        ));
    }
    Ok(rapport)
}

/// Starts the head file of a database that has audit events but no head file yet (one created
/// before the file existed): writes the current head. Returns it when the file was created.
pub async fn amorcer_tete(base: &Base) -> Result<Option<(i64, String)>, ErreurStore> {
    let Some(chemin) = base.tete_audit() else {
        return Ok(None);
    };
    if chemin.exists() {
        return Ok(None);
    }
    let mut tx = base.lecture().await?;
    let tete = tx
        .ligne("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &[])
        .await?;
    drop(tx);
    let Some(l) = tete else {
        return Ok(None);
    };
    let (numero, hash) = (l.entier("id")?, l.texte("hash")?);
    tete::ajouter(chemin, numero, &hash)
        .map_err(|e| ErreurStore::Donnee(format!("fichier de tête {}: {e}", chemin.display())))?;
    Ok(Some((numero, hash)))
}
