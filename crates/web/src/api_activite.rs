//! The activity part of the JSON API: record a session, import a file of sessions, read the
//! dashboard and the indicators; the same rules as the pages (a structure's staff record, reads
//! within role and territory). A family's identifier is accepted in a request and never given
//! back: responses carry its pseudonymous code only.

use std::collections::BTreeSet;

use activite::nomenclature::Modalite;
use activite::{
    ErreurActivite, Etape, IdentifiantFamille, Mode, Niveau, Orientation, Presence,
    SaisieEntretien, SuiviActivite, Sujet,
};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identifiants::{GestionnaireId, IntervenantId, LieuId};
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::Etat;
use crate::api_erreur::{ErreurApi, OctetsJson};
use crate::session::ConnecteApi;

fn erreur(e: ErreurActivite) -> Response {
    ErreurApi::from(e).into_response()
}

/// The query string read into `T`, or a 400 naming the parameter at fault.
fn requete<T: serde::de::DeserializeOwned>(
    q: Result<Query<T>, QueryRejection>,
) -> Result<T, ErreurApi> {
    q.map(|Query(v)| v).map_err(|e| {
        let texte = e.body_text();
        let champ = ["exercice", "niveau", "structure"]
            .into_iter()
            .find(|c| texte.contains(c));
        let x = ErreurApi::new(
            StatusCode::BAD_REQUEST,
            "parametre_invalide",
            format!("paramètre de la requête invalide: {texte}"),
        );
        match champ {
            Some(c) => x.sur(c),
            None => x,
        }
    })
}

/// The exercise asked for (2025 by default), within the years the API accepts.
fn exercice(q: &Exercice) -> Result<i32, ErreurApi> {
    let exercice = q.exercice.unwrap_or(2025);
    if (crate::api::EXERCICE_MIN..=crate::api::EXERCICE_MAX).contains(&exercice) {
        return Ok(exercice);
    }
    Err(ErreurApi::new(
        StatusCode::BAD_REQUEST,
        "parametre_invalide",
        format!(
            "exercice: une année de {} à {} (reçu {exercice})",
            crate::api::EXERCICE_MIN,
            crate::api::EXERCICE_MAX
        ),
    )
    .sur("exercice"))
}

#[derive(Debug, Deserialize)]
pub struct Exercice {
    exercice: Option<i32>,
    niveau: Option<String>,
    structure: Option<i64>,
}

/// `GET /api/v1/activite/tableau-de-bord?exercice=2025`.
pub async fn tableau_de_bord(
    State(etat): State<Etat>,
    c: ConnecteApi,
    q: Result<Query<Exercice>, QueryRejection>,
) -> Result<Response, ErreurApi> {
    let q = requete(q)?;
    let exercice = exercice(&q)?;
    Ok(
        match SuiviActivite::new(&etat.plateforme)
            .tableau_de_bord(&c.acteur, exercice)
            .await
        {
            Ok(t) => Json(t).into_response(),
            Err(e) => erreur(e),
        },
    )
}

/// `GET /api/v1/activite/indicateurs?exercice=2025&niveau=structure|departement|nation`.
pub async fn indicateurs(
    State(etat): State<Etat>,
    c: ConnecteApi,
    q: Result<Query<Exercice>, QueryRejection>,
) -> Result<Response, ErreurApi> {
    let q = requete(q)?;
    let exercice = exercice(&q)?;
    let niveau = match q.niveau.as_deref().unwrap_or("departement") {
        "structure" => Niveau::Structure,
        "departement" => Niveau::Departement,
        "nation" => Niveau::Nation,
        autre => {
            return Err(ErreurApi::new(
                StatusCode::BAD_REQUEST,
                "parametre_invalide",
                format!("niveau : « {autre} » inconnu (structure, departement, nation)"),
            )
            .sur("niveau"));
        }
    };
    Ok(
        match SuiviActivite::new(&etat.plateforme)
            .indicateurs(&c.acteur, niveau, exercice)
            .await
        {
            Ok(t) => Json(json!({ "elements": t, "total": t.len() })).into_response(),
            Err(e) => erreur(e),
        },
    )
}

/// A session as the API takes it: the codes of the fixed lists, the date `AAAA-MM-JJ` or
/// `JJ/MM/AAAA`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntretienApi {
    structure: i64,
    identifiant_famille: String,
    date: String,
    duree_minutes: i64,
    etape: String,
    mode: String,
    presence: String,
    #[serde(default)]
    sujets: Vec<String>,
    #[serde(default)]
    orientations: Vec<String>,
    intervenant: Option<i64>,
    lieu: Option<i64>,
    motif_exception: Option<String>,
    reference: Option<String>,
}

fn valeur<T: Modalite>(champ: &str, texte: &str) -> Result<T, String> {
    T::depuis_texte(texte)
        .ok_or_else(|| format!("{champ} : « {texte} » inconnu ({})", T::codes_attendus()))
}

fn valeurs<T: Modalite>(champ: &str, textes: &[String]) -> Result<BTreeSet<T>, String> {
    textes.iter().map(|t| valeur::<T>(champ, t)).collect()
}

fn saisie(e: EntretienApi) -> Result<SaisieEntretien, ErreurApi> {
    let champ = |nom: &'static str| move |m: String| ErreurApi::champ_invalide(nom, m);
    Ok(SaisieEntretien {
        gestionnaire: GestionnaireId(e.structure),
        famille: IdentifiantFamille::new(&e.identifiant_famille)
            .map_err(|x| ErreurApi::champ_invalide("identifiant_famille", x.to_string()))?,
        date: activite::dates::lire_date(&e.date).ok_or_else(|| {
            ErreurApi::champ_invalide("date", "date : attendue au format AAAA-MM-JJ ou JJ/MM/AAAA")
        })?,
        duree_minutes: e.duree_minutes,
        etape: valeur::<Etape>("etape", &e.etape).map_err(champ("etape"))?,
        mode: valeur::<Mode>("mode", &e.mode).map_err(champ("mode"))?,
        presence: valeur::<Presence>("presence", &e.presence).map_err(champ("presence"))?,
        sujets: valeurs::<Sujet>("sujets", &e.sujets).map_err(champ("sujets"))?,
        orientations: valeurs::<Orientation>("orientations", &e.orientations)
            .map_err(champ("orientations"))?,
        intervenant: e.intervenant.map(IntervenantId),
        lieu: e.lieu.map(LieuId),
        motif_exception: e.motif_exception,
        reference: e.reference,
    })
}

/// `POST /api/v1/activite/entretiens`.
pub async fn enregistrer(
    State(etat): State<Etat>,
    c: ConnecteApi,
    OctetsJson(corps): OctetsJson,
) -> Result<Response, ErreurApi> {
    // serde's message may quote a value (a family's identifier): say where, not what.
    let e: EntretienApi = match crate::api_erreur::lire_json(&corps) {
        Ok(e) => e,
        Err(mut x) => {
            x.message = match &x.champ {
                Some(champ) => format!("{champ} : champ manquant, inconnu ou de type inattendu"),
                None => "JSON invalide : vérifiez les champs et leurs types".to_owned(),
            };
            return Err(x);
        }
    };
    let s = saisie(e)?;
    Ok(
        match SuiviActivite::new(&etat.plateforme)
            .enregistrer(&c.acteur, s, OffsetDateTime::now_utc())
            .await
        {
            Ok(r) => (
                if r.nouveau {
                    StatusCode::CREATED
                } else {
                    StatusCode::OK
                },
                Json(r),
            )
                .into_response(),
            Err(e) => erreur(e),
        },
    )
}

/// `POST /api/v1/activite/imports?structure=12`, the CSV file as the body (`text/csv`).
pub async fn importer(
    State(etat): State<Etat>,
    c: ConnecteApi,
    q: Result<Query<Exercice>, QueryRejection>,
    entetes: axum::http::HeaderMap,
    corps: Bytes,
) -> Result<Response, ErreurApi> {
    let q = requete(q)?;
    let csv = entetes
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("text/csv"));
    if !csv {
        return Err(ErreurApi::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "type_de_contenu",
            "le corps de la requête doit être un fichier CSV (Content-Type: text/csv)",
        ));
    }
    let Some(g) = q.structure else {
        return Err(ErreurApi::new(
            StatusCode::BAD_REQUEST,
            "parametre_invalide",
            "structure : indiquez le numéro de la structure (?structure=…)",
        )
        .sur("structure"));
    };
    Ok(
        match SuiviActivite::new(&etat.plateforme)
            .importer_csv(
                &c.acteur,
                GestionnaireId(g),
                &corps,
                OffsetDateTime::now_utc(),
            )
            .await
        {
            Ok(r) => (
                if r.importees > 0 {
                    StatusCode::CREATED
                } else {
                    StatusCode::OK
                },
                Json(r),
            )
                .into_response(),
            Err(e) => erreur(e),
        },
    )
}

/// The paths of this module in the OpenAPI document.
pub fn chemins_openapi() -> Value {
    use crate::api::{reponses, schema_exercice};
    let exercice = json!({ "name": "exercice", "in": "query", "schema": schema_exercice() });
    let objet = |description: &str| {
        json!({ "description": description,
                "content": { "application/json": { "schema": { "type": "object" } } } })
    };
    let texte = |max: u32| json!({ "type": "string", "minLength": 1, "maxLength": max });
    json!({
        "/api/v1/activite/tableau-de-bord": { "get": {
            "summary": "Tableau de bord de l'activité du périmètre (national pour la Cnaf), par mois et par département",
            "security": [{ "jeton": [] }],
            "parameters": [exercice],
            "responses": reponses(json!({ "200": objet("Agrégats et indicateurs, à jour") }))
        } },
        "/api/v1/activite/indicateurs": { "get": {
            "summary": "Indicateurs d'un exercice par structure, département ou nation",
            "security": [{ "jeton": [] }],
            "parameters": [exercice, { "name": "niveau", "in": "query", "schema": { "type": "string", "enum": ["structure", "departement", "nation"] } }],
            "responses": reponses(json!({ "200": objet("Un élément par territoire") }))
        } },
        "/api/v1/activite/entretiens": { "post": {
            "summary": "Enregistrer un entretien (intervenant ou gestionnaire de la structure)",
            "security": [{ "jeton": [] }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": ["structure", "identifiant_famille", "date", "duree_minutes", "etape", "mode", "presence"],
                "properties": {
                    "structure": { "type": "integer", "format": "int64" },
                    "identifiant_famille": { "type": "string", "minLength": 1, "description": "Identifiant de la famille dans la structure : aussitôt pseudonymisé, jamais conservé ni renvoyé" },
                    "date": { "type": "string", "minLength": 1, "example": "2025-03-14" },
                    "duree_minutes": { "type": "integer", "format": "int64", "minimum": 1, "maximum": 300 },
                    "etape": { "type": "string", "enum": Etape::TOUTES.iter().map(|v| v.code()).collect::<Vec<_>>() },
                    "mode": { "type": "string", "enum": Mode::TOUTES.iter().map(|v| v.code()).collect::<Vec<_>>() },
                    "presence": { "type": "string", "enum": Presence::TOUTES.iter().map(|v| v.code()).collect::<Vec<_>>() },
                    "sujets": { "type": "array", "items": { "type": "string", "enum": Sujet::TOUTES.iter().map(|v| v.code()).collect::<Vec<_>>() } },
                    "orientations": { "type": "array", "items": { "type": "string", "enum": Orientation::TOUTES.iter().map(|v| v.code()).collect::<Vec<_>>() } },
                    "intervenant": { "type": "integer", "format": "int64", "nullable": true },
                    "lieu": { "type": "integer", "format": "int64", "nullable": true },
                    "motif_exception": { "type": "string", "nullable": true, "maxLength": activite::LONGUEUR_MAX_MOTIF },
                    "reference": { "type": "string", "nullable": true, "maxLength": activite::LONGUEUR_MAX_REFERENCE }
                }
            } } } },
            "responses": reponses(json!({
                "201": objet("Enregistré, avec le rang de la séance et les avertissements"),
                "200": objet("Déjà enregistré : rien n'a été ajouté")
            }))
        } },
        "/api/v1/activite/imports": { "post": {
            "summary": "Importer un fichier CSV d'entretiens (tout ou rien, idempotent)",
            "security": [{ "jeton": [] }],
            "parameters": [{ "name": "structure", "in": "query", "required": true, "schema": { "type": "integer", "format": "int64" } }],
            "requestBody": { "required": true, "content": { "text/csv": { "schema": texte(u32::try_from(crate::pages::activite::TAILLE_MAX_IMPORT).unwrap_or(u32::MAX)) } } },
            "responses": reponses(json!({
                "201": objet("Importé"),
                "200": objet("Rien d'ajouté (fichier ou entretiens déjà importés)")
            }))
        } }
    })
}
