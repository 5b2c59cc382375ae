//! The secret keys of the pseudonymous family codes, one per structure, stored as hex text and
//! created on first use.

use crate::connexion::Tx;
use crate::erreur::ErreurStore;

const LIRE: &str = "SELECT cle FROM activite_cles WHERE gestionnaire_id = $1";

/// The stored key of a structure (hex text), if it has one.
pub async fn cle(tx: &mut Tx, gestionnaire: i64) -> Result<Option<String>, ErreurStore> {
    tx.ligne(LIRE, &[gestionnaire.into()])
        .await?
        .map(|l| l.texte("cle"))
        .transpose()
}

/// Whether a structure has a key already.
pub async fn existe(tx: &mut Tx, gestionnaire: i64) -> Result<bool, ErreurStore> {
    Ok(tx
        .ligne(
            "SELECT 1 AS un FROM activite_cles WHERE gestionnaire_id = $1",
            &[gestionnaire.into()],
        )
        .await?
        .is_some())
}

/// Stores `nouvelle` as the key of a structure unless it has one (another transaction may have
/// written it first: that one is kept).
pub async fn creer_si_absente(
    tx: &mut Tx,
    gestionnaire: i64,
    nouvelle: &str,
    cree_le: time::OffsetDateTime,
) -> Result<(), ErreurStore> {
    tx.executer(
        "INSERT INTO activite_cles (gestionnaire_id, cle, cree_le) VALUES ($1, $2, $3) \
         ON CONFLICT (gestionnaire_id) DO NOTHING",
        &[gestionnaire.into(), nouvelle.into(), cree_le.into()],
    )
    .await?;
    Ok(())
}
