//! The comité des financeurs as a sitting across all schemes (Lettre circulaire Cnaf 2012-093,
//! §43): the list of sittings (`/comite`), one sitting's page with its agenda grouped by scheme,
//! each scheme's common criteria, what each dossier asks of each funder, the forms of the reader
//! (a funder's opinion before and its own decision after; the Caf's outcome) and the sitting's
//! financing plan (`/comite/{département}/{date}`), and the financing plan year by year
//! (`/comite/plan`). The forms call the existing use cases, which check who may do what.

mod plan;
mod saisie;
mod seance;

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use domain::identifiants::CodeDepartement;
use maud::html;
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;
use crate::fr;
use crate::session::Connecte;
use crate::vue::{Colonne, tableau};

pub use plan::plan;
pub use saisie::enregistrer;

/// The address of a sitting's page.
pub(crate) fn adresse(departement: CodeDepartement, date: Date) -> String {
    format!("/comite/{}/{date}", departement.as_str())
}

/// The département and the date of a sitting's address.
fn lire_seance(departement: &str, date: &str) -> Result<(CodeDepartement, Date), ErreurWeb> {
    let departement = CodeDepartement::parse(departement).map_err(|_| ErreurWeb::Introuvable)?;
    let date = Date::parse(date, format_description!("[year]-[month]-[day]"))
        .map_err(|_| ErreurWeb::Introuvable)?;
    Ok((departement, date))
}

/// The département's name as a title reads it: « de l'Isère ».
fn nom_du_departement(departement: CodeDepartement) -> String {
    domain::territoire::departement(departement).map_or_else(
        || format!("du {}", departement.as_str()),
        |d| d.nom_precede_de(),
    )
}

/// `GET /comite`: the sittings the reader may see, the coming ones first.
pub async fn liste(State(etat): State<Etat>, c: Connecte) -> Result<Html<String>, ErreurWeb> {
    let seances = etat.plateforme.seances_du_comite(&c.acteur).await?;
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let lignes: Vec<Vec<maud::Markup>> = seances
        .iter()
        .map(|s| {
            vec![
                html! { a href=(adresse(s.departement, s.date)) { "Séance du " (fr::date(s.date)) } },
                html! { (s.departement.as_str()) " – " (nom_du_departement(s.departement)) },
                html! { @if s.date >= aujourd_hui { "à venir" } @else { "tenue" } },
            ]
        })
        .collect();
    let contenu = html! {
        h1 { "Comité des financeurs" }
        p {
            "Le comité examine conjointement les demandes de financement de tous les dispositifs ; "
            "chaque financeur reste décisionnaire des financements qu'il accorde "
            "(lettre circulaire Cnaf n° 2012-093, §43)."
        }
        p { a class="bouton secondaire" href="/comite/plan" { "Plan de financement par année" } }
        (tableau(
            "Séances du comité des financeurs",
            &[
                Colonne { titre: "Séance", nombre: false },
                Colonne { titre: "Département", nombre: false },
                Colonne { titre: "État", nombre: false },
            ],
            &lignes,
        ))
    };
    Ok(Html(
        crate::vue::page("Comité des financeurs", Some(&c), "/comite", contenu).into_string(),
    ))
}

/// What follows a sitting's address after an action (`?fait=…`).
#[derive(Debug, Deserialize)]
pub struct SuiteSeance {
    fait: Option<String>,
    dossier: Option<i64>,
}

/// `GET /comite/{département}/{date}`: one sitting.
pub async fn page_seance(
    State(etat): State<Etat>,
    c: Connecte,
    Path((departement, date)): Path<(String, String)>,
    Query(suite): Query<SuiteSeance>,
) -> Result<Response, ErreurWeb> {
    let (departement, date) = lire_seance(&departement, &date)?;
    let fait = suite.fait.as_deref().zip(suite.dossier);
    let page = seance::rendre(
        &etat,
        &c,
        departement,
        date,
        fait,
        None,
        &Erreurs::default(),
    )
    .await?;
    Ok(Html(page).into_response())
}
