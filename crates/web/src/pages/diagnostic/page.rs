//! `GET /coordination/diagnostic` and `GET /coordination/diagnostic.csv`: the shared diagnosis
//! of the offer of a scheme in a département (its communes, EPCI and total; places per 10 000
//! inhabitants; the communes with no place within the distance), with its map and its tables,
//! and the same per commune as a spreadsheet file.

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::appel_a_projets::Dispositif;
use domain::territoire::couverture::{Couverture, DiagnosticCouverture, LigneTerritoire};
use maud::{Markup, html};
use serde::Deserialize;
use tableur::{Cellule, Colonne as ColonneTableur, Format, Tableau};

use super::carte::carte_couverture;
use super::{Territoire, liens_coordination, options_departements};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::fr;
use crate::session::Connecte;
use crate::vue::{self, Colonne, tableau};

/// The diagnosis asked for, as the query string gives it.
#[derive(Debug, Deserialize, Default)]
pub struct Choix {
    pub departement: Option<String>,
    pub dispositif: Option<String>,
    pub rayon: Option<String>,
}

/// The diagnosis asked for, read: a value that names nothing is an error next to its field, and
/// the default is used.
struct Parametres {
    territoire: Territoire,
    dispositif: Dispositif,
    rayon_km: f64,
    rayon_saisi: String,
    erreurs: Erreurs,
}

fn lire(etat: &Etat, c: &Connecte, choix: &Choix) -> Result<Parametres, ErreurWeb> {
    let territoire = Territoire::lire(etat, c, choix.departement.as_deref())?;
    let mut erreurs = territoire.erreurs.clone();
    let code = choix.dispositif.as_deref().unwrap_or_default().trim();
    let dispositif = match Dispositif::TOUS.into_iter().find(|d| d.code() == code) {
        Some(d) => d,
        None => {
            if !code.is_empty() {
                erreurs.ajouter("dispositif", "Dispositif : choisissez-en un dans la liste");
            }
            Dispositif::Aip
        }
    };
    let saisi = choix.rayon.as_deref().unwrap_or_default().trim().to_owned();
    let rayon_km = if saisi.is_empty() {
        app::RAYON_PAR_DEFAUT_KM
    } else {
        match saisi.replace(',', ".").parse::<f64>() {
            Ok(r) if r > 0.0 && r <= app::RAYON_MAX_KM => r,
            _ => {
                erreurs.ajouter(
                    "rayon",
                    format!(
                        "Distance : un nombre de kilomètres supérieur à 0 et au plus {} est attendu (reçu « {saisi} »)",
                        fr::nombre(app::RAYON_MAX_KM)
                    ),
                );
                app::RAYON_PAR_DEFAUT_KM
            }
        }
    };
    Ok(Parametres {
        territoire,
        dispositif,
        rayon_km,
        rayon_saisi: if saisi.is_empty() {
            fr::nombre(app::RAYON_PAR_DEFAUT_KM)
        } else {
            saisi
        },
        erreurs,
    })
}

/// The query string of the diagnosis shown (for the download link).
fn requete(p: &Parametres, d: &DiagnosticCouverture) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("departement", p.territoire.departement.as_str())
        .append_pair("dispositif", p.dispositif.code())
        .append_pair("rayon", &d.rayon_km.to_string())
        .finish()
}

const fn colonne(titre: &'static str, nombre: bool) -> Colonne<'static> {
    Colonne { titre, nombre }
}

fn pour_10_000(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{:.2}", v).replace('.', ","))
}

fn ligne_territoire(t: &LigneTerritoire) -> Vec<Markup> {
    vec![
        html! { (t.nom) },
        html! { (fr::entier(t.communes)) },
        html! { (fr::entier(t.population)) },
        html! { (fr::entier(t.lieux)) },
        html! { (pour_10_000(t.lieux_pour_10_000)) },
        html! { (fr::entier(t.communes_non_couvertes)) },
        html! { (fr::entier(t.population_non_couverte)) },
    ]
}

const COLONNES_TERRITOIRE: [Colonne<'static>; 7] = [
    colonne("Territoire", false),
    colonne("Communes", true),
    colonne("Population", true),
    colonne("Lieux", true),
    colonne("Lieux pour 10 000 habitants", true),
    colonne("Communes non couvertes", true),
    colonne("Population non couverte", true),
];

fn gabarit(p: &Parametres, d: &DiagnosticCouverture) -> Markup {
    let libelle = p.dispositif.libelle();
    let rayon = fr::nombre(d.rayon_km);
    let options_dispositifs: Vec<(&str, &str)> = Dispositif::TOUS
        .iter()
        .map(|d| (d.code(), d.libelle()))
        .collect();
    let departements = options_departements(&p.territoire.departements);
    let options: Vec<(&str, &str)> = departements
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let non_couvertes: Vec<Vec<Markup>> = d
        .non_couvertes()
        .map(|l| {
            vec![
                html! { (l.code.as_str()) },
                html! { (l.nom) },
                html! { (l.epci.as_ref().map_or("—", |e| e.1.as_str())) },
                html! { (fr::entier(l.population)) },
            ]
        })
        .collect();
    let lieux: Vec<Vec<Markup>> = d
        .lieux
        .iter()
        .map(|(l, _)| l)
        .chain(&d.lieux_non_localises)
        .map(|l| vec![html! { (l.nom) }, html! { (l.commune.as_str()) }])
        .collect();
    let toutes: Vec<Vec<Markup>> = d
        .communes
        .iter()
        .map(|l| {
            vec![
                html! { (l.code.as_str()) },
                html! { (l.nom) },
                html! { (fr::entier(l.population)) },
                html! { (fr::entier(l.lieux)) },
                html! {
                    @match l.couverture {
                        Couverture::Couverte { distance_km } => { "oui (" (fr::nombre(distance_km)) " km)" }
                        Couverture::NonCouverte => { "non" }
                        Couverture::PositionInconnue => { "position inconnue" }
                    }
                },
            ]
        })
        .collect();
    let epci: Vec<Vec<Markup>> = d.epci.iter().map(ligne_territoire).collect();
    html! {
        h1 { "Diagnostic partagé de l'offre" }
        (p.erreurs.resume())
        p {
            "L'offre d'un dispositif est l'ensemble des lieux d'accueil cités par les projets de ce dispositif "
            "validés par le comité dans le département. Les distances sont mesurées à vol d'oiseau (grand cercle) "
            "entre le centre de la commune et celui de la commune du lieu."
        }
        (liens_coordination(p.territoire.departement, "/coordination/diagnostic"))
        form method="get" action="/coordination/diagnostic" class="filtres" novalidate {
            (Champ::new("departement", "Département").erreurs(&p.erreurs).liste(&options, p.territoire.departement.as_str()))
            (Champ::new("dispositif", "Dispositif").erreurs(&p.erreurs).liste(&options_dispositifs, p.dispositif.code()))
            (Champ::new("rayon", "Distance en kilomètres").aide("10 km si rien n'est saisi").erreurs(&p.erreurs).clavier(Clavier::Decimal).texte(&p.rayon_saisi))
            button type="submit" class="secondaire" { "Afficher" }
        }
        h2 { "Chiffres clés : " (d.total.nom) ", offre " (libelle) ", " (rayon) " km" }
        (tableau(
            &format!("Le département, offre {libelle}"),
            &COLONNES_TERRITOIRE,
            &[ligne_territoire(&d.total)],
        ))
        p {
            a href={ "/coordination/diagnostic.csv?" (requete(p, d)) } download {
                "Télécharger le diagnostic par commune (CSV)"
            }
        }
        h2 { "Carte de la couverture" }
        (carte_couverture("carte-couverture", d, libelle))
        h2 #non-couvertes { "Communes sans lieu " (libelle) " à moins de " (rayon) " km" }
        (tableau(
            &format!("{} communes sans lieu {libelle} à moins de {rayon} km", fr::entier(d.total.communes_non_couvertes)),
            &[colonne("Code INSEE", false), colonne("Commune", false), colonne("EPCI", false), colonne("Population", true)],
            &non_couvertes,
        ))
        h2 { "Par EPCI" }
        (tableau(&format!("Offre {libelle} par EPCI (communes du département seulement)"), &COLONNES_TERRITOIRE, &epci))
        h2 { "Lieux de l'offre" }
        (tableau(
            &format!("{} lieux d'accueil de l'offre {libelle}", fr::entier(lieux.len() as u64)),
            &[colonne("Lieu", false), colonne("Commune (code INSEE)", false)],
            &lieux,
        ))
        details {
            summary { "Toutes les communes du département" }
            (tableau(
                &format!("Couverture de chaque commune à moins de {rayon} km"),
                &[colonne("Code INSEE", false), colonne("Commune", false), colonne("Population", true), colonne("Lieux", true), colonne("Couverte", false)],
                &toutes,
            ))
        }
    }
}

/// `GET /coordination/diagnostic`. A parameter out of its list is reported next to its field
/// (422), the page showing the defaults.
pub async fn page_diagnostic(
    State(etat): State<Etat>,
    c: Connecte,
    Query(choix): Query<Choix>,
) -> Result<Response, ErreurWeb> {
    let p = lire(&etat, &c, &choix)?;
    let d = etat
        .plateforme
        .diagnostic_couverture(
            &c.acteur,
            p.territoire.departement,
            p.dispositif,
            p.rayon_km,
        )
        .await?;
    let statut = if p.erreurs.est_vide() {
        StatusCode::OK
    } else {
        p.erreurs.statut()
    };
    let titre = p.erreurs.titre("Diagnostic partagé de l'offre");
    Ok((
        statut,
        Html(
            vue::page(
                &titre,
                Some(&c),
                "/coordination/diagnostic",
                gabarit(&p, &d),
            )
            .into_string(),
        ),
    )
        .into_response())
}

/// `GET /coordination/diagnostic.csv`: one line per commune (for a French spreadsheet: `;`,
/// decimal comma). A parameter out of its list is refused (400 page).
pub async fn telecharger_diagnostic(
    State(etat): State<Etat>,
    c: Connecte,
    Query(choix): Query<Choix>,
) -> Result<Response, ErreurWeb> {
    let p = lire(&etat, &c, &choix)?;
    if !p.erreurs.est_vide() {
        return Err(ErreurWeb::Refus(
            "paramètres du diagnostic incorrects : département, dispositif ou distance".to_owned(),
        ));
    }
    let d = etat
        .plateforme
        .diagnostic_couverture(
            &c.acteur,
            p.territoire.departement,
            p.dispositif,
            p.rayon_km,
        )
        .await?;
    let col = ColonneTableur::new;
    let centiemes = |v: f64| Cellule::Centiemes((v * 100.0).round() as i64);
    let t = Tableau {
        titre: format!(
            "Diagnostic {} {} {} km",
            d.total.nom,
            p.dispositif.libelle(),
            fr::nombre(d.rayon_km)
        ),
        colonnes: vec![
            col("Département", "departement"),
            col("Code INSEE", "commune"),
            col("Commune", "nom"),
            col("EPCI (SIREN)", "epci"),
            col("EPCI", "nom_epci"),
            col("Population", "population"),
            col("Dispositif", "dispositif"),
            col("Lieux", "lieux"),
            col("Lieux pour 10 000 habitants", "lieux_pour_10000"),
            col("Distance du lieu le plus proche (km)", "distance_km"),
            col("Couverture", "couverture"),
        ],
        lignes: d
            .communes
            .iter()
            .map(|l| {
                vec![
                    Cellule::Texte(d.departement.as_str().to_owned()),
                    Cellule::Texte(l.code.as_str().to_owned()),
                    Cellule::Texte(l.nom.clone()),
                    l.epci
                        .as_ref()
                        .map_or(Cellule::Vide, |e| Cellule::Texte(e.0.clone())),
                    l.epci
                        .as_ref()
                        .map_or(Cellule::Vide, |e| Cellule::Texte(e.1.clone())),
                    Cellule::Entier(i64::from(l.population)),
                    Cellule::Texte(p.dispositif.code().to_owned()),
                    Cellule::Entier(i64::from(l.lieux)),
                    domain::territoire::couverture::pour_10_000(l.lieux, u64::from(l.population))
                        .map_or(Cellule::Vide, centiemes),
                    match l.couverture {
                        Couverture::Couverte { distance_km } => centiemes(distance_km),
                        _ => Cellule::Vide,
                    },
                    Cellule::Texte(
                        match l.couverture {
                            Couverture::Couverte { .. } => "couverte",
                            Couverture::NonCouverte => "non couverte",
                            Couverture::PositionInconnue => "position inconnue",
                        }
                        .to_owned(),
                    ),
                ]
            })
            .collect(),
    };
    let mut octets = Vec::new();
    t.ecrire(Format::CsvTableur, &mut octets)
        .map_err(|e| ErreurWeb::Interne(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"diagnostic-{}-{}.csv\"",
                    d.departement.as_str(),
                    p.dispositif.code()
                ),
            ),
        ],
        octets,
    )
        .into_response())
}
