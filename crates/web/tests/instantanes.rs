//! Snapshots of what programs and assistive technologies rely on, compared with the files of
//! `tests/snapshots/` (insta): the API's description (its paths and operations), the API's
//! computation of a subsidy with its trace, and a refused form's error summary and fields as a
//! screen reader meets them. Redactions keep out what changes with each release or each run (the
//! version, the session's CSRF token). A change of any of them is a change of contract: review it
//! with `cargo insta review` and commit the new snapshot.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod aide;

use app::demo::OptionsDemo;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use scraper::{Html, Selector};
use web::Etat;

use aide::{connecter, corps, demonstration};

async fn routeur() -> (axum::Router, app::demo::ResumeDemo) {
    let (plateforme, resume) = demonstration(
        "instantanes",
        OptionsDemo {
            gestionnaires_par_caf: 2,
            ..OptionsDemo::default()
        },
    )
    .await;
    let r = web::routeur(Etat {
        plateforme,
        cookie_securise: false,
    });
    (r, resume)
}

fn mot_de_passe(resume: &app::demo::ResumeDemo, email: &str) -> String {
    resume
        .comptes
        .iter()
        .find(|c| c.email == email)
        .map(|c| c.mot_de_passe.clone())
        .unwrap()
}

/// The CSRF token of the session's pages.
async fn csrf(r: &axum::Router, cookie: &str) -> String {
    let (_, _, page) = corps(
        r,
        Request::get("/profil")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    page.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn le_contrat_de_l_api_et_d_un_formulaire_refuse() {
    let (r, resume) = routeur().await;

    // The API's description: every path with its operations, the version redacted.
    let (statut, _, texte) = corps(
        &r,
        Request::get("/api/openapi.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(statut, StatusCode::OK);
    let openapi: serde_json::Value = serde_json::from_str(&texte).unwrap();
    let operations: serde_json::Value = openapi["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(chemin, ops)| {
            (
                chemin.clone(),
                serde_json::Value::Array(
                    ops.as_object()
                        .unwrap()
                        .keys()
                        .map(|k| serde_json::Value::String(k.clone()))
                        .collect(),
                ),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into();
    let resume_api = serde_json::json!({
        "info": openapi["info"],
        "operations": operations,
    });
    insta::assert_json_snapshot!("api_description", resume_api, {
        ".info.version" => "[version]",
    });

    // The computation of a subsidy through the API, with its trace.
    let email = "agent.38@demo.parentalite.fr";
    let cookie = connecter(&r, email, &mot_de_passe(&resume, email)).await;
    let jeton = csrf(&r, &cookie).await;
    let (statut, _, page) = corps(
        &r,
        Request::post("/profil/jetons")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!(
                "_csrf={jeton}&libelle=instantanes&duree=30"
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(statut, StatusCode::OK, "{page}");
    let secret = format!(
        "prt_{}",
        page.split("<code>prt_")
            .nth(1)
            .and_then(|s| s.split("</code>").next())
            .unwrap()
    );
    let (statut, _, texte) = corps(
        &r,
        Request::post("/api/v1/calculs/aip")
            .header(header::AUTHORIZATION, format!("Bearer {secret}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                r#"{"dispositif":"aip","exercice":2024,"etp_declares":"1","etp_notifies":"1","mois_fonctionnement":8,"depenses_fonctionnement":"40000"}"#,
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(statut, StatusCode::OK, "{texte}");
    let calcul: serde_json::Value = serde_json::from_str(&texte).unwrap();
    insta::assert_json_snapshot!("api_calcul_aip", calcul);

    // A refused form as a screen reader meets it: the summary, then each field with its label,
    // its message and what was typed. The session's token is redacted.
    let (statut, _, page) = corps(
        &r,
        Request::post("/calcul")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!(
                "_csrf={jeton}&exercice=2024&declaration=previsionnelle&etp_declares=beaucoup&etp_notifies=1&mois_fonctionnement=13&depenses_fonctionnement=cher"
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(statut, StatusCode::UNPROCESSABLE_ENTITY);
    let document = Html::parse_document(&page);
    let fragments: Vec<String> = ["#erreurs", ".champ.en-erreur"]
        .iter()
        .flat_map(|css| {
            document
                .select(&Selector::parse(css).unwrap())
                .map(|e| e.html())
                .collect::<Vec<_>>()
        })
        .collect();
    insta::assert_snapshot!(
        "formulaire_refuse",
        fragments.join("\n").replace(&jeton, "[jeton]")
    );
}
