//! The minutes of a held séance (Lettre circulaire Cnaf 2012-093 §41, the secretariat's « rédaction
//! des comptes-rendus »): drafted by the secretariat, sent to the convened members for comments,
//! approved at a later séance of the same instance, then published. Its decisions and actions
//! (owner, deadline, status) are followed from séance to séance.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::instance::Instance;
use super::seance::{EtatSeance, Seance};
use crate::acces::Acteur;
use crate::audit::{Audit, Transition, TypeEntite};
use crate::identifiants::{MembreId, SeanceId};
use crate::refus::{Refus, exiger_etat};
use crate::texte::vide;

/// Where the minutes stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EtatCompteRendu {
    Brouillon,
    /// Sent to the members, who may comment.
    EnCommentaires,
    /// Approved at a later séance.
    Approuve,
    /// Published (its PDF readable by every member).
    Publie,
}

impl EtatCompteRendu {
    pub fn code(self) -> &'static str {
        match self {
            EtatCompteRendu::Brouillon => "brouillon",
            EtatCompteRendu::EnCommentaires => "en_commentaires",
            EtatCompteRendu::Approuve => "approuve",
            EtatCompteRendu::Publie => "publie",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            EtatCompteRendu::Brouillon => "brouillon",
            EtatCompteRendu::EnCommentaires => "soumis aux commentaires des membres",
            EtatCompteRendu::Approuve => "approuvé",
            EtatCompteRendu::Publie => "publié",
        }
    }
}

/// Where an action decided stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatutAction {
    AFaire,
    EnCours,
    Realisee,
    Abandonnee,
}

impl StatutAction {
    pub const TOUS: [StatutAction; 4] = [
        StatutAction::AFaire,
        StatutAction::EnCours,
        StatutAction::Realisee,
        StatutAction::Abandonnee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StatutAction::AFaire => "a_faire",
            StatutAction::EnCours => "en_cours",
            StatutAction::Realisee => "realisee",
            StatutAction::Abandonnee => "abandonnee",
        }
    }

    pub fn depuis_code(code: &str) -> Option<StatutAction> {
        StatutAction::TOUS.into_iter().find(|s| s.code() == code)
    }

    pub fn libelle(self) -> &'static str {
        match self {
            StatutAction::AFaire => "à faire",
            StatutAction::EnCours => "en cours",
            StatutAction::Realisee => "réalisée",
            StatutAction::Abandonnee => "abandonnée",
        }
    }

    /// Whether the action is still followed at the next séances.
    pub fn ouverte(self) -> bool {
        matches!(self, StatutAction::AFaire | StatutAction::EnCours)
    }
}

/// An action the séance decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionSuivie {
    /// Its number in the séance's minutes, from 1.
    pub numero: u32,
    pub libelle: String,
    /// Who carries it (an organisation or a person).
    pub porteur: String,
    #[serde(with = "crate::serde_dates::date")]
    pub echeance: Date,
    pub statut: StatutAction,
}

/// A member's comment on the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commentaire {
    pub membre: MembreId,
    pub texte: String,
    #[serde(with = "crate::serde_dates::instant")]
    pub le: OffsetDateTime,
}

/// The minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompteRendu {
    pub texte: String,
    pub decisions: Vec<String>,
    pub actions: Vec<ActionSuivie>,
    pub etat: EtatCompteRendu,
    pub commentaires: Vec<Commentaire>,
    /// The séance that approved it.
    pub approuve_en: Option<SeanceId>,
    #[serde(with = "crate::serde_dates::instant::option", default)]
    pub publie_le: Option<OffsetDateTime>,
}

/// An action as the secretariat enters it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaisieAction {
    pub libelle: String,
    pub porteur: String,
    pub echeance: Option<Date>,
}

/// What the secretariat enters in the minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaisieCompteRendu {
    pub texte: String,
    pub decisions: Vec<String>,
    pub actions: Vec<SaisieAction>,
}

impl Seance {
    fn exiger_compte_rendu(
        &self,
        action: &'static str,
        requis: &[EtatCompteRendu],
    ) -> Result<&CompteRendu, Refus> {
        let cr = self
            .compte_rendu
            .as_ref()
            .ok_or_else(|| Refus::condition(action, "le compte rendu n'est pas rédigé"))?;
        exiger_etat(
            action,
            "le compte rendu",
            cr.etat,
            EtatCompteRendu::libelle,
            requis,
        )?;
        Ok(cr)
    }

    fn transition_compte_rendu(
        &self,
        acteur: &Acteur,
        action: &'static str,
        description: impl Into<String>,
        cr: CompteRendu,
        quand: OffsetDateTime,
    ) -> Transition<Seance> {
        let avant = self.compte_rendu.as_ref().map(|c| c.etat.code().to_owned());
        let apres_etat = cr.etat.code().to_owned();
        let mut apres = self.clone();
        apres.compte_rendu = Some(cr);
        let audit = Audit::nouveau(
            TypeEntite::Seance,
            self.id.0,
            action,
            acteur,
            quand,
            description,
        )
        .changement("compte_rendu", avant, Some(apres_etat));
        Transition { apres, audit }
    }

    /// Drafts (or redrafts) the minutes of a held séance.
    pub fn rediger_compte_rendu(
        &self,
        acteur: &Acteur,
        instance: &Instance,
        saisie: SaisieCompteRendu,
        quand: OffsetDateTime,
    ) -> Result<Transition<Seance>, Refus> {
        const ACTION: &str = "Rédiger le compte rendu";
        instance.exiger_secretariat(acteur, ACTION)?;
        exiger_etat(
            ACTION,
            "la séance",
            self.etat,
            EtatSeance::libelle,
            &[EtatSeance::Tenue],
        )?;
        if let Some(cr) = &self.compte_rendu {
            exiger_etat(
                ACTION,
                "le compte rendu",
                cr.etat,
                EtatCompteRendu::libelle,
                &[EtatCompteRendu::Brouillon, EtatCompteRendu::EnCommentaires],
            )?;
        }
        let mut refus = Vec::new();
        if vide(&saisie.texte) {
            refus.push(Refus::sur_champ(ACTION, "texte", "à compléter"));
        } else if let Err(e) = crate::texte::TexteLibre::long("texte", &saisie.texte) {
            refus.push(Refus::sur_champ(ACTION, "texte", e.to_string()));
        }
        for d in &saisie.decisions {
            if let Err(e) = crate::texte::TexteLibre::long("decisions", d) {
                refus.push(Refus::sur_champ(ACTION, "decisions", e.to_string()));
            }
        }
        let mut actions = Vec::new();
        for (i, a) in saisie.actions.iter().enumerate() {
            let numero = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if vide(&a.libelle) {
                refus.push(Refus::sur_champ(
                    ACTION,
                    "actions",
                    format!("action {numero} : son libellé est à compléter"),
                ));
            }
            if vide(&a.porteur) {
                refus.push(Refus::sur_champ(
                    ACTION,
                    "actions",
                    format!("action {numero} : qui la porte ?"),
                ));
            }
            let Some(echeance) = a.echeance else {
                refus.push(Refus::sur_champ(
                    ACTION,
                    "actions",
                    format!("action {numero} : son échéance est à compléter"),
                ));
                continue;
            };
            let statut = self
                .compte_rendu
                .as_ref()
                .and_then(|cr| cr.actions.iter().find(|x| x.numero == numero))
                .map_or(StatutAction::AFaire, |x| x.statut);
            actions.push(ActionSuivie {
                numero,
                libelle: a.libelle.trim().to_owned(),
                porteur: a.porteur.trim().to_owned(),
                echeance,
                statut,
            });
        }
        Refus::ensemble(ACTION, refus)?;
        let (etat, commentaires) = match &self.compte_rendu {
            Some(cr) => (cr.etat, cr.commentaires.clone()),
            None => (EtatCompteRendu::Brouillon, Vec::new()),
        };
        let cr = CompteRendu {
            texte: saisie.texte.trim().to_owned(),
            decisions: saisie
                .decisions
                .iter()
                .map(|d| d.trim().to_owned())
                .filter(|d| !d.is_empty())
                .collect(),
            actions,
            etat,
            commentaires,
            approuve_en: None,
            publie_le: None,
        };
        Ok(self.transition_compte_rendu(
            acteur,
            "rediger_compte_rendu",
            "Compte rendu rédigé",
            cr,
            quand,
        ))
    }

    /// Sends the draft to the convened members for their comments (the caller mails them).
    pub fn soumettre_compte_rendu(
        &self,
        acteur: &Acteur,
        instance: &Instance,
        quand: OffsetDateTime,
    ) -> Result<Transition<Seance>, Refus> {
        const ACTION: &str = "Soumettre le compte rendu aux membres";
        instance.exiger_secretariat(acteur, ACTION)?;
        let cr = self.exiger_compte_rendu(ACTION, &[EtatCompteRendu::Brouillon])?;
        let mut cr = cr.clone();
        cr.etat = EtatCompteRendu::EnCommentaires;
        Ok(self.transition_compte_rendu(
            acteur,
            "soumettre_compte_rendu",
            "Compte rendu soumis aux commentaires des membres",
            cr,
            quand,
        ))
    }

    /// A convened member comments on the minutes sent to it.
    pub fn commenter_compte_rendu(
        &self,
        acteur: &Acteur,
        membre: MembreId,
        texte: &str,
        quand: OffsetDateTime,
    ) -> Result<Transition<Seance>, Refus> {
        const ACTION: &str = "Commenter le compte rendu";
        let cr = self.exiger_compte_rendu(ACTION, &[EtatCompteRendu::EnCommentaires])?;
        if !self.convocations.contains_key(&membre) {
            return Err(Refus::condition(
                ACTION,
                "seuls les membres convoqués à la séance commentent son compte rendu",
            ));
        }
        if vide(texte) {
            return Err(Refus::sur_champ(ACTION, "commentaire", "à compléter"));
        }
        let texte = crate::texte::TexteLibre::long("commentaire", texte)
            .map_err(|e| Refus::sur_champ(ACTION, "commentaire", e.to_string()))?;
        let mut cr = cr.clone();
        cr.commentaires.push(Commentaire {
            membre,
            texte: texte.as_str().to_owned(),
            le: quand,
        });
        Ok(self.transition_compte_rendu(
            acteur,
            "commenter_compte_rendu",
            format!("Commentaire du membre n° {membre}"),
            cr,
            quand,
        ))
    }

    /// Approves the minutes at `suivante`, a later séance of the same instance, held.
    pub fn approuver_compte_rendu(
        &self,
        acteur: &Acteur,
        instance: &Instance,
        suivante: &Seance,
        quand: OffsetDateTime,
    ) -> Result<Transition<Seance>, Refus> {
        const ACTION: &str = "Approuver le compte rendu";
        instance.exiger_secretariat(acteur, ACTION)?;
        let cr = self.exiger_compte_rendu(
            ACTION,
            &[EtatCompteRendu::Brouillon, EtatCompteRendu::EnCommentaires],
        )?;
        if suivante.instance != self.instance
            || suivante.debut <= self.debut
            || suivante.etat != EtatSeance::Tenue
        {
            return Err(Refus::sur_champ(
                ACTION,
                "seance_suivante",
                "le compte rendu s'approuve à une séance suivante de la même instance, tenue",
            ));
        }
        let mut cr = cr.clone();
        cr.etat = EtatCompteRendu::Approuve;
        cr.approuve_en = Some(suivante.id);
        Ok(self.transition_compte_rendu(
            acteur,
            "approuver_compte_rendu",
            format!("Compte rendu approuvé à la séance n° {}", suivante.id),
            cr,
            quand,
        ))
    }

    /// Publishes approved minutes.
    pub fn publier_compte_rendu(
        &self,
        acteur: &Acteur,
        instance: &Instance,
        quand: OffsetDateTime,
    ) -> Result<Transition<Seance>, Refus> {
        const ACTION: &str = "Publier le compte rendu";
        instance.exiger_secretariat(acteur, ACTION)?;
        let cr = self.exiger_compte_rendu(ACTION, &[EtatCompteRendu::Approuve])?;
        let mut cr = cr.clone();
        cr.etat = EtatCompteRendu::Publie;
        cr.publie_le = Some(quand);
        Ok(self.transition_compte_rendu(
            acteur,
            "publier_compte_rendu",
            "Compte rendu publié",
            cr,
            quand,
        ))
    }

    /// Updates the status of one of the actions this séance decided, at any later time.
    pub fn suivre_action(
        &self,
        acteur: &Acteur,
        instance: &Instance,
        numero: u32,
        statut: StatutAction,
        quand: OffsetDateTime,
    ) -> Result<Transition<Seance>, Refus> {
        const ACTION: &str = "Suivre une action";
        instance.exiger_secretariat(acteur, ACTION)?;
        let cr = self
            .compte_rendu
            .as_ref()
            .ok_or_else(|| Refus::condition(ACTION, "la séance n'a pas de compte rendu"))?;
        let mut cr = cr.clone();
        let action = cr
            .actions
            .iter_mut()
            .find(|a| a.numero == numero)
            .ok_or_else(|| {
                Refus::sur_champ(ACTION, "numero", format!("pas d'action n° {numero}"))
            })?;
        action.statut = statut;
        Ok(self.transition_compte_rendu(
            acteur,
            "suivre_action",
            format!("Action n° {numero} : {}", statut.libelle()),
            cr,
            quand,
        ))
    }
}
