//! The INSEE code of a commune (code officiel géographique): 5 characters, the first two (three
//! overseas) naming the département it was numbered in, the others the commune.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a text is not the INSEE code of a commune.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurCodeInsee {
    #[error("le code INSEE de la commune est vide")]
    Vide,
    #[error("un code INSEE de commune compte 5 caractères (reçu « {0} »)")]
    Longueur(String),
    #[error(
        "« {0} » n'est pas un code INSEE de commune: attendu 2 chiffres de département (01 à 95), 2A ou 2B puis 3 chiffres, ou 971 à 974, 976 puis 2 chiffres (ce n'est pas le code postal)"
    )]
    Format(String),
    #[error("« {0} »: les communes de Corse ont des codes en 2A ou 2B depuis 1976, plus en 20")]
    Corse(String),
    #[error("« {0} » est une commune d'une collectivité d'outre-mer, hors des 101 départements")]
    Collectivite(String),
}

/// A commune's INSEE code, stored in 5 bytes (Copy), ordered as INSEE lists them (Corsica between
/// 19 and 21).
///
/// Do not derive the département from the first characters: a few communes changed département
/// and kept their code; the commune table ([`crate::territoire::Communes`]) says where each is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CodeInsee {
    octets: [u8; 5],
}

impl CodeInsee {
    /// Parses `38185`, `2A004` (or `2a004`), `97411`. Surrounding spaces are ignored.
    pub fn parse(texte: &str) -> Result<Self, ErreurCodeInsee> {
        let t = texte.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        if b.is_empty() {
            return Err(ErreurCodeInsee::Vide);
        }
        if b.len() != 5 {
            return Err(ErreurCodeInsee::Longueur(texte.trim().to_owned()));
        }
        let chiffre = |c: u8| c.is_ascii_digit();
        let fin_chiffres = b[2..].iter().all(|&c| chiffre(c));
        let valide = match b {
            [b'2', b'0', ..] if fin_chiffres => return Err(ErreurCodeInsee::Corse(t)),
            [b'2', b'A' | b'B', ..] => fin_chiffres,
            [b'9', b'7', b'5' | b'7' | b'8', ..] | [b'9', b'8', ..] if fin_chiffres => {
                return Err(ErreurCodeInsee::Collectivite(t));
            }
            [b'9', b'7', c, ..] => fin_chiffres && matches!(c, b'1'..=b'4' | b'6'),
            [d1, d2, ..] if chiffre(*d1) && chiffre(*d2) => {
                let n = (d1 - b'0') * 10 + (d2 - b'0');
                fin_chiffres && (1..=95).contains(&n)
            }
            _ => false,
        };
        if !valide {
            return Err(ErreurCodeInsee::Format(texte.trim().to_owned()));
        }
        let mut octets = [0u8; 5];
        octets.copy_from_slice(b);
        Ok(CodeInsee { octets })
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.octets).unwrap_or("")
    }

    fn cle_de_tri(&self) -> ([u8; 2], u8, [u8; 3]) {
        let [a, b, c, d, e] = self.octets;
        match b {
            b'A' => ([a, b'0'], 0, [c, d, e]),
            b'B' => ([a, b'0'], 1, [c, d, e]),
            _ => ([a, b], 0, [c, d, e]),
        }
    }
}

impl Ord for CodeInsee {
    fn cmp(&self, autre: &Self) -> std::cmp::Ordering {
        self.cle_de_tri().cmp(&autre.cle_de_tri())
    }
}

impl PartialOrd for CodeInsee {
    fn partial_cmp(&self, autre: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(autre))
    }
}

impl fmt::Display for CodeInsee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CodeInsee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodeInsee({})", self.as_str())
    }
}

impl TryFrom<String> for CodeInsee {
    type Error = ErreurCodeInsee;
    fn try_from(texte: String) -> Result<Self, Self::Error> {
        CodeInsee::parse(&texte)
    }
}

impl From<CodeInsee> for String {
    fn from(code: CodeInsee) -> String {
        code.as_str().to_owned()
    }
}

impl std::str::FromStr for CodeInsee {
    type Err = ErreurCodeInsee;
    fn from_str(texte: &str) -> Result<Self, Self::Err> {
        CodeInsee::parse(texte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_valides() {
        for code in [
            "38185", "01001", "2A004", "2B033", "97411", "97601", "95690", "75056",
        ] {
            assert_eq!(CodeInsee::parse(code).unwrap().as_str(), code);
        }
        assert_eq!(CodeInsee::parse(" 2a004 ").unwrap().as_str(), "2A004");
    }

    #[test]
    fn erreurs() {
        assert_eq!(CodeInsee::parse("").unwrap_err(), ErreurCodeInsee::Vide);
        assert!(matches!(
            CodeInsee::parse("3818"),
            Err(ErreurCodeInsee::Longueur(_))
        ));
        assert!(matches!(
            CodeInsee::parse("20004"),
            Err(ErreurCodeInsee::Corse(_))
        ));
        assert!(matches!(
            CodeInsee::parse("97502"),
            Err(ErreurCodeInsee::Collectivite(_))
        ));
        assert!(matches!(
            CodeInsee::parse("98818"),
            Err(ErreurCodeInsee::Collectivite(_))
        ));
        for faux in [
            "00001", "96001", "97001", "2C004", "3818A", "A8185", "97A11",
        ] {
            assert!(
                matches!(CodeInsee::parse(faux), Err(ErreurCodeInsee::Format(_))),
                "{faux}"
            );
        }
    }

    #[test]
    fn ordre_insee() {
        let mut codes: Vec<CodeInsee> = ["21001", "2B033", "19001", "2A004", "97411", "95690"]
            .iter()
            .map(|c| CodeInsee::parse(c).unwrap())
            .collect();
        codes.sort();
        let textes: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            textes,
            ["19001", "2A004", "2B033", "21001", "95690", "97411"]
        );
    }
}
