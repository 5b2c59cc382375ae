//! The evaluation of the AIP experiment: the indicators fixed in advance and the ten
//! départements side by side (`/evaluation`), each Caf's monograph with its figures
//! (`/evaluation/departements/{département}`), the national bilan for the Cas of the Cnaf as PDF
//! (`/evaluation/bilan.pdf`) and its open-data bundle (`/evaluation/bilan.zip`).
//!
//! The activity figures are read here through the activity crate (which sits above `app`), once
//! `app` has checked that the reader may see the evaluation; `app` adds the rest and assembles.

mod documents;
mod vue;

use std::collections::BTreeMap;

use activite::{Niveau, SuiviActivite};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Acteur;
use domain::evaluation::indicateurs::{Donnees, Evaluation};
use domain::evaluation::monographie::Textes;
use domain::experimentation;
use domain::identifiants::CodeDepartement;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;
use crate::session::Connecte;

/// The years of the experiment.
const EXERCICES: std::ops::RangeInclusive<i32> = 2024..=2025;

/// `?exercice=2024`.
#[derive(Debug, Deserialize)]
pub struct ChoixExercice {
    exercice: Option<String>,
    /// Set after a save, to say so.
    enregistree: Option<String>,
}

/// The year asked for, else the last year of the experiment begun.
fn exercice(choix: &ChoixExercice) -> Result<i32, ErreurWeb> {
    match &choix.exercice {
        None => Ok(OffsetDateTime::now_utc()
            .year()
            .clamp(*EXERCICES.start(), *EXERCICES.end())),
        Some(t) => t
            .parse::<i32>()
            .ok()
            .filter(|a| EXERCICES.contains(a))
            .ok_or(ErreurWeb::Introuvable),
    }
}

/// The evaluation of `exercice`, for a reader `app` lets see it.
async fn lire_evaluation(
    etat: &Etat,
    acteur: &Acteur,
    exercice: i32,
) -> Result<Evaluation, ErreurWeb> {
    app::exiger_lecture_evaluation(acteur)?;
    // The indicators compare the ten départements: their activity is read whole, as the Cnaf
    // reads it, once the reader is known to be allowed to see the evaluation.
    let lecteur = Acteur::cnaf(acteur.id);
    let structures = SuiviActivite::new(&etat.plateforme)
        .indicateurs(&lecteur, Niveau::Structure, exercice)
        .await?;
    let mut activite: BTreeMap<CodeDepartement, Donnees> = BTreeMap::new();
    for s in structures {
        let Some(d) = s
            .departement
            .as_deref()
            .and_then(|d| CodeDepartement::parse(d).ok())
        else {
            continue;
        };
        let t = &s.totaux;
        let positif = |n: i64| u64::try_from(n).unwrap_or(0);
        let donnees = activite.entry(d).or_default();
        donnees.entretiens += positif(t.entretiens);
        donnees.familles += positif(t.familles);
        donnees.premiers_contacts += positif(t.premiers_contacts);
        donnees.premiers_contacts_suivis += positif(t.premiers_contacts_suivis);
        donnees.entretiens_orientes += positif(t.entretiens_orientes);
        if t.entretiens > 0 {
            donnees.structures_actives += 1;
        }
        if let Some(e) = t.etp_annees {
            *donnees.etp_finances.get_or_insert(0.0) += e;
        }
        donnees.verses_centimes += t.verses_centimes.unwrap_or(0);
    }
    Ok(etat
        .plateforme
        .evaluation(acteur, exercice, activite)
        .await?)
}

fn departement(code: &str) -> Result<CodeDepartement, ErreurWeb> {
    CodeDepartement::parse(code)
        .ok()
        .filter(|d| experimentation::est_departement_aip(*d))
        .ok_or(ErreurWeb::Introuvable)
}

/// `GET /evaluation`: the indicators and the ten départements side by side.
pub async fn page(
    State(etat): State<Etat>,
    c: Connecte,
    Query(choix): Query<ChoixExercice>,
) -> Result<Html<String>, ErreurWeb> {
    let a = exercice(&choix)?;
    let e = lire_evaluation(&etat, &c.acteur, a).await?;
    Ok(Html(vue::page(&c, &e).into_string()))
}

/// `GET /evaluation/departements/{département}`: the monograph and its figures.
pub async fn monographie(
    State(etat): State<Etat>,
    c: Connecte,
    Path(code): Path<String>,
    Query(choix): Query<ChoixExercice>,
) -> Result<Html<String>, ErreurWeb> {
    let d = departement(&code)?;
    let a = exercice(&choix)?;
    let m = etat.plateforme.monographie(&c.acteur, d).await?;
    let e = lire_evaluation(&etat, &c.acteur, a).await?;
    Ok(Html(
        vue::monographie(
            &c,
            &m,
            &e,
            None,
            choix.enregistree.is_some(),
            &Erreurs::default(),
        )
        .into_string(),
    ))
}

/// The monograph's form.
#[derive(Debug, Deserialize)]
pub struct SaisieMonographie {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(flatten)]
    textes: Textes,
}

/// `POST /evaluation/departements/{département}`: a Caf agent saves a new version.
pub async fn enregistrer(
    State(etat): State<Etat>,
    c: Connecte,
    Path(code): Path<String>,
    Form(saisie): Form<SaisieMonographie>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(saisie.csrf.as_deref())?;
    let d = departement(&code)?;
    match etat
        .plateforme
        .enregistrer_monographie(&c.acteur, d, &saisie.textes, OffsetDateTime::now_utc())
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/evaluation/departements/{d}?enregistree=1")).into_response(),
        ),
        Err(app::ErreurApp::Refus(r)) if !r.est_un_refus_d_acces() => {
            let mut x = Erreurs::default();
            for r in r.un_par_un() {
                x.ajouter(r.champ().unwrap_or(""), r.sans_action());
            }
            let m = etat.plateforme.monographie(&c.acteur, d).await?;
            let a = exercice(&ChoixExercice {
                exercice: None,
                enregistree: None,
            })?;
            let e = lire_evaluation(&etat, &c.acteur, a).await?;
            Ok((
                x.statut(),
                Html(vue::monographie(&c, &m, &e, Some(&saisie.textes), false, &x).into_string()),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn fichier_joint(type_: &str, nom: &str, disposition: &str, octets: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, type_.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"{nom}\""),
            ),
        ],
        octets,
    )
        .into_response()
}

/// `GET /evaluation/bilan.pdf`: the national bilan for the Cas of the Cnaf.
pub async fn bilan_pdf(
    State(etat): State<Etat>,
    c: Connecte,
    Query(choix): Query<ChoixExercice>,
) -> Result<Response, ErreurWeb> {
    let a = exercice(&choix)?;
    let e = lire_evaluation(&etat, &c.acteur, a).await?;
    let monographies = etat.plateforme.monographies(&c.acteur).await?;
    Ok(fichier_joint(
        "application/pdf",
        &format!("bilan-experimentation-aip-{a}.pdf"),
        "inline",
        documents::pdf(&e, &monographies),
    ))
}

/// `GET /evaluation/bilan.zip`: the open-data bundle of the indicators.
pub async fn bilan_zip(
    State(etat): State<Etat>,
    c: Connecte,
    Query(choix): Query<ChoixExercice>,
) -> Result<Response, ErreurWeb> {
    let a = exercice(&choix)?;
    let e = lire_evaluation(&etat, &c.acteur, a).await?;
    Ok(fichier_joint(
        "application/zip",
        &format!("evaluation-aip-{a}.zip"),
        "attachment",
        documents::archive(&e)?,
    ))
}
