//! Personal API tokens: created with a lifetime (shown once, only their hash kept), listed with
//! their state, and revoked.

use app::Plateforme;

use super::{JETON_DUREE_MAX, hacher, maintenant, secret};
use crate::erreur::ErreurWeb;

/// Creates a personal API token valid `duree_jours` days (1 to [`JETON_DUREE_MAX`]); returns it
/// (shown once, only its hash is kept).
pub async fn creer_jeton(
    p: &Plateforme,
    utilisateur: i64,
    libelle: &str,
    duree_jours: i64,
) -> Result<String, ErreurWeb> {
    if !(1..=JETON_DUREE_MAX).contains(&duree_jours) {
        return Err(ErreurWeb::Refus(format!(
            "Durée de validité du jeton : entre 1 et {JETON_DUREE_MAX} jours (saisie : {duree_jours})"
        )));
    }
    let jeton = format!("prt_{}", secret());
    let now = maintenant();
    store::acces_web::creer_jeton(
        &p.base,
        &hacher(&jeton),
        utilisateur,
        libelle,
        now,
        now + duree_jours * 86_400,
    )
    .await?;
    Ok(jeton)
}

/// The tokens of `utilisateur`, the most recent first.
pub async fn jetons(
    p: &Plateforme,
    utilisateur: i64,
) -> Result<Vec<store::acces_web::JetonApi>, ErreurWeb> {
    Ok(store::acces_web::jetons(&p.base, utilisateur).await?)
}

/// Revokes the token `identifiant` of `utilisateur`; false when it has none such in force.
pub async fn revoquer_jeton(
    p: &Plateforme,
    utilisateur: i64,
    identifiant: &str,
) -> Result<bool, ErreurWeb> {
    Ok(store::acces_web::revoquer_jeton(&p.base, utilisateur, identifiant, maintenant()).await?)
}

/// Whether a token is in force at `instant` (not revoked, not expired).
pub fn jeton_en_vigueur(j: &store::acces_web::JetonApi, instant: i64) -> bool {
    j.revoque_le.is_none() && j.expire_le > instant
}
