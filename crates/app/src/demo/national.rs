//! The demonstration's national instance of the AIP experiment, built through the real use
//! cases: the Cnaf pilots it with the Caf de l'Isère; the référent of each of the ten Caf (their
//! agents' accounts) sits on it with the Cnaf's services as guests; the four thematic working
//! groups; the six phases; one past plenary séance held with its minutes sent for comments and
//! one séance to come, convened. Then a call for candidacies to a second wave, open, with the
//! candidacy of the Caf d'Ille-et-Vilaine submitted; the Caf de Loire-Atlantique has an account
//! and no candidacy yet.

use domain::Acteur;
use domain::acces::Role;
use domain::candidatures::{DossierCandidature, SaisieAppel};
use domain::coordination::{
    GroupeDeTravail, Niveau, PointOrdreDuJour, Reponse, SaisieAction, SaisieCompteRendu,
    SaisieInstance, SaisieMembre, SaisieSeance,
};
use domain::identifiants::{AppelCandidaturesId, CodeDepartement, SeanceId};
use domain::instance_nationale::GROUPES_THEMATIQUES;
use domain::quantites::Etp;
use domain::territoire::departement;
use time::{Date, Duration};

use super::instance::{ADRESSE_DEMO, a_14_heures};
use super::{CompteDemo, Hasard, invalide, nouveau_compte};
use crate::{ActionSeance, ErreurApp, Plateforme};

impl Plateforme {
    /// The national instance and the call for candidacies (see the module's comment).
    pub(super) async fn peupler_national_demo(
        &self,
        departements: &[CodeDepartement],
        comptes: &mut Vec<CompteDemo>,
        h: &mut Hasard,
        aujourd_hui: Date,
    ) -> Result<(), ErreurApp> {
        let cnaf = self
            .utilisateur_par_email("cnaf@demo.parentalite.fr")
            .await?
            .ok_or_else(|| invalide("compte de la Cnaf"))?
            .1;
        let creation = a_14_heures(aujourd_hui - Duration::days(90));
        self.configurer_instance_nationale(
            &cnaf,
            SaisieInstance {
                forme: domain::coordination::FormeInstance::NationaleAip,
                secretariat: "instance.nationale@demo.parentalite.fr".to_owned(),
                groupes: GROUPES_THEMATIQUES
                    .iter()
                    .map(|nom| GroupeDeTravail {
                        nom: (*nom).to_owned(),
                        territorial: false,
                    })
                    .collect(),
                schema: None,
            },
            creation,
        )
        .await?;
        let fin_mandat = format!("31/12/{}", aujourd_hui.year() + 2);
        let mut membres: Vec<(String, String, String, &str, &str, String)> = vec![
            (
                "Cnaf, direction des politiques familiales et sociales".to_owned(),
                "Équipe nationale de l'expérimentation".to_owned(),
                "cnaf@demo.parentalite.fr".to_owned(),
                "président",
                "pleniere",
                String::new(),
            ),
            (
                "Cnaf, secrétariat de l'instance nationale".to_owned(),
                "Secrétariat de l'instance nationale".to_owned(),
                "instance.nationale@demo.parentalite.fr".to_owned(),
                "secrétariat",
                "",
                String::new(),
            ),
        ];
        for (rang, d) in departements.iter().enumerate() {
            let info = departement(*d).ok_or_else(|| invalide("département"))?;
            let copilote = d.as_str() == domain::coordination::DEPARTEMENT_COPILOTE;
            membres.push((
                format!("Caf {}", info.nom_precede_de()),
                format!("Référent parentalité de la Caf {}", info.nom_precede_de()),
                format!("agent.{}@demo.parentalite.fr", d.as_str().to_lowercase()),
                if copilote {
                    "vice-président"
                } else {
                    "membre"
                },
                "pleniere",
                GROUPES_THEMATIQUES[rang % GROUPES_THEMATIQUES.len()].to_owned(),
            ));
        }
        for (sigle, groupe) in [
            ("Dser", "Évaluation"),
            ("Dgfas", "Financement"),
            ("Dicom", ""),
            ("LabParentalité", "Profils des intervenants"),
        ] {
            membres.push((
                format!("Cnaf, {sigle}"),
                format!("Correspondant {sigle}"),
                format!(
                    "{}@demo.parentalite.fr",
                    sigle.to_lowercase().replace('é', "e")
                ),
                "invité",
                "pleniere",
                groupe.to_owned(),
            ));
        }
        for (organisation, personne, email, role, niveaux, groupes) in membres {
            self.ajouter_membre_national(
                &cnaf,
                SaisieMembre {
                    organisation,
                    personne,
                    email,
                    role: role.to_owned(),
                    mandat_debut: "01/09/2023".to_owned(),
                    mandat_fin: fin_mandat.clone(),
                    niveaux: niveaux.to_owned(),
                    groupes,
                },
                creation,
            )
            .await?;
        }
        let vue = self
            .instance_nationale(&cnaf)
            .await?
            .ok_or_else(|| invalide("instance nationale"))?;
        let ids: Vec<_> = vue.instance.membres.iter().map(|m| m.valeur.id).collect();

        // A past plenary séance, held, its minutes sent for comments.
        let debut = a_14_heures(aujourd_hui - Duration::days(30));
        let passee = self
            .seance_nationale_demo(
                &cnaf,
                "Bilan de la première vague et préparation de l'évaluation",
                debut,
                debut - Duration::days(30),
                debut - Duration::days(20),
            )
            .await?;
        for (k, reponse) in [(0usize, Reponse::Present), (4, Reponse::Absent)] {
            self.agir_sur_seance(
                &cnaf,
                passee,
                None,
                ActionSeance::Repondre {
                    membre: ids[k],
                    reponse,
                },
                ADRESSE_DEMO,
                debut - Duration::days(3),
            )
            .await?;
        }
        let presents: Vec<_> = ids
            .iter()
            .enumerate()
            .filter(|(k, _)| ![1usize, 4, 14].contains(k))
            .map(|(_, m)| *m)
            .collect();
        let apres = |heures: i64| debut + Duration::hours(heures);
        for (action, quand) in [
            (ActionSeance::Emarger { presents }, apres(3)),
            (
                ActionSeance::RedigerCompteRendu(Box::new(compte_rendu(aujourd_hui))),
                apres(48),
            ),
            (ActionSeance::SoumettreCompteRendu, apres(72)),
        ] {
            self.agir_sur_seance(&cnaf, passee, None, action, ADRESSE_DEMO, quand)
                .await?;
        }

        // A séance to come, convened today.
        let maintenant = aujourd_hui.midnight().assume_utc();
        self.seance_nationale_demo(
            &cnaf,
            "Cahier des charges de la deuxième vague",
            a_14_heures(aujourd_hui + Duration::days(21)),
            maintenant - Duration::hours(1),
            maintenant,
        )
        .await?;

        self.appel_national_demo(&cnaf, comptes, h, aujourd_hui)
            .await
    }

    /// Plans a plenary séance of the national instance on `debut`, then convenes it on
    /// `convocation`.
    async fn seance_nationale_demo(
        &self,
        cnaf: &Acteur,
        titre: &str,
        debut: time::OffsetDateTime,
        plan: time::OffsetDateTime,
        convocation: time::OffsetDateTime,
    ) -> Result<SeanceId, ErreurApp> {
        let points = [
            "Approbation du compte rendu de la séance précédente",
            "Point d'étape de chaque Caf",
            "Travaux des groupes thématiques",
            "Questions diverses",
        ];
        let lu = self
            .planifier_seance_nationale(
                cnaf,
                SaisieSeance {
                    niveau: Niveau::Pleniere,
                    groupe: None,
                    titre: titre.to_owned(),
                    debut,
                    duree_minutes: 180,
                    lieu: "Cnaf, 32 avenue de la Sibelle, Paris, et visioconférence".to_owned(),
                    ordre_du_jour: points
                        .iter()
                        .map(|t| PointOrdreDuJour {
                            titre: (*t).to_owned(),
                            lien: None,
                        })
                        .collect(),
                },
                plan,
            )
            .await?;
        self.agir_sur_seance(
            cnaf,
            lu.valeur.id,
            None,
            ActionSeance::Convoquer { urgence: false },
            ADRESSE_DEMO,
            convocation,
        )
        .await?;
        Ok(lu.valeur.id)
    }

    /// The call for candidacies to a second wave, with one candidacy submitted.
    async fn appel_national_demo(
        &self,
        cnaf: &Acteur,
        comptes: &mut Vec<CompteDemo>,
        h: &mut Hasard,
        aujourd_hui: Date,
    ) -> Result<(), ErreurApp> {
        let ouverture = a_14_heures(aujourd_hui - Duration::days(10));
        let annee = aujourd_hui.year() + 1;
        let appel = self
            .ouvrir_appel_candidatures(
                cnaf,
                SaisieAppel {
                    titre: format!("Deuxième vague de l'expérimentation ({annee}–{})", annee + 1),
                    vague: 2,
                    date_limite: aujourd_hui + Duration::days(45),
                    contenu_attendu: "La fiche de candidature : les motivations de la Caf, ses partenaires locaux du soutien à la parentalité et les dynamiques sur lesquelles elle s'appuie, les structures envisagées, le référent parentalité nommé et le nombre d'ETP estimé.".to_owned(),
                },
                ouverture,
            )
            .await?;
        let mut agents = Vec::new();
        for code in ["35", "44"] {
            let d = CodeDepartement::parse(code).map_err(|e| invalide(&e.to_string()))?;
            let info = departement(d).ok_or_else(|| invalide("département"))?;
            let c = nouveau_compte(
                comptes,
                h,
                &format!("agent.{code}@demo.parentalite.fr"),
                Role::Caf,
                format!("agent de la Caf {}", info.nom_precede_de()),
            );
            agents.push((
                d,
                self.creer_compte_demo(
                    Some(&c),
                    [d].into_iter().collect(),
                    Default::default(),
                    None,
                    ouverture,
                )
                .await?,
            ));
        }
        let (d35, agent35) = agents
            .first()
            .ok_or_else(|| invalide("agent de la Caf d'Ille-et-Vilaine"))?;
        let brouillon = self
            .rediger_candidature(
                agent35,
                AppelCandidaturesId(appel.valeur.id.0),
                *d35,
                DossierCandidature {
                    motivations: "Les parents d'Ille-et-Vilaine demandent des échanges individuels : la Caf veut les offrir dans les lieux qu'elle finance déjà.".to_owned(),
                    partenaires: "Conseil départemental (PMI), Udaf, réseau des centres sociaux, Maison des adolescents".to_owned(),
                    dynamiques: "Un réseau parentalité animé depuis 2015 et un schéma départemental des services aux familles adopté en 2025".to_owned(),
                    structures: "Deux lieux d'accueil enfants-parents à Rennes et Fougères, trois centres sociaux, une maison des familles".to_owned(),
                    referent_nom: "Camille Le Gall".to_owned(),
                    referent_email: "referent.parentalite.35@demo.parentalite.fr".to_owned(),
                    etp: Some(Etp::depuis_dix_milliemes(25_000)),
                },
                None,
                ouverture + Duration::days(2),
            )
            .await?;
        self.deposer_candidature(
            agent35,
            brouillon.valeur.id,
            None,
            ouverture + Duration::days(5),
        )
        .await?;
        Ok(())
    }
}

fn compte_rendu(aujourd_hui: Date) -> SaisieCompteRendu {
    SaisieCompteRendu {
        texte: "La Cnaf ouvre la séance. Chaque référent présente le point d'étape de sa Caf : structures conventionnées, familles accompagnées, difficultés rencontrées. La Dser présente les indicateurs et les questionnaires de l'évaluation.\n\nLes membres relèvent le besoin d'outils de communication communs pour les familles.".to_owned(),
        decisions: vec![
            "Les indicateurs d'évaluation sont arrêtés.".to_owned(),
            "Un appel à candidatures pour une deuxième vague sera ouvert.".to_owned(),
        ],
        actions: vec![
            SaisieAction {
                libelle: "Diffuser les questionnaires aux parents et aux partenaires".to_owned(),
                porteur: "Cnaf, Dser".to_owned(),
                echeance: Some(aujourd_hui + Duration::days(30)),
            },
            SaisieAction {
                libelle: "Proposer un kit de communication pour les familles".to_owned(),
                porteur: "Cnaf, Dicom".to_owned(),
                echeance: Some(aujourd_hui + Duration::days(60)),
            },
        ],
    }
}
