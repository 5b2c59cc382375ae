//! The frame of the AIP experiment: its period, its national budget and its ten départements
//! (Référentiel national de financement de l'AIP, préambule and note 7; Instruction Cnaf It 2023-131). The rules of the other modules refer to it.

use time::Date;
use time::macros::date;

use crate::identifiants::CodeDepartement;
use crate::quantites::{Centimes, Etp};

/// First day of the experiment (Instruction Cnaf It 2023-131: « sur la période 2024-2025 »; Référentiel national de financement de l'AIP préambule).
pub const DEBUT: Date = date!(2024 - 01 - 01);

/// Last day of the experiment. A convention never runs beyond it (Référentiel national de financement de l'AIP §IV.4: « ne peut
/// excéder la période dédiée à l'expérimentation »).
pub const FIN: Date = date!(2025 - 12 - 31);

/// The national budget of the experiment for 2024 and 2025 together: 3 M€ (Référentiel national de financement de l'AIP préambule:
/// « Un financement de 3M€ est engagé pour l'expérimentation »; Instruction Cnaf It 2023-131).
pub const ENVELOPPE_NATIONALE: Centimes = Centimes::new(300_000_000);

/// The départements of the ten Caf of the experiment (Référentiel national de financement de l'AIP, note 7): Isère (co-pilot with the
/// Cnaf), Gard, Gironde, Haute-Marne, Morbihan, Nord, Yvelines, Deux-Sèvres, Tarn, Vendée.
pub const DEPARTEMENTS: [&str; 10] = ["38", "30", "33", "52", "56", "59", "78", "79", "81", "85"];

/// The minimum the Caf finances: 0.25 FTE (Référentiel national de financement de l'AIP §V, « Le socle minimum de financement par la
/// Caf est de 0.25 Etp »). Mirrors the parameter `aip.etp_minimum` of
/// `parameters/aip/2024-2025-experimentation.yaml`; a test checks that they agree.
pub const ETP_MINIMUM: Etp = Etp::depuis_dix_milliemes(2_500);

/// Whether `date` lies within the experiment's period.
pub fn dans_la_periode(date: Date) -> bool {
    DEBUT <= date && date <= FIN
}

/// Whether the Caf of `departement` takes part in the experiment.
pub fn est_departement_aip(departement: CodeDepartement) -> bool {
    DEPARTEMENTS.contains(&departement.as_str())
}

#[cfg(test)]
mod tests {
    use referentiel::parametres::Parametres;

    use super::*;

    #[test]
    fn accord_avec_les_parametres_nationaux() {
        let parametres = Parametres::embarques().unwrap();
        for jour in [DEBUT, FIN] {
            let minimum = parametres.valeur("aip.etp_minimum", jour).unwrap();
            assert_eq!(
                minimum.valeur.valeur.ratio(),
                ETP_MINIMUM.decimal().unwrap().ratio()
            );
            assert!(parametres.valeur("aip.prix_plafond", jour).is_ok());
        }
        // The parameters stop with the experiment: no value the day after.
        assert!(
            parametres
                .valeur("aip.prix_plafond", date!(2026 - 01 - 01))
                .is_err()
        );
        assert!(
            parametres
                .valeur("aip.prix_plafond", date!(2023 - 12 - 31))
                .is_err()
        );
    }

    #[test]
    fn dix_departements_valides() {
        for code in DEPARTEMENTS {
            assert!(est_departement_aip(CodeDepartement::parse(code).unwrap()));
        }
        assert!(!est_departement_aip(CodeDepartement::parse("75").unwrap()));
        assert!(dans_la_periode(date!(2025 - 12 - 31)));
        assert!(!dans_la_periode(date!(2026 - 01 - 01)));
    }
}
