//! When the declarations and the bilan of an exercise may be sent, and when each is due, from
//! dated parameters (Référentiel national de financement de l'AIP, §VI.1 étape 2: the
//! prévisionnelle « en début d'exercice », the actualisée « en fin d'exercice », the réelle « en
//! N + 1 »; §V: the annual bilan). Where the text gives no date, the parameter says it is a local
//! choice. Months are counted from January of the exercise: 1 is January N, 13 January N+1.

use time::{Date, Month};

use super::Declaration;
use crate::parametres::{ErreurParametre, Parametres, ValeurUtilisee};

/// The calendar of one exercise.
#[derive(Debug, Clone, Copy)]
pub struct CalendrierAip<'p> {
    pub exercice: i32,
    previsionnelle: (Date, ValeurUtilisee<'p>),
    actualisee: (Date, ValeurUtilisee<'p>),
    reelle: (Date, ValeurUtilisee<'p>),
    bilan: (Date, ValeurUtilisee<'p>),
    echeance_previsionnelle: (Date, ValeurUtilisee<'p>),
    echeance_actualisee: (Date, ValeurUtilisee<'p>),
    echeance_reelle: (Date, ValeurUtilisee<'p>),
    echeance_bilan: (Date, ValeurUtilisee<'p>),
}

impl<'p> CalendrierAip<'p> {
    pub const PREVISIONNELLE: &'static str = "aip.transmission_previsionnelle_mois";
    pub const ACTUALISEE: &'static str = "aip.transmission_actualisee_mois";
    pub const REELLE: &'static str = "aip.transmission_reelle_mois";
    pub const BILAN: &'static str = "aip.transmission_bilan_mois";
    pub const ECHEANCE_BILAN: &'static str = "aip.echeance_bilan_mois";
    pub const ECHEANCE_PREVISIONNELLE: &'static str = "aip.echeance_previsionnelle_mois";
    pub const ECHEANCE_ACTUALISEE: &'static str = "aip.echeance_actualisee_mois";
    pub const ECHEANCE_REELLE: &'static str = "aip.echeance_reelle_mois";

    /// The calendar of `exercice`, read from the parameters in force on 1 January of it.
    pub fn pour_exercice(
        parametres: &'p Parametres,
        exercice: i32,
    ) -> Result<Self, ErreurParametre> {
        let date = super::ParametresAip::date_de_reference(exercice)?;
        let lire =
            |nom: &str, fin_du_mois: bool| -> Result<(Date, ValeurUtilisee<'p>), ErreurParametre> {
                let v = parametres.valeur(nom, date)?;
                let rang = v.valeur.valeur.unites();
                let echelle = v.valeur.valeur.echelle();
                let invalide = || {
                    ErreurParametre::Inconnu(format!(
                        "{nom}: un mois compté depuis janvier de l'exercice, de 1 à 24 (reçu {})",
                        v.valeur.valeur
                    ))
                };
                if echelle != 0 || !(1..=24).contains(&rang) {
                    return Err(invalide());
                }
                let rang = u8::try_from(rang).map_err(|_| invalide())?;
                let annee = exercice + i32::from((rang - 1) / 12);
                let mois = Month::try_from((rang - 1) % 12 + 1).map_err(|_| invalide())?;
                let jour = if fin_du_mois { mois.length(annee) } else { 1 };
                let d = Date::from_calendar_date(annee, mois, jour).map_err(|_| invalide())?;
                Ok((d, v))
            };
        Ok(CalendrierAip {
            exercice,
            previsionnelle: lire(Self::PREVISIONNELLE, false)?,
            actualisee: lire(Self::ACTUALISEE, false)?,
            reelle: lire(Self::REELLE, false)?,
            bilan: lire(Self::BILAN, false)?,
            echeance_previsionnelle: lire(Self::ECHEANCE_PREVISIONNELLE, true)?,
            echeance_actualisee: lire(Self::ECHEANCE_ACTUALISEE, true)?,
            echeance_reelle: lire(Self::ECHEANCE_REELLE, true)?,
            echeance_bilan: lire(Self::ECHEANCE_BILAN, true)?,
        })
    }

    /// The first day `declaration` may be sent, with the parameter that sets it.
    pub fn ouverture(&self, declaration: Declaration) -> (Date, &ValeurUtilisee<'p>) {
        let (d, v) = match declaration {
            Declaration::Previsionnelle => &self.previsionnelle,
            Declaration::Actualisee => &self.actualisee,
            Declaration::Reelle => &self.reelle,
        };
        (*d, v)
    }

    /// The first day the bilan may be sent.
    pub fn ouverture_bilan(&self) -> (Date, &ValeurUtilisee<'p>) {
        (self.bilan.0, &self.bilan.1)
    }

    /// The last day `declaration` is expected on (a later one is late, not refused).
    pub fn echeance(&self, declaration: Declaration) -> (Date, &ValeurUtilisee<'p>) {
        let (d, v) = match declaration {
            Declaration::Previsionnelle => &self.echeance_previsionnelle,
            Declaration::Actualisee => &self.echeance_actualisee,
            Declaration::Reelle => &self.echeance_reelle,
        };
        (*d, v)
    }

    /// The last day the bilan is expected on (a later one is late, not refused).
    pub fn echeance_bilan(&self) -> (Date, &ValeurUtilisee<'p>) {
        (self.echeance_bilan.0, &self.echeance_bilan.1)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use time::macros::date;

    use super::*;

    #[test]
    fn calendrier_2024_des_parametres_embarques() {
        let p = Parametres::embarques().unwrap();
        let c = CalendrierAip::pour_exercice(&p, 2024).unwrap();
        assert_eq!(
            c.ouverture(Declaration::Previsionnelle).0,
            date!(2024 - 01 - 01)
        );
        assert_eq!(
            c.ouverture(Declaration::Actualisee).0,
            date!(2024 - 11 - 01)
        );
        assert_eq!(c.ouverture(Declaration::Reelle).0, date!(2025 - 01 - 01));
        assert_eq!(c.ouverture_bilan().0, date!(2025 - 01 - 01));
        assert_eq!(c.echeance_bilan().0, date!(2025 - 06 - 30));
        assert_eq!(
            c.echeance(Declaration::Previsionnelle).0,
            date!(2024 - 03 - 31)
        );
        assert_eq!(c.echeance(Declaration::Actualisee).0, date!(2025 - 01 - 31));
        assert_eq!(c.echeance(Declaration::Reelle).0, date!(2025 - 06 - 30));
        assert!(
            c.ouverture(Declaration::Actualisee)
                .1
                .valeur
                .source
                .texte
                .contains("choix local")
        );
        let c = CalendrierAip::pour_exercice(&p, 2025).unwrap();
        assert_eq!(c.echeance_bilan().0, date!(2026 - 06 - 30));
        // No calendar without parameters in force.
        assert!(CalendrierAip::pour_exercice(&p, 2026).is_err());
    }
}
