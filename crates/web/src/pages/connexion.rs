//! Logging in and out. The answer to a wrong password and to an unknown e-mail is the same, and
//! takes the same time; after five failures in fifteen minutes, the e-mail is locked for the rest
//! of that window.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::erreur::ErreurWeb;
use crate::rendu::{champ, e, page};
use crate::{Etat, session};

#[derive(Debug, Deserialize, Default)]
pub struct Retour {
    retour: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Identifiants {
    email: String,
    mot_de_passe: String,
    retour: Option<String>,
}

fn formulaire_html(email: &str, erreur: Option<&str>, retour: &str) -> String {
    let resume = match erreur {
        Some(m) => format!(
            "<div class=\"encadre erreur\" role=\"alert\" tabindex=\"-1\"><p>{}</p></div>",
            e(m)
        ),
        None => String::new(),
    };
    page(
        "Connexion",
        None,
        "",
        &format!(
            "<h1>Se connecter</h1>{resume}\
             <form method=\"post\" action=\"/connexion\" novalidate>\
             <input type=\"hidden\" name=\"retour\" value=\"{}\">\
             {}{}\
             <button type=\"submit\">Se connecter</button></form>\
             <p class=\"aide\">Vous n'avez pas de compte? Votre Caf vous en ouvre un.</p>",
            e(retour),
            champ(
                "email",
                "Adresse électronique",
                "Format attendu: nom@domaine.fr",
                email,
                None,
                "email",
                " autocomplete=\"username\" required"
            ),
            champ(
                "mot_de_passe",
                "Mot de passe",
                "",
                "",
                None,
                "password",
                " autocomplete=\"current-password\" required"
            ),
        ),
    )
}

fn retour_sur(retour: Option<&str>) -> String {
    match retour {
        Some(r) if r.starts_with('/') && !r.starts_with("//") => r.to_owned(),
        _ => "/".to_owned(),
    }
}

pub async fn formulaire(Query(q): Query<Retour>) -> Html<String> {
    Html(formulaire_html("", None, &retour_sur(q.retour.as_deref())))
}

pub async fn connecter(
    State(etat): State<Etat>,
    Form(f): Form<Identifiants>,
) -> Result<Response, ErreurWeb> {
    let p = &etat.plateforme;
    let email = f.email.trim().to_lowercase();
    let retour = retour_sur(f.retour.as_deref());
    let compte = session::compte(p, &email).await?;
    let verrou = session::verrouillage(p, &email).await?;
    // The hash is checked in every case, even locked or unknown, so the answer takes the same time.
    let hache = compte.as_ref().and_then(|(_, h)| h.clone());
    let mot_de_passe = f.mot_de_passe.clone();
    let bon = tokio::task::spawn_blocking(move || {
        app::mot_de_passe::verifier(&mot_de_passe, hache.as_deref())
    })
    .await
    .unwrap_or(false);
    if let Some(minutes) = verrou {
        return Ok(Html(formulaire_html(
            &email,
            Some(&format!(
                "Trop de tentatives de connexion pour cette adresse: réessayez dans {minutes} minute(s)."
            )),
            &retour,
        ))
        .into_response());
    }
    match (compte, bon) {
        (Some((id, _)), true) => {
            session::effacer_echecs(p, &email).await?;
            let jeton = session::ouvrir(p, id).await?;
            Ok((
                [(
                    header::SET_COOKIE,
                    session::entete_cookie(Some(&jeton), etat.cookie_securise),
                )],
                Redirect::to(&retour),
            )
                .into_response())
        }
        _ => {
            session::noter_echec(p, &email).await?;
            Ok((
                axum::http::StatusCode::UNAUTHORIZED,
                Html(formulaire_html(
                    &email,
                    Some("Adresse électronique ou mot de passe incorrect."),
                    &retour,
                )),
            )
                .into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct FormulaireCsrf {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

pub async fn deconnecter(
    State(etat): State<Etat>,
    entetes: HeaderMap,
    Form(f): Form<FormulaireCsrf>,
) -> Result<Response, ErreurWeb> {
    if let Some(c) = session::session(&etat, &entetes).await? {
        c.verifier_csrf(f.csrf.as_deref())?;
        session::fermer(&etat.plateforme, &entetes).await?;
    }
    Ok((
        [(
            header::SET_COOKIE,
            session::entete_cookie(None, etat.cookie_securise),
        )],
        Redirect::to("/connexion"),
    )
        .into_response())
}
