//! Demonstration data of the comité des financeurs as a sitting across all schemes (Lettre
//! circulaire Cnaf 2012-093, §43): in each département of the experiment, a second partner
//! funder (the MSA) beside the département's council, three structures of the other schemes
//! (accounts `porteur.<code>.<n>`), and three sittings: June 2024 and June 2025
//! (REAAP, CLAS, médiation familiale, and a LAEP in 2025), where the funders gave their opinions,
//! the Caf recorded the outcome with its share and each funder its own; and a sitting three
//! weeks ahead of the demonstration's day with REAAP, CLAS and médiation familiale projects on
//! its agenda, opinions partly given, nothing decided yet. The amounts of 2025 follow the yearly
//! trends the notes on the Cog 2018-2022 report (médiation familiale +8.4 %, REAAP +4.5 %).

use std::collections::BTreeSet;

use domain::acces::{Acteur, Role};
use domain::appel_a_projets::{AppelAProjets, Dispositif, NouvelAppel};
use domain::decision::{AvisFinanceur, IssueDecision, SaisieDecision, SaisiePart};
use domain::dossier::{DemandeFinancement, ProjetFonctionnement, SaisieAvis, SensAvis};
use domain::identifiants::{CodeDepartement, FinanceurId, GestionnaireId, Rna};
use domain::quantites::{Centimes, Etp};
use domain::structures::{
    Adresse, Cofinanceur, Financeur, Gestionnaire, Lieu, ModaliteAccueil, NatureFinanceur,
    StatutJuridique, TypeActivite,
};
use domain::territoire::{Communes, departement};
use store::depot::Lu;
use time::{Date, Duration, Month};

use super::{CompteDemo, Hasard, de_ville, invalide, le, nouveau_compte, siret};
use crate::Plateforme;
use crate::cas::dossiers::ActionDossier;
use crate::cas::structures::Auteur;
use crate::erreur::ErreurApp;

/// The kinds of structure that carry the other schemes' projects.
const STRUCTURES: [&str; 3] = [
    "Association des parents",
    "Centre social et familial",
    "Association de médiation familiale",
];

/// What one demonstration project asks and what the comité and each funder decide.
struct Projet {
    dispositif: Dispositif,
    intitule: &'static str,
    /// Asked of the Caf, the département's council and the MSA, in cents (0: not asked).
    demandes: [i64; 3],
    /// Granted by the Caf, the council and the MSA; `None`: the comité refuses the project.
    accordes: Option<[i64; 3]>,
}

/// The cents of `euros` grown by `pour_mille` thousandths (rounded down to the cent).
fn croissance(centimes: i64, pour_mille: i64) -> i64 {
    centimes * (1000 + pour_mille) / 1000
}

/// The projects of June 2024 and June 2025, `base` in cents varying by département.
fn projets(annee: i32, base: i64) -> Vec<Projet> {
    let reaap = base + 900_000;
    let clas = base / 2 + 700_000;
    let mf = 1_200_000;
    if annee == 2024 {
        vec![
            Projet {
                dispositif: Dispositif::Reaap,
                intitule: "Cafés des parents itinérants",
                demandes: [reaap, 400_000, 150_000],
                accordes: Some([reaap, 400_000, 150_000]),
            },
            Projet {
                dispositif: Dispositif::Reaap,
                intitule: "Ateliers parents-adolescents",
                demandes: [600_000, 250_000, 0],
                accordes: Some([550_000, 0, 0]),
            },
            Projet {
                dispositif: Dispositif::Clas,
                intitule: "Accompagnement à la scolarité en collège",
                demandes: [clas, 300_000, 0],
                accordes: Some([clas, 300_000, 0]),
            },
            Projet {
                dispositif: Dispositif::MediationFamiliale,
                intitule: "Service de médiation familiale",
                demandes: [mf, 300_000, 200_000],
                accordes: Some([mf, 300_000, 200_000]),
            },
        ]
    } else {
        // REAAP +4.5 %, médiation familiale +8.4 % on the Caf's amounts of 2024.
        let reaap_2025 = croissance(reaap + 550_000, 45);
        vec![
            Projet {
                dispositif: Dispositif::Reaap,
                intitule: "Réseau des cafés des parents",
                demandes: [reaap_2025, 400_000, 150_000],
                accordes: Some([reaap_2025, 400_000, 150_000]),
            },
            Projet {
                dispositif: Dispositif::Clas,
                intitule: "Accompagnement à la scolarité en école élémentaire",
                demandes: [croissance(clas, 20), 300_000, 0],
                accordes: Some([croissance(clas, 20), 300_000, 0]),
            },
            Projet {
                dispositif: Dispositif::Clas,
                intitule: "Aide aux devoirs sans lien avec les parents",
                demandes: [400_000, 100_000, 0],
                accordes: None,
            },
            Projet {
                dispositif: Dispositif::MediationFamiliale,
                intitule: "Service de médiation familiale",
                demandes: [croissance(mf, 84), 300_000, 200_000],
                accordes: Some([croissance(mf, 84), 300_000, 200_000]),
            },
            Projet {
                dispositif: Dispositif::Laep,
                intitule: "Lieu d'accueil enfants-parents",
                demandes: [500_000, 100_000, 0],
                accordes: Some([500_000, 100_000, 0]),
            },
        ]
    }
}

/// The projects on the agenda of the coming sitting.
fn projets_a_venir(base: i64) -> Vec<Projet> {
    vec![
        Projet {
            dispositif: Dispositif::Reaap,
            intitule: "Cafés des parents dans les quartiers",
            demandes: [base + 950_000, 400_000, 150_000],
            accordes: None,
        },
        Projet {
            dispositif: Dispositif::Clas,
            intitule: "Accompagnement à la scolarité et lien avec l'école",
            demandes: [800_000, 300_000, 0],
            accordes: None,
        },
        Projet {
            dispositif: Dispositif::MediationFamiliale,
            intitule: "Permanences de médiation familiale",
            demandes: [1_400_000, 300_000, 200_000],
            accordes: None,
        },
    ]
}

/// The accounts and records one département's comité works with.
struct Comite {
    departement: CodeDepartement,
    agent: Acteur,
    /// The département's council and the MSA, with the acting account of each.
    financeurs: [(FinanceurId, Acteur); 2],
    /// The gestionnaires' accounts, each with a project of its own to copy.
    porteurs: Vec<(Acteur, ProjetFonctionnement)>,
}

impl Plateforme {
    /// The comité des financeurs of every département of `departements` (see the module's
    /// comment). Called once the départements' Caf, funders, structures and projects exist.
    pub(super) async fn peupler_comite(
        &self,
        departements: &[CodeDepartement],
        comptes: &mut Vec<CompteDemo>,
        h: &mut Hasard,
        aujourd_hui: Date,
    ) -> Result<(), ErreurApp> {
        for (rang, d) in departements.iter().enumerate() {
            let comite = self.preparer_comite(*d, rang, comptes, h).await?;
            let base = 10_000 * rang as i64;
            for (annee, jour) in [(2024, 20), (2025, 19)] {
                let date = Date::from_calendar_date(annee, Month::June, jour)
                    .map_err(|e| invalide(&e.to_string()))?;
                let debut = Date::from_calendar_date(annee, Month::January, 1)
                    .map_err(|e| invalide(&e.to_string()))?;
                self.tenir_seance(&comite, &projets(annee, base), debut, date, true)
                    .await?;
            }
            let debut = Date::from_calendar_date(aujourd_hui.year(), Month::January, 1)
                .map_err(|e| invalide(&e.to_string()))?;
            // The calls closed before the demonstration's day: the coming sitting examines
            // projects already submitted.
            let seance = aujourd_hui + Duration::days(21);
            let depot = aujourd_hui - Duration::days(60);
            self.tenir_seance(
                &comite,
                &projets_a_venir(base),
                debut.min(depot),
                seance,
                false,
            )
            .await?;
        }
        Ok(())
    }

    /// The MSA of the département and its account, the Caf's agent, the council's account, and
    /// the structures that answer the calls of the other schemes with their accounts.
    async fn preparer_comite(
        &self,
        d: CodeDepartement,
        rang: usize,
        comptes: &mut Vec<CompteDemo>,
        h: &mut Hasard,
    ) -> Result<Comite, ErreurApp> {
        let info = departement(d).ok_or_else(|| invalide("département"))?;
        let code = d.as_str().to_lowercase();
        let acteur = |email: String| async move {
            self.utilisateur_par_email(&email)
                .await?
                .map(|(_, a)| a)
                .ok_or_else(|| invalide(&format!("compte {email}")))
        };
        let agent = acteur(format!("agent.{code}@demo.parentalite.fr")).await?;
        let conseil = acteur(format!("financeur.{code}@demo.parentalite.fr")).await?;
        let id_conseil = conseil
            .financeur
            .ok_or_else(|| invalide("financeur du conseil départemental"))?;
        let debut = le(time::macros::date!(2023 - 09 - 01));
        let msa: Lu<Financeur> = self
            .enregistrer_financeur(
                Auteur::Operateur,
                |id| Financeur {
                    id,
                    nom: format!("Mutualité sociale agricole {}", info.nom_precede_de()),
                    nature: NatureFinanceur::Msa,
                    departement: d,
                },
                debut,
            )
            .await?;
        let c = nouveau_compte(
            comptes,
            h,
            &format!("msa.{code}@demo.parentalite.fr"),
            Role::Financeur,
            format!("membre du comité des financeurs, {}", msa.valeur.nom),
        );
        let agent_msa = self
            .creer_compte_demo(
                Some(&c),
                [d].into(),
                BTreeSet::new(),
                Some(msa.valeur.id),
                debut,
            )
            .await?;
        // Three structures of the département's other schemes, in communes the AIP's structures
        // do not occupy (those take the largest communes first), each with its account and its
        // place of reception.
        let communes = Communes::embarquees().map_err(|e| invalide(&e.to_string()))?;
        let mut villes: Vec<_> = communes.du_departement(d).collect();
        villes.sort_by_key(|c| std::cmp::Reverse(c.population.unwrap_or(0)));
        let mut constructeurs: Vec<Box<dyn FnOnce(GestionnaireId) -> Gestionnaire + Send>> =
            Vec::new();
        for (k, genre) in STRUCTURES.iter().enumerate() {
            let ville = villes
                .get((20 + k) % villes.len().max(1))
                .ok_or_else(|| invalide("aucune commune dans le département"))?;
            let (commune, nom_ville) = (ville.code, ville.nom.clone());
            let souche = 7_800_000_000_000 + rang as u64 * 1_000_000 + 500_000 + k as u64 * 10;
            let siret = siret(souche)?;
            let rna = if d.est_alsace_moselle() {
                None
            } else {
                Some(
                    Rna::parse(&format!(
                        "W{:0>2}{:07}",
                        &d.as_str()[..2],
                        9_000_000 + rang * 10 + k
                    ))
                    .map_err(|e| invalide(&e.to_string()))?,
                )
            };
            let nom = format!("{genre} {}", de_ville(&nom_ville));
            let dep = d;
            constructeurs.push(Box::new(move |id: GestionnaireId| Gestionnaire {
                id,
                raison_sociale: nom,
                siret,
                rna,
                statut: StatutJuridique::AssociationLoi1901,
                activite: if k == 1 {
                    TypeActivite::CentreSocial
                } else {
                    TypeActivite::Generaliste
                },
                siege: Adresse {
                    voie: format!("{} place de la Mairie", 2 + k),
                    complement: None,
                    code_postal: format!("{:0<5}", dep.as_str()),
                    commune,
                },
                departement_siege: dep,
                email: None,
                engagements: Default::default(),
                banque: None,
            }));
        }
        let structures = self
            .importer_gestionnaires(Auteur::Operateur, constructeurs, debut)
            .await?;
        let mut porteurs = Vec::new();
        for (k, g) in structures.iter().enumerate() {
            let g = &g.valeur;
            let c = nouveau_compte(
                comptes,
                h,
                &format!("porteur.{code}.{}@demo.parentalite.fr", k + 1),
                Role::Gestionnaire,
                format!("gestionnaire de « {} »", g.raison_sociale),
            );
            let acteur_g = self
                .creer_compte_demo(Some(&c), BTreeSet::new(), [g.id].into(), None, debut)
                .await?;
            let lieu = self
                .ajouter_lieu(
                    &acteur_g,
                    |id| Lieu {
                        id,
                        gestionnaire: g.id,
                        nom: "Salle des familles".into(),
                        adresse: g.siege.clone(),
                        modalites: [
                            ModaliteAccueil::SansRendezVous,
                            ModaliteAccueil::SurRendezVous,
                        ]
                        .into(),
                    },
                    debut,
                )
                .await?;
            let modele = ProjetFonctionnement {
                objectifs: "Soutenir les parents dans leur rôle éducatif, en lien avec les acteurs du territoire".into(),
                moyens: "Une animatrice diplômée, des bénévoles formés, une salle dédiée".into(),
                modalites_evaluation: "Questionnaire anonyme aux parents, bilan partagé avec les financeurs".into(),
                diagnostic_local: "Isolement des parents relevé par la PMI et les écoles".into(),
                partenaires: vec!["PMI".into(), "Écoles du secteur".into()],
                information_familles: "Affiches dans les écoles, site mon-enfant.fr".into(),
                lieux: vec![lieu.valeur.id],
                ..ProjetFonctionnement::default()
            };
            porteurs.push((acteur_g, modele));
        }
        Ok(Comite {
            departement: d,
            agent,
            financeurs: [(id_conseil, conseil), (msa.valeur.id, agent_msa)],
            porteurs,
        })
    }

    /// One sitting on `date`: a call per scheme for the year from `debut`, a project per line of
    /// `projets` submitted, instructed and presented, the funders' opinions; when `decider`, the
    /// Caf's outcome with its share and each partner's own share.
    async fn tenir_seance(
        &self,
        comite: &Comite,
        projets: &[Projet],
        debut: Date,
        date: Date,
        decider: bool,
    ) -> Result<(), ErreurApp> {
        let d = comite.departement;
        let fin = Date::from_calendar_date(debut.year(), Month::December, 31)
            .map_err(|e| invalide(&e.to_string()))?;
        // The call opens 100 days before the sitting and closes 40 days before it.
        let (ouverture, cloture) = (date - Duration::days(100), date - Duration::days(40));
        let depot = cloture - Duration::days(10);
        let mut appels: Vec<AppelAProjets> = Vec::new();
        for (n, p) in projets.iter().enumerate() {
            let appel = match appels.iter().find(|a| a.dispositif == p.dispositif) {
                Some(a) => a.clone(),
                None => {
                    let a = self
                        .publier_appel(
                            &comite.agent,
                            NouvelAppel {
                                departement: d,
                                dispositif: p.dispositif,
                                intitule: format!(
                                    "Appel à projets {} {} – comité des financeurs",
                                    p.dispositif.libelle(),
                                    debut.year()
                                ),
                                debut_periode: debut,
                                fin_periode: fin,
                                ouverture,
                                cloture,
                            },
                            le(ouverture - Duration::days(5)),
                        )
                        .await?
                        .valeur;
                    appels.push(a.clone());
                    a
                }
            };
            let (porteur, modele) = &comite.porteurs[n % comite.porteurs.len()];
            let gestionnaire = porteur
                .gestionnaires
                .iter()
                .next()
                .copied()
                .ok_or_else(|| invalide("structure du porteur"))?;
            let mut plan = Vec::new();
            let financeurs = [
                Cofinanceur::Caf,
                Cofinanceur::Partenaire(comite.financeurs[0].0),
                Cofinanceur::Partenaire(comite.financeurs[1].0),
            ];
            for (f, montant) in financeurs.iter().zip(p.demandes) {
                if montant > 0 {
                    plan.push(DemandeFinancement {
                        financeur: *f,
                        montant: Centimes::new(montant),
                    });
                }
            }
            let total = Centimes::somme(plan.iter().map(|l| l.montant))
                .ok_or_else(|| invalide("plan de financement"))?;
            let mut budget = modele.budget.clone();
            budget.charges = vec![domain::dossier::LigneBudget {
                libelle: "Animation et fonctionnement".into(),
                montant: total,
            }];
            budget.produits = vec![domain::dossier::LigneBudget {
                libelle: "Subventions demandées".into(),
                montant: total,
            }];
            let projet = ProjetFonctionnement {
                intitule: format!("{} ({})", p.intitule, debut.year()),
                etp_demandes: Etp::ZERO,
                debut: Some(debut),
                fin: Some(fin),
                budget,
                plan_financement: plan,
                ..modele.clone()
            };
            let dossier = self
                .creer_dossier(porteur, appel.id, gestionnaire, projet, le(depot))
                .await?;
            let id = dossier.valeur.id;
            for (acteur, action, jour) in [
                (porteur, ActionDossier::Deposer, depot),
                (
                    &comite.agent,
                    ActionDossier::PrendreEnInstruction,
                    depot + Duration::days(5),
                ),
                (
                    &comite.agent,
                    ActionDossier::PresenterEnComite(date),
                    depot + Duration::days(20),
                ),
            ] {
                self.agir_sur_dossier(acteur, id, None, action, le(jour))
                    .await?;
            }
            // Opinions before the sitting: the council on every project, the MSA on those it is
            // asked to fund; on the coming sitting, the council only on the first.
            for (rang_f, (_, acteur_f)) in comite.financeurs.iter().enumerate() {
                let demande = p.demandes[rang_f + 1];
                if (rang_f == 1 && demande == 0) || (!decider && (rang_f == 1 || n > 0)) {
                    continue;
                }
                let reserve = p.accordes.is_none() || (rang_f == 0 && n == 1 && decider);
                self.donner_avis(
                    acteur_f,
                    id,
                    None,
                    SaisieAvis {
                        sens: if reserve {
                            SensAvis::Reserve
                        } else {
                            SensAvis::Favorable
                        },
                        montant_envisage: (demande > 0).then_some(Centimes::new(demande)),
                        commentaire: if reserve {
                            "Le lien avec les parents reste à préciser.".into()
                        } else {
                            String::new()
                        },
                    },
                    le(if decider {
                        date - Duration::days(7)
                    } else {
                        depot + Duration::days(25)
                    }),
                )
                .await?;
            }
            if !decider {
                continue;
            }
            let saisie = match p.accordes {
                Some(parts) => SaisieDecision {
                    issue: IssueDecision::Valide,
                    motivation: "Projet conforme aux critères communs du dispositif.".into(),
                    notification: None,
                    part_caf: Some(SaisiePart {
                        avis: AvisFinanceur::Accorde,
                        montant: Centimes::new(parts[0]),
                        motivation: String::new(),
                    }),
                    derogation_engagements: None,
                },
                None => SaisieDecision {
                    issue: IssueDecision::Refuse,
                    motivation: "Le projet ne comporte pas d'action en direction des parents."
                        .into(),
                    notification: None,
                    part_caf: None,
                    derogation_engagements: None,
                },
            };
            let (_, decision) = self
                .enregistrer_decision(&comite.agent, id, None, saisie, false, le(date))
                .await?;
            for (rang_f, (financeur, acteur_f)) in comite.financeurs.iter().enumerate() {
                if p.demandes[rang_f + 1] == 0 {
                    continue;
                }
                let accorde = p.accordes.map_or(0, |a| a[rang_f + 1]);
                self.enregistrer_part(
                    acteur_f,
                    decision.valeur.id,
                    Cofinanceur::Partenaire(*financeur),
                    SaisiePart {
                        avis: if accorde > 0 {
                            AvisFinanceur::Accorde
                        } else {
                            AvisFinanceur::Refuse
                        },
                        montant: Centimes::new(accorde),
                        motivation: if accorde > 0 {
                            String::new()
                        } else {
                            "Hors des priorités de notre financement cette année.".into()
                        },
                    },
                    le(date + Duration::days(3)),
                )
                .await?;
            }
        }
        Ok(())
    }
}
