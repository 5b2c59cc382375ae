//! Numbers, amounts, dates and times written the French way, in one place for every page, export
//! and document: digits grouped by three with a narrow no-break space (U+202F) from 1 000 on, a
//! decimal comma, a no-break space before « € », dates as `31/01/2024`, and
//! times as read on a clock in Paris.
//!
//! The grouping follows the Lexique des règles typographiques en usage à l'Imprimerie nationale
//! (« Nombres »): a thin no-break space between groups of three digits, which keeps a number on one
//! line.

mod heure;

pub use heure::{depuis_heure_de_paris, heure_de_paris};

use time::Date;

/// The narrow no-break space between groups of digits.
pub const ESPACE_FINE: char = '\u{202F}';

/// A whole number: `1 607`, `13 958`, `-20 000` (narrow no-break spaces).
pub fn entier(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let mut s = grouper(&n.unsigned_abs().to_string());
    if n < 0 {
        s.insert(0, '-');
    }
    s
}

/// A number with at most one decimal, rounded once to the tenth: `377`, `3,1`, `15 124`.
pub fn nombre(v: f64) -> String {
    let dixiemes = (v * 10.0).round();
    let signe = if dixiemes < 0.0 { "-" } else { "" };
    let dixiemes = dixiemes.abs() as u64;
    let partie_entiere = entier(dixiemes / 10);
    match dixiemes % 10 {
        0 => format!("{signe}{partie_entiere}"),
        d => format!("{signe}{partie_entiere},{d}"),
    }
}

/// An amount in cents: `63 800,00 €`.
pub fn euros(centimes: i64) -> String {
    referentiel::aip::rendu::euros_fr(i128::from(centimes))
}

/// A date in figures: `31/01/2024`.
pub fn date(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// A moment stored as RFC 3339, read on a clock in Paris: `31/03/2024 à 01:30`; the text itself
/// when it is not one.
pub fn horodatage(texte: &str) -> String {
    heure::horodatage_paris(texte)
}

/// Every decimal number of a machine text written the French way: a decimal comma, digits grouped
/// by three from 1 000 on. Numbers of four digits are left as they are when the text holds other
/// words (a year in a sentence is not a quantity), and fractions (`2017272/29`) are left whole.
pub fn nombres_du_texte(texte: &str) -> String {
    let seul_nombre = texte
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '≈' | ' '));
    let mut sortie = String::with_capacity(texte.len() + 8);
    let mut jeton = String::new();
    let vider = |jeton: &mut String, sortie: &mut String| {
        // A full stop or a slash that ends the number is the sentence's, not the number's.
        let fin = match jeton.chars().last() {
            Some(c @ ('.' | '/')) => {
                jeton.pop();
                Some(c)
            }
            _ => None,
        };
        if jeton.contains('/') || jeton.matches('.').count() > 1 {
            sortie.push_str(jeton);
        } else {
            let (ent, fraction) = match jeton.split_once('.') {
                Some((a, b)) => (a, Some(b)),
                None => (jeton.as_str(), None),
            };
            if ent.len() > 4 || (ent.len() == 4 && (seul_nombre || fraction.is_some())) {
                sortie.push_str(&grouper(ent));
            } else {
                sortie.push_str(ent);
            }
            if let Some(f) = fraction {
                sortie.push(',');
                sortie.push_str(f);
            }
        }
        sortie.extend(fin);
        jeton.clear();
    };
    for c in texte.chars() {
        if c.is_ascii_digit() || ((c == '.' || c == '/') && !jeton.is_empty()) {
            jeton.push(c);
        } else {
            vider(&mut jeton, &mut sortie);
            sortie.push(c);
        }
    }
    vider(&mut jeton, &mut sortie);
    sortie
}

/// One result of a frozen computation's trace, for people: its name in words and its value the
/// French way, an inexact value by its approximation only (`etp_retenus`, `≈1.208333 (exactement
/// 29/24)` → « ETP retenus : ≈ 1,208333 »). The trace itself stays as it was frozen.
pub fn resultat_trace(nom: &str, valeur: &str) -> String {
    let valeur = match valeur.split_once(" (exactement ") {
        Some((approche, _)) => approche,
        None => valeur,
    };
    format!(
        "{} : {}",
        referentiel::aip::rendu::libelle(nom),
        nombres_du_texte(&valeur.replace('≈', "≈\u{a0}"))
    )
}

/// Digits grouped by three with narrow no-break spaces.
fn grouper(chiffres: &str) -> String {
    let n = chiffres.chars().count();
    let mut s = String::with_capacity(chiffres.len() + n / 3 * 3);
    for (i, c) in chiffres.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            s.push(ESPACE_FINE);
        }
        s.push(c);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const F: char = ESPACE_FINE;

    #[test]
    fn les_entiers_sont_groupes_des_mille() {
        assert_eq!(entier(999), "999");
        assert_eq!(entier(1607), format!("1{F}607"));
        assert_eq!(entier(13_958), format!("13{F}958"));
        assert_eq!(entier(1_234_567), format!("1{F}234{F}567"));
        assert_eq!(entier(-20_000), format!("-20{F}000"));
    }

    #[test]
    fn les_nombres_ont_au_plus_une_decimale() {
        assert_eq!(nombre(376.97), "377");
        assert_eq!(nombre(3.06), "3,1");
        assert_eq!(nombre(15_124.0), format!("15{F}124"));
        assert_eq!(nombre(-0.25), "-0,3");
    }

    #[test]
    fn les_montants_et_les_dates() {
        assert_eq!(euros(6_380_000), format!("63{F}800,00\u{a0}€"));
        assert_eq!(euros(-5), "-0,05\u{a0}€");
        assert_eq!(date(date!(2024 - 01 - 31)), "31/01/2024");
    }

    #[test]
    fn les_resultats_d_une_trace_se_lisent_a_la_francaise() {
        assert_eq!(
            resultat_trace("etp_pris_en_compte", "1.45"),
            "ETP pris en compte : 1,45"
        );
        // No fraction and no code reaches people.
        assert_eq!(
            resultat_trace("cout_annualise", "≈69561.103448 (exactement 2017272/29)"),
            format!("coût annualisé d'un ETP : ≈\u{a0}69{F}561,103448")
        );
        assert_eq!(
            resultat_trace("prix_de_revient", "66000"),
            format!("prix de revient retenu : 66{F}000")
        );
        assert_eq!(
            resultat_trace("heures", "1607"),
            format!("heures : 1{F}607")
        );
        assert_eq!(
            nombres_du_texte("art. 3, §VI.1 en 2024."),
            "art. 3, §VI.1 en 2024."
        );
        assert_eq!(
            nombres_du_texte("1607.5 heures en 2024"),
            format!("1{F}607,5 heures en 2024")
        );
    }
}
