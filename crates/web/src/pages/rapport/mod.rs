//! The coordination instance's annual report: its page (`/coordination/{département}/rapport/
//! {année}`), the same as PDF, as JSON and as CSV (`….pdf`, `….json`, `….csv`), its sending to
//! the Cnaf by the Caf's secretariat, and the Cnaf's comparison of every département's report of
//! a year (`/coordination/rapports/{année}`).

mod donnees;
mod vue;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::identifiants::CodeDepartement;
use time::OffsetDateTime;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Echec, Erreurs};
use crate::session::Connecte;

/// The years a report may be asked for.
const ANNEES: std::ops::RangeInclusive<i32> = 2000..=2100;

fn departement(code: &str) -> Result<CodeDepartement, ErreurWeb> {
    CodeDepartement::parse(code).map_err(|_| ErreurWeb::Introuvable)
}

fn annee(texte: &str) -> Result<i32, ErreurWeb> {
    texte
        .parse::<i32>()
        .ok()
        .filter(|a| ANNEES.contains(a))
        .ok_or(ErreurWeb::Introuvable)
}

/// `GET /coordination/{département}/rapport/{fichier}`: `2025` is the page, `2025.pdf`,
/// `2025.json` and `2025.csv` the documents.
pub async fn rapport(
    State(etat): State<Etat>,
    c: Connecte,
    Path((code, fichier)): Path<(String, String)>,
) -> Result<Response, ErreurWeb> {
    let d = departement(&code)?;
    let (texte, extension) = fichier.split_once('.').unwrap_or((fichier.as_str(), ""));
    let a = annee(texte)?;
    let v = etat
        .plateforme
        .rapport_annuel(&c.acteur, d, a, OffsetDateTime::now_utc())
        .await?;
    let nom = format!("rapport-annuel-{d}-{a}");
    match extension {
        "" => Ok(Html(vue::page(&c, &v, None, &Erreurs::default()).into_string()).into_response()),
        "pdf" => Ok(fichier_joint(
            "application/pdf",
            &format!("{nom}.pdf"),
            "inline",
            donnees::pdf(&v),
        )),
        "json" => Ok(fichier_joint(
            "application/json",
            &format!("{nom}.json"),
            "inline",
            donnees::json(&v)?,
        )),
        "csv" => Ok(fichier_joint(
            "text/csv; charset=utf-8",
            &format!("{nom}.csv"),
            "attachment",
            donnees::csv(&v)?,
        )),
        _ => Err(ErreurWeb::Introuvable),
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

/// `POST /coordination/{département}/rapport/{année}/envoi`: the secretariat sends the report
/// to the Cnaf; a refusal (already sent, year not over) is shown on the page, next to the button.
pub async fn envoyer(
    State(etat): State<Etat>,
    c: Connecte,
    Path((code, texte)): Path<(String, String)>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let d = departement(&code)?;
    let a = annee(&texte)?;
    let jeton = form_urlencoded::parse(&corps)
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.into_owned());
    c.verifier_csrf(jeton.as_deref())?;
    let maintenant = OffsetDateTime::now_utc();
    match etat
        .plateforme
        .envoyer_rapport_annuel(&c.acteur, d, a, maintenant)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/coordination/{d}/rapport/{a}")).into_response()),
        Err(e) => match Echec::app(e, &[], "annee") {
            Echec::Page(w) => Err(w),
            Echec::Saisie(x) => {
                let v = etat
                    .plateforme
                    .rapport_annuel(&c.acteur, d, a, maintenant)
                    .await?;
                Ok((x.statut(), Html(vue::page(&c, &v, None, &x).into_string())).into_response())
            }
        },
    }
}

/// `GET /coordination/rapports/{année}`: the Cnaf's comparison of the départements' reports.
pub async fn comparaison(
    State(etat): State<Etat>,
    c: Connecte,
    Path(texte): Path<String>,
) -> Result<Html<String>, ErreurWeb> {
    let a = annee(&texte)?;
    let lignes = etat.plateforme.rapports_de_l_annee(&c.acteur, a).await?;
    Ok(Html(vue::comparaison(&c, a, &lignes).into_string()))
}
