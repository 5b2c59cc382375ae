//! Legal time in metropolitan France, for the dates and times shown in the dossier's history.
//!
//! Directive 2000/84/CE du Parlement européen et du Conseil du 19 janvier 2001 concernant les
//! dispositions relatives à l'heure d'été, articles 2 and 3: summer time starts on the last
//! Sunday of March and ends on the last Sunday of October, both at 01:00 UTC. Outside it,
//! France is at UTC+1 (CET); during it at UTC+2 (CEST).

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

/// The last Sunday of `mois` of `annee`, at 01:00 UTC.
fn dernier_dimanche_une_heure_utc(annee: i32, mois: Month) -> Option<OffsetDateTime> {
    let mut jour = Date::from_calendar_date(annee, mois, mois.length(annee)).ok()?;
    while jour.weekday() != Weekday::Sunday {
        jour = jour.previous_day()?;
    }
    Some(PrimitiveDateTime::new(jour, Time::from_hms(1, 0, 0).ok()?).assume_utc())
}

/// `instant` as read on a clock in Paris.
pub fn heure_de_paris(instant: OffsetDateTime) -> OffsetDateTime {
    let utc = instant.to_offset(UtcOffset::UTC);
    let annee = utc.year();
    let ete = match (
        dernier_dimanche_une_heure_utc(annee, Month::March),
        dernier_dimanche_une_heure_utc(annee, Month::October),
    ) {
        (Some(debut), Some(fin)) => utc >= debut && utc < fin,
        _ => false,
    };
    let heures = if ete { 2 } else { 1 };
    match UtcOffset::from_hms(heures, 0, 0) {
        Ok(decalage) => utc.to_offset(decalage),
        Err(_) => utc,
    }
}

/// The instant a clock in Paris reads as `locale`: the offset of that date and hour (at the
/// autumn change, the hour that happens twice is read as the first, in summer time; in the
/// spring gap, the hour that does not exist is read at winter offset).
pub fn depuis_heure_de_paris(locale: PrimitiveDateTime) -> OffsetDateTime {
    for heures in [2, 1] {
        if let Ok(decalage) = UtcOffset::from_hms(heures, 0, 0) {
            let instant = locale.assume_offset(decalage);
            if heure_de_paris(instant).offset() == decalage {
                return instant;
            }
        }
    }
    locale.assume_offset(UtcOffset::from_hms(1, 0, 0).unwrap_or(UtcOffset::UTC))
}

/// `2024-03-31T00:30:00Z` → « 31/03/2024 à 01:30 », Paris time.
pub fn horodatage_paris(texte: &str) -> String {
    match OffsetDateTime::parse(texte, &time::format_description::well_known::Rfc3339) {
        Ok(t) => {
            let t = heure_de_paris(t);
            format!(
                "{} à {:02}:{:02}",
                super::date(t.date()),
                t.hour(),
                t.minute()
            )
        }
        Err(_) => texte.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn heure_locale_vers_instant() {
        assert_eq!(
            depuis_heure_de_paris(datetime!(2026-12-15 14:00)),
            datetime!(2026-12-15 13:00 UTC)
        );
        assert_eq!(
            depuis_heure_de_paris(datetime!(2026-07-01 09:30)),
            datetime!(2026-07-01 07:30 UTC)
        );
    }

    #[test]
    fn hiver_a_utc_plus_un_ete_a_utc_plus_deux() {
        assert_eq!(
            heure_de_paris(datetime!(2024-01-15 12:00 UTC)).offset(),
            UtcOffset::from_hms(1, 0, 0).unwrap()
        );
        assert_eq!(
            heure_de_paris(datetime!(2024-07-15 12:00 UTC)).offset(),
            UtcOffset::from_hms(2, 0, 0).unwrap()
        );
    }

    #[test]
    fn les_changements_d_heure_a_une_heure_utc_les_derniers_dimanches() {
        // 2024: summer time from Sunday 31 March to Sunday 27 October.
        assert_eq!(
            heure_de_paris(datetime!(2024-03-31 00:59 UTC)).time(),
            time::macros::time!(01:59)
        );
        assert_eq!(
            heure_de_paris(datetime!(2024-03-31 01:00 UTC)).time(),
            time::macros::time!(03:00)
        );
        assert_eq!(
            heure_de_paris(datetime!(2024-10-27 00:59 UTC)).time(),
            time::macros::time!(02:59)
        );
        assert_eq!(
            heure_de_paris(datetime!(2024-10-27 01:00 UTC)).time(),
            time::macros::time!(02:00)
        );
        // 2026: 29 March and 25 October.
        assert_eq!(
            heure_de_paris(datetime!(2026-03-29 01:00 UTC)).time(),
            time::macros::time!(03:00)
        );
        assert_eq!(
            heure_de_paris(datetime!(2026-10-25 00:30 UTC)).time(),
            time::macros::time!(02:30)
        );
        assert_eq!(
            heure_de_paris(datetime!(2026-10-25 01:30 UTC)).time(),
            time::macros::time!(02:30)
        );
    }

    #[test]
    fn horodatage_affiche() {
        assert_eq!(
            horodatage_paris("2024-07-14T20:05:00Z"),
            "14/07/2024 à 22:05"
        );
        assert_eq!(horodatage_paris("n'importe quoi"), "n'importe quoi");
    }
}
