//! Opening hours of a place, written in the OpenStreetMap `opening_hours` syntax
//! (`Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00`), the syntax the open-data schemas and the
//! map tools read. The text is checked with the `opening-hours-syntax` parser (docs/adr/0023),
//! kept as typed, and read out in French when its rules are the common kinds (days, hours,
//! public holidays, closed).

use std::fmt::Write as _;

use opening_hours_syntax::rules::day::{HolidayKind, WeekDayRange, Weekday};
use opening_hours_syntax::rules::time::Time;
use opening_hours_syntax::rules::{RuleKind, RuleOperator, RuleSequence};
use serde::{Deserialize, Serialize};

/// The longest opening-hours text accepted, in characters (OpenStreetMap limits a tag's value to
/// 255).
pub const LONGUEUR_MAX_HORAIRES: usize = 255;

/// Examples shown next to the field.
pub const EXEMPLES_HORAIRES: [&str; 4] = [
    "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00",
    "Tu,Th 14:00-18:00",
    "We 09:00-12:00; PH off",
    "Mo-Fr 08:30-17:30",
];

/// Opening hours, valid in the OpenStreetMap `opening_hours` syntax, as typed (trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Horaires(String);

impl Horaires {
    /// Checks the text; on a fault, a French sentence saying what is wrong, with the syntax's
    /// shape and an example.
    pub fn parse(texte: &str) -> Result<Horaires, String> {
        let t = texte.trim();
        if t.is_empty() {
            return Err("à compléter, par exemple « Mo-Fr 09:00-12:00,14:00-17:00 »".to_owned());
        }
        if t.chars().count() > LONGUEUR_MAX_HORAIRES {
            return Err(format!(
                "{LONGUEUR_MAX_HORAIRES} caractères au plus (saisis : {})",
                t.chars().count()
            ));
        }
        match opening_hours_syntax::parse(t) {
            Ok(_) => Ok(Horaires(t.to_owned())),
            Err(opening_hours_syntax::Error::Unsupported(quoi)) => Err(format!(
                "« {t} » utilise une forme que l'annuaire ne sait pas lire ({quoi}) : écrivez les jours et les heures, par exemple « Mo-Fr 09:00-12:00,14:00-17:00 »"
            )),
            Err(_) => Err(format!(
                "« {t} » n'est pas au format des horaires OpenStreetMap : jours en anglais abrégés (Mo, Tu, We, Th, Fr, Sa, Su), plages d'heures HH:MM-HH:MM séparées par des virgules, règles séparées par des points-virgules, par exemple « Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00 »"
            )),
        }
    }

    /// The text as typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The hours in French (« du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h ; le samedi
    /// de 9 h à 12 h »), or `None` when a rule uses a form this reading does not cover (weeks,
    /// months, sunrise…): the page then shows the text as typed.
    pub fn en_francais(&self) -> Option<String> {
        let expression = opening_hours_syntax::parse(&self.0).ok()?;
        let mut phrases = Vec::new();
        for regle in &expression.rules {
            if regle.operator == RuleOperator::Fallback {
                return None;
            }
            phrases.push(lire_regle(regle)?);
        }
        if phrases.is_empty() {
            return None;
        }
        Some(phrases.join(" ; "))
    }
}

fn jour(j: Weekday) -> &'static str {
    match j {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

fn heure(h: u8, m: u8) -> String {
    if m == 0 {
        format!("{h}\u{a0}h")
    } else {
        format!("{h}\u{a0}h\u{a0}{m:02}")
    }
}

fn lire_regle(regle: &RuleSequence) -> Option<String> {
    let jours = &regle.day_selector;
    if !jours.year.is_empty() || !jours.monthday.is_empty() || !jours.week.is_empty() {
        return None;
    }
    let mut parties = Vec::new();
    for plage in &jours.weekday {
        match plage {
            WeekDayRange::Fixed {
                range,
                offset: 0,
                nth_from_start,
                nth_from_end,
            } if !nth_from_start.contains(&false) && !nth_from_end.contains(&false) => {
                if range.start() == range.end() {
                    parties.push(format!("le {}", jour(*range.start())));
                } else {
                    parties.push(format!(
                        "du {} au {}",
                        jour(*range.start()),
                        jour(*range.end())
                    ));
                }
            }
            WeekDayRange::Holiday {
                kind: HolidayKind::Public,
                offset: 0,
            } => parties.push("les jours fériés".to_owned()),
            WeekDayRange::Holiday {
                kind: HolidayKind::School,
                offset: 0,
            } => parties.push("pendant les vacances scolaires".to_owned()),
            _ => return None,
        }
    }
    let mut phrase = if parties.is_empty() {
        "tous les jours".to_owned()
    } else {
        parties.join(", ")
    };
    match regle.kind {
        RuleKind::Closed => {
            phrase.push_str(" : fermé");
        }
        RuleKind::Unknown => {
            phrase.push_str(" : sur rendez-vous ou horaires à confirmer");
        }
        RuleKind::Open => {
            let mut plages = Vec::new();
            for plage in &regle.time_selector.spans {
                let (Time::Fixed(debut), Time::Fixed(fin)) = (&plage.range.start, &plage.range.end)
                else {
                    return None;
                };
                if plage.repeats.is_some() {
                    return None;
                }
                let mut texte = format!("de {}", heure(debut.hour(), debut.minute()));
                if plage.open_end {
                    texte.push_str(" sans heure de fin");
                } else {
                    let _ = write!(texte, " à {}", heure(fin.hour(), fin.minute()));
                }
                plages.push(texte);
            }
            let toute_la_journee = plages.is_empty()
                || (plages.len() == 1
                    && plages[0] == format!("de {} à {}", heure(0, 0), heure(24, 0)));
            if toute_la_journee {
                phrase.push_str(", toute la journée");
            } else {
                phrase.push(' ');
                phrase.push_str(&plages.join(" et "));
            }
        }
    }
    if !regle.comment.is_empty() {
        let _ = write!(phrase, " ({})", regle.comment);
    }
    Some(phrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lecture_en_francais() {
        let h = Horaires::parse("Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off").unwrap();
        assert_eq!(
            h.en_francais().unwrap(),
            "du lundi au vendredi de 9\u{a0}h à 12\u{a0}h et de 14\u{a0}h à 17\u{a0}h\u{a0}30 ; le samedi de 9\u{a0}h à 12\u{a0}h ; les jours fériés : fermé"
        );
    }
}
