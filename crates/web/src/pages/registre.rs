//! The public « Registre des activités de traitement » (RGPD article 30): each processing
//! activity of the platform with its purpose, legal basis, persons, data, recipients and
//! retention, the retention periods read from the dated parameters in force today (never written
//! here), and the security measures.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use domain::conservation::{Conservation, MESURES_DE_SECURITE, RESPONSABLE, TRAITEMENTS};
use maud::{Markup, html};

use crate::Etat;
use crate::vue;

/// The address of the register.
pub const ADRESSE: &str = "/registre-des-traitements";

fn mois(n: u32) -> String {
    if n == 1 {
        "1 mois".to_owned()
    } else {
        format!("{n} mois")
    }
}

/// `GET /registre-des-traitements`.
pub async fn page(State(etat): State<Etat>) -> Response {
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let durees = match etat.plateforme.durees_de_conservation(aujourd_hui) {
        Ok(d) => d,
        Err(e) => return crate::ErreurWeb::from(e).into_response(),
    };
    let duree = |c| durees.iter().find(|d| d.categorie == c);
    let conservation = |c: &Conservation| -> Markup {
        match c {
            Conservation::Parametre(categorie) => match duree(*categorie) {
                Some(d) => html! {
                    li {
                        strong { (categorie.libelle()) " : " (mois(d.mois)) }
                        " — " (categorie.effacement()) "."
                    }
                },
                None => html! {},
            },
            Conservation::Regle(texte) => html! { li { (texte) "." } },
        }
    };
    let contenu = html! {
        h1 { "Registre des activités de traitement" }
        p {
            "Ce registre décrit les traitements de données personnelles de la plateforme, comme "
            "le prévoit l'article 30 du règlement général sur la protection des données (RGPD). "
            "Les durées de conservation sont celles des paramètres en vigueur le "
            (crate::fr::date(aujourd_hui)) " ; la plateforme efface chaque jour les données qui "
            "les ont dépassées."
        }
        p { strong { "Responsables du traitement : " } (RESPONSABLE) "." }
        h2 { "Durées de conservation" }
        table.registre-durees {
            caption { "Durées de conservation appliquées chaque jour" }
            thead { tr { th scope="col" { "Données" } th scope="col" { "Durée" } th scope="col" { "Fondement" } } }
            tbody {
                @for d in &durees {
                    tr {
                        th scope="row" { (d.categorie.libelle()) }
                        td { (mois(d.mois)) }
                        td { (d.source) }
                    }
                }
            }
        }
        @for t in TRAITEMENTS {
            section.registre-traitement {
                h2 { (t.nom) }
                dl {
                    dt { "Finalité" } dd { (t.finalite) }
                    dt { "Base légale" } dd { (t.base_legale) }
                    dt { "Personnes concernées" } dd { (t.personnes) }
                    dt { "Données" } dd { (t.donnees) }
                    dt { "Destinataires" } dd { (t.destinataires) }
                    dt { "Conservation" }
                    dd { ul { @for c in t.conservation { (conservation(c)) } } }
                }
            }
        }
        h2 { "Mesures de sécurité" }
        ul { @for m in MESURES_DE_SECURITE { li { (m) } } }
        p {
            "Les journaux des requêtes du serveur (méthode, modèle d'adresse, statut, durée) ne "
            "sont pas conservés dans la base : ils suivent la politique de l'hébergeur. Pour "
            "exercer vos droits, consultez la page "
            a href="/donnees-personnelles" { "Données personnelles et cookies" } "."
        }
    };
    Html(vue::page("Registre des traitements", None, "", contenu).into_string()).into_response()
}
