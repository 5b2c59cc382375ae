//! SIREN (a legal unit) and SIRET (one establishment of it): the numbers of the Sirene directory
//! kept by INSEE, which every gestionnaire has, checked by their key.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::luhn::luhn_valide;
use crate::texte::est_espace;

/// Why a text is not a SIREN or SIRET number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurSirene {
    #[error("le numéro {genre} est vide")]
    Vide { genre: &'static str },
    #[error("le numéro {genre} ne doit contenir que des chiffres (caractère « {caractere} » reçu)")]
    Caractere {
        genre: &'static str,
        caractere: char,
    },
    #[error("le numéro {genre} compte {attendu} chiffres (reçu {recu})")]
    Longueur {
        genre: &'static str,
        attendu: usize,
        recu: usize,
    },
    #[error(
        "le numéro {genre} {numero} est invalide: sa clé de contrôle ne correspond pas (vérifiez la saisie)"
    )]
    Cle { genre: &'static str, numero: String },
}

/// Reads exactly `attendu` digits, ignoring the spaces people put between groups.
fn lire_chiffres(
    texte: &str,
    genre: &'static str,
    attendu: usize,
) -> Result<Vec<u8>, ErreurSirene> {
    let mut chiffres = Vec::with_capacity(attendu);
    for c in texte.chars() {
        if est_espace(c) {
            continue;
        }
        match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => chiffres.push(d as u8),
            _ => {
                return Err(ErreurSirene::Caractere {
                    genre,
                    caractere: c,
                });
            }
        }
    }
    if chiffres.is_empty() {
        return Err(ErreurSirene::Vide { genre });
    }
    if chiffres.len() != attendu {
        return Err(ErreurSirene::Longueur {
            genre,
            attendu,
            recu: chiffres.len(),
        });
    }
    Ok(chiffres)
}

fn en_texte(chiffres: &[u8]) -> String {
    chiffres.iter().map(|d| char::from(b'0' + d)).collect()
}

/// A SIREN: 9 digits, the last one a Luhn key (INSEE, répertoire Sirene).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siren(String);

impl Siren {
    /// Parses `123456789` or `123 456 789`.
    pub fn parse(texte: &str) -> Result<Self, ErreurSirene> {
        let chiffres = lire_chiffres(texte, "SIREN", 9)?;
        let numero = en_texte(&chiffres);
        if !luhn_valide(&chiffres) {
            return Err(ErreurSirene::Cle {
                genre: "SIREN",
                numero,
            });
        }
        Ok(Siren(numero))
    }

    /// The 9 digits, without spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Siren {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Siren {
    type Error = ErreurSirene;
    fn try_from(texte: String) -> Result<Self, Self::Error> {
        Siren::parse(&texte)
    }
}

impl From<Siren> for String {
    fn from(siren: Siren) -> String {
        siren.0
    }
}

/// The SIREN of La Poste, whose establishments follow their own key rule.
pub const SIREN_LA_POSTE: &str = "356000000";

/// A SIRET: the 9-digit SIREN followed by a 5-digit establishment number (NIC).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siret(String);

impl Siret {
    /// Parses `12345678900012` or `123 456 789 00012`.
    ///
    /// Rule (INSEE, répertoire Sirene): the 14 digits pass the Luhn check; or, for the
    /// establishments of La Poste (SIREN 356 000 000, too many to number with a Luhn key), the sum
    /// of the 14 digits is a multiple of 5.
    /// **Interpretation**: the La Poste rule is an alternative, not a replacement: La Poste's own
    /// head office, 356 000 000 00048, passes Luhn but not the sum rule, and is valid.
    pub fn parse(texte: &str) -> Result<Self, ErreurSirene> {
        let chiffres = lire_chiffres(texte, "SIRET", 14)?;
        let numero = en_texte(&chiffres);
        let la_poste = numero.starts_with(SIREN_LA_POSTE)
            && chiffres
                .iter()
                .map(|&d| u32::from(d))
                .sum::<u32>()
                .is_multiple_of(5);
        if !luhn_valide(&chiffres) && !la_poste {
            return Err(ErreurSirene::Cle {
                genre: "SIRET",
                numero,
            });
        }
        Ok(Siret(numero))
    }

    /// The 14 digits, without spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The legal unit the establishment belongs to.
    pub fn siren(&self) -> Siren {
        Siren(self.0[..9].to_owned())
    }

    /// The establishment number (NIC), the last 5 digits.
    pub fn nic(&self) -> &str {
        &self.0[9..]
    }

    /// `356 000 000 00048`, as printed on documents.
    pub fn formate(&self) -> String {
        format!(
            "{} {} {} {}",
            &self.0[..3],
            &self.0[3..6],
            &self.0[6..9],
            &self.0[9..]
        )
    }
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Siret {
    type Error = ErreurSirene;
    fn try_from(texte: String) -> Result<Self, Self::Error> {
        Siret::parse(&texte)
    }
}

impl From<Siret> for String {
    fn from(siret: Siret) -> String {
        siret.0
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::identifiants::luhn::cle_luhn;

    #[test]
    fn siret_valides_et_espaces() {
        let s = Siret::parse("732 829 320 00074").unwrap();
        assert_eq!(s.as_str(), "73282932000074");
        assert_eq!(s.siren().as_str(), "732829320");
        assert_eq!(s.nic(), "00074");
        assert_eq!(s.formate(), "732 829 320 00074");
        assert_eq!(Siret::parse(&s.to_string()).unwrap(), s);
    }

    #[test]
    fn siret_erreurs_precises() {
        assert_eq!(
            Siret::parse("").unwrap_err().to_string(),
            "le numéro SIRET est vide"
        );
        assert_eq!(
            Siret::parse("7328293200007").unwrap_err().to_string(),
            "le numéro SIRET compte 14 chiffres (reçu 13)"
        );
        assert_eq!(
            Siret::parse("7328293200007A").unwrap_err().to_string(),
            "le numéro SIRET ne doit contenir que des chiffres (caractère « A » reçu)"
        );
        assert!(matches!(
            Siret::parse("73282932000075"),
            Err(ErreurSirene::Cle { .. })
        ));
        // Other Unicode digits are not SIRET digits.
        assert!(matches!(
            Siret::parse("7328293200007٤"),
            Err(ErreurSirene::Caractere { .. })
        ));
    }

    #[test]
    fn exception_la_poste() {
        // Head office: Luhn-valid (digit sum 26, not a multiple of 5).
        assert!(Siret::parse("35600000000048").is_ok());
        // A post office: digit sum 3+5+6+4+9+1+2 = 30, a multiple of 5, Luhn-invalid.
        assert!(Siret::parse("35600000049120").is_ok());
        // Sum 31: neither rule.
        assert!(matches!(
            Siret::parse("35600000049130"),
            Err(ErreurSirene::Cle { .. })
        ));
        // The sum rule is La Poste's only: the same digit sum elsewhere is not enough.
        assert!(Siret::parse("35600100049020").is_err());
    }

    #[test]
    fn siren() {
        assert!(Siren::parse("732 829 320").is_ok());
        assert!(Siren::parse(SIREN_LA_POSTE).is_ok());
        assert!(matches!(
            Siren::parse("732829321"),
            Err(ErreurSirene::Cle { genre: "SIREN", .. })
        ));
        assert!(matches!(
            Siren::parse("73282932"),
            Err(ErreurSirene::Longueur { recu: 8, .. })
        ));
    }

    #[test]
    fn serde_valide() {
        let s: Siret = serde_json::from_str("\"73282932000074\"").unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"73282932000074\"");
        assert!(serde_json::from_str::<Siret>("\"73282932000075\"").is_err());
    }

    fn siret_luhn() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(0u8..10, 13).prop_map(|mut debut| {
            let cle = cle_luhn(&debut);
            debut.push(cle);
            debut
        })
    }

    fn texte(chiffres: &[u8]) -> String {
        chiffres.iter().map(|d| char::from(b'0' + d)).collect()
    }

    proptest! {
        #[test]
        fn tout_numero_luhn_est_accepte(chiffres in siret_luhn()) {
            let t = texte(&chiffres);
            let s = Siret::parse(&t).unwrap();
            prop_assert_eq!(s.as_str(), t.as_str());
        }

        #[test]
        fn tout_changement_d_un_chiffre_est_refuse(
            chiffres in siret_luhn(),
            position in 0usize..14,
            decalage in 1u8..10,
        ) {
            let mut faux = chiffres.clone();
            faux[position] = (faux[position] + decalage) % 10;
            let t = texte(&faux);
            // La Poste's numbers follow the sum-by-5 rule, which does not catch a change of ±5.
            prop_assume!(!t.starts_with(SIREN_LA_POSTE));
            let refuse = matches!(Siret::parse(&t), Err(ErreurSirene::Cle { .. }));
            prop_assert!(refuse, "{} accepté", t);
        }
    }
}
