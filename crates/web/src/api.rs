//! The JSON API under `/api/v1`, authenticated by personal tokens, with the same access rules as
//! the pages (the use cases filter by role and territory), and its OpenAPI 3 description.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use referentiel::aip::{self, ParametresAip};
use serde_json::{Value, json};

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::session::ConnecteApi;

fn erreur_json(e: ErreurWeb) -> Response {
    (e.statut(), Json(json!({ "erreur": e.to_string() }))).into_response()
}

fn liste<T: serde::Serialize>(elements: Vec<app::Lu<T>>) -> Response {
    let valeurs: Vec<Value> = elements
        .into_iter()
        .map(|l| {
            let mut v = serde_json::to_value(&l.valeur).unwrap_or(Value::Null);
            if let Some(o) = v.as_object_mut() {
                o.insert("version".into(), json!(l.version));
            }
            v
        })
        .collect();
    Json(json!({ "elements": valeurs, "total": valeurs.len() })).into_response()
}

pub async fn dossiers(State(etat): State<Etat>, c: ConnecteApi) -> Response {
    match etat.plateforme.dossiers(&c.acteur, None).await {
        Ok(l) => liste(l),
        Err(e) => erreur_json(e.into()),
    }
}

pub async fn conventions(State(etat): State<Etat>, c: ConnecteApi) -> Response {
    match etat.plateforme.conventions(&c.acteur).await {
        Ok(l) => liste(l),
        Err(e) => erreur_json(e.into()),
    }
}

pub async fn declarations(State(etat): State<Etat>, c: ConnecteApi) -> Response {
    match etat.plateforme.declarations(&c.acteur, None).await {
        Ok(l) => liste(l),
        Err(e) => erreur_json(e.into()),
    }
}

pub async fn paiements(State(etat): State<Etat>, c: ConnecteApi) -> Response {
    match etat.plateforme.paiements(&c.acteur, None).await {
        Ok(l) => liste(l),
        Err(e) => erreur_json(e.into()),
    }
}

/// `POST /api/v1/calculs/aip`: the same input and output as `parentalite calcul --json`.
pub async fn calcul_aip(State(etat): State<Etat>, _c: ConnecteApi, corps: Bytes) -> Response {
    let resultat = aip::json::lire_cas(&corps).and_then(|entree| {
        let p = ParametresAip::pour_exercice(&etat.plateforme.parametres, entree.exercice)?;
        let r = aip::calculer(&p, &entree)?;
        let mut sortie = Vec::with_capacity(4096);
        aip::json::ecrire_resultat(&mut sortie, &r, &p, None, true)?;
        Ok(sortie)
    });
    match resultat {
        Ok(octets) => ([(header::CONTENT_TYPE, "application/json")], octets).into_response(),
        Err(e) => {
            let mut sortie = Vec::new();
            aip::json::ecrire_erreur(&mut sortie, None, &e);
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                [(header::CONTENT_TYPE, "application/json")],
                sortie,
            )
                .into_response()
        }
    }
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> Response {
    let liste = |resume: &str| {
        json!({
            "get": {
                "summary": resume,
                "security": [{ "jeton": [] }],
                "responses": {
                    "200": { "description": "Les éléments visibles avec votre rôle et votre territoire",
                             "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Liste" } } } },
                    "401": { "description": "Jeton absent ou inconnu" }
                }
            }
        })
    };
    let champs_cas = json!({
        "dispositif": { "type": "string", "enum": ["aip"] },
        "exercice": { "type": "integer", "example": 2024 },
        "declaration": { "type": "string", "enum": ["previsionnelle", "actualisee", "reelle"] },
        "etp_declares": { "type": "string", "example": "1" },
        "etp_notifies": { "type": "string", "example": "1" },
        "mois_fonctionnement": { "type": "integer", "minimum": 0, "maximum": 12 },
        "depenses_fonctionnement": { "type": "string", "example": "40000" },
        "versements_effectues": { "type": "string", "example": "0" }
    });
    Json(json!({
        "openapi": "3.0.3",
        "info": {
            "title": "API Parentalité",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Dossiers, conventions, déclarations et paiements de l'accompagnement individuel parentalité, et calcul de la subvention. Chaque appel ne voit que ce que le rôle et le territoire de l'utilisateur du jeton permettent."
        },
        "servers": [{ "url": "/" }],
        "paths": {
            "/api/v1/dossiers": liste("Dossiers"),
            "/api/v1/conventions": liste("Conventions d'objectifs et de financement"),
            "/api/v1/declarations": liste("Déclarations"),
            "/api/v1/paiements": liste("Paiements"),
            "/api/v1/calculs/aip": {
                "post": {
                    "summary": "Calculer la subvention AIP (mêmes entrée et sortie que parentalite calcul --json)",
                    "security": [{ "jeton": [] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": {
                        "type": "object",
                        "required": ["dispositif", "exercice", "etp_declares", "etp_notifies", "mois_fonctionnement", "depenses_fonctionnement"],
                        "properties": champs_cas
                    } } } },
                    "responses": {
                        "200": { "description": "Le droit, avec acompte, charge à payer ou solde, et sa trace" },
                        "422": { "description": "Entrée invalide: le champ et la raison" },
                        "401": { "description": "Jeton absent ou inconnu" }
                    }
                }
            }
        },
        "components": {
            "securitySchemes": { "jeton": { "type": "http", "scheme": "bearer", "description": "Jeton personnel créé sur la page Profil ou par parentalite token create" } },
            "schemas": { "Liste": { "type": "object", "properties": {
                "elements": { "type": "array", "items": { "type": "object" } },
                "total": { "type": "integer" }
            } } }
        }
    }))
    .into_response()
}
