//! Conventions d'objectifs et de financement: the list a user may see, what their gestionnaires
//! owe past its deadline (declarations and bilans), and for a Caf agent the signature of a
//! drafted convention.

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::acces::Role;
use domain::declaration::Piece;
use domain::identifiants::ConventionId;
use serde::Deserialize;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::date_fr;
use crate::rendu::{csrf, e, page, tableau};
use crate::session::Connecte;

/// What the list says after an action.
#[derive(Debug, Deserialize, Default)]
pub struct Suite {
    relance: Option<String>,
}

pub async fn liste(
    State(etat): State<Etat>,
    c: Connecte,
    Query(suite): Query<Suite>,
) -> Result<Html<String>, ErreurWeb> {
    let relancer = c.acteur.role == Role::Caf;
    let conventions = etat.plateforme.conventions(&c.acteur).await?;
    let lignes: Vec<Vec<String>> = conventions
        .iter()
        .map(|v| {
            let v = &v.valeur;
            vec![
                format!("<a href=\"/conventions/{}\">{}</a>", v.id, e(&v.numero)),
                format!("<a href=\"/dossiers/{}\">n°{}</a>", v.dossier, v.dossier),
                e(v.departement.as_str()),
                format!("<span class=\"etiquette\">{}</span>", e(v.etat.libelle())),
                format!("du {} au {}", date_fr(v.debut), date_fr(v.fin)),
                v.date_signature.map_or("–".to_owned(), date_fr),
                v.notification_initiale
                    .map_or("–".to_owned(), |n| e(&n.etp.to_string())),
            ]
        })
        .collect();
    let retards = etat
        .plateforme
        .retards(&c.acteur, time::OffsetDateTime::now_utc().date())
        .await?;
    let lignes_retards: Vec<Vec<String>> = retards
        .iter()
        .map(|(v, r)| {
            vec![
                format!("<a href=\"/conventions/{}\">{}</a>", v.id, e(&v.numero)),
                e(v.departement.as_str()),
                r.exercice.to_string(),
                e(r.piece.libelle()),
                date_fr(r.echeance),
                if r.entamee {
                    "en saisie, pas encore transmise".to_owned()
                } else {
                    "pas encore saisie".to_owned()
                },
            ]
            .into_iter()
            .chain(relancer.then(|| {
                format!(
                    "<form method=\"post\" action=\"/conventions/relances\" class=\"en-ligne\">{}\
                     <input type=\"hidden\" name=\"convention\" value=\"{}\">\
                     <input type=\"hidden\" name=\"exercice\" value=\"{}\">\
                     <input type=\"hidden\" name=\"piece\" value=\"{}\">\
                     <button type=\"submit\" class=\"secondaire\" aria-label=\"Relancer : {} {} de la convention {}\">Relancer</button></form>",
                    csrf(&c),
                    v.id,
                    r.exercice,
                    r.piece.code(),
                    e(r.piece.libelle()),
                    r.exercice,
                    e(&v.numero)
                )
            }))
            .collect()
        })
        .collect();
    let section_retards = if lignes_retards.is_empty() {
        "<h2>En retard</h2><p>Aucune déclaration ni aucun bilan en retard.</p>".to_owned()
    } else {
        format!(
            "<h2>En retard</h2>{}<p class=\"aide\">Déclarations et bilans attendus dont l'échéance est passée \
             (échéances fixées par les paramètres du référentiel ; un retard est signalé, jamais refusé). \
             Une relance est un message au gestionnaire dans le fil du dossier.</p>{}",
            match suite.relance.as_deref() {
                Some("envoyee") =>
                    "<div class=\"encadre succes\" role=\"status\"><p>Relance envoyée : le gestionnaire la trouve dans le fil de son dossier.</p></div>",
                _ => "",
            },
            tableau(
                &format!("{} pièce(s) en retard", lignes_retards.len()),
                &[
                    ("Convention", false),
                    ("Département", false),
                    ("Exercice", true),
                    ("Pièce attendue", false),
                    ("Échéance", false),
                    ("Où elle en est", false),
                    ("Relance", false),
                ][..if relancer { 7 } else { 6 }],
                &lignes_retards,
            )
        )
    };
    Ok(Html(page(
        "Conventions",
        Some(&c),
        "/conventions",
        &format!(
            "<h1>Conventions d'objectifs et de financement</h1>\
             <p class=\"actions\"><a class=\"bouton secondaire\" href=\"/exports/conventions.csv\">Exporter (CSV)</a>\
             <a class=\"bouton secondaire\" href=\"/exports/conventions.xlsx\">Exporter (XLSX)</a></p>{}{section_retards}",
            tableau(
                &format!("{} convention(s)", lignes.len()),
                &[
                    ("Numéro", false),
                    ("Dossier", false),
                    ("Département", false),
                    ("État", false),
                    ("Période", false),
                    ("Signée le", false),
                    ("ETP notifiés", true)
                ],
                &lignes
            )
        ),
    )))
}

/// The form of a reminder.
#[derive(Debug, Deserialize)]
pub struct Relance {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    convention: i64,
    exercice: i32,
    piece: String,
}

/// `POST /conventions/relances`: a Caf agent reminds a gestionnaire of a late piece.
pub async fn relancer(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<Relance>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let piece = Piece::depuis_code(&f.piece)
        .ok_or_else(|| ErreurWeb::Refus(format!("pièce inconnue : « {} »", f.piece)))?;
    etat.plateforme
        .relancer(
            &c.acteur,
            &c.utilisateur.nom,
            ConventionId(f.convention),
            f.exercice,
            piece,
            time::OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(Redirect::to("/conventions?relance=envoyee").into_response())
}
