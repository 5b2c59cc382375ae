//! The comité des financeurs as a sitting across all schemes (Lettre circulaire Cnaf 2012-093,
//! §43): a sitting is one département's comité on one date; its agenda gathers the dossiers of
//! every scheme presented for that date, grouped by scheme; its financing plan adds up, funder by
//! funder, scheme by scheme and year by year, what the dossiers ask and what each funder decided.
//! Pure computations over the recorded dossiers and decisions: each amount is read where its
//! owner keeps it (the financing plan of the project, the share each funder recorded in the
//! decision), never recomputed another way.
//!
//! « Ce comité pourrait être chargé d'examiner conjointement les demandes de financements pour
//! les différents dispositifs afin de veiller à la cohérence des financements apportés, dans le
//! respect des compétences de chacun des organismes. Chaque financeur doit en effet rester maître
//! des règles d'attribution de ses crédits. » (Lettre circulaire Cnaf 2012-093, §43.)

pub mod criteres;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::appel_a_projets::Dispositif;
use crate::decision::{AvisFinanceur, Decision, IssueDecision, ObjetDecision};
use crate::dossier::Dossier;
use crate::identifiants::{CodeDepartement, DossierId};
use crate::quantites::Centimes;
use crate::structures::Cofinanceur;

/// One sitting of a département's comité des financeurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Seance {
    pub departement: CodeDepartement,
    #[serde(with = "crate::serde_dates::date")]
    pub date: Date,
}

/// One dossier on a sitting's agenda, with the comité's decision taken at that sitting, if any.
#[derive(Debug, Clone, Copy)]
pub struct Point<'a> {
    pub dossier: &'a Dossier,
    pub decision: Option<&'a Decision>,
}

/// The dossiers of one scheme on a sitting's agenda.
#[derive(Debug, Clone)]
pub struct Rubrique<'a> {
    pub dispositif: Dispositif,
    pub points: Vec<Point<'a>>,
}

/// The sittings `dossiers` and `decisions` show: every (département, date) for which a dossier is
/// presented, and every (département, date) of a comité's decision on a project (a dossier
/// postponed and presented again keeps the sitting that postponed it). Newest first.
pub fn seances(dossiers: &[Dossier], decisions: &[Decision]) -> Vec<Seance> {
    let mut toutes: Vec<Seance> = dossiers
        .iter()
        .filter_map(|d| {
            d.date_comite.map(|date| Seance {
                departement: d.departement,
                date,
            })
        })
        .chain(
            decisions
                .iter()
                .filter(|x| x.objet == ObjetDecision::Projet)
                .map(|x| Seance {
                    departement: x.departement,
                    date: x.date_comite,
                }),
        )
        .collect();
    toutes.sort_by(|a, b| b.date.cmp(&a.date).then(a.departement.cmp(&b.departement)));
    toutes.dedup();
    toutes
}

/// The comité's decision on `dossier` taken at `seance` (the last one recorded, if several).
pub fn decision_de_la_seance(
    seance: Seance,
    dossier: DossierId,
    decisions: &[Decision],
) -> Option<&Decision> {
    decisions
        .iter()
        .filter(|x| {
            x.dossier == dossier
                && x.objet == ObjetDecision::Projet
                && x.date_comite == seance.date
                && x.departement == seance.departement
        })
        .max_by_key(|x| x.id)
}

/// The agenda of `seance`: the dossiers presented for its date (or decided at it), grouped by
/// scheme in the order of the circular ([`Dispositif::TOUS`]), each with the decision taken at
/// the sitting. Schemes with no dossier are left out.
pub fn ordre_du_jour<'a>(
    seance: Seance,
    dossiers: &'a [Dossier],
    decisions: &'a [Decision],
) -> Vec<Rubrique<'a>> {
    let points: Vec<Point<'a>> = dossiers
        .iter()
        .filter(|d| d.departement == seance.departement)
        .filter_map(|d| {
            let decision = decision_de_la_seance(seance, d.id, decisions);
            (d.date_comite == Some(seance.date) || decision.is_some()).then_some(Point {
                dossier: d,
                decision,
            })
        })
        .collect();
    Dispositif::TOUS
        .into_iter()
        .filter_map(|dispositif| {
            let mut du_dispositif: Vec<Point<'a>> = points
                .iter()
                .copied()
                .filter(|p| p.dossier.dispositif == dispositif)
                .collect();
            du_dispositif.sort_by_key(|p| p.dossier.id);
            (!du_dispositif.is_empty()).then_some(Rubrique {
                dispositif,
                points: du_dispositif,
            })
        })
        .collect()
}

/// What `financeur` granted by `decision`: its recorded share when it granted it and the comité
/// validated the project, else zero. For the Caf it is [`Decision::engagement_caf`], the amount
/// the rest of the platform commits.
pub fn montant_accorde(decision: &Decision, financeur: Cofinanceur) -> Centimes {
    match decision.part(financeur) {
        Some(p) if p.avis == AvisFinanceur::Accorde && decision.issue == IssueDecision::Valide => {
            p.montant
        }
        _ => Centimes::ZERO,
    }
}

/// One line of a financing plan: for one funder, one scheme and one year, the amount the
/// dossiers ask of it and the amount it granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LignePlan {
    pub financeur: Cofinanceur,
    pub dispositif: Dispositif,
    pub annee: i32,
    pub demande: Centimes,
    pub decide: Centimes,
}

/// A sum too large for an amount: the plan cannot be shown as exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("le total du plan de financement dépasse le plus grand montant représentable")]
pub struct TotalTropGrand;

fn ajouter(total: &mut Centimes, montant: Centimes) -> Result<(), TotalTropGrand> {
    *total = total.checked_add(montant).ok_or(TotalTropGrand)?;
    Ok(())
}

/// The financing plan by funder × scheme × year:
/// - **requested**: each dossier presented to a comité (it has a comité date), for each line of
///   its financing plan, in the year of that comité;
/// - **decided**: each decision of a comité (on the project, or a later notification that
///   commits an additional amount), for each funder's share it granted on a validated project
///   ([`montant_accorde`]), in the year of that comité.
///
/// Lines are sorted by funder (the Caf first), scheme (in the circular's order), year.
pub fn plan_financement(
    dossiers: &[&Dossier],
    decisions: &[&Decision],
) -> Result<Vec<LignePlan>, TotalTropGrand> {
    let dispositif_de: BTreeMap<DossierId, Dispositif> =
        dossiers.iter().map(|d| (d.id, d.dispositif)).collect();
    let rang = |d: Dispositif| Dispositif::TOUS.iter().position(|x| *x == d).unwrap_or(0);
    let mut lignes: BTreeMap<(Cofinanceur, usize, i32), (Dispositif, Centimes, Centimes)> =
        BTreeMap::new();
    for d in dossiers {
        let Some(date) = d.date_comite else { continue };
        for demande in &d.projet.plan_financement {
            let ligne = lignes
                .entry((demande.financeur, rang(d.dispositif), date.year()))
                .or_insert((d.dispositif, Centimes::ZERO, Centimes::ZERO));
            ajouter(&mut ligne.1, demande.montant)?;
        }
    }
    for x in decisions {
        let Some(dispositif) = dispositif_de.get(&x.dossier).copied() else {
            continue;
        };
        for part in &x.parts {
            let montant = montant_accorde(x, part.financeur);
            if montant.est_zero() {
                continue;
            }
            let ligne = lignes
                .entry((part.financeur, rang(dispositif), x.date_comite.year()))
                .or_insert((dispositif, Centimes::ZERO, Centimes::ZERO));
            ajouter(&mut ligne.2, montant)?;
        }
    }
    Ok(lignes
        .into_iter()
        .map(
            |((financeur, _, annee), (dispositif, demande, decide))| LignePlan {
                financeur,
                dispositif,
                annee,
                demande,
                decide,
            },
        )
        .collect())
}

/// The totals of `lignes` (requested, decided).
pub fn totaux(lignes: &[LignePlan]) -> Result<(Centimes, Centimes), TotalTropGrand> {
    let mut demande = Centimes::ZERO;
    let mut decide = Centimes::ZERO;
    for l in lignes {
        ajouter(&mut demande, l.demande)?;
        ajouter(&mut decide, l.decide)?;
    }
    Ok((demande, decide))
}

/// One scheme's budget in one year: what the Caf granted, what all the funders granted, and the
/// change of the Caf's amount from the year before, in tenths of a percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetAnnuel {
    pub dispositif: Dispositif,
    pub annee: i32,
    pub decide_caf: Centimes,
    pub decide_financeurs: Centimes,
    /// `None` for the first year shown, or when the year before granted nothing (no base to
    /// measure a change from).
    pub evolution_dixiemes: Option<i64>,
}

/// The change from `avant` to `apres`, in tenths of a percent, rounded half away from zero
/// (`+8,4 %` is `84`); `None` when `avant` is not positive.
pub fn evolution_dixiemes(avant: Centimes, apres: Centimes) -> Option<i64> {
    let avant = i128::from(avant.centimes());
    if avant <= 0 {
        return None;
    }
    let ecart = i128::from(apres.centimes()) - avant;
    // Twice the value in tenths, truncated toward zero, then halved away from zero: exact
    // rounding of a half.
    let double = ecart * 2000 / avant;
    i64::try_from((double + double.signum()) / 2).ok()
}

/// Each scheme's budget year on year, from the lines of a financing plan: for every scheme with
/// a grant, every year from its first to its last (a year without grants shows zero), with the
/// change of the Caf's amount from the year before. In the circular's order of schemes.
pub fn budgets_par_dispositif(lignes: &[LignePlan]) -> Result<Vec<BudgetAnnuel>, TotalTropGrand> {
    let mut sortie = Vec::new();
    for dispositif in Dispositif::TOUS {
        let mut par_annee: BTreeMap<i32, (Centimes, Centimes)> = BTreeMap::new();
        for l in lignes
            .iter()
            .filter(|l| l.dispositif == dispositif && !l.decide.est_zero())
        {
            let annee = par_annee
                .entry(l.annee)
                .or_insert((Centimes::ZERO, Centimes::ZERO));
            if l.financeur == Cofinanceur::Caf {
                ajouter(&mut annee.0, l.decide)?;
            }
            ajouter(&mut annee.1, l.decide)?;
        }
        let (Some(premiere), Some(derniere)) = (
            par_annee.keys().next().copied(),
            par_annee.keys().last().copied(),
        ) else {
            continue;
        };
        let mut precedent: Option<Centimes> = None;
        for annee in premiere..=derniere {
            let (caf, tous) = par_annee
                .get(&annee)
                .copied()
                .unwrap_or((Centimes::ZERO, Centimes::ZERO));
            sortie.push(BudgetAnnuel {
                dispositif,
                annee,
                decide_caf: caf,
                decide_financeurs: tous,
                evolution_dixiemes: precedent.and_then(|p| evolution_dixiemes(p, caf)),
            });
            precedent = Some(caf);
        }
    }
    Ok(sortie)
}

#[cfg(test)]
mod tests;
