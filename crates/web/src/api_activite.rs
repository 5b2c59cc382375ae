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
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identifiants::{GestionnaireId, IntervenantId, LieuId};
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::session::ConnecteApi;

fn erreur(e: ErreurActivite) -> Response {
    let lignes = e.lignes_en_erreur().to_vec();
    let web = ErreurWeb::from(e);
    let mut corps = json!({ "erreur": web.to_string() });
    if !lignes.is_empty() {
        corps["lignes"] = json!(lignes);
    }
    (web.statut(), Json(corps)).into_response()
}

fn refus(message: String) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "erreur": message })),
    )
        .into_response()
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
    Query(q): Query<Exercice>,
) -> Response {
    match SuiviActivite::new(&etat.plateforme)
        .tableau_de_bord(&c.acteur, q.exercice.unwrap_or(2025))
        .await
    {
        Ok(t) => Json(t).into_response(),
        Err(e) => erreur(e),
    }
}

/// `GET /api/v1/activite/indicateurs?exercice=2025&niveau=structure|departement|nation`.
pub async fn indicateurs(
    State(etat): State<Etat>,
    c: ConnecteApi,
    Query(q): Query<Exercice>,
) -> Response {
    let niveau = match q.niveau.as_deref().unwrap_or("departement") {
        "structure" => Niveau::Structure,
        "departement" => Niveau::Departement,
        "nation" => Niveau::Nation,
        autre => {
            return refus(format!(
                "niveau : « {autre} » inconnu (structure, departement, nation)"
            ));
        }
    };
    match SuiviActivite::new(&etat.plateforme)
        .indicateurs(&c.acteur, niveau, q.exercice.unwrap_or(2025))
        .await
    {
        Ok(t) => Json(json!({ "elements": t, "total": t.len() })).into_response(),
        Err(e) => erreur(e),
    }
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

fn saisie(e: EntretienApi) -> Result<SaisieEntretien, String> {
    Ok(SaisieEntretien {
        gestionnaire: GestionnaireId(e.structure),
        famille: IdentifiantFamille::new(&e.identifiant_famille).map_err(|x| x.to_string())?,
        date: activite::dates::lire_date(&e.date)
            .ok_or_else(|| "date : attendue au format AAAA-MM-JJ ou JJ/MM/AAAA".to_owned())?,
        duree_minutes: e.duree_minutes,
        etape: valeur::<Etape>("etape", &e.etape)?,
        mode: valeur::<Mode>("mode", &e.mode)?,
        presence: valeur::<Presence>("presence", &e.presence)?,
        sujets: valeurs::<Sujet>("sujets", &e.sujets)?,
        orientations: valeurs::<Orientation>("orientations", &e.orientations)?,
        intervenant: e.intervenant.map(IntervenantId),
        lieu: e.lieu.map(LieuId),
        motif_exception: e.motif_exception,
        reference: e.reference,
    })
}

/// `POST /api/v1/activite/entretiens`.
pub async fn enregistrer(State(etat): State<Etat>, c: ConnecteApi, corps: Bytes) -> Response {
    let e: EntretienApi = match serde_json::from_slice(&corps) {
        Ok(e) => e,
        // serde's message may quote a value: say where, not what.
        Err(x) => {
            return refus(format!(
                "JSON invalide (ligne {}, colonne {}) : vérifiez les champs et leurs types",
                x.line(),
                x.column()
            ));
        }
    };
    let s = match saisie(e) {
        Ok(s) => s,
        Err(m) => return refus(m),
    };
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
    }
}

/// `POST /api/v1/activite/imports?structure=12`, the CSV file as the body.
pub async fn importer(
    State(etat): State<Etat>,
    c: ConnecteApi,
    Query(q): Query<Exercice>,
    corps: Bytes,
) -> Response {
    let Some(g) = q.structure else {
        return refus("structure : indiquez le numéro de la structure (?structure=…)".into());
    };
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
    }
}

/// The paths of this module in the OpenAPI document.
pub fn chemins_openapi() -> Value {
    let exercice = json!({ "name": "exercice", "in": "query", "schema": { "type": "integer", "example": 2025 } });
    json!({
        "/api/v1/activite/tableau-de-bord": { "get": {
            "summary": "Tableau de bord de l'activité du périmètre (national pour la Cnaf), par mois et par département",
            "security": [{ "jeton": [] }],
            "parameters": [exercice],
            "responses": { "200": { "description": "Agrégats et indicateurs, à jour" } }
        } },
        "/api/v1/activite/indicateurs": { "get": {
            "summary": "Indicateurs d'un exercice par structure, département ou nation",
            "security": [{ "jeton": [] }],
            "parameters": [exercice, { "name": "niveau", "in": "query", "schema": { "type": "string", "enum": ["structure", "departement", "nation"] } }],
            "responses": { "200": { "description": "Un élément par territoire" }, "403": { "description": "Niveau hors de votre périmètre" } }
        } },
        "/api/v1/activite/entretiens": { "post": {
            "summary": "Enregistrer un entretien (intervenant ou gestionnaire de la structure)",
            "security": [{ "jeton": [] }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object",
                "required": ["structure", "identifiant_famille", "date", "duree_minutes", "etape", "mode", "presence"],
                "properties": {
                    "structure": { "type": "integer" },
                    "identifiant_famille": { "type": "string", "description": "Identifiant de la famille dans la structure : aussitôt pseudonymisé, jamais conservé ni renvoyé" },
                    "date": { "type": "string", "example": "2025-03-14" },
                    "duree_minutes": { "type": "integer", "minimum": 1, "maximum": 300 },
                    "etape": { "type": "string", "enum": Etape::TOUTES.iter().map(|v| v.code()).collect::<Vec<_>>() },
                    "mode": { "type": "string", "enum": Mode::TOUTES.iter().map(|v| v.code()).collect::<Vec<_>>() },
                    "presence": { "type": "string", "enum": Presence::TOUTES.iter().map(|v| v.code()).collect::<Vec<_>>() },
                    "sujets": { "type": "array", "items": { "type": "string", "enum": Sujet::TOUTES.iter().map(|v| v.code()).collect::<Vec<_>>() } },
                    "orientations": { "type": "array", "items": { "type": "string", "enum": Orientation::TOUTES.iter().map(|v| v.code()).collect::<Vec<_>>() } },
                    "intervenant": { "type": "integer" },
                    "lieu": { "type": "integer" },
                    "motif_exception": { "type": "string" },
                    "reference": { "type": "string" }
                }
            } } } },
            "responses": {
                "201": { "description": "Enregistré, avec le rang de la séance et les avertissements" },
                "200": { "description": "Déjà enregistré : rien n'a été ajouté" },
                "403": { "description": "Hors de votre rôle ou de votre structure" },
                "422": { "description": "Refusé : le champ et la raison" }
            }
        } },
        "/api/v1/activite/imports": { "post": {
            "summary": "Importer un fichier CSV d'entretiens (tout ou rien, idempotent)",
            "security": [{ "jeton": [] }],
            "parameters": [{ "name": "structure", "in": "query", "required": true, "schema": { "type": "integer" } }],
            "requestBody": { "required": true, "content": { "text/csv": { "schema": { "type": "string" } } } },
            "responses": {
                "201": { "description": "Importé" },
                "200": { "description": "Rien d'ajouté (fichier ou entretiens déjà importés)" },
                "422": { "description": "Refusé en entier : chaque ligne en erreur avec sa raison" }
            }
        } }
    })
}
