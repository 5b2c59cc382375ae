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

/// A declaration submitted through the API.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NouvelleDeclaration {
    convention: i64,
    exercice: i32,
    /// `previsionnelle`, `actualisee` or `reelle`.
    nature: String,
    /// Euros, as a string (`"40000.00"`) to stay exact.
    depenses_fonctionnement: String,
    etp_declares: String,
    mois_fonctionnement: u8,
    #[serde(default)]
    entretiens: u32,
    #[serde(default)]
    parents_distincts: u32,
    #[serde(default)]
    heures_entretiens: u32,
    /// Send it to the Caf at once.
    #[serde(default)]
    transmettre: bool,
}

/// `POST /api/v1/declarations`: a gestionnaire enters (and optionally sends) a declaration.
pub async fn soumettre_declaration(
    State(etat): State<Etat>,
    c: ConnecteApi,
    corps: Bytes,
) -> Response {
    use domain::declaration::{Activite, DonneesDeclaration, NatureDeclaration};
    let refus = |m: String| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "erreur": m })),
        )
            .into_response()
    };
    let n: NouvelleDeclaration = match serde_json::from_slice(&corps) {
        Ok(n) => n,
        Err(e) => return refus(format!("JSON invalide: {e}")),
    };
    let nature = match n.nature.as_str() {
        "previsionnelle" => NatureDeclaration::Previsionnelle,
        "actualisee" => NatureDeclaration::Actualisee,
        "reelle" => NatureDeclaration::Reelle,
        autre => {
            return refus(format!(
                "nature: « {autre} » inconnue (previsionnelle, actualisee, reelle)"
            ));
        }
    };
    let depenses = match domain::quantites::Centimes::parse_non_negatif(&n.depenses_fonctionnement)
    {
        Ok(d) => d,
        Err(e) => return refus(format!("depenses_fonctionnement: {e}")),
    };
    let etp = match domain::quantites::Etp::parse(&n.etp_declares) {
        Ok(x) => x,
        Err(e) => return refus(format!("etp_declares: {e}")),
    };
    let donnees = DonneesDeclaration {
        depenses_fonctionnement: depenses,
        etp_declares: etp,
        mois_fonctionnement: n.mois_fonctionnement,
        activite: Activite {
            entretiens: n.entretiens,
            parents_distincts: n.parents_distincts,
            heures_entretiens: n.heures_entretiens,
        },
    };
    let p = &etat.plateforme;
    let quand = time::OffsetDateTime::now_utc();
    let resultat = async {
        let d = p
            .saisir_declaration(
                &c.acteur,
                domain::identifiants::ConventionId(n.convention),
                n.exercice,
                nature,
                donnees,
                quand,
            )
            .await?;
        if n.transmettre {
            return p
                .agir_sur_declaration(
                    &c.acteur,
                    d.valeur.id,
                    None,
                    app::ActionTransmission::Transmettre,
                    quand,
                )
                .await;
        }
        Ok(d)
    };
    match resultat.await {
        Ok(d) => {
            let mut v = serde_json::to_value(&d.valeur).unwrap_or(Value::Null);
            if let Some(o) = v.as_object_mut() {
                o.insert("version".into(), json!(d.version));
            }
            (StatusCode::CREATED, Json(v)).into_response()
        }
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
    let mut document = json!({
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
            "/api/v1/declarations": {
                "get": liste("Déclarations")["get"].clone(),
                "post": {
                    "summary": "Saisir (et transmettre) une déclaration d'une convention du gestionnaire",
                    "security": [{ "jeton": [] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": {
                        "type": "object",
                        "required": ["convention", "exercice", "nature", "depenses_fonctionnement", "etp_declares", "mois_fonctionnement"],
                        "properties": {
                            "convention": { "type": "integer" },
                            "exercice": { "type": "integer" },
                            "nature": { "type": "string", "enum": ["previsionnelle", "actualisee", "reelle"] },
                            "depenses_fonctionnement": { "type": "string", "example": "40000.00" },
                            "etp_declares": { "type": "string", "example": "1.5" },
                            "mois_fonctionnement": { "type": "integer", "minimum": 0, "maximum": 12 },
                            "entretiens": { "type": "integer" },
                            "parents_distincts": { "type": "integer" },
                            "heures_entretiens": { "type": "integer" },
                            "transmettre": { "type": "boolean" }
                        }
                    } } } },
                    "responses": {
                        "201": { "description": "La déclaration enregistrée" },
                        "403": { "description": "Hors de votre rôle ou de votre structure" },
                        "422": { "description": "Refusée: le champ ou la règle et la raison" }
                    }
                }
            },
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
    });
    if let (Some(chemins), Value::Object(activite)) = (
        document["paths"].as_object_mut(),
        crate::api_activite::chemins_openapi(),
    ) {
        chemins.extend(activite);
    }
    Json(document).into_response()
}
