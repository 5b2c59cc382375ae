//! Eligibility decides (Référentiel national de financement de l'AIP, §II.2): once its structure
//! is a PAEJ, a dossier can no longer be submitted through its page, and a payment run refuses to
//! pay its convention and says why.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod aide;

use std::sync::Arc;

use app::Plateforme;
use app::demo::OptionsDemo;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::structures::{Gestionnaire, TypeActivite};
use referentiel::parametres::Parametres;
use store::Base;
use web::Etat;

use aide::{connecter, corps};

/// Turns a stored structure into a PAEJ, as a registration error corrected later would.
async fn devenir_paej(base: &Base, id: domain::identifiants::GestionnaireId) {
    let mut tx = base.debuter().await.unwrap();
    let mut g = store::depot::lire::<Gestionnaire>(&mut tx, id.0)
        .await
        .unwrap();
    g.valeur.activite = TypeActivite::Paej;
    store::depot::mettre_a_jour(&mut tx, &g.valeur, g.version)
        .await
        .unwrap();
    tx.valider().await.unwrap();
}

fn jeton(page: &str) -> String {
    page.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned()
}

async fn page(r: &axum::Router, chemin: &str, cookie: &str) -> String {
    corps(
        r,
        Request::get(chemin)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .2
}

async fn poster(
    r: &axum::Router,
    chemin: &str,
    cookie: &str,
    formulaire: String,
) -> (StatusCode, String) {
    let (statut, _, corps) = corps(
        r,
        Request::post(chemin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(formulaire))
            .unwrap(),
    )
    .await;
    (statut, corps)
}

#[tokio::test]
async fn une_structure_exclue_n_est_ni_deposee_ni_payee() {
    let chemin = std::env::temp_dir().join(format!(
        "parentalite-eligibilite-{}.sqlite",
        std::process::id()
    ));
    for s in ["", "-wal", "-shm", ".tete-audit"] {
        let _ = std::fs::remove_file(format!("{}{s}", chemin.display()));
    }
    let base = Base::ouvrir(chemin.to_str().unwrap()).await.unwrap();
    let plateforme = Plateforme::new(base.clone(), Arc::new(Parametres::embarques().unwrap()));
    let resume = plateforme
        .peupler_demo(
            OptionsDemo {
                emettre_paiements: false,
                ..OptionsDemo::default()
            },
            time::OffsetDateTime::now_utc().date(),
        )
        .await
        .unwrap();
    let r = web::routeur(Etat {
        plateforme: plateforme.clone(),
        cookie_securise: false,
    });
    let mot_de_passe = |email: &str| {
        resume
            .comptes
            .iter()
            .find(|c| c.email == email)
            .map(|c| c.mot_de_passe.clone())
    };

    // A gestionnaire with a draft dossier: its structure becomes a PAEJ; submitting is refused.
    let mut brouillon = None;
    for compte in resume
        .comptes
        .iter()
        .filter(|c| c.role.code() == "gestionnaire")
    {
        let (_, acteur) = plateforme
            .utilisateur_par_email(&compte.email)
            .await
            .unwrap()
            .unwrap();
        if let Some(d) = plateforme
            .dossiers(&acteur, Some("brouillon"))
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.valeur.dispositif == domain::appel_a_projets::Dispositif::Aip)
        {
            brouillon = Some((compte.email.clone(), d));
            break;
        }
    }
    let (email, dossier) = brouillon.expect("un dossier AIP en brouillon dans la démonstration");
    devenir_paej(&base, dossier.valeur.gestionnaire).await;
    let cookie = connecter(&r, &email, &mot_de_passe(&email).unwrap()).await;
    let fiche = page(&r, &format!("/dossiers/{}", dossier.valeur.id), &cookie).await;
    // The dossier page shows the verdict the comité will read, with the finding.
    let section = fiche
        .split("<h2>Éligibilité de la structure</h2>")
        .nth(1)
        .expect("la fiche montre l'éligibilité de la structure");
    assert!(section.contains("non éligible"), "{section}");
    assert!(section.contains("PAEJ"), "{section}");
    let (statut, reponse) = poster(
        &r,
        &format!("/dossiers/{}/action", dossier.valeur.id),
        &cookie,
        format!(
            "_csrf={}&action=deposer&version={}",
            jeton(&fiche),
            dossier.version
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{reponse}");
    assert!(reponse.contains("non éligible"), "{reponse}");
    assert!(reponse.contains("§II.2"), "{reponse}");
    let apres = plateforme
        .dossier(
            &plateforme
                .utilisateur_par_email(&email)
                .await
                .unwrap()
                .unwrap()
                .1,
            dossier.valeur.id,
        )
        .await
        .unwrap();
    assert_eq!(apres.valeur.etat.code(), "brouillon");

    // A signed convention whose acompte is due: once its structure is a PAEJ, the payment run
    // pays nothing and names the exclusion.
    let agent = resume
        .comptes
        .iter()
        .find(|c| c.role.code() == "caf")
        .unwrap();
    let (_, acteur_caf) = plateforme
        .utilisateur_par_email(&agent.email)
        .await
        .unwrap()
        .unwrap();
    let dus = plateforme.paiements_dus(&acteur_caf).await.unwrap();
    let (convention, _, _) = *dus.first().expect("un paiement dû");
    let c = plateforme
        .convention(&acteur_caf, convention)
        .await
        .unwrap();
    devenir_paej(&base, c.valeur.gestionnaire).await;
    let cookie = connecter(&r, &agent.email, &agent.mot_de_passe).await;
    let liste = page(&r, "/paiements", &cookie).await;
    let (statut, reponse) = poster(
        &r,
        "/paiements",
        &cookie,
        format!("_csrf={}", jeton(&liste)),
    )
    .await;
    assert_eq!(statut, StatusCode::OK, "{reponse}");
    assert!(reponse.contains("non éligible"), "{reponse}");
    let payes = plateforme
        .paiements(&acteur_caf, Some(convention))
        .await
        .unwrap();
    assert!(
        payes
            .iter()
            .all(|p| p.valeur.date < time::macros::date!(2025 - 03 - 01)),
        "aucun paiement nouveau pour une structure exclue"
    );
    assert!(
        plateforme
            .paiements_dus(&acteur_caf)
            .await
            .unwrap()
            .iter()
            .any(|(id, _, _)| *id == convention),
        "le paiement reste dû, non émis"
    );
}
