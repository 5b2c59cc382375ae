//! Writing conformity findings for people and programs: numbers and dates the French way inside
//! messages, and a report as French text or as JSON.

use serde_json::{Value, json};
use time::Date;

use super::Rapport;
use crate::aip::rendu::decimal_fr;
use crate::exact::{Decimal, Ratio};

/// An exact value the French way: exact when it has at most two decimals (`133`, `0,25`,
/// `2 410,5`), else rounded to two decimals after `≈` (`≈ 133,33`).
pub fn nombre_fr(r: Ratio) -> String {
    if let Some(d) = r.decimal_fini(2) {
        return decimal_fr(d);
    }
    match r.arrondi_decimal(2) {
        Ok(d) => format!("≈\u{a0}{}", decimal_fr(d)),
        Err(_) => r.reduit().to_string(),
    }
}

/// A whole count the French way (`1 607`).
pub(super) fn entier_fr(n: u32) -> String {
    decimal_fr(Decimal::entier(i64::from(n)))
}

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

/// A date the French way (`1er mars 2024`, `12 mars 2024`).
pub fn date_fr(date: Date) -> String {
    let mois = MOIS
        .get(usize::from(u8::from(date.month())) - 1)
        .copied()
        .unwrap_or("?");
    let jour = match date.day() {
        1 => "1er".to_owned(),
        j => j.to_string(),
    };
    format!("{jour} {mois} {}", date.year())
}

impl Rapport {
    /// The report as French text: the overall verdict, then one line per finding.
    pub fn texte(&self) -> String {
        let mut s = format!("Verdict : {}\n", self.verdict().libelle());
        for c in &self.constats {
            s.push_str(&format!(
                "- [{}] {} ({})\n",
                c.verdict.libelle(),
                c.message,
                c.source
            ));
        }
        s
    }

    /// The report as JSON: `{"verdict": …, "constats": [{verdict, code, message, source}…]}`.
    pub fn json(&self) -> Value {
        let constats: Vec<Value> = self
            .constats
            .iter()
            .map(|c| {
                json!({
                    "verdict": c.verdict.code(),
                    "code": c.code,
                    "message": c.message,
                    "source": c.source,
                })
            })
            .collect();
        json!({
            "verdict": self.verdict().code(),
            "constats": constats,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::Constat;
    use super::*;
    use ethnum::I256;
    use time::macros::date;

    #[test]
    fn nombres_a_la_francaise() {
        let r = |n: i64, d: i64| Ratio::new(I256::from(n), I256::from(d)).unwrap();
        assert_eq!(nombre_fr(r(400, 3)), "≈\u{a0}133,33");
        assert_eq!(nombre_fr(r(1, 4)), "0,25");
        assert_eq!(nombre_fr(r(4821, 2)), format!("{},5", entier_fr(2410)));
        assert_eq!(nombre_fr(Ratio::entier(200)), "200");
        assert_eq!(entier_fr(1607), decimal_fr(Decimal::entier(1607)));
        assert!(entier_fr(1607).starts_with('1') && entier_fr(1607).ends_with("607"));
    }

    #[test]
    fn dates_a_la_francaise() {
        assert_eq!(date_fr(date!(2024 - 03 - 01)), "1er mars 2024");
        assert_eq!(date_fr(date!(2025 - 12 - 31)), "31 décembre 2025");
    }

    #[test]
    fn rapport_en_texte_et_json() {
        let r: Rapport = [
            Constat::eligible("a", "Référentiel AIP §II.2", "statut éligible"),
            Constat::avertissement("b", "Référentiel AIP §V", "activité faible"),
        ]
        .into_iter()
        .collect();
        let t = r.texte();
        assert!(t.starts_with("Verdict : à vérifier\n"));
        assert!(t.contains("- [éligible] statut éligible (Référentiel AIP §II.2)"));
        let j = r.json();
        assert_eq!(j["verdict"], "avertissement");
        assert_eq!(j["constats"][1]["code"], "b");
        assert_eq!(j["constats"][0]["source"], "Référentiel AIP §II.2");
    }
}
