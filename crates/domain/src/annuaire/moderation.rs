//! The life of a service in the directory: its gestionnaire writes it (brouillon) and submits it
//! (à modérer); the Caf of its département publishes it (publié) or refuses it with a reason
//! (refusé); its gestionnaire may withdraw it (retiré) at any time.
//!
//! **Interpretation** (« Document de travail : focus sur la COG 2018 – 2022 », section on the
//! strategy « Dessine-moi un parent »: an offer « plus visible, plus lisible, et plus fiable »,
//! showing « les structures ou actions labellisées »): what parents read is checked by the Caf of
//! the service's département first. Editing a published service does not hide it: the version
//! published stays visible, unchanged, until the Caf publishes the new one; a refusal of the new
//! one leaves the old one visible. Withdrawing hides every version at once.

use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, UtcOffset};

use super::service::{DescriptionService, Service};
use crate::acces::{Acteur, exiger_agent_caf, exiger_gestionnaire};
use crate::audit::{Audit, Transition, TypeEntite};
use crate::identifiants::{GestionnaireId, ServiceId};
use crate::refus::{Refus, exiger_etat, exiger_motif};

/// Where a service stands in its publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EtatPublication {
    Brouillon,
    AModerer,
    Publie,
    Refuse,
    Retire,
}

impl EtatPublication {
    pub const TOUS: [EtatPublication; 5] = [
        EtatPublication::Brouillon,
        EtatPublication::AModerer,
        EtatPublication::Publie,
        EtatPublication::Refuse,
        EtatPublication::Retire,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EtatPublication::Brouillon => "brouillon",
            EtatPublication::AModerer => "a_moderer",
            EtatPublication::Publie => "publie",
            EtatPublication::Refuse => "refuse",
            EtatPublication::Retire => "retire",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            EtatPublication::Brouillon => "brouillon",
            EtatPublication::AModerer => "à modérer",
            EtatPublication::Publie => "publié",
            EtatPublication::Refuse => "refusé",
            EtatPublication::Retire => "retiré",
        }
    }

    pub fn depuis_code(code: &str) -> Option<EtatPublication> {
        EtatPublication::TOUS.into_iter().find(|e| e.code() == code)
    }
}

const OBJET: &str = "le service";

fn utc(quand: OffsetDateTime) -> OffsetDateTime {
    quand.to_offset(UtcOffset::UTC)
}

fn audit(
    service: &Service,
    action: &'static str,
    acteur: &Acteur,
    quand: OffsetDateTime,
    avant: Option<EtatPublication>,
    description: String,
) -> Audit {
    Audit::nouveau(
        TypeEntite::Service,
        service.id.0,
        action,
        acteur,
        quand,
        description,
    )
    .etats(avant.map(EtatPublication::code), service.etat.code())
}

impl Service {
    /// A new service, as a draft of `gestionnaire`.
    pub fn creer(
        acteur: &Acteur,
        id: ServiceId,
        gestionnaire: GestionnaireId,
        description: DescriptionService,
        quand: OffsetDateTime,
    ) -> Result<Transition<Service>, Refus> {
        exiger_gestionnaire(acteur, "Créer un service", gestionnaire)?;
        let service = Service {
            id,
            gestionnaire,
            departement: description.departement,
            dispositif: description.dispositif,
            type_service: description.type_service,
            nom: description.nom,
            description: description.description,
            publics: description.publics,
            lieux: description.lieux,
            modes: description.modes,
            tarification: description.tarification,
            contacts: description.contacts,
            accessibilite: description.accessibilite,
            zone_eligibilite: description.zone_eligibilite,
            convention: description.convention,
            etat: EtatPublication::Brouillon,
            motif_refus: None,
            mis_a_jour_le: utc(quand),
            version_publiee: None,
        };
        let audit = audit(
            &service,
            "creer",
            acteur,
            quand,
            None,
            format!("Service « {} » créé (brouillon)", service.nom),
        );
        Ok(Transition {
            apres: service,
            audit,
        })
    }

    /// Its gestionnaire changes the description. The service becomes a draft again, to be
    /// submitted; if it was published, that version stays visible until the new one is.
    pub fn modifier(
        &self,
        acteur: &Acteur,
        description: DescriptionService,
        quand: OffsetDateTime,
    ) -> Result<Transition<Service>, Refus> {
        const ACTION: &str = "Modifier le service";
        exiger_gestionnaire(acteur, ACTION, self.gestionnaire)?;
        let mut apres = self.clone();
        if self.etat == EtatPublication::Publie {
            let mut publiee = self.clone();
            publiee.version_publiee = None;
            apres.version_publiee = Some(Box::new(publiee));
        }
        apres.appliquer(description);
        apres.etat = EtatPublication::Brouillon;
        apres.mis_a_jour_le = utc(quand);
        let mut audit = audit(
            &apres,
            "modifier",
            acteur,
            quand,
            Some(self.etat),
            format!("Service « {} » modifié", apres.nom),
        )
        .changement("nom", Some(self.nom.clone()), Some(apres.nom.clone()))
        .changement(
            "description",
            Some(self.description.clone()),
            Some(apres.description.clone()),
        );
        let horaires = |s: &Service| {
            s.lieux
                .iter()
                .map(|l| l.horaires.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        };
        audit = audit.changement("horaires", Some(horaires(self)), Some(horaires(&apres)));
        Ok(Transition { apres, audit })
    }

    /// Its gestionnaire submits it to the Caf's moderation.
    pub fn soumettre(
        &self,
        acteur: &Acteur,
        quand: OffsetDateTime,
    ) -> Result<Transition<Service>, Refus> {
        const ACTION: &str = "Soumettre le service à la Caf";
        exiger_gestionnaire(acteur, ACTION, self.gestionnaire)?;
        exiger_etat(
            ACTION,
            OBJET,
            self.etat,
            EtatPublication::libelle,
            &[
                EtatPublication::Brouillon,
                EtatPublication::Refuse,
                EtatPublication::Retire,
            ],
        )?;
        let mut apres = self.clone();
        apres.etat = EtatPublication::AModerer;
        apres.motif_refus = None;
        apres.mis_a_jour_le = utc(quand);
        let audit = audit(
            &apres,
            "soumettre",
            acteur,
            quand,
            Some(self.etat),
            format!("Service « {} » soumis à la modération de la Caf", apres.nom),
        );
        Ok(Transition { apres, audit })
    }

    /// A Caf agent of its département publishes it: it replaces any version published before.
    pub fn publier(
        &self,
        acteur: &Acteur,
        quand: OffsetDateTime,
    ) -> Result<Transition<Service>, Refus> {
        const ACTION: &str = "Publier le service";
        exiger_agent_caf(acteur, ACTION, self.departement)?;
        exiger_etat(
            ACTION,
            OBJET,
            self.etat,
            EtatPublication::libelle,
            &[EtatPublication::AModerer],
        )?;
        let mut apres = self.clone();
        apres.etat = EtatPublication::Publie;
        apres.version_publiee = None;
        apres.motif_refus = None;
        apres.mis_a_jour_le = utc(quand);
        let audit = audit(
            &apres,
            "publier",
            acteur,
            quand,
            Some(self.etat),
            format!("Service « {} » publié dans l'annuaire", apres.nom),
        );
        Ok(Transition { apres, audit })
    }

    /// A Caf agent of its département refuses it, with a reason its gestionnaire reads. A
    /// version published before stays visible.
    pub fn refuser(
        &self,
        acteur: &Acteur,
        motif: &str,
        quand: OffsetDateTime,
    ) -> Result<Transition<Service>, Refus> {
        const ACTION: &str = "Refuser le service";
        exiger_agent_caf(acteur, ACTION, self.departement)?;
        exiger_etat(
            ACTION,
            OBJET,
            self.etat,
            EtatPublication::libelle,
            &[EtatPublication::AModerer],
        )?;
        let motif = exiger_motif(ACTION, motif)?;
        let mut apres = self.clone();
        apres.etat = EtatPublication::Refuse;
        apres.motif_refus = Some(motif.clone());
        apres.mis_a_jour_le = utc(quand);
        let audit = audit(
            &apres,
            "refuser",
            acteur,
            quand,
            Some(self.etat),
            format!("Service « {} » refusé : {motif}", apres.nom),
        );
        Ok(Transition { apres, audit })
    }

    /// Its gestionnaire withdraws it from the directory: no version stays visible.
    pub fn retirer(
        &self,
        acteur: &Acteur,
        quand: OffsetDateTime,
    ) -> Result<Transition<Service>, Refus> {
        const ACTION: &str = "Retirer le service";
        exiger_gestionnaire(acteur, ACTION, self.gestionnaire)?;
        exiger_etat(
            ACTION,
            OBJET,
            self.etat,
            EtatPublication::libelle,
            &[
                EtatPublication::Brouillon,
                EtatPublication::AModerer,
                EtatPublication::Publie,
                EtatPublication::Refuse,
            ],
        )?;
        let mut apres = self.clone();
        apres.etat = EtatPublication::Retire;
        apres.version_publiee = None;
        apres.mis_a_jour_le = utc(quand);
        let audit = audit(
            &apres,
            "retirer",
            acteur,
            quand,
            Some(self.etat),
            format!("Service « {} » retiré de l'annuaire", apres.nom),
        );
        Ok(Transition { apres, audit })
    }
}
