//! What the web tests of whole journeys share: sending a request through the router and reading
//! its answer, logging in through the login form, and a fresh demonstration database on SQLite.

#![allow(dead_code)]

use std::sync::Arc;

use app::Plateforme;
use app::demo::{OptionsDemo, ResumeDemo};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use referentiel::parametres::Parametres;
use store::Base;
use tower::ServiceExt;

/// Sends `req` through the router; returns the status, the headers and the body as text.
pub async fn corps(
    r: &axum::Router,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let rep = r.clone().oneshot(req).await.unwrap();
    let statut = rep.status();
    let entetes = rep.headers().clone();
    let octets = rep.into_body().collect().await.unwrap().to_bytes();
    (
        statut,
        entetes,
        String::from_utf8_lossy(&octets).into_owned(),
    )
}

/// Logs in through the login form and returns the session cookie.
pub async fn connecter(r: &axum::Router, email: &str, mot_de_passe: &str) -> String {
    let (_, entetes, page) =
        corps(r, Request::get("/connexion").body(Body::empty()).unwrap()).await;
    let jeton = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("jeton CSRF de la page de connexion")
        .to_owned();
    let cookie_csrf: Vec<String> = entetes
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect();
    let encoder = |s: &str| -> String { form_urlencoded::byte_serialize(s.as_bytes()).collect() };
    let formulaire = format!(
        "_csrf={}&email={}&mot_de_passe={}",
        encoder(&jeton),
        encoder(email),
        encoder(mot_de_passe)
    );
    let (statut, entetes, _) = corps(
        r,
        Request::post("/connexion")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie_csrf.join("; "))
            .body(Body::from(formulaire))
            .unwrap(),
    )
    .await;
    assert!(statut.is_redirection(), "connexion refusée: {statut}");
    entetes
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ")
}

/// A fresh demonstration on SQLite in a file named after `nom`, built for today.
pub async fn demonstration(nom: &str, options: OptionsDemo) -> (Plateforme, ResumeDemo) {
    let chemin =
        std::env::temp_dir().join(format!("parentalite-{nom}-{}.sqlite", std::process::id()));
    for s in ["", "-wal", "-shm", ".tete-audit"] {
        let _ = std::fs::remove_file(format!("{}{s}", chemin.display()));
    }
    let base = Base::ouvrir(chemin.to_str().unwrap()).await.unwrap();
    let plateforme = Plateforme::new(base, Arc::new(Parametres::embarques().unwrap()));
    let resume = plateforme
        .peupler_demo(options, time::OffsetDateTime::now_utc().date())
        .await
        .unwrap();
    (plateforme, resume)
}

/// A signed-in browser: its session cookie and the CSRF token its forms carry.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// Signs `email` in and reads the CSRF token from its home page.
pub async fn session(r: &axum::Router, email: &str, mot_de_passe: &str) -> Session {
    let cookie = connecter(r, email, mot_de_passe).await;
    let (_, _, accueil) = get(r, "/", &cookie).await;
    let csrf = accueil
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    Session { cookie, csrf }
}

/// `GET chemin` with the session cookie `cookie`: status, headers, body.
pub async fn get(
    r: &axum::Router,
    chemin: &str,
    cookie: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    corps(
        r,
        Request::get(chemin)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// Posts the form `formulaire` (URL-encoded, the CSRF token added) as `s`: status and body.
pub async fn post(
    r: &axum::Router,
    chemin: &str,
    s: &Session,
    formulaire: &str,
) -> (StatusCode, String) {
    let (statut, _, page) = corps(
        r,
        Request::post(chemin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &s.cookie)
            .body(Body::from(format!("_csrf={}&{formulaire}", s.csrf)))
            .unwrap(),
    )
    .await;
    (statut, page)
}
