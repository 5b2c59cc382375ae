//! Persistence of the platform on SQLite (the embedded default: one file, WAL mode) or PostgreSQL
//! (when `DATABASE_URL` starts with `postgres://`): migrations for both, the records of the
//! domain, and the hash-chained audit log, whose events carry the hash of their record and whose
//! head is also kept in a file outside the database. Every write goes through a transaction.

pub mod a_payer;
pub mod acces_web;
pub mod activite;
pub mod annuaire;
pub mod annuaire_recherche;
pub mod audit;
pub mod candidatures;
pub mod comptes;
mod connexion;
pub mod conservation;
pub mod coordination;
pub mod courriels;
pub mod demandes_contact;
pub mod depot;
pub mod diagnostic;
pub mod donnees_ouvertes;
pub mod empreintes;
mod enregistrements;
pub mod enveloppes;
mod erreur;
pub mod evaluation;
pub mod fiches_territoires;
pub mod filtres;
pub mod instance_nationale;
pub mod integrite;
pub mod messages;
pub mod pieces;
pub mod questionnaires;
pub mod rapports;
pub mod sauvegarde;
pub mod sql;
pub mod tete;

pub use connexion::{AvecGenre, Base, Genre, Ligne, Moteur, Tx, Valeur};
pub use erreur::ErreurStore;
