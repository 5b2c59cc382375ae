//! The co-funders of the comité des financeurs (Lettre circulaire Cnaf 2012-093: « each funder stays master of its
//! own decision »): the Caf itself, and its partners, each recorded once.

use serde::{Deserialize, Serialize};

use crate::identifiants::{CodeDepartement, FinanceurId};

/// The kind of a co-funder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NatureFinanceur {
    /// State services (DDETS…).
    Etat,
    /// The département's council.
    ConseilDepartemental,
    /// The Mutualité sociale agricole.
    Msa,
    /// A commune or an EPCI.
    Commune,
    Autre,
}

/// A co-funder other than the Caf, in one département.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Financeur {
    pub id: FinanceurId,
    pub nom: String,
    pub nature: NatureFinanceur,
    pub departement: CodeDepartement,
}

/// Who decides one share of the funding of a dossier: the Caf (its agents record it), or a
/// partner funder (its own agents record it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cofinanceur {
    Caf,
    Partenaire(FinanceurId),
}
