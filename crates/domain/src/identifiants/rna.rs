//! The RNA number (répertoire national des associations) that the préfecture gives an association
//! when it is declared under the law of 1901.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::texte::est_espace;

/// Why a text is not an RNA number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurRna {
    #[error("le numéro RNA est vide")]
    Vide,
    #[error("un numéro RNA commence par la lettre W (reçu « {0} »)")]
    Prefixe(String),
    #[error("un numéro RNA compte la lettre W suivie de 9 caractères (reçu {recu} après le W)")]
    Longueur { recu: usize },
    #[error(
        "un numéro RNA ne contient après le W que des chiffres et des lettres (caractère « {0} » reçu)"
    )]
    Caractere(char),
}

/// An RNA number: `W` followed by 9 characters.
///
/// **Interpretation**: the 9 characters are digits or capital letters. The first three name the
/// greffe des associations that registered it (usually a département code followed by a digit, so
/// `W2A…` and `W2B…` in Corsica, hence letters); the others are a sequence number. A lower-case
/// `w` or letters are accepted and written in capitals; spaces between groups are ignored. The
/// older préfecture numbers of associations never re-registered are not RNA numbers.
/// Associations of Alsace-Moselle, registered at the tribunal judiciaire under local law, have
/// none (see [`crate::structures::Gestionnaire::verifier`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rna(String);

impl Rna {
    pub fn parse(texte: &str) -> Result<Self, ErreurRna> {
        let compact: String = texte
            .chars()
            .filter(|c| !est_espace(*c))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let mut caracteres = compact.chars();
        match caracteres.next() {
            None => return Err(ErreurRna::Vide),
            Some('W') => {}
            Some(_) => return Err(ErreurRna::Prefixe(texte.trim().to_owned())),
        }
        let reste: Vec<char> = caracteres.collect();
        if let Some(c) = reste.iter().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(ErreurRna::Caractere(*c));
        }
        if reste.len() != 9 {
            return Err(ErreurRna::Longueur { recu: reste.len() });
        }
        Ok(Rna(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Rna {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Rna {
    type Error = ErreurRna;
    fn try_from(texte: String) -> Result<Self, Self::Error> {
        Rna::parse(&texte)
    }
}

impl From<Rna> for String {
    fn from(rna: Rna) -> String {
        rna.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formes_acceptees() {
        assert_eq!(Rna::parse("W751234567").unwrap().as_str(), "W751234567");
        assert_eq!(Rna::parse("w 381 000 123").unwrap().as_str(), "W381000123");
        assert_eq!(Rna::parse("W2A1002345").unwrap().as_str(), "W2A1002345");
    }

    #[test]
    fn erreurs() {
        assert_eq!(Rna::parse(" ").unwrap_err(), ErreurRna::Vide);
        assert_eq!(
            Rna::parse("X751234567").unwrap_err().to_string(),
            "un numéro RNA commence par la lettre W (reçu « X751234567 »)"
        );
        assert_eq!(
            Rna::parse("W75123456").unwrap_err(),
            ErreurRna::Longueur { recu: 8 }
        );
        assert_eq!(
            Rna::parse("W7512345678").unwrap_err(),
            ErreurRna::Longueur { recu: 10 }
        );
        assert_eq!(
            Rna::parse("W75123-567").unwrap_err(),
            ErreurRna::Caractere('-')
        );
    }
}
