//! `/demandes/statistiques`: the parents' contact requests counted by month, by scheme, by
//! state and, over several départements, by département, for the Caf agents (their départements) and the Cnaf (all). Counts only, never the
//! content; a count under 5 is shown « moins de 5 », so that no family can be singled out.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Html;
use domain::annuaire::contact::EtatDemande;
use maud::{Markup, html};

use crate::erreur::ErreurWeb;
use crate::session::Connecte;
use crate::vue::{self, Colonne, tableau};
use crate::{Etat, fr};

/// Counts under this are not shown.
pub const SEUIL_SECRET: i64 = 5;

/// A count as shown: « moins de 5 » under the threshold (zero included once some request exists).
pub fn compte_affiche(n: i64) -> String {
    if n < SEUIL_SECRET {
        format!("moins de {SEUIL_SECRET}")
    } else {
        fr::entier(n)
    }
}

/// « 2026-12 » as « décembre 2026 ».
fn mois_fr(mois: &str) -> String {
    const NOMS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    match mois.split_once('-') {
        Some((annee, m)) => match m
            .parse::<usize>()
            .ok()
            .and_then(|i| NOMS.get(i.wrapping_sub(1)))
        {
            Some(nom) => format!("{nom} {annee}"),
            None => mois.to_owned(),
        },
        None => mois.to_owned(),
    }
}

fn libelle_dispositif(code: &str) -> String {
    store::demandes_contact::dispositif(code).map_or_else(
        || code.to_owned(),
        |d| {
            let l = d.libelle();
            crate::formulaire::majuscule(l)
        },
    )
}

fn table(legende: &str, titre: &'static str, totaux: &BTreeMap<String, i64>) -> Markup {
    let lignes: Vec<Vec<Markup>> = totaux
        .iter()
        .map(|(cle, n)| vec![html! { (cle) }, html! { (compte_affiche(*n)) }])
        .collect();
    tableau(
        legende,
        &[
            Colonne {
                titre,
                nombre: false,
            },
            Colonne {
                titre: "Demandes",
                nombre: true,
            },
        ],
        &lignes,
    )
}

/// `GET /demandes/statistiques`.
pub async fn statistiques(
    State(etat): State<Etat>,
    c: Connecte,
) -> Result<Html<String>, ErreurWeb> {
    let comptes = etat.plateforme.statistiques_demandes(&c.acteur).await?;
    let mut par_dispositif: BTreeMap<String, i64> = BTreeMap::new();
    let mut par_etat: BTreeMap<String, i64> = BTreeMap::new();
    let mut par_departement: BTreeMap<String, i64> = BTreeMap::new();
    let mut total = 0;
    for compte in &comptes {
        *par_dispositif
            .entry(libelle_dispositif(&compte.dispositif))
            .or_default() += compte.nombre;
        let etat = EtatDemande::depuis_code(&compte.etat)
            .map_or_else(|| compte.etat.clone(), |e| e.libelle().to_owned());
        *par_etat.entry(etat).or_default() += compte.nombre;
        *par_departement
            .entry(compte.departement.clone())
            .or_default() += compte.nombre;
        total += compte.nombre;
    }
    Ok(Html(
        vue::page(
            "Demandes des parents : statistiques",
            Some(&c),
            "/demandes/statistiques",
            html! {
                h1 { "Demandes des parents : statistiques" }
                p {
                    "Les demandes de contact que les parents ont adressées aux services de l’annuaire"
                    @if c.acteur.role == domain::Role::Caf { " de vos départements" }
                    ", y compris celles supprimées après leur durée de conservation. "
                    "Le contenu des demandes est confidentiel : seule la structure destinataire le lit. "
                    "Un nombre inférieur à " (SEUIL_SECRET) " est affiché « moins de " (SEUIL_SECRET) " »."
                }
                p { "Total : " strong { (if total == 0 { "aucune demande".to_owned() } else { compte_affiche(total) }) } }
                @if total > 0 {
                    (table_mois(&comptes))
                    (table("Demandes par dispositif", "Dispositif", &par_dispositif))
                    (table("Demandes par état", "État", &par_etat))
                    @if par_departement.len() > 1 {
                        (table("Demandes par département", "Département", &par_departement))
                    }
                }
            },
        )
        .into_string(),
    ))
}

/// The counts by month, most recent first.
fn table_mois(comptes: &[store::demandes_contact::Compte]) -> Markup {
    let mut par_mois: BTreeMap<&str, i64> = BTreeMap::new();
    for c in comptes {
        *par_mois.entry(c.mois.as_str()).or_default() += c.nombre;
    }
    let lignes: Vec<Vec<Markup>> = par_mois
        .iter()
        .rev()
        .map(|(m, n)| vec![html! { (mois_fr(m)) }, html! { (compte_affiche(*n)) }])
        .collect();
    tableau(
        "Demandes par mois de réception",
        &[
            Colonne {
                titre: "Mois",
                nombre: false,
            },
            Colonne {
                titre: "Demandes",
                nombre: true,
            },
        ],
        &lignes,
    )
}
