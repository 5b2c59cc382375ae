//! A Caf's call for projects (appel à projets) for one dispositif and one period: gestionnaires
//! answer it with a dossier, which can be submitted only while the call is open (Référentiel national de financement de l'AIP §IV.3).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::acces::{Acteur, exiger_agent_caf};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::experimentation;
use crate::identifiants::{AppelAProjetsId, CodeDepartement, UtilisateurId};
use crate::refus::Refus;
use crate::texte::{date_fr, vide};

/// The parenting-support schemes (Lettre circulaire Cnaf 2012-093, §33-34).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dispositif {
    /// Accompagnement individuel parentalité (the experiment, Instruction Cnaf It 2023-131 and Référentiel national de financement de l'AIP).
    Aip,
    Reaap,
    Clas,
    Pif,
    MediationFamiliale,
    ParrainageDeProximite,
    Laep,
    EspaceRencontre,
}

impl Dispositif {
    pub fn code(self) -> &'static str {
        match self {
            Dispositif::Aip => "aip",
            Dispositif::Reaap => "reaap",
            Dispositif::Clas => "clas",
            Dispositif::Pif => "pif",
            Dispositif::MediationFamiliale => "mediation_familiale",
            Dispositif::ParrainageDeProximite => "parrainage_de_proximite",
            Dispositif::Laep => "laep",
            Dispositif::EspaceRencontre => "espace_rencontre",
        }
    }
}

/// What a Caf agent fills in to publish a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NouvelAppel {
    pub departement: CodeDepartement,
    pub dispositif: Dispositif,
    pub intitule: String,
    /// The period the funded projects cover.
    #[serde(with = "crate::serde_dates::date")]
    pub debut_periode: Date,
    #[serde(with = "crate::serde_dates::date")]
    pub fin_periode: Date,
    /// First and last day (included) on which dossiers can be submitted.
    #[serde(with = "crate::serde_dates::date")]
    pub ouverture: Date,
    #[serde(with = "crate::serde_dates::date")]
    pub cloture: Date,
}

/// A published call for projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppelAProjets {
    pub id: AppelAProjetsId,
    pub departement: CodeDepartement,
    pub dispositif: Dispositif,
    pub intitule: String,
    #[serde(with = "crate::serde_dates::date")]
    pub debut_periode: Date,
    #[serde(with = "crate::serde_dates::date")]
    pub fin_periode: Date,
    #[serde(with = "crate::serde_dates::date")]
    pub ouverture: Date,
    #[serde(with = "crate::serde_dates::date")]
    pub cloture: Date,
    pub publie_par: UtilisateurId,
    #[serde(with = "crate::serde_dates::instant")]
    pub publie_le: OffsetDateTime,
}

impl AppelAProjets {
    /// Publishes a call. Only a Caf agent of the département does it. An AIP call is possible only
    /// in the ten départements of the experiment and for a period within it (Référentiel national de financement de l'AIP préambule,
    /// §IV.4).
    pub fn publier(
        id: AppelAProjetsId,
        acteur: &Acteur,
        appel: NouvelAppel,
        quand: OffsetDateTime,
    ) -> Result<Transition<AppelAProjets>, Refus> {
        const ACTION: &str = "Publier l'appel à projets";
        exiger_agent_caf(acteur, ACTION, appel.departement)?;
        if vide(&appel.intitule) {
            return Err(Refus::Incomplet {
                action: ACTION,
                champs: vec!["intitulé"],
            });
        }
        crate::texte::controler(ACTION, "Intitulé", &appel.intitule, false)?;
        if appel.ouverture > appel.cloture {
            return Err(Refus::invalide(ACTION, "la clôture précède l'ouverture"));
        }
        if appel.debut_periode > appel.fin_periode {
            return Err(Refus::invalide(
                ACTION,
                "la période finit avant de commencer",
            ));
        }
        if appel.dispositif.regles().experimentation_aip {
            if !experimentation::est_departement_aip(appel.departement) {
                return Err(Refus::invalide(
                    ACTION,
                    format!(
                        "le département {} ne fait pas partie de l'expérimentation AIP",
                        appel.departement
                    ),
                ));
            }
            if !experimentation::dans_la_periode(appel.debut_periode)
                || !experimentation::dans_la_periode(appel.fin_periode)
            {
                return Err(Refus::invalide(
                    ACTION,
                    format!(
                        "la période d'un appel AIP reste dans celle de l'expérimentation, du {} au {}",
                        date_fr(experimentation::DEBUT),
                        date_fr(experimentation::FIN)
                    ),
                ));
            }
        }
        let apres = AppelAProjets {
            id,
            departement: appel.departement,
            dispositif: appel.dispositif,
            intitule: appel.intitule.trim().to_owned(),
            debut_periode: appel.debut_periode,
            fin_periode: appel.fin_periode,
            ouverture: appel.ouverture,
            cloture: appel.cloture,
            publie_par: acteur.id,
            publie_le: quand,
        };
        let audit = Audit::nouveau(
            TypeEntite::AppelAProjets,
            id.0,
            "publier",
            acteur,
            quand,
            format!(
                "appel à projets « {} » publié, ouvert du {} au {}",
                apres.intitule,
                date_fr(apres.ouverture),
                date_fr(apres.cloture)
            ),
        );
        Ok(Transition { apres, audit })
    }

    /// Whether dossiers can be submitted on `date` (opening and closing days included).
    pub fn est_ouvert(&self, date: Date) -> bool {
        self.ouverture <= date && date <= self.cloture
    }

    /// Whether `debut..=fin` lies within the period of the call.
    pub fn couvre(&self, debut: Date, fin: Date) -> bool {
        self.debut_periode <= debut && fin <= self.fin_periode
    }
}
