//! The public directory of the services for parents, without an account: the search by commune
//! or postcode (`/annuaire`), the page of each service (`/annuaire/services/{id}`), the commune
//! suggestions of the search field (`/annuaire/communes?q=`), and what search engines read
//! (`/sitemap.xml`, `/robots.txt`). The rules of the search are in `docs/annuaire-recherche.md`.

mod carte;
pub mod fiche;
pub mod recherche;

use std::fmt::Write as _;
use std::sync::OnceLock;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use domain::territoire::suggestions::{IndexCommunes, libelle_commune};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::pages::coordination::adresse_publique;

/// The most suggestions the endpoint gives.
const SUGGESTIONS_MAX: usize = 20;

/// The communes compiled in, with their names prepared for the suggestions, built once.
pub(crate) fn index_communes() -> Option<&'static IndexCommunes<'static>> {
    static INDEX: OnceLock<Option<IndexCommunes<'static>>> = OnceLock::new();
    INDEX
        .get_or_init(|| crate::pages::filtres_dossiers::communes().map(IndexCommunes::new))
        .as_ref()
}

/// The query of the suggestions.
#[derive(Debug, Deserialize)]
pub struct RequeteCommunes {
    #[serde(default)]
    q: String,
    limite: Option<usize>,
}

/// One suggested commune.
#[derive(Debug, Serialize)]
pub struct CommuneSuggeree {
    /// INSEE code.
    code: String,
    nom: String,
    departement: String,
    departement_nom: String,
    codes_postaux: Vec<String>,
    /// What to write in the search field to search from this commune.
    libelle: String,
}

/// `GET /annuaire/communes?q=…&limite=…`: the communes whose name, postcode or INSEE code starts
/// with `q` (names: whatever the accents, capitals, hyphens and apostrophes), best first, at most
/// `limite` (10 by default, 20 at most), as JSON.
pub async fn communes(Query(requete): Query<RequeteCommunes>) -> Response {
    let limite = requete.limite.unwrap_or(10).clamp(1, SUGGESTIONS_MAX);
    let trouvees: Vec<CommuneSuggeree> = index_communes()
        .map(|index| index.suggerer(&requete.q, limite))
        .unwrap_or_default()
        .into_iter()
        .map(|c| CommuneSuggeree {
            code: c.code.as_str().to_owned(),
            nom: c.nom.clone(),
            departement: c.departement.as_str().to_owned(),
            departement_nom: domain::territoire::departement(c.departement)
                .map_or_else(String::new, |d| d.nom.clone()),
            codes_postaux: c.codes_postaux.clone(),
            libelle: libelle_commune(c),
        })
        .collect();
    (
        [(header::CACHE_CONTROL, "public, max-age=86400")],
        Json(trouvees),
    )
        .into_response()
}

/// The script of the commune field (see `static/annuaire.js`).
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../static/annuaire.js"),
    )
        .into_response()
}

/// `GET /robots.txt`: every public page may be indexed, the sitemap says which; the spaces of the
/// signed-in users are of no use to a search engine.
pub async fn robots(State(etat): State<Etat>, entetes: HeaderMap) -> Response {
    let racine = adresse_publique(&etat, &entetes);
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "User-agent: *\n\
             Allow: /$\n\
             Allow: /annuaire\n\
             Allow: /territoires\n\
             Allow: /donnees-ouvertes\n\
             Disallow: /annuaire/communes\n\
             Disallow: /\n\
             Sitemap: {racine}/sitemap.xml\n"
        ),
    )
        .into_response()
}

/// `GET /sitemap.xml`: the public pages with a stable address: the home page, the directory's
/// search, the fiches territoires and every published service's page with the date of its last
/// update.
pub async fn plan_du_site_xml(
    State(etat): State<Etat>,
    entetes: HeaderMap,
) -> Result<Response, ErreurWeb> {
    let racine = adresse_publique(&etat, &entetes);
    let services = etat.plateforme.services_publics().await?;
    let mut xml = String::with_capacity(200 + services.len() * 120);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for chemin in ["/", "/annuaire"] {
        let _ = writeln!(xml, "  <url><loc>{racine}{chemin}</loc></url>");
    }
    for chemin in crate::pages::territoires::adresses_plan_du_site(&etat).await? {
        let _ = writeln!(xml, "  <url><loc>{racine}{chemin}</loc></url>");
    }
    for s in &services {
        let _ = writeln!(
            xml,
            "  <url><loc>{racine}/annuaire/services/{}</loc><lastmod>{}</lastmod></url>",
            s.id.0,
            s.mis_a_jour_le.date()
        );
    }
    xml.push_str("</urlset>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

/// The commune field, with its label and help. Without JavaScript it is a text field; the script
/// makes it a combobox with suggestions.
pub(crate) fn champ_commune(valeur: &str, erreur: Option<&str>) -> Markup {
    html! {
        div.champ.champ-commune.en-erreur[erreur.is_some()] {
            label for="commune" { "Commune ou code postal" }
            p.aide #commune-aide { "Par exemple : Grenoble, 38100 ou Saint-Martin-d’Hères" }
            @if let Some(message) = erreur {
                p.message-erreur #commune-erreur { (message) }
            }
            input #commune type="text" name="commune" value=(valeur) required
                autocomplete="address-level2" spellcheck="false"
                aria-describedby=(if erreur.is_some() { "commune-aide commune-erreur" } else { "commune-aide" })
                aria-invalid=[erreur.map(|_| "true")]
                data-suggestions-communes="/annuaire/communes";
        }
    }
}

/// The short search form of the home page: a commune, the default radius.
pub fn formulaire_accueil() -> Markup {
    html! {
        form.recherche-annuaire role="search" aria-labelledby="titre-recherche" method="get" action="/annuaire" {
            h2 #titre-recherche { "Trouver un service" }
            (champ_commune("", None))
            button type="submit" { "Rechercher à moins de 10 km" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn le_champ_demande_le_script() {
        let champ = champ_commune("Grenoble", None).into_string();
        assert!(champ.contains("data-suggestions-communes"));
        assert!(champ.contains("value=\"Grenoble\""));
        let en_erreur = champ_commune("x", Some("Commune inconnue")).into_string();
        assert!(en_erreur.contains("aria-invalid=\"true\""));
    }
}
