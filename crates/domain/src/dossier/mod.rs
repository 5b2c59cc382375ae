//! The dossier: a gestionnaire's answer to a call for projects (the projet de fonctionnement,
//! Référentiel national de financement de l'AIP §IV.3) and its lifecycle from draft to the comité's decision.
//!
//! ```text
//! brouillon ─deposer─▶ depose ─prendre_en_instruction─▶ en_instruction ─presenter_en_comite─▶ presente_en_comite
//!                        ▲                                 │      ▲                                │
//!                        └──deposer── complement_demande ◀─┘      └────────── ajourné ─────────────┤
//!                                                                                                   ├─▶ valide (opens a convention)
//!                                                                                                   └─▶ refuse
//! classer_sans_suite (Caf): from depose, en_instruction, complement_demande, presente_en_comite ─▶ sans_suite
//! retirer (gestionnaire): from any state before the decision ─▶ retire
//! ```

mod actions;
mod avis;
mod cycle;
mod projet;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::appel_a_projets::Dispositif;
use crate::identifiants::{
    AppelAProjetsId, CodeDepartement, DossierId, GestionnaireId, UtilisateurId,
};
use crate::structures::DerogationEngagements;

pub use actions::ActionDossier;
pub use avis::{AvisFinanceur, SaisieAvis, SensAvis};
pub use cycle::DecisionEnregistree;
pub use projet::{BudgetPrevisionnel, DemandeFinancement, LigneBudget, ProjetFonctionnement};

/// The states of a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EtatDossier {
    /// Being written by the gestionnaire.
    Brouillon,
    /// Submitted, waiting for the Caf.
    Depose,
    /// Being examined by the Caf.
    EnInstruction,
    /// The Caf asked the gestionnaire for more information; the gestionnaire edits and resubmits.
    ComplementDemande,
    /// On the agenda of the comité des financeurs.
    PresenteEnComite,
    /// Validated by the comité: a convention can be drawn up.
    Valide,
    /// Refused by the comité.
    Refuse,
    /// Closed by the Caf without a decision (no answer to a request, project abandoned…).
    SansSuite,
    /// Withdrawn by its gestionnaire.
    Retire,
}

impl EtatDossier {
    pub const TOUS: [EtatDossier; 9] = [
        EtatDossier::Brouillon,
        EtatDossier::Depose,
        EtatDossier::EnInstruction,
        EtatDossier::ComplementDemande,
        EtatDossier::PresenteEnComite,
        EtatDossier::Valide,
        EtatDossier::Refuse,
        EtatDossier::SansSuite,
        EtatDossier::Retire,
    ];

    /// `brouillon`, `depose`, `en_instruction`, `complement_demande`, `presente_en_comite`,
    /// `valide`, `refuse`, `sans_suite`, `retire`.
    pub fn code(self) -> &'static str {
        match self {
            EtatDossier::Brouillon => "brouillon",
            EtatDossier::Depose => "depose",
            EtatDossier::EnInstruction => "en_instruction",
            EtatDossier::ComplementDemande => "complement_demande",
            EtatDossier::PresenteEnComite => "presente_en_comite",
            EtatDossier::Valide => "valide",
            EtatDossier::Refuse => "refuse",
            EtatDossier::SansSuite => "sans_suite",
            EtatDossier::Retire => "retire",
        }
    }

    pub fn depuis_code(code: &str) -> Option<EtatDossier> {
        EtatDossier::TOUS.into_iter().find(|e| e.code() == code)
    }

    pub fn libelle(self) -> &'static str {
        match self {
            EtatDossier::Brouillon => "brouillon",
            EtatDossier::Depose => "déposé",
            EtatDossier::EnInstruction => "en instruction",
            EtatDossier::ComplementDemande => "complément demandé",
            EtatDossier::PresenteEnComite => "présenté en comité",
            EtatDossier::Valide => "validé",
            EtatDossier::Refuse => "refusé",
            EtatDossier::SansSuite => "classé sans suite",
            EtatDossier::Retire => "retiré par le gestionnaire",
        }
    }

    /// No transition leaves a final state.
    pub fn est_final(self) -> bool {
        matches!(
            self,
            EtatDossier::Valide
                | EtatDossier::Refuse
                | EtatDossier::SansSuite
                | EtatDossier::Retire
        )
    }
}

/// A dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    pub id: DossierId,
    pub appel: AppelAProjetsId,
    pub dispositif: Dispositif,
    /// The département of the call (and of the Caf that instructs it).
    pub departement: CodeDepartement,
    pub gestionnaire: GestionnaireId,
    pub etat: EtatDossier,
    pub projet: ProjetFonctionnement,
    /// Incremented by every transition: the store updates `WHERE version = <previous>` so that
    /// two concurrent writes cannot both succeed.
    pub version: u32,
    #[serde(with = "crate::serde_dates::instant")]
    pub cree_le: OffsetDateTime,
    /// The first submission.
    #[serde(default, with = "crate::serde_dates::instant::option")]
    pub depose_le: Option<OffsetDateTime>,
    /// The Caf's pending request for information, while `complement_demande`.
    pub complement_demande: Option<String>,
    #[serde(default, with = "crate::serde_dates::date::option")]
    pub date_comite: Option<Date>,
    /// Why it was closed without a decision or withdrawn.
    pub motif_cloture: Option<String>,
    /// The pieces the Caf asked for in its last request for information (see
    /// [`crate::pieces`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pieces_demandees: Vec<crate::pieces::TypePiece>,
    /// The comité validated it although commitments of the structure were not checked conforme
    /// by the Caf: its motivated override.
    #[serde(default)]
    pub derogation_engagements: Option<DerogationEngagements>,
    /// The Caf agent following the dossier (« suivi par »), if one was assigned.
    #[serde(default)]
    pub suivi_par: Option<UtilisateurId>,
    /// The partner funders' opinions before the comité, one per funder (see [`avis`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub avis_financeurs: Vec<AvisFinanceur>,
}
