//! A séance of the instance (one of its levels or working groups): its agenda, the convocation of
//! its members with the proof of when each was sent, their answers (present, absent, or
//! represented by another member holding their proxy), its cancellation, the attendance sheet
//! signed on the day and the quorum it reaches. Every change after the convocation raises the
//! séance's sequence, so that the calendars that received it replace it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::compte_rendu::CompteRendu;
use super::instance::{Instance, Niveau};
use super::membre::Membre;
use super::quorum::{Quorum, calculer_quorum};
use crate::acces::Acteur;
use crate::audit::{Audit, Transition, TypeEntite};
use crate::identifiants::{DossierId, InstanceId, MembreId, SeanceId};
use crate::refus::{Refus, exiger_etat};
use crate::texte::{date_fr, vide};

/// Where a séance stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EtatSeance {
    /// Being prepared: nobody convened yet.
    EnPreparation,
    /// Its members are convened.
    Convoquee,
    /// Held: the attendance sheet is signed.
    Tenue,
    Annulee,
}

impl EtatSeance {
    pub fn code(self) -> &'static str {
        match self {
            EtatSeance::EnPreparation => "en_preparation",
            EtatSeance::Convoquee => "convoquee",
            EtatSeance::Tenue => "tenue",
            EtatSeance::Annulee => "annulee",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            EtatSeance::EnPreparation => "en préparation",
            EtatSeance::Convoquee => "convoquée",
            EtatSeance::Tenue => "tenue",
            EtatSeance::Annulee => "annulée",
        }
    }
}

/// What an agenda item refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LienPoint {
    /// A dossier (a project to examine).
    Dossier { dossier: DossierId },
    /// The département's shared diagnosis.
    Diagnostic,
    /// An action of the plan (its number in the plan).
    ActionDuPlan { action: i64 },
}

/// An item of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointOrdreDuJour {
    pub titre: String,
    pub lien: Option<LienPoint>,
}

/// A member's answer to its convocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reponse", rename_all = "snake_case")]
pub enum Reponse {
    Present,
    Absent,
    /// Absent, represented by another member to whom it gives its proxy (pouvoir).
    Represente {
        par: MembreId,
    },
}

impl Reponse {
    pub fn libelle(self) -> &'static str {
        match self {
            Reponse::Present => "présent",
            Reponse::Absent => "absent",
            Reponse::Represente { .. } => "représenté",
        }
    }
}

/// The convocation of one member: when it was sent (the proof of notice), and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Convocation {
    pub membre: MembreId,
    /// When the convocation of the séance's current sequence was put in the mail.
    #[serde(with = "crate::serde_dates::instant")]
    pub envoyee_le: OffsetDateTime,
    pub reponse: Option<Reponse>,
    #[serde(with = "crate::serde_dates::instant::option", default)]
    pub repondu_le: Option<OffsetDateTime>,
}

/// The séance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seance {
    pub id: SeanceId,
    pub instance: InstanceId,
    pub niveau: Niveau,
    /// The working group's name, for a séance of a group.
    pub groupe: Option<String>,
    pub titre: String,
    /// Its start, with the offset of the local time the secretariat entered.
    #[serde(with = "crate::serde_dates::instant")]
    pub debut: OffsetDateTime,
    pub duree_minutes: u32,
    pub lieu: String,
    pub ordre_du_jour: Vec<PointOrdreDuJour>,
    pub etat: EtatSeance,
    /// The iCalendar SEQUENCE: raised by every change the convened members must see.
    pub sequence: u32,
    pub convocations: BTreeMap<MembreId, Convocation>,
    /// The members who signed the attendance sheet.
    pub emargement: Vec<MembreId>,
    pub quorum: Option<Quorum>,
    pub motif_annulation: Option<String>,
    pub compte_rendu: Option<CompteRendu>,
}

/// What the secretariat enters to plan or change a séance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaisieSeance {
    pub niveau: Niveau,
    pub groupe: Option<String>,
    pub titre: String,
    pub debut: OffsetDateTime,
    pub duree_minutes: u32,
    pub lieu: String,
    pub ordre_du_jour: Vec<PointOrdreDuJour>,
}

/// The least notice of a convocation, in days.
///
/// **Interpretation**: the texts of the scheme set no notice; the product applies by default the
/// common rule of the State's consultative commissions (décret n° 2006-672 du 8 juin 2006, art. 9:
/// « cinq jours au moins avant la date de la réunion », « sauf urgence »), which the CDSF, placed
/// with the préfet, follows. A convocation with less notice must say it is urgent.
pub const PREAVIS_JOURS: i64 = 5;

const ACTION_PLANIFIER: &str = "Planifier la séance";

impl SaisieSeance {
    fn verifier(&self, instance: &Instance, action: &'static str) -> Result<(), Refus> {
        let mut refus = Vec::new();
        if vide(&self.titre) {
            refus.push(Refus::sur_champ(action, "titre", "à compléter"));
        } else if let Err(e) = crate::texte::TexteLibre::court("titre", &self.titre) {
            refus.push(Refus::sur_champ(action, "titre", e.to_string()));
        }
        if vide(&self.lieu) {
            refus.push(Refus::sur_champ(
                action,
                "lieu",
                "à compléter (une adresse, ou « visioconférence » avec son lien)",
            ));
        } else if let Err(e) = crate::texte::TexteLibre::court("lieu", &self.lieu) {
            refus.push(Refus::sur_champ(action, "lieu", e.to_string()));
        }
        if !(15..=600).contains(&self.duree_minutes) {
            refus.push(Refus::sur_champ(
                action,
                "duree_minutes",
                "une séance dure de 15 minutes à 10 heures",
            ));
        }
        if !instance.forme.regles().niveaux.contains(&self.niveau) {
            refus.push(Refus::sur_champ(
                action,
                "niveau",
                format!(
                    "le {} n'existe pas dans cette forme d'instance ({})",
                    self.niveau.libelle(),
                    instance.forme.libelle()
                ),
            ));
        }
        match (&self.niveau, &self.groupe) {
            (Niveau::GroupeDeTravail, None) => refus.push(Refus::sur_champ(
                action,
                "groupe",
                "choisissez le groupe de travail convoqué",
            )),
            (Niveau::GroupeDeTravail, Some(g)) if !instance.groupes.iter().any(|x| &x.nom == g) => {
                refus.push(Refus::sur_champ(
                    action,
                    "groupe",
                    format!("« {g} » n'est pas un groupe de travail de l'instance"),
                ))
            }
            _ => {}
        }
        if self.ordre_du_jour.is_empty() {
            refus.push(Refus::sur_champ(
                action,
                "ordre_du_jour",
                "l'ordre du jour a au moins un point",
            ));
        }
        for p in &self.ordre_du_jour {
            if let Err(e) = crate::texte::TexteLibre::court("ordre_du_jour", &p.titre) {
                refus.push(Refus::sur_champ(action, "ordre_du_jour", e.to_string()));
            }
        }
        Refus::ensemble(action, refus)
    }
}

impl Seance {
    /// Plans a séance of `instance`: by its secretariat (a Caf agent of its département).
    pub fn planifier(
        acteur: &Acteur,
        instance: &Instance,
        id: SeanceId,
        saisie: SaisieSeance,
        quand: OffsetDateTime,
    ) -> Result<Transition<Seance>, Refus> {
        instance.exiger_secretariat(acteur, ACTION_PLANIFIER)?;
        saisie.verifier(instance, ACTION_PLANIFIER)?;
        if saisie.debut <= quand {
            return Err(Refus::sur_champ(
                ACTION_PLANIFIER,
                "debut",
                "la séance est à venir",
            ));
        }
        let groupe = match saisie.niveau {
            Niveau::GroupeDeTravail => saisie.groupe,
            _ => None,
        };
        let seance = Seance {
            id,
            instance: instance.id,
            niveau: saisie.niveau,
            groupe,
            titre: saisie.titre.trim().to_owned(),
            debut: saisie.debut,
            duree_minutes: saisie.duree_minutes,
            lieu: saisie.lieu.trim().to_owned(),
            ordre_du_jour: saisie.ordre_du_jour,
            etat: EtatSeance::EnPreparation,
            sequence: 0,
            convocations: BTreeMap::new(),
            emargement: Vec::new(),
            quorum: None,
            motif_annulation: None,
            compte_rendu: None,
        };
        let audit = Audit::nouveau(
            TypeEntite::Seance,
            id.0,
            "planifier",
            acteur,
            quand,
            format!(
                "Séance « {} » planifiée le {}",
                seance.titre,
                date_fr(seance.debut.date())
            ),
        )
        .etats(None, EtatSeance::EnPreparation.code());
        Ok(Transition {
            apres: seance,
            audit,
        })
    }

    /// Its end.
    pub fn fin(&self) -> OffsetDateTime {
        self.debut + Duration::minutes(i64::from(self.duree_minutes))
    }

    /// The members this séance convenes: those in mandate on its day who sit on its level (or
    /// its group); the secretariat of every séance.
    pub fn convoques<'a>(&self, membres: &'a [Membre]) -> Vec<&'a Membre> {
        let jour = self.debut.date();
        membres
            .iter()
            .filter(|m| m.instance == self.instance && m.en_mandat(jour))
            .filter(|m| match (&self.niveau, &self.groupe) {
                (Niveau::GroupeDeTravail, Some(g)) => m.groupes.contains(g),
                (niveau, _) => {
                    m.niveaux.contains(niveau) || m.role == super::membre::RoleMembre::Secretariat
                }
            })
            .collect()
    }

    /// Convenes the members (first convocation, or again after a change): records when each
    /// convocation leaves. The mail itself is written by the caller in the same transaction.
    pub fn convoquer(
        &self,
        acteur: &Acteur,
        instance: &Instance,
        membres: &[Membre],
        urgence: bool,
        quand: OffsetDateTime,
    ) -> Result<Transition<Seance>, Refus> {
        const ACTION: &str = "Convoquer les membres";
        instance.exiger_secretariat(acteur, ACTION)?;
        exiger_etat(
            ACTION,
            "la séance",
            self.etat,
            EtatSeance::libelle,
            &[EtatSeance::EnPreparation],
        )?;
        if self.debut <= quand {
            return Err(Refus::condition(ACTION, "la séance est passée"));
        }
        if !urgence && self.debut - quand < Duration::days(PREAVIS_JOURS) {
            return Err(Refus::sur_champ(
                ACTION,
                "urgence",
                format!(
                    "les membres sont convoqués {PREAVIS_JOURS} jours au moins avant la séance, sauf urgence (décret n° 2006-672 du 8 juin 2006, art. 9) : cochez « urgence » pour convoquer quand même"
                ),
            ));
        }
        let convoques = self.convoques(membres);
        if convoques.is_empty() {
            return Err(Refus::condition(
                ACTION,
                "aucun membre en mandat ne siège à ce niveau : ajoutez des membres à l'instance",
            ));
        }
        let mut apres = self.clone();
        apres.etat = EtatSeance::Convoquee;
        apres.convocations = convoques
            .iter()
            .map(|m| {
                (
                    m.id,
                    Convocation {
                        membre: m.id,
                        envoyee_le: quand,
                        reponse: None,
                        repondu_le: None,
                    },
                )
            })
            .collect();
        let audit = Audit::nouveau(
            TypeEntite::Seance,
            self.id.0,
            "convoquer",
            acteur,
            quand,
            format!("{} membre(s) convoqué(s)", apres.convocations.len()),
        )
        .etats(Some(self.etat.code()), apres.etat.code());
        Ok(Transition { apres, audit })
    }

    /// Changes the date, place or agenda of a séance; once convened, raises its sequence and
    /// records the new convocation of every convened member (the caller mails them the update).
    pub fn modifier(
        &self,
        acteur: &Acteur,
        instance: &Instance,
        saisie: SaisieSeance,
        quand: OffsetDateTime,
    ) -> Result<Transition<Seance>, Refus> {
        const ACTION: &str = "Modifier la séance";
        instance.exiger_secretariat(acteur, ACTION)?;
        exiger_etat(
            ACTION,
            "la séance",
            self.etat,
            EtatSeance::libelle,
            &[EtatSeance::EnPreparation, EtatSeance::Convoquee],
        )?;
        saisie.verifier(instance, ACTION)?;
        if saisie.debut <= quand {
            return Err(Refus::sur_champ(ACTION, "debut", "la séance est à venir"));
        }
        if self.etat == EtatSeance::Convoquee
            && (saisie.niveau != self.niveau || saisie.groupe != self.groupe)
        {
            return Err(Refus::sur_champ(
                ACTION,
                "niveau",
                "une séance convoquée garde ses convoqués : annulez-la et planifiez-en une autre",
            ));
        }
        let mut apres = self.clone();
        apres.titre = saisie.titre.trim().to_owned();
        apres.debut = saisie.debut;
        apres.duree_minutes = saisie.duree_minutes;
        apres.lieu = saisie.lieu.trim().to_owned();
        apres.ordre_du_jour = saisie.ordre_du_jour;
        apres.niveau = saisie.niveau;
        apres.groupe = match saisie.niveau {
            Niveau::GroupeDeTravail => saisie.groupe,
            _ => None,
        };
        if self.etat == EtatSeance::Convoquee {
            apres.sequence = self.sequence + 1;
            for c in apres.convocations.values_mut() {
                c.envoyee_le = quand;
            }
        }
        let audit = Audit::nouveau(
            TypeEntite::Seance,
            self.id.0,
            "modifier",
            acteur,
            quand,
            "Séance modifiée",
        )
        .changement(
            "debut",
            Some(self.debut.to_string()),
            Some(apres.debut.to_string()),
        )
        .changement("lieu", Some(self.lieu.clone()), Some(apres.lieu.clone()))
        .changement("titre", Some(self.titre.clone()), Some(apres.titre.clone()));
        Ok(Transition { apres, audit })
    }

    /// Cancels a séance not held yet; once convened, raises its sequence (the caller mails the
    /// cancellation).
    pub fn annuler(
        &self,
        acteur: &Acteur,
        instance: &Instance,
        motif: &str,
        quand: OffsetDateTime,
    ) -> Result<Transition<Seance>, Refus> {
        const ACTION: &str = "Annuler la séance";
        instance.exiger_secretariat(acteur, ACTION)?;
        exiger_etat(
            ACTION,
            "la séance",
            self.etat,
            EtatSeance::libelle,
            &[EtatSeance::EnPreparation, EtatSeance::Convoquee],
        )?;
        let motif = crate::refus::exiger_motif(ACTION, motif)?;
        let mut apres = self.clone();
        if self.etat == EtatSeance::Convoquee {
            apres.sequence = self.sequence + 1;
        }
        apres.etat = EtatSeance::Annulee;
        apres.motif_annulation = Some(motif);
        let audit = Audit::nouveau(
            TypeEntite::Seance,
            self.id.0,
            "annuler",
            acteur,
            quand,
            "Séance annulée",
        )
        .etats(Some(self.etat.code()), apres.etat.code());
        Ok(Transition { apres, audit })
    }

    /// Records a convened member's answer (through its personal link, or by the secretariat on
    /// its behalf). A proxy goes to another convened member who is not absent, and nobody holds
    /// more than one (décret n° 2006-672 du 8 juin 2006, art. 10, « nul ne peut détenir plus d'un
    /// mandat », applied as for [`PREAVIS_JOURS`]).
    pub fn repondre(
        &self,
        membre: MembreId,
        reponse: Reponse,
        quand: OffsetDateTime,
        acteur: &Acteur,
    ) -> Result<Transition<Seance>, Refus> {
        const ACTION: &str = "Répondre à la convocation";
        exiger_etat(
            ACTION,
            "la séance",
            self.etat,
            EtatSeance::libelle,
            &[EtatSeance::Convoquee],
        )?;
        if quand >= self.debut {
            return Err(Refus::condition(
                ACTION,
                "la séance a commencé : la présence se constate sur la feuille d'émargement",
            ));
        }
        if !self.convocations.contains_key(&membre) {
            return Err(Refus::condition(ACTION, "ce membre n'est pas convoqué"));
        }
        if let Reponse::Represente { par } = reponse {
            if par == membre {
                return Err(Refus::sur_champ(
                    ACTION,
                    "par",
                    "choisissez un autre membre que vous",
                ));
            }
            match self.convocations.get(&par) {
                None => {
                    return Err(Refus::sur_champ(
                        ACTION,
                        "par",
                        "le membre qui vous représente doit être convoqué à la même séance",
                    ));
                }
                Some(c) if !matches!(c.reponse, None | Some(Reponse::Present)) => {
                    return Err(Refus::sur_champ(
                        ACTION,
                        "par",
                        "ce membre a dit ne pas venir : choisissez-en un autre",
                    ));
                }
                Some(_) => {}
            }
            let deja = self
                .convocations
                .values()
                .any(|c| c.membre != membre && c.reponse == Some(Reponse::Represente { par }));
            if deja {
                return Err(Refus::sur_champ(
                    ACTION,
                    "par",
                    "ce membre détient déjà un pouvoir : nul ne peut en détenir plus d'un",
                ));
            }
        }
        if matches!(reponse, Reponse::Absent | Reponse::Represente { .. })
            && self
                .convocations
                .values()
                .any(|c| c.reponse == Some(Reponse::Represente { par: membre }))
        {
            return Err(Refus::condition(
                ACTION,
                "un membre vous a confié son pouvoir : il doit d'abord le confier à un autre",
            ));
        }
        let mut apres = self.clone();
        if let Some(c) = apres.convocations.get_mut(&membre) {
            c.reponse = Some(reponse);
            c.repondu_le = Some(quand);
        }
        let audit = Audit::nouveau(
            TypeEntite::Seance,
            self.id.0,
            "repondre",
            acteur,
            quand,
            format!("Réponse du membre n° {membre} : {}", reponse.libelle()),
        );
        Ok(Transition { apres, audit })
    }

    /// Records the attendance sheet signed on the day and computes the quorum: the séance is
    /// then held.
    pub fn emarger(
        &self,
        acteur: &Acteur,
        instance: &Instance,
        membres: &[Membre],
        presents: &[MembreId],
        quand: OffsetDateTime,
    ) -> Result<Transition<Seance>, Refus> {
        const ACTION: &str = "Enregistrer l'émargement";
        instance.exiger_secretariat(acteur, ACTION)?;
        exiger_etat(
            ACTION,
            "la séance",
            self.etat,
            EtatSeance::libelle,
            &[EtatSeance::Convoquee],
        )?;
        // The sheet is signed at the séance and recorded from its day on (the day as read where
        // the séance takes place: the offset its start was entered with).
        if quand.to_offset(self.debut.offset()).date() < self.debut.date() {
            return Err(Refus::condition(
                ACTION,
                format!(
                    "la séance a lieu le {} : l'émargement s'enregistre à partir de ce jour",
                    date_fr(self.debut.date())
                ),
            ));
        }
        if let Some(m) = presents.iter().find(|m| !self.convocations.contains_key(m)) {
            return Err(Refus::sur_champ(
                ACTION,
                "presents",
                format!("le membre n° {m} n'était pas convoqué"),
            ));
        }
        let mut apres = self.clone();
        let mut liste = presents.to_vec();
        liste.sort();
        liste.dedup();
        apres.emargement = liste;
        apres.etat = EtatSeance::Tenue;
        apres.quorum = Some(calculer_quorum(&apres, membres));
        let audit = Audit::nouveau(
            TypeEntite::Seance,
            self.id.0,
            "emarger",
            acteur,
            quand,
            format!("Émargement : {} présent(s)", apres.emargement.len()),
        )
        .etats(Some(self.etat.code()), apres.etat.code());
        Ok(Transition { apres, audit })
    }

    /// Whether `acteur` may read the séance: the Cnaf, the Caf agents of the département, and the
    /// members it convenes (by their account).
    pub fn lisible_par(&self, acteur: &Acteur, instance: &Instance, membres: &[Membre]) -> bool {
        match acteur.role {
            crate::Role::Cnaf => true,
            crate::Role::Caf if instance.forme.departementale() => {
                acteur.departements.contains(&instance.departement)
            }
            _ if instance.tient_le_secretariat(acteur) => true,
            _ => membres
                .iter()
                .any(|m| m.utilisateur == Some(acteur.id) && self.convocations.contains_key(&m.id)),
        }
    }
}
