//! The store's errors: what went wrong with the database, said so that the layers above can tell
//! a conflict (someone saved first) from a refusal and from a failure.

use domain::Refus;

#[derive(Debug, thiserror::Error)]
pub enum ErreurStore {
    /// The record changed since it was read: the second writer must reload.
    #[error(
        "{entite} n°{id} a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert (version {attendue} attendue, {trouvee} trouvée): rechargez-le pour voir ses changements"
    )]
    Conflit {
        entite: &'static str,
        id: i64,
        attendue: i64,
        trouvee: i64,
    },
    #[error("{entite} n°{id} introuvable")]
    Introuvable { entite: &'static str, id: i64 },
    /// A unique value already taken (a SIRET, an e-mail, a declaration of the same nature for the
    /// same exercise…): the field it concerns and a French sentence saying what exists already,
    /// never the database's own text.
    #[error("{message}")]
    Doublon {
        champ: &'static str,
        message: String,
    },
    /// The domain refused the transition.
    #[error("{0}")]
    Refus(#[from] Refus),
    #[error("donnée stockée illisible ({0})")]
    Donnee(String),
    #[error("base de données: {0}")]
    Base(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl From<serde_json::Error> for ErreurStore {
    fn from(e: serde_json::Error) -> Self {
        ErreurStore::Donnee(e.to_string())
    }
}

impl ErreurStore {
    /// Whether the error is a violated unique constraint of the database.
    pub fn est_doublon(&self) -> bool {
        match self {
            ErreurStore::Doublon { .. } => true,
            ErreurStore::Base(sqlx::Error::Database(e)) => e.is_unique_violation(),
            _ => false,
        }
    }
}
