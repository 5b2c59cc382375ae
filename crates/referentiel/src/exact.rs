//! Exact numbers for rules that handle money: decimals parsed from text without any float, and
//! rationals on 256-bit integers so that every intermediate value of a formula is exact.
//!
//! Bounds: a decimal has at most [`MAX_DECIMALES`] digits after the point and an absolute value
//! below 10^[`MAX_CHIFFRES_ENTIERS`]. With those bounds, every product the AIP formula builds stays
//! far below 2^255, so the checked operations below never fail on valid input; they still return
//! an error rather than wrap, whatever happens.

use std::cmp::Ordering;
use std::fmt;

use ethnum::I256;

/// Most digits accepted after the decimal point.
pub const MAX_DECIMALES: u32 = 9;
/// Most digits accepted before the decimal point.
pub const MAX_CHIFFRES_ENTIERS: u32 = 15;

/// Why a text is not a decimal number we accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurDecimal {
    #[error("n'est pas un nombre décimal (reçu « {0} »)")]
    Syntaxe(String),
    #[error("a plus de {MAX_DECIMALES} chiffres après la virgule (reçu « {0} »)")]
    TropDeDecimales(String),
    #[error(
        "est trop grand: au plus {MAX_CHIFFRES_ENTIERS} chiffres avant la virgule (reçu « {0} »)"
    )]
    TropGrand(String),
}

/// An exact decimal: `unites / 10^echelle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    unites: i128,
    echelle: u32,
}

const POW10: [i128; 25] = {
    let mut t = [1i128; 25];
    let mut i = 1;
    while i < 25 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

impl Decimal {
    pub const ZERO: Decimal = Decimal {
        unites: 0,
        echelle: 0,
    };

    /// A decimal from its integer units and scale (`unites / 10^echelle`).
    pub fn new(unites: i128, echelle: u32) -> Result<Self, ErreurDecimal> {
        if echelle > MAX_DECIMALES {
            return Err(ErreurDecimal::TropDeDecimales(format!(
                "{unites}e-{echelle}"
            )));
        }
        let d = Decimal { unites, echelle };
        if unites.unsigned_abs() >= (POW10[(MAX_CHIFFRES_ENTIERS + echelle) as usize] as u128) {
            return Err(ErreurDecimal::TropGrand(d.to_string()));
        }
        Ok(d)
    }

    /// A whole number.
    pub fn entier(n: i64) -> Self {
        Decimal {
            unites: i128::from(n),
            echelle: 0,
        }
    }

    /// An amount in cents.
    pub fn centimes(c: i64) -> Self {
        Decimal {
            unites: i128::from(c),
            echelle: 2,
        }
    }

    /// Parses `123`, `-4.50`, `1e3`, `2.5E-1`, `.5`, `+7` exactly (the text of a JSON number or
    /// of a decimal written by a person with a point). Trailing zeros after the point are dropped.
    pub fn parse(texte: &str) -> Result<Self, ErreurDecimal> {
        if let Some(d) = Self::parse_court(texte) {
            return Ok(d);
        }
        Self::parse_general(texte)
    }

    /// The common spelling, `123` or `123.45` with at most 18 digits and at most
    /// [`MAX_DECIMALES`] after the point, read on 64 bits; `None` for anything else.
    #[inline]
    fn parse_court(texte: &str) -> Option<Self> {
        let b = texte.as_bytes();
        if b.is_empty() || b.len() > 19 {
            return None;
        }
        let mut unites: u64 = 0;
        let mut point: Option<usize> = None;
        for (i, &c) in b.iter().enumerate() {
            match c {
                b'0'..=b'9' => unites = unites * 10 + u64::from(c - b'0'),
                b'.' if point.is_none() && i > 0 && i + 1 < b.len() => point = Some(i),
                _ => return None,
            }
        }
        let mut echelle = point.map_or(0, |p| (b.len() - p - 1) as u32);
        if echelle > MAX_DECIMALES {
            return None;
        }
        while echelle > 0 && unites.is_multiple_of(10) && unites != 0 {
            unites /= 10;
            echelle -= 1;
        }
        if unites == 0 {
            echelle = 0;
        }
        let unites = i128::from(unites);
        if unites >= POW10[(MAX_CHIFFRES_ENTIERS + echelle) as usize] {
            return None;
        }
        Some(Decimal { unites, echelle })
    }

    fn parse_general(texte: &str) -> Result<Self, ErreurDecimal> {
        let erreur = || ErreurDecimal::Syntaxe(texte.to_owned());
        let b = texte.as_bytes();
        let mut i = 0;
        let negatif = match b.first() {
            Some(b'-') => {
                i = 1;
                true
            }
            Some(b'+') => {
                i = 1;
                false
            }
            _ => false,
        };
        let mut unites: i128 = 0;
        let mut chiffres_significatifs = 0u32;
        let mut decimales: i64 = 0;
        let mut vu_chiffre = false;
        let mut vu_point = false;
        while i < b.len() {
            let c = b[i];
            match c {
                b'0'..=b'9' => {
                    vu_chiffre = true;
                    if unites != 0 || c != b'0' {
                        chiffres_significatifs += 1;
                    }
                    if chiffres_significatifs > 36 {
                        return Err(ErreurDecimal::TropGrand(texte.to_owned()));
                    }
                    unites = unites * 10 + i128::from(c - b'0');
                    if vu_point {
                        decimales += 1;
                    }
                }
                b'.' if !vu_point => vu_point = true,
                b'e' | b'E' => break,
                _ => return Err(erreur()),
            }
            i += 1;
        }
        if !vu_chiffre {
            return Err(erreur());
        }
        let mut exposant: i64 = 0;
        if i < b.len() {
            // b[i] is 'e' or 'E'
            let reste = &texte[i + 1..];
            exposant = reste.parse::<i64>().map_err(|_| erreur())?;
        }
        let mut echelle = decimales.checked_sub(exposant).ok_or_else(erreur)?;
        // Drop trailing zeros after the point, then bring negative scales back to zero.
        while echelle > 0 && unites % 10 == 0 && unites != 0 {
            unites /= 10;
            echelle -= 1;
        }
        if unites == 0 {
            echelle = 0;
        }
        if echelle > i64::from(MAX_DECIMALES) {
            return Err(ErreurDecimal::TropDeDecimales(texte.to_owned()));
        }
        while echelle < 0 {
            if unites.unsigned_abs() >= POW10[24] as u128 {
                return Err(ErreurDecimal::TropGrand(texte.to_owned()));
            }
            unites *= 10;
            echelle += 1;
        }
        let echelle = echelle as u32;
        if unites >= POW10[(MAX_CHIFFRES_ENTIERS + echelle) as usize] {
            return Err(ErreurDecimal::TropGrand(texte.to_owned()));
        }
        Ok(Decimal {
            unites: if negatif { -unites } else { unites },
            echelle,
        })
    }

    pub fn unites(self) -> i128 {
        self.unites
    }

    pub fn echelle(self) -> u32 {
        self.echelle
    }

    pub fn is_negative(self) -> bool {
        self.unites < 0
    }

    pub fn is_zero(self) -> bool {
        self.unites == 0
    }

    /// The same value as an exact rational.
    pub fn ratio(self) -> Ratio {
        Ratio {
            num: I256::from(self.unites),
            den: I256::from(POW10[self.echelle as usize]),
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let signe = if self.unites < 0 { "-" } else { "" };
        let abs = self.unites.unsigned_abs();
        if self.echelle == 0 {
            return write!(f, "{signe}{abs}");
        }
        let p = POW10[self.echelle as usize] as u128;
        write!(
            f,
            "{signe}{}.{:0width$}",
            abs / p,
            abs % p,
            width = self.echelle as usize
        )
    }
}

/// `a × b`, through 128-bit arithmetic when both fit (the common case, several times faster).
#[inline]
fn produit(a: I256, b: I256) -> Result<I256, Depassement> {
    if let (Ok(x), Ok(y)) = (i128::try_from(a), i128::try_from(b))
        && let Some(p) = x.checked_mul(y)
    {
        return Ok(I256::from(p));
    }
    a.checked_mul(b).ok_or(Depassement)
}

/// A computation left the bounds that keep it exact; reported, never wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("dépassement de capacité dans un calcul exact")]
pub struct Depassement;

/// An exact rational `num / den` with `den > 0`, on 256-bit integers. Not kept in lowest terms
/// (reducing costs more than it saves in these short formulas); [`Ratio::reduit`] does it on demand.
#[derive(Debug, Clone, Copy)]
pub struct Ratio {
    num: I256,
    den: I256,
}

// Checked operations that return a `Result` cannot implement `std::ops`; the names say what they do.
#[allow(clippy::should_implement_trait)]
impl Ratio {
    pub const ZERO: Ratio = Ratio {
        num: I256::ZERO,
        den: I256::ONE,
    };

    /// `num / den`; `None` when `den` is zero.
    pub fn new(num: I256, den: I256) -> Option<Self> {
        if den == I256::ZERO {
            None
        } else if den < I256::ZERO {
            Some(Ratio {
                num: -num,
                den: -den,
            })
        } else {
            Some(Ratio { num, den })
        }
    }

    pub fn entier(n: i64) -> Self {
        Ratio {
            num: I256::from(n),
            den: I256::ONE,
        }
    }

    pub fn num(self) -> I256 {
        self.num
    }

    pub fn den(self) -> I256 {
        self.den
    }

    pub fn is_zero(self) -> bool {
        self.num == I256::ZERO
    }

    pub fn is_negative(self) -> bool {
        self.num < I256::ZERO
    }

    pub fn mul(self, autre: Ratio) -> Result<Ratio, Depassement> {
        Ok(Ratio {
            num: produit(self.num, autre.num)?,
            den: produit(self.den, autre.den)?,
        })
    }

    /// `self / autre`; `None` inside the error when `autre` is zero is reported as an overflow,
    /// callers check for zero first.
    pub fn div(self, autre: Ratio) -> Result<Ratio, Depassement> {
        if autre.num == I256::ZERO {
            return Err(Depassement);
        }
        let num = produit(self.num, autre.den)?;
        let den = produit(self.den, autre.num)?;
        Ratio::new(num, den).ok_or(Depassement)
    }

    pub fn sub(self, autre: Ratio) -> Result<Ratio, Depassement> {
        if self.den == autre.den {
            return Ok(Ratio {
                num: self.num.checked_sub(autre.num).ok_or(Depassement)?,
                den: self.den,
            });
        }
        let a = produit(self.num, autre.den)?;
        let b = produit(autre.num, self.den)?;
        Ok(Ratio {
            num: a.checked_sub(b).ok_or(Depassement)?,
            den: produit(self.den, autre.den)?,
        })
    }

    pub fn add(self, autre: Ratio) -> Result<Ratio, Depassement> {
        self.sub(Ratio {
            num: -autre.num,
            den: autre.den,
        })
    }

    /// Exact comparison.
    pub fn compare(self, autre: Ratio) -> Result<Ordering, Depassement> {
        if self.den == autre.den {
            return Ok(self.num.cmp(&autre.num));
        }
        let a = produit(self.num, autre.den)?;
        let b = produit(autre.num, self.den)?;
        Ok(a.cmp(&b))
    }

    pub fn min(self, autre: Ratio) -> Result<Ratio, Depassement> {
        Ok(if self.compare(autre)? == Ordering::Greater {
            autre
        } else {
            self
        })
    }

    /// Rounds to `decimales` digits, half away from zero, and returns the integer number of
    /// those units (for `decimales = 2`: cents).
    pub fn arrondi(self, decimales: u32) -> Result<i128, Depassement> {
        let echelle = I256::from(*POW10.get(decimales as usize).ok_or(Depassement)?);
        let n = produit(self.num, echelle)?;
        let abs = n.unsigned_abs();
        let den = self.den.unsigned_abs();
        // Most values fit in 128 bits, where division is several times faster.
        let (q, r) = match (u128::try_from(abs), u128::try_from(den)) {
            (Ok(a), Ok(d)) => (ethnum::U256::from(a / d), ethnum::U256::from(a % d)),
            _ => (abs / den, abs % den),
        };
        // half away from zero: round up in magnitude when 2r >= den
        let q = if r >= den - r { q + 1 } else { q };
        let q = i128::try_from(q).map_err(|_| Depassement)?;
        Ok(if n < I256::ZERO { -q } else { q })
    }

    /// Rounded to `decimales` digits half away from zero, as a decimal.
    pub fn arrondi_decimal(self, decimales: u32) -> Result<Decimal, Depassement> {
        Ok(Decimal {
            unites: self.arrondi(decimales)?,
            echelle: decimales,
        })
    }

    /// Exact equality of values (`1/2 == 2/4`).
    pub fn egal(self, autre: Ratio) -> bool {
        self.compare(autre) == Ok(Ordering::Equal)
    }

    /// The same value in lowest terms.
    pub fn reduit(self) -> Ratio {
        let g = pgcd(self.num.unsigned_abs(), self.den.unsigned_abs());
        if g <= ethnum::U256::ONE {
            return self;
        }
        let g = g.as_i256();
        Ratio {
            num: self.num / g,
            den: self.den / g,
        }
    }

    /// The value as a finite decimal when it has one with at most `max` digits.
    pub fn decimal_fini(self, max: u32) -> Option<Decimal> {
        let r = self.reduit();
        for d in 0..=max.min(MAX_DECIMALES + 6) {
            let p = I256::from(POW10[d as usize]);
            let n = r.num.checked_mul(p)?;
            if n % r.den == I256::ZERO {
                let unites = i128::try_from(n / r.den).ok()?;
                return Some(Decimal { unites, echelle: d });
            }
        }
        None
    }
}

fn pgcd(mut a: ethnum::U256, mut b: ethnum::U256) -> ethnum::U256 {
    while b != ethnum::U256::ZERO {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl PartialEq for Ratio {
    fn eq(&self, autre: &Ratio) -> bool {
        self.egal(*autre)
    }
}

impl fmt::Display for Ratio {
    /// The exact value: a finite decimal when there is one, else `num/den` in lowest terms.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decimal_fini(12) {
            Some(d) => write!(f, "{d}"),
            None => {
                let r = self.reduit();
                write!(f, "{}/{}", r.num, r.den)
            }
        }
    }
}

/// Writes an integer count of cents as `1234.56` (point, no grouping) into `sortie`.
pub fn ecrire_centimes(sortie: &mut Vec<u8>, centimes: i128) {
    if centimes < 0 {
        sortie.push(b'-');
    }
    let abs = centimes.unsigned_abs();
    ecrire_entier(sortie, abs / 100);
    sortie.push(b'.');
    let c = (abs % 100) as u8;
    sortie.push(b'0' + c / 10);
    sortie.push(b'0' + c % 10);
}

/// Writes a non-negative integer in base ten.
pub fn ecrire_entier(sortie: &mut Vec<u8>, mut n: u128) {
    let mut tampon = [0u8; 40];
    let mut i = tampon.len();
    loop {
        i -= 1;
        tampon[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    sortie.extend_from_slice(&tampon[i..]);
}

/// Cents as a string with two decimals (`"-12960.00"`).
pub fn centimes_texte(centimes: i128) -> String {
    let mut v = Vec::with_capacity(24);
    ecrire_centimes(&mut v, centimes);
    String::from_utf8_lossy(&v).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_decimaux() {
        let d = Decimal::parse("12345.67").unwrap();
        assert_eq!((d.unites(), d.echelle()), (1234567, 2));
        let d = Decimal::parse("-1.50").unwrap();
        assert_eq!((d.unites(), d.echelle()), (-15, 1));
        let d = Decimal::parse("1e3").unwrap();
        assert_eq!((d.unites(), d.echelle()), (1000, 0));
        let d = Decimal::parse("2.5E-1").unwrap();
        assert_eq!((d.unites(), d.echelle()), (25, 2));
        assert_eq!(Decimal::parse("0.000").unwrap(), Decimal::ZERO);
        assert_eq!(Decimal::parse(".5").unwrap().to_string(), "0.5");
        for faux in [
            "",
            "-",
            "1.2.3",
            "abc",
            "1e",
            "1e+",
            "1,5",
            " 1",
            "0x10",
            "1e99999999999999999999",
        ] {
            assert!(Decimal::parse(faux).is_err(), "{faux}");
        }
        assert!(matches!(
            Decimal::parse("0.0000000001"),
            Err(ErreurDecimal::TropDeDecimales(_))
        ));
        assert!(matches!(
            Decimal::parse("1000000000000000"),
            Err(ErreurDecimal::TropGrand(_))
        ));
        assert!(Decimal::parse("999999999999999.999999999").is_ok());
        // Where the short reader answers, it agrees with the general one.
        for t in [
            "0",
            "00012.3400",
            "123456789012345678",
            "0.000000001",
            "7.10",
            "66000",
        ] {
            assert_eq!(
                Decimal::parse_court(t),
                Decimal::parse_general(t).ok(),
                "{t}"
            );
        }
        for t in ["1.", ".5", "-1", "1e3", "1234567890123456789"] {
            assert_eq!(Decimal::parse_court(t), None, "{t}");
        }
    }

    #[test]
    fn arrondi_au_plus_loin_de_zero() {
        let r = |n: i64, d: i64| Ratio::new(I256::from(n), I256::from(d)).unwrap();
        assert_eq!(r(1, 200).arrondi(2).unwrap(), 1); // 0.005 -> 0.01
        assert_eq!(r(-1, 200).arrondi(2).unwrap(), -1); // -0.005 -> -0.01
        assert_eq!(r(1, 300).arrondi(2).unwrap(), 0); // 0.00333
        assert_eq!(r(2, 300).arrondi(2).unwrap(), 1); // 0.00666
        assert_eq!(r(-2, 300).arrondi(2).unwrap(), -1);
        assert_eq!(r(98765360, 10000).arrondi(2).unwrap(), 987654); // 9876.536
    }

    #[test]
    fn affichage() {
        let r = |n: i64, d: i64| Ratio::new(I256::from(n), I256::from(d)).unwrap();
        assert_eq!(r(2, 3).to_string(), "2/3");
        assert_eq!(r(77, 400).to_string(), "0.1925");
        assert_eq!(centimes_texte(-1296000), "-12960.00");
        assert_eq!(centimes_texte(5), "0.05");
        assert_eq!(centimes_texte(-5), "-0.05");
    }
}
