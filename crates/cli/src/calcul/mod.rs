//! `parentalite calcul`: the subsidy calculator on the command line, for one case (JSON in and
//! out, or French text) and for batches of cases streamed in order.

mod lot;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use referentiel::aip::{self, EntreeAip, ErreurAip, ParametresAip, json::CasTexte};
use referentiel::parametres::Parametres;

/// Exit status for invalid input (a bad case, a bad line, an unreadable file).
pub const SORTIE_INVALIDE: u8 = 2;
/// Exit status when the output cannot be written.
pub const SORTIE_ECHEC: u8 = 1;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exemples:\n  parentalite calcul --exercice 2024 --etp-declares 1 --etp-notifies 1 --mois 8 --depenses 40000\n  parentalite calcul --json cas.json\n  echo '{\"dispositif\":\"aip\",…}' | parentalite calcul --json -\n  parentalite calcul --batch cas.jsonl > resultats.jsonl\n\nStatut de sortie: 0 si tout est calculé, 2 si une entrée est invalide (le message dit quel champ et pourquoi), 1 si l'écriture échoue."
)]
pub struct Arguments {
    /// Read one case as JSON from FILE (`-` for standard input) and print the result as JSON.
    #[arg(long, value_name = "FICHIER", conflicts_with_all = ["batch", "fichier"])]
    json: Option<PathBuf>,
    /// Compute every case of FILE (JSON lines, or CSV with the same column names) and stream one
    /// result per case, in order.
    #[arg(long, value_name = "FICHIER", conflicts_with = "fichier")]
    batch: Option<PathBuf>,
    /// Format of the batch: `jsonl` or `csv` (by default, from the file's extension).
    #[arg(long, value_name = "FORMAT", requires = "batch")]
    format: Option<lot::Format>,
    /// Include the full trace in each batch result.
    #[arg(long, requires = "batch")]
    trace: bool,
    /// Read one case as JSON from FILE (`-` for standard input) and explain the result in French.
    #[arg(value_name = "FICHIER", conflicts_with_all = ["exercice"])]
    fichier: Option<PathBuf>,
    /// Dispositif of the case given by fields.
    #[arg(long, default_value = "aip", help_heading = "Cas donné par champs")]
    dispositif: String,
    /// Exercise (year).
    #[arg(long, help_heading = "Cas donné par champs")]
    exercice: Option<String>,
    /// Declaration: previsionnelle, actualisee or reelle.
    #[arg(long, help_heading = "Cas donné par champs")]
    declaration: Option<String>,
    /// FTE declared.
    #[arg(long, help_heading = "Cas donné par champs")]
    etp_declares: Option<String>,
    /// FTE notified by the comité des financeurs.
    #[arg(long, help_heading = "Cas donné par champs")]
    etp_notifies: Option<String>,
    /// Months of operation in the exercise (0 to 12).
    #[arg(long = "mois", help_heading = "Cas donné par champs")]
    mois_fonctionnement: Option<String>,
    /// Operating expenses for those months, in euros.
    #[arg(long = "depenses", help_heading = "Cas donné par champs")]
    depenses_fonctionnement: Option<String>,
    /// Payments already made for the exercise, in euros.
    #[arg(long = "versements", help_heading = "Cas donné par champs")]
    versements_effectues: Option<String>,
    /// With a case given by fields: print JSON instead of French text.
    #[arg(long = "sortie-json", help_heading = "Cas donné par champs")]
    sortie_json: bool,
}

/// Loads the embedded parameters or those of `dossier`.
pub fn charger_parametres(dossier: Option<&Path>) -> Result<Parametres, String> {
    let resultat = match dossier {
        Some(d) => Parametres::depuis_dossier(d),
        None => Parametres::embarques(),
    };
    resultat.map_err(|e| format!("paramètres invalides: {e}"))
}

fn lire_source(chemin: &Path) -> Result<Vec<u8>, String> {
    if chemin.as_os_str() == "-" {
        let mut v = Vec::new();
        std::io::stdin()
            .read_to_end(&mut v)
            .map_err(|e| format!("lecture de l'entrée standard impossible: {e}"))?;
        Ok(v)
    } else {
        std::fs::read(chemin).map_err(|e| format!("{}: lecture impossible: {e}", chemin.display()))
    }
}

fn invalide(message: &str) -> ExitCode {
    eprintln!("erreur: {message}");
    ExitCode::from(SORTIE_INVALIDE)
}

pub fn executer(dossier_parametres: Option<&Path>, args: &Arguments) -> ExitCode {
    let parametres = match charger_parametres(dossier_parametres) {
        Ok(p) => p,
        Err(m) => return invalide(&m),
    };
    if let Some(lot) = &args.batch {
        return lot::executer(&parametres, lot, args.format, args.trace);
    }
    if let Some(chemin) = &args.json {
        return match lire_source(chemin) {
            Ok(octets) => un_cas(&parametres, aip::json::lire_cas(&octets), true),
            Err(m) => invalide(&m),
        };
    }
    if let Some(chemin) = &args.fichier {
        return match lire_source(chemin) {
            Ok(octets) => un_cas(&parametres, aip::json::lire_cas(&octets), false),
            Err(m) => invalide(&m),
        };
    }
    if args.exercice.is_none()
        && args.etp_declares.is_none()
        && args.depenses_fonctionnement.is_none()
    {
        return invalide(
            "aucun cas donné: indiquez --json FICHIER, --batch FICHIER, un fichier JSON, ou les champs --exercice, --etp-declares, --etp-notifies, --mois et --depenses (voir parentalite calcul --help)",
        );
    }
    let cas = CasTexte {
        dispositif: Some(args.dispositif.as_str()),
        exercice: args.exercice.as_deref(),
        declaration: args.declaration.as_deref(),
        etp_declares: args.etp_declares.as_deref(),
        etp_notifies: args.etp_notifies.as_deref(),
        mois_fonctionnement: args.mois_fonctionnement.as_deref(),
        depenses_fonctionnement: args.depenses_fonctionnement.as_deref(),
        versements_effectues: args.versements_effectues.as_deref(),
    };
    un_cas(
        &parametres,
        aip::json::lire_cas_texte(&cas),
        args.sortie_json,
    )
}

/// Computes a right with the parameters of its exercise.
pub fn calculer<'p>(
    parametres: &'p Parametres,
    entree: &EntreeAip,
) -> Result<(aip::ResultatAip, ParametresAip<'p>), ErreurAip> {
    let p = ParametresAip::pour_exercice(parametres, entree.exercice)?;
    Ok((aip::calculer(&p, entree)?, p))
}

fn un_cas(
    parametres: &Parametres,
    entree: Result<EntreeAip, ErreurAip>,
    en_json: bool,
) -> ExitCode {
    let resultat = entree.and_then(|e| calculer(parametres, &e));
    let mut sortie = Vec::with_capacity(4096);
    let code = match &resultat {
        Ok((r, p)) => {
            let ecrit = if en_json {
                aip::json::ecrire_resultat(&mut sortie, r, p, None, true)
            } else {
                sortie.extend_from_slice(aip::rendu::texte(r, &r.trace(p)).as_bytes());
                Ok(())
            };
            match ecrit {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => return invalide(&e.to_string()),
            }
        }
        Err(e) => {
            eprintln!("erreur: {e}");
            if en_json {
                aip::json::ecrire_erreur(&mut sortie, None, e);
            }
            ExitCode::from(SORTIE_INVALIDE)
        }
    };
    if en_json && !sortie.is_empty() {
        sortie.push(b'\n');
    }
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(&sortie)
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::from(SORTIE_ECHEC);
    }
    code
}
