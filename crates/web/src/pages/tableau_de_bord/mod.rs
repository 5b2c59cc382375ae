//! The activity dashboard (Référentiel national de financement de l'AIP §V; Instruction Cnaf It
//! 2023-131 §4): for a structure, a Caf or the Cnaf, the indicators against their targets, the
//! trend by month, the experiment's progress (families reached against 13 000, money against the
//! 3 M€ envelope), the completeness and timeliness of the annual reports, a map of the
//! départements; every chart with its data table. Read live from the aggregates every session
//! keeps current; and the downloads of those aggregates.
//!
//! `page` is the handler, `modele` the view model built from the records, `gabarit` the
//! template, `avancement` the experiment's progress, `filtre` the choice of exercise and indicator, `telechargement` the files.

mod avancement;
mod filtre;
mod gabarit;
mod modele;
mod page;
mod telechargement;

use time::Date;

pub use page::page_tableau;
pub use telechargement::telecharger;

/// Families the experiment aims to reach over 2024 and 2025 (Référentiel national de
/// financement de l'AIP).
pub const FAMILLES_VISEES: i64 = 13_000;
/// The exercises of the experiment.
const EXERCICES: [i32; 2] = [2024, 2025];

/// The last day the bilan of `exercice` is expected on, from the dated parameter
/// `aip.echeance_bilan_mois` (a local choice: the Référentiel national de financement de l'AIP,
/// §V, says « annuellement » and sets no day). Used for timeliness only: a later bilan is late,
/// not refused.
pub fn echeance_bilan(
    parametres: &referentiel::parametres::Parametres,
    exercice: i32,
) -> Option<Date> {
    referentiel::aip::CalendrierAip::pour_exercice(parametres, exercice)
        .ok()
        .map(|c| c.echeance_bilan().0)
}
