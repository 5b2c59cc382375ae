//! Conventions d'objectifs et de financement: the list a user may see, what their gestionnaires
//! owe past its deadline (declarations and bilans), and for a Caf agent the signature of a
//! drafted convention.

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::convention::Convention;
use domain::declaration::{Piece, Retard};
use domain::identifiants::ConventionId;
use maud::{Markup, html};
use serde::Deserialize;
use store::depot::Lu;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::fr;
use crate::session::Connecte;
use crate::vue::{self, Colonne};

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
    let conventions = etat.plateforme.conventions(&c.acteur).await?;
    let retards = etat
        .plateforme
        .retards(&c.acteur, time::OffsetDateTime::now_utc().date())
        .await?;
    let contenu = html! {
        h1 { "Conventions d'objectifs et de financement" }
        p.actions {
            a.bouton.secondaire href="/exports/conventions.csv" { "Exporter (CSV)" }
            a.bouton.secondaire href="/exports/conventions.xlsx" { "Exporter (XLSX)" }
        }
        (liste_conventions(&conventions))
        (section_retards(&c, &retards, suite.relance.as_deref() == Some("envoyee")))
    };
    Ok(Html(
        vue::page("Conventions", Some(&c), "/conventions", contenu).into_string(),
    ))
}

fn liste_conventions(conventions: &[Lu<Convention>]) -> Markup {
    let colonnes = [
        Colonne {
            titre: "Numéro",
            nombre: false,
        },
        Colonne {
            titre: "Dossier",
            nombre: false,
        },
        Colonne {
            titre: "Département",
            nombre: false,
        },
        Colonne {
            titre: "État",
            nombre: false,
        },
        Colonne {
            titre: "Période",
            nombre: false,
        },
        Colonne {
            titre: "Signée le",
            nombre: false,
        },
        Colonne {
            titre: "ETP notifiés",
            nombre: true,
        },
    ];
    let lignes: Vec<Vec<Markup>> = conventions
        .iter()
        .map(|v| {
            let v = &v.valeur;
            vec![
                html! { a href={ "/conventions/" (v.id) } { (v.numero) } },
                html! { a href={ "/dossiers/" (v.dossier) } { "n°" (v.dossier) } },
                html! { (v.departement.as_str()) },
                crate::vue::etat_convention(v.etat),
                html! { "du " (fr::date(v.debut)) " au " (fr::date(v.fin)) },
                html! { (v.date_signature.map_or("–".to_owned(), fr::date)) },
                html! { (v.notification_initiale.map_or("–".to_owned(), |n| n.etp.to_string())) },
            ]
        })
        .collect();
    vue::tableau(
        &format!("{} convention(s)", lignes.len()),
        &colonnes,
        &lignes,
    )
}

/// What the gestionnaires owe past its deadline, with for a Caf agent a reminder button on each.
fn section_retards(
    c: &Connecte,
    retards: &[(Convention, Retard)],
    relance_envoyee: bool,
) -> Markup {
    // The reminder is offered where the domain would send it (an agent of the convention's Caf).
    let peut_relancer = |v: &Convention, r: &Retard| r.relance(&c.acteur, v).is_ok();
    let relancer = retards.iter().any(|(v, r)| peut_relancer(v, r));
    let mut colonnes = vec![
        Colonne {
            titre: "Convention",
            nombre: false,
        },
        Colonne {
            titre: "Département",
            nombre: false,
        },
        Colonne {
            titre: "Exercice",
            nombre: true,
        },
        Colonne {
            titre: "Pièce attendue",
            nombre: false,
        },
        Colonne {
            titre: "Échéance",
            nombre: false,
        },
        Colonne {
            titre: "Où elle en est",
            nombre: false,
        },
    ];
    if relancer {
        colonnes.push(Colonne {
            titre: "Relance",
            nombre: false,
        });
    }
    let lignes: Vec<Vec<Markup>> = retards
        .iter()
        .map(|(v, r)| {
            let mut ligne = vec![
                html! { a href={ "/conventions/" (v.id) } { (v.numero) } },
                html! { (v.departement.as_str()) },
                html! { (r.exercice) },
                html! { (r.piece.libelle()) },
                html! { (fr::date(r.echeance)) },
                html! {
                    @if r.entamee { "en saisie, pas encore transmise" } @else { "pas encore saisie" }
                },
            ];
            if relancer {
                ligne.push(html! {
                    @if peut_relancer(v, r) {
                    form.en-ligne method="post" action="/conventions/relances" {
                        input type="hidden" name="_csrf" value=(c.csrf);
                        input type="hidden" name="convention" value=(v.id);
                        input type="hidden" name="exercice" value=(r.exercice);
                        input type="hidden" name="piece" value=(r.piece.code());
                        button.secondaire type="submit"
                            aria-label={ "Relancer : " (r.piece.libelle()) " " (r.exercice) " de la convention " (v.numero) } {
                            "Relancer"
                        }
                    }
                    }
                });
            }
            ligne
        })
        .collect();
    html! {
        h2 { "En retard" }
        @if lignes.is_empty() {
            p { "Aucune déclaration ni aucun bilan en retard." }
        } @else {
            @if relance_envoyee {
                div.encadre.succes role="status" {
                    p { "Relance envoyée : le gestionnaire la trouve dans le fil de son dossier." }
                }
            }
            p.aide {
                "Déclarations et bilans attendus dont l'échéance est passée (échéances fixées par les paramètres \
                 du référentiel ; un retard est signalé, jamais refusé). Une relance est un message au \
                 gestionnaire dans le fil du dossier."
            }
            (vue::tableau(&format!("{} pièce(s) en retard", lignes.len()), &colonnes, &lignes))
        }
    }
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
