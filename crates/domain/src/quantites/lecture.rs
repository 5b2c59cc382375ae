//! Reading a decimal number written by a person: `1 234,56` (French, spaces between thousands,
//! comma) or `1234.56` (point), into its sign and digits, with a precise reason when it is not one.

use crate::texte::est_espace;

/// A number read from text: sign, integer digits (no separators) and fraction digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NombreLu {
    pub negatif: bool,
    pub entier: String,
    pub fraction: String,
}

/// Why a text is not a decimal number (the callers add what the number is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ErreurLecture {
    Vide,
    Caractere(char),
    DeuxSeparateurs,
    Groupes,
    SansChiffre,
}

impl ErreurLecture {
    pub(crate) fn raison(&self) -> String {
        match self {
            ErreurLecture::Vide => "aucun nombre saisi".to_owned(),
            ErreurLecture::Caractere(c) => format!("caractère « {c} » inattendu"),
            ErreurLecture::DeuxSeparateurs => {
                "un seul séparateur décimal (virgule ou point); les milliers se séparent par des espaces".to_owned()
            }
            ErreurLecture::Groupes => {
                "les milliers se séparent par une espace tous les trois chiffres (1 234 567,89)".to_owned()
            }
            ErreurLecture::SansChiffre => "un chiffre est attendu de chaque côté de la virgule".to_owned(),
        }
    }
}

/// Reads `texte`, after removing `suffixe` (such as `€`) when it ends the text.
pub(crate) fn lire(texte: &str, suffixe: Option<char>) -> Result<NombreLu, ErreurLecture> {
    let mut t = texte.trim_matches(|c: char| c.is_whitespace() || est_espace(c));
    if let Some(s) = suffixe
        && let Some(sans) = t.strip_suffix(s)
    {
        t = sans.trim_end_matches(|c: char| c.is_whitespace() || est_espace(c));
    }
    if t.is_empty() {
        return Err(ErreurLecture::Vide);
    }
    let (negatif, t) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let separateurs = t.matches([',', '.']).count();
    if separateurs > 1 {
        return Err(ErreurLecture::DeuxSeparateurs);
    }
    let (partie_entiere, fraction) = match t.find([',', '.']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t, ""),
    };
    if separateurs == 1 && (fraction.is_empty() || partie_entiere.is_empty()) {
        return Err(ErreurLecture::SansChiffre);
    }
    if let Some(c) = fraction.chars().find(|c| !c.is_ascii_digit()) {
        return Err(ErreurLecture::Caractere(c));
    }
    let groupes: Vec<&str> = partie_entiere.split(est_espace).collect();
    for groupe in &groupes {
        if let Some(c) = groupe.chars().find(|c| !c.is_ascii_digit()) {
            return Err(ErreurLecture::Caractere(c));
        }
    }
    if groupes.len() > 1 {
        let premier_ok = (1..=3).contains(&groupes[0].len());
        if !premier_ok || groupes[1..].iter().any(|g| g.len() != 3) {
            return Err(ErreurLecture::Groupes);
        }
    }
    let entier: String = groupes.concat();
    if entier.is_empty() {
        return Err(ErreurLecture::SansChiffre);
    }
    Ok(NombreLu {
        negatif,
        entier,
        fraction: fraction.to_owned(),
    })
}

/// Writes `n` with a narrow no-break space between groups of three digits (`1 234 567`).
pub(crate) fn grouper_milliers(n: u64) -> String {
    let chiffres = n.to_string();
    let mut sortie = String::with_capacity(chiffres.len() * 2);
    for (i, c) in chiffres.chars().enumerate() {
        if i > 0 && (chiffres.len() - i).is_multiple_of(3) {
            sortie.push('\u{202f}');
        }
        sortie.push(c);
    }
    sortie
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lu(t: &str) -> (bool, String, String) {
        let n = lire(t, Some('€')).unwrap();
        (n.negatif, n.entier, n.fraction)
    }

    #[test]
    fn formes() {
        assert_eq!(lu("1 234,56"), (false, "1234".into(), "56".into()));
        assert_eq!(
            lu("1\u{202f}234\u{a0}567,5 €"),
            (false, "1234567".into(), "5".into())
        );
        assert_eq!(lu("-1234.56"), (true, "1234".into(), "56".into()));
        assert_eq!(lu("+12"), (false, "12".into(), "".into()));
        assert_eq!(lu("12€"), (false, "12".into(), "".into()));
    }

    #[test]
    fn erreurs() {
        assert_eq!(lire(" ", None), Err(ErreurLecture::Vide));
        assert_eq!(lire("1,234.56", None), Err(ErreurLecture::DeuxSeparateurs));
        assert_eq!(lire("1.234,56", None), Err(ErreurLecture::DeuxSeparateurs));
        assert_eq!(lire("12 34", None), Err(ErreurLecture::Groupes));
        assert_eq!(lire("1234 567", None), Err(ErreurLecture::Groupes));
        assert_eq!(lire("12,", None), Err(ErreurLecture::SansChiffre));
        assert_eq!(lire(",5", None), Err(ErreurLecture::SansChiffre));
        assert_eq!(lire("12a", None), Err(ErreurLecture::Caractere('a')));
        assert_eq!(lire("12 €", None), Err(ErreurLecture::Caractere('€')));
        assert_eq!(lire("1,2 3", None), Err(ErreurLecture::Caractere(' ')));
        assert_eq!(lire("--1", None), Err(ErreurLecture::Caractere('-')));
    }

    #[test]
    fn milliers() {
        assert_eq!(grouper_milliers(0), "0");
        assert_eq!(grouper_milliers(999), "999");
        assert_eq!(grouper_milliers(1000), "1\u{202f}000");
        assert_eq!(grouper_milliers(1234567), "1\u{202f}234\u{202f}567");
    }
}
