//! The pages, one module per part of the service, and the few pages that belong to none.

pub mod accueil;
pub mod activite;
pub mod annuaire;
pub mod calcul;
pub mod candidatures;
pub mod comite;
pub mod connexion;
pub mod convention;
pub mod conventions;
pub mod coordination;
pub mod coordonnees_bancaires;
pub mod courriels;
pub mod demandes_contact;
pub mod diagnostic;
pub mod documents;
pub mod donnees_ouvertes;
pub mod dossiers;
pub mod engagements;
pub mod enveloppes;
pub mod evaluation;
pub mod exports;
pub mod filtres_dossiers;
pub mod informations;
pub mod instance_nationale;
pub mod nouveau_dossier;
pub mod paiements;
pub mod paiements_apercu;
pub mod paiements_export;
pub mod pieces;
pub mod profil;
pub mod questionnaires;
pub mod rapport;
pub mod registre;
pub mod services;
pub mod structures;
pub mod tableau_de_bord;
pub mod territoires;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use crate::erreur::ErreurWeb;
use crate::{Etat, vue};

/// `GET /healthz`: 200 when the database answers.
pub async fn sante(State(etat): State<Etat>) -> Response {
    if etat.plateforme.base.repond().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "base de données injoignable",
        )
            .into_response()
    }
}

pub async fn feuille_de_style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/parentalite.css"),
    )
        .into_response()
}

/// htmx, the script that lets a link or a form replace one part of a page instead of loading
/// it all (its version is in its address, so that browsers may keep it for a year).
pub async fn htmx() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        include_str!("../../static/htmx-2.0.11.min.js"),
    )
        .into_response()
}

pub async fn introuvable() -> Response {
    ErreurWeb::Introuvable.into_response()
}

pub async fn accessibilite() -> Html<String> {
    let contenu = html! {
        h1 { "Déclaration d'accessibilité" }
        p {
            "Parentalité vise la conformité au référentiel général d'amélioration de l'accessibilité (RGAA). "
            "Le service est " strong { "partiellement conforme" } ": ses pages sont vérifiées automatiquement "
            "(structure, contrastes, libellés des champs, navigation au clavier); un audit complet reste à mener."
        }
        h2 { "Technologies utilisées" }
        p {
            "HTML, CSS et, sur certaines pages, JavaScript (htmx), qui met à jour "
            "une partie de la page sans la recharger; toutes les pages fonctionnent sans JavaScript."
        }
        h2 { "Vérifications" }
        p {
            "Les parcours de chaque rôle sont testés à chaque version dans le navigateur Chromium, "
            "avec l'outil axe-core (règles WCAG 2.1 niveaux A et AA)."
        }
        h2 { "Retour d'information" }
        p {
            "Si vous ne parvenez pas à accéder à un contenu ou à un service, écrivez à votre Caf: "
            "elle vous répondra ou vous transmettra l'information sous une autre forme."
        }
    };
    Html(vue::page("Accessibilité", None, "", contenu).into_string())
}
