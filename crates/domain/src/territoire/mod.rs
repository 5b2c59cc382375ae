//! Territory reference data shipped with the program (the project's `data/` folder): the 101
//! départements with their population and their Caf, and the communes with their centroid.

mod caf;
mod communes;
mod departements;

pub use caf::Caf;
pub use communes::{COMMUNES_CSV, Commune, Communes, Position};
pub use departements::{
    DEPARTEMENTS_CSV, Departement, departement, departements, lire_departements,
};

/// A line of a reference file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{fichier}, ligne {ligne}: {raison}")]
pub struct ErreurDonnees {
    pub fichier: &'static str,
    pub ligne: u64,
    pub raison: String,
}
