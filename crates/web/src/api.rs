//! The JSON API under `/api/v1`, authenticated by personal tokens, with the same access rules as
//! the pages (the use cases filter by role and territory), and its OpenAPI 3 description.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use referentiel::aip::{self, ParametresAip};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Etat;
use crate::api_erreur::{CorpsJson, ErreurApi, OctetsJson};
use crate::session::ConnecteApi;

/// The years an exercise may be given as, in the API and its schema (as the calculator reads
/// them).
pub const EXERCICE_MIN: i32 = 1900;
pub const EXERCICE_MAX: i32 = 2200;

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

pub async fn dossiers(State(etat): State<Etat>, c: ConnecteApi) -> Result<Response, ErreurApi> {
    Ok(liste(etat.plateforme.dossiers(&c.acteur, None).await?))
}

pub async fn conventions(State(etat): State<Etat>, c: ConnecteApi) -> Result<Response, ErreurApi> {
    Ok(liste(etat.plateforme.conventions(&c.acteur).await?))
}

pub async fn declarations(State(etat): State<Etat>, c: ConnecteApi) -> Result<Response, ErreurApi> {
    Ok(liste(etat.plateforme.declarations(&c.acteur, None).await?))
}

pub async fn paiements(State(etat): State<Etat>, c: ConnecteApi) -> Result<Response, ErreurApi> {
    Ok(liste(etat.plateforme.paiements(&c.acteur, None).await?))
}

/// The nature of a declaration, by its code.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum NatureApi {
    Previsionnelle,
    Actualisee,
    Reelle,
}

/// A declaration submitted through the API.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NouvelleDeclaration {
    convention: i64,
    exercice: i32,
    nature: NatureApi,
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

fn verifier_exercice(exercice: i32) -> Result<(), ErreurApi> {
    if (EXERCICE_MIN..=EXERCICE_MAX).contains(&exercice) {
        return Ok(());
    }
    Err(ErreurApi::champ_invalide(
        "exercice",
        format!("exercice: une année de {EXERCICE_MIN} à {EXERCICE_MAX} (reçu {exercice})"),
    ))
}

/// `POST /api/v1/declarations`: a gestionnaire enters (and optionally sends) a declaration.
pub async fn soumettre_declaration(
    State(etat): State<Etat>,
    c: ConnecteApi,
    CorpsJson(n): CorpsJson<NouvelleDeclaration>,
) -> Result<Response, ErreurApi> {
    use crate::pages::convention::commande::{SaisieDeclaration, lire_declaration};
    // The same reading as the page's form: the typed values as text.
    let saisie = SaisieDeclaration {
        nature: match n.nature {
            NatureApi::Previsionnelle => "previsionnelle",
            NatureApi::Actualisee => "actualisee",
            NatureApi::Reelle => "reelle",
        }
        .to_owned(),
        exercice: n.exercice.to_string(),
        depenses: n.depenses_fonctionnement.clone(),
        etp_declares: n.etp_declares.clone(),
        mois: n.mois_fonctionnement.to_string(),
        entretiens: n.entretiens.to_string(),
        parents: n.parents_distincts.to_string(),
        heures: n.heures_entretiens.to_string(),
        ..SaisieDeclaration::default()
    };
    let lue = lire_declaration(&saisie).map_err(|erreurs| match erreurs.into_iter().next() {
        Some((champ, raison)) => {
            ErreurApi::champ_invalide(champ.api(), format!("{}: {raison}", champ.api()))
        }
        None => ErreurApi::champ_invalide("", "déclaration invalide"),
    })?;
    let (nature, donnees) = (lue.nature, lue.donnees);
    let p = &etat.plateforme;
    let quand = time::OffsetDateTime::now_utc();
    let mut d = p
        .saisir_declaration(
            &c.acteur,
            domain::identifiants::ConventionId(n.convention),
            lue.exercice,
            nature,
            donnees,
            quand,
        )
        .await?;
    if n.transmettre {
        d = p
            .agir_sur_declaration(
                &c.acteur,
                d.valeur.id,
                None,
                app::ActionTransmission::Transmettre,
                quand,
            )
            .await?;
    }
    let mut v = serde_json::to_value(&d.valeur).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert("version".into(), json!(d.version));
    }
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// A number of the calculator's input: a decimal string (exact) or a JSON number.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum NombreCas {
    Texte(String),
    Nombre(#[allow(dead_code)] serde_json::Number),
}

impl NombreCas {
    /// Refuses an empty or blank string, which the calculator would take for an absent field.
    fn verifier(&self, champ: &str) -> Result<(), ErreurApi> {
        match self {
            NombreCas::Texte(t) if t.trim().is_empty() => Err(ErreurApi::champ_invalide(
                champ,
                format!("{champ}: un nombre est attendu, pas une chaîne vide"),
            )),
            _ => Ok(()),
        }
    }
}

/// The calculator's input as the API checks it before the calculator reads it: the types of
/// the schema, no unknown field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CasApi {
    #[allow(dead_code)]
    dispositif: DispositifApi,
    exercice: i32,
    #[serde(default)]
    #[allow(dead_code)]
    declaration: Option<NatureApi>,
    etp_declares: NombreCas,
    etp_notifies: NombreCas,
    #[allow(dead_code)]
    mois_fonctionnement: u8,
    depenses_fonctionnement: NombreCas,
    #[serde(default)]
    versements_effectues: Option<NombreCas>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum DispositifApi {
    Aip,
}

/// `POST /api/v1/calculs/aip`: the same input and output as `parentalite calcul --json`.
pub async fn calcul_aip(
    State(etat): State<Etat>,
    _c: ConnecteApi,
    OctetsJson(corps): OctetsJson,
) -> Result<Response, ErreurApi> {
    let cas = crate::api_erreur::lire_json::<CasApi>(&corps)?;
    verifier_exercice(cas.exercice)?;
    cas.etp_declares.verifier("etp_declares")?;
    cas.etp_notifies.verifier("etp_notifies")?;
    cas.depenses_fonctionnement
        .verifier("depenses_fonctionnement")?;
    if let Some(v) = &cas.versements_effectues {
        v.verifier("versements_effectues")?;
    }
    let resultat = aip::json::lire_cas(&corps).and_then(|entree| {
        let p = ParametresAip::pour_exercice(&etat.plateforme.parametres, entree.exercice)?;
        let r = aip::calculer(&p, &entree)?;
        let mut sortie = Vec::with_capacity(4096);
        aip::json::ecrire_resultat(&mut sortie, &r, &p, None, true)?;
        Ok(sortie)
    });
    match resultat {
        Ok(octets) => Ok(([(header::CONTENT_TYPE, "application/json")], octets).into_response()),
        Err(aip::ErreurAip::Champ { champ, raison }) => Err(ErreurApi::champ_invalide(
            champ,
            format!("{champ}: {raison}"),
        )),
        Err(e @ aip::ErreurAip::Json(_)) => Err(ErreurApi::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "corps_invalide",
            e.to_string(),
        )),
        Err(e) => Err(ErreurApi::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "calcul",
            e.to_string(),
        )),
    }
}

/// The error answers every operation documents, all with the body [`ErreurApi`] (schema
/// `Erreur`).
pub fn reponses_erreurs() -> Value {
    let erreur = |description: &str| {
        json!({ "description": description,
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Erreur" } } } })
    };
    json!({
        "400": erreur("Requête illisible : JSON mal formé, texte qui n'est pas de l'UTF-8, paramètre invalide"),
        "401": erreur("Jeton absent, inconnu, expiré ou révoqué, ou compte désactivé"),
        "403": erreur("Hors de votre rôle ou de votre territoire"),
        "404": erreur("Élément introuvable"),
        "415": erreur("Type de contenu non accepté (application/json attendu, text/csv pour un import)"),
        "422": erreur("Refusé : le champ (champ) et la raison (message), avec un code stable")
    })
}

/// `responses` of an operation: its successes and every documented error.
pub fn reponses(succes: Value) -> Value {
    let mut r = reponses_erreurs();
    if let (Some(r), Some(s)) = (r.as_object_mut(), succes.as_object()) {
        r.extend(s.clone());
    }
    r
}

/// The exercise as the API reads it.
pub fn schema_exercice() -> Value {
    json!({ "type": "integer", "minimum": EXERCICE_MIN, "maximum": EXERCICE_MAX, "example": 2024 })
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> Response {
    let liste = |resume: &str| {
        json!({
            "get": {
                "summary": resume,
                "security": [{ "jeton": [] }],
                "responses": reponses(json!({
                    "200": { "description": "Les éléments visibles avec votre rôle et votre territoire",
                             "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Liste" } } } }
                }))
            }
        })
    };
    let objet = |description: &str| {
        json!({ "description": description,
                "content": { "application/json": { "schema": { "type": "object" } } } })
    };
    // A number of the calculator: a decimal string (exact) or a JSON number.
    let nombre = |exemple: &str| {
        json!({ "anyOf": [
            { "type": "string", "minLength": 1, "example": exemple },
            { "type": "number" }
        ] })
    };
    let champs_cas = json!({
        "dispositif": { "type": "string", "enum": ["aip"] },
        "exercice": schema_exercice(),
        "declaration": { "type": "string", "enum": ["previsionnelle", "actualisee", "reelle", null], "nullable": true,
                         "description": "previsionnelle si absente ou nulle" },
        "etp_declares": nombre("1"),
        "etp_notifies": nombre("1"),
        "mois_fonctionnement": { "type": "integer", "minimum": 0, "maximum": 12 },
        "depenses_fonctionnement": nombre("40000"),
        "versements_effectues": { "anyOf": [
            { "type": "string", "minLength": 1, "example": "0" },
            { "type": "number" }
        ], "nullable": true, "description": "0 si absent ou nul" }
    });
    let mut document = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "API Parentalité",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Dossiers, conventions, déclarations et paiements de l'accompagnement individuel parentalité, et calcul de la subvention. Chaque appel ne voit que ce que le rôle et le territoire de l'utilisateur du jeton permettent. Les corps de requête sont en JSON (Content-Type: application/json, encodé en UTF-8). Toute erreur a le même corps : {\"code\", \"message\", \"champ\"}."
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
                        "additionalProperties": false,
                        "required": ["convention", "exercice", "nature", "depenses_fonctionnement", "etp_declares", "mois_fonctionnement"],
                        "properties": {
                            "convention": { "type": "integer", "format": "int64" },
                            "exercice": schema_exercice(),
                            "nature": { "type": "string", "enum": ["previsionnelle", "actualisee", "reelle"] },
                            "depenses_fonctionnement": { "type": "string", "minLength": 1, "example": "40000.00",
                                                         "description": "Euros, au plus deux décimales, jamais négatif (pas de signe moins)" },
                            "etp_declares": { "type": "string", "minLength": 1, "example": "1.5" },
                            "mois_fonctionnement": { "type": "integer", "minimum": 0, "maximum": 12 },
                            "entretiens": { "type": "integer", "minimum": 0, "maximum": 4_294_967_295_u64 },
                            "parents_distincts": { "type": "integer", "minimum": 0, "maximum": 4_294_967_295_u64 },
                            "heures_entretiens": { "type": "integer", "minimum": 0, "maximum": 4_294_967_295_u64 },
                            "transmettre": { "type": "boolean" }
                        }
                    } } } },
                    "responses": reponses(json!({ "201": objet("La déclaration enregistrée") }))
                }
            },
            "/api/v1/paiements": liste("Paiements"),
            "/api/v1/calculs/aip": {
                "post": {
                    "summary": "Calculer la subvention AIP (mêmes entrée et sortie que parentalite calcul --json)",
                    "security": [{ "jeton": [] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["dispositif", "exercice", "etp_declares", "etp_notifies", "mois_fonctionnement", "depenses_fonctionnement"],
                        "properties": champs_cas
                    } } } },
                    "responses": reponses(json!({ "200": objet("Le droit, avec acompte, charge à payer ou solde, et sa trace") }))
                }
            }
        },
        "components": {
            "securitySchemes": { "jeton": { "type": "http", "scheme": "bearer", "description": "Jeton personnel créé sur la page Profil ou par parentalite token create; il expire (90 jours par défaut) et se révoque" } },
            "schemas": {
                "Liste": { "type": "object", "required": ["elements", "total"], "properties": {
                    "elements": { "type": "array", "items": { "type": "object" } },
                    "total": { "type": "integer" }
                } },
                "Erreur": { "type": "object", "required": ["code", "message", "champ"], "properties": {
                    "code": { "type": "string", "description": "Code stable : role, cnaf_consultation, territoire, structure, financeur, etat, appel_ferme, incomplet, invalide, motif_obligatoire, incoherence, deja_enregistre, condition, calcul (refus des règles), non_authentifie, interdit, introuvable, conflit, enveloppe, champ_invalide, parametre_invalide, corps_invalide, type_de_contenu, erreur_interne" },
                    "message": { "type": "string", "description": "La raison, en français, à afficher telle quelle" },
                    "champ": { "type": "string", "nullable": true, "description": "Le champ de la requête en cause, s'il y en a un" },
                    "lignes": { "type": "array", "items": { "type": "object" }, "description": "Import refusé : chaque ligne en erreur et ses problèmes" }
                } }
            }
        }
    });
    if let (Some(chemins), Value::Object(activite)) = (
        document["paths"].as_object_mut(),
        crate::api_activite::chemins_openapi(),
    ) {
        chemins.extend(activite);
    }
    if let (Some(chemins), Value::Object(pieces)) = (
        document["paths"].as_object_mut(),
        crate::api_pieces::chemins_openapi(),
    ) {
        chemins.extend(pieces);
    }
    if let (Some(chemins), Value::Object(ouvertes)) = (
        document["paths"].as_object_mut(),
        crate::pages::donnees_ouvertes::chemins_openapi(),
    ) {
        chemins.extend(ouvertes);
    }
    if let Some(schemas) = document["components"]["schemas"].as_object_mut() {
        schemas.insert(
            "PageDonneesOuvertes".to_owned(),
            crate::pages::donnees_ouvertes::schema_page(),
        );
    }
    Json(document).into_response()
}
