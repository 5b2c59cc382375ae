//! The convention d'objectifs et de financement (Cof) between the Caf and the gestionnaire
//! (Référentiel national de financement de l'AIP, §IV.4): drawn up after the comité validates a dossier, signed, amended when the FTE
//! ceiling changes, then closed at its end or terminated. It lasts as long as the validated project,
//! never beyond the experiment, and is never renewed tacitly: nothing here extends `fin`.
//!
//! In the application, the gestionnaire signs first (`signer_par_gestionnaire`: the convention
//! stays a `projet`, its signature recorded), then the Caf countersigns (`signer`). A signature on
//! paper by both parties is recorded by the Caf alone (`signer`).
//!
//! ```text
//! projet ─signer_par_gestionnaire─▶ projet (signée par la structure)
//! projet ─signer─▶ signee ─cloturer─▶ cloturee
//!    │               │  └─ajouter_avenant─▶ signee
//!    └──resilier─────┴──resilier─▶ resiliee
//! ```

mod actions;
mod cycle;
pub mod echeancier;
mod plafonds;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::appel_a_projets::Dispositif;
use crate::decision::NotificationEtp;
use crate::identifiants::{
    CodeDepartement, ConventionId, DecisionId, DossierId, GestionnaireId, UtilisateurId,
};

pub use actions::ActionConvention;
pub use cycle::NouvelleConvention;
pub use echeancier::{LigneEcheancier, VersementPrevu};

/// The states of a convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EtatConvention {
    /// Drawn up, not signed yet: no payment.
    Projet,
    /// Signed: payments can be made (Référentiel national de financement de l'AIP §IV.4).
    Signee,
    /// Reached its end and closed.
    Cloturee,
    /// Terminated before its end.
    Resiliee,
}

impl EtatConvention {
    pub const TOUS: [EtatConvention; 4] = [
        EtatConvention::Projet,
        EtatConvention::Signee,
        EtatConvention::Cloturee,
        EtatConvention::Resiliee,
    ];

    /// `projet`, `signee`, `cloturee`, `resiliee`.
    pub fn code(self) -> &'static str {
        match self {
            EtatConvention::Projet => "projet",
            EtatConvention::Signee => "signee",
            EtatConvention::Cloturee => "cloturee",
            EtatConvention::Resiliee => "resiliee",
        }
    }

    pub fn depuis_code(code: &str) -> Option<EtatConvention> {
        EtatConvention::TOUS.into_iter().find(|e| e.code() == code)
    }

    pub fn libelle(self) -> &'static str {
        match self {
            EtatConvention::Projet => "projet",
            EtatConvention::Signee => "signée",
            EtatConvention::Cloturee => "clôturée",
            EtatConvention::Resiliee => "résiliée",
        }
    }
}

/// An amendment taking in a new FTE ceiling (Référentiel national de financement de l'AIP §IV.3, « nouvelle notification »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Avenant {
    /// 1, 2, … in the order they were signed.
    pub numero: u16,
    /// The decision that notified the new ceiling.
    pub decision: DecisionId,
    pub notification: NotificationEtp,
    #[serde(with = "crate::serde_dates::date")]
    pub date_signature: Date,
}

/// The gestionnaire's signature in the application: who, and when. It accepted the terms
/// explicitly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureGestionnaire {
    pub utilisateur: UtilisateurId,
    /// The signatory's name as shown in its account.
    pub nom: String,
    #[serde(with = "crate::serde_dates::instant")]
    pub le: OffsetDateTime,
}

/// A convention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Convention {
    pub id: ConventionId,
    /// The Caf's reference (« COF-38-2024-001 »).
    pub numero: String,
    pub dossier: DossierId,
    /// The comité's decision that validated the project.
    pub decision: DecisionId,
    pub gestionnaire: GestionnaireId,
    pub departement: CodeDepartement,
    pub dispositif: Dispositif,
    #[serde(with = "crate::serde_dates::date")]
    pub debut: Date,
    #[serde(with = "crate::serde_dates::date")]
    pub fin: Date,
    pub etat: EtatConvention,
    #[serde(default, with = "crate::serde_dates::date::option")]
    pub date_signature: Option<Date>,
    /// The gestionnaire's signature in the application, before the Caf's countersignature.
    #[serde(default)]
    pub signature_gestionnaire: Option<SignatureGestionnaire>,
    /// The ceiling notified with the validation, for a scheme decided by FTE (the AIP); `None`
    /// for a scheme decided by amount.
    pub notification_initiale: Option<NotificationEtp>,
    /// The instalments of the Caf's subsidy, frozen when the convention was drawn up, for a
    /// scheme financed by instalments (see `dispositifs`); empty for the AIP, whose payments
    /// follow its declarations.
    #[serde(default)]
    pub echeancier: Vec<VersementPrevu>,
    pub avenants: Vec<Avenant>,
    /// Last day of effect when terminated.
    #[serde(default, with = "crate::serde_dates::date::option")]
    pub date_resiliation: Option<Date>,
    pub motif_resiliation: Option<String>,
    /// Incremented by every transition (optimistic concurrency in the store).
    pub version: u32,
    #[serde(with = "crate::serde_dates::instant")]
    pub cree_le: OffsetDateTime,
}

impl Convention {
    /// The last day the convention has effect: its end, or the termination date.
    pub fn fin_effective(&self) -> Date {
        self.date_resiliation.unwrap_or(self.fin)
    }

    /// Whether it has been signed (whatever happened since).
    pub fn a_ete_signee(&self) -> bool {
        self.date_signature.is_some()
    }

    /// The instalment of rank `rang`, if the convention sets it.
    pub fn versement(&self, rang: u16) -> Option<&VersementPrevu> {
        self.echeancier.iter().find(|v| v.rang == rang)
    }

    /// The total of the instalments (`None` if too large).
    pub fn total_echeancier(&self) -> Option<crate::quantites::Centimes> {
        crate::quantites::Centimes::somme(self.echeancier.iter().map(|v| v.montant))
    }

    /// Whether it is signed and `date` falls within its period. There is no tacit renewal: the
    /// day after `fin`, it is over (Référentiel national de financement de l'AIP §IV.4, « Sa reconduction n'est pas tacite »).
    pub fn est_en_vigueur(&self, date: Date) -> bool {
        self.etat == EtatConvention::Signee && self.debut <= date && date <= self.fin_effective()
    }
}
