//! Persistence of the platform on SQLite (the embedded default: one file, WAL mode) or PostgreSQL
//! (when `DATABASE_URL` starts with `postgres://`): migrations for both, the records of the
//! domain, and the hash-chained audit log. Every write goes through a transaction.

pub mod acces_web;
pub mod audit;
mod connexion;
pub mod depot;
mod enregistrements;
mod erreur;
pub mod integrite;

pub use connexion::{AvecGenre, Base, Genre, Ligne, Moteur, Tx, Valeur};
pub use erreur::ErreurStore;
