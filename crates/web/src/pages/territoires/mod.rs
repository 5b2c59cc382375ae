//! The public fiches territoires, open without an account (COG 2018-2022 of the Cnaf, fiche
//! thématique 16, action 4.1): `/territoires` (the départements, and a search of a commune by
//! its name), `/territoires/{dep}` (a département: its offer by scheme, its coverage map, the
//! AIP's activity), `/territoires/communes/{code}` (a commune: its offer and the nearest
//! places), each with its CSV file. Every count under 5 is masked (`domain::territoire::fiche`).

mod commune;
mod departement;

use axum::extract::Query;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use domain::territoire::fiche::Chiffre;
use maud::{Markup, html};
use serde::Deserialize;
use tableur::{Cellule, Format, Tableau};

pub use commune::{csv_commune, fiche_commune};
pub use departement::{csv_departement, fiche_departement};

use crate::erreur::ErreurWeb;
use crate::formulaire::Champ;
use crate::fr;
use crate::vue::{self, Colonne, tableau};

// The fiches mask counts with the threshold of the AIP activity's open data.
const _: () = assert!(activite::SEUIL_SECRET as u64 == domain::territoire::fiche::SEUIL_SECRET);

/// How a masked count is written, on the pages and in the files.
pub const MASQUE: &str = "< 5";

/// How many communes a search by name answers at most.
const RESULTATS_RECHERCHE_MAX: usize = 30;

/// The menu entry of the fiches.
const ACTIF: &str = "/territoires";

/// A count as written on a page: `1 234`, `0` or `< 5`, in a `span.compte` (every count of a
/// fiche is one, so that a test can read them all).
fn compte(c: Chiffre) -> Markup {
    html! {
        span.compte {
            @match c {
                Chiffre::Publie(v) => { (fr::entier(v)) }
                Chiffre::Masque => { (MASQUE) }
            }
        }
    }
}

/// A count in a CSV file.
fn cellule(c: Chiffre) -> Cellule {
    match c {
        Chiffre::Publie(v) => Cellule::Entier(i64::try_from(v).unwrap_or(i64::MAX)),
        Chiffre::Masque => Cellule::Texte(MASQUE.to_owned()),
    }
}

/// A rate per 10 000 inhabitants, to the hundredth, or « — » when masked or not computable.
fn taux(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}").replace('.', ","))
}

/// The explanation of the masking, on every fiche.
fn avertissement_secret() -> Markup {
    html! {
        p.aide {
            "Secret statistique : tout effectif de 1 à 4 est remplacé par « " (MASQUE) " », et un "
            "second effectif est masqué lorsque le premier pourrait être retrouvé par différence "
            "avec un total affiché. Les lieux d'accueil sont ceux des projets validés par le comité "
            "départemental ; un lieu qui accueille plusieurs dispositifs compte dans chacun."
        }
    }
}

/// The addresses of the fiches for the sitemap (relative): the list, the 101 départements and
/// the communes with an offer (a place or a published service).
pub(crate) async fn adresses_plan_du_site(etat: &crate::Etat) -> Result<Vec<String>, ErreurWeb> {
    let mut adresses = vec!["/territoires".to_owned()];
    adresses.extend(
        domain::territoire::departements()
            .iter()
            .map(|d| format!("/territoires/{}", d.code.as_str())),
    );
    adresses.extend(
        etat.plateforme
            .communes_avec_offre()
            .await?
            .into_iter()
            .map(|c| format!("/territoires/communes/{}", c.as_str())),
    );
    Ok(adresses)
}

/// A CSV file (for a French spreadsheet: `;`, UTF-8 with BOM) named `nom`.
fn fichier_csv(t: &Tableau, nom: &str) -> Result<Response, ErreurWeb> {
    let mut octets = Vec::new();
    t.ecrire(Format::CsvTableur, &mut octets)
        .map_err(|e| ErreurWeb::Interne(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{nom}\""),
            ),
        ],
        octets,
    )
        .into_response())
}

/// The search of a commune, as the query string gives it.
#[derive(Debug, Default, Deserialize)]
pub struct Recherche {
    pub commune: Option<String>,
}

/// `GET /territoires`: the départements, and the communes `?commune=` designates (as the
/// directory's suggestions find them: a name or part of it, a postcode, an INSEE code).
pub async fn liste(Query(recherche): Query<Recherche>) -> Result<Response, ErreurWeb> {
    let saisi = recherche.commune.unwrap_or_default();
    let saisi = saisi.trim();
    let trouvees = crate::pages::annuaire::index_communes()
        .ok_or_else(|| ErreurWeb::Interne("référentiel des communes illisible".to_owned()))?
        .suggerer(saisi, RESULTATS_RECHERCHE_MAX);
    let departements: Vec<Vec<Markup>> = domain::territoire::departements()
        .iter()
        .map(|d| {
            vec![
                html! { (d.code.as_str()) },
                html! { a href={ "/territoires/" (d.code.as_str()) } { (d.nom) } },
                html! { (d.region) },
                html! { (fr::entier(d.population)) },
            ]
        })
        .collect();
    let contenu = html! {
        h1 { "Fiches territoires" }
        p {
            "L'offre de soutien à la parentalité de chaque département et de chaque commune : "
            "les lieux d'accueil par dispositif, la couverture des communes et l'activité de "
            "l'accompagnement individuel parentalité (AIP). Ces fiches sont publiques ; leurs "
            "chiffres sont aussi téléchargeables."
        }
        (avertissement_secret())
        h2 { "Chercher une commune" }
        form.filtres method="get" action="/territoires" role="search" {
            (Champ::new("commune", "Nom de la commune, code postal ou code INSEE").aide("Au moins 2 caractères, par exemple « Voiron »").autocomplete("off").texte(saisi))
            button type="submit" class="secondaire" { "Chercher" }
        }
        @if !saisi.is_empty() {
            h2 #resultats { "Communes trouvées pour « " (saisi) " »" }
            @if trouvees.is_empty() {
                p { "Aucune commune ne correspond à « " (saisi) " »." }
            } @else {
                p { (fr::entier(trouvees.len() as u64)) " commune" @if trouvees.len() > 1 { "s" } " (au plus " (RESULTATS_RECHERCHE_MAX) ")." }
                ul.resultats-communes {
                    @for c in &trouvees {
                        li {
                            a href={ "/territoires/communes/" (c.code.as_str()) } { (c.nom) }
                            " (" (c.code.as_str()) ", "
                            (domain::territoire::departement(c.departement).map_or("", |d| d.nom.as_str()))
                            ")"
                        }
                    }
                }
            }
        }
        h2 { "Les départements" }
        (tableau(
            "Les 101 départements et leur fiche",
            &[
                Colonne { titre: "Code", nombre: false },
                Colonne { titre: "Département", nombre: false },
                Colonne { titre: "Région", nombre: false },
                Colonne { titre: "Population", nombre: true },
            ],
            &departements,
        ))
    };
    let titre = if saisi.is_empty() {
        "Fiches territoires".to_owned()
    } else {
        format!("Communes « {saisi} » – Fiches territoires")
    };
    Ok(Html(vue::page(&titre, None, ACTIF, contenu).into_string()).into_response())
}
