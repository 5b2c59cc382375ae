//! The demonstration data goes through every use case as real users would, and leaves a sound
//! database: every dossier state present, payments issued once, the audit trail intact.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use app::Plateforme;
use app::demo::OptionsDemo;
use domain::Acteur;
use domain::declaration::{EtatTransmission, NatureDeclaration, NatureSuite};
use domain::identifiants::UtilisateurId;
use domain::paiement::{NaturePaiement, versements_effectues};
use domain::quantites::Centimes;
use referentiel::parametres::Parametres;
use store::Base;

#[tokio::test]
async fn la_demonstration_couvre_chaque_etat_et_reste_integre() {
    let chemin =
        std::env::temp_dir().join(format!("parentalite-demo-{}.sqlite", std::process::id()));
    for s in ["", "-wal", "-shm", ".tete-audit"] {
        let _ = std::fs::remove_file(format!("{}{s}", chemin.display()));
    }
    let base = Base::ouvrir(chemin.to_str().unwrap()).await.unwrap();
    let p = Plateforme::new(base, Arc::new(Parametres::embarques().unwrap()));
    let debut = std::time::Instant::now();
    let resume = p
        .peupler_demo(OptionsDemo::default(), time::macros::date!(2026 - 03 - 02))
        .await
        .unwrap();
    eprintln!(
        "démonstration créée en {:?}: {} gestionnaires, {} conventions, {} paiements",
        debut.elapsed(),
        resume.gestionnaires,
        resume.conventions,
        resume.paiements
    );
    assert_eq!(resume.gestionnaires, 100);
    assert_eq!(resume.dossiers, 100);
    assert!(resume.conventions >= 20, "{resume:?}");
    assert!(resume.paiements >= 20, "{resume:?}");
    let cnaf = Acteur::cnaf(UtilisateurId(1));
    let dossiers = p.dossiers(&cnaf, None).await.unwrap();
    for etat in [
        "brouillon",
        "depose",
        "en_instruction",
        "complement_demande",
        "presente_en_comite",
        "valide",
        "refuse",
        "sans_suite",
    ] {
        assert!(
            dossiers.iter().any(|d| d.valeur.etat.code() == etat),
            "aucun dossier {etat}"
        );
    }
    // One account per role, each able to act.
    for role in ["cnaf", "caf", "financeur", "gestionnaire", "intervenant"] {
        assert!(
            resume.comptes.iter().any(|c| c.role.code() == role),
            "{role}"
        );
    }
    // A second run issues nothing more: every due payment was issued once.
    let agent = p
        .utilisateur_par_email("agent.38@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap()
        .1;
    let encore = p
        .emettre_paiements_dus(
            &agent,
            time::macros::date!(2025 - 02 - 11),
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
    assert!(
        encore.emis.is_empty() && encore.refus.is_empty() && encore.rouvertes.is_empty(),
        "{encore:?}"
    );
    figures_et_paiements_concordent(&p, &cnaf).await;
    annuaire_publie(&p).await;
    assert_eq!(
        store::integrite::verifier(&p.base).await.unwrap(),
        Vec::<String>::new()
    );
}

/// The directory: published services in every département of the experiment, several communes
/// each, every scheme represented (the AIP from conventions), two waiting for the Caf, and AIP
/// proposals left for gestionnaires to complete.
async fn annuaire_publie(p: &Plateforme) {
    use domain::annuaire::EtatPublication;
    use domain::appel_a_projets::Dispositif;
    let mut tx = p.base.lire().await.unwrap();
    let publies = store::annuaire::publies(&mut tx).await.unwrap();
    drop(tx);
    for d in domain::experimentation::DEPARTEMENTS {
        let du_dep: Vec<_> = publies
            .iter()
            .filter(|s| s.departement.as_str() == d)
            .collect();
        assert!(du_dep.len() >= 6, "{d} : {} services publiés", du_dep.len());
        let communes: std::collections::BTreeSet<_> =
            du_dep.iter().map(|s| s.lieux[0].adresse.commune).collect();
        assert!(communes.len() >= 4, "{d} : {communes:?}");
    }
    for dispositif in Dispositif::TOUS {
        assert!(
            publies.iter().any(|s| s.dispositif == dispositif),
            "aucun service {dispositif:?}"
        );
    }
    assert!(
        publies
            .iter()
            .filter(|s| s.dispositif == Dispositif::Aip)
            .all(|s| s.convention.is_some())
    );
    assert!(publies.iter().all(|s| s.etat == EtatPublication::Publie));
    let mut en_attente = 0;
    for d in domain::experimentation::DEPARTEMENTS {
        let agent = p
            .utilisateur_par_email(&format!("agent.{d}@demo.parentalite.fr"))
            .await
            .unwrap()
            .unwrap()
            .1;
        en_attente += p.services_a_moderer(&agent).await.unwrap().len();
    }
    assert_eq!(en_attente, 2);
    let g = p
        .utilisateur_par_email("gestionnaire.38.5@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap()
        .1;
    assert!(!p.mes_services(&g).await.unwrap().is_empty());
    let mut propositions = 0;
    for i in 1..=10 {
        let g = p
            .utilisateur_par_email(&format!("gestionnaire.38.{i}@demo.parentalite.fr"))
            .await
            .unwrap()
            .unwrap()
            .1;
        propositions += p.propositions_aip(&g).await.unwrap().len();
    }
    assert!(
        propositions >= 1,
        "des propositions AIP restent à compléter"
    );
}

/// Every figure frozen in a demo declaration agrees with the payments recorded: the acompte paid
/// is the prévisionnelle's acompte, the solde or indu paid is the réelle's solde, and the payments
/// each declaration counted are those made before it was validated.
async fn figures_et_paiements_concordent(p: &Plateforme, cnaf: &Acteur) {
    let conventions = p.conventions(cnaf).await.unwrap();
    assert!(!conventions.is_empty());
    let mut verifiees = 0;
    for c in &conventions {
        let c = &c.valeur;
        let paiements: Vec<_> = p
            .paiements(cnaf, Some(c.id))
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.valeur)
            .collect();
        for d in p.declarations(cnaf, Some(c.id)).await.unwrap() {
            let d = d.valeur;
            if d.etat() != EtatTransmission::Validee {
                assert!(d.droit.is_none(), "{} {}", c.numero, d.exercice);
                continue;
            }
            let droit = d.droit.as_ref().unwrap_or_else(|| {
                panic!("{} {} {:?} sans droit figé", c.numero, d.exercice, d.nature)
            });
            let validee_le = d.suivi.validee_le.unwrap().date();
            let avant: Vec<_> = paiements
                .iter()
                .filter(|x| x.date <= validee_le)
                .cloned()
                .collect();
            let de_l_exercice = |x: &domain::paiement::Paiement| x.exercice == d.exercice;
            match d.nature {
                NatureDeclaration::Previsionnelle => {
                    assert_eq!(droit.suite, NatureSuite::Acompte);
                    assert_eq!(droit.versements_pris_en_compte, Centimes::ZERO);
                    if let Some(a) = paiements
                        .iter()
                        .find(|x| de_l_exercice(x) && x.nature == NaturePaiement::Acompte)
                    {
                        assert_eq!(
                            a.montant, droit.suite_montant,
                            "{} {}",
                            c.numero, d.exercice
                        );
                        verifiees += 1;
                    }
                }
                NatureDeclaration::Actualisee | NatureDeclaration::Reelle => {
                    assert_eq!(
                        Some(droit.versements_pris_en_compte),
                        versements_effectues(&avant, c.id, d.exercice),
                        "{} {} {:?}: versements comptés",
                        c.numero,
                        d.exercice,
                        d.nature
                    );
                    assert_eq!(
                        droit.montant.checked_sub(droit.versements_pris_en_compte),
                        Some(droit.suite_montant)
                    );
                    if d.nature == NatureDeclaration::Reelle
                        && let Some(s) = paiements.iter().find(|x| {
                            de_l_exercice(x)
                                && matches!(x.nature, NaturePaiement::Solde | NaturePaiement::Indu)
                        })
                    {
                        assert_eq!(s.montant_signe(), droit.suite_montant, "{}", c.numero);
                        assert_eq!(
                            versements_effectues(&paiements, c.id, d.exercice),
                            Some(droit.montant),
                            "{}: tout le droit définitif est versé",
                            c.numero
                        );
                        verifiees += 1;
                    }
                }
            }
        }
    }
    assert!(
        verifiees >= 20,
        "{verifiees} paiements rapprochés seulement"
    );
}
