//! The annual report (bilan) a gestionnaire sends the Caf for each exercise (référentiel national de financement de l'AIP, §V), which
//! the Cnaf aggregates nationally; with the réelle declaration it conditions the solde.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::transmission::{EtatTransmission, Objet, SuiviTransmission};
use crate::acces::{Acteur, exiger_gestionnaire};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::convention::{Convention, EtatConvention};
use crate::identifiants::{BilanId, CodeDepartement, ConventionId, GestionnaireId};
use crate::refus::{Refus, exiger_etat};
use crate::texte::vide;

/// What the bilan reports. The national template (« trame de bilan », Référentiel national de financement de l'AIP §V note 16) is
/// sent by the Caf with the convention; these are the indicators the référentiel names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContenuBilan {
    pub familles_accompagnees: u32,
    pub entretiens: u32,
    /// Hours of analyse de la pratique held (Référentiel national de financement de l'AIP §III.3).
    pub heures_analyse_pratique: u32,
    /// Qualitative summary: needs met, orientations to partners, effects on parents.
    pub synthese: String,
    /// Hours of sessions held (Référentiel national de financement de l'AIP §VI.2), from the sessions recorded.
    #[serde(default)]
    pub heures_entretiens: u32,
    /// The partner network the service works with (Référentiel national de financement de l'AIP §IV.2), in the structure's words.
    #[serde(default)]
    pub reseau_partenarial: String,
    /// The activity counts derived from the sessions when the bilan was written (`etape.bilan`,
    /// `mode.visio`, `orientation.ccas`…), frozen with it.
    #[serde(default)]
    pub repartition: std::collections::BTreeMap<String, i64>,
}

/// The bilan of one exercise under one convention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilan {
    pub id: BilanId,
    pub convention: ConventionId,
    pub gestionnaire: GestionnaireId,
    pub departement: CodeDepartement,
    pub exercice: i32,
    pub contenu: ContenuBilan,
    #[serde(flatten)]
    pub suivi: SuiviTransmission,
    pub version: u32,
    #[serde(with = "crate::serde_dates::instant")]
    pub saisi_le: OffsetDateTime,
}

impl Bilan {
    pub fn etat(&self) -> EtatTransmission {
        self.suivi.etat
    }

    pub(super) fn objet(&self) -> Objet<'_> {
        Objet {
            entite: TypeEntite::Bilan,
            id: self.id.0,
            nom: "le bilan",
            designation: format!("bilan {}", self.exercice),
            departement: self.departement,
            gestionnaire: self.gestionnaire,
            suivi: &self.suivi,
        }
    }

    fn avec_suivi(&self, suivi: SuiviTransmission, audit: Audit) -> Transition<Bilan> {
        let mut apres = self.clone();
        apres.suivi = suivi;
        apres.version += 1;
        Transition { apres, audit }
    }

    /// Who may start a bilan under `convention`, and when: its gestionnaire, once the
    /// convention is signed (or terminated).
    pub(crate) fn exiger_saisie_ouverte(
        acteur: &Acteur,
        convention: &Convention,
        action: &'static str,
    ) -> Result<(), Refus> {
        exiger_gestionnaire(acteur, action, convention.gestionnaire)?;
        exiger_etat(
            action,
            "la convention",
            convention.etat,
            EtatConvention::libelle,
            &[EtatConvention::Signee, EtatConvention::Resiliee],
        )
    }

    /// The gestionnaire of the convention starts the bilan of `exercice`.
    pub fn saisir(
        id: BilanId,
        acteur: &Acteur,
        convention: &Convention,
        exercice: i32,
        contenu: ContenuBilan,
        quand: OffsetDateTime,
    ) -> Result<Transition<Bilan>, Refus> {
        const ACTION: &str = "Saisir le bilan";
        Bilan::exiger_saisie_ouverte(acteur, convention, ACTION)?;
        if convention.mois_couverts(exercice) == 0 {
            return Err(Refus::invalide(
                ACTION,
                format!(
                    "la convention {} ne couvre aucun mois de {exercice}",
                    convention.numero
                ),
            ));
        }
        let apres = Bilan {
            id,
            convention: convention.id,
            gestionnaire: convention.gestionnaire,
            departement: convention.departement,
            exercice,
            contenu,
            suivi: SuiviTransmission::nouveau(),
            version: 1,
            saisi_le: quand,
        };
        let audit = Audit::nouveau(
            TypeEntite::Bilan,
            id.0,
            "saisir",
            acteur,
            quand,
            format!("bilan {exercice} saisi"),
        )
        .etats(None, EtatTransmission::Saisie.code());
        Ok(Transition { apres, audit })
    }

    /// The gestionnaire edits the bilan while it is `saisie`.
    pub fn modifier(
        &self,
        acteur: &Acteur,
        contenu: ContenuBilan,
        quand: OffsetDateTime,
    ) -> Result<Transition<Bilan>, Refus> {
        const ACTION: &str = "Modifier le bilan";
        self.objet().exiger_saisie(acteur, ACTION)?;
        let audit = Audit::nouveau(
            TypeEntite::Bilan,
            self.id.0,
            "modifier",
            acteur,
            quand,
            format!("bilan {} modifié", self.exercice),
        )
        .changement(
            "contenu",
            Some(format!("{:?}", self.contenu)),
            Some(format!("{contenu:?}")),
        );
        let mut apres = self.clone();
        apres.contenu = contenu;
        apres.version += 1;
        Ok(Transition { apres, audit })
    }

    /// The gestionnaire sends the bilan once its exercise is over (Référentiel national de
    /// financement de l'AIP, §V; the date is a dated parameter); its summary must be written.
    /// Sent before, its figures would be frozen in the middle of the year.
    pub fn transmettre(
        &self,
        acteur: &Acteur,
        calendrier: &referentiel::aip::CalendrierAip<'_>,
        quand: OffsetDateTime,
    ) -> Result<Transition<Bilan>, Refus> {
        const ACTION: &str = "Transmettre le bilan";
        let objet = self.objet();
        objet.exiger_saisie(acteur, ACTION)?;
        if calendrier.exercice != self.exercice {
            return Err(Refus::incoherence(
                ACTION,
                format!(
                    "le calendrier fourni est celui de {}, le bilan porte sur {}",
                    calendrier.exercice, self.exercice
                ),
            ));
        }
        super::transmission::exiger_ouverture(
            ACTION,
            &format!("le bilan de {}", self.exercice),
            calendrier.ouverture_bilan(),
            quand,
        )?;
        if vide(&self.contenu.synthese) {
            return Err(Refus::Incomplet {
                action: ACTION,
                champs: vec!["synthèse"],
            });
        }
        let (suivi, audit) = objet.transmettre(acteur, ACTION, quand)?;
        Ok(self.avec_suivi(suivi, audit))
    }

    /// A Caf agent of the département accepts the bilan.
    pub fn valider(
        &self,
        acteur: &Acteur,
        quand: OffsetDateTime,
    ) -> Result<Transition<Bilan>, Refus> {
        let (suivi, audit) = self.objet().valider(acteur, "Valider le bilan", quand)?;
        Ok(self.avec_suivi(suivi, audit))
    }

    /// A Caf agent sends the bilan back; the reason is required.
    pub fn renvoyer(
        &self,
        acteur: &Acteur,
        motif: &str,
        quand: OffsetDateTime,
    ) -> Result<Transition<Bilan>, Refus> {
        let (suivi, audit) = self
            .objet()
            .renvoyer(acteur, "Renvoyer le bilan", motif, quand)?;
        Ok(self.avec_suivi(suivi, audit))
    }
}
