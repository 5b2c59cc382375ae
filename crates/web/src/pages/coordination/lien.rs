//! The page a member's personal link opens, without signing in: the séance, the member's answer
//! (present, absent, or represented by another member holding its proxy), and, while the minutes
//! are open to comments, the minutes and the form to comment them. The link's secret is the
//! only key: an unknown or replaced link gets a page that says so.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::coordination::{EtatCompteRendu, EtatSeance, Reponse};
use maud::{Markup, html};
use serde::Deserialize;
use time::OffsetDateTime;

use super::formulaires::Paires;
use super::seance::lire_reponse;
use super::{etat_seance, quand};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Echec, Erreurs};
use crate::vue;
use app::VueLien;

#[derive(Debug, Deserialize, Default)]
pub struct Suite {
    fait: Option<String>,
}

fn lien_inconnu() -> Response {
    (
        axum::http::StatusCode::NOT_FOUND,
        Html(
            vue::page_erreur(
                "Lien de réponse inconnu",
                "Ce lien n'existe pas ou a été remplacé par celui du dernier courriel reçu pour cette séance : utilisez le lien du courriel le plus récent, ou écrivez au secrétariat de l'instance.",
            )
            .into_string(),
        ),
    )
        .into_response()
}

pub async fn page_lien(
    State(etat): State<Etat>,
    Path(jeton): Path<String>,
    Query(suite): Query<Suite>,
) -> Result<Response, ErreurWeb> {
    match etat.plateforme.lien_de_convocation(&jeton).await? {
        Some(v) => Ok(Html(
            page(&jeton, &v, suite.fait.as_deref(), None, &Erreurs::default()).into_string(),
        )
        .into_response()),
        None => Ok(lien_inconnu()),
    }
}

async fn refuser(etat: &Etat, jeton: &str, p: &Paires, e: Echec) -> Result<Response, ErreurWeb> {
    match e {
        Echec::Page(w) => Err(w),
        Echec::Saisie(x) => match etat.plateforme.lien_de_convocation(jeton).await? {
            Some(v) => Ok((
                x.statut(),
                Html(page(jeton, &v, None, Some(p), &x).into_string()),
            )
                .into_response()),
            None => Ok(lien_inconnu()),
        },
    }
}

pub async fn repondre_par_lien(
    State(etat): State<Etat>,
    Path(jeton): Path<String>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    let reponse = match lire_reponse(&p) {
        Ok(r) => r,
        Err(x) => return refuser(&etat, &jeton, &p, Echec::Saisie(x)).await,
    };
    match etat
        .plateforme
        .repondre_par_lien(&jeton, reponse, OffsetDateTime::now_utc())
        .await
    {
        Ok(Some(_)) => {
            Ok(Redirect::to(&format!("/convocations/{jeton}?fait=reponse")).into_response())
        }
        Ok(None) => Ok(lien_inconnu()),
        Err(e) => {
            refuser(
                &etat,
                &jeton,
                &p,
                Echec::app(e, &[("par", "par")], "reponse"),
            )
            .await
        }
    }
}

pub async fn commenter_par_lien(
    State(etat): State<Etat>,
    Path(jeton): Path<String>,
    corps: Bytes,
) -> Result<Response, ErreurWeb> {
    let p = Paires::lire(&corps)?;
    match etat
        .plateforme
        .commenter_par_lien(&jeton, p.valeur("commentaire"), OffsetDateTime::now_utc())
        .await
    {
        Ok(Some(_)) => {
            Ok(Redirect::to(&format!("/convocations/{jeton}?fait=commentaire")).into_response())
        }
        Ok(None) => Ok(lien_inconnu()),
        Err(e) => refuser(&etat, &jeton, &p, Echec::app(e, &[], "commentaire")).await,
    }
}

fn page(
    jeton: &str,
    v: &VueLien,
    fait: Option<&str>,
    saisie: Option<&Paires>,
    x: &Erreurs,
) -> Markup {
    let s = &v.seance.valeur;
    let membres = &v.instance.membres;
    let nom = |id| {
        membres
            .iter()
            .find(|m| m.valeur.id == id)
            .map_or(String::new(), |m| {
                format!("{} ({})", m.valeur.personne, m.valeur.organisation)
            })
    };
    let ma = s.convocations.get(&v.membre.id);
    let choisi = saisie
        .map(|p| p.valeur("reponse").to_owned())
        .or_else(|| {
            ma.and_then(|c| c.reponse).map(|r| match r {
                Reponse::Present => "present".to_owned(),
                Reponse::Absent => "absent".to_owned(),
                Reponse::Represente { .. } => "represente".to_owned(),
            })
        })
        .unwrap_or_default();
    let par_choisi = saisie
        .map(|p| p.valeur("par").to_owned())
        .or_else(|| match ma.and_then(|c| c.reponse) {
            Some(Reponse::Represente { par }) => Some(par.to_string()),
            _ => None,
        })
        .unwrap_or_default();
    let autres: Vec<(String, String)> = std::iter::once((String::new(), "— choisir —".to_owned()))
        .chain(
            s.convocations
                .keys()
                .filter(|m| **m != v.membre.id)
                .map(|m| (m.to_string(), nom(*m))),
        )
        .collect();
    let autres: Vec<(&str, &str)> = autres
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let confirmation = match fait {
        Some("reponse") => Some(
            "Votre réponse est enregistrée. Vous pouvez la changer jusqu'au début de la séance.",
        ),
        Some("commentaire") => Some("Votre remarque est transmise au secrétariat."),
        _ => None,
    };
    let cr = s
        .compte_rendu
        .as_ref()
        .filter(|cr| cr.etat == EtatCompteRendu::EnCommentaires);
    vue::page(
        &x.titre(&s.titre),
        None,
        "",
        html! {
            h1 { (s.titre) " " (etat_seance(s)) }
            (x.resume())
            @if let Some(m) = confirmation {
                div class="encadre succes" role="status" id="confirmation" { p { strong { (m) } } }
            }
            p { "Bonjour " (v.membre.personne) ", vous êtes convoqué(e) à cette séance de l'" (v.instance.instance.valeur.appellation()) "." }
            dl {
                dt { "Date" } dd { (quand(s.debut)) }
                dt { "Lieu" } dd { (s.lieu) }
                dt { "Ordre du jour" } dd { ol { @for p in &s.ordre_du_jour { li { (p.titre) } } } }
            }
            @if s.etat == EtatSeance::Convoquee && s.debut > OffsetDateTime::now_utc() {
                h2 { "Votre réponse" }
                form method="post" action={ "/convocations/" (jeton) } novalidate {
                    fieldset aria-describedby=[x.de("reponse").map(|_| "reponse-erreur")] {
                        legend { "Serez-vous présent(e) ?" }
                        @if let Some(m) = x.de("reponse") { p.message-erreur id="reponse-erreur" { (m) } }
                        @for (code, libelle) in [("present", "Présent(e)"), ("absent", "Absent(e)"), ("represente", "Représenté(e) par un autre membre, à qui je donne pouvoir")] {
                            div.champ {
                                input type="radio" id={ "reponse-" (code) } name="reponse" value=(code) checked[choisi == code];
                                " "
                                label.en-ligne for={ "reponse-" (code) } { (libelle) }
                            }
                        }
                    }
                    (Champ::new("par", "Représenté(e) par (pouvoir)").aide("Un membre convoqué à la même séance ; nul ne détient plus d'un pouvoir").erreurs(x).liste(&autres, &par_choisi))
                    button type="submit" { "Envoyer ma réponse" }
                }
            } @else if s.etat == EtatSeance::Annulee {
                p { "Cette séance est annulée." }
            }
            @if let Some(cr) = cr {
                h2 { "Projet de compte rendu" }
                div.texte-long { @for p in cr.texte.split("\n\n") { p { (p) } } }
                @if !cr.decisions.is_empty() { h3 { "Décisions" } ol { @for d in &cr.decisions { li { (d) } } } }
                form method="post" action={ "/convocations/" (jeton) "/commentaire" } novalidate {
                    (Champ::new("commentaire", "Votre remarque sur le compte rendu").erreurs(x).requis().zone(saisie.map(|p| p.valeur("commentaire")).unwrap_or_default()))
                    button type="submit" { "Envoyer ma remarque" }
                }
            }
        },
    )
}
