//! The user's profile: identity, role, territory, and personal API tokens (created here, shown
//! once, only their hash kept).

use axum::Form;
use axum::extract::State;
use axum::response::Html;
use serde::Deserialize;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::rendu::{self, champ, csrf, e};
use crate::session::{self, Connecte};

fn rendre(c: &Connecte, jeton: Option<&str>) -> String {
    let nouveau = jeton.map_or(String::new(), |j| {
        format!(
            "<div class=\"encadre succes\" role=\"status\"><p>Votre jeton d'accès (copiez-le maintenant, il ne sera plus affiché):</p><p><code>{}</code></p></div>",
            e(j)
        )
    });
    rendu::page(
        "Profil",
        Some(c),
        "/profil",
        &format!(
            "<h1>Profil</h1><dl class=\"fiche\"><dt>Nom</dt><dd>{}</dd><dt>Adresse électronique</dt><dd>{}</dd><dt>Rôle</dt><dd>{}</dd></dl>\
             <h2>Accès à l'API</h2><p>Un jeton personnel donne accès à l'API (<code>/api/v1</code>) avec vos droits. \
             Décrite dans <a href=\"/api/openapi.json\">le document OpenAPI</a>.</p>{nouveau}\
             <form method=\"post\" action=\"/profil/jetons\">{}{}<button type=\"submit\">Créer un jeton</button></form>",
            e(&c.utilisateur.nom),
            e(c.utilisateur.email.as_str()),
            e(c.acteur.role.libelle()),
            csrf(c),
            champ(
                "libelle",
                "Nom du jeton",
                "Pour le reconnaître, par exemple « logiciel comptable »",
                "",
                None,
                "text",
                " required"
            ),
        ),
    )
}

pub async fn page(c: Connecte) -> Html<String> {
    Html(rendre(&c, None))
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
) -> Result<Html<String>, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let libelle = f.libelle.unwrap_or_default();
    let libelle = if libelle.trim().is_empty() {
        "jeton".to_owned()
    } else {
        libelle.trim().to_owned()
    };
    let jeton = session::creer_jeton(&etat.plateforme, c.utilisateur.id.0, &libelle).await?;
    Ok(Html(rendre(&c, Some(&jeton))))
}
