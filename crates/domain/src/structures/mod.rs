//! The partner side: gestionnaires (the organisations running a service) with their legal status
//! and activity, the places where they receive parents, the professionals who hold the sessions,
//! and the co-funders who sit on the comité des financeurs.

mod admissibilite;
mod adresse;
mod etp_portes;
mod financeur;
mod gestionnaire;
mod intervenant;
mod lieu;

pub use admissibilite::Admissible;
pub use adresse::Adresse;
pub use etp_portes::{EtpPortes, PartIntervenant};
pub use financeur::{Cofinanceur, Financeur, NatureFinanceur};
pub use gestionnaire::{Gestionnaire, StatutJuridique, TypeActivite};
pub use intervenant::{Diplome, Intervenant, StatutIntervenant};
pub use lieu::{Lieu, ModaliteAccueil};
