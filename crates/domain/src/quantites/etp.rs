//! Full-time equivalents (ETP): requested, notified and declared staffing, non-negative, with at
//! most four decimals, held as an integer number of ten-thousandths.

use std::fmt;

use referentiel::exact::{Decimal, ErreurDecimal};
use serde::{Deserialize, Serialize};

use super::lecture::{ErreurLecture, lire};

/// Why a text is not a number of FTE we accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurEtp {
    #[error("nombre d'ETP « {texte} » invalide: {raison}")]
    Syntaxe { texte: String, raison: String },
    #[error("nombre d'ETP « {0} » invalide: un nombre d'ETP ne peut pas être négatif")]
    Negatif(String),
    #[error("nombre d'ETP « {0} » invalide: au plus quatre chiffres après la virgule (0,2500)")]
    TropDeDecimales(String),
    #[error("nombre d'ETP « {0} » trop grand")]
    TropGrand(String),
}

/// A number of full-time equivalents, `dix_milliemes / 10 000` (0.25 FTE is 2 500).
///
/// Serialized as the integer number of ten-thousandths.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Etp(u32);

const UNITE: u32 = 10_000;

impl Etp {
    pub const ZERO: Etp = Etp(0);
    pub const UN: Etp = Etp(UNITE);

    pub const fn depuis_dix_milliemes(dix_milliemes: u32) -> Self {
        Etp(dix_milliemes)
    }

    /// The number of ten-thousandths of an FTE (the stored integer).
    pub const fn dix_milliemes(self) -> u32 {
        self.0
    }

    pub const fn est_zero(self) -> bool {
        self.0 == 0
    }

    /// Parses `0,25`, `0.25`, `1`, `1,5000`. At most four decimals; never negative. `-0` reads as
    /// zero: an FTE count stores no sign, so a minus before zero changes nothing and is let through.
    pub fn parse(texte: &str) -> Result<Self, ErreurEtp> {
        let t = texte.trim().to_owned();
        let lu = lire(texte, None).map_err(|e: ErreurLecture| ErreurEtp::Syntaxe {
            texte: t.clone(),
            raison: e.raison(),
        })?;
        if lu.fraction.len() > 4 {
            return Err(ErreurEtp::TropDeDecimales(t));
        }
        let entier: u32 = lu
            .entier
            .parse()
            .map_err(|_| ErreurEtp::TropGrand(t.clone()))?;
        let mut fraction = lu.fraction.clone();
        while fraction.len() < 4 {
            fraction.push('0');
        }
        let fraction: u32 = fraction
            .parse()
            .map_err(|_| ErreurEtp::TropGrand(t.clone()))?;
        let valeur = entier
            .checked_mul(UNITE)
            .and_then(|v| v.checked_add(fraction))
            .ok_or_else(|| ErreurEtp::TropGrand(t.clone()))?;
        if lu.negatif && valeur != 0 {
            return Err(ErreurEtp::Negatif(t));
        }
        Ok(Etp(valeur))
    }

    fn ecrire(self, separateur: char) -> String {
        let entier = self.0 / UNITE;
        let fraction = self.0 % UNITE;
        if fraction == 0 {
            return entier.to_string();
        }
        let fraction = format!("{fraction:04}");
        format!("{entier}{separateur}{}", fraction.trim_end_matches('0'))
    }

    /// `0.25`: the point form, for files and APIs.
    pub fn texte_point(self) -> String {
        self.ecrire('.')
    }

    /// The same number as an exact decimal of the référentiel.
    pub fn decimal(self) -> Result<Decimal, ErreurDecimal> {
        Decimal::new(i128::from(self.0), 4)
    }

    pub fn checked_add(self, autre: Etp) -> Option<Etp> {
        self.0.checked_add(autre.0).map(Etp)
    }
}

impl fmt::Display for Etp {
    /// `0,25`, `1`, `1,5`: French form without trailing zeros; [`Etp::parse`] reads it back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ecrire(','))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn lecture() {
        assert_eq!(Etp::parse("0,25").unwrap(), Etp::depuis_dix_milliemes(2500));
        assert_eq!(Etp::parse("0.25").unwrap(), Etp::depuis_dix_milliemes(2500));
        assert_eq!(Etp::parse("1").unwrap(), Etp::UN);
        assert_eq!(
            Etp::parse(" 1,0001 ").unwrap(),
            Etp::depuis_dix_milliemes(10001)
        );
        assert_eq!(Etp::parse("-0").unwrap(), Etp::ZERO);
        assert_eq!(Etp::parse("0,25").unwrap().to_string(), "0,25");
        assert_eq!(Etp::parse("2.5").unwrap().texte_point(), "2.5");
        assert_eq!(Etp::parse("3").unwrap().to_string(), "3");
        assert_eq!(
            Etp::parse("0,25").unwrap().decimal().unwrap().to_string(),
            "0.2500"
        );
    }

    #[test]
    fn erreurs() {
        assert_eq!(
            Etp::parse("-0,5").unwrap_err().to_string(),
            "nombre d'ETP « -0,5 » invalide: un nombre d'ETP ne peut pas être négatif"
        );
        assert_eq!(
            Etp::parse("0,12345").unwrap_err(),
            ErreurEtp::TropDeDecimales("0,12345".into())
        );
        assert!(matches!(Etp::parse("un"), Err(ErreurEtp::Syntaxe { .. })));
        assert!(matches!(
            Etp::parse("1,2.5"),
            Err(ErreurEtp::Syntaxe { .. })
        ));
        assert!(matches!(Etp::parse("500000"), Err(ErreurEtp::TropGrand(_))));
    }

    proptest! {
        #[test]
        fn aller_retour(n in any::<u32>()) {
            let etp = Etp::depuis_dix_milliemes(n);
            prop_assert_eq!(Etp::parse(&etp.to_string()).unwrap(), etp);
            prop_assert_eq!(Etp::parse(&etp.texte_point()).unwrap(), etp);
        }

        #[test]
        fn lecture_des_decimales(entier in 0u32..400_000, fraction in 0u32..10_000) {
            let attendu = Etp::depuis_dix_milliemes(entier * 10_000 + fraction);
            prop_assert_eq!(Etp::parse(&format!("{entier},{fraction:04}")).unwrap(), attendu);
        }

        #[test]
        fn jamais_negatif(n in 1u32..1_000_000) {
            let texte = format!("-{},{:04}", n / 10_000, n % 10_000);
            let refuse = matches!(Etp::parse(&texte), Err(ErreurEtp::Negatif(_)));
            prop_assert!(refuse, "{} accepté", texte);
        }
    }
}
