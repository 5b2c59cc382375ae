//! What the gestionnaire declares to the Caf for each exercise (Référentiel national de financement de l'AIP §IV.4, §V, §VI.1): the
//! three declarations of expenses, FTE, months and activity (prévisionnelle, actualisée, réelle),
//! and the annual report (bilan); both go saisie → transmise → validée, or back to saisie with
//! the Caf's reason.
//!
//! ```text
//! saisie ─transmettre (gestionnaire)─▶ transmise ─valider (Caf)─▶ validee
//!   ▲                                     │
//!   └──────────── renvoyer (Caf, motif) ──┘
//! ```
//!
//! The store keeps one declaration per (convention, exercice, nature) and one bilan per
//! (convention, exercice) with unique keys. A validated declaration carries its right, computed
//! once by the domain at validation and frozen with its trace ([`DroitFige`]): payments rest on
//! it. It goes back to `transmise` only when what its right rests on changed before the payment
//! that follows it (see [`Declaration::rouvrir`]).

mod actions;
mod bilan;
mod controles;
mod droit;
mod retards;
mod saisie;
mod transmission;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::identifiants::{CodeDepartement, ConventionId, DeclarationId, GestionnaireId};
use crate::quantites::{Centimes, Etp};

pub use actions::ActionTransmissionOuverte;
pub use bilan::{Bilan, ContenuBilan};
pub use controles::{ChampDonnees, ChampValidation, ecarts_donnees};
pub use droit::{DroitFige, EtpValides, NatureSuite, Peremption};
pub use retards::{Piece, Retard, retards};
pub use transmission::{EtatTransmission, SuiviTransmission};

/// The three moments of a year's declarations (Référentiel national de financement de l'AIP §VI.1 étape 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NatureDeclaration {
    /// `previsionnelle`: start of the exercise; gives the forecast right and the acompte.
    Previsionnelle,
    /// `actualisee`: end of the exercise; gives the charge à payer.
    Actualisee,
    /// `reelle`: in N+1, with the bilan; gives the definitive right and the solde.
    Reelle,
}

impl NatureDeclaration {
    pub const TOUTES: [NatureDeclaration; 3] = [
        NatureDeclaration::Previsionnelle,
        NatureDeclaration::Actualisee,
        NatureDeclaration::Reelle,
    ];

    /// The same codes as the référentiel: `previsionnelle`, `actualisee`, `reelle`.
    pub fn code(self) -> &'static str {
        self.referentiel().code()
    }

    pub fn depuis_code(code: &str) -> Option<NatureDeclaration> {
        NatureDeclaration::TOUTES
            .into_iter()
            .find(|n| n.code() == code)
    }

    pub fn libelle(self) -> &'static str {
        self.referentiel().libelle()
    }

    /// The référentiel's name for it, to compute the subsidy.
    pub fn referentiel(self) -> referentiel::aip::Declaration {
        match self {
            NatureDeclaration::Previsionnelle => referentiel::aip::Declaration::Previsionnelle,
            NatureDeclaration::Actualisee => referentiel::aip::Declaration::Actualisee,
            NatureDeclaration::Reelle => referentiel::aip::Declaration::Reelle,
        }
    }
}

/// Activity counts (Référentiel national de financement de l'AIP §VI.2: sessions held, distinct parents, total hours of sessions);
/// forecasts in a prévisionnelle. Families are never named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activite {
    pub entretiens: u32,
    pub parents_distincts: u32,
    pub heures_entretiens: u32,
    /// Hours worked on the service by its intervenants over the exercise, when declared (at the
    /// réelle: compared with 1 607 h per FTE and with the hours of sessions, Référentiel national
    /// de financement de l'AIP §VI.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heures_travaillees: Option<u32>,
}

/// The figures of a declaration: the inputs of the subsidy (docs/calcul-aip.md) and the activity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonneesDeclaration {
    /// `D`: operating expenses of the project for the months of operation.
    pub depenses_fonctionnement: Centimes,
    /// `E`: FTE declared.
    pub etp_declares: Etp,
    /// `m`: months of operation in the exercise, 0 to 12.
    pub mois_fonctionnement: u8,
    pub activite: Activite,
}

/// Why the activity counts declared differ from those of the sessions recorded on the platform
/// for the exercise: the counts recorded then, and the gestionnaire's reason, shown to the Caf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EcartActivite {
    pub enregistree: Activite,
    pub motif: String,
}

impl EcartActivite {
    /// Whether a declaration of `nature` stating `declaree` needs a reason: an actualisée or a
    /// réelle (a prévisionnelle forecasts) whose sessions, parents or hours differ from those of
    /// the sessions recorded, when some were.
    pub fn attendu(nature: NatureDeclaration, enregistree: &Activite, declaree: &Activite) -> bool {
        nature != NatureDeclaration::Previsionnelle
            && enregistree.entretiens > 0
            && (
                enregistree.entretiens,
                enregistree.parents_distincts,
                enregistree.heures_entretiens,
            ) != (
                declaree.entretiens,
                declaree.parents_distincts,
                declaree.heures_entretiens,
            )
    }
}

/// A declaration of one exercise under one convention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub id: DeclarationId,
    pub convention: ConventionId,
    pub gestionnaire: GestionnaireId,
    pub departement: CodeDepartement,
    pub exercice: i32,
    pub nature: NatureDeclaration,
    pub donnees: DonneesDeclaration,
    #[serde(flatten)]
    pub suivi: SuiviTransmission,
    /// Incremented by every transition (optimistic concurrency in the store).
    pub version: u32,
    #[serde(with = "crate::serde_dates::instant")]
    pub saisie_le: OffsetDateTime,
    /// Why its activity differs from the sessions recorded on the platform, when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecart_activite: Option<EcartActivite>,
    /// The right frozen when the Caf validated it; `None` before, and after a reopening.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub droit: Option<DroitFige>,
}
