//! The national instance of the AIP experiment and its calls for candidacies through the web
//! application, on both engines: who reads the instance (the Cnaf, the Caf de l'Isère, the
//! référents by their accounts; never a Caf outside it, a funder or a gestionnaire); its séances
//! run by the coordination's pages; a candidacy refused after the deadline, a decision refused
//! without a reason, and a decision sent twice recorded once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use axum::http::StatusCode;
use domain::candidatures::EtatCandidature;
use web::Etat;

use aide::{Session, get, post};
use commun::{Demo, demo_du_moteur};

fn demo() -> &'static Demo {
    demo_du_moteur("instance_nationale")
}

async fn connecter(r: &axum::Router, email: &str) -> Session {
    aide::session(r, email, &demo().mots_de_passe[email]).await
}

async fn routeur() -> axum::Router {
    web::routeur(Etat {
        plateforme: demo().plateforme().await,
        cookie_securise: false,
    })
}

sur_les_deux_moteurs!(
    chacun_lit_l_instance_nationale_qui_le_concerne,
    une_decision_envoyee_deux_fois_est_enregistree_une_fois,
    une_candidature_hors_delai_est_refusee,
);

async fn chacun_lit_l_instance_nationale_qui_le_concerne() {
    let r = routeur().await;
    let cnaf = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let (statut, _, page) = get(&r, "/instance-nationale", &cnaf.cookie).await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    assert!(page.contains("Calendrier en six phases"));
    assert!(page.contains("Profils des intervenants"));
    assert!(
        page.contains("Modifier les dates d&#39;une phase")
            || page.contains("Modifier les dates d'une phase")
    );
    assert!(page.contains("Planifier une séance"));
    let seance = page
        .split("href=\"/seances/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();

    // The Caf de l'Isère co-pilots: it plans séances, does not administer.
    let isere = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let (statut, _, page) = get(&r, "/instance-nationale", &isere.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("Planifier une séance"));
    assert!(!page.contains("Ajouter un membre"));
    let (statut, _) = post(
        &r,
        "/instance-nationale/phases/6",
        &isere,
        "debut=2025-09-01&fin=2026-06-30",
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);

    // A référent reads the séances it is convened to, without the secretariat's forms.
    let gironde = connecter(&r, "agent.33@demo.parentalite.fr").await;
    let (statut, _, page) = get(&r, "/instance-nationale", &gironde.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(!page.contains("Planifier une séance"));
    let (statut, _, page) = get(&r, &format!("/seances/{seance}"), &gironde.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(
        page.contains("/instance-nationale"),
        "back to the national instance"
    );
    assert!(
        page.contains(r#"<a href="/candidatures" aria-current="page">"#),
        "the national experiment is the current menu entry"
    );
    assert!(
        !page.contains(r#"<a href="/coordination" aria-current="page">"#),
        "not the coordination"
    );
    let (statut, _) = post(
        &r,
        "/instance-nationale/seances",
        &gironde,
        "titre=Essai&niveau=pleniere&date=2099-01-10&heure=10:00&duree_minutes=60&lieu=Paris",
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);

    // A Caf outside the instance, a funder, a gestionnaire: refused.
    for email in [
        "agent.44@demo.parentalite.fr",
        "financeur.38@demo.parentalite.fr",
        "membre.38@demo.parentalite.fr",
        "gestionnaire.nouveau@demo.parentalite.fr",
    ] {
        let autre = connecter(&r, email).await;
        let (statut, _, _) = get(&r, "/instance-nationale", &autre.cookie).await;
        assert_eq!(statut, StatusCode::FORBIDDEN, "{email}");
        let (statut, _, _) = get(&r, &format!("/seances/{seance}"), &autre.cookie).await;
        assert_eq!(statut, StatusCode::FORBIDDEN, "{email}");
    }

    // The Cnaf changes a phase's dates; an end before its start is refused on its field.
    let (statut, page) = post(
        &r,
        "/instance-nationale/phases/6",
        &cnaf,
        "debut=2026-06-30&fin=2025-09-01",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let (statut, _) = post(
        &r,
        "/instance-nationale/phases/6",
        &cnaf,
        "debut=2025-09-01&fin=2026-06-30",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    let (_, _, page) = get(&r, "/instance-nationale", &cnaf.cookie).await;
    assert!(page.contains("30/06/2026"));

    // Calls for candidacies: the Cnaf and the Caf read them; others do not.
    let (statut, _, _) = get(&r, "/candidatures", &isere.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    let membre = connecter(&r, "membre.38@demo.parentalite.fr").await;
    let (statut, _, _) = get(&r, "/candidatures", &membre.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
}

/// The demonstration's submitted candidacy (Ille-et-Vilaine) and its call.
async fn candidature_deposee() -> (i64, i64) {
    let p = demo().plateforme().await;
    let cnaf = p
        .utilisateur_par_email("cnaf@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap()
        .1;
    let appel = p.appels_candidatures(&cnaf).await.unwrap()[0].valeur.id;
    let vue = p.appel_candidatures(&cnaf, appel).await.unwrap();
    let c = vue
        .candidatures
        .iter()
        .find(|c| c.valeur.departement.as_str() == "35")
        .unwrap();
    (appel.0, c.valeur.id.0)
}

async fn une_decision_envoyee_deux_fois_est_enregistree_une_fois() {
    let r = routeur().await;
    let (appel, id) = candidature_deposee().await;
    let cnaf = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let loire = connecter(&r, "agent.44@demo.parentalite.fr").await;
    let ille = connecter(&r, "agent.35@demo.parentalite.fr").await;

    // Another Caf reads neither the candidacy nor its decision form.
    let (statut, _, _) = get(&r, &format!("/candidatures/{id}"), &loire.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _) = post(
        &r,
        &format!("/candidatures/{id}/decision"),
        &loire,
        "decision=retenir&motif=Essai",
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);

    // No decision without a reason.
    let (statut, page) = post(
        &r,
        &format!("/candidatures/{id}/decision"),
        &cnaf,
        "decision=retenir&motif=%20",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("motif est obligatoire"), "{page}");

    // The same decision sent twice (a double click): one decision, one row of the wave.
    let (_, _, page) = get(&r, &format!("/candidatures/{id}"), &cnaf.cookie).await;
    let version = page
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let formulaire = format!("version={version}&decision=retenir&motif=Partenariat+local+solide");
    let (premier, _) = post(
        &r,
        &format!("/candidatures/{id}/decision"),
        &cnaf,
        &formulaire,
    )
    .await;
    let (second, _) = post(
        &r,
        &format!("/candidatures/{id}/decision"),
        &cnaf,
        &formulaire,
    )
    .await;
    assert_eq!(premier, StatusCode::SEE_OTHER);
    assert_ne!(second, StatusCode::SEE_OTHER);
    let p = demo().plateforme().await;
    let acteur = p
        .utilisateur_par_email("cnaf@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap()
        .1;
    let vue = p
        .appel_candidatures(&acteur, domain::identifiants::AppelCandidaturesId(appel))
        .await
        .unwrap();
    assert_eq!(vue.retenus.len(), 1, "one département added to the wave");
    let c = vue
        .candidatures
        .iter()
        .find(|c| c.valeur.id.0 == id)
        .unwrap();
    assert_eq!(c.valeur.etat, EtatCandidature::Retenue);
    let evenements = {
        let base = store::Base::ouvrir(&demo().url).await.unwrap();
        let mut l = base.lecture().await.unwrap();
        store::audit::evenements(&mut l).await.unwrap()
    };
    assert_eq!(
        evenements
            .iter()
            .filter(|e| e.entite == "candidature" && e.entite_id == id && e.action == "decider")
            .count(),
        1,
        "one decision audited"
    );

    // The Caf sees the decision and its reason.
    let (statut, _, page) = get(&r, &format!("/candidatures/{id}"), &ille.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("Candidature retenue"));
    assert!(page.contains("Partenariat local solide"));
}

async fn une_candidature_hors_delai_est_refusee() {
    let r = routeur().await;
    let cnaf = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let aujourd_hui = demo().aujourd_hui;
    // A call whose deadline is today: a candidacy drafted today, refused once the day is over.
    let (statut, page) = post(
        &r,
        "/candidatures",
        &cnaf,
        &format!(
            "titre=Vague+d%27essai&vague=3&date_limite={}&contenu_attendu=",
            aujourd_hui + time::Duration::days(1)
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let loire = connecter(&r, "agent.44@demo.parentalite.fr").await;
    let p = demo().plateforme().await;
    let acteur = p
        .utilisateur_par_email("agent.44@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap()
        .1;
    let appel = p
        .appels_candidatures(&acteur)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.valeur.vague == 3)
        .unwrap()
        .valeur;
    // Another Caf's form is refused.
    let (statut, _) = post(
        &r,
        &format!("/candidatures/appels/{}/candidature", appel.id),
        &loire,
        "departement=35&action=enregistrer&motivations=x",
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _) = post(
        &r,
        &format!("/candidatures/appels/{}/candidature", appel.id),
        &loire,
        "departement=44&action=enregistrer&motivations=Des+parents+demandeurs",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    // Submitted incomplete: refused, each missing field named.
    let (statut, page) = post(
        &r,
        &format!("/candidatures/appels/{}/candidature", appel.id),
        &loire,
        "departement=44&action=deposer&motivations=Des+parents+demandeurs",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("partenaires"), "{page}");

    // After the deadline, the domain refuses the submission with the deadline named.
    let candidature = p
        .appel_candidatures(&acteur, appel.id)
        .await
        .unwrap()
        .candidatures
        .into_iter()
        .next()
        .unwrap();
    let apres = (appel.date_limite + time::Duration::days(1))
        .midnight()
        .assume_utc()
        + time::Duration::hours(9);
    let refus = p
        .deposer_candidature(&acteur, candidature.valeur.id, None, apres)
        .await
        .unwrap_err();
    assert!(refus.to_string().contains("date limite"), "{refus}");
}
