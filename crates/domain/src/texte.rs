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

/// True when a free-text field holds nothing but spaces and invisible characters.
pub(crate) fn vide(texte: &str) -> bool {
    texte
        .chars()
        .all(|c| c.is_whitespace() || est_invisible(c) || est_espace(c))
}

/// Refuses a free text of a record that breaks the rules of [`TexteLibre`] (too long, a control
/// character); an empty text passes, its absence being the caller's business (a draft may be
/// incomplete).
pub(crate) fn controler(
    action: &'static str,
    champ: &'static str,
    texte: &str,
    long: bool,
) -> Result<(), crate::Refus> {
    if vide(texte) {
        return Ok(());
    }
    let verifie = if long {
        TexteLibre::long(champ, texte)
    } else {
        TexteLibre::court(champ, texte)
    };
    verifie.map(|_| ()).map_err(|e| crate::Refus::Invalide {
        action,
        raison: e.to_string(),
    })
}

/// Spaces a number may contain between its groups of digits: space, no-break space, narrow
/// no-break space (the French typographic thousands separator).
pub(crate) fn est_espace(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

/// The longest short text (a name, a title, a label), in characters.
pub const LONGUEUR_COURTE: usize = 200;
/// The longest long text (a message, a reason, a description), in characters.
pub const LONGUEUR_LONGUE: usize = 10_000;

/// Why a free text typed by a person is refused; each message names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurTexte {
    #[error(
        "{champ} : à remplir (un texte fait seulement d'espaces ou de caractères invisibles ne compte pas)"
    )]
    Vide { champ: &'static str },
    #[error("{champ} : {max} caractères au plus (saisis : {saisis})")]
    TropLong {
        champ: &'static str,
        max: usize,
        saisis: usize,
    },
    #[error("{champ} : caractère de contrôle U+{code:04X} non accepté")]
    Controle { champ: &'static str, code: u32 },
}

/// Characters that show nothing: zero-width spaces and joiners, the word joiner, the byte order
/// mark, the soft hyphen, the Mongolian vowel separator.
fn est_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{ad}' | '\u{180e}'
    )
}

/// A free text typed by a person, checked once the same way for every field: trimmed, not
/// empty once blank and invisible characters are set aside, no control character (a long text
/// keeps its line breaks and tabs), and no longer than its kind allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TexteLibre(String);

impl TexteLibre {
    /// A name, a title, a label: one line of at most [`LONGUEUR_COURTE`] characters.
    pub fn court(champ: &'static str, texte: &str) -> Result<TexteLibre, ErreurTexte> {
        TexteLibre::verifier(champ, texte, LONGUEUR_COURTE, false)
    }

    /// A message, a reason, a description: lines of at most [`LONGUEUR_LONGUE`] characters in all.
    pub fn long(champ: &'static str, texte: &str) -> Result<TexteLibre, ErreurTexte> {
        TexteLibre::verifier(champ, texte, LONGUEUR_LONGUE, true)
    }

    /// `texte` trimmed, when it is a non-empty text of at most `max` characters, with line breaks
    /// and tabs only if `lignes`.
    pub fn verifier(
        champ: &'static str,
        texte: &str,
        max: usize,
        lignes: bool,
    ) -> Result<TexteLibre, ErreurTexte> {
        let texte = texte.trim_matches(|c: char| c.is_whitespace() || est_invisible(c));
        if let Some(c) = texte
            .chars()
            .find(|&c| c.is_control() && !(lignes && matches!(c, '\n' | '\r' | '\t')))
        {
            return Err(ErreurTexte::Controle {
                champ,
                code: u32::from(c),
            });
        }
        if texte
            .chars()
            .all(|c| c.is_whitespace() || est_invisible(c) || est_espace(c))
        {
            return Err(ErreurTexte::Vide { champ });
        }
        let saisis = texte.chars().count();
        if saisis > max {
            return Err(ErreurTexte::TropLong { champ, max, saisis });
        }
        Ok(TexteLibre(texte.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_texte_libre_est_borne_visible_et_sans_controle() {
        assert_eq!(
            TexteLibre::court("Nom", "  Maison des familles ").map(TexteLibre::into_inner),
            Ok("Maison des familles".to_owned())
        );
        assert_eq!(
            TexteLibre::court("Nom", &"a".repeat(10_074)),
            Err(ErreurTexte::TropLong {
                champ: "Nom",
                max: LONGUEUR_COURTE,
                saisis: 10_074
            })
        );
        for invisible in ["\u{200b}\u{200b}", " \u{feff} ", "\u{a0}", ""] {
            assert_eq!(
                TexteLibre::long("Message", invisible),
                Err(ErreurTexte::Vide { champ: "Message" }),
                "{invisible:?}"
            );
        }
        assert_eq!(
            TexteLibre::long("Message", "\u{0}\u{0}"),
            Err(ErreurTexte::Controle {
                champ: "Message",
                code: 0
            })
        );
        assert!(TexteLibre::long("Message", "Bonjour,\r\n\tà bientôt").is_ok());
        assert!(matches!(
            TexteLibre::court("Nom", "a\nb"),
            Err(ErreurTexte::Controle { code: 10, .. })
        ));
        assert!(TexteLibre::court("Nom", "a\u{7f}").is_err());
        let message = TexteLibre::court("Raison sociale", &"x".repeat(201))
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("Raison sociale : 200 caractères au plus"),
            "{message}"
        );
    }
}
