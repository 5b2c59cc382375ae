//! Behaviour of the domain as the store and the web app will use it: the whole path from a call
//! for projects to the payments, and every refused transition (wrong state, wrong role, other
//! territory), each with its French reason.

// Test helpers outside #[test] functions unwrap too (as in the other crates' tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod actions_ouvertes;
mod annuaire;
mod attribution;
mod avis;
mod codes;
mod commun;
mod coordination;
mod dispositifs;
mod engagements;
mod enveloppe;
mod etp_portes;
mod paiements;
mod parcours;
mod refus_convention;
mod refus_declaration;
mod refus_dossier;
