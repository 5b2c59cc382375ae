//! What a transition returns besides the new record: an audit entry (who, when, which record, what
//! changed, from which state to which) that the store writes as an AuditEvent in the same
//! transaction as the record.

use serde::Serialize;
use time::OffsetDateTime;

use crate::acces::{Acteur, Role};
use crate::identifiants::UtilisateurId;

/// The kind of record an audit entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeEntite {
    AppelAProjets,
    Dossier,
    Decision,
    Convention,
    Declaration,
    Bilan,
    Paiement,
    Piece,
    Gestionnaire,
    Instance,
    Membre,
    Seance,
    Service,
    CalendrierNational,
    AppelACandidatures,
    Candidature,
}

impl TypeEntite {
    pub fn code(self) -> &'static str {
        match self {
            TypeEntite::AppelAProjets => "appel_a_projets",
            TypeEntite::Dossier => "dossier",
            TypeEntite::Decision => "decision",
            TypeEntite::Convention => "convention",
            TypeEntite::Declaration => "declaration",
            TypeEntite::Bilan => "bilan",
            TypeEntite::Paiement => "paiement",
            TypeEntite::Piece => "piece",
            TypeEntite::Gestionnaire => "gestionnaire",
            TypeEntite::Instance => "instance",
            TypeEntite::Membre => "membre",
            TypeEntite::Seance => "seance",
            TypeEntite::Service => "service",
            TypeEntite::CalendrierNational => "calendrier_national",
            TypeEntite::AppelACandidatures => "appel_a_candidatures",
            TypeEntite::Candidature => "candidature",
        }
    }
}

/// One field that changed, as text (`None`: absent before or after).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changement {
    pub champ: &'static str,
    pub avant: Option<String>,
    pub apres: Option<String>,
}

/// The audit entry of one write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Audit {
    pub entite: TypeEntite,
    pub entite_id: i64,
    /// The transition's code (`deposer`, `valider`…).
    pub action: &'static str,
    pub acteur: UtilisateurId,
    pub role: Role,
    #[serde(with = "crate::serde_dates::instant")]
    pub horodatage: OffsetDateTime,
    /// State codes before and after (`None` before a creation, or for records without states).
    pub etat_avant: Option<&'static str>,
    pub etat_apres: Option<&'static str>,
    /// A French sentence saying what happened.
    pub description: String,
    pub changements: Vec<Changement>,
}

impl Audit {
    pub(crate) fn nouveau(
        entite: TypeEntite,
        entite_id: i64,
        action: &'static str,
        acteur: &Acteur,
        horodatage: OffsetDateTime,
        description: impl Into<String>,
    ) -> Audit {
        Audit {
            entite,
            entite_id,
            action,
            acteur: acteur.id,
            role: acteur.role,
            horodatage,
            etat_avant: None,
            etat_apres: None,
            description: description.into(),
            changements: Vec::new(),
        }
    }

    pub(crate) fn etats(mut self, avant: Option<&'static str>, apres: &'static str) -> Audit {
        self.etat_avant = avant;
        self.etat_apres = Some(apres);
        self
    }

    pub(crate) fn changement(
        mut self,
        champ: &'static str,
        avant: Option<String>,
        apres: Option<String>,
    ) -> Audit {
        if avant != apres {
            self.changements.push(Changement {
                champ,
                avant,
                apres,
            });
        }
        self
    }
}

/// A record after a transition, and the audit of that transition.
#[derive(Debug, Clone)]
pub struct Transition<T> {
    pub apres: T,
    pub audit: Audit,
}
