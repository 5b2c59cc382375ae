//! Open data, public and without an account: the page that describes the data and its licence
//! (`/donnees-ouvertes`), the files (`/donnees-ouvertes/structures.json|.csv`,
//! `/donnees-ouvertes/services.json|.csv`) and the paginated API
//! (`/api/donnees-ouvertes/v1/structures`, `/api/donnees-ouvertes/v1/services`), all in the
//! data·inclusion schema v1 (see `docs/donnees-ouvertes.md`).

mod api;
mod page;

pub use api::{api_services, api_structures, chemins_openapi, schema_page};
pub use page::description;

use app::ContenuOuvert;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::donnees_ouvertes::tableau;

use crate::Etat;
use crate::erreur::ErreurWeb;

/// The public address the records link to: `PARENTALITE_ADRESSE_PUBLIQUE` when set (the
/// address people use, behind a proxy), else the address this request reached.
pub(crate) fn adresse_publique(etat: &Etat, entetes: &HeaderMap) -> String {
    std::env::var("PARENTALITE_ADRESSE_PUBLIQUE")
        .ok()
        .map(|a| a.trim().trim_end_matches('/').to_owned())
        .filter(|a| a.starts_with("https://") || a.starts_with("http://"))
        .unwrap_or_else(|| crate::pages::coordination::adresse_publique(etat, entetes))
}

/// The files are rebuilt at each request; caches may keep them five minutes.
const CACHE: &str = "public, max-age=300";

fn json<T: serde::Serialize>(elements: &[T]) -> Result<Response, ErreurWeb> {
    let corps = serde_json::to_vec(elements).map_err(|e| ErreurWeb::Interne(e.to_string()))?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, CACHE),
        ],
        corps,
    )
        .into_response())
}

fn csv(nom: &str, corps: Result<Vec<u8>, String>) -> Result<Response, ErreurWeb> {
    let corps = corps.map_err(ErreurWeb::Interne)?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CACHE_CONTROL, CACHE.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{nom}\""),
            ),
        ],
        corps,
    )
        .into_response())
}

async fn contenu(etat: &Etat, entetes: &HeaderMap) -> Result<ContenuOuvert, ErreurWeb> {
    Ok(etat
        .plateforme
        .contenu_ouvert(&adresse_publique(etat, entetes))
        .await?)
}

/// `GET /donnees-ouvertes/structures.json`.
pub async fn structures_json(
    State(etat): State<Etat>,
    entetes: HeaderMap,
) -> Result<Response, ErreurWeb> {
    json(&contenu(&etat, &entetes).await?.structures)
}

/// `GET /donnees-ouvertes/structures.csv`.
pub async fn structures_csv(
    State(etat): State<Etat>,
    entetes: HeaderMap,
) -> Result<Response, ErreurWeb> {
    let c = contenu(&etat, &entetes).await?;
    csv("structures.csv", tableau::structures_csv(&c.structures))
}

/// `GET /donnees-ouvertes/services.json`.
pub async fn services_json(
    State(etat): State<Etat>,
    entetes: HeaderMap,
) -> Result<Response, ErreurWeb> {
    json(&contenu(&etat, &entetes).await?.services)
}

/// `GET /donnees-ouvertes/services.csv`.
pub async fn services_csv(
    State(etat): State<Etat>,
    entetes: HeaderMap,
) -> Result<Response, ErreurWeb> {
    let c = contenu(&etat, &entetes).await?;
    csv("services.csv", tableau::services_csv(&c.services))
}
