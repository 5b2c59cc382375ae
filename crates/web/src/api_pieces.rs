//! The supporting documents in the JSON API: the pieces of a record (with every version's name,
//! media type, size, SHA-256, who and when) and the download of one version, under the same
//! access rules as the pages.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identifiants::PieceId;
use domain::pieces::ObjetPiece;
use serde_json::{Value, json};

use crate::Etat;
use crate::api_erreur::ErreurApi;
use crate::session::ConnecteApi;

/// The media types a download may have (those accepted on upload).
const TYPES_MEDIA: [&str; 14] = [
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/gif",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
];

fn parametre(nom: &str, message: impl Into<String>) -> ErreurApi {
    ErreurApi::new(StatusCode::BAD_REQUEST, "parametre_invalide", message).sur(nom)
}

fn chemin(p: Result<Path<(String, String)>, PathRejection>) -> Result<(String, String), ErreurApi> {
    p.map(|Path(v)| v)
        .map_err(|e| parametre("chemin", format!("adresse illisible : {e}")))
}

fn entier(nom: &str, texte: &str) -> Result<i64, ErreurApi> {
    texte.parse::<i64>().map_err(|_| {
        parametre(
            nom,
            format!("{nom} : « {texte} » n'est pas un nombre entier"),
        )
    })
}

/// `GET /api/v1/pieces/{objet}/{id}`: the pieces of a record.
pub async fn pieces(
    State(etat): State<Etat>,
    c: ConnecteApi,
    p: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, ErreurApi> {
    let (code, id) = chemin(p)?;
    let id = entier("id", &id)?;
    let objet = ObjetPiece::depuis(&code, id).ok_or_else(|| {
        parametre(
            "objet",
            format!("objet : « {code} » n'est pas gestionnaire, intervenant, dossier, declaration ni bilan"),
        )
    })?;
    let pieces = etat.plateforme.pieces_de(&c.acteur, objet).await?;
    let elements: Vec<Value> = pieces
        .iter()
        .map(|p| serde_json::to_value(p).unwrap_or(Value::Null))
        .collect();
    Ok(Json(json!({ "total": elements.len(), "elements": elements })).into_response())
}

/// `GET /api/v1/pieces/{id}/versions/{numero}`: the bytes of one version.
pub async fn version(
    State(etat): State<Etat>,
    c: ConnecteApi,
    p: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, ErreurApi> {
    let (id, numero) = chemin(p)?;
    let id = entier("id", &id)?;
    let numero = u32::try_from(entier("numero", &numero)?)
        .map_err(|_| parametre("numero", "numero : hors des numéros de version possibles"))?;
    let t = etat
        .plateforme
        .telecharger_piece(&c.acteur, PieceId(id), Some(numero))
        .await?;
    Ok(crate::pages::pieces::reponse_fichier(&t))
}

/// The paths of this module in the OpenAPI document.
pub fn chemins_openapi() -> Value {
    use crate::api::reponses;
    let binaire: serde_json::Map<String, Value> = TYPES_MEDIA
        .iter()
        .map(|t| {
            (
                (*t).to_owned(),
                json!({ "schema": { "type": "string", "format": "binary" } }),
            )
        })
        .collect();
    let entier = |nom: &str, min: i64, max: i64| {
        json!({ "name": nom, "in": "path", "required": true,
                "schema": { "type": "integer", "format": "int64", "minimum": min, "maximum": max } })
    };
    json!({
        "/api/v1/pieces/{objet}/{id}": { "get": {
            "summary": "Pièces justificatives d'un enregistrement, avec toutes leurs versions (nom, type détecté, taille, SHA-256, auteur, date)",
            "security": [{ "jeton": [] }],
            "parameters": [
                { "name": "objet", "in": "path", "required": true,
                  "schema": { "type": "string", "enum": ["gestionnaire", "intervenant", "dossier", "declaration", "bilan"] } },
                entier("id", i64::MIN, i64::MAX)
            ],
            "responses": reponses(json!({
                "200": { "description": "Les pièces, si vous pouvez lire l'enregistrement",
                         "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Liste" } } } }
            }))
        } },
        "/api/v1/pieces/{id}/versions/{numero}": { "get": {
            "summary": "Télécharger une version d'une pièce justificative (en pièce jointe, du type détecté au dépôt)",
            "security": [{ "jeton": [] }],
            "parameters": [entier("id", i64::MIN, i64::MAX), entier("numero", 0, i64::from(u32::MAX))],
            "responses": reponses(json!({
                "200": { "description": "Le fichier, tel que déposé", "content": binaire }
            }))
        } }
    })
}
