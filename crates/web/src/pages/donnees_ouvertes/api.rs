//! The open-data API: the published structures and services in the data·inclusion schema v1,
//! page by page, without an account. The answer is `{"elements": […], "suivant": link or null}`;
//! the order, the cursor and the filter are described in
//! `domain::donnees_ouvertes::pagination`. A parameter that cannot be read is refused with 400
//! and the API's error body, naming it.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::donnees_ouvertes::pagination::{
    DemandePage, Liste, ParametreInvalide, TAILLE_MAX, TAILLE_PAR_DEFAUT,
};
use serde_json::{Value, json};

use super::adresse_publique;
use crate::Etat;
use crate::api_erreur::ErreurApi;

const PARAMETRES: [&str; 3] = ["apres", "depuis", "taille"];

fn refus(parametre: &str, message: String) -> ErreurApi {
    ErreurApi::new(StatusCode::BAD_REQUEST, "parametre_invalide", message).sur(parametre)
}

impl From<ParametreInvalide> for ErreurApi {
    fn from(p: ParametreInvalide) -> Self {
        refus(p.parametre, p.message)
    }
}

/// Reads the query: the three parameters, each at most once, nothing else.
fn demande(
    liste: Liste,
    requete: Option<&str>,
) -> Result<(DemandePage, Option<String>), ErreurApi> {
    let mut valeurs: [Option<String>; 3] = [None, None, None];
    for (nom, valeur) in form_urlencoded::parse(requete.unwrap_or("").as_bytes()) {
        let Some(i) = PARAMETRES.iter().position(|p| *p == nom) else {
            return Err(refus(
                "requete",
                format!(
                    "paramètre inconnu « {} » : seuls apres, depuis et taille sont acceptés",
                    nom.chars().take(40).collect::<String>()
                ),
            ));
        };
        if valeurs[i].replace(valeur.into_owned()).is_some() {
            return Err(refus(
                PARAMETRES[i],
                format!(
                    "{} : un seul paramètre de ce nom est accepté",
                    PARAMETRES[i]
                ),
            ));
        }
    }
    let [apres, depuis, taille] = valeurs;
    let d = DemandePage::lire(
        liste,
        apres.as_deref(),
        depuis.as_deref(),
        taille.as_deref(),
    )?;
    Ok((d, depuis))
}

/// The link of the next page: the same filter and size, after the cursor.
fn lien_suivant(
    adresse: &str,
    chemin: &str,
    curseur: &str,
    depuis: Option<&str>,
    taille: usize,
) -> String {
    let mut requete = form_urlencoded::Serializer::new(String::new());
    requete.append_pair("apres", curseur);
    if let Some(d) = depuis {
        requete.append_pair("depuis", d);
    }
    requete.append_pair("taille", &taille.to_string());
    format!("{adresse}{chemin}?{}", requete.finish())
}

fn reponse<T: serde::Serialize>(
    elements: &[T],
    suivant: Option<String>,
) -> Result<Response, ErreurApi> {
    let elements = serde_json::to_value(elements)
        .map_err(|e| ErreurApi::from(crate::erreur::ErreurWeb::Interne(e.to_string())))?;
    Ok(Json(json!({ "elements": elements, "suivant": suivant })).into_response())
}

/// `GET /api/donnees-ouvertes/v1/structures`.
pub async fn api_structures(
    State(etat): State<Etat>,
    entetes: HeaderMap,
    RawQuery(requete): RawQuery,
) -> Result<Response, ErreurApi> {
    let (d, depuis) = demande(Liste::Structures, requete.as_deref())?;
    let adresse = adresse_publique(&etat, &entetes);
    let page = etat
        .plateforme
        .page_structures_ouvertes(&adresse, &d)
        .await?;
    let suivant = page.suivant.map(|c| {
        lien_suivant(
            &adresse,
            "/api/donnees-ouvertes/v1/structures",
            &c.encoder(),
            depuis.as_deref(),
            d.taille,
        )
    });
    reponse(&page.elements, suivant)
}

/// `GET /api/donnees-ouvertes/v1/services`.
pub async fn api_services(
    State(etat): State<Etat>,
    entetes: HeaderMap,
    RawQuery(requete): RawQuery,
) -> Result<Response, ErreurApi> {
    let (d, depuis) = demande(Liste::Services, requete.as_deref())?;
    let adresse = adresse_publique(&etat, &entetes);
    let page = etat.plateforme.page_services_ouverts(&adresse, &d).await?;
    let suivant = page.suivant.map(|c| {
        lien_suivant(
            &adresse,
            "/api/donnees-ouvertes/v1/services",
            &c.encoder(),
            depuis.as_deref(),
            d.taille,
        )
    });
    reponse(&page.elements, suivant)
}

/// The paths of the open data in the OpenAPI document: public (no token), 200 or 400.
pub fn chemins_openapi() -> Value {
    let erreur = json!({ "description": "Paramètre illisible : le champ nomme le paramètre en cause",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Erreur" } } } });
    let parametres = json!([
        { "name": "apres", "in": "query", "required": false,
          "description": "Curseur opaque : reprendre le lien « suivant » de la réponse précédente",
          "schema": { "type": "string", "pattern": "^[0-9a-fA-F]{10,200}$" } },
        { "name": "depuis", "in": "query", "required": false,
          "description": "Ne garder que les enregistrements mis à jour à partir de cette date (AAAA-MM-JJ, à 0 h UTC) ou de cet instant (RFC 3339)",
          "schema": { "type": "string",
                      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$",
                      "example": "2026-11-30" } },
        { "name": "taille", "in": "query", "required": false,
          "description": format!("Enregistrements par page ({TAILLE_PAR_DEFAUT} par défaut)"),
          "schema": { "type": "integer", "minimum": 1, "maximum": TAILLE_MAX } }
    ]);
    let page = |resume: &str, description: &str| {
        json!({ "get": {
            "summary": resume,
            "description": description,
            "tags": ["Données ouvertes"],
            "security": [],
            "parameters": parametres.clone(),
            "responses": {
                "200": { "description": "Une page, dans l'ordre des identifiants",
                         "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PageDonneesOuvertes" } } } },
                "400": erreur.clone()
            }
        } })
    };
    json!({
        "/api/donnees-ouvertes/v1/structures": page(
            "Structures publiant au moins un service (schéma data·inclusion v1)",
            "Public, sans jeton. Chaque page suit la précédente par son lien « suivant » ; chaque structure y figure une fois."),
        "/api/donnees-ouvertes/v1/services": page(
            "Services publiés de l'annuaire (schéma data·inclusion v1)",
            "Public, sans jeton. Chaque page suit la précédente par son lien « suivant » ; chaque service y figure une fois.")
    })
}

/// The schema of a page, for the OpenAPI document's components.
pub fn schema_page() -> Value {
    json!({ "type": "object", "required": ["elements", "suivant"], "properties": {
        "elements": { "type": "array", "items": { "type": "object" },
                      "description": "Les enregistrements, au schéma data·inclusion v1" },
        "suivant": { "type": "string", "nullable": true,
                     "description": "Le lien de la page suivante, nul à la dernière page" }
    } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_parametre_inconnu_ou_double_est_refuse() {
        let e = demande(Liste::Services, Some("page=2")).err();
        assert_eq!(e.map(|e| e.champ), Some(Some("requete".to_owned())));
        let e = demande(Liste::Services, Some("taille=2&taille=3")).err();
        assert_eq!(e.map(|e| e.champ), Some(Some("taille".to_owned())));
        let ok = demande(Liste::Services, Some("taille=2&depuis=2026-11-30"));
        assert!(ok.is_ok());
    }
}
