//! The actions open to an actor on a dossier now: each transition begins with its guard (who may
//! take it, from which states), and the pages ask [`Dossier::actions_ouvertes`] which forms to
//! show instead of encoding the state machine a second time. What a form then types is checked
//! by the transition itself.

use super::{Dossier, EtatDossier};
use crate::acces::{
    Acteur, RESERVE_FINANCEURS, exiger_agent_caf, exiger_gestionnaire, refus_de_role,
};
use crate::refus::Refus;

use EtatDossier::*;

/// The transitions of a dossier, and the recording of the comité's convention after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionDossier {
    Modifier,
    Deposer,
    PrendreEnInstruction,
    DemanderComplement,
    PresenterEnComite,
    EnregistrerDecision,
    ClasserSansSuite,
    Attribuer,
    Retirer,
    DonnerAvis,
    EtablirConvention,
}

/// The states from which the gestionnaire may withdraw, and the Caf close without a decision.
pub(super) const AVANT_DECISION: [EtatDossier; 5] = [
    Brouillon,
    Depose,
    EnInstruction,
    ComplementDemande,
    PresenteEnComite,
];
/// The states of a dossier submitted and not decided yet.
pub(super) const INSTRUITS: [EtatDossier; 4] =
    [Depose, EnInstruction, ComplementDemande, PresenteEnComite];

impl ActionDossier {
    pub const TOUTES: [ActionDossier; 11] = [
        ActionDossier::Modifier,
        ActionDossier::Deposer,
        ActionDossier::PrendreEnInstruction,
        ActionDossier::PresenterEnComite,
        ActionDossier::DemanderComplement,
        ActionDossier::EnregistrerDecision,
        ActionDossier::ClasserSansSuite,
        ActionDossier::Attribuer,
        ActionDossier::Retirer,
        ActionDossier::DonnerAvis,
        ActionDossier::EtablirConvention,
    ];

    /// What is attempted, as the refusals say it.
    pub fn libelle(self) -> &'static str {
        match self {
            ActionDossier::Modifier => "Modifier le dossier",
            ActionDossier::Deposer => "Déposer le dossier",
            ActionDossier::PrendreEnInstruction => "Prendre le dossier en instruction",
            ActionDossier::DemanderComplement => "Demander un complément",
            ActionDossier::PresenterEnComite => "Présenter le dossier en comité",
            ActionDossier::EnregistrerDecision => "Enregistrer la décision du comité",
            ActionDossier::ClasserSansSuite => "Classer le dossier sans suite",
            ActionDossier::Attribuer => "Attribuer le dossier",
            ActionDossier::Retirer => "Retirer le dossier",
            ActionDossier::DonnerAvis => "Donner l'avis du financeur",
            ActionDossier::EtablirConvention => "Établir la convention",
        }
    }
}

impl Dossier {
    /// The guard of `action`: who may take it and from which states. Every transition starts
    /// with it.
    pub fn garde(&self, acteur: &Acteur, action: ActionDossier) -> Result<(), Refus> {
        let libelle = action.libelle();
        let (caf, etats): (bool, &[EtatDossier]) = match action {
            ActionDossier::Modifier | ActionDossier::Deposer => {
                (false, &[Brouillon, ComplementDemande])
            }
            ActionDossier::Retirer => (false, &AVANT_DECISION),
            ActionDossier::PrendreEnInstruction => (true, &[Depose]),
            ActionDossier::DemanderComplement | ActionDossier::PresenterEnComite => {
                (true, &[EnInstruction])
            }
            ActionDossier::EnregistrerDecision => (true, &[PresenteEnComite]),
            ActionDossier::ClasserSansSuite | ActionDossier::Attribuer => (true, &INSTRUITS),
            ActionDossier::EtablirConvention => (true, &[Valide]),
            ActionDossier::DonnerAvis => {
                return match acteur.financeur {
                    Some(f) => {
                        crate::acces::exiger_financeur(acteur, libelle, self.departement, f)?;
                        self.exiger_etat(libelle, &[PresenteEnComite])
                    }
                    None => Err(refus_de_role(acteur, libelle, RESERVE_FINANCEURS)),
                };
            }
        };
        if caf {
            exiger_agent_caf(acteur, libelle, self.departement)?;
        } else {
            exiger_gestionnaire(acteur, libelle, self.gestionnaire)?;
        }
        self.exiger_etat(libelle, etats)
    }

    /// The actions `acteur` may take on this dossier now, in the order of its life.
    pub fn actions_ouvertes(&self, acteur: &Acteur) -> Vec<ActionDossier> {
        ActionDossier::TOUTES
            .into_iter()
            .filter(|a| self.garde(acteur, *a).is_ok())
            .collect()
    }

    /// What submitting the project to `appel` would refuse now, one reason per problem (the
    /// parts still missing, a period outside the call's, too few FTE, an unbalanced budget…):
    /// the same checks as [`Dossier::deposer`], shown to the gestionnaire before it submits.
    pub fn a_corriger_avant_depot(
        &self,
        appel: &crate::appel_a_projets::AppelAProjets,
    ) -> Vec<String> {
        match self
            .projet
            .verifier_depot(ActionDossier::Deposer.libelle(), appel)
        {
            Ok(()) => Vec::new(),
            Err(r) => r.un_par_un().iter().map(|r| r.sans_action()).collect(),
        }
    }

    /// True when `acteur` may take `action` now.
    pub fn peut(&self, acteur: &Acteur, action: ActionDossier) -> bool {
        self.garde(acteur, action).is_ok()
    }
}
