//! Why the domain refuses an action: one error type for every transition and write, each variant
//! with a French sentence that can be shown as is, and a stable code the web layer maps to an HTTP
//! status (403 for who, 409 for when, 422 for what).

use time::Date;

use crate::acces::Role;
use crate::identifiants::CodeDepartement;
use crate::texte::date_fr;

/// A refused action. `action` is what was attempted, as a capitalised French phrase
/// (« Déposer le dossier »).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refus {
    /// The actor's role does not allow the action.
    #[error("{action} : action réservée {reservee_a} (votre rôle : {})", role.libelle())]
    Role {
        action: &'static str,
        reservee_a: &'static str,
        role: Role,
    },
    /// The Cnaf reads every dossier but does not act on local ones.
    #[error("{action} : la Cnaf consulte les dossiers des Caf mais n'agit pas sur eux")]
    CnafConsultation { action: &'static str },
    /// The record belongs to a département outside the actor's territory.
    #[error("{action} : le département {departement} n'est pas dans votre périmètre")]
    Territoire {
        action: &'static str,
        departement: CodeDepartement,
    },
    /// The record belongs to a structure (gestionnaire) the actor does not represent.
    #[error("{action} : cette structure n'est pas dans votre périmètre")]
    Structure { action: &'static str },
    /// A funder tries to record another funder's decision.
    #[error("{action} : chaque financeur n'enregistre que sa propre décision")]
    Financeur { action: &'static str },
    /// The record is not in a state that allows the action.
    #[error("{action} : {objet} est à l'état « {etat} » (état requis : {requis})")]
    Etat {
        action: &'static str,
        objet: &'static str,
        etat: &'static str,
        requis: String,
    },
    /// A dossier submitted outside the opening of its call for projects.
    #[error(
        "{action} : l'appel à projets est ouvert du {} au {} (date de l'action : {})",
        date_fr(*ouverture), date_fr(*cloture), date_fr(*date)
    )]
    AppelFerme {
        action: &'static str,
        ouverture: Date,
        cloture: Date,
        date: Date,
    },
    /// Fields that must be filled before the action.
    #[error("{action} : à compléter : {}", champs.join(", "))]
    Incomplet {
        action: &'static str,
        champs: Vec<&'static str>,
    },
    /// A value that breaks a rule.
    #[error("{action} : {raison}")]
    Invalide {
        action: &'static str,
        raison: String,
    },
    /// The value of one field of the input breaks a rule: `champ` names the field (the name of
    /// the input's member, the same in forms and in the API).
    #[error("{action} : {raison}")]
    Champ {
        action: &'static str,
        champ: &'static str,
        raison: String,
    },
    /// A reason that must be given.
    #[error("{action} : un motif est obligatoire")]
    MotifObligatoire { action: &'static str },
    /// Records that do not belong together (a decision of another dossier…).
    #[error("{action} : {raison}")]
    Incoherence {
        action: &'static str,
        raison: String,
    },
    /// A fact already recorded, that cannot be recorded twice.
    #[error("{action} : {raison}")]
    DejaEnregistre {
        action: &'static str,
        raison: String,
    },
    /// A condition of the rules not met yet (a payment before its declaration is validated…).
    #[error("{action} : {raison}")]
    Condition {
        action: &'static str,
        raison: String,
    },
    /// The scheme's texts exclude the structure (its status or activity), whatever the caller.
    #[error("{action} : {raison} ({paragraphe})")]
    NonEligible {
        action: &'static str,
        raison: String,
        /// The text and paragraph that exclude it.
        paragraphe: &'static str,
    },
    /// Several refusals of the same input, found together so that all are shown at once.
    #[error("{action} : {}", refus.iter().map(Refus::sans_action).collect::<Vec<_>>().join(" ; "))]
    Plusieurs {
        action: &'static str,
        refus: Vec<Refus>,
    },
    /// The subsidy cannot be computed.
    #[error("{action} : calcul impossible : {raison}")]
    Calcul {
        action: &'static str,
        raison: String,
    },
}

impl Refus {
    /// The sentence to show.
    pub fn raison(&self) -> String {
        self.to_string()
    }

    /// A stable code for APIs and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Refus::Role { .. } => "role",
            Refus::CnafConsultation { .. } => "cnaf_consultation",
            Refus::Territoire { .. } => "territoire",
            Refus::Structure { .. } => "structure",
            Refus::Financeur { .. } => "financeur",
            Refus::Etat { .. } => "etat",
            Refus::AppelFerme { .. } => "appel_ferme",
            Refus::Incomplet { .. } => "incomplet",
            Refus::Invalide { .. } => "invalide",
            Refus::Champ { .. } => "champ",
            Refus::MotifObligatoire { .. } => "motif_obligatoire",
            Refus::Incoherence { .. } => "incoherence",
            Refus::DejaEnregistre { .. } => "deja_enregistre",
            Refus::Condition { .. } => "condition",
            Refus::NonEligible { .. } => "non_eligible",
            Refus::Calcul { .. } => "calcul",
            Refus::Plusieurs { .. } => "plusieurs",
        }
    }

    /// True when the refusal is about who acts (role, territory, structure, funder): the web
    /// layer answers 403.
    pub fn est_un_refus_d_acces(&self) -> bool {
        matches!(
            self,
            Refus::Role { .. }
                | Refus::CnafConsultation { .. }
                | Refus::Territoire { .. }
                | Refus::Structure { .. }
                | Refus::Financeur { .. }
        )
    }

    /// The reason without the action it refuses (« à compléter : objectifs »).
    pub fn sans_action(&self) -> String {
        let texte = self.to_string();
        match texte.split_once(" : ") {
            Some((_, raison)) => raison.to_owned(),
            None => texte,
        }
    }

    /// The refusals it is made of: itself, or each of [`Refus::Plusieurs`].
    pub fn un_par_un(&self) -> Vec<&Refus> {
        match self {
            Refus::Plusieurs { refus, .. } => refus.iter().flat_map(Refus::un_par_un).collect(),
            autre => vec![autre],
        }
    }

    /// `Ok` when `refus` is empty, else the one refusal or [`Refus::Plusieurs`].
    pub(crate) fn ensemble(action: &'static str, mut refus: Vec<Refus>) -> Result<(), Refus> {
        match refus.len() {
            0 => Ok(()),
            1 => Err(refus.remove(0)),
            _ => Err(Refus::Plusieurs { action, refus }),
        }
    }

    /// The field of the input the refusal concerns, when it concerns one.
    pub fn champ(&self) -> Option<&'static str> {
        match self {
            Refus::Champ { champ, .. } => Some(champ),
            Refus::MotifObligatoire { .. } => Some("motif"),
            _ => None,
        }
    }

    pub(crate) fn sur_champ(
        action: &'static str,
        champ: &'static str,
        raison: impl Into<String>,
    ) -> Refus {
        Refus::Champ {
            action,
            champ,
            raison: raison.into(),
        }
    }

    pub(crate) fn invalide(action: &'static str, raison: impl Into<String>) -> Refus {
        Refus::Invalide {
            action,
            raison: raison.into(),
        }
    }

    pub(crate) fn incoherence(action: &'static str, raison: impl Into<String>) -> Refus {
        Refus::Incoherence {
            action,
            raison: raison.into(),
        }
    }

    pub fn condition(action: &'static str, raison: impl Into<String>) -> Refus {
        Refus::Condition {
            action,
            raison: raison.into(),
        }
    }
}

/// Refuses unless `etat` is one of `requis` (given with their French labels).
pub(crate) fn exiger_etat<E: Copy + PartialEq>(
    action: &'static str,
    objet: &'static str,
    etat: E,
    libelle: fn(E) -> &'static str,
    requis: &[E],
) -> Result<(), Refus> {
    if requis.contains(&etat) {
        return Ok(());
    }
    let requis: Vec<String> = requis
        .iter()
        .map(|e| format!("« {} »", libelle(*e)))
        .collect();
    Err(Refus::Etat {
        action,
        objet,
        etat: libelle(etat),
        requis: requis.join(" ou "),
    })
}

/// Refuses a blank reason (invisible characters count as blank), or one too long or holding a
/// control character; returns it trimmed.
pub(crate) fn exiger_motif(action: &'static str, motif: &str) -> Result<String, Refus> {
    match crate::texte::TexteLibre::long("Motif", motif) {
        Ok(t) => Ok(t.into_inner()),
        Err(crate::texte::ErreurTexte::Vide { .. }) => Err(Refus::MotifObligatoire { action }),
        Err(e) => Err(Refus::invalide(action, e.to_string())),
    }
}
