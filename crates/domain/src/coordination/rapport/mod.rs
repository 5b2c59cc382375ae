//! The coordination instance's annual report for one year: its composition, its séances, the
//! decisions of their minutes, the financing by funder and scheme, the actions carried out, the
//! coverage of the offer and a few indicators. Pure assembly from the records read elsewhere;
//! amounts are the ones `crate::comite::plan_financement` computed, never recomputed.
//!
//! **Interpretation**: no text fixes the content of the instance's report; its model is the
//! annual report of the conférences des financeurs de la prévention de la perte d'autonomie
//! (composition, séances, programme, financing, actions, beneficiaries, attached diagnosis),
//! sent by 30 June of the next year (docs/rapport-annuel.md). The Lettre circulaire Cnaf
//! 2012-093 §3 asks the instance for « une évaluation annuelle » that feeds the national
//! committee: this report is that evaluation.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::compte_rendu::EtatCompteRendu;
use super::instance::{FormeInstance, Instance, Niveau};
use super::membre::{Membre, RoleMembre};
use super::plans::ActionPlan;
use super::seance::{EtatSeance, Seance};
use crate::appel_a_projets::Dispositif;
use crate::comite::LignePlan;
use crate::identifiants::{CodeDepartement, FinanceurId};
use crate::structures::Cofinanceur;
use crate::territoire::couverture::DiagnosticCouverture;

/// The last day for sending the report of `annee`: 30 June of the next year, as for the
/// conférences des financeurs' report (see the module's interpretation).
pub fn date_limite(annee: i32) -> Option<Date> {
    Date::from_calendar_date(annee + 1, Month::June, 30).ok()
}

/// A member of the instance during the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LigneComposition {
    pub role: RoleMembre,
    pub organisation: String,
    pub personne: String,
    #[serde(with = "crate::serde_dates::date")]
    pub mandat_fin: Date,
}

/// A séance of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LigneSeance {
    #[serde(with = "crate::serde_dates::date")]
    pub date: Date,
    pub titre: String,
    pub niveau: Niveau,
    pub etat: EtatSeance,
    /// Whether the quorum was reached; `None` for a séance not held.
    pub quorum_atteint: Option<bool>,
    /// Members counted, present and represented, for a held séance.
    pub membres: u32,
    pub presents: u32,
    pub representes: u32,
    /// Where its minutes stand; `None` when none is written.
    pub compte_rendu: Option<EtatCompteRendu>,
}

/// A decision recorded in the minutes of a séance of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LigneDecision {
    #[serde(with = "crate::serde_dates::date")]
    pub date: Date,
    pub seance: String,
    pub texte: String,
}

/// The financing of one scheme by one funder in the year, as the comité's financing plan has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LigneFinancement {
    pub financeur: String,
    pub dispositif: Dispositif,
    /// Asked of the funder by the dossiers presented to a comité of the year, in cents.
    pub demande_centimes: i64,
    /// Granted by the funder at the comités of the year, in cents.
    pub decide_centimes: i64,
}

/// Where an action of the report comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrigineAction {
    /// Decided at a séance of the year (its minutes).
    CompteRendu,
    /// An action of the département's action plan due in the year.
    PlanDAction,
}

impl OrigineAction {
    pub fn code(self) -> &'static str {
        match self {
            OrigineAction::CompteRendu => "compte_rendu",
            OrigineAction::PlanDAction => "plan_d_action",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            OrigineAction::CompteRendu => "compte rendu de séance",
            OrigineAction::PlanDAction => "plan d'action",
        }
    }
}

/// An action of the year and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LigneAction {
    pub origine: OrigineAction,
    pub libelle: String,
    pub porteur: String,
    #[serde(with = "crate::serde_dates::date")]
    pub echeance: Date,
    /// The status's code (`a_faire`, `a_engager`, `en_cours`, `realisee`, `abandonnee`).
    pub statut: String,
    pub statut_libelle: String,
    pub realisee: bool,
}

/// The coverage of the offer of one scheme, from the département's diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LigneCouverture {
    pub dispositif: Dispositif,
    pub rayon_km: f64,
    /// Places of the offer in the département.
    pub lieux: u32,
    pub communes: u32,
    /// Communes with no place of the offer within `rayon_km`.
    pub communes_sans_offre: u32,
    pub population_sans_offre: u64,
}

/// The report's key figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicateurs {
    pub membres: u32,
    pub seances_tenues: u32,
    pub seances_annulees: u32,
    pub seances_quorum_atteint: u32,
    /// Present and represented members over the members counted, over the held séances, in
    /// tenths of a percent; `None` without a held séance.
    pub taux_presence_dixiemes: Option<u32>,
    pub decisions: u32,
    pub demande_centimes: i64,
    pub decide_centimes: i64,
    pub actions: u32,
    pub actions_realisees: u32,
    /// Realised actions over all the actions of the year, in tenths of a percent.
    pub part_actions_realisees_dixiemes: Option<u32>,
    pub lieux: u32,
    /// Communes with no place of any scheme diagnosed within the distance (0 without a
    /// diagnosis).
    pub communes_sans_offre: u32,
}

/// The annual report of an instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RapportAnnuel {
    pub departement: CodeDepartement,
    pub nom_departement: String,
    pub annee: i32,
    pub appellation: String,
    pub forme: FormeInstance,
    #[serde(with = "crate::serde_dates::date")]
    pub date_limite: Date,
    pub composition: Vec<LigneComposition>,
    pub seances: Vec<LigneSeance>,
    pub decisions: Vec<LigneDecision>,
    pub financement: Vec<LigneFinancement>,
    pub actions: Vec<LigneAction>,
    pub couverture: Vec<LigneCouverture>,
    pub indicateurs: Indicateurs,
}

/// What the report is assembled from.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub instance: &'a Instance,
    pub membres: &'a [Membre],
    pub seances: &'a [Seance],
    /// The comité's financing plan of the département (every year: the report keeps `annee`).
    pub financement: &'a [LignePlan],
    pub noms_financeurs: &'a BTreeMap<FinanceurId, String>,
    pub plan_d_action: &'a [ActionPlan],
    /// The département's diagnosis, one per scheme.
    pub couverture: &'a [(Dispositif, DiagnosticCouverture)],
}

/// `partie` over `tout` in tenths of a percent, rounded half up; `None` when `tout` is zero.
pub fn dixiemes_de_pourcent(partie: u64, tout: u64) -> Option<u32> {
    if tout == 0 {
        return None;
    }
    let double = u128::from(partie) * 2000 / u128::from(tout);
    u32::try_from(double.div_ceil(2)).ok()
}

/// `842` as `84,2 %`.
pub fn pourcent_fr(dixiemes: Option<u32>) -> String {
    dixiemes.map_or("–".to_owned(), |d| format!("{},{} %", d / 10, d % 10))
}

/// The communes that no diagnosis of `couverture` finds covered: without a place of any scheme
/// within the distance (communes of unknown position are not measured, so never counted).
fn sans_aucune_offre(couverture: &[(Dispositif, DiagnosticCouverture)]) -> u32 {
    let mut diagnostics = couverture.iter().map(|(_, d)| d);
    let Some(premier) = diagnostics.next() else {
        return 0;
    };
    let mut restantes: BTreeSet<String> = premier
        .non_couvertes()
        .map(|c| c.code.to_string())
        .collect();
    for d in diagnostics {
        let couvertes_ailleurs: BTreeSet<String> =
            d.non_couvertes().map(|c| c.code.to_string()).collect();
        restantes.retain(|c| couvertes_ailleurs.contains(c));
    }
    u32::try_from(restantes.len()).unwrap_or(u32::MAX)
}

/// The report of `annee` from `sources`.
pub fn etablir(sources: Sources<'_>, annee: i32) -> RapportAnnuel {
    let debut = Date::from_calendar_date(annee, Month::January, 1).unwrap_or(Date::MIN);
    let fin = Date::from_calendar_date(annee, Month::December, 31).unwrap_or(Date::MAX);
    let instance = sources.instance;

    let mut composition: Vec<LigneComposition> = sources
        .membres
        .iter()
        .filter(|m| m.mandat_debut <= fin && m.mandat_fin >= debut)
        .map(|m| LigneComposition {
            role: m.role,
            organisation: m.organisation.clone(),
            personne: m.personne.clone(),
            mandat_fin: m.mandat_fin,
        })
        .collect();
    composition.sort_by(|a, b| {
        (a.role, &a.organisation, &a.personne).cmp(&(b.role, &b.organisation, &b.personne))
    });

    let mut de_l_annee: Vec<&Seance> = sources
        .seances
        .iter()
        .filter(|s| s.debut.date().year() == annee)
        .collect();
    de_l_annee.sort_by_key(|s| (s.debut, s.id));

    let mut seances = Vec::new();
    let mut decisions = Vec::new();
    let mut actions = Vec::new();
    for s in &de_l_annee {
        let tenue = s.etat == EtatSeance::Tenue;
        let quorum = s.quorum.filter(|_| tenue);
        seances.push(LigneSeance {
            date: s.debut.date(),
            titre: s.titre.clone(),
            niveau: s.niveau,
            etat: s.etat,
            quorum_atteint: quorum.map(|q| q.atteint),
            membres: quorum.map_or(0, |q| q.membres),
            presents: quorum.map_or(0, |q| q.presents),
            representes: quorum.map_or(0, |q| q.representes),
            compte_rendu: s.compte_rendu.as_ref().map(|c| c.etat),
        });
        if let Some(cr) = &s.compte_rendu {
            decisions.extend(cr.decisions.iter().map(|texte| LigneDecision {
                date: s.debut.date(),
                seance: s.titre.clone(),
                texte: texte.clone(),
            }));
            actions.extend(cr.actions.iter().map(|a| LigneAction {
                origine: OrigineAction::CompteRendu,
                libelle: a.libelle.clone(),
                porteur: a.porteur.clone(),
                echeance: a.echeance,
                statut: a.statut.code().to_owned(),
                statut_libelle: a.statut.libelle().to_owned(),
                realisee: a.statut == super::compte_rendu::StatutAction::Realisee,
            }));
        }
    }
    actions.extend(
        sources
            .plan_d_action
            .iter()
            .filter(|a| a.echeance.year() == annee)
            .map(|a| LigneAction {
                origine: OrigineAction::PlanDAction,
                libelle: a.intitule.clone(),
                porteur: a.porteur.clone(),
                echeance: a.echeance,
                statut: a.statut.code().to_owned(),
                statut_libelle: a.statut.libelle().to_owned(),
                realisee: a.statut == super::plans::StatutAction::Realisee,
            }),
    );

    let financement: Vec<LigneFinancement> = sources
        .financement
        .iter()
        .filter(|l| l.annee == annee)
        .map(|l| LigneFinancement {
            financeur: match l.financeur {
                Cofinanceur::Caf => "Caf".to_owned(),
                Cofinanceur::Partenaire(id) => sources
                    .noms_financeurs
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| format!("financeur n°{}", id.0)),
            },
            dispositif: l.dispositif,
            demande_centimes: l.demande.centimes(),
            decide_centimes: l.decide.centimes(),
        })
        .collect();

    let couverture: Vec<LigneCouverture> = sources
        .couverture
        .iter()
        .map(|(dispositif, d)| LigneCouverture {
            dispositif: *dispositif,
            rayon_km: d.rayon_km,
            lieux: d.total.lieux,
            communes: d.total.communes,
            communes_sans_offre: d.total.communes_non_couvertes,
            population_sans_offre: d.total.population_non_couverte,
        })
        .collect();

    let tenues: Vec<&LigneSeance> = seances
        .iter()
        .filter(|s| s.etat == EtatSeance::Tenue)
        .collect();
    let comptes: u64 = tenues.iter().map(|s| u64::from(s.membres)).sum();
    let venus: u64 = tenues
        .iter()
        .map(|s| u64::from(s.presents) + u64::from(s.representes))
        .sum();
    let realisees = actions.iter().filter(|a| a.realisee).count();
    let compter = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let indicateurs = Indicateurs {
        membres: compter(
            composition
                .iter()
                .filter(|m| m.role.compte_parmi_les_membres())
                .count(),
        ),
        seances_tenues: compter(tenues.len()),
        seances_annulees: compter(
            seances
                .iter()
                .filter(|s| s.etat == EtatSeance::Annulee)
                .count(),
        ),
        seances_quorum_atteint: compter(
            tenues
                .iter()
                .filter(|s| s.quorum_atteint == Some(true))
                .count(),
        ),
        taux_presence_dixiemes: dixiemes_de_pourcent(venus, comptes),
        decisions: compter(decisions.len()),
        demande_centimes: financement
            .iter()
            .fold(0i64, |t, l| t.saturating_add(l.demande_centimes)),
        decide_centimes: financement
            .iter()
            .fold(0i64, |t, l| t.saturating_add(l.decide_centimes)),
        actions: compter(actions.len()),
        actions_realisees: compter(realisees),
        part_actions_realisees_dixiemes: dixiemes_de_pourcent(
            realisees as u64,
            actions.len() as u64,
        ),
        lieux: couverture.iter().map(|c| c.lieux).sum(),
        communes_sans_offre: sans_aucune_offre(sources.couverture),
    };

    RapportAnnuel {
        departement: instance.departement,
        nom_departement: crate::territoire::departement(instance.departement)
            .map_or_else(|| instance.departement.to_string(), |d| d.nom.clone()),
        annee,
        appellation: instance.appellation(),
        forme: instance.forme,
        date_limite: date_limite(annee).unwrap_or(fin),
        composition,
        seances,
        decisions,
        financement,
        actions,
        couverture,
        indicateurs,
    }
}

#[cfg(test)]
mod tests;
