//! The `parentalite` command: one binary whose subcommands run the platform's jobs.

mod calcul;
mod operations;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Parentalité: the platform of the parenting-support schemes of the Caf and their partners.
#[derive(Debug, Parser)]
#[command(name = "parentalite", version, about, long_about = None)]
struct Cli {
    /// Folder of parameter files (one subfolder per dispositif) to use instead of the embedded
    /// ones.
    #[arg(
        long,
        global = true,
        env = "PARENTALITE_PARAMETRES",
        value_name = "DOSSIER"
    )]
    parametres: Option<PathBuf>,
    /// Database: a SQLite file (created if missing) or a `postgres://` URL.
    #[arg(
        long = "base",
        global = true,
        env = "DATABASE_URL",
        default_value = "parentalite.sqlite",
        value_name = "URL"
    )]
    base: String,
    /// File that keeps the audit chain's head outside the database (one line per write). Beside
    /// a SQLite database by default (`<file>.tete-audit`); none for PostgreSQL unless given.
    #[arg(
        long = "tete-audit",
        global = true,
        env = "PARENTALITE_TETE_AUDIT",
        value_name = "FICHIER"
    )]
    tete_audit: Option<PathBuf>,
    #[command(subcommand)]
    commande: Commande,
}

#[derive(Debug, Subcommand)]
enum Commande {
    /// Compute a subsidy: one case (JSON or fields) or a whole batch (JSON lines or CSV).
    Calcul(calcul::Arguments),
    /// Create the database if needed and apply its migrations.
    Migrate,
    /// Check the database: engine integrity, readable records, each record against its last
    /// audit event, audit chain, and its head against the head file.
    Check,
    /// Payments: issue every payment due.
    #[command(subcommand)]
    Paiements(operations::paiements::Commande),
    /// User accounts.
    #[command(subcommand)]
    User(operations::utilisateurs::Commande),
    /// Import records from a file.
    #[command(subcommand)]
    Import(operations::echanges::Import),
    /// Export a list as CSV (French spreadsheet or open data) or XLSX.
    Export(operations::echanges::Export),
    /// Serve the web application.
    Serve(operations::serveur::Serve),
    /// Create a fresh demonstration database, fill it and serve it; prints one account per role.
    Demo(operations::serveur::Demo),
    /// Personal API tokens.
    #[command(subcommand)]
    Token(operations::serveur::Token),
    /// Back the database up into one file while the server may be writing (SQLite: online
    /// backup; PostgreSQL: pg_dump), with its audit head file beside it.
    Sauvegarde(operations::sauvegarde::Sauvegarde),
    /// Restore a backup into the database given by --base, after checking it; never over a
    /// database in use, nor over an existing one without --force.
    Restauration(operations::sauvegarde::Restauration),
    /// Erase the personal data past its retention period (what `serve` does once a day), with
    /// one audit line per category.
    Conservation,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let contexte = operations::Contexte {
        base: cli.base.clone(),
        parametres: cli.parametres.clone(),
        tete_audit: cli.tete_audit.clone(),
    };
    match cli.commande {
        Commande::Calcul(args) => calcul::executer(cli.parametres.as_deref(), &args),
        Commande::Migrate => operations::executer(&contexte, operations::migrer),
        Commande::Check => operations::executer(&contexte, operations::verifier),
        Commande::Paiements(c) => {
            operations::executer(&contexte, |p| operations::paiements::executer(p, c))
        }
        Commande::User(c) => {
            operations::executer(&contexte, |p| operations::utilisateurs::executer(p, c))
        }
        Commande::Import(c) => {
            operations::executer(&contexte, |p| operations::echanges::importer(p, c))
        }
        Commande::Export(c) => {
            operations::executer(&contexte, |p| operations::echanges::exporter(p, c))
        }
        Commande::Serve(c) => {
            operations::executer(&contexte, |p| operations::serveur::servir(p, c))
        }
        Commande::Token(c) => operations::executer(&contexte, |p| operations::serveur::jeton(p, c)),
        Commande::Demo(c) => operations::serveur::demo(&contexte, c),
        Commande::Sauvegarde(c) => {
            let url = contexte.base.clone();
            operations::executer(&contexte, |p| {
                operations::sauvegarde::sauvegarder(p, c, url)
            })
        }
        Commande::Restauration(c) => operations::sauvegarde::restaurer(&contexte, c),
        Commande::Conservation => operations::executer(&contexte, operations::conserver),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn la_ligne_de_commande_est_coherente() {
        Cli::command().debug_assert();
    }
}
