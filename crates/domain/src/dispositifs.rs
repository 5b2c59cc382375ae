//! Each parenting-support scheme's own rules, as data: how the comité decides on a project, how
//! the Caf finances it, which declarations follow, and whether the AIP experiment's frame
//! (départements, period, FTE minimum, envelope) applies. Code asks these rules
//! ([`Dispositif::regles`]) instead of testing for one scheme.
//!
//! Sources: the Lettre circulaire Cnaf 2012-093 (§33-34: the schemes coordinated in the
//! département; §43: « Chaque financeur doit en effet rester maître des règles d'attribution de
//! ses crédits ») for every scheme, and the Référentiel national de financement de l'AIP for the
//! AIP (§IV.3 notification of FTE, §V minimum, §VI the formula, acompte and solde).

use serde::{Deserialize, Serialize};

use crate::appel_a_projets::Dispositif;

/// How the comité decides on a validated project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModeDecision {
    /// `notification_etp`: an FTE ceiling notified with its effective date (Référentiel national
    /// de financement de l'AIP §IV.3); the amount follows from the formula.
    NotificationEtp,
    /// `montant_par_financeur`: each funder grants its own amount, the Caf's share at least
    /// (Lettre circulaire Cnaf 2012-093 §43); no FTE is notified.
    MontantParFinanceur,
}

/// How the Caf finances a validated project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModeFinancement {
    /// `formule_aip`: the référentiel's formula (crate `referentiel`), an acompte on the
    /// prévisionnelle and a solde on the réelle (Référentiel national de financement de l'AIP
    /// §VI).
    FormuleAip,
    /// `subvention_echeancier`: the subsidy the comité decided (the Caf's share), paid in the
    /// instalments the convention sets.
    ///
    /// **Interpretation**: the texts set no national rate for these schemes' prestation de
    /// service; none is sourced in `parameters/`, so none is computed: the amount is the one the
    /// Caf decided.
    SubventionEcheancier,
}

/// The rules of one scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReglesDispositif {
    pub decision: ModeDecision,
    pub financement: ModeFinancement,
    /// Whether the AIP declarations (prévisionnelle, actualisée, réelle) follow the convention.
    pub declarations_aip: bool,
    /// Whether an annual bilan is due (AIP: Référentiel national de financement de l'AIP §VI.2).
    pub bilan: bool,
    /// Whether the AIP experiment's frame applies: its départements and period, its FTE minimum
    /// (Référentiel national de financement de l'AIP préambule, §IV.4, §V) and its envelope.
    pub experimentation_aip: bool,
}

impl ReglesDispositif {
    /// The AIP's rules (Référentiel national de financement de l'AIP).
    pub const AIP: ReglesDispositif = ReglesDispositif {
        decision: ModeDecision::NotificationEtp,
        financement: ModeFinancement::FormuleAip,
        declarations_aip: true,
        bilan: true,
        experimentation_aip: true,
    };

    /// The rules of the other schemes (Lettre circulaire Cnaf 2012-093 §33-34, §43): each funder
    /// decides its amount; the Caf pays its share by instalments.
    ///
    /// **Interpretation**: no annual bilan is asked in the application for these schemes yet (the
    /// AIP bilan's content is specific to the AIP); the convention may ask one on paper.
    pub const SUBVENTION: ReglesDispositif = ReglesDispositif {
        decision: ModeDecision::MontantParFinanceur,
        financement: ModeFinancement::SubventionEcheancier,
        declarations_aip: false,
        bilan: false,
        experimentation_aip: false,
    };
}

impl Dispositif {
    /// Every scheme, in the order of the circular.
    pub const TOUS: [Dispositif; 8] = [
        Dispositif::Aip,
        Dispositif::Reaap,
        Dispositif::Clas,
        Dispositif::Pif,
        Dispositif::MediationFamiliale,
        Dispositif::ParrainageDeProximite,
        Dispositif::Laep,
        Dispositif::EspaceRencontre,
    ];

    /// The rules of this scheme.
    pub const fn regles(self) -> ReglesDispositif {
        match self {
            Dispositif::Aip => ReglesDispositif::AIP,
            Dispositif::Reaap
            | Dispositif::Clas
            | Dispositif::Pif
            | Dispositif::MediationFamiliale
            | Dispositif::ParrainageDeProximite
            | Dispositif::Laep
            | Dispositif::EspaceRencontre => ReglesDispositif::SUBVENTION,
        }
    }

    /// Whether the comité decides by amount (no FTE notified).
    pub const fn decide_par_montant(self) -> bool {
        matches!(self.regles().decision, ModeDecision::MontantParFinanceur)
    }

    /// The scheme's name as users read it.
    pub fn libelle(self) -> &'static str {
        match self {
            Dispositif::Aip => "AIP",
            Dispositif::Reaap => "REAAP",
            Dispositif::Clas => "CLAS",
            Dispositif::Pif => "PIF",
            Dispositif::MediationFamiliale => "médiation familiale",
            Dispositif::ParrainageDeProximite => "parrainage de proximité",
            Dispositif::Laep => "LAEP",
            Dispositif::EspaceRencontre => "espace rencontre",
        }
    }
}
