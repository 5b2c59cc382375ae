//! Small text helpers for the French messages of the domain: dates as people read them, blank
//! checks on free-text fields.

use time::Date;

/// `31/01/2024`.
pub(crate) fn date_fr(date: Date) -> String {
    format!(
        "{:02}/{:02}/{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// `1er janvier 2025`, `15 mars 2024`: a date in words.
pub(crate) fn date_longue(date: Date) -> String {
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let jour = match date.day() {
        1 => "1er".to_owned(),
        j => j.to_string(),
    };
    let mois = MOIS[usize::from(u8::from(date.month()) - 1)];
    format!("{jour} {mois} {}", date.year())
}

/// True when a free-text field holds nothing but spaces.
pub(crate) fn vide(texte: &str) -> bool {
    texte.trim().is_empty()
}

/// Spaces a number may contain between its groups of digits: space, no-break space, narrow
/// no-break space (the French typographic thousands separator).
pub(crate) fn est_espace(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}
