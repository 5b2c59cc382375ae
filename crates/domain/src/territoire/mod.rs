//! Territory reference data shipped with the program (the project's `data/` folder): the 101
//! départements with their population and their Caf, the communes with their centroid and the
//! EPCI they belong to; finding a commune from its name or postcode; and the coverage of a département by the places of a scheme.

mod caf;
mod communes;
pub mod couverture;
mod departements;
mod epci;
pub mod fiche;
pub mod suggestions;

pub use caf::Caf;
pub use communes::{COMMUNES_CSV, Commune, Communes, Position};
pub use departements::{
    DEPARTEMENTS_CSV, Departement, departement, departements, lire_departements,
};
pub use epci::{EPCI_CSV, Epci, Epcis};

/// A line of a reference file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{fichier}, ligne {ligne}: {raison}")]
pub struct ErreurDonnees {
    pub fichier: &'static str,
    pub ligne: u64,
    pub raison: String,
}
