//! The steps a declaration or a bilan offers an actor now, each derived from the guard of its
//! transition (the same check the transition makes first): the page offers a button only where
//! the step would be accepted as far as who and in which state go.

use super::transmission::Objet;
use super::{Bilan, Declaration};
use crate::acces::Acteur;

/// A step of the transmission of a declaration or a bilan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionTransmissionOuverte {
    /// The gestionnaire sends it (or corrects it first) while it is `saisie`.
    Transmettre,
    /// A Caf agent of the département validates what was sent.
    Valider,
    /// A Caf agent sends it back, with a reason.
    Renvoyer,
}

fn ouvertes(objet: &Objet<'_>, acteur: &Acteur) -> Vec<ActionTransmissionOuverte> {
    const SONDE: &str = "Agir sur la pièce";
    let mut actions = Vec::new();
    if objet.exiger_saisie(acteur, SONDE).is_ok() {
        actions.push(ActionTransmissionOuverte::Transmettre);
    }
    if objet.exiger_decision_caf(acteur, SONDE).is_ok() {
        actions.push(ActionTransmissionOuverte::Valider);
        actions.push(ActionTransmissionOuverte::Renvoyer);
    }
    actions
}

impl Declaration {
    /// The steps open to `acteur`, each one its transition's guard passed.
    pub fn actions_ouvertes(&self, acteur: &Acteur) -> Vec<ActionTransmissionOuverte> {
        ouvertes(&self.objet(), acteur)
    }
}

impl Bilan {
    /// The steps open to `acteur`, each one its transition's guard passed.
    pub fn actions_ouvertes(&self, acteur: &Acteur) -> Vec<ActionTransmissionOuverte> {
        ouvertes(&self.objet(), acteur)
    }
}
