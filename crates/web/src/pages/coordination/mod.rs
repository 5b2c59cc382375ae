//! The departmental coordination's pages: the instance of a département (configuration,
//! members, CSV import, séances), one séance (convocations, answers, attendance, minutes,
//! actions), the attendance sheet and the minutes as PDF, and the public page of a member's
//! personal answer link.

mod formulaires;
mod instance;
mod instance_vue;
mod lien;
mod pdf_seance;
mod seance;
mod seance_vue;

pub(crate) use formulaires::{Paires, saisie_membre, saisie_seance};
pub use instance::{ajouter_membre, configurer, importer_membres, index, page_instance, planifier};
pub use lien::{commenter_par_lien, page_lien, repondre_par_lien};
pub use pdf_seance::{compte_rendu_pdf, emargement_pdf};
pub use seance::{agir, page_seance};

use axum::http::HeaderMap;
use domain::coordination::{EtatCompteRendu, EtatSeance, Seance};
use maud::Markup;

use crate::Etat;
use crate::vue::{Ton, etiquette};

/// The service's address as the reader reached it, for the links mailed to members.
pub(crate) fn adresse_publique(etat: &Etat, entetes: &HeaderMap) -> String {
    let hote = entetes
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let schema = if etat.cookie_securise {
        "https"
    } else {
        "http"
    };
    format!("{schema}://{hote}")
}

/// A séance's state as a tag.
pub(crate) fn etat_seance(s: &Seance) -> Markup {
    let ton = match s.etat {
        EtatSeance::EnPreparation => Ton::Neutre,
        EtatSeance::Convoquee => Ton::EnCours,
        EtatSeance::Tenue => Ton::Succes,
        EtatSeance::Annulee => Ton::Refus,
    };
    etiquette(s.etat.libelle(), ton)
}

/// The minutes' state as a tag.
pub(crate) fn etat_compte_rendu(etat: EtatCompteRendu) -> Markup {
    let ton = match etat {
        EtatCompteRendu::Brouillon => Ton::Neutre,
        EtatCompteRendu::EnCommentaires => Ton::Attente,
        EtatCompteRendu::Approuve | EtatCompteRendu::Publie => Ton::Succes,
    };
    etiquette(etat.libelle(), ton)
}

/// `mardi 15 décembre 2026 à 14 h 00`, in Paris time.
pub(crate) fn quand(t: time::OffsetDateTime) -> String {
    app::date_et_heure(crate::fr::heure_de_paris(t))
}
