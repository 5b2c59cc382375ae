//! The national AIP parameters in force for one exercise, fetched once and kept with their
//! validity and source so that a computation can show them.

use time::{Date, Month};

use crate::exact::Ratio;
use crate::parametres::{ErreurParametre, Parametres, ValeurUtilisee};

/// The parameters the AIP formula uses, in force on the first day of the exercise.
///
/// **Interpretation**: a parameter is taken at 1 January of the exercise (as OpenFisca takes a
/// yearly parameter at the start of its period); the national parameters of the experiment are
/// valid for whole calendar years, so no exercise straddles two values.
#[derive(Debug, Clone, Copy)]
pub struct ParametresAip<'p> {
    pub exercice: i32,
    pub prix_plafond: ValeurUtilisee<'p>,
    pub taux_subvention: ValeurUtilisee<'p>,
    pub taux_acompte: ValeurUtilisee<'p>,
    pub(crate) prix_plafond_ratio: Ratio,
    pub(crate) taux_subvention_ratio: Ratio,
    pub(crate) taux_acompte_ratio: Ratio,
}

impl<'p> ParametresAip<'p> {
    pub const PRIX_PLAFOND: &'static str = "aip.prix_plafond";
    pub const TAUX_SUBVENTION: &'static str = "aip.taux_subvention";
    pub const TAUX_ACOMPTE: &'static str = "aip.taux_acompte";

    /// The date at which an exercise's parameters are read.
    pub fn date_de_reference(exercice: i32) -> Result<Date, ErreurParametre> {
        Date::from_calendar_date(exercice, Month::January, 1).map_err(|_| {
            ErreurParametre::Inconnu(format!("exercice {exercice} hors du calendrier"))
        })
    }

    pub fn pour_exercice(
        parametres: &'p Parametres,
        exercice: i32,
    ) -> Result<Self, ErreurParametre> {
        let date = Self::date_de_reference(exercice)?;
        let prix_plafond = parametres.valeur(Self::PRIX_PLAFOND, date)?;
        let taux_subvention = parametres.valeur(Self::TAUX_SUBVENTION, date)?;
        let taux_acompte = parametres.valeur(Self::TAUX_ACOMPTE, date)?;
        Ok(ParametresAip {
            exercice,
            prix_plafond,
            taux_subvention,
            taux_acompte,
            prix_plafond_ratio: prix_plafond.valeur.valeur.ratio(),
            taux_subvention_ratio: taux_subvention.valeur.valeur.ratio(),
            taux_acompte_ratio: taux_acompte.valeur.valeur.ratio(),
        })
    }

    /// The three parameters, in the order a trace lists them.
    pub fn utilises(&self) -> [ValeurUtilisee<'p>; 3] {
        [self.prix_plafond, self.taux_subvention, self.taux_acompte]
    }
}
