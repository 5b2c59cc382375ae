//! Dossiers: the list a user may see, filtered by state with counts, and one dossier with its
//! project, its history and the actions its reader may take now (each checked again by the
//! domain when submitted).

mod actions;
mod agir;
mod fiche;
mod fiche_vue;
mod liste;
mod liste_vue;
mod lot;
mod messages;
mod plan_financement;
mod projet;
mod saisie_action;
mod sections;

use std::collections::BTreeMap;

use app::ActionDossier;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::acces::Role;
use domain::convention::NouvelleConvention;
use domain::decision::{AvisFinanceur, IssueDecision, NotificationEtp, SaisieDecision, SaisiePart};
use domain::dossier::{ActionDossier as Ouverte, SaisieAvis, SensAvis};
use domain::dossier::{Dossier, EtatDossier};
use domain::identifiants::DossierId;
use domain::quantites::{Centimes, Etp};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::{Champ, Clavier, Echec, Erreurs};
use crate::pages::filtres_dossiers::{Filtres, selectionner};
use crate::session::Connecte;

use actions::*;
use agir::*;
use fiche::*;
use messages::*;
use projet::*;
use saisie_action::*;

pub use agir::agir;
pub use fiche::fiche;
pub use liste::liste;
pub use lot::{agir_en_lot, enregistrer_filtre, supprimer_filtre};
pub use messages::ecrire;
pub use projet::modifier_projet;
pub(crate) use projet::{CHAMPS_PROJET, champs_cadre, champs_objet, partenaires_saisis};
