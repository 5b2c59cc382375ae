//! The SQL of the retention job: erasing, in the caller's transaction, the personal data of each
//! category older than its limit (see `domain::conservation`). Each function returns how many
//! items it erased; running one twice erases nothing more.

use domain::conservation::TEXTE_EFFACE;
use time::Date;

use crate::connexion::Tx;
use crate::courriels::{A_RESUMER, EN_ATTENTE};
use crate::erreur::ErreurStore;

/// Replaces the free text of the sessions held before `avant` with a content-free mention.
pub async fn effacer_textes_entretiens(tx: &mut Tx, avant: Date) -> Result<u64, ErreurStore> {
    tx.executer(
        "UPDATE activite_entretiens SET motif_exception = $1 \
         WHERE motif_exception IS NOT NULL AND motif_exception <> $1 AND date_entretien < $2",
        &[TEXTE_EFFACE.into(), avant.into()],
    )
    .await
}

/// Deletes the login failures recorded before `avant` (Unix seconds).
pub async fn effacer_echecs_connexion(tx: &mut Tx, avant: i64) -> Result<u64, ErreurStore> {
    tx.executer(
        "DELETE FROM tentatives_connexion WHERE instant < $1",
        &[avant.into()],
    )
    .await
}

/// Erases the text and attachments of the settled mails (neither waiting nor kept for a digest)
/// queued before `avant` (Unix seconds); returns the number of mails erased.
pub async fn effacer_corps_courriels(tx: &mut Tx, avant: i64) -> Result<u64, ErreurStore> {
    tx.executer(
        "DELETE FROM courriels_pieces WHERE courriel_id IN (SELECT id FROM courriels \
         WHERE etat <> $1 AND etat <> $2 AND cree_le < $3)",
        &[EN_ATTENTE.into(), A_RESUMER.into(), avant.into()],
    )
    .await?;
    tx.executer(
        "UPDATE courriels SET texte = $1 \
         WHERE etat <> $2 AND etat <> $3 AND cree_le < $4 AND texte <> $1",
        &[
            TEXTE_EFFACE.into(),
            EN_ATTENTE.into(),
            A_RESUMER.into(),
            avant.into(),
        ],
    )
    .await
}
