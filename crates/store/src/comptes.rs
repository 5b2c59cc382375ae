//! The SQL of accounts as the web layer uses them: browser sessions (kept by the hash of their
//! cookie's token, with their CSRF token and when they were last seen), an account's id and
//! password hash by e-mail for logging in, and the password hash set when an account is created;
//! for ProConnect, the subject identifier bound to an account, the logins in progress and the ID
//! token kept with a session.

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

/// The account bound to the ProConnect subject identifier `sub`, read in `tx`.
pub async fn compte_du_sub_proconnect(tx: &mut Tx, sub: &str) -> Result<Option<i64>, ErreurStore> {
    tx.ligne(
        "SELECT utilisateur_id FROM comptes_proconnect WHERE sub = $1",
        &[sub.into()],
    )
    .await?
    .map(|l| l.entier("utilisateur_id"))
    .transpose()
}

/// The ProConnect subject identifier bound to account `id`, if any, read in `tx`.
pub async fn sub_proconnect_du_compte(tx: &mut Tx, id: i64) -> Result<Option<String>, ErreurStore> {
    tx.ligne(
        "SELECT sub FROM comptes_proconnect WHERE utilisateur_id = $1",
        &[id.into()],
    )
    .await?
    .map(|l| l.texte("sub"))
    .transpose()
}

/// Binds account `id` to the ProConnect subject identifier `sub` at `instant` (Unix seconds).
pub async fn lier_sub_proconnect(
    tx: &mut Tx,
    id: i64,
    sub: &str,
    instant: i64,
) -> Result<(), ErreurStore> {
    tx.executer(
        "INSERT INTO comptes_proconnect (utilisateur_id, sub, lie_le) VALUES ($1, $2, $3)",
        &[id.into(), sub.into(), instant.into()],
    )
    .await?;
    Ok(())
}

/// A ProConnect login in progress, as stored: the `state` and `nonce` sent to the provider and
/// the page to go back to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnexionProConnect {
    pub etat: String,
    pub nonce: String,
    pub retour: String,
}

/// Keeps a ProConnect login in progress under the hash of its browser cookie `cle_hachee`, until
/// `expire_le`; the logins already expired at `instant` are deleted on the way.
pub async fn noter_connexion_proconnect(
    base: &Base,
    cle_hachee: &str,
    connexion: &ConnexionProConnect,
    instant: i64,
    expire_le: i64,
) -> Result<(), ErreurStore> {
    let mut tx = base.debuter().await?;
    tx.executer(
        "DELETE FROM connexions_proconnect WHERE expire_le <= $1",
        &[instant.into()],
    )
    .await?;
    tx.executer(
        "INSERT INTO connexions_proconnect (cle_hachee, etat, nonce, retour, expire_le) VALUES ($1, $2, $3, $4, $5)",
        &[
            cle_hachee.into(),
            connexion.etat.as_str().into(),
            connexion.nonce.as_str().into(),
            connexion.retour.as_str().into(),
            expire_le.into(),
        ],
    )
    .await?;
    tx.valider().await
}

/// Takes (reads and deletes: each is used once) the ProConnect login in progress of `cle_hachee`,
/// if it has not expired at `instant`.
pub async fn prendre_connexion_proconnect(
    base: &Base,
    cle_hachee: &str,
    instant: i64,
) -> Result<Option<ConnexionProConnect>, ErreurStore> {
    let mut tx = base.debuter().await?;
    let ligne = tx
        .ligne(
            "SELECT etat, nonce, retour, expire_le FROM connexions_proconnect WHERE cle_hachee = $1",
            &[cle_hachee.into()],
        )
        .await?;
    tx.executer(
        "DELETE FROM connexions_proconnect WHERE cle_hachee = $1",
        &[cle_hachee.into()],
    )
    .await?;
    tx.valider().await?;
    let Some(l) = ligne else {
        return Ok(None);
    };
    if l.entier("expire_le")? <= instant {
        return Ok(None);
    }
    Ok(Some(ConnexionProConnect {
        etat: l.texte("etat")?,
        nonce: l.texte("nonce")?,
        retour: l.texte("retour")?,
    }))
}

/// Keeps with the session of `hache` the ID token ProConnect gave when it opened (sent back to
/// the provider on logout).
pub async fn noter_jeton_id_proconnect(
    base: &Base,
    hache: &str,
    jeton_id: &str,
) -> Result<(), ErreurStore> {
    let mut tx = base.debuter().await?;
    tx.executer(
        "UPDATE sessions SET jeton_id_proconnect = $1 WHERE jeton_hache = $2",
        &[jeton_id.into(), hache.into()],
    )
    .await?;
    tx.valider().await
}

/// The ProConnect ID token kept with the session of `hache`, if it was opened through ProConnect.
pub async fn jeton_id_proconnect(base: &Base, hache: &str) -> Result<Option<String>, ErreurStore> {
    let mut tx = base.lire().await?;
    let l = tx
        .ligne(
            "SELECT jeton_id_proconnect FROM sessions WHERE jeton_hache = $1",
            &[hache.into()],
        )
        .await?;
    tx.annuler().await?;
    Ok(l.map(|l| l.texte_opt("jeton_id_proconnect"))
        .transpose()?
        .flatten())
}

/// Unbinds account `id` from its ProConnect subject identifier; the `sub` it had, if any.
pub async fn delier_sub_proconnect(tx: &mut Tx, id: i64) -> Result<Option<String>, ErreurStore> {
    let sub = sub_proconnect_du_compte(tx, id).await?;
    tx.executer(
        "DELETE FROM comptes_proconnect WHERE utilisateur_id = $1",
        &[id.into()],
    )
    .await?;
    Ok(sub)
}
