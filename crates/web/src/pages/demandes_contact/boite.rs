//! The structure's side: its inbox (`/demandes`, unread first), one request opened
//! (`/demandes/{id}`, which marks it read) with its answer form — a text mailed to the parent
//! when it left an e-mail address, or « J’ai appelé ce parent » when it left a number — and
//! closing it. Anyone not of the structure is refused the content.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::annuaire::contact::{
    DemandeContact, DemandeContactId, EtatDemande, LONGUEUR_MAX_REPONSE, MoyenContact, Reponse,
};
use maud::{Markup, html};
use serde::Deserialize;

use app::ErreurApp;

use super::{etat, jour, quand};
use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Erreurs};
use crate::session::Connecte;
use crate::vue::{self, Colonne, champ_csrf, tableau};

const ADRESSE: &str = "/demandes";

/// `GET /demandes`.
pub async fn liste(State(etat_web): State<Etat>, c: Connecte) -> Result<Html<String>, ErreurWeb> {
    let demandes = etat_web.plateforme.boite_demandes(&c.acteur).await?;
    let non_lues = demandes
        .iter()
        .filter(|(d, _)| d.etat == EtatDemande::Recue)
        .count();
    let lignes: Vec<Vec<Markup>> = demandes
        .iter()
        .map(|(d, service)| {
            let lien = html! {
                a href={ "/demandes/" (d.id) } {
                    @if d.etat == EtatDemande::Recue { strong { (d.contenu.prenom) } } @else { (d.contenu.prenom) }
                }
            };
            vec![
                html! { (quand(d.recue_le)) },
                lien,
                html! { (service) },
                html! { (d.contenu.moyen.libelle()) },
                etat(d.etat),
                html! { (jour(d.a_supprimer_le)) },
            ]
        })
        .collect();
    let colonne = |titre| Colonne {
        titre,
        nombre: false,
    };
    Ok(Html(
        vue::page(
            "Demandes des parents",
            Some(&c),
            ADRESSE,
            html! {
                h1 { "Demandes des parents" }
                p {
                    "Les demandes de contact que des parents vous ont adressées depuis l’annuaire, les non lues d’abord. "
                    "Elles sont confidentielles : seule votre structure les lit. Chacune est supprimée, avec les coordonnées du parent, à la date indiquée."
                }
                p { strong { (non_lues) } @if non_lues > 1 { " demandes non lues." } @else { " demande non lue." } }
                (tableau(
                    "Demandes de contact",
                    &[
                        colonne("Reçue le"),
                        colonne("Prénom ou pseudonyme"),
                        colonne("Service"),
                        colonne("Contact"),
                        colonne("État"),
                        colonne("Supprimée le"),
                    ],
                    &lignes,
                ))
            },
        )
        .into_string(),
    ))
}

/// The contact detail as a link that calls or writes.
fn contact(m: &MoyenContact) -> Markup {
    match m {
        MoyenContact::Courriel(e) => {
            html! { a href={ "mailto:" (e.as_str()) } { (e.as_str()) } " (courriel)" }
        }
        MoyenContact::Telephone(t) => {
            html! { a href={ "tel:" (t.as_str()) } { (t) } " (téléphone)" }
        }
    }
}

fn page_demande(
    c: &Connecte,
    d: &DemandeContact,
    service: &str,
    x: &Erreurs,
    saisie: &str,
) -> Markup {
    let action = format!("/demandes/{}/reponse", d.id);
    vue::page(
        &x.titre(&format!("Demande de {}", d.contenu.prenom)),
        Some(c),
        ADRESSE,
        html! {
            p { a href=(ADRESSE) { "← Toutes les demandes" } }
            h1 { "Demande de " (d.contenu.prenom) }
            (x.resume())
            dl.fiche {
                dt { "État" } dd { (etat(d.etat)) }
                dt { "Reçue le" } dd { (quand(d.recue_le)) }
                dt { "Service" } dd { (service) }
                dt { "Prénom ou pseudonyme" } dd { (d.contenu.prenom) }
                dt { "Souhaite être contacté" } dd { (d.contenu.moyen.libelle()) " : " (contact(&d.contenu.moyen)) }
                @if let Some(cr) = &d.contenu.creneaux {
                    dt { "Moments où le joindre" } dd { (cr) }
                }
                dt { "Suppression prévue le" } dd { (jour(d.a_supprimer_le)) }
            }
            h2 { "Message" }
            blockquote.message-parent { @for ligne in d.contenu.message.lines() { (ligne) br; } }
            details {
                summary { "Accord donné par le parent" }
                p { (d.contenu.consentement) }
            }
            h2 { "Réponse" }
            @match (&d.contenu.reponse, d.etat) {
                (Some(Reponse::Ecrite { texte }), _) => {
                    p { "Réponse envoyée par courriel le " (d.repondue_le.map(quand).unwrap_or_default()) " :" }
                    blockquote { @for ligne in texte.lines() { (ligne) br; } }
                }
                (Some(Reponse::Appel { note }), _) => {
                    p { "Parent appelé, noté le " (d.repondue_le.map(quand).unwrap_or_default()) "." }
                    @if let Some(n) = note { p { "Note : " (n) } }
                }
                (None, EtatDemande::Recue | EtatDemande::Lue) => {
                    @match &d.contenu.moyen {
                        MoyenContact::Courriel(_) => {
                            form method="post" action=(action) novalidate {
                                (champ_csrf(c))
                                input type="hidden" name="forme" value="ecrite";
                                (Champ::new("reponse", "Votre réponse")
                                    .aide("Elle est envoyée par courriel à l’adresse du parent, sous le nom de votre structure.")
                                    .erreurs(x)
                                    .longueur_max(LONGUEUR_MAX_REPONSE as u32)
                                    .requis()
                                    .zone(saisie))
                                button type="submit" { "Envoyer la réponse" }
                            }
                        }
                        MoyenContact::Telephone(_) => {
                            p { "Appelez le parent au numéro indiqué, puis notez-le ici." }
                            form method="post" action=(action) novalidate {
                                (champ_csrf(c))
                                input type="hidden" name="forme" value="appel";
                                (Champ::new("note", "Note pour votre suivi (facultatif)")
                                    .erreurs(x)
                                    .longueur_max(LONGUEUR_MAX_REPONSE as u32)
                                    .zone(saisie))
                                button type="submit" { "J’ai appelé ce parent" }
                            }
                        }
                    }
                }
                (None, _) => { p { "Aucune réponse enregistrée." } }
            }
            @if matches!(d.etat, EtatDemande::Lue | EtatDemande::Repondue) {
                form method="post" action={ "/demandes/" (d.id) "/cloture" } {
                    (champ_csrf(c))
                    button.secondaire type="submit" { "Clôturer la demande" }
                }
            }
        },
    )
}

/// `GET /demandes/{id}`: opens the request (marked read).
pub async fn fiche(
    State(etat_web): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
) -> Result<Html<String>, ErreurWeb> {
    let d = etat_web
        .plateforme
        .ouvrir_demande(
            &c.acteur,
            DemandeContactId(id),
            time::OffsetDateTime::now_utc(),
        )
        .await?;
    let service = etat_web.plateforme.nom_du_service(d.service).await?;
    Ok(Html(
        page_demande(&c, &d, &service, &Erreurs::default(), "").into_string(),
    ))
}

#[derive(Debug, Deserialize)]
pub struct FormulaireReponse {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    forme: String,
    #[serde(default)]
    reponse: String,
    #[serde(default)]
    note: String,
}

/// `POST /demandes/{id}/reponse`.
pub async fn repondre(
    State(etat_web): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<FormulaireReponse>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let (reponse, saisie) = match f.forme.as_str() {
        "appel" => (
            Reponse::Appel {
                note: Some(f.note.clone()),
            },
            f.note,
        ),
        _ => (
            Reponse::Ecrite {
                texte: f.reponse.clone(),
            },
            f.reponse,
        ),
    };
    let p = &etat_web.plateforme;
    let id = DemandeContactId(id);
    let maintenant = time::OffsetDateTime::now_utc();
    match p.repondre_demande(&c.acteur, id, reponse, maintenant).await {
        Ok(_) => Ok(Redirect::to(&format!("/demandes/{id}")).into_response()),
        Err(ErreurApp::Refus(r)) if !r.est_un_refus_d_acces() => {
            let d = p.ouvrir_demande(&c.acteur, id, maintenant).await?;
            let service = p.nom_du_service(d.service).await?;
            let mut x = Erreurs::default();
            for r in r.un_par_un() {
                x.ajouter(r.champ().unwrap_or(""), r.sans_action());
            }
            Ok((
                x.statut(),
                Html(page_demande(&c, &d, &service, &x, &saisie).into_string()),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct FormulaireCsrf {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

/// `POST /demandes/{id}/cloture`.
pub async fn cloturer(
    State(etat_web): State<Etat>,
    c: Connecte,
    Path(id): Path<i64>,
    Form(f): Form<FormulaireCsrf>,
) -> Result<Response, ErreurWeb> {
    c.verifier_csrf(f.csrf.as_deref())?;
    let id = DemandeContactId(id);
    etat_web
        .plateforme
        .cloturer_demande(&c.acteur, id, time::OffsetDateTime::now_utc())
        .await?;
    Ok(Redirect::to(&format!("/demandes/{id}")).into_response())
}
