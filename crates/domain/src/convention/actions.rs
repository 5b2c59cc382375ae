//! The actions a convention offers an actor now, each derived from the guard of its transition
//! (the same check the transition makes first), so that a page offers exactly what would be
//! accepted as far as who and when go; the figures typed are checked on submission.

use time::Date;

use super::Convention;
use crate::acces::Acteur;
use crate::declaration::{Bilan, Declaration};

/// An action on a convention itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionConvention {
    /// The gestionnaire signs in the application ([`Convention::signer_par_gestionnaire`]).
    SignerParGestionnaire,
    /// A Caf agent records the signature, or countersigns ([`Convention::signer`]).
    Signer,
    /// The gestionnaire writes a declaration ([`Declaration::saisir`]), where the scheme has
    /// declarations.
    SaisirDeclaration,
    /// The gestionnaire starts a bilan ([`Bilan::saisir`]), where the scheme has one.
    SaisirBilan,
}

impl Convention {
    /// The actions open to `acteur` on `aujourd_hui`, each one its transition's guard passed.
    pub fn actions_ouvertes(&self, acteur: &Acteur, aujourd_hui: Date) -> Vec<ActionConvention> {
        const SONDE: &str = "Agir sur la convention";
        let regles = self.dispositif.regles();
        let mut ouvertes = Vec::new();
        if self
            .exiger_signature_gestionnaire_ouverte(acteur, SONDE, aujourd_hui)
            .is_ok()
        {
            ouvertes.push(ActionConvention::SignerParGestionnaire);
        }
        if self.exiger_signature_caf_ouverte(acteur, SONDE).is_ok() {
            ouvertes.push(ActionConvention::Signer);
        }
        if regles.declarations_aip
            && Declaration::exiger_saisie_ouverte(acteur, self, SONDE).is_ok()
        {
            ouvertes.push(ActionConvention::SaisirDeclaration);
        }
        if regles.bilan && Bilan::exiger_saisie_ouverte(acteur, self, SONDE).is_ok() {
            ouvertes.push(ActionConvention::SaisirBilan);
        }
        ouvertes
    }
}
