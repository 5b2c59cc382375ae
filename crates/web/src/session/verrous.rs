//! Lockouts after repeated login failures: per e-mail from one client address, per address
//! whatever the e-mails, and briefly per e-mail from everywhere; each with the minutes left.

use app::Plateforme;

use super::{
    ECHECS_MAX, ECHECS_MAX_ADRESSE, ECHECS_MAX_COMPTE, FENETRE_COMPTE, FENETRE_ECHECS, maintenant,
};
use crate::erreur::ErreurWeb;

/// Why logins on an e-mail from an address are refused for now, with the minutes left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verrou {
    /// Too many failures on this e-mail from this address.
    CompteDepuisAdresse(i64),
    /// Too many failures from this address.
    Adresse(i64),
    /// Too many failures on this e-mail from everywhere (a short lock).
    Compte(i64),
}

impl Verrou {
    pub fn message(self) -> String {
        match self {
            Verrou::CompteDepuisAdresse(m) => format!(
                "Trop de tentatives de connexion pour cette adresse électronique depuis votre poste: réessayez dans {m} minute(s)."
            ),
            Verrou::Adresse(m) => format!(
                "Trop de tentatives de connexion depuis votre poste: réessayez dans {m} minute(s)."
            ),
            Verrou::Compte(m) => format!(
                "Trop de tentatives de connexion pour cette adresse électronique: réessayez dans {m} minute(s)."
            ),
        }
    }
}

/// Whether logins on `email` from `adresse` are locked now.
pub async fn verrouillage(
    p: &Plateforme,
    email: &str,
    adresse: &str,
) -> Result<Option<Verrou>, ErreurWeb> {
    use store::acces_web::{Echecs, echecs_depuis};
    let now = maintenant();
    // Minutes until the oldest of the last `max` failures leaves the window.
    let reste = |instants: &[i64], max: i64, fenetre: i64| -> Option<i64> {
        let n = instants.len();
        let max = usize::try_from(max).unwrap_or(usize::MAX);
        if n < max {
            return None;
        }
        let premier = instants.get(n - max).copied().unwrap_or(now);
        Some(((premier + fenetre - now + 59) / 60).max(1))
    };
    let depuis = now - FENETRE_ECHECS;
    let ici = echecs_depuis(
        &p.base,
        Echecs::CompteDepuisAdresse { email, adresse },
        depuis,
    )
    .await?;
    if let Some(m) = reste(&ici, ECHECS_MAX, FENETRE_ECHECS) {
        return Ok(Some(Verrou::CompteDepuisAdresse(m)));
    }
    if !adresse.is_empty() {
        let adresse_seule = echecs_depuis(&p.base, Echecs::Adresse(adresse), depuis).await?;
        if let Some(m) = reste(&adresse_seule, ECHECS_MAX_ADRESSE, FENETRE_ECHECS) {
            return Ok(Some(Verrou::Adresse(m)));
        }
    }
    let compte = echecs_depuis(&p.base, Echecs::Compte(email), now - FENETRE_COMPTE).await?;
    Ok(reste(&compte, ECHECS_MAX_COMPTE, FENETRE_COMPTE).map(Verrou::Compte))
}

pub async fn noter_echec(p: &Plateforme, email: &str, adresse: &str) -> Result<(), ErreurWeb> {
    store::acces_web::noter_echec(&p.base, email, adresse, maintenant()).await?;
    Ok(())
}

pub async fn effacer_echecs(p: &Plateforme, email: &str, adresse: &str) -> Result<(), ErreurWeb> {
    store::acces_web::effacer_echecs(&p.base, email, adresse).await?;
    Ok(())
}
