//! The demonstration data goes through every use case as real users would, and leaves a sound
//! database: every dossier state present, payments issued once, the audit trail intact.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use app::Plateforme;
use app::demo::OptionsDemo;
use domain::Acteur;
use domain::identifiants::UtilisateurId;
use referentiel::parametres::Parametres;
use store::Base;

#[tokio::test]
async fn la_demonstration_couvre_chaque_etat_et_reste_integre() {
    let chemin =
        std::env::temp_dir().join(format!("parentalite-demo-{}.sqlite", std::process::id()));
    for s in ["", "-wal", "-shm"] {
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
    assert!(encore.is_empty(), "{encore:?}");
    assert_eq!(
        store::integrite::verifier(&p.base).await.unwrap(),
        Vec::<String>::new()
    );
}
