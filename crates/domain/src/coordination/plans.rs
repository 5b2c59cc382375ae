//! What the departmental coordination writes down besides its diagnosis: the action plan of its
//! local priorities and the information and communication plan (Lettre circulaire Cnaf 2012-093
//! §3-4: « définir des priorités locales », « un plan d'information et de communication » towards
//! families and partners; CASF art. L.214-5 and D.214-1: the comité départemental des services aux
//! familles adopts the schéma départemental des services aux familles, whose axes the plan
//! follows). Each item is read from what an agent typed, every field checked at once, each error
//! on its field.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::refus::Refus;
use crate::texte::TexteLibre;

/// The kind of item a plan holds, with the name its rows are stored under.
pub trait ElementPlan: Serialize + for<'de> Deserialize<'de> + Clone {
    /// `action` or `communication`.
    const NATURE: &'static str;
}

/// Where an action of the plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatutAction {
    AEngager,
    EnCours,
    Realisee,
    Abandonnee,
}

impl StatutAction {
    pub const TOUS: [StatutAction; 4] = [
        StatutAction::AEngager,
        StatutAction::EnCours,
        StatutAction::Realisee,
        StatutAction::Abandonnee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StatutAction::AEngager => "a_engager",
            StatutAction::EnCours => "en_cours",
            StatutAction::Realisee => "realisee",
            StatutAction::Abandonnee => "abandonnee",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            StatutAction::AEngager => "à engager",
            StatutAction::EnCours => "en cours",
            StatutAction::Realisee => "réalisée",
            StatutAction::Abandonnee => "abandonnée",
        }
    }

    pub fn depuis_code(code: &str) -> Option<StatutAction> {
        StatutAction::TOUS.into_iter().find(|s| s.code() == code)
    }
}

/// Who an action of communication is for (Lettre circulaire Cnaf 2012-093 §4: information of
/// parents, and of partners).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicVise {
    Familles,
    Partenaires,
    FamillesEtPartenaires,
}

impl PublicVise {
    pub const TOUS: [PublicVise; 3] = [
        PublicVise::Familles,
        PublicVise::Partenaires,
        PublicVise::FamillesEtPartenaires,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PublicVise::Familles => "familles",
            PublicVise::Partenaires => "partenaires",
            PublicVise::FamillesEtPartenaires => "familles_et_partenaires",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            PublicVise::Familles => "familles",
            PublicVise::Partenaires => "partenaires",
            PublicVise::FamillesEtPartenaires => "familles et partenaires",
        }
    }

    pub fn depuis_code(code: &str) -> Option<PublicVise> {
        PublicVise::TOUS.into_iter().find(|s| s.code() == code)
    }
}

/// An action of the plan: under an axis of the schéma, with its owner, its indicator, its
/// deadline and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPlan {
    /// The axis of the schéma départemental des services aux familles it serves (named locally:
    /// no text fixes a national list).
    pub axe: String,
    pub intitule: String,
    /// Who carries it (an institution, a service, a partner).
    pub porteur: String,
    /// How its result is measured.
    pub indicateur: String,
    #[serde(with = "crate::serde_dates::date")]
    pub echeance: Date,
    pub statut: StatutAction,
}

impl ElementPlan for ActionPlan {
    const NATURE: &'static str = "action";
}

/// An action of the information and communication plan, with its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionCommunication {
    pub intitule: String,
    pub public: PublicVise,
    /// The means: a leaflet, a meeting, a web page, a mailing…
    pub support: String,
    #[serde(with = "crate::serde_dates::date")]
    pub date: Date,
}

impl ElementPlan for ActionCommunication {
    const NATURE: &'static str = "communication";
}

/// An action of the plan as typed (every field text, as a form sends it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaisieActionPlan {
    #[serde(default)]
    pub axe: String,
    #[serde(default)]
    pub intitule: String,
    #[serde(default)]
    pub porteur: String,
    #[serde(default)]
    pub indicateur: String,
    #[serde(default)]
    pub echeance: String,
    #[serde(default)]
    pub statut: String,
}

/// An action of communication as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaisieCommunication {
    #[serde(default)]
    pub intitule: String,
    #[serde(default)]
    pub public: String,
    #[serde(default)]
    pub support: String,
    #[serde(default)]
    pub date: String,
}

const ACTION_PLAN: &str = "Enregistrer l'action";
const ACTION_COMMUNICATION: &str = "Enregistrer l'action de communication";

/// A one-line text of at most 200 characters, or the refusal on its field.
fn court(
    action: &'static str,
    champ: &'static str,
    libelle: &'static str,
    texte: &str,
    refus: &mut Vec<Refus>,
) -> String {
    match TexteLibre::court(libelle, texte) {
        Ok(t) => t.into_inner(),
        Err(e) => {
            refus.push(Refus::Champ {
                action,
                champ,
                raison: e.to_string(),
            });
            String::new()
        }
    }
}

/// A date typed as `AAAA-MM-JJ` (what a date field sends), or the refusal on its field.
fn date(
    action: &'static str,
    champ: &'static str,
    libelle: &'static str,
    texte: &str,
    refus: &mut Vec<Refus>,
) -> Option<Date> {
    let texte = texte.trim();
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(texte, &format) {
        Ok(d) if (2000..=2100).contains(&d.year()) => Some(d),
        _ => {
            refus.push(Refus::Champ {
                action,
                champ,
                raison: if texte.is_empty() {
                    format!("{libelle} : à compléter")
                } else {
                    format!(
                        "{libelle} : une date entre 2000 et 2100 est attendue (reçu « {texte} »)"
                    )
                },
            });
            None
        }
    }
}

impl SaisieActionPlan {
    /// The action, when every field is right; else every error, each on its field.
    pub fn lire(&self) -> Result<ActionPlan, Refus> {
        let a = ACTION_PLAN;
        let mut refus = Vec::new();
        let axe = court(a, "axe", "axe du schéma", &self.axe, &mut refus);
        let intitule = court(
            a,
            "intitule",
            "intitulé de l'action",
            &self.intitule,
            &mut refus,
        );
        let porteur = court(a, "porteur", "porteur", &self.porteur, &mut refus);
        let indicateur = court(a, "indicateur", "indicateur", &self.indicateur, &mut refus);
        let echeance = date(a, "echeance", "échéance", &self.echeance, &mut refus);
        let statut = StatutAction::depuis_code(self.statut.trim());
        if statut.is_none() {
            refus.push(Refus::Champ {
                action: a,
                champ: "statut",
                raison: "statut : choisissez-en un dans la liste".to_owned(),
            });
        }
        Refus::ensemble(a, refus)?;
        match (echeance, statut) {
            (Some(echeance), Some(statut)) => Ok(ActionPlan {
                axe,
                intitule,
                porteur,
                indicateur,
                echeance,
                statut,
            }),
            _ => Err(Refus::invalide(a, "saisie incomplète")),
        }
    }

    /// The fields of a recorded action, to edit it.
    pub fn depuis(action: &ActionPlan) -> SaisieActionPlan {
        SaisieActionPlan {
            axe: action.axe.clone(),
            intitule: action.intitule.clone(),
            porteur: action.porteur.clone(),
            indicateur: action.indicateur.clone(),
            echeance: action.echeance.to_string(),
            statut: action.statut.code().to_owned(),
        }
    }
}

impl SaisieCommunication {
    /// The action of communication, when every field is right; else every error, each on its
    /// field.
    pub fn lire(&self) -> Result<ActionCommunication, Refus> {
        let a = ACTION_COMMUNICATION;
        let mut refus = Vec::new();
        let intitule = court(
            a,
            "intitule",
            "intitulé de l'action",
            &self.intitule,
            &mut refus,
        );
        let public = PublicVise::depuis_code(self.public.trim());
        if public.is_none() {
            refus.push(Refus::Champ {
                action: a,
                champ: "public",
                raison: "public visé : choisissez-en un dans la liste".to_owned(),
            });
        }
        let support = court(a, "support", "support", &self.support, &mut refus);
        let date = date(a, "date", "date", &self.date, &mut refus);
        Refus::ensemble(a, refus)?;
        match (public, date) {
            (Some(public), Some(date)) => Ok(ActionCommunication {
                intitule,
                public,
                support,
                date,
            }),
            _ => Err(Refus::invalide(a, "saisie incomplète")),
        }
    }

    /// The fields of a recorded action of communication, to edit it.
    pub fn depuis(action: &ActionCommunication) -> SaisieCommunication {
        SaisieCommunication {
            intitule: action.intitule.clone(),
            public: action.public.code().to_owned(),
            support: action.support.clone(),
            date: action.date.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn une_action_complete_est_lue() {
        let s = SaisieActionPlan {
            axe: " Soutien à la parentalité ".into(),
            intitule: "Couvrir le nord du département".into(),
            porteur: "Caf".into(),
            indicateur: "Communes sans lieu à moins de 10 km".into(),
            echeance: "2027-06-30".into(),
            statut: "en_cours".into(),
        };
        let a = s.lire().unwrap();
        assert_eq!(a.axe, "Soutien à la parentalité");
        assert_eq!(a.echeance, date!(2027 - 06 - 30));
        assert_eq!(a.statut, StatutAction::EnCours);
        assert_eq!(SaisieActionPlan::depuis(&a).lire().unwrap(), a);
    }

    #[test]
    fn chaque_champ_faux_a_son_erreur() {
        let r = SaisieActionPlan {
            echeance: "30/06/2027".into(),
            statut: "fini".into(),
            ..SaisieActionPlan::default()
        }
        .lire()
        .unwrap_err();
        let champs: Vec<&str> = r.un_par_un().iter().filter_map(|r| r.champ()).collect();
        assert_eq!(
            champs,
            vec![
                "axe",
                "intitule",
                "porteur",
                "indicateur",
                "echeance",
                "statut"
            ]
        );
        assert!(r.to_string().contains("reçu « 30/06/2027 »"), "{r}");
        let r = SaisieCommunication {
            intitule: "Lettre aux partenaires".into(),
            public: "partenaires".into(),
            support: "x".repeat(500),
            date: String::new(),
        }
        .lire()
        .unwrap_err();
        let champs: Vec<&str> = r.un_par_un().iter().filter_map(|r| r.champ()).collect();
        assert_eq!(champs, vec!["support", "date"]);
        assert!(r.to_string().contains("date : à compléter"), "{r}");
    }

    #[test]
    fn une_action_de_communication_est_lue() {
        let c = SaisieCommunication {
            intitule: "Guide des lieux d'accueil".into(),
            public: "familles".into(),
            support: "Dépliant et page web".into(),
            date: "2027-01-15".into(),
        }
        .lire()
        .unwrap();
        assert_eq!(c.public, PublicVise::Familles);
        assert_eq!(SaisieCommunication::depuis(&c).lire().unwrap(), c);
    }
}
