//! The one error body of the JSON API, `{"code": …, "message": …, "champ": …}`: a stable code
//! (the domain's refusal codes, [`domain::Refus::code`], and a few of the API's own), a French
//! sentence to show, and the request field concerned when there is one (`null` otherwise). An
//! import refused line by line adds `lignes`. The extractor [`CorpsJson`] reads a JSON body the
//! same way for every endpoint: `application/json` only (415), UTF-8 only (400), and the field at
//! fault named when the JSON does not fit (422).

use app::ErreurApp;
use axum::Json;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::erreur::ErreurWeb;

/// An error of the API, with its HTTP status.
#[derive(Debug, Clone, Serialize)]
pub struct ErreurApi {
    #[serde(skip)]
    pub statut: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub champ: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lignes: Option<serde_json::Value>,
}

impl ErreurApi {
    pub fn new(statut: StatusCode, code: &'static str, message: impl Into<String>) -> ErreurApi {
        ErreurApi {
            statut,
            code,
            message: message.into(),
            champ: None,
            lignes: None,
        }
    }

    /// The field of the request at fault.
    pub fn sur(mut self, champ: impl Into<String>) -> ErreurApi {
        self.champ = Some(champ.into());
        self
    }

    /// A value of `champ` that breaks a rule (422).
    pub fn champ_invalide(champ: &str, message: impl Into<String>) -> ErreurApi {
        ErreurApi::new(StatusCode::UNPROCESSABLE_ENTITY, "champ_invalide", message).sur(champ)
    }

    /// No token, or one unknown, expired or revoked (401).
    pub fn non_authentifie(message: impl Into<String>) -> ErreurApi {
        ErreurApi::new(StatusCode::UNAUTHORIZED, "non_authentifie", message)
    }
}

impl IntoResponse for ErreurApi {
    fn into_response(self) -> Response {
        (self.statut, Json(&self)).into_response()
    }
}

impl From<ErreurWeb> for ErreurApi {
    fn from(e: ErreurWeb) -> Self {
        let statut = e.statut();
        let code = match &e {
            ErreurWeb::Interdit(_) | ErreurWeb::Csrf => "interdit",
            ErreurWeb::Introuvable => "introuvable",
            ErreurWeb::Refus(_) => "invalide",
            ErreurWeb::Conflit(_) => "conflit",
            ErreurWeb::Interne(_) => "erreur_interne",
        };
        let message = match &e {
            ErreurWeb::Interne(detail) => {
                eprintln!("erreur interne: {detail}");
                "Le service a rencontré une erreur. Réessayez dans un instant.".to_owned()
            }
            autre => autre.to_string(),
        };
        ErreurApi::new(statut, code, message)
    }
}

impl From<ErreurApp> for ErreurApi {
    fn from(e: ErreurApp) -> Self {
        use store::ErreurStore as S;
        let statut_refus = |r: &domain::Refus| {
            if r.est_un_refus_d_acces() {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            }
        };
        match e {
            ErreurApp::Refus(r) | ErreurApp::Store(S::Refus(r)) => {
                let champ = match &r {
                    domain::Refus::Incomplet { champs, .. } => {
                        champs.first().map(|c| c.to_string())
                    }
                    _ => None,
                };
                let mut x = ErreurApi::new(statut_refus(&r), r.code(), r.to_string());
                x.champ = champ;
                x
            }
            ErreurApp::Store(S::Doublon { champ, message }) => {
                let x =
                    ErreurApi::new(StatusCode::UNPROCESSABLE_ENTITY, "deja_enregistre", message);
                if champ.is_empty() { x } else { x.sur(champ) }
            }
            ErreurApp::Enveloppe(_) => {
                ErreurApi::new(StatusCode::UNPROCESSABLE_ENTITY, "enveloppe", e.to_string())
            }
            ErreurApp::Calcul(_) => {
                ErreurApi::new(StatusCode::UNPROCESSABLE_ENTITY, "calcul", e.to_string())
            }
            autre => ErreurApi::from(ErreurWeb::from(autre)),
        }
    }
}

impl From<store::ErreurStore> for ErreurApi {
    fn from(e: store::ErreurStore) -> Self {
        ErreurApi::from(ErreurApp::Store(e))
    }
}

impl From<activite::ErreurActivite> for ErreurApi {
    fn from(e: activite::ErreurActivite) -> Self {
        let lignes = e.lignes_en_erreur().to_vec();
        let mut x = ErreurApi::from(ErreurWeb::from(e));
        if !lignes.is_empty() {
            x.lignes = serde_json::to_value(lignes).ok();
        }
        x
    }
}

/// Whether a request declares a JSON body (`application/json`, parameters such as `charset`
/// allowed).
pub fn est_json(requete: &Request) -> bool {
    requete
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// The raw bytes of a JSON body, once its Content-Type and its encoding are checked.
#[derive(Debug)]
pub struct OctetsJson(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for OctetsJson {
    type Rejection = ErreurApi;

    async fn from_request(requete: Request, etat: &S) -> Result<Self, Self::Rejection> {
        if !est_json(&requete) {
            return Err(ErreurApi::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "type_de_contenu",
                "le corps de la requête doit être du JSON (Content-Type: application/json)",
            ));
        }
        let octets = axum::body::Bytes::from_request(requete, etat)
            .await
            .map_err(|e| {
                ErreurApi::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "corps_invalide",
                    format!("corps de la requête illisible: {e}"),
                )
            })?;
        if std::str::from_utf8(&octets).is_err() {
            return Err(ErreurApi::new(
                StatusCode::BAD_REQUEST,
                "corps_invalide",
                "le corps de la requête n'est pas du texte UTF-8 valide",
            ));
        }
        Ok(OctetsJson(octets))
    }
}

/// A JSON body read into `T`, the field at fault named when it does not fit.
#[derive(Debug)]
pub struct CorpsJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CorpsJson<T> {
    type Rejection = ErreurApi;

    async fn from_request(requete: Request, etat: &S) -> Result<Self, Self::Rejection> {
        let OctetsJson(octets) = OctetsJson::from_request(requete, etat).await?;
        lire_json(&octets).map(CorpsJson)
    }
}

/// Reads `octets` as JSON into `T`: 400 when it is not JSON, 422 naming the field when it does
/// not fit `T`.
pub fn lire_json<T: DeserializeOwned>(octets: &[u8]) -> Result<T, ErreurApi> {
    let mut lecteur = serde_json::Deserializer::from_slice(octets);
    let lu = serde_path_to_error::deserialize::<_, T>(&mut lecteur);
    let v = match lu {
        Ok(v) => v,
        Err(e) => {
            let chemin = e.path().to_string();
            let interne = e.into_inner();
            if interne.is_syntax() || interne.is_eof() {
                return Err(ErreurApi::new(
                    StatusCode::BAD_REQUEST,
                    "corps_invalide",
                    format!("JSON mal formé: {interne}"),
                ));
            }
            let texte = interne.to_string();
            // A missing or unknown field is named by serde between backquotes.
            let champ = if chemin == "." || chemin.is_empty() {
                texte.split('`').nth(1).unwrap_or_default().to_owned()
            } else {
                chemin
            };
            let x = ErreurApi::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "champ_invalide",
                format!("{champ}: {texte}"),
            );
            return Err(if champ.is_empty() { x } else { x.sur(champ) });
        }
    };
    if let Err(e) = lecteur.end() {
        return Err(ErreurApi::new(
            StatusCode::BAD_REQUEST,
            "corps_invalide",
            format!("JSON mal formé: {e}"),
        ));
    }
    Ok(v)
}
