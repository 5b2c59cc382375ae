//! The national instance of the AIP experiment beyond what every coordination instance has (its
//! members, groups and séances live in [`crate::coordination`], under the shape
//! [`FormeInstance::NationaleAip`](crate::coordination::FormeInstance::NationaleAip)): its
//! missions, the Cnaf's services it may associate, its thematic working groups, and the calendar
//! of the experiment in six phases, each phase's state following from today's date.
//!
//! Source: Instruction Cnaf It 2023-131 « Expérimentation d'une nouvelle offre d'accompagnement
//! individuel de soutien à la parentalité - Mise en place d'une instance nationale (Cnaf - Caf) »
//! §3 to §6.

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

use crate::acces::Acteur;
use crate::audit::{Audit, Transition, TypeEntite};
use crate::coordination::exiger_pilote_national;
use crate::identifiants::InstanceId;
use crate::refus::Refus;
use crate::texte::date_fr;

/// The missions of the group (Instruction Cnaf It 2023-131 §4).
pub const MISSIONS: [&str; 7] = [
    "Recenser les actions existantes à travers une opération de benchmark",
    "Élaborer un cahier des charges de l'expérimentation, avec des groupes de travail thématiques",
    "Produire un téléservice Elan dédié aux porteurs de projet (sous réserve de confirmation de l'équipe Elan)",
    "Construire et structurer les modalités d'évaluation",
    "Formaliser des outils de communication pour les Caf engagées, les partenaires et les familles",
    "Suivre et évaluer la démarche en lien avec les services de la Dser",
    "Produire et valoriser le bilan final de l'expérimentation, publié à destination de la commission d'action sociale de la Cnaf",
];

/// The Cnaf's services and partners that may be associated (Instruction Cnaf It 2023-131 §3).
pub const SERVICES_ASSOCIES: [(&str, &str); 5] = [
    (
        "Dser",
        "Direction des statistiques, de l'évaluation et des ressources",
    ),
    (
        "Dgfas",
        "Direction de la gestion et du financement de l'action sociale",
    ),
    ("Dicom", "Direction de la communication"),
    ("LabParentalité", "LabParentalité"),
    (
        "Associations nationales",
        "Partenaires spécifiques, associations nationales",
    ),
];

/// The thematic working groups the instruction gives as examples (Instruction Cnaf It 2023-131
/// §4, « profils des intervenants, types de structures, évaluation, financement »).
pub const GROUPES_THEMATIQUES: [&str; 4] = [
    "Profils des intervenants",
    "Types de structures",
    "Évaluation",
    "Financement",
];

/// Where a phase stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EtatPhase {
    AVenir,
    EnCours,
    Terminee,
}

impl EtatPhase {
    pub fn libelle(self) -> &'static str {
        match self {
            EtatPhase::AVenir => "à venir",
            EtatPhase::EnCours => "en cours",
            EtatPhase::Terminee => "terminée",
        }
    }
}

/// One phase of the experiment's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phase {
    /// 1 to 6.
    pub numero: u8,
    pub intitule: String,
    #[serde(with = "crate::serde_dates::date")]
    pub debut: Date,
    #[serde(with = "crate::serde_dates::date")]
    pub fin: Date,
}

impl Phase {
    /// Its state on `aujourd_hui`: to come before its first day, under way from its first to its
    /// last day included, over after.
    pub fn etat(&self, aujourd_hui: Date) -> EtatPhase {
        if aujourd_hui < self.debut {
            EtatPhase::AVenir
        } else if aujourd_hui <= self.fin {
            EtatPhase::EnCours
        } else {
            EtatPhase::Terminee
        }
    }
}

/// The calendar of the experiment in six phases, kept with the national instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendrier {
    /// One calendar per national instance: its id is the instance's.
    pub instance: InstanceId,
    pub phases: Vec<Phase>,
}

fn jour(annee: i32, mois: Month, j: u8) -> Date {
    Date::from_calendar_date(annee, mois, j).unwrap_or(Date::MIN)
}

const ACTION_PHASE: &str = "Modifier une phase du calendrier";

impl Calendrier {
    /// The six phases as the platform fixes them.
    ///
    /// **Interpretation**: Instruction Cnaf It 2023-131 §5 announces « un calendrier de
    /// l'expérimentation selon six phases » whose table is missing from the text. The phases
    /// and dates are drawn from §3 (the group set up « à partir de septembre 2023 »), §6 (the
    /// candidacies « au plus tard le 22 septembre 2023 »), §4 (the cahier des charges, the
    /// evaluation and the final bilan for the Cas), §2 (« un déploiement expérimental sur deux
    /// ans (2024 – 2025) ») and the Référentiel national de financement de l'expérimentation
    /// (its introduction: the référentiel written by the instance nationale). The Cnaf changes
    /// the dates when the experiment needs it (§5, « ces éléments sont donnés à titre indicatif
    /// »).
    pub fn initial(instance: InstanceId) -> Calendrier {
        let phases = [
            (
                "Constitution de l'instance nationale",
                jour(2023, Month::July, 27),
                jour(2023, Month::September, 30),
            ),
            (
                "Candidatures des Caf (fiche d'inscription au plus tard le 22 septembre 2023)",
                jour(2023, Month::August, 3),
                jour(2023, Month::September, 22),
            ),
            (
                "Cahier des charges et référentiel national de financement",
                jour(2023, Month::October, 1),
                jour(2023, Month::December, 31),
            ),
            (
                "Lancement : appels à projets des Caf et conventionnement des structures",
                jour(2024, Month::January, 1),
                jour(2024, Month::March, 31),
            ),
            (
                "Expérimentation dans les dix départements",
                jour(2024, Month::April, 1),
                jour(2025, Month::December, 31),
            ),
            (
                "Évaluation et bilan final pour la commission d'action sociale de la Cnaf",
                jour(2025, Month::September, 1),
                jour(2026, Month::March, 31),
            ),
        ];
        Calendrier {
            instance,
            phases: phases
                .into_iter()
                .zip(1u8..)
                .map(|((intitule, debut, fin), numero)| Phase {
                    numero,
                    intitule: intitule.to_owned(),
                    debut,
                    fin,
                })
                .collect(),
        }
    }

    /// Writes the initial calendar of the national instance `instance` when the Cnaf sets it up.
    pub fn etablir(
        acteur: &Acteur,
        instance: InstanceId,
        quand: OffsetDateTime,
    ) -> Result<Transition<Calendrier>, Refus> {
        exiger_pilote_national(acteur, "Établir le calendrier de l'expérimentation")?;
        let audit = Audit::nouveau(
            TypeEntite::CalendrierNational,
            instance.0,
            "etablir",
            acteur,
            quand,
            "Calendrier de l'expérimentation en six phases établi",
        );
        Ok(Transition {
            apres: Calendrier::initial(instance),
            audit,
        })
    }

    /// The phases under way on `aujourd_hui`.
    pub fn en_cours(&self, aujourd_hui: Date) -> Vec<&Phase> {
        self.phases
            .iter()
            .filter(|p| p.etat(aujourd_hui) == EtatPhase::EnCours)
            .collect()
    }

    /// Changes the dates of phase `numero`: by the Cnaf only (Instruction Cnaf It 2023-131 §4,
    /// the group « piloté par la Cnaf »); the end is not before the start.
    pub fn modifier_phase(
        &self,
        acteur: &Acteur,
        numero: u8,
        debut: Date,
        fin: Date,
        quand: OffsetDateTime,
    ) -> Result<Transition<Calendrier>, Refus> {
        exiger_pilote_national(acteur, ACTION_PHASE)?;
        if fin < debut {
            return Err(Refus::sur_champ(
                ACTION_PHASE,
                "fin",
                "la phase finit le jour de son début ou après",
            ));
        }
        let mut apres = self.clone();
        let Some(phase) = apres.phases.iter_mut().find(|p| p.numero == numero) else {
            return Err(Refus::invalide(
                ACTION_PHASE,
                format!("la phase n° {numero} n'existe pas"),
            ));
        };
        let avant = format!("{} – {}", date_fr(phase.debut), date_fr(phase.fin));
        phase.debut = debut;
        phase.fin = fin;
        let audit = Audit::nouveau(
            TypeEntite::CalendrierNational,
            self.instance.0,
            "modifier_phase",
            acteur,
            quand,
            format!("Phase n° {numero} du calendrier de l'expérimentation modifiée"),
        )
        .changement(
            "phase",
            Some(avant),
            Some(format!("{} – {}", date_fr(debut), date_fr(fin))),
        );
        Ok(Transition { apres, audit })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;
    use crate::identifiants::{CodeDepartement, UtilisateurId};

    fn calendrier() -> Calendrier {
        Calendrier::initial(InstanceId(1))
    }

    #[test]
    fn six_phases_in_order() {
        let c = calendrier();
        assert_eq!(c.phases.len(), 6);
        assert!(c.phases.iter().all(|p| p.debut <= p.fin));
        assert_eq!(
            c.phases.iter().map(|p| p.numero).collect::<Vec<_>>(),
            vec![1, 2, 3, 4, 5, 6]
        );
        assert_eq!(c.phases[1].fin, date!(2023 - 09 - 22));
    }

    #[test]
    fn a_phase_state_follows_the_day() {
        let c = calendrier();
        let experimentation = &c.phases[4];
        assert_eq!(
            experimentation.etat(date!(2024 - 03 - 31)),
            EtatPhase::AVenir
        );
        assert_eq!(
            experimentation.etat(date!(2024 - 04 - 01)),
            EtatPhase::EnCours
        );
        assert_eq!(
            experimentation.etat(date!(2025 - 12 - 31)),
            EtatPhase::EnCours
        );
        assert_eq!(
            experimentation.etat(date!(2026 - 01 - 01)),
            EtatPhase::Terminee
        );
        assert_eq!(
            c.en_cours(date!(2025 - 10 - 01))
                .iter()
                .map(|p| p.numero)
                .collect::<Vec<_>>(),
            vec![5, 6]
        );
        assert!(c.en_cours(date!(2027 - 01 - 01)).is_empty());
    }

    #[test]
    fn only_the_cnaf_changes_a_phase_and_its_end_follows_its_start() {
        let c = calendrier();
        let quand = datetime!(2026-01-10 10:00 UTC);
        let caf = Acteur::caf(
            UtilisateurId(2),
            [CodeDepartement::parse("38").expect("code")],
        );
        assert!(matches!(
            c.modifier_phase(&caf, 6, date!(2025 - 09 - 01), date!(2026 - 06 - 30), quand),
            Err(Refus::Role { .. })
        ));
        let cnaf = Acteur::cnaf(UtilisateurId(1));
        let refus = c
            .modifier_phase(
                &cnaf,
                6,
                date!(2026 - 06 - 30),
                date!(2025 - 09 - 01),
                quand,
            )
            .expect_err("end before start");
        assert_eq!(refus.champ(), Some("fin"));
        assert!(
            c.modifier_phase(
                &cnaf,
                7,
                date!(2025 - 09 - 01),
                date!(2026 - 06 - 30),
                quand
            )
            .is_err()
        );
        let t = c
            .modifier_phase(
                &cnaf,
                6,
                date!(2025 - 09 - 01),
                date!(2026 - 06 - 30),
                quand,
            )
            .expect("changed");
        assert_eq!(t.apres.phases[5].fin, date!(2026 - 06 - 30));
        assert_eq!(t.audit.entite, TypeEntite::CalendrierNational);
        assert_eq!(t.audit.changements.len(), 1);
    }

    #[test]
    fn the_cnaf_and_the_isere_hold_the_national_secretariat() {
        use crate::coordination::{
            FormeInstance, Instance, Niveau, PointOrdreDuJour, SaisieSeance, Seance,
        };
        use crate::identifiants::{Email, SeanceId};
        let instance = |forme| Instance {
            id: InstanceId(1),
            departement: CodeDepartement::parse("38").expect("code"),
            forme,
            secretariat: Email::parse("secretariat@exemple.fr").expect("email"),
            groupes: Vec::new(),
            schema: None,
        };
        let saisie = |niveau| SaisieSeance {
            niveau,
            groupe: None,
            titre: "Plénière".to_owned(),
            debut: datetime!(2027-01-10 10:00 UTC),
            duree_minutes: 120,
            lieu: "Paris".to_owned(),
            ordre_du_jour: vec![PointOrdreDuJour {
                titre: "Point d'étape des Caf".to_owned(),
                lien: None,
            }],
        };
        let quand = datetime!(2026-12-01 10:00 UTC);
        let nationale = instance(FormeInstance::NationaleAip);
        let cnaf = Acteur::cnaf(UtilisateurId(1));
        let isere = Acteur::caf(
            UtilisateurId(2),
            [CodeDepartement::parse("38").expect("code")],
        );
        let gironde = Acteur::caf(
            UtilisateurId(3),
            [CodeDepartement::parse("33").expect("code")],
        );
        for acteur in [&cnaf, &isere] {
            assert!(
                Seance::planifier(
                    acteur,
                    &nationale,
                    SeanceId(1),
                    saisie(Niveau::Pleniere),
                    quand
                )
                .is_ok()
            );
        }
        assert!(
            Seance::planifier(
                &gironde,
                &nationale,
                SeanceId(1),
                saisie(Niveau::Pleniere),
                quand
            )
            .is_err()
        );
        // A departmental instance keeps its rule: the Caf of the département, not the Cnaf; and
        // it has no plenary level of the national instance.
        let departementale = instance(FormeInstance::Cdsf);
        assert!(
            Seance::planifier(
                &cnaf,
                &departementale,
                SeanceId(1),
                saisie(Niveau::Politique),
                quand
            )
            .is_err()
        );
        assert!(
            Seance::planifier(
                &isere,
                &departementale,
                SeanceId(1),
                saisie(Niveau::Pleniere),
                quand
            )
            .is_err()
        );
        assert!(nationale.appellation().starts_with("instance nationale"));
    }
}
