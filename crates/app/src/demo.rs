//! Realistic demonstration data, written through the use cases as real users would: the 10 Caf
//! of the experiment, about ten gestionnaires each with sites in real communes of their
//! département, intervenants (some not eligible, for the checks to show), dossiers in every
//! state, conventions, the three declarations, bilans and payments for 2024 and part of 2025,
//! and one account per role. Deterministic: the same seed gives the same data.

use std::collections::BTreeSet;

use domain::acces::{Acteur, Role, Utilisateur};
use domain::appel_a_projets::{Dispositif, NouvelAppel};
use domain::convention::NouvelleConvention;
use domain::decision::{AvisFinanceur, IssueDecision, NotificationEtp, SaisieDecision, SaisiePart};
use domain::declaration::{Activite, ContenuBilan, DonneesDeclaration, NatureDeclaration};
use domain::dossier::{BudgetPrevisionnel, DemandeFinancement, LigneBudget, ProjetFonctionnement};
use domain::identifiants::{
    CodeDepartement, Email, FinanceurId, GestionnaireId, Rna, Siret, UtilisateurId,
};
use domain::quantites::{Centimes, Etp};
use domain::structures::{
    Adresse, AvisCaf, Diplome, Financeur, Gestionnaire, Intervenant, Lieu, ModaliteAccueil,
    NatureFinanceur, SaisieAttestation, SaisieControle, StatutIntervenant, StatutJuridique,
    TypeActivite,
};
use domain::territoire::{Communes, departement};
use time::macros::{date, offset};
use time::{Date, OffsetDateTime};

use crate::Plateforme;

mod annuaire;
mod comite;
mod evaluation;
mod instance;
mod national;
mod questionnaires;
mod rapport;
use crate::cas::declarations::ActionTransmission;
use crate::cas::dossiers::ActionDossier;
use crate::cas::paiements::Echeance;
use crate::cas::structures::Auteur;
use crate::erreur::ErreurApp;

/// How much to create.
#[derive(Debug, Clone, Copy)]
pub struct OptionsDemo {
    pub gestionnaires_par_caf: usize,
    /// Issue the payments due at the end (or leave them for a payment run).
    pub emettre_paiements: bool,
    pub graine: u64,
}

impl Default for OptionsDemo {
    fn default() -> Self {
        OptionsDemo {
            gestionnaires_par_caf: 10,
            emettre_paiements: true,
            graine: 2024,
        }
    }
}

/// An account created for the demonstration, with its password.
#[derive(Debug, Clone)]
pub struct CompteDemo {
    pub email: String,
    pub role: Role,
    pub description: String,
    pub mot_de_passe: String,
}

/// What was created.
#[derive(Debug, Clone, Default)]
pub struct ResumeDemo {
    pub comptes: Vec<CompteDemo>,
    pub gestionnaires: usize,
    pub dossiers: usize,
    pub conventions: usize,
    pub paiements: usize,
}

/// A small deterministic generator (xorshift): demonstration data only, never security.
struct Hasard(u64);

impl Hasard {
    fn suivant(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn entre(&mut self, min: u64, max: u64) -> u64 {
        min + self.suivant() % (max - min + 1)
    }
}

fn le(jour: Date) -> OffsetDateTime {
    jour.midnight()
        .replace_hour(10)
        .unwrap_or(jour.midnight())
        .assume_offset(offset!(+1))
}

fn invalide(quoi: &str) -> ErreurApp {
    ErreurApp::Calcul(format!("données de démonstration: {quoi}"))
}

/// A SIRET with a valid key from a 13-digit stem.
fn siret(souche: u64) -> Result<Siret, ErreurApp> {
    let base = format!("{:013}", souche % 10_000_000_000_000);
    (0..10)
        .find_map(|k| Siret::parse(&format!("{base}{k}")).ok())
        .ok_or_else(|| invalide("SIRET"))
}

const NOMS: [&str; 12] = [
    "Association Parents en chemin",
    "Centre social Les Tilleuls",
    "Espace familles du Val",
    "Maison des parents",
    "Association Relais parentalité",
    "Union départementale des associations familiales",
    "Association Écoute et familles",
    "Centre communal d'action sociale",
    "Association Grandir ensemble",
    "Point écoute familles",
    "Association Les Liens",
    "Service famille et parentalité",
];

const PRENOMS: [&str; 10] = [
    "Camille", "Nadia", "Julien", "Sophie", "Karim", "Élise", "Thomas", "Inès", "Hugo", "Léa",
];
const NOMS_FAMILLE: [&str; 10] = [
    "Martin", "Bernard", "Moreau", "Lefèvre", "Garnier", "Faure", "Rousseau", "Blanc", "Guerin",
    "Muller",
];

fn etp(dix_milliemes: u32) -> Etp {
    Etp::depuis_dix_milliemes(dix_milliemes)
}

fn euros(e: i64) -> Centimes {
    Centimes::new(e * 100)
}

impl Plateforme {
    /// Fills an empty database with demonstration data. `aujourd_hui` is the day the
    /// demonstration is built for: the call open for new projects is dated from it.
    pub async fn peupler_demo(
        &self,
        options: OptionsDemo,
        aujourd_hui: Date,
    ) -> Result<ResumeDemo, ErreurApp> {
        let mut h = Hasard(options.graine.max(1));
        let mut resume = ResumeDemo::default();
        let communes = Communes::embarquees().map_err(|e| invalide(&e.to_string()))?;
        let debut = le(date!(2023 - 09 - 01));

        let mut comptes = Vec::new();

        // National accounts and allocations.
        let c = nouveau_compte(
            &mut comptes,
            &mut h,
            "cnaf@demo.parentalite.fr",
            Role::Cnaf,
            "Cnaf, équipe nationale".into(),
        );
        let cnaf = self
            .creer_compte_demo(Some(&c), BTreeSet::new(), BTreeSet::new(), None, debut)
            .await?;
        let deps: Vec<CodeDepartement> = domain::experimentation::DEPARTEMENTS
            .iter()
            .filter_map(|c| CodeDepartement::parse(c).ok())
            .collect();
        for d in &deps {
            self.allouer(&cnaf, *d, euros(300_000), debut).await?;
        }

        for (n_dep, d) in deps.iter().enumerate() {
            let info = departement(*d).ok_or_else(|| invalide("département"))?;
            // Accounts of the Caf and of a co-funder.
            let nom_agent = format!("agent de la Caf {}", info.nom_precede_de());
            let c = nouveau_compte(
                &mut comptes,
                &mut h,
                &format!("agent.{}@demo.parentalite.fr", d.as_str().to_lowercase()),
                Role::Caf,
                nom_agent.clone(),
            );
            let agent = self
                .creer_compte_demo(Some(&c), [*d].into(), BTreeSet::new(), None, debut)
                .await?;
            let financeur = self
                .enregistrer_financeur(
                    Auteur::Operateur,
                    |id| Financeur {
                        id,
                        nom: format!("Conseil départemental {}", info.nom_precede_de()),
                        nature: NatureFinanceur::ConseilDepartemental,
                        departement: *d,
                    },
                    debut,
                )
                .await?;
            let c = nouveau_compte(
                &mut comptes,
                &mut h,
                &format!(
                    "financeur.{}@demo.parentalite.fr",
                    d.as_str().to_lowercase()
                ),
                Role::Financeur,
                format!("membre du comité des financeurs, {}", financeur.valeur.nom),
            );
            self.creer_compte_demo(
                Some(&c),
                [*d].into(),
                BTreeSet::new(),
                Some(financeur.valeur.id),
                debut,
            )
            .await?;

            let appel = self
                .publier_appel(
                    &agent,
                    NouvelAppel {
                        departement: *d,
                        dispositif: Dispositif::Aip,
                        intitule: format!(
                            "Accompagnement individuel parentalité {} 2024-2025",
                            info.nom_precede_de()
                        ),
                        debut_periode: date!(2024 - 01 - 01),
                        fin_periode: date!(2025 - 12 - 31),
                        ouverture: date!(2023 - 11 - 01),
                        cloture: date!(2024 - 01 - 31),
                    },
                    le(date!(2023 - 10 - 15)),
                )
                .await?;

            // The largest communes of the département host the structures.
            let mut villes: Vec<_> = communes.du_departement(*d).collect();
            villes.sort_by_key(|c| std::cmp::Reverse(c.population.unwrap_or(0)));
            let n = options.gestionnaires_par_caf;
            let mut constructeurs: Vec<Box<dyn FnOnce(GestionnaireId) -> Gestionnaire + Send>> =
                Vec::with_capacity(n);
            for i in 0..n {
                let ville = villes
                    .get(i % villes.len().max(1))
                    .ok_or_else(|| invalide("aucune commune dans le département"))?;
                let (commune, nom_ville) = (ville.code, ville.nom.clone());
                let souche = 7_800_000_000_000 + (n_dep as u64) * 1_000_000 + i as u64 * 10;
                let nom = format!(
                    "{} {}",
                    NOMS[(i + n_dep) % NOMS.len()],
                    de_ville(&nom_ville)
                );
                let centre = (i + n_dep) % NOMS.len() == 1;
                let dep = *d;
                let rna = if dep.est_alsace_moselle() {
                    None
                } else {
                    Some(
                        Rna::parse(&format!(
                            "W{:0>2}{:07}",
                            &dep.as_str()[..2],
                            n_dep * 100 + i
                        ))
                        .map_err(|e| invalide(&e.to_string()))?,
                    )
                };
                let siret = siret(souche)?;
                // A demonstration account at a made-up branch, one per structure.
                let banque = domain::structures::iban_francais(&format!(
                    "3000600001{:011}{:02}",
                    souche % 100_000_000_000,
                    i % 97
                ))
                .ok()
                .map(|iban| domain::structures::CoordonneesBancaires {
                    iban,
                    bic: "AGRIFRPP".to_owned(),
                    titulaire: nom.clone(),
                });
                let email = Email::parse(&format!(
                    "contact.{}.{}@demo-association.fr",
                    dep.as_str().to_lowercase(),
                    i
                ))
                .ok();
                constructeurs.push(Box::new(move |id: GestionnaireId| Gestionnaire {
                    id,
                    raison_sociale: nom,
                    siret,
                    rna,
                    statut: StatutJuridique::AssociationLoi1901,
                    activite: if centre {
                        TypeActivite::CentreSocial
                    } else {
                        TypeActivite::Generaliste
                    },
                    siege: Adresse {
                        voie: format!("{} rue de la République", 1 + i * 3),
                        complement: None,
                        code_postal: format!("{:0<5}", dep.as_str()),
                        commune,
                    },
                    departement_siege: dep,
                    email,
                    engagements: Default::default(),
                    banque,
                }));
            }
            let gestionnaires = self
                .importer_gestionnaires(Auteur::Operateur, constructeurs, le(date!(2023 - 10 - 20)))
                .await?;
            resume.gestionnaires += gestionnaires.len();

            for (i, g) in gestionnaires.iter().enumerate() {
                let g = &g.valeur;
                let email_g = format!(
                    "gestionnaire.{}.{}@demo.parentalite.fr",
                    d.as_str().to_lowercase(),
                    i + 1
                );
                let nom_g = format!("gestionnaire de « {} »", g.raison_sociale);
                let c = nouveau_compte(
                    &mut comptes,
                    &mut h,
                    &email_g,
                    Role::Gestionnaire,
                    nom_g.clone(),
                );
                let acteur_g = self
                    .creer_compte_demo(Some(&c), BTreeSet::new(), [g.id].into(), None, debut)
                    .await?;
                // The intervenant works at a structure whose project was validated, so that
                // it has sessions to record.
                if i == 8.min(n.saturating_sub(1)) {
                    let c = nouveau_compte(
                        &mut comptes,
                        &mut h,
                        &format!(
                            "intervenant.{}@demo.parentalite.fr",
                            d.as_str().to_lowercase()
                        ),
                        Role::Intervenant,
                        format!("intervenante de « {} »", g.raison_sociale),
                    );
                    self.creer_compte_demo(Some(&c), BTreeSet::new(), [g.id].into(), None, debut)
                        .await?;
                }
                let lieu = self
                    .ajouter_lieu(
                        &acteur_g,
                        |id| Lieu {
                            id,
                            gestionnaire: g.id,
                            nom: "Espace d'écoute parents".into(),
                            adresse: g.siege.clone(),
                            modalites: if i % 4 == 3 {
                                [ModaliteAccueil::SurRendezVous, ModaliteAccueil::Telephone].into()
                            } else {
                                [
                                    ModaliteAccueil::SurRendezVous,
                                    ModaliteAccueil::SansRendezVous,
                                    ModaliteAccueil::Visio,
                                ]
                                .into()
                            },
                        },
                        le(date!(2023 - 10 - 25)),
                    )
                    .await?;
                let demande = [5000u32, 7500, 10_000, 15_000, 20_000][i % 5];
                // Two intervenants at half time, one in five not eligible for the checks to show,
                // and a psychologist carrying the FTE the project asks for.
                for k in 0..3usize {
                    let indice = (i * 2 + k + n_dep) % 10;
                    let (diplome, statut, casier) = match (i * 2 + k) % 5 {
                        _ if k == 2 => (
                            Diplome::Psychologue,
                            StatutIntervenant::Salarie,
                            Some(date!(2023 - 09 - 20)),
                        ),
                        0 => (
                            Diplome::Psychologue,
                            StatutIntervenant::Salarie,
                            Some(date!(2023 - 09 - 15)),
                        ),
                        1 => (
                            Diplome::EducateurJeunesEnfants,
                            StatutIntervenant::Salarie,
                            Some(date!(2023 - 10 - 02)),
                        ),
                        2 => (
                            Diplome::MediateurFamilial,
                            StatutIntervenant::Salarie,
                            Some(date!(2023 - 08 - 30)),
                        ),
                        3 => (
                            Diplome::ConseillerEconomieSocialeFamiliale,
                            StatutIntervenant::Salarie,
                            Some(date!(2023 - 09 - 01)),
                        ),
                        _ => match i % 3 {
                            0 => (
                                Diplome::ConseillerConjugal,
                                StatutIntervenant::Salarie,
                                Some(date!(2023 - 09 - 01)),
                            ),
                            1 => (Diplome::CoachUniquement, StatutIntervenant::Liberal, None),
                            _ => (
                                Diplome::AssistantServiceSocial,
                                StatutIntervenant::Benevole,
                                None,
                            ),
                        },
                    };
                    self.ajouter_intervenant(
                        &acteur_g,
                        |id| Intervenant {
                            id,
                            gestionnaire: g.id,
                            nom: NOMS_FAMILLE[indice].into(),
                            prenom: PRENOMS[(indice + 3) % 10].into(),
                            diplome,
                            statut,
                            experience_ou_formation_parentalite: k != 1 || i % 2 == 0,
                            etp: if k == 2 { etp(demande) } else { etp(5000) },
                            contrat_debut: Some(date!(2023 - 09 - 01)),
                            contrat_fin: None,
                            verification_casier: casier,
                            heures_analyse_pratique_par_an: Some(if i % 6 == 5 { 4 } else { 10 }),
                        },
                        le(date!(2023 - 10 - 26)),
                    )
                    .await?;
                }
                let budget = i64::from(demande) * 7 + h.entre(0, 8_000) as i64 * 10;
                let projet = ProjetFonctionnement {
                    intitule: format!("Accompagnement individuel des parents, {}", g.raison_sociale),
                    objectifs: "Offrir aux parents un accueil inconditionnel et jusqu'à cinq entretiens individuels confidentiels par an".into(),
                    moyens: "Professionnels diplômés salariés, bureau d'écoute distinct de l'accueil".into(),
                    etp_demandes: etp(demande),
                    debut: Some(date!(2024 - 03 - 01)),
                    fin: Some(date!(2025 - 12 - 31)),
                    budget: BudgetPrevisionnel {
                        charges: vec![
                            LigneBudget { libelle: "Salaires et charges".into(), montant: Centimes::new(budget * 80) },
                            LigneBudget { libelle: "Locaux et fonctionnement".into(), montant: Centimes::new(budget * 20) },
                        ],
                        produits: vec![
                            LigneBudget { libelle: "Subvention Caf".into(), montant: Centimes::new(budget * 80) },
                            LigneBudget { libelle: "Fonds propres".into(), montant: Centimes::new(budget * 20) },
                        ],
                    },
                    modalites_evaluation: "Trame de bilan nationale, questionnaire de satisfaction anonyme".into(),
                    diagnostic_local: "Demandes individuelles croissantes relevées par les acteurs du territoire".into(),
                    partenaires: vec!["CCAS".into(), "Service départemental d'action sociale".into(), "Médiation familiale".into()],
                    information_familles: "Affiches dans les écoles et les PMI, site mon-enfant.fr".into(),
                    lieux: vec![lieu.valeur.id],
                    plan_financement: vec![DemandeFinancement {
                        financeur: domain::structures::Cofinanceur::Caf,
                        montant: Centimes::new(budget * 80),
                    }],
                };
                // Its commitments (Référentiel national de financement de l'AIP, §I.3 to
                // §IV.2): attested by the gestionnaire once its project is submitted and checked
                // conforme by the Caf, so that the comité can validate it; those of a project
                // on the comité's agenda wait for the Caf's check.
                if i % 10 >= 1 {
                    let saisies = g
                        .engagements_applicables()
                        .into_iter()
                        .map(|e| {
                            (
                                e,
                                SaisieAttestation {
                                    respecte: true,
                                    declaration: format!(
                                        "{} : engagement inscrit au projet associatif, pièces tenues à la disposition de la Caf.",
                                        e.libelle()
                                    ),
                                    date: date!(2023 - 11 - 30),
                                    piece: None,
                                },
                            )
                        })
                        .collect();
                    self.attester_engagements(
                        &acteur_g,
                        g.id,
                        None,
                        saisies,
                        le(date!(2023 - 11 - 30)),
                    )
                    .await?;
                }
                if i % 10 >= 1 && i % 10 != 4 {
                    let saisies = g
                        .engagements_applicables()
                        .into_iter()
                        .map(|e| {
                            (
                                e,
                                SaisieControle {
                                    avis: AvisCaf::Conforme,
                                    commentaire: String::new(),
                                },
                            )
                        })
                        .collect();
                    self.controler_engagements(
                        &agent,
                        g.id,
                        None,
                        saisies,
                        le(date!(2024 - 01 - 25)),
                    )
                    .await?;
                }
                let dossier = self
                    .creer_dossier(
                        &acteur_g,
                        appel.valeur.id,
                        g.id,
                        projet,
                        le(date!(2023 - 12 - 01)),
                    )
                    .await?;
                resume.dossiers += 1;
                let id = dossier.valeur.id;
                // States spread over the dossiers: i % 10.
                let etape = i % 10;
                if etape == 0 {
                    continue; // brouillon
                }
                self.agir_sur_dossier(
                    &acteur_g,
                    id,
                    None,
                    ActionDossier::Deposer,
                    le(date!(2024 - 01 - 15)),
                )
                .await?;
                if etape == 1 {
                    continue; // déposé
                }
                self.agir_sur_dossier(
                    &agent,
                    id,
                    None,
                    ActionDossier::PrendreEnInstruction,
                    le(date!(2024 - 01 - 20)),
                )
                .await?;
                if etape == 2 {
                    // En instruction: the applicant has written to its Caf.
                    self.ecrire_message(
                        &acteur_g,
                        &nom_g,
                        id,
                        "Bonjour, nous pouvons vous recevoir pour l'entretien d'instruction le \
                         mardi ou le jeudi matin.",
                        false,
                        le(date!(2024 - 01 - 21)),
                    )
                    .await?;
                    continue;
                }
                if etape == 3 {
                    self.agir_sur_dossier(
                        &agent,
                        id,
                        None,
                        ActionDossier::DemanderComplement(
                            "Merci de préciser le budget des locaux et les horaires de permanence."
                                .into(),
                        ),
                        le(date!(2024 - 01 - 22)),
                    )
                    .await?;
                    self.ecrire_message(
                        &agent,
                        &nom_agent,
                        id,
                        "Bonjour, pour compléter votre dossier, merci de joindre le budget \
                         détaillé des locaux et d'indiquer les horaires de permanence.",
                        false,
                        le(date!(2024 - 01 - 22)),
                    )
                    .await?;
                    self.ecrire_message(
                        &agent,
                        &nom_agent,
                        id,
                        "Structure connue du service, partenaire du Reaap depuis plusieurs années.",
                        true,
                        le(date!(2024 - 01 - 22)),
                    )
                    .await?;
                    continue;
                }
                if etape == 6 {
                    self.agir_sur_dossier(
                        &agent,
                        id,
                        None,
                        ActionDossier::ClasserSansSuite(
                            "Le porteur n'a pas donné suite à l'entretien d'instruction.".into(),
                        ),
                        le(date!(2024 - 02 - 01)),
                    )
                    .await?;
                    continue;
                }
                self.agir_sur_dossier(
                    &agent,
                    id,
                    None,
                    ActionDossier::PresenterEnComite(date!(2024 - 02 - 15)),
                    le(date!(2024 - 02 - 05)),
                )
                .await?;
                if etape == 4 {
                    continue; // présenté en comité
                }
                let notifie = etp(demande.min(15_000));
                let annuel = i64::from(notifie.dix_milliemes()) * 52_800 / 10_000;
                let saisie = if etape == 5 {
                    SaisieDecision {
                        issue: IssueDecision::Refuse,
                        motivation: "Le projet ne distingue pas l'espace d'écoute de l'accueil du centre (référentiel §II.2).".into(),
                        notification: None,
                        part_caf: None,
                        derogation_engagements: None,
                    }
                } else {
                    SaisieDecision {
                        issue: IssueDecision::Valide,
                        motivation: "Projet conforme au référentiel national, besoin avéré sur le territoire.".into(),
                        notification: Some(NotificationEtp { etp: notifie, date_effet: date!(2024 - 03 - 01) }),
                        part_caf: Some(SaisiePart { avis: AvisFinanceur::Accorde, montant: euros(annuel * 10 / 12), motivation: String::new() }),
                        derogation_engagements: None,
                    }
                };
                let (_, decision) = self
                    .enregistrer_decision(&agent, id, None, saisie, true, le(date!(2024 - 02 - 16)))
                    .await?;
                if etape == 5 {
                    continue; // refusé
                }
                if i % 2 == 0 {
                    // The co-funder records its own share.
                    let acteur_f = Acteur::financeur(UtilisateurId(0), financeur.valeur.id, [*d]);
                    let acteur_f = self
                        .utilisateur_par_email(&format!(
                            "financeur.{}@demo.parentalite.fr",
                            d.as_str().to_lowercase()
                        ))
                        .await?
                        .map(|(_, a)| a)
                        .unwrap_or(acteur_f);
                    self.enregistrer_part(
                        &acteur_f,
                        decision.valeur.id,
                        domain::structures::Cofinanceur::Partenaire(financeur.valeur.id),
                        SaisiePart {
                            avis: AvisFinanceur::Accorde,
                            montant: euros(8_000 + 1_000 * i as i64),
                            motivation:
                                "Soutien au titre du schéma départemental des services aux familles"
                                    .into(),
                        },
                        le(date!(2024 - 02 - 20)),
                    )
                    .await?;
                }
                let convention = self
                    .etablir_convention(
                        &agent,
                        id,
                        NouvelleConvention {
                            numero: format!("COF-{}-2024-{:03}", d.as_str(), i + 1),
                            debut: date!(2024 - 03 - 01),
                            fin: date!(2025 - 12 - 31),
                            echeancier: Vec::new(),
                        },
                        le(date!(2024 - 02 - 22)),
                    )
                    .await?;
                resume.conventions += 1;
                let cid = convention.valeur.id;
                if etape == 7 && i % 4 == 3 {
                    continue; // convention drafted, not signed yet
                }
                self.signer_convention(
                    &agent,
                    cid,
                    None,
                    date!(2024 - 03 - 05),
                    le(date!(2024 - 03 - 06)),
                )
                .await?;
                let etp_declares = notifie.dix_milliemes() - (h.entre(0, 2) as u32) * 500;
                let activite = |familles: u64, h: &mut Hasard| Activite {
                    entretiens: (familles * 3 + h.entre(0, 40)) as u32,
                    parents_distincts: familles as u32,
                    heures_entretiens: (familles * 3) as u32,
                    heures_travaillees: None,
                };
                let depenses_prev = annuel * 10 / 12 * 100 / 80 + h.entre(0, 9_000) as i64;
                let prev = self
                    .saisir_declaration(
                        &acteur_g,
                        cid,
                        2024,
                        NatureDeclaration::Previsionnelle,
                        DonneesDeclaration {
                            depenses_fonctionnement: euros(depenses_prev),
                            etp_declares: etp(etp_declares),
                            mois_fonctionnement: 10,
                            activite: activite(0, &mut h),
                        },
                        le(date!(2024 - 03 - 08)),
                    )
                    .await?;
                self.agir_sur_declaration(
                    &acteur_g,
                    prev.valeur.id,
                    None,
                    ActionTransmission::Transmettre,
                    le(date!(2024 - 03 - 09)),
                )
                .await?;
                self.agir_sur_declaration(
                    &agent,
                    prev.valeur.id,
                    None,
                    ActionTransmission::Valider,
                    le(date!(2024 - 03 - 12)),
                )
                .await?;
                // The acompte follows the validated prévisionnelle, before the actualisée and the
                // réelle count it.
                if options.emettre_paiements {
                    resume.paiements += self
                        .emettre_paiement(
                            &agent,
                            cid,
                            2024,
                            Echeance::Acompte,
                            date!(2024 - 03 - 15),
                            le(date!(2024 - 03 - 15)),
                        )
                        .await?
                        .paiement()
                        .map_or(0, |_| 1);
                }
                // Actualisée at the end of 2024, réelle and bilan early 2025.
                let familles = h.entre(90, 260);
                let act = self
                    .saisir_declaration(
                        &acteur_g,
                        cid,
                        2024,
                        NatureDeclaration::Actualisee,
                        DonneesDeclaration {
                            depenses_fonctionnement: euros(depenses_prev - 2_000),
                            etp_declares: etp(etp_declares),
                            mois_fonctionnement: 10,
                            activite: activite(familles - 10, &mut h),
                        },
                        le(date!(2024 - 12 - 05)),
                    )
                    .await?;
                self.agir_sur_declaration(
                    &acteur_g,
                    act.valeur.id,
                    None,
                    ActionTransmission::Transmettre,
                    le(date!(2024 - 12 - 06)),
                )
                .await?;
                self.agir_sur_declaration(
                    &agent,
                    act.valeur.id,
                    None,
                    ActionTransmission::Valider,
                    le(date!(2024 - 12 - 10)),
                )
                .await?;
                if etape == 7 {
                    continue;
                }
                let depenses_reelles = depenses_prev - 5_000 + h.entre(0, 12_000) as i64;
                let reelle = self
                    .saisir_declaration(
                        &acteur_g,
                        cid,
                        2024,
                        NatureDeclaration::Reelle,
                        DonneesDeclaration {
                            depenses_fonctionnement: euros(depenses_reelles),
                            etp_declares: etp(etp_declares),
                            mois_fonctionnement: 10,
                            activite: activite(familles, &mut h),
                        },
                        le(date!(2025 - 01 - 10)),
                    )
                    .await?;
                self.agir_sur_declaration(
                    &acteur_g,
                    reelle.valeur.id,
                    None,
                    ActionTransmission::Transmettre,
                    le(date!(2025 - 01 - 15)),
                )
                .await?;
                let bilan = self
                    .saisir_bilan(
                        &acteur_g,
                        cid,
                        2024,
                        ContenuBilan {
                            familles_accompagnees: familles as u32,
                            entretiens: (familles * 3) as u32,
                            heures_analyse_pratique: 12,
                            synthese: "Les demandes portent surtout sur l'adolescence, les écrans et la séparation; une famille sur cinq a été orientée vers un partenaire.".into(),
                            ..ContenuBilan::default()
                        },
                        le(date!(2025 - 01 - 20)),
                    )
                    .await?;
                self.agir_sur_bilan(
                    &acteur_g,
                    bilan.valeur.id,
                    None,
                    ActionTransmission::Transmettre,
                    le(date!(2025 - 01 - 21)),
                )
                .await?;
                if etape == 8 {
                    // The Caf validates the réelle and the bilan: the solde becomes due.
                    self.agir_sur_declaration(
                        &agent,
                        reelle.valeur.id,
                        None,
                        ActionTransmission::Valider,
                        le(date!(2025 - 02 - 03)),
                    )
                    .await?;
                    self.agir_sur_bilan(
                        &agent,
                        bilan.valeur.id,
                        None,
                        ActionTransmission::Valider,
                        le(date!(2025 - 02 - 03)),
                    )
                    .await?;
                }
                // 2025 prévisionnelle.
                let prev25 = self
                    .saisir_declaration(
                        &acteur_g,
                        cid,
                        2025,
                        NatureDeclaration::Previsionnelle,
                        DonneesDeclaration {
                            depenses_fonctionnement: euros(annuel * 100 / 80),
                            etp_declares: etp(etp_declares),
                            mois_fonctionnement: 12,
                            activite: activite(0, &mut h),
                        },
                        le(date!(2025 - 01 - 12)),
                    )
                    .await?;
                self.agir_sur_declaration(
                    &acteur_g,
                    prev25.valeur.id,
                    None,
                    ActionTransmission::Transmettre,
                    le(date!(2025 - 01 - 13)),
                )
                .await?;
                if etape == 9 {
                    self.agir_sur_declaration(
                        &agent,
                        prev25.valeur.id,
                        None,
                        ActionTransmission::Valider,
                        le(date!(2025 - 01 - 16)),
                    )
                    .await?;
                    if options.emettre_paiements {
                        resume.paiements += self
                            .emettre_paiement(
                                &agent,
                                cid,
                                2025,
                                Echeance::Acompte,
                                date!(2025 - 01 - 20),
                                le(date!(2025 - 01 - 20)),
                            )
                            .await?
                            .paiement()
                            .map_or(0, |_| 1);
                    }
                }
            }
            if options.emettre_paiements {
                let campagne = self
                    .emettre_paiements_dus(&agent, date!(2025 - 02 - 10), le(date!(2025 - 02 - 10)))
                    .await?;
                if let Some((_, _, _, refus)) = campagne.refus.first() {
                    return Err(ErreurApp::Refus(refus.clone()));
                }
                if let Some((d, raison)) = campagne.rouvertes.first() {
                    return Err(invalide(&format!(
                        "la {} {} a dû être rouverte : {raison}",
                        d.nature.libelle(),
                        d.exercice
                    )));
                }
                resume.paiements += campagne.emis.len();
            }
        }
        self.ouvrir_nouvelle_vague(&mut comptes, &mut h, aujourd_hui)
            .await?;
        self.peupler_coordination_demo(&deps, aujourd_hui, le(aujourd_hui))
            .await?;
        self.peupler_comite(&deps, &mut comptes, &mut h, aujourd_hui)
            .await?;
        self.peupler_instances(&deps, &mut comptes, &mut h, aujourd_hui)
            .await?;
        self.envoyer_rapports_demo(&deps, aujourd_hui, le(aujourd_hui))
            .await?;
        self.peupler_annuaire_demo(&deps, options.gestionnaires_par_caf, aujourd_hui)
            .await?;
        self.peupler_national_demo(&deps, &mut comptes, &mut h, aujourd_hui)
            .await?;
        self.peupler_questionnaires_demo(&deps, aujourd_hui).await?;
        self.ecrire_monographies_demo(&deps, le(aujourd_hui))
            .await?;
        // The mails of the history (events before today) are shown as sent on their day; those
        // of today, such as the convocations of the séances to come, wait for the mail server.
        store::courriels::dater_historique(
            &self.base,
            aujourd_hui.midnight().assume_utc().unix_timestamp(),
        )
        .await?;
        resume.comptes = comptes;
        Ok(resume)
    }

    async fn creer_compte_demo(
        &self,
        compte: Option<&CompteDemo>,
        departements: BTreeSet<CodeDepartement>,
        gestionnaires: BTreeSet<GestionnaireId>,
        financeur: Option<FinanceurId>,
        quand: OffsetDateTime,
    ) -> Result<Acteur, ErreurApp> {
        let compte = compte.ok_or_else(|| invalide("compte"))?;
        let email = Email::parse(&compte.email).map_err(|e| invalide(&e.to_string()))?;
        let hache = crate::mot_de_passe::hacher(&compte.mot_de_passe).map_err(|e| invalide(&e))?;
        let u = self
            .creer_utilisateur(
                |id| Utilisateur {
                    id,
                    email,
                    nom: compte.description.clone(),
                    role: compte.role,
                    departements,
                    gestionnaires,
                    financeur,
                    actif: true,
                },
                Some(hache),
                quand,
            )
            .await?;
        u.valeur.acteur().map_err(|e| invalide(&e.to_string()))
    }
}

impl Plateforme {
    /// Today's demonstration: the Caf of Isère publishes a call open now, for a new wave of
    /// projects from the start of this year to the end of next year (so that a project funded
    /// now can be paid its first instalment), so that a gestionnaire can answer it and submit a
    /// project; and a
    /// gestionnaire account whose structure is not registered yet. The AIP experiment's own calls
    /// closed in January 2024 and its period ended in 2025: the new call is for the REAAP (no AIP
    /// call can go beyond the experiment, Référentiel national de financement de l'AIP §IV.4), clearly labelled. Its dates follow
    /// `aujourd_hui`, the day the demonstration is built for, so that it is open on that day;
    /// nothing else depends on them.
    async fn ouvrir_nouvelle_vague(
        &self,
        comptes: &mut Vec<CompteDemo>,
        h: &mut Hasard,
        aujourd_hui: Date,
    ) -> Result<(), ErreurApp> {
        let annee = aujourd_hui.year() + 1;
        let jour = |mois: time::Month, j: u8| {
            Date::from_calendar_date(annee, mois, j).map_err(|e| invalide(&e.to_string()))
        };
        let agent = self
            .utilisateur_par_email("agent.38@demo.parentalite.fr")
            .await?
            .ok_or_else(|| invalide("agent de la Caf de l'Isère"))?
            .1;
        let ouverture = aujourd_hui - time::Duration::days(30);
        let d38 = CodeDepartement::parse("38").map_err(|e| invalide(&e.to_string()))?;
        self.publier_appel(
            &agent,
            NouvelAppel {
                departement: d38,
                dispositif: Dispositif::Reaap,
                intitule: format!(
                    "Nouvelle vague {annee} – Réseau d'écoute, d'appui et d'accompagnement des parents (REAAP) de l'Isère – appel de démonstration ouvert"
                ),
                // From the start of this year, so that a project funded now can be paid its
                // first instalment in the demonstration, to the end of the new wave's year.
                debut_periode: Date::from_calendar_date(aujourd_hui.year(), time::Month::January, 1)
                    .map_err(|e| invalide(&e.to_string()))?,
                fin_periode: jour(time::Month::December, 31)?,
                ouverture,
                cloture: aujourd_hui + time::Duration::days(120),
            },
            le(ouverture),
        )
        .await?;
        let c = nouveau_compte(
            comptes,
            h,
            "gestionnaire.nouveau@demo.parentalite.fr",
            Role::Gestionnaire,
            "gestionnaire d'une structure à inscrire".into(),
        );
        self.creer_compte_demo(
            Some(&c),
            BTreeSet::new(),
            BTreeSet::new(),
            None,
            le(ouverture),
        )
        .await?;
        Ok(())
    }
}

fn nouveau_compte(
    comptes: &mut Vec<CompteDemo>,
    h: &mut Hasard,
    email: &str,
    role: Role,
    description: String,
) -> CompteDemo {
    let c = CompteDemo {
        email: email.to_owned(),
        role,
        description,
        mot_de_passe: format!("demo-{}-{}", role.code(), h.entre(100_000, 999_999)),
    };
    comptes.push(c.clone());
    c
}

/// « de Grenoble », « d'Albi », « du Mans », « des Herbiers »: the preposition French requires.
fn de_ville(nom: &str) -> String {
    if let Some(reste) = nom.strip_prefix("Le ") {
        return format!("du {reste}");
    }
    if let Some(reste) = nom.strip_prefix("Les ") {
        return format!("des {reste}");
    }
    let voyelle = nom
        .chars()
        .next()
        .is_some_and(|c| "AEIOUYÉÈÊÂÎÔH".contains(c));
    if voyelle {
        format!("d'{nom}")
    } else {
        format!("de {nom}")
    }
}
