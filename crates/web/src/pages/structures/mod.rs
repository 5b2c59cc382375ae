//! Partner structures: the list a user may see; registering a structure (by a Caf agent, or by
//! its gestionnaire, its SIRET checked); a structure's page with its sites and intervenants and
//! the eligibility checks of the référentiel shown as the Caf will judge them (Référentiel
//! national de financement de l'AIP §II.2, §III.2, §III.3), its AIP commitments
//! ([`super::engagements`]) and its bank details ([`super::coordonnees_bancaires`]).

mod fiche;
mod gestionnaire;
mod intervenants;
mod lieux;
mod liste;
mod rapport;

pub use fiche::fiche;
pub(crate) use fiche::{SaisieFiche, rendre_fiche};
pub use intervenants::ajouter_intervenant;
pub use lieux::ajouter_lieu;
pub use liste::{enregistrer, inscription, inscrire, liste};
pub use rapport::rapport;
