//! An e-mail address as the platform accepts it for user accounts and notifications: a plain
//! `local@domain.tld`, checked for what a mail server would refuse and for common typos.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a text is not an e-mail address we accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurEmail {
    #[error("l'adresse électronique est vide")]
    Vide,
    #[error("l'adresse électronique est trop longue (au plus 254 caractères)")]
    TropLongue,
    #[error("l'adresse électronique doit contenir un seul « @ » (reçu « {0} »)")]
    Arobase(String),
    #[error("la partie avant le « @ » est vide ou trop longue (1 à 64 caractères)")]
    PartieLocale,
    #[error("la partie avant le « @ » contient un caractère non autorisé: « {0} »")]
    CaractereLocal(char),
    #[error(
        "la partie avant le « @ » ne peut ni commencer ni finir par un point, ni en contenir deux de suite"
    )]
    Points,
    #[error(
        "le domaine « {0} » n'est pas valide: attendu des lettres, chiffres ou tirets séparés par des points, comme caf.fr"
    )]
    Domaine(String),
}

/// A valid e-mail address; the domain is kept in lower case, the local part as written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

const AUTORISES_LOCAL: &str = "!#$%&'*+-/=?^_`{|}~.";

fn domaine_valide(domaine: &str) -> bool {
    let etiquettes: Vec<&str> = domaine.split('.').collect();
    etiquettes.len() >= 2
        && etiquettes.iter().all(|e| {
            !e.is_empty()
                && e.len() <= 63
                && !e.starts_with('-')
                && !e.ends_with('-')
                && e.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && etiquettes
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

impl Email {
    pub fn parse(texte: &str) -> Result<Self, ErreurEmail> {
        let t = texte.trim();
        if t.is_empty() {
            return Err(ErreurEmail::Vide);
        }
        if t.chars().count() > 254 {
            return Err(ErreurEmail::TropLongue);
        }
        let mut parties = t.split('@');
        let (Some(local), Some(domaine), None) = (parties.next(), parties.next(), parties.next())
        else {
            return Err(ErreurEmail::Arobase(t.to_owned()));
        };
        if local.is_empty() || local.len() > 64 {
            return Err(ErreurEmail::PartieLocale);
        }
        if let Some(c) = local
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || AUTORISES_LOCAL.contains(*c)))
        {
            return Err(ErreurEmail::CaractereLocal(c));
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(ErreurEmail::Points);
        }
        let domaine = domaine.to_ascii_lowercase();
        if !domaine_valide(&domaine) {
            return Err(ErreurEmail::Domaine(domaine));
        }
        Ok(Email(format!("{local}@{domaine}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = ErreurEmail;
    fn try_from(texte: String) -> Result<Self, Self::Error> {
        Email::parse(&texte)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adresses_valides() {
        assert_eq!(
            Email::parse(" Marie.Durand+aip@CAF.fr ").unwrap().as_str(),
            "Marie.Durand+aip@caf.fr"
        );
        assert!(Email::parse("contact@centre-social.grenoble.fr").is_ok());
    }

    #[test]
    fn erreurs() {
        assert_eq!(Email::parse("").unwrap_err(), ErreurEmail::Vide);
        assert!(matches!(
            Email::parse("marie.caf.fr"),
            Err(ErreurEmail::Arobase(_))
        ));
        assert!(matches!(
            Email::parse("a@b@caf.fr"),
            Err(ErreurEmail::Arobase(_))
        ));
        assert_eq!(
            Email::parse("@caf.fr").unwrap_err(),
            ErreurEmail::PartieLocale
        );
        assert_eq!(
            Email::parse("ma rie@caf.fr").unwrap_err(),
            ErreurEmail::CaractereLocal(' ')
        );
        assert_eq!(
            Email::parse("marie.@caf.fr").unwrap_err(),
            ErreurEmail::Points
        );
        for faux in [
            "marie@caf",
            "marie@caf..fr",
            "marie@-caf.fr",
            "marie@caf.f",
            "marie@caf.fr1",
        ] {
            assert!(
                matches!(Email::parse(faux), Err(ErreurEmail::Domaine(_))),
                "{faux}"
            );
        }
        assert!(matches!(
            Email::parse(&format!("{}@caf.fr", "a".repeat(65))),
            Err(ErreurEmail::PartieLocale)
        ));
    }
}
