//! `GET /territoires/{dep}` and `GET /territoires/{dep}/fiche.csv`: the fiche of a département
//! (its offer by scheme, population, places per 10 000 inhabitants beside the national rate,
//! coverage map with its table, the AIP's activity of its latest year, its communes with an
//! offer), and the same figures as a spreadsheet file.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use domain::appel_a_projets::Dispositif;
use domain::identifiants::CodeDepartement;
use domain::territoire::couverture::Couverture;
use domain::territoire::fiche::{FicheDepartement, LigneOffre};
use maud::{Markup, html};
use tableur::{Cellule, Colonne as ColonneTableur, Tableau};

use super::{ACTIF, avertissement_secret, cellule, compte, fichier_csv, taux};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::fr;
use crate::pages::diagnostic::carte::carte_couverture_sans_lieux;
use crate::vue::{self, Colonne, tableau};

/// The fiche of the département `code`, or 404 when it names none of the 101.
async fn lire(etat: &Etat, code: &str) -> Result<FicheDepartement, ErreurWeb> {
    let departement = CodeDepartement::parse(code).map_err(|_| ErreurWeb::Introuvable)?;
    etat.plateforme
        .fiche_departement(departement)
        .await?
        .ok_or(ErreurWeb::Introuvable)
}

/// « de l'Isère », « du Rhône »…
fn nom_precede_de(f: &FicheDepartement) -> String {
    domain::territoire::departement(f.departement)
        .map_or_else(|| f.nom.clone(), |d| d.nom_precede_de())
}

fn libelle(l: &LigneOffre) -> &'static str {
    l.dispositif
        .map_or("Ensemble des dispositifs", Dispositif::libelle)
}

fn ligne_offre(l: &LigneOffre) -> Vec<Markup> {
    vec![
        html! { (libelle(l)) },
        html! { @if let Some(d) = l.dossiers { (compte(d)) } },
        html! { (compte(l.lieux)) },
        html! { (compte(l.services)) },
        html! { (taux(l.lieux_pour_10_000)) },
    ]
}

fn gabarit(f: &FicheDepartement) -> Markup {
    let de = nom_precede_de(f);
    let code = f.departement.as_str();
    let rayon = fr::nombre(f.couverture.rayon_km);
    let mut offre: Vec<Vec<Markup>> = f.offre.iter().map(ligne_offre).collect();
    offre.push(ligne_offre(&f.total));
    let communes: Vec<Vec<Markup>> = f
        .couverture
        .communes
        .iter()
        .map(|l| {
            vec![
                html! { (l.code.as_str()) },
                html! { (l.nom) },
                html! { (fr::entier(l.population)) },
                html! {
                    @match l.couverture {
                        Couverture::Couverte { distance_km } => { "oui (lieu à " (fr::nombre(distance_km)) " km)" }
                        Couverture::NonCouverte => { "non" }
                        Couverture::PositionInconnue => { "position inconnue" }
                    }
                },
            ]
        })
        .collect();
    html! {
        nav.fil-ariane aria-label="Fil d’Ariane" { a href="/territoires" { "Fiches territoires" } " › " (f.nom) }
        h1 { "Fiche territoire " (de) " (" (code) ")" }
        (avertissement_secret())
        p { a href={ "/territoires/" (code) "/fiche.csv" } download { "Télécharger les chiffres de la fiche (CSV)" } }
        h2 { "Chiffres clés" }
        dl.chiffres-cles {
            dt { "Population" } dd { (fr::entier(f.population)) " habitants" }
            dt { "Communes" } dd { (fr::entier(f.couverture.total.communes)) }
            dt { "Lieux d'accueil pour 10 000 habitants" }
            dd { (taux(f.total.lieux_pour_10_000)) " (France : " (taux(f.national_pour_10_000)) ")" }
            dt { "Communes sans lieu d'accueil à moins de " (rayon) " km" }
            dd { (fr::entier(f.couverture.total.communes_non_couvertes)) }
        }
        h2 { "L'offre par dispositif" }
        (tableau(
            &format!("Offre de soutien à la parentalité {de} par dispositif"),
            &[
                Colonne { titre: "Dispositif", nombre: false },
                Colonne { titre: "Dossiers validés", nombre: true },
                Colonne { titre: "Lieux d'accueil", nombre: true },
                Colonne { titre: "Services de l'annuaire", nombre: true },
                Colonne { titre: "Lieux pour 10 000 habitants", nombre: true },
            ],
            &offre,
        ))
        h2 { "Activité de l'accompagnement individuel parentalité (AIP)" }
        @match &f.activite {
            Some(a) => {
                (tableau(
                    &format!("Activité AIP {de} en {}", a.exercice),
                    &[
                        Colonne { titre: "Année", nombre: false },
                        Colonne { titre: "Structures ayant déclaré une activité", nombre: true },
                        Colonne { titre: "Entretiens", nombre: true },
                        Colonne { titre: "Familles accompagnées", nombre: true },
                    ],
                    &[vec![
                        html! { (a.exercice) },
                        compte(a.structures),
                        compte(a.entretiens),
                        compte(a.familles),
                    ]],
                ))
                p.aide { "Les familles sont comptées par structure : une famille suivie par deux structures compte deux fois." }
            }
            None => { p { "Aucune activité AIP n'a été déclarée dans ce département." } }
        }
        h2 { "Couverture des communes" }
        p {
            "Une commune est couverte lorsqu'un lieu d'accueil, de n'importe quel dispositif, se trouve à moins de "
            (rayon) " km de son centre (à vol d'oiseau)."
        }
        (carte_couverture_sans_lieux("carte-territoire", &f.couverture, "de soutien à la parentalité"))
        details {
            summary { "Données de la carte : la couverture de chaque commune" }
            (tableau(
                &format!("Couverture des communes {de} à moins de {rayon} km"),
                &[
                    Colonne { titre: "Code INSEE", nombre: false },
                    Colonne { titre: "Commune", nombre: false },
                    Colonne { titre: "Population", nombre: true },
                    Colonne { titre: "Couverte", nombre: false },
                ],
                &communes,
            ))
        }
        h2 #communes-avec-offre { "Communes ayant une offre" }
        @if f.communes_avec_offre.is_empty() {
            p { "Aucune commune du département n'a de lieu d'accueil ni de service publié." }
        } @else {
            ul.communes-avec-offre {
                @for (code_commune, nom) in &f.communes_avec_offre {
                    li { a href={ "/territoires/communes/" (code_commune.as_str()) } { (nom) } }
                }
            }
        }
    }
}

/// `GET /territoires/{dep}`: the fiche, or 404 in French.
pub async fn fiche_departement(
    State(etat): State<Etat>,
    Path(code): Path<String>,
) -> Result<Response, ErreurWeb> {
    let f = lire(&etat, &code).await?;
    let titre = format!(
        "Fiche territoire {} ({})",
        nom_precede_de(&f),
        f.departement.as_str()
    );
    Ok(Html(vue::page(&titre, None, ACTIF, gabarit(&f)).into_string()).into_response())
}

/// The figures of a fiche as rows: rubrique, scheme, value.
fn lignes_csv(f: &FicheDepartement) -> Vec<Vec<Cellule>> {
    let code = Cellule::Texte(f.departement.as_str().to_owned());
    let ligne = |rubrique: &str, dispositif: &str, valeur: Cellule| {
        vec![
            code.clone(),
            Cellule::Texte(rubrique.to_owned()),
            Cellule::Texte(dispositif.to_owned()),
            valeur,
        ]
    };
    let centiemes = |v: Option<f64>| {
        v.map_or(Cellule::Vide, |v| {
            Cellule::Centiemes((v * 100.0).round() as i64)
        })
    };
    let mut lignes = vec![
        ligne(
            "population",
            "",
            Cellule::Entier(i64::try_from(f.population).unwrap_or(i64::MAX)),
        ),
        ligne(
            "communes",
            "",
            Cellule::Entier(i64::from(f.couverture.total.communes)),
        ),
        ligne(
            "communes_non_couvertes",
            "",
            Cellule::Entier(i64::from(f.couverture.total.communes_non_couvertes)),
        ),
        ligne(
            "lieux_pour_10000_france",
            "",
            centiemes(f.national_pour_10_000),
        ),
    ];
    for l in f.offre.iter().chain([&f.total]) {
        let d = l.dispositif.map_or("ensemble", Dispositif::code);
        if let Some(dossiers) = l.dossiers {
            lignes.push(ligne("dossiers_valides", d, cellule(dossiers)));
        }
        lignes.push(ligne("lieux", d, cellule(l.lieux)));
        lignes.push(ligne("services_annuaire", d, cellule(l.services)));
        lignes.push(ligne("lieux_pour_10000", d, centiemes(l.lieux_pour_10_000)));
    }
    if let Some(a) = &f.activite {
        lignes.push(ligne(
            "aip_annee",
            "aip",
            Cellule::Entier(i64::from(a.exercice)),
        ));
        lignes.push(ligne("aip_structures", "aip", cellule(a.structures)));
        lignes.push(ligne("aip_entretiens", "aip", cellule(a.entretiens)));
        lignes.push(ligne("aip_familles", "aip", cellule(a.familles)));
    }
    lignes
}

/// The columns of every fiche's CSV file.
pub(super) fn colonnes_csv() -> Vec<ColonneTableur> {
    vec![
        ColonneTableur::new("Territoire", "territoire"),
        ColonneTableur::new("Rubrique", "rubrique"),
        ColonneTableur::new("Dispositif", "dispositif"),
        ColonneTableur::new("Valeur", "valeur"),
    ]
}

/// `GET /territoires/{dep}/fiche.csv`: the figures of the fiche, one per line (« < 5 » when
/// masked).
pub async fn csv_departement(
    State(etat): State<Etat>,
    Path(code): Path<String>,
) -> Result<Response, ErreurWeb> {
    let f = lire(&etat, &code).await?;
    let t = Tableau {
        titre: format!("Fiche territoire {}", f.nom),
        colonnes: colonnes_csv(),
        lignes: lignes_csv(&f),
    };
    fichier_csv(
        &t,
        &format!("fiche-territoire-{}.csv", f.departement.as_str()),
    )
}
