//! `GET /territoires/communes/{code}` and `GET /territoires/communes/{code}/fiche.csv`: the
//! fiche of a commune (population, EPCI, its offer by scheme, its coverage, the nearest place
//! of each scheme, a link to the directory's search around it), and its figures as a file.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use domain::appel_a_projets::Dispositif;
use domain::identifiants::CodeInsee;
use domain::territoire::couverture::Couverture;
use domain::territoire::fiche::{FicheCommune, LigneOffre, RAYON_PROXIMITE_KM};
use maud::{Markup, html};
use tableur::{Cellule, Tableau};

use super::departement::colonnes_csv;
use super::{ACTIF, avertissement_secret, cellule, compte, fichier_csv};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::fr;
use crate::vue::{self, Colonne, tableau};

/// The fiche of the commune `code`, or 404 when no current commune has it.
async fn lire(etat: &Etat, code: &str) -> Result<FicheCommune, ErreurWeb> {
    let commune = CodeInsee::parse(code).map_err(|_| ErreurWeb::Introuvable)?;
    etat.plateforme
        .fiche_commune(commune)
        .await?
        .ok_or(ErreurWeb::Introuvable)
}

fn ligne_offre(l: &LigneOffre) -> Vec<Markup> {
    vec![
        html! { (l.dispositif.map_or("Ensemble des dispositifs", Dispositif::libelle)) },
        compte(l.lieux),
        compte(l.services),
    ]
}

fn gabarit(f: &FicheCommune) -> Markup {
    let departement = domain::territoire::departement(f.departement);
    let nom_departement = departement.map_or("", |d| d.nom.as_str());
    let rayon = fr::nombre(f.rayon_km);
    let mut offre: Vec<Vec<Markup>> = f.offre.iter().map(ligne_offre).collect();
    offre.push(ligne_offre(&f.total));
    let proximite: Vec<Vec<Markup>> = f
        .proximite
        .iter()
        .map(|p| match &p.plus_proche {
            Some((code, nom, distance)) => vec![
                html! { (p.dispositif.libelle()) },
                html! { a href={ "/territoires/communes/" (code.as_str()) } { (nom) } },
                html! { (fr::nombre(*distance)) " km" },
            ],
            None => vec![
                html! { (p.dispositif.libelle()) },
                html! { "aucun lieu à moins de " (fr::nombre(RAYON_PROXIMITE_KM)) " km" },
                html! { "—" },
            ],
        })
        .collect();
    let code = f.code.as_str();
    html! {
        nav.fil-ariane aria-label="Fil d’Ariane" {
            a href="/territoires" { "Fiches territoires" } " › "
            a href={ "/territoires/" (f.departement.as_str()) } { (nom_departement) } " › "
            (f.nom)
        }
        h1 { "Fiche territoire de la commune " (f.nom) " (" (code) ")" }
        (avertissement_secret())
        p { a href={ "/territoires/communes/" (code) "/fiche.csv" } download { "Télécharger les chiffres de la fiche (CSV)" } }
        p {
            a.bouton href={ "/annuaire?commune=" (code) } { "Trouver un service près de " (f.nom) }
        }
        h2 { "Chiffres clés" }
        dl.chiffres-cles {
            dt { "Population" } dd { (fr::entier(f.population)) " habitants" }
            dt { "Département" } dd { a href={ "/territoires/" (f.departement.as_str()) } { (nom_departement) " (" (f.departement.as_str()) ")" } }
            dt { "Intercommunalité (EPCI)" } dd { (f.epci.as_ref().map_or("aucune connue", |e| e.1.as_str())) }
            dt { "Couverture à moins de " (rayon) " km" }
            dd {
                @match f.couverture {
                    Couverture::Couverte { distance_km } => { "couverte : un lieu d'accueil à " (fr::nombre(distance_km)) " km" }
                    Couverture::NonCouverte => { "non couverte : aucun lieu d'accueil à moins de " (rayon) " km" }
                    Couverture::PositionInconnue => { "position de la commune inconnue" }
                }
            }
        }
        h2 { "L'offre dans la commune" }
        (tableau(
            &format!("Offre de soutien à la parentalité à {} par dispositif", f.nom),
            &[
                Colonne { titre: "Dispositif", nombre: false },
                Colonne { titre: "Lieux d'accueil", nombre: true },
                Colonne { titre: "Services de l'annuaire", nombre: true },
            ],
            &offre,
        ))
        h2 { "L'offre à proximité" }
        (tableau(
            &format!("Lieu d'accueil le plus proche de {} pour chaque dispositif", f.nom),
            &[
                Colonne { titre: "Dispositif", nombre: false },
                Colonne { titre: "Commune du lieu le plus proche", nombre: false },
                Colonne { titre: "Distance à vol d'oiseau", nombre: true },
            ],
            &proximite,
        ))
    }
}

/// `GET /territoires/communes/{code}`: the fiche, or 404 in French.
pub async fn fiche_commune(
    State(etat): State<Etat>,
    Path(code): Path<String>,
) -> Result<Response, ErreurWeb> {
    let f = lire(&etat, &code).await?;
    let titre = format!(
        "Fiche territoire de la commune {} ({})",
        f.nom,
        f.code.as_str()
    );
    Ok(Html(vue::page(&titre, None, ACTIF, gabarit(&f)).into_string()).into_response())
}

/// `GET /territoires/communes/{code}/fiche.csv`: the figures of the fiche, one per line.
pub async fn csv_commune(
    State(etat): State<Etat>,
    Path(code): Path<String>,
) -> Result<Response, ErreurWeb> {
    let f = lire(&etat, &code).await?;
    let territoire = Cellule::Texte(f.code.as_str().to_owned());
    let ligne = |rubrique: &str, dispositif: &str, valeur: Cellule| {
        vec![
            territoire.clone(),
            Cellule::Texte(rubrique.to_owned()),
            Cellule::Texte(dispositif.to_owned()),
            valeur,
        ]
    };
    let mut lignes = vec![ligne(
        "population",
        "",
        Cellule::Entier(i64::from(f.population)),
    )];
    for l in f.offre.iter().chain([&f.total]) {
        let d = l.dispositif.map_or("ensemble", Dispositif::code);
        lignes.push(ligne("lieux", d, cellule(l.lieux)));
        lignes.push(ligne("services_annuaire", d, cellule(l.services)));
    }
    for p in &f.proximite {
        lignes.push(ligne(
            "distance_lieu_le_plus_proche_km",
            p.dispositif.code(),
            p.plus_proche.as_ref().map_or(Cellule::Vide, |(_, _, d)| {
                Cellule::Centiemes((d * 100.0).round() as i64)
            }),
        ));
    }
    let t = Tableau {
        titre: format!("Fiche territoire {}", f.nom),
        colonnes: colonnes_csv(),
        lignes,
    };
    fichier_csv(&t, &format!("fiche-territoire-{}.csv", f.code.as_str()))
}
