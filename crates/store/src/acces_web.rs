//! The SQL behind web access: personal API tokens (created with an expiry, listed, found while
//! valid, revoked) and login failures (kept with the e-mail tried and the client's address, and
//! counted over a window to lock out whoever repeats them). Only hashes of the tokens are stored.

use crate::connexion::Base;
use crate::erreur::ErreurStore;

/// A personal API token as its owner sees it (never the secret itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JetonApi {
    /// Public identifier: the first 16 hex digits of the token's hash.
    pub identifiant: String,
    pub libelle: String,
    /// Unix seconds.
    pub cree_le: i64,
    pub expire_le: i64,
    pub revoque_le: Option<i64>,
}

/// The public identifier of the token of hash `hache`.
pub fn identifiant_du_hache(hache: &str) -> String {
    hache.chars().take(16).collect()
}

/// Records a new token of `utilisateur`; returns its public identifier.
pub async fn creer_jeton(
    base: &Base,
    hache: &str,
    utilisateur: i64,
    libelle: &str,
    cree_le: i64,
    expire_le: i64,
) -> Result<String, ErreurStore> {
    let identifiant = identifiant_du_hache(hache);
    let mut tx = base.debuter().await?;
    tx.executer(
        "INSERT INTO jetons_api (jeton_hache, utilisateur_id, libelle, cree_le, identifiant, expire_le) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            hache.into(),
            utilisateur.into(),
            libelle.into(),
            cree_le.into(),
            identifiant.clone().into(),
            expire_le.into(),
        ],
    )
    .await?;
    tx.valider().await?;
    Ok(identifiant)
}

/// Every token of `utilisateur`, the most recent first.
pub async fn jetons(base: &Base, utilisateur: i64) -> Result<Vec<JetonApi>, ErreurStore> {
    let mut tx = base.debuter().await?;
    let lignes = tx
        .lignes(
            "SELECT identifiant, libelle, cree_le, expire_le, revoque_le FROM jetons_api \
             WHERE utilisateur_id = $1 ORDER BY cree_le DESC, identifiant",
            &[utilisateur.into()],
        )
        .await?;
    lignes
        .iter()
        .map(|l| {
            Ok(JetonApi {
                identifiant: l.texte_opt("identifiant")?.unwrap_or_default(),
                libelle: l.texte("libelle")?,
                cree_le: l.entier("cree_le")?,
                expire_le: l.entier_opt("expire_le")?.unwrap_or(0),
                revoque_le: l.entier_opt("revoque_le")?,
            })
        })
        .collect()
}

/// The account of the token of hash `hache` when it is neither revoked nor expired at `instant`.
pub async fn utilisateur_du_jeton(
    base: &Base,
    hache: &str,
    instant: i64,
) -> Result<Option<i64>, ErreurStore> {
    let mut tx = base.debuter().await?;
    let l = tx
        .ligne(
            "SELECT utilisateur_id FROM jetons_api \
             WHERE jeton_hache = $1 AND revoque_le IS NULL AND expire_le > $2",
            &[hache.into(), instant.into()],
        )
        .await?;
    l.map(|l| l.entier("utilisateur_id")).transpose()
}

/// Revokes the token `identifiant` of `utilisateur` at `instant`; false when it has no such
/// token still in force.
pub async fn revoquer_jeton(
    base: &Base,
    utilisateur: i64,
    identifiant: &str,
    instant: i64,
) -> Result<bool, ErreurStore> {
    let mut tx = base.debuter().await?;
    let n = tx
        .executer(
            "UPDATE jetons_api SET revoque_le = $1 \
             WHERE identifiant = $2 AND utilisateur_id = $3 AND revoque_le IS NULL",
            &[instant.into(), identifiant.into(), utilisateur.into()],
        )
        .await?;
    tx.valider().await?;
    Ok(n > 0)
}

/// Records a failed login on `email` from `adresse`.
pub async fn noter_echec(
    base: &Base,
    email: &str,
    adresse: &str,
    instant: i64,
) -> Result<(), ErreurStore> {
    let mut tx = base.debuter().await?;
    tx.executer(
        "INSERT INTO tentatives_connexion (email, adresse, instant) VALUES ($1, $2, $3)",
        &[email.into(), adresse.into(), instant.into()],
    )
    .await?;
    tx.valider().await?;
    Ok(())
}

/// Which failures [`echecs_depuis`] counts.
#[derive(Debug, Clone, Copy)]
pub enum Echecs<'a> {
    /// On one e-mail from one address.
    CompteDepuisAdresse { email: &'a str, adresse: &'a str },
    /// From one address, whatever the e-mail.
    Adresse(&'a str),
    /// On one e-mail, whatever the address.
    Compte(&'a str),
}

/// The instants of the failures of `quoi` after `depuis`, the oldest first.
pub async fn echecs_depuis(
    base: &Base,
    quoi: Echecs<'_>,
    depuis: i64,
) -> Result<Vec<i64>, ErreurStore> {
    let (condition, mut valeurs) = match quoi {
        Echecs::CompteDepuisAdresse { email, adresse } => (
            "email = $2 AND adresse = $3",
            vec![email.into(), adresse.into()],
        ),
        Echecs::Adresse(adresse) => ("adresse = $2", vec![adresse.into()]),
        Echecs::Compte(email) => ("email = $2", vec![email.into()]),
    };
    valeurs.insert(0, depuis.into());
    let mut tx = base.debuter().await?;
    let lignes = tx
        .lignes(
            &format!(
                "SELECT instant FROM tentatives_connexion WHERE instant > $1 AND {condition} ORDER BY instant"
            ),
            &valeurs,
        )
        .await?;
    lignes.iter().map(|l| l.entier("instant")).collect()
}

/// Forgets the failures on `email` from `adresse` (after a successful login from there).
pub async fn effacer_echecs(base: &Base, email: &str, adresse: &str) -> Result<(), ErreurStore> {
    let mut tx = base.debuter().await?;
    tx.executer(
        "DELETE FROM tentatives_connexion WHERE email = $1 AND adresse = $2",
        &[email.into(), adresse.into()],
    )
    .await?;
    tx.valider().await?;
    Ok(())
}
