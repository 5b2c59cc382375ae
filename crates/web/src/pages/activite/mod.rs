//! The activity of a structure (Référentiel national de financement de l'AIP §II.3, §V): its
//! staff record a session under the family's pseudonymous code or import a file of sessions;
//! everyone who may see the structure reads its annual report figures derived from the sessions,
//! and the gestionnaire sends the annual bilan. The sessions themselves (with their pseudonymous
//! codes) are shown to the structure's staff only.
//!
//! `page` loads what the page shows and builds the view model (`modele`); `gabarit`,
//! `gabarit_saisie` and `gabarit_bilan` are its templates; `saisie`, `import` and `bilan` are the
//! handlers of the three forms, each reporting every error of a submission at once
//! (`verification`: the checks of a session).

mod bilan;
mod gabarit;
mod gabarit_bilan;
mod gabarit_saisie;
mod import;
mod modele;
mod page;
mod saisie;
mod verification;

use activite::Avertissement;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::acces::Role;
use domain::identifiants::ConventionId;
use maud::Markup;
use serde::Deserialize;

use crate::formulaire::Erreurs;
use crate::session::Connecte;
use crate::vue;

pub use bilan::transmettre_bilan;
pub use import::{TAILLE_MAX_IMPORT, importer};
pub use page::page_activite;
pub use saisie::enregistrer;

use bilan::ValeursBilan;
use saisie::ValeursEntretien;

/// A response to a POST may show what was typed (a family's identifier in a refused form):
/// no cache keeps it.
const NE_PAS_GARDER: [(header::HeaderName, &str); 1] = [(header::CACHE_CONTROL, "no-store")];

/// The structure and exercise asked for in the query (the filter of the page).
#[derive(Debug, Default, Deserialize)]
pub struct Choix {
    structure: Option<String>,
    exercice: Option<String>,
}

/// A bad line of a refused import: its number, the column and the reason.
#[derive(Debug)]
struct LigneRefusee {
    ligne: u64,
    colonne: String,
    motif: String,
}

/// What the page shows after a POST: the errors of the submission (each on its field id) with
/// the values typed, or the outcome.
#[derive(Debug, Default)]
struct Retour {
    erreurs: Erreurs,
    entretien: ValeursEntretien,
    /// The bilan form sent, with its values.
    bilan: Option<(ConventionId, ValeursBilan)>,
    succes: Option<String>,
    avertissements: Vec<Avertissement>,
    /// The bad lines of a refused import.
    lignes_refusees: Vec<LigneRefusee>,
}

/// Whether the user records sessions for the structure (its staff).
fn saisit(c: &Connecte) -> bool {
    matches!(c.acteur.role, Role::Gestionnaire | Role::Intervenant)
}

/// The whole page around `contenu`, kept out of every cache when it answers a form.
fn reponse(statut: StatusCode, titre: &str, c: &Connecte, contenu: Markup) -> Response {
    (
        statut,
        NE_PAS_GARDER,
        Html(vue::page(titre, Some(c), "/activite", contenu).into_string()),
    )
        .into_response()
}
