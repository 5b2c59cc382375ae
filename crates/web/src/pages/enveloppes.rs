//! The experiment's budget: each Caf's allocation, committed and paid amounts, side by side for
//! the Cnaf, one's own for a Caf agent; with the 3 M€ national envelope.

use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::acces::Role;
use maud::{Markup, html};
use serde::Deserialize;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::fr;
use crate::session::Connecte;
use crate::vue::{self, Colonne, champ_csrf, tableau};

pub async fn tableau_de_bord(
    State(etat): State<Etat>,
    c: Connecte,
) -> Result<Html<String>, ErreurWeb> {
    Ok(Html(rendre(&etat, &c, None, &Erreurs::default()).await?))
}

async fn rendre(
    etat: &Etat,
    c: &Connecte,
    saisie: Option<&Allocation>,
    x: &Erreurs,
) -> Result<String, ErreurWeb> {
    let situations = etat.plateforme.situations(&c.acteur).await?;
    let dossiers = etat.plateforme.dossiers(&c.acteur, None).await?;
    let mut total = (0i64, 0i64, 0i64);
    let lignes: Vec<Vec<Markup>> = situations
        .iter()
        .map(|s| {
            let s = s.situation;
            total.0 += s.allocation.centimes();
            total.1 += s.engage.centimes();
            total.2 += s.paye.centimes();
            let nom = domain::territoire::departement(s.departement)
                .map_or(s.departement.to_string(), |d| d.nom.clone());
            let n = dossiers
                .iter()
                .filter(|d| d.valeur.departement == s.departement)
                .count();
            let valides = dossiers
                .iter()
                .filter(|d| {
                    d.valeur.departement == s.departement && d.valeur.etat.code() == "valide"
                })
                .count();
            vec![
                html! { (nom) " (" (s.departement) ")" },
                html! { (fr::entier(n as u64)) },
                html! { (fr::entier(valides as u64)) },
                html! { (fr::euros(s.allocation.centimes())) },
                html! { (fr::euros(s.engage.centimes())) },
                html! { (fr::euros(s.paye.centimes())) },
            ]
        })
        .collect();
    let national = domain::experimentation::ENVELOPPE_NATIONALE;
    let allocation = if c.acteur.role == Role::Cnaf {
        let options: Vec<(String, String)> = situations
            .iter()
            .map(|s| {
                let nom = domain::territoire::departement(s.situation.departement)
                    .map_or(s.situation.departement.to_string(), |d| d.nom.clone());
                (
                    s.situation.departement.to_string(),
                    format!("{} ({})", nom, s.situation.departement),
                )
            })
            .collect();
        let options: Vec<(&str, &str)> = options
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        html! {
            h2 { "Répartir l'enveloppe nationale" }
            form method="post" action="/enveloppes" novalidate {
                (champ_csrf(c))
                (Champ::new("departement", "Caf")
                    .erreurs(x)
                    .liste(
                        &options,
                        saisie
                            .and_then(|a| a.departement.as_deref())
                            .unwrap_or_default()
                    ))
                (Champ::new("montant", "Allocation (€)")
                    .aide("Le total des allocations ne peut dépasser l'enveloppe nationale")
                    .erreurs(x)
                    .clavier(Clavier::Decimal)
                    .requis()
                    .texte(
                        saisie
                            .and_then(|a| a.montant.as_deref())
                            .unwrap_or_default()
                    ))
                button type="submit" { "Enregistrer l'allocation" }
            }
        }
    } else {
        html! {}
    };
    let colonne = |titre, nombre| Colonne { titre, nombre };
    Ok(vue::page(
        &x.titre("Suivi de l'enveloppe"),
        Some(c),
        "/enveloppes",
        html! {
            h1 { "Enveloppe de l'expérimentation" }
            (x.resume())
            div.grille {
                div.carte { p { "Enveloppe nationale 2024-2025" } p.chiffre { (fr::euros(national.centimes())) } }
                div.carte { p { "Engagé" } p.chiffre { (fr::euros(total.1)) } }
                div.carte { p { "Payé" } p.chiffre { (fr::euros(total.2)) } }
            }
            (tableau(
                "Situation par Caf",
                &[
                    colonne("Caf", false),
                    colonne("Dossiers", true),
                    colonne("Projets validés", true),
                    colonne("Allocation", true),
                    colonne("Engagé", true),
                    colonne("Payé", true),
                ],
                &lignes,
            ))
            (allocation)
        },
    )
    .into_string())
}

#[derive(Debug, Deserialize)]
pub struct Allocation {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    departement: Option<String>,
    montant: Option<String>,
}

/// The Cnaf sets a Caf's allocation of the national envelope.
pub async fn allouer(
    State(etat): State<Etat>,
    c: Connecte,
    Form(f): Form<Allocation>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let mut x = Erreurs::default();
    let departement =
        domain::identifiants::CodeDepartement::parse(f.departement.as_deref().unwrap_or_default())
            .map_err(|m| x.ajouter("departement", format!("Caf : {m}")))
            .ok();
    let montant =
        domain::quantites::Centimes::parse_non_negatif(f.montant.as_deref().unwrap_or_default())
            .map_err(|m| x.ajouter("montant", format!("Allocation : {m}")))
            .ok();
    let resultat = match (departement, montant) {
        (Some(d), Some(m)) => match etat
            .plateforme
            .allouer(&c.acteur, d, m, time::OffsetDateTime::now_utc())
            .await
        {
            Ok(()) => Ok(()),
            Err(a) => Err(Erreurs::depuis_app(
                a,
                &[("département", "departement")],
                "montant",
            )?),
        },
        _ => Err(x),
    };
    match resultat {
        Ok(()) => Ok(Redirect::to("/enveloppes").into_response()),
        Err(x) => Ok((x.statut(), Html(rendre(&etat, &c, Some(&f), &x).await?)).into_response()),
    }
}
