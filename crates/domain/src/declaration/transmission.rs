//! The lifecycle shared by declarations and annual reports: the gestionnaire transmits, the Caf
//! validates or sends back with a reason (Référentiel national de financement de l'AIP §IV.4: « déclarer régulièrement à la Caf ses
//! données d'activité et financières »; §V: the bilan goes to the Caf every year).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::acces::{Acteur, exiger_agent_caf, exiger_gestionnaire};
use crate::audit::{Audit, TypeEntite};
use crate::identifiants::{CodeDepartement, GestionnaireId, UtilisateurId};
use crate::refus::{Refus, exiger_etat, exiger_motif};

/// The states of a declaration or a bilan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EtatTransmission {
    /// Being written by the gestionnaire.
    Saisie,
    /// Sent to the Caf.
    Transmise,
    /// Accepted by the Caf: a fact payments rest on.
    Validee,
}

impl EtatTransmission {
    pub const TOUS: [EtatTransmission; 3] = [
        EtatTransmission::Saisie,
        EtatTransmission::Transmise,
        EtatTransmission::Validee,
    ];

    /// `saisie`, `transmise`, `validee`.
    pub fn code(self) -> &'static str {
        match self {
            EtatTransmission::Saisie => "saisie",
            EtatTransmission::Transmise => "transmise",
            EtatTransmission::Validee => "validee",
        }
    }

    pub fn depuis_code(code: &str) -> Option<EtatTransmission> {
        EtatTransmission::TOUS
            .into_iter()
            .find(|e| e.code() == code)
    }

    pub fn libelle(self) -> &'static str {
        match self {
            EtatTransmission::Saisie => "en saisie",
            EtatTransmission::Transmise => "transmise",
            EtatTransmission::Validee => "validée",
        }
    }
}

/// Where a declaration or bilan stands, and who moved it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiviTransmission {
    pub etat: EtatTransmission,
    /// The Caf's reason when it last sent it back.
    pub motif_renvoi: Option<String>,
    #[serde(default, with = "crate::serde_dates::instant::option")]
    pub transmise_le: Option<OffsetDateTime>,
    #[serde(default, with = "crate::serde_dates::instant::option")]
    pub validee_le: Option<OffsetDateTime>,
    pub validee_par: Option<UtilisateurId>,
}

impl SuiviTransmission {
    pub(crate) fn nouveau() -> SuiviTransmission {
        SuiviTransmission {
            etat: EtatTransmission::Saisie,
            motif_renvoi: None,
            transmise_le: None,
            validee_le: None,
            validee_par: None,
        }
    }
}

/// The record a lifecycle step applies to.
pub(crate) struct Objet<'a> {
    pub entite: TypeEntite,
    pub id: i64,
    /// « la déclaration », « le bilan ».
    pub nom: &'static str,
    /// « déclaration réelle 2024 », for the audit.
    pub designation: String,
    pub departement: CodeDepartement,
    pub gestionnaire: GestionnaireId,
    pub suivi: &'a SuiviTransmission,
}

/// Refuses a sending before the calendar of the exercise opens it (Référentiel national de
/// financement de l'AIP, §VI.1 étape 2 and §V; the dates are dated parameters).
pub(crate) fn exiger_ouverture(
    action: &'static str,
    quoi: &str,
    ouverture: (time::Date, &referentiel::parametres::ValeurUtilisee<'_>),
    quand: OffsetDateTime,
) -> Result<(), Refus> {
    let (date, valeur) = ouverture;
    if quand.date() < date {
        let source = &valeur.valeur.source;
        return Err(Refus::condition(
            action,
            format!(
                "{quoi} se transmet à partir du {} ({}, {})",
                crate::texte::date_longue(date),
                source.texte,
                source.paragraphe
            ),
        ));
    }
    Ok(())
}

impl Objet<'_> {
    fn exiger_etat(&self, action: &'static str, requis: &[EtatTransmission]) -> Result<(), Refus> {
        exiger_etat(
            action,
            self.nom,
            self.suivi.etat,
            EtatTransmission::libelle,
            requis,
        )
    }

    fn audit(
        &self,
        action: &'static str,
        acteur: &Acteur,
        quand: OffsetDateTime,
        apres: EtatTransmission,
        description: String,
    ) -> Audit {
        Audit::nouveau(self.entite, self.id, action, acteur, quand, description)
            .etats(Some(self.suivi.etat.code()), apres.code())
    }

    /// The gestionnaire may write only while `saisie`.
    pub(crate) fn exiger_saisie(&self, acteur: &Acteur, action: &'static str) -> Result<(), Refus> {
        exiger_gestionnaire(acteur, action, self.gestionnaire)?;
        self.exiger_etat(action, &[EtatTransmission::Saisie])
    }

    /// The Caf of the département decides (validates or sends back) only what was sent.
    pub(crate) fn exiger_decision_caf(
        &self,
        acteur: &Acteur,
        action: &'static str,
    ) -> Result<(), Refus> {
        exiger_agent_caf(acteur, action, self.departement)?;
        self.exiger_etat(action, &[EtatTransmission::Transmise])
    }

    pub(crate) fn transmettre(
        &self,
        acteur: &Acteur,
        action: &'static str,
        quand: OffsetDateTime,
    ) -> Result<(SuiviTransmission, Audit), Refus> {
        self.exiger_saisie(acteur, action)?;
        let mut suivi = self.suivi.clone();
        suivi.etat = EtatTransmission::Transmise;
        suivi.transmise_le = Some(quand);
        let audit = self.audit(
            "transmettre",
            acteur,
            quand,
            suivi.etat,
            format!("transmission à la Caf : {}", self.designation),
        );
        Ok((suivi, audit))
    }

    pub(crate) fn valider(
        &self,
        acteur: &Acteur,
        action: &'static str,
        quand: OffsetDateTime,
    ) -> Result<(SuiviTransmission, Audit), Refus> {
        self.exiger_decision_caf(acteur, action)?;
        let mut suivi = self.suivi.clone();
        suivi.etat = EtatTransmission::Validee;
        suivi.validee_le = Some(quand);
        suivi.validee_par = Some(acteur.id);
        let audit = self.audit(
            "valider",
            acteur,
            quand,
            suivi.etat,
            format!("validation par la Caf : {}", self.designation),
        );
        Ok((suivi, audit))
    }

    pub(crate) fn renvoyer(
        &self,
        acteur: &Acteur,
        action: &'static str,
        motif: &str,
        quand: OffsetDateTime,
    ) -> Result<(SuiviTransmission, Audit), Refus> {
        self.exiger_decision_caf(acteur, action)?;
        let motif = exiger_motif(action, motif)?;
        let mut suivi = self.suivi.clone();
        suivi.etat = EtatTransmission::Saisie;
        suivi.motif_renvoi = Some(motif.clone());
        let audit = self
            .audit(
                "renvoyer",
                acteur,
                quand,
                suivi.etat,
                format!("renvoi au gestionnaire : {} ({motif})", self.designation),
            )
            .changement("motif_renvoi", self.suivi.motif_renvoi.clone(), Some(motif));
        Ok((suivi, audit))
    }
}
