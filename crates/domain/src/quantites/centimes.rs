//! Money: an amount in euros held as an integer number of cents (i64), so that sums are exact;
//! read from `1 234,56 €` or `1234.56`, written the French way.

use std::fmt;

use referentiel::exact::Decimal;
use serde::{Deserialize, Serialize};

use super::lecture::{ErreurLecture, grouper_milliers, lire};

/// Why a text or a computed value is not an amount of money we accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurMontant {
    #[error("montant « {texte} » invalide: {raison}")]
    Syntaxe { texte: String, raison: String },
    #[error("montant « {0} » invalide: au plus deux chiffres après la virgule (les centimes)")]
    TropDeDecimales(String),
    #[error("montant « {0} » trop grand")]
    TropGrand(String),
    #[error(
        "montant « {0} » invalide: un montant négatif n'est pas accepté ici (pas de signe moins, même devant zéro)"
    )]
    Negatif(String),
}

/// An amount in euros, as an integer number of cents. Negative amounts exist (an indu to
/// recover, a balance); whether one is allowed is the rule's business, not the type's.
///
/// Serialized as the integer number of cents.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Centimes(i64);

impl Centimes {
    pub const ZERO: Centimes = Centimes(0);

    pub const fn new(centimes: i64) -> Self {
        Centimes(centimes)
    }

    /// A whole number of euros; `None` when it does not fit.
    pub const fn euros(euros: i64) -> Option<Self> {
        match euros.checked_mul(100) {
            Some(c) => Some(Centimes(c)),
            None => None,
        }
    }

    /// The number of cents.
    pub const fn centimes(self) -> i64 {
        self.0
    }

    pub const fn est_negatif(self) -> bool {
        self.0 < 0
    }

    pub const fn est_zero(self) -> bool {
        self.0 == 0
    }

    pub fn checked_add(self, autre: Centimes) -> Option<Centimes> {
        self.0.checked_add(autre.0).map(Centimes)
    }

    pub fn checked_sub(self, autre: Centimes) -> Option<Centimes> {
        self.0.checked_sub(autre.0).map(Centimes)
    }

    pub fn checked_neg(self) -> Option<Centimes> {
        self.0.checked_neg().map(Centimes)
    }

    /// The sum of `montants`; `None` on overflow.
    pub fn somme(montants: impl IntoIterator<Item = Centimes>) -> Option<Centimes> {
        montants
            .into_iter()
            .try_fold(Centimes::ZERO, |total, m| total.checked_add(m))
    }

    /// Parses `1 234,56`, `1 234,56 €`, `1234.56`, `-12,5`, `1234`. Spaces (ordinary, no-break
    /// or narrow no-break) may only separate groups of three digits; the decimal separator is a
    /// comma or a point, not both; at most two decimals.
    pub fn parse(texte: &str) -> Result<Self, ErreurMontant> {
        let syntaxe = |e: ErreurLecture| ErreurMontant::Syntaxe {
            texte: texte.trim().to_owned(),
            raison: e.raison(),
        };
        let lu = lire(texte, Some('€')).map_err(syntaxe)?;
        if lu.fraction.len() > 2 {
            return Err(ErreurMontant::TropDeDecimales(texte.trim().to_owned()));
        }
        let trop_grand = || ErreurMontant::TropGrand(texte.trim().to_owned());
        let euros: i64 = lu.entier.parse().map_err(|_| trop_grand())?;
        let mut fraction = lu.fraction.clone();
        while fraction.len() < 2 {
            fraction.push('0');
        }
        let cents: i64 = fraction.parse().map_err(|_| trop_grand())?;
        let total = euros
            .checked_mul(100)
            .and_then(|c| c.checked_add(cents))
            .ok_or_else(trop_grand)?;
        Ok(Centimes(if lu.negatif { -total } else { total }))
    }

    /// [`Centimes::parse`] for an amount that cannot be negative (an allocation, expenses, a
    /// funder's share…): any minus sign is refused, `-0` included, since a sign typed in such a
    /// field is a mistake to point out rather than a value to guess.
    pub fn parse_non_negatif(texte: &str) -> Result<Self, ErreurMontant> {
        let montant = Centimes::parse(texte)?;
        let signe = lire(texte, Some('€')).is_ok_and(|lu| lu.negatif);
        if montant.est_negatif() || signe {
            return Err(ErreurMontant::Negatif(texte.trim().to_owned()));
        }
        Ok(montant)
    }

    /// `1234.56`, `-0.05`: the point form, for files and APIs.
    pub fn texte_point(self) -> String {
        let signe = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{signe}{}.{:02}", abs / 100, abs % 100)
    }

    /// The same amount as an exact decimal of the référentiel, in euros.
    pub fn decimal(self) -> Decimal {
        Decimal::centimes(self.0)
    }

    /// A number of cents computed by the référentiel (i128) as an amount.
    pub fn depuis_i128(centimes: i128) -> Result<Self, ErreurMontant> {
        i64::try_from(centimes)
            .map(Centimes)
            .map_err(|_| ErreurMontant::TropGrand(centimes.to_string()))
    }
}

impl fmt::Display for Centimes {
    /// `1 234,56 €` with a narrow no-break space between thousands and a no-break space before
    /// the euro sign, as French typography writes it; [`Centimes::parse`] reads it back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let signe = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(
            f,
            "{signe}{},{:02}\u{a0}€",
            grouper_milliers(abs / 100),
            abs % 100
        )
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn un_montant_non_negatif_refuse_tout_signe_moins() {
        for texte in ["-0", "-0,00", " -0 €", "-1 000", "-0.01"] {
            assert_eq!(
                Centimes::parse_non_negatif(texte),
                Err(ErreurMontant::Negatif(texte.trim().to_owned())),
                "{texte}"
            );
        }
        assert_eq!(Centimes::parse_non_negatif("0"), Ok(Centimes::ZERO));
        assert_eq!(
            Centimes::parse_non_negatif("+12,5"),
            Ok(Centimes::new(1250))
        );
        assert!(matches!(
            Centimes::parse_non_negatif("abc"),
            Err(ErreurMontant::Syntaxe { .. })
        ));
    }

    #[test]
    fn lecture() {
        assert_eq!(Centimes::parse("1 234,56").unwrap(), Centimes::new(123456));
        assert_eq!(Centimes::parse("1234.56").unwrap(), Centimes::new(123456));
        assert_eq!(Centimes::parse("1234,5 €").unwrap(), Centimes::new(123450));
        assert_eq!(Centimes::parse("-12").unwrap(), Centimes::new(-1200));
        assert_eq!(Centimes::parse("0,07").unwrap(), Centimes::new(7));
        assert_eq!(
            Centimes::parse("3 000 000").unwrap(),
            Centimes::euros(3_000_000).unwrap()
        );
    }

    #[test]
    fn erreurs() {
        assert_eq!(
            Centimes::parse("12,345").unwrap_err().to_string(),
            "montant « 12,345 » invalide: au plus deux chiffres après la virgule (les centimes)"
        );
        assert_eq!(
            Centimes::parse("1.234,56").unwrap_err().to_string(),
            "montant « 1.234,56 » invalide: un seul séparateur décimal (virgule ou point); les milliers se séparent par des espaces"
        );
        assert!(matches!(
            Centimes::parse("douze"),
            Err(ErreurMontant::Syntaxe { .. })
        ));
        assert!(matches!(
            Centimes::parse(""),
            Err(ErreurMontant::Syntaxe { .. })
        ));
        assert!(matches!(
            Centimes::parse("92233720368547758,08"),
            Err(ErreurMontant::TropGrand(_))
        ));
        assert!(matches!(
            Centimes::parse("999999999999999999999999"),
            Err(ErreurMontant::TropGrand(_))
        ));
    }

    #[test]
    fn ecriture() {
        assert_eq!(Centimes::new(123456).to_string(), "1\u{202f}234,56\u{a0}€");
        assert_eq!(Centimes::new(-5).to_string(), "-0,05\u{a0}€");
        assert_eq!(Centimes::new(-5).texte_point(), "-0.05");
        assert_eq!(Centimes::new(300_000_000).texte_point(), "3000000.00");
        assert_eq!(serde_json::to_string(&Centimes::new(1250)).unwrap(), "1250");
    }

    proptest! {
        #[test]
        fn aller_retour_francais(c in (i64::MIN + 1)..=i64::MAX) {
            let m = Centimes::new(c);
            prop_assert_eq!(Centimes::parse(&m.to_string()).unwrap(), m);
        }

        #[test]
        fn aller_retour_point(c in (i64::MIN + 1)..=i64::MAX) {
            let m = Centimes::new(c);
            prop_assert_eq!(Centimes::parse(&m.texte_point()).unwrap(), m);
        }

        #[test]
        fn lecture_des_euros_et_centimes(euros in 0i64..10_000_000_000, cents in 0i64..100) {
            let attendu = Centimes::new(euros * 100 + cents);
            prop_assert_eq!(Centimes::parse(&format!("{euros},{cents:02}")).unwrap(), attendu);
            prop_assert_eq!(Centimes::parse(&format!("{euros}.{cents:02}")).unwrap(), attendu);
            let groupe = format!("{},{cents:02}", grouper_milliers(euros as u64)).replace('\u{202f}', " ");
            prop_assert_eq!(Centimes::parse(&groupe).unwrap(), attendu);
        }
    }
}
