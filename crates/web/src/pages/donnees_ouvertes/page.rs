//! The page that describes the open data: what it holds, its schema and version, the themes of
//! each scheme, how often it changes, its licence, the files and how to use the API.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Html;
use domain::appel_a_projets::Dispositif;
use domain::donnees_ouvertes::dispositifs::CORRESPONDANCES;
use domain::donnees_ouvertes::pagination::{TAILLE_MAX, TAILLE_PAR_DEFAUT};
use domain::donnees_ouvertes::schema::Referentiel;
use domain::donnees_ouvertes::{LICENCE, LIEN_LICENCE, SOURCE, VERSION_SCHEMA};
use maud::{Markup, html};

use super::adresse_publique;
use crate::erreur::ErreurWeb;
use crate::vue::{self, Colonne, tableau};
use crate::{Etat, fr};

const LIEN_SCHEMA: &str = "https://gip-inclusion.github.io/data-inclusion-schema/";
const LIEN_PAQUET: &str = "https://pypi.org/project/data-inclusion-schema/";

fn nom_dispositif(d: Dispositif) -> String {
    let libelle = d.libelle();
    let mut lettres = libelle.chars();
    match lettres.next() {
        Some(p) => p.to_uppercase().collect::<String>() + lettres.as_str(),
        None => String::new(),
    }
}

fn fichiers() -> Markup {
    let lignes: Vec<Vec<Markup>> = [
        ("structures.json", "Structures", "JSON"),
        ("structures.csv", "Structures", "CSV"),
        ("services.json", "Services", "JSON"),
        ("services.csv", "Services", "CSV"),
    ]
    .iter()
    .map(|(fichier, quoi, format)| {
        vec![
            html! { a href={ "/donnees-ouvertes/" (fichier) } { (quoi) " au format " (format) } },
            html! { code { (fichier) } },
            html! { (format) },
        ]
    })
    .collect();
    tableau(
        "Les fichiers, mis à jour à chaque téléchargement",
        &[
            Colonne {
                titre: "Fichier",
                nombre: false,
            },
            Colonne {
                titre: "Nom",
                nombre: false,
            },
            Colonne {
                titre: "Format",
                nombre: false,
            },
        ],
        &lignes,
    )
}

fn thematiques() -> Markup {
    let lignes: Vec<Vec<Markup>> = CORRESPONDANCES
        .iter()
        .map(|c| {
            vec![
                html! { (nom_dispositif(c.dispositif)) },
                html! {
                    ul.sans-puces {
                        @for t in c.thematiques {
                            li { (t.libelle()) " (" code { (t.code()) } ")" }
                        }
                    }
                },
            ]
        })
        .collect();
    tableau(
        "Les thématiques de chaque dispositif",
        &[
            Colonne {
                titre: "Dispositif",
                nombre: false,
            },
            Colonne {
                titre: "Thématiques data·inclusion",
                nombre: false,
            },
        ],
        &lignes,
    )
}

/// `GET /donnees-ouvertes`.
pub async fn description(
    State(etat): State<Etat>,
    entetes: HeaderMap,
) -> Result<Html<String>, ErreurWeb> {
    let adresse = adresse_publique(&etat, &entetes);
    let contenu_ouvert = etat.plateforme.contenu_ouvert(&adresse).await?;
    let derniere = contenu_ouvert
        .services
        .iter()
        .map(|s| s.date_maj)
        .chain(contenu_ouvert.structures.iter().map(|s| s.date_maj))
        .max();
    let exemple = format!("{adresse}/api/donnees-ouvertes/v1/services?taille=50");
    let contenu = html! {
        div.donnees-ouvertes {
        h1 { "Données ouvertes de l’annuaire" }
        p {
            "Les services de soutien à la parentalité publiés dans l’annuaire, et les structures qui les "
            "proposent, sont ouverts à tous : téléchargez-les ou interrogez l’API, sans compte, et "
            "réutilisez-les librement en citant la source."
        }
        section aria-labelledby="contenu-donnees" {
            h2 #contenu-donnees { "Ce que contiennent les données" }
            ul {
                li {
                    strong { "Services" } " : chaque service publié dans l’annuaire après la relecture de la Caf — "
                    "son dispositif, sa description, ses publics, son adresse, ses horaires, ses tarifs, "
                    "comment le joindre et l’adresse de sa page dans l’annuaire."
                }
                li {
                    strong { "Structures" } " : chaque structure qui publie au moins un service — "
                    "son nom, son SIRET et la commune de son siège."
                }
            }
            p {
                "À ce jour : " strong { (contenu_ouvert.services.len()) } " service(s) et "
                strong { (contenu_ouvert.structures.len()) } " structure(s)"
                @if let Some(d) = derniere { ", dernière mise à jour le " (fr::date(d)) }
                "."
            }
            p {
                "Aucune personne n’y est nommée : ni nom de professionnel, ni nom de parent. Une adresse "
                "électronique n’est reprise que si c’est celle d’un accueil (« contact@… », « accueil@… ») ; "
                "le siège d’une structure qui n’est ni une association, ni une collectivité, ni un "
                "établissement n’est donné que par sa commune."
            }
        }
        section aria-labelledby="schema-donnees" {
            h2 #schema-donnees { "Le schéma : data·inclusion, version 1" }
            p {
                "Les enregistrements suivent le "
                a href=(LIEN_SCHEMA) { "schéma de l’offre d’insertion de data·inclusion" }
                ", version 1, tel que le définit le paquet "
                a href=(LIEN_PAQUET) { "data-inclusion-schema " (VERSION_SCHEMA) }
                ". Chaque enregistrement publié est vérifié avec ce paquet dans les tests du service. "
                "La source est " code { (SOURCE) } " ; les identifiants sont stables : "
                code { (SOURCE) "--structure-12" } ", " code { (SOURCE) "--service-34" } "."
            }
            p {
                "Chaque service porte les thématiques de son dispositif, et « Surmonter les conflits liés à "
                "la séparation ou à la violence » s’il s’agit d’une médiation ou s’il s’adresse aux parents séparés."
            }
            (thematiques())
        }
        section aria-labelledby="frequence-donnees" {
            h2 #frequence-donnees { "Mise à jour" }
            p {
                "En continu : les fichiers et l’API reflètent l’annuaire au moment de la demande. "
                "Le champ " code { "date_maj" } " de chaque enregistrement donne le jour de sa dernière modification."
            }
        }
        section aria-labelledby="licence-donnees" {
            h2 #licence-donnees { "Licence" }
            p {
                "Les données sont publiées sous la "
                a href=(LIEN_LICENCE) { (LICENCE) }
                " : vous pouvez les copier, les modifier et les réutiliser, y compris commercialement, "
                "en mentionnant leur source (« Parentalité, Caf et partenaires ») et la date de leur dernière mise à jour."
            }
        }
        section aria-labelledby="fichiers-donnees" {
            h2 #fichiers-donnees { "Les fichiers" }
            (fichiers())
            p {
                "Le JSON est une liste d’enregistrements. Le CSV, en UTF-8, séparé par des virgules, a une "
                "colonne par champ du schéma, dans l’ordre du schéma ; une valeur absente y est une cellule "
                "vide et une liste s’écrit comme dans l’export de data·inclusion : "
                code { "['famille--soutien-a-la-parentalite-et-a-leducation', 'remobilisation--lien-social']" } "."
            }
        }
        section aria-labelledby="api-donnees" {
            h2 #api-donnees { "L’API" }
            p {
                "Deux adresses, publiques : " code { "/api/donnees-ouvertes/v1/structures" } " et "
                code { "/api/donnees-ouvertes/v1/services" } ". Chaque réponse est un objet "
                code { "{\"elements\": [...], \"suivant\": \"...\"}" } " : suivez le lien "
                code { "suivant" } " jusqu’à ce qu’il soit nul."
            }
            ul {
                li { code { "taille" } " : enregistrements par page, " (TAILLE_PAR_DEFAUT) " par défaut, " (TAILLE_MAX) " au plus ;" }
                li { code { "apres" } " : le curseur de la page suivante (repris du lien " code { "suivant" } ") ;" }
                li {
                    code { "depuis" } " : ne garder que ce qui a changé depuis une date ("
                    code { "2026-11-30" } ") ou un instant (" code { "2026-11-30T08:00:00Z" } ")."
                }
            }
            p {
                "Les enregistrements viennent dans l’ordre de leur identifiant, qui ne change jamais : un "
                "parcours page après page donne chaque enregistrement une fois, même si l’annuaire change "
                "pendant le parcours. Pour une mise à jour incrémentale, notez l’instant où vous commencez, "
                "et passez-le en " code { "depuis" } " la fois suivante. Un service retiré disparaît : "
                "téléchargez l’ensemble de temps en temps pour le constater."
            }
            p { "Par exemple :" }
            pre.exemple-api { code { "curl '" (exemple) "'" } }
            p {
                "Un paramètre illisible est refusé (statut 400) avec un corps "
                code { "{\"code\": \"parametre_invalide\", \"message\": \"...\", \"champ\": \"taille\"}" } ". "
                "La description complète est dans le " a href="/api/openapi.json" { "document OpenAPI" } "."
            }
        }
        }
    };
    Ok(Html(
        vue::page("Données ouvertes", None, "/donnees-ouvertes", contenu).into_string(),
    ))
}
