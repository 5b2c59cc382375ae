//! Why a use case did not happen: a refusal of the rules (with its reason), an access outside the
//! user's role or territory, a conflict with someone else's save, or a failure of the database.

use domain::Refus;
use domain::enveloppe::AlerteEnveloppe;
use store::ErreurStore;

#[derive(Debug, thiserror::Error)]
pub enum ErreurApp {
    /// The domain refused: wrong state, wrong role, other territory, missing field…
    #[error("{0}")]
    Refus(#[from] Refus),
    /// A read outside what the user may see.
    #[error("accès refusé: {0}")]
    Interdit(String),
    /// The decision would exceed the Caf's allocation: shown before it is recorded, and recorded
    /// only when confirmed.
    #[error("{}", alerte_texte(.0))]
    Enveloppe(AlerteEnveloppe),
    #[error("{0}")]
    Store(#[from] ErreurStore),
    #[error("calcul impossible: {0}")]
    Calcul(String),
}

fn alerte_texte(a: &AlerteEnveloppe) -> String {
    format!(
        "cette décision engagerait {} alors que la Caf ({}) a déjà engagé {} sur une allocation de {}: dépassement de {}; confirmez pour l'enregistrer malgré tout",
        a.engagement, a.departement, a.deja_engage, a.allocation, a.depassement
    )
}

impl ErreurApp {
    /// Whether the user asked for something outside its role or territory (HTTP 403).
    pub fn est_interdit(&self) -> bool {
        match self {
            ErreurApp::Interdit(_) => true,
            ErreurApp::Refus(r) => r.est_un_refus_d_acces(),
            ErreurApp::Store(ErreurStore::Refus(r)) => r.est_un_refus_d_acces(),
            _ => false,
        }
    }
}
