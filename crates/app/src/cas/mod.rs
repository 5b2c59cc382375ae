//! The use cases, one module per kind of record, and the write path they share.

pub mod annuaire;
mod avis;
pub mod campagnes;
pub mod candidatures;
pub mod comite;
pub mod conservation;
pub mod coordination;
pub mod courriels;
pub mod declarations;
pub mod demandes_contact;
pub mod diagnostic;
pub mod donnees_ouvertes;
pub mod dossiers;
pub mod enveloppes;
pub mod evaluation;
pub mod fiches_territoires;
pub mod filtres;
pub mod instance_nationale;
pub mod messages;
pub mod paiements;
pub mod pieces;
pub mod proconnect;
pub mod questionnaires;
pub mod structures;
pub mod suivi;
pub mod utilisateurs;

use domain::Transition;
use store::Tx;
use store::audit::{self, NouvelEvenement};
use store::depot::{self, Enregistrement, Lu};

use crate::erreur::ErreurApp;

/// Writes a transition of an existing record: the record if still at `version_lue` (or the
/// version read in this transaction), then its audit event with the record before and after.
/// The event is written when the transaction commits, with the hash of the record's row as the
/// transaction leaves it (see `store::empreintes`), so that `check` finds any later change.
pub(crate) async fn ecrire<T: Enregistrement>(
    tx: &mut Tx,
    avant: &Lu<T>,
    version_lue: Option<i64>,
    t: Transition<T>,
) -> Result<Lu<T>, ErreurApp> {
    let version = depot::mettre_a_jour(tx, &t.apres, version_lue.unwrap_or(avant.version)).await?;
    let e = NouvelEvenement::depuis_domaine(
        &t.audit,
        Some(serde_json::to_string(&avant.valeur).map_err(store::ErreurStore::from)?),
        Some(serde_json::to_string(&t.apres).map_err(store::ErreurStore::from)?),
    )?;
    audit::ajouter(tx, e).await?;
    Ok(Lu {
        valeur: t.apres,
        version,
    })
}

/// Writes a new record and its audit event (hashing the record at commit, as [`ecrire`]).
pub(crate) async fn creer<T: Enregistrement>(
    tx: &mut Tx,
    t: Transition<T>,
) -> Result<Lu<T>, ErreurApp> {
    depot::inserer(tx, &t.apres).await?;
    let e = NouvelEvenement::depuis_domaine(
        &t.audit,
        None,
        Some(serde_json::to_string(&t.apres).map_err(store::ErreurStore::from)?),
    )?;
    audit::ajouter(tx, e).await?;
    Ok(Lu {
        valeur: t.apres,
        version: 1,
    })
}
