//! Dates as French spreadsheets write them (`JJ/MM/AAAA`, or `AAAA-MM-JJ`), as French text
//! (`05/03/2024`), and as ISO text in JSON.

use time::{Date, Month};

/// Reads `05/03/2024`, `5/3/2024` or `2024-03-05`; `None` if it is not a real date.
pub fn lire_date(texte: &str) -> Option<Date> {
    let t = texte.trim();
    let (annee, mois, jour) = if let Some((j, reste)) = t.split_once('/') {
        let (m, a) = reste.split_once('/')?;
        (a, m, j)
    } else {
        let mut parts = t.splitn(3, '-');
        let a = parts.next()?;
        let m = parts.next()?;
        let j = parts.next()?;
        if a.len() != 4 || m.len() != 2 || j.len() != 2 {
            return None;
        }
        (a, m, j)
    };
    let chiffres = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !chiffres(annee, 4, 4) || !chiffres(mois, 1, 2) || !chiffres(jour, 1, 2) {
        return None;
    }
    let mois = Month::try_from(mois.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(annee.parse().ok()?, mois, jour.parse().ok()?).ok()
}

/// `05/03/2024`.
pub fn date_fr(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// `2024-03-05`.
pub fn date_iso(d: Date) -> String {
    format!("{}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The French name of a month, `mars`.
pub fn nom_du_mois(mois: u8) -> &'static str {
    const NOMS: [&str; 12] = [
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
    usize::from(mois)
        .checked_sub(1)
        .and_then(|i| NOMS.get(i))
        .copied()
        .unwrap_or("?")
}

/// Serialises a date as `2024-03-05` (for `#[serde(serialize_with)]`).
pub fn serde_iso<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&date_iso(*d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn formats_acceptes() {
        assert_eq!(lire_date("05/03/2024"), Some(date!(2024 - 03 - 05)));
        assert_eq!(lire_date(" 5/3/2024 "), Some(date!(2024 - 03 - 05)));
        assert_eq!(lire_date("2024-03-05"), Some(date!(2024 - 03 - 05)));
        assert_eq!(lire_date("29/02/2024"), Some(date!(2024 - 02 - 29)));
    }

    #[test]
    fn formats_refuses() {
        for t in [
            "",
            "31/02/2024",
            "29/02/2025",
            "2024-3-5",
            "05/03/24",
            "05-03-2024",
            "2024/03/05",
            "05/13/2024",
            "aa/bb/cccc",
            "05/03/2024 10:00",
            "+5/03/2024",
        ] {
            assert_eq!(lire_date(t), None, "{t}");
        }
    }

    #[test]
    fn ecriture() {
        assert_eq!(date_fr(date!(2024 - 03 - 05)), "05/03/2024");
        assert_eq!(date_iso(date!(2024 - 03 - 05)), "2024-03-05");
        assert_eq!(nom_du_mois(3), "mars");
        assert_eq!(nom_du_mois(0), "?");
        assert_eq!(nom_du_mois(13), "?");
    }
}
