//! The INSEE code of a département: `01` to `95` (no `20`), `2A` and `2B` for Corsica, `971` to
//! `974` and `976` overseas — the 101 départements, each with one Caf.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a text is not the code of a département.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurCodeDepartement {
    #[error("le code de département est vide")]
    Vide,
    #[error(
        "« {0} » n'est pas un code de département: attendu 01 à 95, 2A, 2B, ou 971 à 974 et 976 outre-mer"
    )]
    Format(String),
    #[error(
        "le code 20 n'est plus utilisé depuis 1976: la Corse compte 2A (Corse-du-Sud) et 2B (Haute-Corse)"
    )]
    Corse,
    #[error(
        "{0} est le code d'une collectivité d'outre-mer, pas d'un département: elle n'a pas de Caf dans cette application"
    )]
    Collectivite(String),
}

/// A département code, stored in 3 bytes (Copy); ordered as INSEE lists them (01 … 19, 2A, 2B,
/// 21 … 95, 971 … 976).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CodeDepartement {
    octets: [u8; 3],
}

/// Codes of overseas collectivities (not départements): Saint-Pierre-et-Miquelon,
/// Saint-Barthélemy, Saint-Martin, TAAF, Wallis-et-Futuna, Polynésie, Nouvelle-Calédonie,
/// Clipperton.
const COLLECTIVITES: [&str; 8] = ["975", "977", "978", "984", "986", "987", "988", "989"];

impl CodeDepartement {
    /// Parses `38`, `2A` (or `2a`), `971`. Surrounding spaces are ignored.
    pub fn parse(texte: &str) -> Result<Self, ErreurCodeDepartement> {
        let t = texte.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        let valide = match b {
            [] => return Err(ErreurCodeDepartement::Vide),
            [b'2', b'0'] => return Err(ErreurCodeDepartement::Corse),
            [b'2', b'A' | b'B'] => true,
            [d1 @ b'0'..=b'9', d2 @ b'0'..=b'9'] => {
                let n = (d1 - b'0') * 10 + (d2 - b'0');
                (1..=95).contains(&n)
            }
            [b'9', b'7', b'1'..=b'4' | b'6'] => true,
            _ if COLLECTIVITES.contains(&t.as_str()) => {
                return Err(ErreurCodeDepartement::Collectivite(t));
            }
            _ => false,
        };
        if !valide {
            return Err(ErreurCodeDepartement::Format(texte.trim().to_owned()));
        }
        let mut octets = [0u8; 3];
        octets[..b.len()].copy_from_slice(b);
        Ok(CodeDepartement { octets })
    }

    /// `38`, `2A`, `971`.
    pub fn as_str(&self) -> &str {
        let longueur = if self.octets[2] == 0 { 2 } else { 3 };
        std::str::from_utf8(&self.octets[..longueur]).unwrap_or("")
    }

    /// Moselle, Bas-Rhin and Haut-Rhin, where associations live under local law (code civil
    /// local, articles 21 to 79-III) and are registered at the tribunal, not in the RNA.
    pub fn est_alsace_moselle(&self) -> bool {
        matches!(self.as_str(), "57" | "67" | "68")
    }

    /// Guadeloupe, Martinique, Guyane, La Réunion, Mayotte.
    pub fn est_outre_mer(&self) -> bool {
        self.octets[2] != 0
    }
}

impl CodeDepartement {
    /// The INSEE order: the number, Corsica taking the place of 20.
    fn cle_de_tri(&self) -> (u16, u8) {
        let [a, b, c] = self.octets;
        match (b, c) {
            (b'A', _) => (20, 0),
            (b'B', _) => (20, 1),
            (_, 0) => (u16::from(a - b'0') * 10 + u16::from(b - b'0'), 0),
            _ => (
                u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0'),
                0,
            ),
        }
    }
}

impl Ord for CodeDepartement {
    fn cmp(&self, autre: &Self) -> std::cmp::Ordering {
        self.cle_de_tri().cmp(&autre.cle_de_tri())
    }
}

impl PartialOrd for CodeDepartement {
    fn partial_cmp(&self, autre: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(autre))
    }
}

impl fmt::Display for CodeDepartement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CodeDepartement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodeDepartement({})", self.as_str())
    }
}

impl TryFrom<String> for CodeDepartement {
    type Error = ErreurCodeDepartement;
    fn try_from(texte: String) -> Result<Self, Self::Error> {
        CodeDepartement::parse(&texte)
    }
}

impl From<CodeDepartement> for String {
    fn from(code: CodeDepartement) -> String {
        code.as_str().to_owned()
    }
}

impl std::str::FromStr for CodeDepartement {
    type Err = ErreurCodeDepartement;
    fn from_str(texte: &str) -> Result<Self, Self::Err> {
        CodeDepartement::parse(texte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactement_101_codes() {
        let mut valides = Vec::new();
        for n in 0..1000 {
            for t in [format!("{n:02}"), format!("{n:03}")] {
                if let Ok(c) = CodeDepartement::parse(&t) {
                    assert_eq!(c.as_str(), t);
                    valides.push(c);
                }
            }
        }
        valides.push(CodeDepartement::parse("2A").unwrap());
        valides.push(CodeDepartement::parse("2b").unwrap());
        valides.sort();
        valides.dedup();
        assert_eq!(valides.len(), 101);
        assert_eq!(valides[0].as_str(), "01");
        assert_eq!(valides[19].as_str(), "2A");
        assert_eq!(valides[20].as_str(), "2B");
        assert_eq!(valides[21].as_str(), "21");
        assert_eq!(valides[100].as_str(), "976");
    }

    #[test]
    fn erreurs() {
        assert_eq!(
            CodeDepartement::parse(" ").unwrap_err(),
            ErreurCodeDepartement::Vide
        );
        assert_eq!(
            CodeDepartement::parse("20").unwrap_err(),
            ErreurCodeDepartement::Corse
        );
        assert_eq!(
            CodeDepartement::parse("975").unwrap_err(),
            ErreurCodeDepartement::Collectivite("975".into())
        );
        for faux in ["00", "96", "1", "2C", "970", "9710", "38 "] {
            let r = CodeDepartement::parse(faux);
            if faux == "38 " {
                assert!(r.is_ok());
            } else {
                assert!(matches!(r, Err(ErreurCodeDepartement::Format(_))), "{faux}");
            }
        }
        assert!(CodeDepartement::parse("57").unwrap().est_alsace_moselle());
        assert!(!CodeDepartement::parse("38").unwrap().est_alsace_moselle());
    }
}
