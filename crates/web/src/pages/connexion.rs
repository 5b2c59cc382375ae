//! Logging in and out. The answer to a wrong password and to an unknown e-mail is the same, and
//! takes the same time; after five failures in fifteen minutes on an e-mail from one client
//! address, that e-mail is locked for that address for the rest of the window (its owner,
//! elsewhere, still logs in), one address failing on many e-mails is locked out, and many
//! addresses failing on one e-mail lock it for a few minutes only (see [`crate::session`]). The login form carries a CSRF token before any session exists (double submit:
//! the same random value in a short-lived cookie and in the form, compared on submission), so that
//! another site cannot log a visitor into an account of its choosing.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::{HeaderMap, header};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Erreurs};
use crate::vue;
use crate::{Etat, session};

#[derive(Debug, Deserialize, Default)]
pub struct Retour {
    retour: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Identifiants {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    email: String,
    #[serde(default)]
    mot_de_passe: String,
    retour: Option<String>,
}

/// The cookie holding the login form's token, sent back to `/connexion` only.
pub const COOKIE_CONNEXION: &str = "parentalite_connexion";

/// The `Set-Cookie` value of the login form's token (or its removal with `None`).
fn entete_jeton(jeton: Option<&str>, securise: bool) -> String {
    let secure = if securise { "; Secure" } else { "" };
    match jeton {
        Some(j) => format!(
            "{COOKIE_CONNEXION}={j}; HttpOnly; SameSite=Strict; Path=/connexion; Max-Age=3600{secure}"
        ),
        None => format!(
            "{COOKIE_CONNEXION}=; HttpOnly; SameSite=Strict; Path=/connexion; Max-Age=0{secure}"
        ),
    }
}

fn formulaire_html(
    email: &str,
    x: &Erreurs,
    retour: &str,
    jeton: &str,
    avec_proconnect: bool,
) -> Markup {
    vue::page(
        &x.titre("Connexion"),
        None,
        "",
        html! {
            h1 { "Se connecter" }
            (x.resume())
            @if avec_proconnect {
                (session::proconnect::bouton(retour))
                h2 { "Partenaires, membres des instances : adresse électronique et mot de passe" }
            }
            form method="post" action="/connexion" novalidate {
                input type="hidden" name="_csrf" value=(jeton);
                input type="hidden" name="retour" value=(retour);
                (Champ::new("email", "Adresse électronique")
                    .aide("Format attendu: nom@domaine.fr")
                    .erreurs(x)
                    .autocomplete("username")
                    .requis()
                    .saisie("email", email))
                (Champ::new("mot_de_passe", "Mot de passe")
                    .erreurs(x)
                    .autocomplete("current-password")
                    .requis()
                    .saisie("password", ""))
                button type="submit" { "Se connecter" }
            }
            p.aide { "Vous n'avez pas de compte? Votre Caf vous en ouvre un." }
        },
    )
}

/// The login page with a fresh token in the form and in its cookie.
fn repondre(
    statut: StatusCode,
    email: &str,
    x: &Erreurs,
    retour: &str,
    securise: bool,
    avec_proconnect: bool,
) -> Response {
    let jeton = session::secret();
    (
        statut,
        [(header::SET_COOKIE, entete_jeton(Some(&jeton), securise))],
        Html(formulaire_html(email, x, retour, &jeton, avec_proconnect).into_string()),
    )
        .into_response()
}

/// Where to go once logged in: a path of this site only (see [`crate::redirection`]).
fn retour_sur(retour: Option<&str>) -> String {
    crate::redirection::chemin_ou_accueil(retour)
}

pub async fn formulaire(
    State(etat): State<Etat>,
    proconnect: session::proconnect::FournisseurProConnect,
    Query(q): Query<Retour>,
) -> Response {
    repondre(
        StatusCode::OK,
        "",
        &Erreurs::default(),
        &retour_sur(q.retour.as_deref()),
        etat.cookie_securise,
        proconnect.is_some(),
    )
}

pub async fn connecter(
    State(etat): State<Etat>,
    session::AdresseClient(adresse): session::AdresseClient,
    proconnect: session::proconnect::FournisseurProConnect,
    entetes: HeaderMap,
    Form(f): Form<Identifiants>,
) -> Result<Response, ErreurWeb> {
    let avec_proconnect = proconnect.is_some();
    // The token first: a form that did not come from our login page is refused outright.
    match (
        session::cookie(&entetes, COOKIE_CONNEXION),
        f.csrf.as_deref(),
    ) {
        (Some(attendu), Some(recu))
            if !attendu.is_empty() && session::constant_eq(attendu.as_bytes(), recu.as_bytes()) => {
        }
        _ => return Err(ErreurWeb::Csrf),
    }
    let p = &etat.plateforme;
    let securise = etat.cookie_securise;
    let email = f.email.trim().to_lowercase();
    let retour = retour_sur(f.retour.as_deref());
    let mut x = Erreurs::default();
    if email.is_empty() {
        x.ajouter(
            "email",
            "Adresse électronique : saisissez celle de votre compte",
        );
    }
    if f.mot_de_passe.is_empty() {
        x.ajouter("mot_de_passe", "Mot de passe : saisissez-le");
    }
    if !x.est_vide() {
        return Ok(repondre(
            x.statut(),
            &f.email,
            &x,
            &retour,
            securise,
            avec_proconnect,
        ));
    }
    let compte = session::compte(p, &email).await?;
    let verrou = session::verrouillage(p, &email, &adresse).await?;
    // The hash is checked in every case, even locked or unknown, so the answer takes the same time.
    let hache = compte.as_ref().and_then(|(_, h)| h.clone());
    let mot_de_passe = f.mot_de_passe.clone();
    let bon = tokio::task::spawn_blocking(move || {
        app::mot_de_passe::verifier(&mot_de_passe, hache.as_deref())
    })
    .await
    .unwrap_or(false);
    if let Some(verrou) = verrou {
        return Ok(repondre(
            StatusCode::OK,
            &email,
            &Erreurs::une("", verrou.message()),
            &retour,
            securise,
            avec_proconnect,
        ));
    }
    match (compte, bon) {
        (Some((id, _)), true) => {
            session::effacer_echecs(p, &email, &adresse).await?;
            let jeton = session::ouvrir(p, id).await?;
            Ok((
                AppendHeaders([
                    (
                        header::SET_COOKIE,
                        session::entete_cookie(Some(&jeton), securise),
                    ),
                    (header::SET_COOKIE, entete_jeton(None, securise)),
                ]),
                Redirect::to(&retour),
            )
                .into_response())
        }
        _ => {
            session::noter_echec(p, &email, &adresse).await?;
            Ok(repondre(
                StatusCode::UNAUTHORIZED,
                &email,
                &Erreurs::une("", "Adresse électronique ou mot de passe incorrect."),
                &retour,
                securise,
                avec_proconnect,
            ))
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
    proconnect: session::proconnect::FournisseurProConnect,
    entetes: HeaderMap,
    Form(f): Form<FormulaireCsrf>,
) -> Result<Response, ErreurWeb> {
    if let Some(c) = session::session(&etat, &entetes).await? {
        c.verifier_csrf(f.csrf.as_deref())?;
        // A session opened through ProConnect also ends at the provider.
        let fin = session::proconnect::url_fin_de_session(&etat, &proconnect, &entetes).await?;
        session::fermer(&etat.plateforme, &entetes).await?;
        if let Some(url) = fin {
            return Ok(session::proconnect::page_fin_de_session(
                &url,
                etat.cookie_securise,
            ));
        }
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
