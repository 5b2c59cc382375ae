//! The domain of the parenting-support platform: validated identifiers and quantities, the
//! territory reference data, the records (gestionnaire, lieu, dossier, convention, declaration,
//! payment…) and the state machines that move them, every transition checking who acts, on
//! which territory, and returning the audit of what changed.
//!
//! Pure: no I/O, no database, no clock. The caller passes the time (`quand`, local French time)
//! and the records a rule needs; the store persists what a transition returns.

pub mod acces;
pub mod annuaire;
pub mod appel_a_projets;
pub mod audit;
pub mod candidatures;
pub mod comite;
pub mod conservation;
pub mod convention;
pub mod coordination;
pub mod courriel;
pub mod decision;
pub mod declaration;
pub mod dispositifs;
pub mod donnees_ouvertes;
pub mod dossier;
pub mod enveloppe;
pub mod evaluation;
pub mod experimentation;
pub mod identifiants;
pub mod instance_nationale;
pub mod paiement;
pub mod pieces;
pub mod quantites;
pub mod refus;
mod serde_dates;
pub mod structures;
pub mod territoire;
pub mod texte;

pub use acces::{Acteur, Role};
pub use audit::{Audit, Changement, Transition, TypeEntite};
pub use refus::Refus;
