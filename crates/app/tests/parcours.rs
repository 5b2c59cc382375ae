//! The lifecycle scenario, run on SQLite and on PostgreSQL: a dossier from draft to the final
//! payment, the refused transitions along the way, what each user sees, a conflict between two
//! saves, the envelope alert, idempotent payments and the audit chain's tamper detection.
//!
//! PostgreSQL is reached through `PARENTALITE_TEST_POSTGRES` (scripts/test.sh starts a local
//! server and sets it). Without it the PostgreSQL run is skipped, unless
//! `PARENTALITE_EXIGER_POSTGRES=1`, as in the test command, where it fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use app::{
    ActionDossier, ActionTransmission, Auteur, Echeance, ErreurApp, Plateforme, ResultatEmission,
};
use domain::Acteur;
use domain::appel_a_projets::{Dispositif, NouvelAppel};
use domain::convention::NouvelleConvention;
use domain::decision::{AvisFinanceur, IssueDecision, NotificationEtp, SaisieDecision, SaisiePart};
use domain::declaration::{Activite, ContenuBilan, DonneesDeclaration, NatureDeclaration};
use domain::dossier::{BudgetPrevisionnel, LigneBudget, ProjetFonctionnement};
use domain::identifiants::*;
use domain::quantites::{Centimes, Etp};
use domain::structures::{
    Adresse, AvisCaf, Engagement, Gestionnaire, Lieu, ModaliteAccueil, SaisieAttestation,
    SaisieControle, StatutJuridique, TypeActivite,
};
use referentiel::parametres::Parametres;
use time::macros::{date, offset};
use time::{Date, OffsetDateTime};

fn le(jour: Date) -> OffsetDateTime {
    jour.with_hms(10, 0, 0).unwrap().assume_offset(offset!(+1))
}
fn d(code: &str) -> CodeDepartement {
    CodeDepartement::parse(code).unwrap()
}
fn etp(t: &str) -> Etp {
    Etp::parse(t).unwrap()
}
fn euros(t: &str) -> Centimes {
    Centimes::parse(t).unwrap()
}

/// A SIRET with a valid Luhn key, built from a 13-digit stem.
pub fn siret(stem: u64) -> Siret {
    let base = format!("{stem:013}");
    for k in 0..10 {
        let s = format!("{base}{k}");
        if let Ok(v) = Siret::parse(&s) {
            return v;
        }
    }
    panic!("aucune clé pour {base}");
}

fn gestionnaire(id: GestionnaireId, stem: u64, nom: &str, dep: &str) -> Gestionnaire {
    Gestionnaire {
        id,
        raison_sociale: nom.into(),
        siret: siret(stem),
        rna: Some(Rna::parse("W381000001").unwrap()),
        statut: StatutJuridique::AssociationLoi1901,
        activite: TypeActivite::Generaliste,
        siege: Adresse {
            voie: "2 rue des Alpes".into(),
            complement: None,
            code_postal: "38000".into(),
            commune: CodeInsee::parse("38185").unwrap(),
        },
        departement_siege: d(dep),
        email: None,
        engagements: Default::default(),
        banque: None,
    }
}

fn projet(lieu: LieuId) -> ProjetFonctionnement {
    ProjetFonctionnement {
        intitule: "Écoute parents Grenoble".into(),
        objectifs: "Accompagner individuellement les parents du bassin grenoblois".into(),
        moyens: "Deux psychologues à mi-temps, un bureau d'écoute dédié".into(),
        etp_demandes: etp("1,5"),
        debut: Some(date!(2024 - 03 - 01)),
        fin: Some(date!(2025 - 12 - 31)),
        budget: BudgetPrevisionnel {
            charges: vec![LigneBudget {
                libelle: "Salaires".into(),
                montant: euros("170 000"),
            }],
            produits: vec![LigneBudget {
                libelle: "Subvention Caf".into(),
                montant: euros("170 000"),
            }],
        },
        modalites_evaluation: "Questionnaire aux parents".into(),
        diagnostic_local: "Demandes croissantes, absence d'offre individuelle".into(),
        partenaires: vec!["CCAS de Grenoble".into()],
        information_familles: "Affiches dans les écoles".into(),
        lieux: vec![lieu],
        plan_financement: Vec::new(),
    }
}

fn donnees(depenses: &str, etp_declares: &str, mois: u8) -> DonneesDeclaration {
    DonneesDeclaration {
        depenses_fonctionnement: euros(depenses),
        etp_declares: etp(etp_declares),
        mois_fonctionnement: mois,
        activite: Activite {
            entretiens: 500,
            parents_distincts: 180,
            heures_entretiens: 500,
            heures_travaillees: None,
        },
    }
}

/// A platform on a fresh SQLite database for one test.
async fn plateforme_sqlite(nom: &str) -> Plateforme {
    let base = essais::base_sqlite("app", nom).await;
    Plateforme::new(base, Arc::new(Parametres::embarques().unwrap()))
}

/// A platform on a fresh PostgreSQL database for one test, or `None` when no server is configured.
async fn plateforme_postgres(nom: &str) -> Option<Plateforme> {
    let base = essais::base_postgres("app", nom).await?;
    Some(Plateforme::new(
        base,
        Arc::new(Parametres::embarques().unwrap()),
    ))
}

fn refuse<T: std::fmt::Debug>(r: Result<T, ErreurApp>, extrait: &str) -> String {
    match r {
        Ok(v) => panic!("accepté à tort ({extrait}): {v:?}"),
        Err(e) => {
            let m = e.to_string();
            assert!(m.contains(extrait), "« {extrait} » absent de « {m} »");
            m
        }
    }
}

async fn scenario(p: Plateforme) {
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    let caf38 = Acteur::caf(UtilisateurId(10), [d("38")]);
    let caf30 = Acteur::caf(UtilisateurId(11), [d("30")]);
    let financeur38 = Acteur::financeur(UtilisateurId(40), FinanceurId(1), [d("38")]);
    let g = Acteur::gestionnaire(UtilisateurId(20), [GestionnaireId(1)]);
    let autre = Acteur::gestionnaire(UtilisateurId(21), [GestionnaireId(2)]);

    // Structures: imported as a whole by the operator.
    let lot = p
        .importer_gestionnaires(
            Auteur::Operateur,
            vec![
                Box::new(|id| gestionnaire(id, 1_234_567_890_001, "Écoute Parents Isère", "38"))
                    as Box<dyn FnOnce(GestionnaireId) -> Gestionnaire>,
                Box::new(|id| gestionnaire(id, 1_234_567_890_002, "Maison des familles", "38")),
            ],
            le(date!(2023 - 10 - 01)),
        )
        .await
        .unwrap();
    assert_eq!(lot.len(), 2);
    // A second import with a duplicate SIRET writes nothing at all.
    let doublon = p
        .importer_gestionnaires(
            Auteur::Operateur,
            vec![
                Box::new(|id| gestionnaire(id, 1_234_567_890_003, "Nouveau", "38"))
                    as Box<dyn FnOnce(GestionnaireId) -> Gestionnaire>,
                Box::new(|id| gestionnaire(id, 1_234_567_890_001, "Doublon", "38")),
            ],
            le(date!(2023 - 10 - 01)),
        )
        .await;
    refuse(doublon, "est déjà celui d'une structure enregistrée");
    assert_eq!(p.gestionnaires(&cnaf).await.unwrap().len(), 2);
    let lieu = p
        .ajouter_lieu(
            &g,
            |id| Lieu {
                id,
                gestionnaire: GestionnaireId(1),
                nom: "Bureau d'écoute".into(),
                adresse: gestionnaire(GestionnaireId(1), 1_234_567_890_001, "x", "38").siege,
                modalites: [
                    ModaliteAccueil::SurRendezVous,
                    ModaliteAccueil::SansRendezVous,
                ]
                .into(),
            },
            le(date!(2023 - 10 - 02)),
        )
        .await
        .unwrap();
    refuse(
        p.ajouter_lieu(
            &autre,
            |id| Lieu {
                id,
                ..lieu.valeur.clone()
            },
            le(date!(2023 - 10 - 02)),
        )
        .await,
        "réservé",
    );

    // Budget.
    p.allouer(&cnaf, d("38"), euros("100 000"), le(date!(2023 - 09 - 01)))
        .await
        .unwrap();
    refuse(
        p.allouer(&caf38, d("38"), euros("1"), le(date!(2023 - 09 - 01)))
            .await,
        "Cnaf",
    );

    // Call and dossier.
    let appel = p
        .publier_appel(
            &caf38,
            NouvelAppel {
                departement: d("38"),
                dispositif: Dispositif::Aip,
                intitule: "AIP Isère 2024-2025".into(),
                debut_periode: date!(2024 - 01 - 01),
                fin_periode: date!(2025 - 12 - 31),
                ouverture: date!(2023 - 11 - 01),
                cloture: date!(2024 - 01 - 31),
            },
            le(date!(2023 - 10 - 15)),
        )
        .await
        .unwrap();
    refuse(
        p.creer_dossier(
            &autre,
            appel.valeur.id,
            GestionnaireId(1),
            projet(lieu.valeur.id),
            le(date!(2023 - 12 - 01)),
        )
        .await,
        "",
    );
    let dossier = p
        .creer_dossier(
            &g,
            appel.valeur.id,
            GestionnaireId(1),
            projet(lieu.valeur.id),
            le(date!(2023 - 12 - 01)),
        )
        .await
        .unwrap();
    let id = dossier.valeur.id;

    // The thread: a message and a private annotation of the Caf; what each reader has not read
    // is counted until it opens the thread (annotations only for those who read them).
    p.ecrire_message(
        &caf38,
        "agent",
        id,
        "Pouvez-vous préciser vos horaires ?",
        false,
        le(date!(2023 - 12 - 02)),
    )
    .await
    .unwrap();
    p.ecrire_message(
        &caf38,
        "agent",
        id,
        "Porteur connu du service.",
        true,
        le(date!(2023 - 12 - 02)),
    )
    .await
    .unwrap();
    let non_lus = |a: Acteur| {
        let p = p.clone();
        async move {
            // This dossier alone, as its reader sees it (a Caf does not list drafts).
            let dossiers: Vec<_> = p.dossier(&a, id).await.into_iter().collect();
            p.messages_non_lus(&a, &dossiers)
                .await
                .unwrap()
                .get(&id)
                .copied()
        }
    };
    assert_eq!(non_lus(g.clone()).await, Some(1));
    assert_eq!(non_lus(caf38.clone()).await, None, "ses propres messages");
    assert_eq!(non_lus(cnaf.clone()).await, Some(2));
    assert_eq!(
        non_lus(autre.clone()).await,
        None,
        "dossier d'une autre structure"
    );
    assert_eq!(
        non_lus(caf30.clone()).await,
        None,
        "dossier d'un autre département"
    );
    let fil = p.ouvrir_fil(&g, id).await.unwrap();
    assert_eq!(fil.messages.len(), 1);
    assert_eq!(fil.nouveaux.len(), 1);
    assert_eq!(non_lus(g.clone()).await, None);
    assert!(p.ouvrir_fil(&g, id).await.unwrap().nouveaux.is_empty());
    p.ecrire_message(
        &g,
        "porteur",
        id,
        "Le mardi et le jeudi.",
        false,
        le(date!(2023 - 12 - 03)),
    )
    .await
    .unwrap();
    assert_eq!(non_lus(caf38.clone()).await, Some(1));
    assert_eq!(non_lus(g.clone()).await, None);
    assert!(p.ouvrir_fil(&autre, id).await.is_err());

    let agir = |acteur: Acteur, action: ActionDossier, jour: Date| {
        let p = p.clone();
        async move {
            p.agir_sur_dossier(&acteur, id, None, action, le(jour))
                .await
        }
    };
    // Refused: instructing a draft; a Caf of another département; the gestionnaire instructing.
    refuse(
        agir(
            caf38.clone(),
            ActionDossier::PrendreEnInstruction,
            date!(2024 - 01 - 10),
        )
        .await,
        "",
    );
    let depose = agir(g.clone(), ActionDossier::Deposer, date!(2024 - 01 - 15))
        .await
        .unwrap();
    assert_eq!(depose.valeur.etat.code(), "depose");
    refuse(
        agir(
            caf30.clone(),
            ActionDossier::PrendreEnInstruction,
            date!(2024 - 01 - 16),
        )
        .await,
        "",
    );
    refuse(
        agir(
            g.clone(),
            ActionDossier::PrendreEnInstruction,
            date!(2024 - 01 - 16),
        )
        .await,
        "",
    );
    refuse(
        agir(
            cnaf.clone(),
            ActionDossier::PrendreEnInstruction,
            date!(2024 - 01 - 16),
        )
        .await,
        "",
    );
    refuse(
        agir(g.clone(), ActionDossier::Deposer, date!(2024 - 01 - 16)).await,
        "",
    );

    // Visibility before the comité: the funder and other territories see nothing.
    assert_eq!(p.dossiers(&caf38, None).await.unwrap().len(), 1);
    assert!(p.dossiers(&caf30, None).await.unwrap().is_empty());
    assert!(p.dossiers(&autre, None).await.unwrap().is_empty());
    assert!(p.dossiers(&financeur38, None).await.unwrap().is_empty());
    refuse(p.dossier(&financeur38, id).await, "accès refusé");
    refuse(p.dossier(&caf30, id).await, "accès refusé");

    agir(
        caf38.clone(),
        ActionDossier::PrendreEnInstruction,
        date!(2024 - 01 - 20),
    )
    .await
    .unwrap();
    // Two agents save the same dossier: the second, who read version 3, is told it changed.
    let lu = p.dossier(&caf38, id).await.unwrap();
    p.agir_sur_dossier(
        &caf38,
        id,
        Some(lu.version),
        ActionDossier::DemanderComplement("Budget détaillé".into()),
        le(date!(2024 - 01 - 22)),
    )
    .await
    .unwrap();
    let conflit = p
        .agir_sur_dossier(
            &caf38,
            id,
            Some(lu.version),
            ActionDossier::ClasserSansSuite("doublon".into()),
            le(date!(2024 - 01 - 22)),
        )
        .await;
    refuse(conflit, "modifié par quelqu'un d'autre");
    assert_eq!(
        p.dossier(&caf38, id).await.unwrap().valeur.etat.code(),
        "complement_demande"
    );
    agir(g.clone(), ActionDossier::Deposer, date!(2024 - 02 - 02))
        .await
        .unwrap();
    agir(
        caf38.clone(),
        ActionDossier::PrendreEnInstruction,
        date!(2024 - 02 - 03),
    )
    .await
    .unwrap();
    agir(
        caf38.clone(),
        ActionDossier::PresenterEnComite(date!(2024 - 02 - 15)),
        date!(2024 - 02 - 05),
    )
    .await
    .unwrap();
    assert_eq!(p.dossiers(&financeur38, None).await.unwrap().len(), 1);

    // The decision would exceed the Caf's allocation (100 000 €): flagged, nothing recorded.
    let saisie = SaisieDecision {
        issue: IssueDecision::Valide,
        motivation: "Projet conforme au référentiel".into(),
        notification: Some(NotificationEtp {
            etp: etp("1,5"),
            date_effet: date!(2024 - 03 - 01),
        }),
        part_caf: Some(SaisiePart {
            avis: AvisFinanceur::Accorde,
            montant: euros("130 000"),
            motivation: String::new(),
        }),
        derogation_engagements: None,
    };
    let alerte = p
        .enregistrer_decision(
            &caf38,
            id,
            None,
            saisie.clone(),
            false,
            le(date!(2024 - 02 - 16)),
        )
        .await;
    refuse(alerte, "dépassement");
    assert_eq!(
        p.dossier(&caf38, id).await.unwrap().valeur.etat.code(),
        "presente_en_comite"
    );
    refuse(
        p.enregistrer_decision(
            &financeur38,
            id,
            None,
            saisie.clone(),
            true,
            le(date!(2024 - 02 - 16)),
        )
        .await,
        "",
    );
    // The structure's commitments are not checked yet: validation needs a motivated override.
    refuse(
        p.enregistrer_decision(
            &caf38,
            id,
            None,
            saisie.clone(),
            true,
            le(date!(2024 - 02 - 16)),
        )
        .await,
        "dérogation",
    );
    // The gestionnaire attests them (not the Caf, not another structure); the Caf checks them.
    let structure = p.gestionnaire(&caf38, GestionnaireId(1)).await.unwrap();
    let attestations = || -> Vec<(Engagement, SaisieAttestation)> {
        structure
            .valeur
            .engagements_applicables()
            .into_iter()
            .map(|e| {
                (
                    e,
                    SaisieAttestation {
                        respecte: true,
                        declaration: "Engagement inscrit au projet associatif".into(),
                        date: date!(2024 - 02 - 06),
                        piece: None,
                    },
                )
            })
            .collect()
    };
    for intrus in [&caf38, &autre] {
        refuse(
            p.attester_engagements(
                intrus,
                GestionnaireId(1),
                None,
                attestations(),
                le(date!(2024 - 02 - 06)),
            )
            .await,
            "Attester un engagement",
        );
    }
    p.attester_engagements(
        &g,
        GestionnaireId(1),
        Some(structure.version),
        attestations(),
        le(date!(2024 - 02 - 06)),
    )
    .await
    .unwrap();
    let controles: Vec<(Engagement, SaisieControle)> = structure
        .valeur
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
    refuse(
        p.controler_engagements(
            &g,
            GestionnaireId(1),
            None,
            controles.clone(),
            le(date!(2024 - 02 - 07)),
        )
        .await,
        "Contrôler un engagement",
    );
    let controlee = p
        .controler_engagements(
            &caf38,
            GestionnaireId(1),
            None,
            controles,
            le(date!(2024 - 02 - 07)),
        )
        .await
        .unwrap();
    assert!(controlee.valeur.engagements_non_conformes().is_empty());
    assert_eq!(controlee.version, structure.version + 20);
    let (dossier, decision) = p
        .enregistrer_decision(&caf38, id, None, saisie, true, le(date!(2024 - 02 - 16)))
        .await
        .unwrap();
    assert_eq!(dossier.valeur.etat.code(), "valide");
    assert_eq!(decision.valeur.issue, IssueDecision::Valide);
    let situation = p.situations(&caf38).await.unwrap();
    assert_eq!(situation[0].situation.engage, euros("130 000"));
    assert!(p.situations(&g).await.unwrap().is_empty());

    // Convention.
    let nouvelle = NouvelleConvention {
        numero: "COF-38-2024-001".into(),
        debut: date!(2024 - 03 - 01),
        fin: date!(2025 - 12 - 31),
        echeancier: Vec::new(),
    };
    refuse(
        p.etablir_convention(&g, id, nouvelle.clone(), le(date!(2024 - 02 - 20)))
            .await,
        "",
    );
    refuse(
        p.etablir_convention(
            &caf38,
            id,
            NouvelleConvention {
                fin: date!(2026 - 06 - 30),
                ..nouvelle.clone()
            },
            le(date!(2024 - 02 - 20)),
        )
        .await,
        "",
    );
    let convention = p
        .etablir_convention(&caf38, id, nouvelle.clone(), le(date!(2024 - 02 - 20)))
        .await
        .unwrap();
    refuse(
        p.etablir_convention(&caf38, id, nouvelle, le(date!(2024 - 02 - 21)))
            .await,
        "",
    );
    let cid = convention.valeur.id;
    // No acompte before the signature, even with a validated prévisionnelle.
    let prev = p
        .saisir_declaration(
            &g,
            cid,
            2024,
            NatureDeclaration::Previsionnelle,
            donnees("60 000", "1,5", 10),
            le(date!(2024 - 02 - 25)),
        )
        .await
        .unwrap();
    // A second prévisionnelle for the same exercise: the unique key, said in French.
    let seconde = p
        .saisir_declaration(
            &g,
            cid,
            2024,
            NatureDeclaration::Previsionnelle,
            donnees("60 000", "1,5", 10),
            le(date!(2024 - 02 - 25)),
        )
        .await;
    let seconde = seconde.unwrap_err();
    assert!(
        matches!(&seconde, ErreurApp::Store(e) if e.est_doublon()),
        "{seconde:?}"
    );
    assert_eq!(
        seconde.to_string(),
        "une déclaration prévisionnelle existe déjà pour 2024"
    );
    refuse(
        p.agir_sur_declaration(
            &caf38,
            prev.valeur.id,
            None,
            ActionTransmission::Valider,
            le(date!(2024 - 02 - 26)),
        )
        .await,
        "",
    );
    // No qualified salaried intervenant carries the FTE declared yet: refused, the gap named.
    refuse(
        p.agir_sur_declaration(
            &g,
            prev.valeur.id,
            None,
            ActionTransmission::Transmettre,
            le(date!(2024 - 02 - 26)),
        )
        .await,
        "il manque",
    );
    p.ajouter_intervenant(
        &g,
        |id| domain::structures::Intervenant {
            id,
            gestionnaire: GestionnaireId(1),
            nom: "Roussel".into(),
            prenom: "Lina".into(),
            diplome: domain::structures::Diplome::Psychologue,
            statut: domain::structures::StatutIntervenant::Salarie,
            experience_ou_formation_parentalite: true,
            etp: Etp::parse("2").unwrap(),
            contrat_debut: Some(date!(2024 - 01 - 01)),
            contrat_fin: None,
            verification_casier: Some(date!(2023 - 12 - 01)),
            heures_analyse_pratique_par_an: Some(16),
        },
        le(date!(2024 - 02 - 26)),
    )
    .await
    .unwrap();
    p.agir_sur_declaration(
        &g,
        prev.valeur.id,
        None,
        ActionTransmission::Transmettre,
        le(date!(2024 - 02 - 26)),
    )
    .await
    .unwrap();
    refuse(
        p.agir_sur_declaration(
            &g,
            prev.valeur.id,
            None,
            ActionTransmission::Valider,
            le(date!(2024 - 02 - 27)),
        )
        .await,
        "",
    );
    refuse(
        p.agir_sur_declaration(
            &caf38,
            prev.valeur.id,
            None,
            ActionTransmission::Renvoyer(String::new()),
            le(date!(2024 - 02 - 27)),
        )
        .await,
        "",
    );
    p.agir_sur_declaration(
        &caf38,
        prev.valeur.id,
        None,
        ActionTransmission::Valider,
        le(date!(2024 - 02 - 27)),
    )
    .await
    .unwrap();
    let fige = p
        .declaration(&caf38, prev.valeur.id)
        .await
        .unwrap()
        .valeur
        .droit
        .unwrap();
    // 1.5 FTE, 10 months, 60 000 €: 80 % × 60 000 = 48 000 €; acompte 70 % = 33 600 €.
    assert_eq!(fige.montant, euros("48 000"));
    assert_eq!(fige.suite_montant, euros("33 600"));
    assert!(fige.trace.to_string().contains("66\u{202f}000\u{a0}€"));
    refuse(
        p.emettre_paiement(
            &caf38,
            cid,
            2024,
            Echeance::Acompte,
            date!(2024 - 03 - 01),
            le(date!(2024 - 03 - 01)),
        )
        .await,
        "",
    );
    p.signer_convention(
        &caf38,
        cid,
        None,
        date!(2024 - 03 - 05),
        le(date!(2024 - 03 - 06)),
    )
    .await
    .unwrap();

    // The acompte is now due, for the Caf and for the gestionnaire, not for another territory.
    assert_eq!(
        p.paiements_dus(&caf38).await.unwrap(),
        vec![(cid, 2024, Echeance::Acompte)]
    );
    assert_eq!(p.paiements_dus(&g).await.unwrap().len(), 1);
    assert!(p.paiements_dus(&caf30).await.unwrap().is_empty());
    // Payments: the acompte once; again returns the same payment; a run finds nothing more.
    refuse(
        p.emettre_paiement(
            &caf30,
            cid,
            2024,
            Echeance::Acompte,
            date!(2024 - 03 - 10),
            le(date!(2024 - 03 - 10)),
        )
        .await,
        "",
    );
    let acompte = p
        .emettre_paiement(
            &caf38,
            cid,
            2024,
            Echeance::Acompte,
            date!(2024 - 03 - 10),
            le(date!(2024 - 03 - 10)),
        )
        .await
        .unwrap();
    let ResultatEmission::Emis(paiement) = acompte else {
        panic!("acompte non émis")
    };
    assert_eq!(paiement.montant, euros("33 600"));
    let encore = p
        .emettre_paiement(
            &caf38,
            cid,
            2024,
            Echeance::Acompte,
            date!(2024 - 03 - 11),
            le(date!(2024 - 03 - 11)),
        )
        .await
        .unwrap();
    assert_eq!(encore, ResultatEmission::DejaEmis(paiement.clone()));
    assert!(
        p.emettre_paiements_dus(&caf38, date!(2024 - 03 - 12), le(date!(2024 - 03 - 12)))
            .await
            .unwrap()
            .emis
            .is_empty()
    );
    assert!(p.paiements_dus(&caf38).await.unwrap().is_empty());
    assert_eq!(p.paiements(&caf38, None).await.unwrap().len(), 1);
    assert_eq!(p.paiements(&g, None).await.unwrap().len(), 1);
    assert!(p.paiements(&autre, None).await.unwrap().is_empty());
    assert!(p.paiements(&caf30, None).await.unwrap().is_empty());

    // Réelle 2024 (sent in 2025) and bilan: the solde is the definitive right minus the acompte.
    let reelle = p
        .saisir_declaration(
            &g,
            cid,
            2024,
            NatureDeclaration::Reelle,
            donnees("50 000", "1,5", 10),
            le(date!(2024 - 12 - 20)),
        )
        .await
        .unwrap();
    refuse(
        p.agir_sur_declaration(
            &g,
            reelle.valeur.id,
            None,
            ActionTransmission::Transmettre,
            le(date!(2024 - 12 - 21)),
        )
        .await,
        "1er janvier 2025",
    );
    p.agir_sur_declaration(
        &g,
        reelle.valeur.id,
        None,
        ActionTransmission::Transmettre,
        le(date!(2025 - 01 - 15)),
    )
    .await
    .unwrap();
    p.agir_sur_declaration(
        &caf38,
        reelle.valeur.id,
        None,
        ActionTransmission::Valider,
        le(date!(2025 - 01 - 20)),
    )
    .await
    .unwrap();
    refuse(
        p.emettre_paiement(
            &caf38,
            cid,
            2024,
            Echeance::Solde,
            date!(2025 - 01 - 21),
            le(date!(2025 - 01 - 21)),
        )
        .await,
        "bilan",
    );
    let bilan = p
        .saisir_bilan(
            &g,
            cid,
            2024,
            ContenuBilan {
                familles_accompagnees: 190,
                entretiens: 520,
                heures_analyse_pratique: 14,
                synthese: "Forte demande autour de l'adolescence".into(),
                ..ContenuBilan::default()
            },
            le(date!(2025 - 01 - 22)),
        )
        .await
        .unwrap();
    p.agir_sur_bilan(
        &g,
        bilan.valeur.id,
        None,
        ActionTransmission::Transmettre,
        le(date!(2025 - 01 - 23)),
    )
    .await
    .unwrap();
    p.agir_sur_bilan(
        &caf38,
        bilan.valeur.id,
        None,
        ActionTransmission::Valider,
        le(date!(2025 - 01 - 24)),
    )
    .await
    .unwrap();
    let emis = p
        .emettre_paiements_dus(&caf38, date!(2025 - 02 - 01), le(date!(2025 - 02 - 01)))
        .await
        .unwrap();
    assert_eq!(emis.emis.len(), 1, "{emis:?}");
    assert!(emis.refus.is_empty() && emis.rouvertes.is_empty());
    // 80 % × 50 000 = 40 000 €, minus 33 600 € paid: solde 6 400 €.
    assert_eq!(emis.emis[0].montant, euros("6 400"));
    assert!(
        p.emettre_paiements_dus(&caf38, date!(2025 - 02 - 02), le(date!(2025 - 02 - 02)))
            .await
            .unwrap()
            .emis
            .is_empty()
    );
    // Only a Caf agent runs payments: anyone else is refused, not told « 0 paiement ».
    for acteur in [&g, &cnaf] {
        let refus = p
            .emettre_paiements_dus(acteur, date!(2025 - 02 - 02), le(date!(2025 - 02 - 02)))
            .await;
        assert!(
            matches!(
                refus,
                Err(app::ErreurApp::Refus(
                    domain::Refus::Role { .. } | domain::Refus::CnafConsultation { .. }
                ))
            ),
            "{refus:?}"
        );
    }
    let situation = p.situations(&cnaf).await.unwrap();
    let isere = situation
        .iter()
        .find(|s| s.situation.departement == d("38"))
        .unwrap();
    assert_eq!(isere.situation.paye, euros("40 000"));

    // The audit chain is intact, then a tampered event is found.
    assert_eq!(
        store::audit::verifier(&p.base).await.unwrap(),
        Vec::<String>::new()
    );
    let mut tx = p.base.debuter().await.unwrap();
    tx.executer(
        "UPDATE audit SET description = 'rien à signaler' WHERE id = 5",
        &[],
    )
    .await
    .unwrap();
    tx.valider().await.unwrap();
    let anomalies = store::audit::verifier(&p.base).await.unwrap();
    assert_eq!(anomalies.len(), 1, "{anomalies:?}");
    assert!(anomalies[0].contains("n°5"), "{anomalies:?}");
    let mut tx = p.base.debuter().await.unwrap();
    tx.executer(
        "DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)",
        &[],
    )
    .await
    .unwrap();
    tx.valider().await.unwrap();
    let anomalies = store::audit::verifier(&p.base).await.unwrap();
    assert!(
        anomalies.iter().any(|a| a.contains("supprimés")),
        "{anomalies:?}"
    );
}

#[tokio::test]
async fn parcours_complet_sur_sqlite() {
    scenario(plateforme_sqlite("parcours").await).await;
}

#[tokio::test]
async fn parcours_complet_sur_postgresql() {
    if let Some(p) = plateforme_postgres("parcours").await {
        scenario(p).await;
    }
}
