//! The directory's services through the web application, on both engines: a gestionnaire
//! describes a service (a faulty form comes back with each error on its field and the values
//! typed), submits it; the Caf of the département reads what will be public, refuses without a
//! motive (refused on the field) then publishes; the AIP service proposed from a convention's
//! place comes prefilled; and who is refused what (another structure, another département's
//! agent, a funder, a form without its CSRF token).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;
mod aide;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::annuaire::EtatPublication;
use domain::identifiants::ServiceId;
use web::Etat;

use aide::{Session, corps, get, post};
use commun::{Demo, demo_du_moteur};

fn demo() -> &'static Demo {
    demo_du_moteur("services")
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

fn encoder(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A service form, with `horaires` for the first place.
fn formulaire(nom: &str, horaires: &str, telephone: &str) -> String {
    [
        ("dispositif", "laep"),
        ("type_service", "accueil"),
        ("nom", nom),
        (
            "description",
            "Un lieu d’accueil pour les tout-petits et leurs parents.",
        ),
        ("publics", "parents_enfants_0_3"),
        ("publics", "futurs_parents"),
        ("modes", "sur_place"),
        ("frais", "gratuit"),
        ("telephone", telephone),
        ("sans_rendez_vous", "1"),
        ("lieux_1_nom", "Maison des familles"),
        ("lieux_1_voie", "4 place Grenette"),
        ("lieux_1_code_postal", "38000"),
        ("lieux_1_commune", "38185"),
        ("lieux_1_horaires", horaires),
        ("lieux_2_voie", ""),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", encoder(v)))
    .collect::<Vec<_>>()
    .join("&")
}

/// Posts a form and returns the status, the `Location` header and the body.
async fn envoyer(
    r: &axum::Router,
    chemin: &str,
    s: &Session,
    formulaire: &str,
) -> (StatusCode, String, String) {
    let (statut, entetes, page) = corps(
        r,
        Request::post(chemin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &s.cookie)
            .body(Body::from(format!("_csrf={}&{formulaire}", s.csrf)))
            .unwrap(),
    )
    .await;
    let lieu = entetes
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (statut, lieu, page)
}

sur_les_deux_moteurs!(
    un_service_est_decrit_soumis_puis_publie_par_la_caf,
    chacun_n_agit_que_sur_ce_qui_le_concerne,
    le_service_aip_propose_depuis_une_convention_est_prerempli,
);

async fn un_service_est_decrit_soumis_puis_publie_par_la_caf() {
    let r = routeur().await;
    let g = connecter(&r, "gestionnaire.38.5@demo.parentalite.fr").await;
    let (statut, _, page) = get(&r, "/services", &g.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("Vos services"));
    assert!(page.contains("href=\"/services\""), "in the menu");
    let (statut, _, page) = get(&r, "/services/nouveau", &g.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"));

    // Faulty opening hours and phone number: the form comes back, each error on its field, the
    // values typed kept.
    let (statut, _, page) = envoyer(
        &r,
        "/services/nouveau",
        &g,
        &formulaire("Les Petits Pas de Grenette", "lundi 9h-12h", "12"),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("<title>Erreur"));
    assert!(page.contains("href=\"#lieux_1_horaires\""), "{page}");
    assert!(page.contains("href=\"#telephone\""), "{page}");
    assert!(page.contains("id=\"lieux_1_horaires-erreur\""));
    assert!(page.contains("value=\"Les Petits Pas de Grenette\""));
    assert!(page.contains("value=\"lundi 9h-12h\""));
    assert!(page.contains("OpenStreetMap"));

    // Corrected: a draft, then submitted.
    let (statut, lieu, page) = envoyer(
        &r,
        "/services/nouveau",
        &g,
        &formulaire(
            "Les Petits Pas de Grenette",
            "Tu,Th 09:00-11:30",
            "01 99 00 12 34",
        ),
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER, "{page}");
    let id: i64 = lieu
        .trim_start_matches("/services/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (statut, _, page) = get(&r, &lieu, &g.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("brouillon"));
    assert!(page.contains("Le mardi, le jeudi de 9"), "{page}");
    let (statut, _, _) = envoyer(&r, &format!("/services/{id}/soumission"), &g, "").await;
    assert_eq!(statut, StatusCode::SEE_OTHER);

    // The Caf of Isère finds it in its queue, reads what will be public.
    let caf = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let (statut, _, page) = get(&r, "/services", &caf.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("Les Petits Pas de Grenette"));
    let (statut, _, page) = get(&r, &format!("/services/{id}"), &caf.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("Ce qui sera public"));
    assert!(page.contains("4 place Grenette"));
    // A refusal without a motive is refused on its field.
    let (statut, _, page) = envoyer(
        &r,
        &format!("/services/{id}/decision"),
        &caf,
        "decision=refuser&motif=",
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("href=\"#motif\""), "{page}");
    let (statut, lieu, _) = envoyer(
        &r,
        &format!("/services/{id}/decision"),
        &caf,
        "decision=publier",
    )
    .await;
    assert_eq!(statut, StatusCode::SEE_OTHER);
    assert!(lieu.starts_with("/services?fait=publie"));
    let p = demo().plateforme().await;
    let mut tx = p.base.lire().await.unwrap();
    let public = store::annuaire::service_publie(&mut tx, ServiceId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(public.etat, EtatPublication::Publie);
    assert_eq!(public.nom, "Les Petits Pas de Grenette");
}

async fn chacun_n_agit_que_sur_ce_qui_le_concerne() {
    let r = routeur().await;
    let p = demo().plateforme().await;
    let agent = p
        .utilisateur_par_email("agent.38@demo.parentalite.fr")
        .await
        .unwrap()
        .unwrap()
        .1;
    let en_attente = p.services_a_moderer(&agent).await.unwrap();
    let id = en_attente.first().expect("un service à modérer").valeur.id;
    let proprietaire = en_attente[0].valeur.gestionnaire;

    // Another structure of Isère neither reads nor acts on it.
    let mut autre = None;
    for i in 1..=10 {
        let email = format!("gestionnaire.38.{i}@demo.parentalite.fr");
        let a = p.utilisateur_par_email(&email).await.unwrap().unwrap().1;
        if !a.gestionnaires.contains(&proprietaire) {
            autre = Some(email);
            break;
        }
    }
    let autre = connecter(&r, &autre.unwrap()).await;
    let (statut, _, _) = get(&r, &format!("/services/{id}"), &autre.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _, _) = get(&r, &format!("/services/{id}/modification"), &autre.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _, _) = envoyer(&r, &format!("/services/{id}/retrait"), &autre, "").await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    // Nor does it decide.
    let (statut, _, _) = envoyer(
        &r,
        &format!("/services/{id}/decision"),
        &autre,
        "decision=publier",
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);

    // The Caf of Gironde neither reads nor moderates a service of Isère.
    let gironde = connecter(&r, "agent.33@demo.parentalite.fr").await;
    let (statut, _, _) = get(&r, &format!("/services/{id}"), &gironde.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (statut, _, _) = envoyer(
        &r,
        &format!("/services/{id}/decision"),
        &gironde,
        "decision=publier",
    )
    .await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let (_, _, page) = get(&r, "/services", &gironde.cookie).await;
    assert!(!page.contains(&format!("href=\"/services/{id}\"")));

    // A funder has no services page; the Caf writes no service.
    let financeur = connecter(&r, "financeur.38@demo.parentalite.fr").await;
    let (statut, _, _) = get(&r, "/services", &financeur.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);
    let caf = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let (statut, _, _) = get(&r, "/services/nouveau", &caf.cookie).await;
    assert_eq!(statut, StatusCode::FORBIDDEN);

    // A decision without the form's token is refused.
    let (statut, _, _) = corps(
        &r,
        Request::post(format!("/services/{id}/decision"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &caf.cookie)
            .body(Body::from("decision=publier"))
            .unwrap(),
    )
    .await;
    assert!(statut.is_client_error(), "{statut}");
    let (statut, _) = post(
        &r,
        &format!("/services/{id}/decision"),
        &caf,
        "decision=autre",
    )
    .await;
    assert!(statut.is_client_error(), "{statut}");
    // Still waiting.
    assert_eq!(
        p.service(&agent, id).await.unwrap().valeur.etat,
        EtatPublication::AModerer
    );
}

async fn le_service_aip_propose_depuis_une_convention_est_prerempli() {
    let r = routeur().await;
    let p = demo().plateforme().await;
    let mut trouve = None;
    for d in domain::experimentation::DEPARTEMENTS {
        for i in 1..=10 {
            let email = format!("gestionnaire.{d}.{i}@demo.parentalite.fr");
            let Some((_, a)) = p.utilisateur_par_email(&email).await.unwrap() else {
                continue;
            };
            if let Some(prop) = p.propositions_aip(&a).await.unwrap().into_iter().next() {
                trouve = Some((email, prop));
                break;
            }
        }
        if trouve.is_some() {
            break;
        }
    }
    let (email, prop) = trouve.expect("une proposition AIP dans la démonstration");
    let g = connecter(&r, &email).await;
    let (statut, _, page) = get(&r, "/services", &g.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("Services AIP proposés depuis vos conventions"));
    let chemin = format!(
        "/services/nouveau?convention={}&lieu={}",
        prop.convention.id, prop.lieu.id
    );
    let (statut, _, page) = get(&r, &chemin, &g.cookie).await;
    assert_eq!(statut, StatusCode::OK);
    assert!(page.contains("<option value=\"aip\" selected"), "{page}");
    assert!(page.contains(&format!(
        "name=\"convention\" value=\"{}\"",
        prop.convention.id
    )));
    assert!(page.contains(&format!("value=\"{}\"", prop.lieu.adresse.voie)));
    // Another structure's convention is not proposed to it.
    let (statut, _, _) = get(
        &r,
        &format!(
            "/services/nouveau?convention={}&lieu={}",
            prop.convention.id.0 + 1000,
            prop.lieu.id
        ),
        &g.cookie,
    )
    .await;
    assert_eq!(statut, StatusCode::NOT_FOUND);
}
