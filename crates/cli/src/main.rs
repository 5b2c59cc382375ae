//! The `parentalite` command: one binary whose subcommands run the platform's jobs.

mod calcul;

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
    #[command(subcommand)]
    commande: Commande,
}

#[derive(Debug, Subcommand)]
enum Commande {
    /// Compute a subsidy: one case (JSON or fields) or a whole batch (JSON lines or CSV).
    Calcul(calcul::Arguments),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.commande {
        Commande::Calcul(args) => calcul::executer(cli.parametres.as_deref(), &args),
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
