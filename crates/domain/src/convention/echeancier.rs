//! The instalments (échéancier) of a convention that finances a subsidy decided by amount (every
//! scheme but the AIP, see `dispositifs`): set by the Caf when it draws up the convention, as
//! dates and amounts or as dates and percentages, computed once here into exact cents that sum to
//! the Caf's decided amount, and frozen in the convention. Payments read them, never recompute
//! them.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::quantites::Centimes;
use crate::refus::Refus;
use crate::texte::date_fr;

/// A whole split, in hundredths of a percent: 100 % = 10 000.
pub const CENT_POUR_CENT: u32 = 10_000;

/// The most instalments a convention may set.
///
/// **Interpretation**: a local bound (monthly payments over a year at most), so that a typing
/// error cannot create hundreds of payments; the texts set none.
pub const VERSEMENTS_MAXIMUM: usize = 12;

/// One instalment frozen in the convention: its rank (1, 2, …), the date from which it is due and
/// its amount in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VersementPrevu {
    pub rang: u16,
    #[serde(with = "crate::serde_dates::date")]
    pub date: Date,
    pub montant: Centimes,
}

/// One instalment as the Caf sets it: a date and either an amount or a share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LigneEcheancier {
    /// `montant`: this amount.
    Montant {
        #[serde(with = "crate::serde_dates::date")]
        date: Date,
        montant: Centimes,
    },
    /// `part`: this share of the Caf's amount, in hundredths of a percent (5 000 = 50 %).
    Part {
        #[serde(with = "crate::serde_dates::date")]
        date: Date,
        centiemes_de_pourcent: u32,
    },
}

impl LigneEcheancier {
    fn date(&self) -> Date {
        match self {
            LigneEcheancier::Montant { date, .. } | LigneEcheancier::Part { date, .. } => *date,
        }
    }
}

/// Splits `total` by `parts` (hundredths of a percent summing to [`CENT_POUR_CENT`]) into exact
/// cents.
///
/// **Remainder rule**: every instalment but the last gets its share rounded down to the cent;
/// the last gets what remains, so that the amounts sum to `total` exactly. The last is thus at
/// most `parts.len() - 1` cents above its exact share, never below it.
///
/// `None` when the parts do not sum to 100 %, or `total` is negative.
pub fn repartir(total: Centimes, parts: &[u32]) -> Option<Vec<Centimes>> {
    let somme: u64 = parts.iter().map(|p| u64::from(*p)).sum();
    if somme != u64::from(CENT_POUR_CENT) || total.est_negatif() || parts.is_empty() {
        return None;
    }
    let total_i = i128::from(total.centimes());
    let mut montants = Vec::with_capacity(parts.len());
    let mut reparti: i128 = 0;
    for part in &parts[..parts.len() - 1] {
        let montant = total_i * i128::from(*part) / i128::from(CENT_POUR_CENT);
        reparti += montant;
        montants.push(Centimes::new(i64::try_from(montant).ok()?));
    }
    montants.push(Centimes::new(i64::try_from(total_i - reparti).ok()?));
    Some(montants)
}

/// Computes the instalments of a convention from what the Caf set: at least one, at most
/// [`VERSEMENTS_MAXIMUM`], dated in increasing order within the convention's period
/// (`debut..=fin`), each of more than zero, summing exactly to the Caf's decided amount
/// (`montant_caf`). All lines are amounts, or all are shares.
pub fn etablir_echeancier(
    action: &'static str,
    lignes: &[LigneEcheancier],
    montant_caf: Centimes,
    debut: Date,
    fin: Date,
) -> Result<Vec<VersementPrevu>, Refus> {
    if lignes.is_empty() {
        return Err(Refus::Incomplet {
            action,
            champs: vec!["échéancier (au moins un versement)"],
        });
    }
    if lignes.len() > VERSEMENTS_MAXIMUM {
        return Err(Refus::invalide(
            action,
            format!("l'échéancier compte au plus {VERSEMENTS_MAXIMUM} versements"),
        ));
    }
    if montant_caf <= Centimes::ZERO {
        return Err(Refus::condition(
            action,
            "la Caf n'a accordé aucun montant à ce projet : il n'y a rien à verser",
        ));
    }
    for (rang, ligne) in lignes.iter().enumerate() {
        let date = ligne.date();
        if date < debut || date > fin {
            return Err(Refus::invalide(
                action,
                format!(
                    "le versement n°{} ({}) doit tomber dans la période de la convention, du {} au {}",
                    rang + 1,
                    date_fr(date),
                    date_fr(debut),
                    date_fr(fin)
                ),
            ));
        }
        if rang > 0 && lignes[rang - 1].date() >= date {
            return Err(Refus::invalide(
                action,
                "les dates des versements se suivent, chacune après la précédente",
            ));
        }
    }
    let montants: Vec<Centimes> = if lignes
        .iter()
        .all(|l| matches!(l, LigneEcheancier::Montant { .. }))
    {
        let montants: Vec<Centimes> = lignes
            .iter()
            .filter_map(|l| match l {
                LigneEcheancier::Montant { montant, .. } => Some(*montant),
                LigneEcheancier::Part { .. } => None,
            })
            .collect();
        let total = Centimes::somme(montants.iter().copied())
            .ok_or_else(|| Refus::invalide(action, "le total des versements est trop grand"))?;
        if total != montant_caf {
            return Err(Refus::invalide(
                action,
                format!(
                    "les versements totalisent {total} : ils doivent totaliser exactement la part accordée par la Caf, {montant_caf}"
                ),
            ));
        }
        montants
    } else if lignes
        .iter()
        .all(|l| matches!(l, LigneEcheancier::Part { .. }))
    {
        let parts: Vec<u32> = lignes
            .iter()
            .filter_map(|l| match l {
                LigneEcheancier::Part {
                    centiemes_de_pourcent,
                    ..
                } => Some(*centiemes_de_pourcent),
                LigneEcheancier::Montant { .. } => None,
            })
            .collect();
        repartir(montant_caf, &parts).ok_or_else(|| {
            Refus::invalide(
                action,
                "les pourcentages des versements doivent totaliser exactement 100 %",
            )
        })?
    } else {
        return Err(Refus::invalide(
            action,
            "l'échéancier se donne tout en montants ou tout en pourcentages",
        ));
    };
    if montants.iter().any(|m| *m <= Centimes::ZERO) {
        return Err(Refus::invalide(
            action,
            "chaque versement de l'échéancier a un montant supérieur à zéro",
        ));
    }
    Ok(lignes
        .iter()
        .zip(montants)
        .enumerate()
        .map(|(rang, (ligne, montant))| VersementPrevu {
            rang: u16::try_from(rang + 1).unwrap_or(u16::MAX),
            date: ligne.date(),
            montant,
        })
        .collect())
}

/// Reads a percentage typed by a user (« 50 », « 33,33 », « 12.5 % ») into hundredths of a
/// percent; `None` if it is not a number with at most two decimals between 0 and 100.
pub fn lire_pourcentage(texte: &str) -> Option<u32> {
    let texte = texte.trim().trim_end_matches('%').trim().replace(',', ".");
    let (entier, decimales) = texte.split_once('.').unwrap_or((&texte, ""));
    if entier.is_empty()
        || decimales.len() > 2
        || !entier.chars().all(|c| c.is_ascii_digit())
        || !decimales.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let entier: u32 = entier.parse().ok()?;
    let decimales: u32 = match decimales.len() {
        0 => 0,
        1 => decimales.parse::<u32>().ok()? * 10,
        _ => decimales.parse().ok()?,
    };
    let valeur = entier.checked_mul(100)?.checked_add(decimales)?;
    (valeur <= CENT_POUR_CENT).then_some(valeur)
}
