//! The SQL of accounts as the web layer uses them: browser sessions (kept by the hash of their
//! cookie's token, with their CSRF token and when they were last seen), an account's id and
//! password hash by e-mail for logging in, and the password hash set when an account is created.

use crate::connexion::{Base, Tx};
use crate::erreur::ErreurStore;

/// A session as stored: its account, its CSRF token and when it was last seen (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLue {
    pub utilisateur_id: i64,
    pub csrf: String,
    pub vu_le: i64,
}

/// The session of the token's hash `hache`, read in `tx`.
pub async fn session(tx: &mut Tx, hache: &str) -> Result<Option<SessionLue>, ErreurStore> {
    let ligne = tx
        .ligne(
            "SELECT utilisateur_id, csrf, vu_le FROM sessions WHERE jeton_hache = $1",
            &[hache.into()],
        )
        .await?;
    ligne
        .map(|l| {
            Ok(SessionLue {
                utilisateur_id: l.entier("utilisateur_id")?,
                csrf: l.texte("csrf")?,
                vu_le: l.entier("vu_le")?,
            })
        })
        .transpose()
}

/// Opens a session of `utilisateur` for the token's hash `hache`, seen at `instant`.
pub async fn ouvrir_session(
    base: &Base,
    hache: &str,
    utilisateur: i64,
    csrf: &str,
    instant: i64,
) -> Result<(), ErreurStore> {
    let mut tx = base.debuter().await?;
    tx.executer(
        "INSERT INTO sessions (jeton_hache, utilisateur_id, csrf, cree_le, vu_le) VALUES ($1, $2, $3, $4, $4)",
        &[
            hache.into(),
            utilisateur.into(),
            csrf.into(),
            instant.into(),
        ],
    )
    .await?;
    tx.valider().await
}

/// Notes that the session of `hache` was seen at `instant`.
pub async fn toucher_session(base: &Base, hache: &str, instant: i64) -> Result<(), ErreurStore> {
    let mut tx = base.debuter().await?;
    tx.executer(
        "UPDATE sessions SET vu_le = $1 WHERE jeton_hache = $2",
        &[instant.into(), hache.into()],
    )
    .await?;
    tx.valider().await
}

/// Ends the session of `hache` (none is no error).
pub async fn fermer_session(base: &Base, hache: &str) -> Result<(), ErreurStore> {
    let mut tx = base.debuter().await?;
    tx.executer(
        "DELETE FROM sessions WHERE jeton_hache = $1",
        &[hache.into()],
    )
    .await?;
    tx.valider().await
}

/// The id and password hash of the active account of `email`.
pub async fn compte_actif(
    base: &Base,
    email: &str,
) -> Result<Option<(i64, Option<String>)>, ErreurStore> {
    let mut tx = base.lire().await?;
    let l = tx
        .ligne(
            "SELECT id, mot_de_passe FROM utilisateurs WHERE email = $1 AND actif = $2",
            &[email.into(), true.into()],
        )
        .await?;
    tx.annuler().await?;
    l.map(|l| Ok((l.entier("id")?, l.texte_opt("mot_de_passe")?)))
        .transpose()
}

/// Whether an account, active or not, has `email`.
pub async fn email_pris(tx: &mut Tx, email: &str) -> Result<bool, ErreurStore> {
    Ok(tx
        .ligne(
            "SELECT id FROM utilisateurs WHERE email = $1",
            &[email.into()],
        )
        .await?
        .is_some())
}

/// Sets the password hash of account `id` (`None`: no password, no login).
pub async fn fixer_mot_de_passe(
    tx: &mut Tx,
    id: i64,
    hache: Option<String>,
) -> Result<(), ErreurStore> {
    tx.executer(
        "UPDATE utilisateurs SET mot_de_passe = $1 WHERE id = $2",
        &[hache.into(), id.into()],
    )
    .await?;
    Ok(())
}
