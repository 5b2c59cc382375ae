//! The forms of the login, profile (API tokens) and envelope pages, on both engines: every error
//! of one submission is reported at once, each in the message next to its field (`#<field>-erreur`,
//! the field marked invalid and described by it) and as a link of the summary, with the values
//! typed kept (never a password).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod commun;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use web::Etat;

use commun::{Demo, Page, demo_du_moteur};

fn demo() -> &'static Demo {
    demo_du_moteur("formulaires")
}

async fn routeur() -> axum::Router {
    web::routeur(Etat {
        plateforme: demo().plateforme().await,
        cookie_securise: false,
    })
}

struct Reponse {
    statut: StatusCode,
    entetes: axum::http::HeaderMap,
    corps: String,
}

async fn envoyer(r: &axum::Router, req: Request<Body>) -> Reponse {
    let rep = r.clone().oneshot(req).await.unwrap();
    let statut = rep.status();
    let entetes = rep.headers().clone();
    let octets = rep.into_body().collect().await.unwrap().to_bytes();
    Reponse {
        statut,
        entetes,
        corps: String::from_utf8_lossy(&octets).into_owned(),
    }
}

async fn get(r: &axum::Router, chemin: &str, cookie: &str) -> Reponse {
    envoyer(
        r,
        Request::get(chemin)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post(r: &axum::Router, chemin: &str, cookie: &str, corps: String) -> Reponse {
    envoyer(
        r,
        Request::post(chemin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(corps))
            .unwrap(),
    )
    .await
}

fn encoder(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The cookies an answer sets, as a request sends them back.
fn cookies(rep: &Reponse) -> String {
    rep.entetes
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The CSRF token of the first form of a page.
fn jeton(corps: &str) -> String {
    Page::lire(corps).attribut("input[name=_csrf]", "value")
}

/// Sends the login form with `champs`, as a browser does: its page first.
async fn poster_connexion(r: &axum::Router, champs: &str) -> Reponse {
    let page = envoyer(r, Request::get("/connexion").body(Body::empty()).unwrap()).await;
    let corps = format!("_csrf={}&{champs}", encoder(&jeton(&page.corps)));
    post(r, "/connexion", &cookies(&page), corps).await
}

/// Logs `email` in; returns its session cookie and the CSRF token of its pages.
async fn connecter(r: &axum::Router, email: &str) -> (String, String) {
    let rep = poster_connexion(
        r,
        &format!(
            "email={}&mot_de_passe={}",
            encoder(email),
            encoder(&demo().mots_de_passe[email])
        ),
    )
    .await;
    assert!(rep.statut.is_redirection(), "connexion de {email}");
    let cookie = cookies(&rep)
        .split("; ")
        .find(|c| c.starts_with("parentalite_session="))
        .unwrap()
        .to_owned();
    let profil = get(r, "/profil", &cookie).await;
    (cookie, jeton(&profil.corps))
}

/// Each of `champs` has its message next to it, is marked invalid and described by it, and is
/// linked from the summary, which lists exactly these errors.
fn chaque_champ_a_son_erreur(corps: &str, champs: &[&str]) {
    let page = Page::lire(corps);
    for id in champs {
        let message = page.texte(&format!("#{id}-erreur"));
        assert!(!message.is_empty(), "{id}: pas de message\n{corps}");
        let champ = page.un(&format!("#{id}"));
        assert_eq!(champ.value().attr("aria-invalid"), Some("true"), "{id}");
        assert!(
            champ
                .value()
                .attr("aria-describedby")
                .is_some_and(|d| d.split(' ').any(|x| x == format!("{id}-erreur"))),
            "{id}: {}",
            champ.html()
        );
        assert_eq!(
            commun::texte(page.un(&format!("#erreurs a[href='#{id}']"))),
            message,
            "{id}: le résumé ne reprend pas le message"
        );
    }
    assert_eq!(page.tous("#erreurs li").len(), champs.len(), "{corps}");
    assert_eq!(page.tous("[aria-invalid=true]").len(), champs.len());
    let nombre = match champs.len() {
        1 => "1 erreur".to_owned(),
        n => format!("{n} erreurs"),
    };
    assert!(
        page.texte("#erreurs-titre").ends_with(&nombre),
        "{}",
        page.texte("#erreurs-titre")
    );
}

async fn la_connexion_sans_adresse_ni_mot_de_passe_signale_les_deux() {
    let r = routeur().await;
    let rep = poster_connexion(&r, "email=+&mot_de_passe=").await;
    assert_eq!(rep.statut, StatusCode::UNPROCESSABLE_ENTITY);
    chaque_champ_a_son_erreur(&rep.corps, &["email", "mot_de_passe"]);
    let page = Page::lire(&rep.corps);
    assert_eq!(page.attribut("#email", "value"), " ");
    assert!(page.texte("title").starts_with("Erreur – Connexion"));
    // A password typed is never sent back.
    let rep = poster_connexion(&r, "email=&mot_de_passe=secret").await;
    chaque_champ_a_son_erreur(&rep.corps, &["email"]);
    assert_eq!(
        Page::lire(&rep.corps).attribut("#mot_de_passe", "value"),
        ""
    );
}

async fn un_jeton_refuse_pour_son_nom_et_sa_duree_garde_les_deux_saisies() {
    let r = routeur().await;
    let (cookie, csrf) = connecter(&r, "agent.38@demo.parentalite.fr").await;
    let nom = "n".repeat(81);
    let rep = post(
        &r,
        "/profil/jetons",
        &cookie,
        format!("_csrf={csrf}&libelle={nom}&duree=deux+ans"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::UNPROCESSABLE_ENTITY);
    chaque_champ_a_son_erreur(&rep.corps, &["libelle", "duree"]);
    let page = Page::lire(&rep.corps);
    assert_eq!(page.attribut("#libelle", "value"), nom);
    assert_eq!(page.attribut("#duree", "value"), "deux ans");
    assert!(
        page.texte("#libelle-erreur")
            .contains("80 caractères au plus")
    );
    assert!(page.texte("#duree-erreur").contains("« deux ans »"));
    // No token was created.
    assert!(
        page.tous("code")
            .iter()
            .all(|c| !commun::texte(*c).starts_with("prt_"))
    );
}

async fn une_allocation_refusee_pour_sa_caf_et_son_montant_garde_la_saisie() {
    let r = routeur().await;
    let (cookie, csrf) = connecter(&r, "cnaf@demo.parentalite.fr").await;
    let rep = post(
        &r,
        "/enveloppes",
        &cookie,
        format!("_csrf={csrf}&departement=trente-huit&montant=beaucoup"),
    )
    .await;
    assert_eq!(rep.statut, StatusCode::UNPROCESSABLE_ENTITY);
    chaque_champ_a_son_erreur(&rep.corps, &["departement", "montant"]);
    let page = Page::lire(&rep.corps);
    assert_eq!(page.attribut("#montant", "value"), "beaucoup");
    assert!(page.texte("#departement-erreur").starts_with("Caf :"));
    assert!(page.texte("#montant-erreur").starts_with("Allocation :"));
}

sur_les_deux_moteurs!(
    la_connexion_sans_adresse_ni_mot_de_passe_signale_les_deux,
    un_jeton_refuse_pour_son_nom_et_sa_duree_garde_les_deux_saisies,
    une_allocation_refusee_pour_sa_caf_et_son_montant_garde_la_saisie,
);
