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

/// True when a free-text field holds nothing but spaces.
pub(crate) fn vide(texte: &str) -> bool {
    texte.trim().is_empty()
}

/// Spaces a number may contain between its groups of digits: space, no-break space, narrow
/// no-break space (the French typographic thousands separator).
pub(crate) fn est_espace(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}
