//! The demonstration's coordination instances, one per département of the experiment, built
//! through the real use cases: eight comités départementaux des services aux familles and two
//! instances in the circular's shape (Haute-Marne, Tarn), each with its members (the préfet,
//! three vice-presidents, the Caf's secretariat, the State's services, the funders, the
//! associations, and an account of role « membre »); three past séances, the first two with their
//! minutes approved at the next one and published, the last with its minutes sent for comments;
//! and one séance to come, its members convened (their mails in the outbox, readable in the local
//! mail server once the sender runs) and some of them having answered.

use domain::Acteur;
use domain::acces::Role;
use domain::coordination::{
    FormeInstance, GroupeDeTravail, LienPoint, Niveau, PointOrdreDuJour, Reponse, SaisieAction,
    SaisieCompteRendu, SaisieInstance, SaisieMembre, SaisieSeance, Schema, StatutAction,
};
use domain::identifiants::{CodeDepartement, SeanceId};
use domain::territoire::departement;
use time::{Date, Duration, Month, OffsetDateTime, Time, UtcOffset};

use super::{CompteDemo, Hasard, invalide, nouveau_compte};
use crate::{ActionSeance, ErreurApp, Plateforme};

/// The address the demonstration's links point to: where `demo` listens by default.
pub const ADRESSE_DEMO: &str = "http://127.0.0.1:8080";

/// 14:00 on `jour` (or on the Monday after, for a weekend day), Paris winter time as the
/// demonstration's fixed offset (a séance entered in summer keeps +01:00: one hour off on a
/// clock, never a wrong day).
pub(super) fn a_14_heures(jour: Date) -> OffsetDateTime {
    let mut jour = jour;
    while matches!(
        jour.weekday(),
        time::Weekday::Saturday | time::Weekday::Sunday
    ) {
        jour = jour.next_day().unwrap_or(jour);
    }
    jour.with_time(Time::from_hms(14, 0, 0).unwrap_or(Time::MIDNIGHT))
        .assume_offset(UtcOffset::from_hms(1, 0, 0).unwrap_or(UtcOffset::UTC))
}

fn date_fr(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

impl Plateforme {
    /// The instance of every département of `departements` (see the module's comment).
    pub(super) async fn peupler_instances(
        &self,
        departements: &[CodeDepartement],
        comptes: &mut Vec<CompteDemo>,
        h: &mut Hasard,
        aujourd_hui: Date,
    ) -> Result<(), ErreurApp> {
        for d in departements {
            self.peupler_instance(*d, comptes, h, aujourd_hui).await?;
        }
        Ok(())
    }

    async fn peupler_instance(
        &self,
        d: CodeDepartement,
        comptes: &mut Vec<CompteDemo>,
        h: &mut Hasard,
        aujourd_hui: Date,
    ) -> Result<(), ErreurApp> {
        let info = departement(d).ok_or_else(|| invalide("département"))?;
        let code = d.as_str().to_lowercase();
        let agent = self
            .utilisateur_par_email(&format!("agent.{code}@demo.parentalite.fr"))
            .await?
            .map(|(_, a)| a)
            .ok_or_else(|| invalide("agent de la Caf"))?;
        let forme = if matches!(d.as_str(), "52" | "81") {
            FormeInstance::Circulaire2012
        } else {
            FormeInstance::Cdsf
        };
        let creation = a_14_heures(aujourd_hui - Duration::days(260));
        let debut_schema = Date::from_calendar_date(2025, Month::January, 1)
            .map_err(|e| invalide(&e.to_string()))?;
        let fin_schema = Date::from_calendar_date(2030, Month::December, 31)
            .map_err(|e| invalide(&e.to_string()))?;
        self.configurer_instance(
            &agent,
            d,
            SaisieInstance {
                forme,
                secretariat: format!("coordination.{code}@demo.parentalite.fr"),
                groupes: vec![
                    GroupeDeTravail {
                        nom: "Premiers pas et parentalité".to_owned(),
                        territorial: false,
                    },
                    GroupeDeTravail {
                        nom: format!("Territoire {}", info.nom),
                        territorial: true,
                    },
                ],
                schema: (forme == FormeInstance::Cdsf).then_some(Schema {
                    debut: debut_schema,
                    fin: fin_schema,
                }),
            },
            None,
            creation,
        )
        .await?;
        let membre_compte = nouveau_compte(
            comptes,
            h,
            &format!("membre.{code}@demo.parentalite.fr"),
            Role::Membre,
            format!("Udaf, membre de l'instance de coordination ({})", info.nom),
        );
        self.creer_compte_demo(
            Some(&membre_compte),
            [d].into_iter().collect(),
            Default::default(),
            None,
            creation,
        )
        .await?;
        let politique = if forme == FormeInstance::Cdsf {
            "politique,technique"
        } else {
            "politique,strategique"
        };
        let membres: [(&str, String, String, &str, &str); 12] = [
            (
                "Préfecture",
                "Claire Lambert, préfète".to_owned(),
                format!("prefet.{code}@demo.parentalite.fr"),
                "président",
                politique,
            ),
            (
                "Conseil départemental",
                "Jean Morel, président".to_owned(),
                format!("financeur.{code}@demo.parentalite.fr"),
                "vice-président",
                politique,
            ),
            (
                "Association départementale des maires",
                "Sophie Garnier, maire".to_owned(),
                format!("maires.{code}@demo.parentalite.fr"),
                "vice-président",
                politique,
            ),
            (
                "Caf, conseil d'administration",
                "Paul Renaud, président".to_owned(),
                format!("president.caf.{code}@demo.parentalite.fr"),
                "vice-président",
                politique,
            ),
            (
                "Caf, secrétariat",
                "Secrétariat de la coordination".to_owned(),
                format!("agent.{code}@demo.parentalite.fr"),
                "secrétariat",
                "",
            ),
            (
                "DDETS",
                "Karim Benali".to_owned(),
                format!("ddets.{code}@demo.parentalite.fr"),
                "membre",
                politique,
            ),
            (
                "Éducation nationale (DSDEN)",
                "Hélène Faure".to_owned(),
                format!("dsden.{code}@demo.parentalite.fr"),
                "membre",
                politique,
            ),
            (
                "MSA",
                "Luc Perrin".to_owned(),
                format!("msa.{code}@demo.parentalite.fr"),
                "membre",
                politique,
            ),
            (
                "Udaf",
                "Inès Caron".to_owned(),
                format!("membre.{code}@demo.parentalite.fr"),
                "membre",
                politique,
            ),
            (
                "Justice (PJJ)",
                "Marc Lefebvre".to_owned(),
                format!("pjj.{code}@demo.parentalite.fr"),
                "membre",
                politique,
            ),
            (
                "Réseau des centres sociaux",
                "Nadia Rousseau".to_owned(),
                format!("centres.sociaux.{code}@demo.parentalite.fr"),
                "membre",
                "technique",
            ),
            (
                "Association de médiation familiale",
                "Thomas Girard".to_owned(),
                format!("mediation.{code}@demo.parentalite.fr"),
                "invité",
                "",
            ),
        ];
        for (organisation, personne, email, role, niveaux) in membres {
            // The circular's instance has the Caf's vice-presidency and the conseil
            // départemental's: the mayors sit as members.
            let role = if forme == FormeInstance::Circulaire2012
                && organisation == "Association départementale des maires"
            {
                "membre"
            } else {
                role
            };
            self.ajouter_membre(
                &agent,
                d,
                SaisieMembre {
                    organisation: organisation.to_owned(),
                    personne,
                    email,
                    role: role.to_owned(),
                    mandat_debut: "01/01/2025".to_owned(),
                    mandat_fin: "31/12/2030".to_owned(),
                    niveaux: niveaux.to_owned(),
                    groupes: if role == "membre" && organisation == "Udaf" {
                        "Premiers pas et parentalité".to_owned()
                    } else {
                        String::new()
                    },
                },
                creation,
            )
            .await?;
        }
        let vue = self
            .instance(&agent, d)
            .await?
            .ok_or_else(|| invalide("instance"))?;
        let ids: Vec<_> = vue.membres.iter().map(|m| m.valeur.id).collect();
        let dossiers: Vec<i64> = self
            .dossiers(&agent, None)
            .await?
            .iter()
            .filter(|x| x.valeur.departement == d && x.valeur.etat.code() == "presente_en_comite")
            .map(|x| x.valeur.id.0)
            .take(2)
            .collect();

        // Three past séances and one to come.
        let jours = [-200i64, -120, -40];
        let mut passees: Vec<SeanceId> = Vec::new();
        for (rang, decalage) in jours.into_iter().enumerate() {
            let jour = aujourd_hui + Duration::days(decalage);
            let debut = a_14_heures(jour);
            let id = self
                .seance_demo(&agent, d, debut, rang, &[], aujourd_hui)
                .await?;
            let quand = |jours: i64| debut + Duration::days(jours);
            // Answers before the séance: the DDETS gives its proxy to the préfète, the MSA is absent.
            for (k, reponse) in [
                (0usize, Reponse::Present),
                (5, Reponse::Represente { par: ids[0] }),
                (7, Reponse::Absent),
            ] {
                self.agir_sur_seance(
                    &agent,
                    id,
                    None,
                    ActionSeance::Repondre {
                        membre: ids[k],
                        reponse,
                    },
                    ADRESSE_DEMO,
                    quand(-3),
                )
                .await?;
            }
            let presents: Vec<_> = ids
                .iter()
                .enumerate()
                .filter(|(k, _)| ![5usize, 7, 9, 10, 11].contains(k))
                .map(|(_, m)| *m)
                .collect();
            self.agir_sur_seance(
                &agent,
                id,
                None,
                ActionSeance::Emarger { presents },
                ADRESSE_DEMO,
                quand(0) + Duration::hours(3),
            )
            .await?;
            if let Some(precedente) = passees.last() {
                self.agir_sur_seance(
                    &agent,
                    id,
                    None,
                    ActionSeance::ApprouverCompteRendu {
                        precedente: *precedente,
                    },
                    ADRESSE_DEMO,
                    quand(0) + Duration::hours(3),
                )
                .await?;
                self.agir_sur_seance(
                    &agent,
                    *precedente,
                    None,
                    ActionSeance::PublierCompteRendu,
                    ADRESSE_DEMO,
                    quand(1),
                )
                .await?;
            }
            self.agir_sur_seance(
                &agent,
                id,
                None,
                ActionSeance::RedigerCompteRendu(Box::new(compte_rendu(rang, &info.nom, jour))),
                ADRESSE_DEMO,
                quand(2),
            )
            .await?;
            self.agir_sur_seance(
                &agent,
                id,
                None,
                ActionSeance::SoumettreCompteRendu,
                ADRESSE_DEMO,
                quand(3),
            )
            .await?;
            if rang == 0 {
                self.agir_sur_seance(
                    &agent,
                    id,
                    None,
                    ActionSeance::SuivreAction {
                        numero: 1,
                        statut: StatutAction::Realisee,
                    },
                    ADRESSE_DEMO,
                    quand(60),
                )
                .await?;
                self.agir_sur_seance(
                    &agent,
                    id,
                    None,
                    ActionSeance::SuivreAction {
                        numero: 2,
                        statut: StatutAction::EnCours,
                    },
                    ADRESSE_DEMO,
                    quand(60),
                )
                .await?;
            }
            passees.push(id);
        }
        let a_venir = a_14_heures(aujourd_hui + Duration::days(14));
        let id = self
            .seance_demo(&agent, d, a_venir, 3, &dossiers, aujourd_hui)
            .await?;
        for (k, reponse) in [(0usize, Reponse::Present), (6, Reponse::Absent)] {
            self.agir_sur_seance(
                &agent,
                id,
                None,
                ActionSeance::Repondre {
                    membre: ids[k],
                    reponse,
                },
                ADRESSE_DEMO,
                aujourd_hui.midnight().assume_utc() + Duration::minutes(10),
            )
            .await?;
        }
        Ok(())
    }

    /// Plans and convenes a séance of the political level starting at `debut`: planned 30 days
    /// before (or today for the one to come), convened 20 days before.
    async fn seance_demo(
        &self,
        agent: &Acteur,
        d: CodeDepartement,
        debut: OffsetDateTime,
        rang: usize,
        dossiers: &[i64],
        aujourd_hui: Date,
    ) -> Result<SeanceId, ErreurApp> {
        const TITRES: [&str; 4] = [
            "Installation et diagnostic partagé",
            "Priorités locales et plan d'action",
            "Couverture de l'offre et financements",
            "Séance plénière : bilan et programmation",
        ];
        let mut ordre_du_jour = vec![
            PointOrdreDuJour {
                titre: "Approbation du compte rendu de la séance précédente".to_owned(),
                lien: None,
            },
            PointOrdreDuJour {
                titre: "Diagnostic partagé et couverture de l'offre".to_owned(),
                lien: Some(LienPoint::Diagnostic),
            },
        ];
        for n in dossiers {
            ordre_du_jour.push(PointOrdreDuJour {
                titre: format!("Examen du dossier n° {n}"),
                lien: Some(LienPoint::Dossier {
                    dossier: domain::identifiants::DossierId(*n),
                }),
            });
        }
        ordre_du_jour.push(PointOrdreDuJour {
            titre: "Questions diverses".to_owned(),
            lien: None,
        });
        // The present of the demonstration: the first minute of its day (UTC), so that the coming
        // séance's convocations are due at once whatever the hour the demonstration starts.
        let maintenant = aujourd_hui.midnight().assume_utc();
        let plan = if debut > maintenant {
            maintenant - Duration::hours(1)
        } else {
            debut - Duration::days(30)
        };
        let lu = self
            .planifier_seance(
                agent,
                d,
                SaisieSeance {
                    niveau: Niveau::Politique,
                    groupe: None,
                    titre: TITRES[rang.min(3)].to_owned(),
                    debut,
                    duree_minutes: 150,
                    lieu: "Préfecture, salle des commissions".to_owned(),
                    ordre_du_jour,
                },
                plan,
            )
            .await?;
        let convocation = if debut > maintenant {
            maintenant
        } else {
            debut - Duration::days(20)
        };
        self.agir_sur_seance(
            agent,
            lu.valeur.id,
            None,
            ActionSeance::Convoquer { urgence: false },
            ADRESSE_DEMO,
            convocation,
        )
        .await?;
        Ok(lu.valeur.id)
    }
}

fn compte_rendu(rang: usize, departement: &str, jour: Date) -> SaisieCompteRendu {
    let echeance = |mois: i64| jour + Duration::days(30 * mois);
    let (texte, decisions, actions) = match rang {
        0 => (
            format!("La préfète ouvre la séance d'installation de l'instance ({departement}). Le secrétariat présente le diagnostic partagé : l'offre de chaque dispositif par commune et les communes sans offre à moins de 10 km.\n\nLes membres relèvent le manque de lieux d'accueil enfants-parents dans les communes rurales."),
            vec!["Le diagnostic partagé est adopté.".to_owned(), "Un groupe de travail « Premiers pas et parentalité » est constitué.".to_owned()],
            vec![
                SaisieAction { libelle: "Recenser les Laep et leurs horaires".to_owned(), porteur: "Caf, secrétariat".to_owned(), echeance: Some(echeance(2)) },
                SaisieAction { libelle: "Proposer deux sites pour un Laep itinérant".to_owned(), porteur: "Conseil départemental".to_owned(), echeance: Some(echeance(6)) },
            ],
        ),
        1 => (
            "Le compte rendu de la séance précédente est approuvé. Les membres arrêtent les priorités locales du schéma : l'accès des familles rurales aux services, la médiation familiale, l'accompagnement à la scolarité.".to_owned(),
            vec!["Les trois priorités locales sont retenues.".to_owned()],
            vec![SaisieAction { libelle: "Rédiger le plan d'information des familles".to_owned(), porteur: "Udaf".to_owned(), echeance: Some(echeance(3)) }],
        ),
        _ => (
            "Le compte rendu de la séance précédente est approuvé. Le comité des financeurs présente les financements de l'année par dispositif ; le secrétariat présente la couverture de l'offre.".to_owned(),
            vec!["La programmation des financements est présentée au comité des financeurs.".to_owned()],
            vec![SaisieAction { libelle: format!("Mettre à jour la cartographie de l'offre au {}", date_fr(echeance(4))), porteur: "Caf, secrétariat".to_owned(), echeance: Some(echeance(4)) }],
        ),
    };
    SaisieCompteRendu {
        texte,
        decisions,
        actions,
    }
}
