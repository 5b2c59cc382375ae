//! Errors as people see them: a French page with the right status (403 outside one's role or
//! territory, 404, 409 on a conflict, 422 on a refused action), never the internals, which go to
//! the log only.

use app::ErreurApp;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::vue;

/// Marks the answer that is an error page (read by [`crate::partiel`]).
#[derive(Debug, Clone, Copy)]
pub struct PageErreur;

#[derive(Debug, thiserror::Error)]
pub enum ErreurWeb {
    #[error("{0}")]
    Interdit(String),
    #[error("page introuvable")]
    Introuvable,
    #[error("{0}")]
    Refus(String),
    #[error("{0}")]
    Conflit(String),
    #[error("jeton de sécurité du formulaire absent ou périmé: rechargez la page et recommencez")]
    Csrf,
    #[error("erreur interne")]
    Interne(String),
}

impl From<ErreurApp> for ErreurWeb {
    fn from(e: ErreurApp) -> Self {
        use store::ErreurStore as S;
        match e {
            e if e.est_interdit() => ErreurWeb::Interdit(e.to_string()),
            ErreurApp::Store(S::Introuvable { .. }) => ErreurWeb::Introuvable,
            ErreurApp::Store(S::Conflit { .. }) => ErreurWeb::Conflit(e.to_string()),
            ErreurApp::Store(ref s @ S::Base(_)) if s.est_doublon() => {
                ErreurWeb::Refus("cette valeur est déjà enregistrée".to_owned())
            }
            ErreurApp::Store(S::Base(_) | S::Migration(_) | S::Donnee(_)) => {
                ErreurWeb::Interne(e.to_string())
            }
            e => ErreurWeb::Refus(e.to_string()),
        }
    }
}

impl From<store::ErreurStore> for ErreurWeb {
    fn from(e: store::ErreurStore) -> Self {
        ErreurWeb::from(ErreurApp::Store(e))
    }
}

impl ErreurWeb {
    pub fn statut(&self) -> StatusCode {
        match self {
            ErreurWeb::Interdit(_) | ErreurWeb::Csrf => StatusCode::FORBIDDEN,
            ErreurWeb::Introuvable => StatusCode::NOT_FOUND,
            ErreurWeb::Refus(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ErreurWeb::Conflit(_) => StatusCode::CONFLICT,
            ErreurWeb::Interne(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn titre(&self) -> &'static str {
        match self {
            ErreurWeb::Interdit(_) | ErreurWeb::Csrf => "Accès refusé",
            ErreurWeb::Introuvable => "Page introuvable",
            ErreurWeb::Refus(_) => "Action refusée",
            ErreurWeb::Conflit(_) => "Modification concurrente",
            ErreurWeb::Interne(_) => "Erreur du service",
        }
    }
}

impl IntoResponse for ErreurWeb {
    fn into_response(self) -> Response {
        if let ErreurWeb::Interne(detail) = &self {
            tracing::error!(detail = %detail, "erreur interne");
        }
        let message = match &self {
            ErreurWeb::Interne(_) => {
                "Le service a rencontré une erreur. Réessayez dans un instant; si elle persiste, signalez-la à votre Caf.".to_owned()
            }
            e => e.to_string(),
        };
        let page = vue::page_erreur(self.titre(), &message).into_string();
        let mut r = (self.statut(), Html(page)).into_response();
        r.extensions_mut().insert(PageErreur);
        r
    }
}

impl From<activite::ErreurActivite> for ErreurWeb {
    fn from(e: activite::ErreurActivite) -> Self {
        use activite::ErreurActivite as A;
        match e {
            e if e.est_interdit() => ErreurWeb::Interdit(e.to_string()),
            A::GestionnaireInconnu(_) => ErreurWeb::Introuvable,
            A::Store(s) => ErreurWeb::from(s),
            A::Cle(_) | A::Ecriture(_) => ErreurWeb::Interne(e.to_string()),
            e => ErreurWeb::Refus(e.to_string()),
        }
    }
}
