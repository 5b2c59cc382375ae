//! The partner side: gestionnaires (the organisations running a service) with their legal status
//! and activity, the places where they receive parents, the professionals who hold the sessions,
//! the co-funders who sit on the comité des financeurs, and the commitments a structure
//! attests and the Caf checks.

mod admissibilite;
mod adresse;
mod banque;
mod engagements;
mod etp_portes;
mod financeur;
mod gestionnaire;
mod intervenant;
mod lieu;

pub use admissibilite::Admissible;
pub use adresse::Adresse;
pub use banque::{ACTION_COORDONNEES, CoordonneesBancaires, iban_francais, normaliser_iban};
pub use engagements::{
    ACTION_ATTESTER, ACTION_CONTROLER, Attestation, AvisCaf, Controle, DerogationEngagements,
    Engagement, Engagements, EtatEngagement, SaisieAttestation, SaisieControle, SuiviEngagement,
};
pub use etp_portes::{EtpPortes, PartIntervenant};
pub use financeur::{Cofinanceur, Financeur, NatureFinanceur};
pub use gestionnaire::{Gestionnaire, StatutJuridique, TypeActivite};
pub use intervenant::{Diplome, Intervenant, StatutIntervenant};
pub use lieu::{Lieu, ModaliteAccueil};
