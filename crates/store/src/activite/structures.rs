//! What the activity reads of the structures themselves: the département of a structure, and
//! which structure an intervenant or a place of welcome belongs to.

use crate::connexion::Tx;
use crate::erreur::ErreurStore;

/// The département code of a structure (its seat), as stored; `None` for an unknown structure.
pub async fn departement(tx: &mut Tx, gestionnaire: i64) -> Result<Option<String>, ErreurStore> {
    tx.ligne(
        "SELECT departement FROM gestionnaires WHERE id = $1",
        &[gestionnaire.into()],
    )
    .await?
    .map(|l| l.texte("departement"))
    .transpose()
}

/// The structure an intervenant belongs to; `None` for an unknown intervenant.
pub async fn structure_de_l_intervenant(
    tx: &mut Tx,
    intervenant: i64,
) -> Result<Option<i64>, ErreurStore> {
    tx.ligne(
        "SELECT gestionnaire_id FROM intervenants WHERE id = $1",
        &[intervenant.into()],
    )
    .await?
    .map(|l| l.entier("gestionnaire_id"))
    .transpose()
}

/// The structure a place of welcome belongs to; `None` for an unknown place.
pub async fn structure_du_lieu(tx: &mut Tx, lieu: i64) -> Result<Option<i64>, ErreurStore> {
    tx.ligne(
        "SELECT gestionnaire_id FROM lieux WHERE id = $1",
        &[lieu.into()],
    )
    .await?
    .map(|l| l.entier("gestionnaire_id"))
    .transpose()
}

/// The intervenants of a structure.
pub async fn intervenants(tx: &mut Tx, gestionnaire: i64) -> Result<Vec<i64>, ErreurStore> {
    tx.lignes(
        "SELECT id FROM intervenants WHERE gestionnaire_id = $1",
        &[gestionnaire.into()],
    )
    .await?
    .iter()
    .map(|l| l.entier("id"))
    .collect()
}

/// The places of welcome of a structure.
pub async fn lieux(tx: &mut Tx, gestionnaire: i64) -> Result<Vec<i64>, ErreurStore> {
    tx.lignes(
        "SELECT id FROM lieux WHERE gestionnaire_id = $1",
        &[gestionnaire.into()],
    )
    .await?
    .iter()
    .map(|l| l.entier("id"))
    .collect()
}
