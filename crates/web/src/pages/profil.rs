//! The user's profile: identity, role, territory, and personal API tokens (created here, shown
//! once, only their hash kept).

use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Erreurs};
use crate::rendu::{self, csrf, e};
use crate::session::{self, Connecte};

/// The longest name of a token.
const LIBELLE_MAX: usize = 80;

fn rendre(c: &Connecte, jeton: Option<&str>, libelle: &str, x: &Erreurs) -> String {
    let nouveau = jeton.map_or(String::new(), |j| {
        format!(
            "<div class=\"encadre succes\" role=\"status\"><p>Votre jeton d'accès (copiez-le maintenant, il ne sera plus affiché):</p><p><code>{}</code></p></div>",
            e(j)
        )
    });
    rendu::page(
        &x.titre("Profil"),
        Some(c),
        "/profil",
        &format!(
            "<h1>Profil</h1>{}<dl class=\"fiche\"><dt>Nom</dt><dd>{}</dd><dt>Adresse électronique</dt><dd>{}</dd><dt>Rôle</dt><dd>{}</dd></dl>\
             <h2>Accès à l'API</h2><p>Un jeton personnel donne accès à l'API (<code>/api/v1</code>) avec vos droits. \
             Décrite dans <a href=\"/api/openapi.json\">le document OpenAPI</a>.</p>{nouveau}\
             <form method=\"post\" action=\"/profil/jetons\" novalidate>{}{}<button type=\"submit\">Créer un jeton</button></form>",
            x.resume(),
            e(&c.utilisateur.nom),
            e(c.utilisateur.email.as_str()),
            e(c.acteur.role.libelle()),
            csrf(c),
            Champ::new("libelle", "Nom du jeton")
                .aide(
                    "Pour le reconnaître, par exemple « logiciel comptable »; 80 caractères au plus"
                )
                .erreurs(x)
                .extra(" maxlength=\"80\"")
                .texte(libelle),
        ),
    )
}

pub async fn page(c: Connecte) -> Html<String> {
    Html(rendre(&c, None, "", &Erreurs::default()))
}

#[derive(Debug, Deserialize)]
pub struct NouveauJeton {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    libelle: Option<String>,
}

pub async fn creer_jeton(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<NouveauJeton>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let saisi = f.libelle.unwrap_or_default();
    let libelle = if saisi.trim().is_empty() {
        "jeton".to_owned()
    } else {
        saisi.trim().to_owned()
    };
    if libelle.chars().count() > LIBELLE_MAX {
        let x = Erreurs::une(
            "libelle",
            format!(
                "Nom du jeton : {LIBELLE_MAX} caractères au plus (saisis : {})",
                libelle.chars().count()
            ),
        );
        return Ok((x.statut(), Html(rendre(&c, None, &saisi, &x))).into_response());
    }
    let jeton = session::creer_jeton(&etat.plateforme, c.utilisateur.id.0, &libelle).await?;
    Ok(Html(rendre(&c, Some(&jeton), "", &Erreurs::default())).into_response())
}
