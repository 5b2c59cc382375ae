//! `parentalite sauvegarde <fichier>` and `parentalite restauration <fichier>`.
//!
//! SQLite: an online backup into one file (`VACUUM INTO`, from one read snapshot while the server
//! may be writing), with the audit head file of that snapshot beside it (`<fichier>.tete-audit`:
//! the lines of the base's head file the snapshot covers, then its own head), so that `check`
//! passes on the restored base. Restoring checks the backup first (on a copy beside the target,
//! migrated and checked like `check` does), refuses a base in use, and an existing base unless
//! `--force`.
//!
//! PostgreSQL: `pg_dump` in its custom format from a snapshot exported by the command (whose audit
//! head is written beside the dump the same way), and `pg_restore` into the target base, checked
//! afterwards. Without the PostgreSQL client tools, the commands to run by hand are printed.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use app::Plateforme;
use store::{Base, Moteur};

use super::{Contexte, Issue};

#[derive(Debug, clap::Args)]
pub struct Sauvegarde {
    /// The backup file to write (SQLite: a database file; PostgreSQL: a `pg_dump` custom-format
    /// archive). Its audit head is written beside it (`<fichier>.tete-audit`).
    fichier: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
pub struct Restauration {
    /// The backup file to restore into the base given by `--base` / `DATABASE_URL`.
    fichier: PathBuf,
    /// Replace an existing base (never one in use).
    #[arg(long)]
    force: bool,
}

/// `<chemin>.<suffixe>`.
fn a_cote(chemin: &Path, suffixe: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffixe}", chemin.display()))
}

/// The head file of a backup.
pub fn tete_de_sauvegarde(fichier: &Path) -> PathBuf {
    a_cote(fichier, ".tete-audit")
}

/// The SQLite file of a base URL, `None` for PostgreSQL.
fn fichier_sqlite(url: &str) -> Option<PathBuf> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return None;
    }
    let chemin = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    Some(PathBuf::from(chemin.split('?').next().unwrap_or(chemin)))
}

fn supprimer(chemins: &[PathBuf]) {
    for c in chemins {
        let _ = std::fs::remove_file(c);
    }
}

/// Writes the head file `destination` of a backup whose audit head is `tete`: the lines of the
/// base's head file `source` that the backup covers (comments kept), then the backup's head.
fn ecrire_tete(
    source: Option<&Path>,
    destination: &Path,
    tete: &store::sauvegarde::TeteAudit,
) -> Result<(), String> {
    let _ = std::fs::remove_file(destination);
    let Some((numero, hash)) = tete else {
        return Ok(());
    };
    let mut texte = String::new();
    if let Some(Ok(source)) = source.map(std::fs::read_to_string) {
        for ligne in source.lines() {
            let couverte = ligne
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<i64>().ok())
                .is_none_or(|n| n <= *numero);
            if couverte {
                texte.push_str(ligne);
                texte.push('\n');
            }
        }
    }
    std::fs::write(destination, texte).map_err(|e| format!("{}: {e}", destination.display()))?;
    store::tete::ajouter(destination, *numero, hash)
        .map_err(|e| format!("{}: {e}", destination.display()))
}

fn decrire_tete(tete: &store::sauvegarde::TeteAudit) -> String {
    match tete {
        Some((n, hash)) => format!("journal d'audit jusqu'à l'événement n°{n} (hash {hash})"),
        None => "journal d'audit vide".to_owned(),
    }
}

/// What to run by hand when the PostgreSQL client tools are missing.
fn commandes_manuelles() -> &'static str {
    "les outils du client PostgreSQL sont introuvables (paquet Debian postgresql-client). \
     À la main : pg_dump --format=custom --file=<fichier> <URL> pour sauvegarder, \
     pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname=<URL> \
     <fichier> pour restaurer, puis parentalite check (voir docs/exploitation.md)"
}

/// Runs a PostgreSQL client tool; its error output in the message when it fails.
async fn lancer(mut commande: Command) -> Result<(), String> {
    let nom = commande.get_program().to_string_lossy().into_owned();
    let sortie = tokio::task::spawn_blocking(move || commande.output())
        .await
        .map_err(|e| format!("{nom}: {e}"))?;
    match sortie {
        Ok(s) if s.status.success() => Ok(()),
        Ok(s) => Err(format!(
            "{nom} a échoué ({}): {}",
            s.status,
            String::from_utf8_lossy(&s.stderr).trim()
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("{nom}: {}", commandes_manuelles()))
        }
        Err(e) => Err(format!("{nom}: {e}")),
    }
}

pub async fn sauvegarder(p: Plateforme, s: Sauvegarde, url: String) -> Issue {
    let tete_fichier = tete_de_sauvegarde(&s.fichier);
    if s.fichier.exists() && !s.force {
        return Issue::Invalide(format!(
            "{} existe déjà (--force pour le remplacer)",
            s.fichier.display()
        ));
    }
    let en_cours = a_cote(&s.fichier, ".en-cours");
    supprimer(std::slice::from_ref(&en_cours));
    let tete = match p.base.moteur() {
        Moteur::Sqlite => match store::sauvegarde::sauvegarder_sqlite(&p.base, &en_cours).await {
            Ok(t) => t,
            Err(e) => {
                supprimer(&[en_cours]);
                return Issue::Echec(format!("sauvegarde: {e}"));
            }
        },
        Moteur::Postgres => {
            let instantane = match store::sauvegarde::instantane_postgres(&p.base).await {
                Ok(i) => i,
                Err(e) => return Issue::Echec(format!("sauvegarde: {e}")),
            };
            let mut commande = Command::new("pg_dump");
            commande
                .arg("--format=custom")
                .arg(format!("--snapshot={}", instantane.nom))
                .arg(format!("--file={}", en_cours.display()))
                .arg(format!("--dbname={url}"));
            let issue = lancer(commande).await;
            let _ = instantane.transaction.annuler().await;
            if let Err(e) = issue {
                supprimer(&[en_cours]);
                return Issue::Echec(format!("sauvegarde: {e}"));
            }
            instantane.tete
        }
    };
    supprimer(&[s.fichier.clone(), tete_fichier.clone()]);
    if let Err(e) = std::fs::rename(&en_cours, &s.fichier) {
        return Issue::Echec(format!("{}: {e}", s.fichier.display()));
    }
    if let Err(e) = ecrire_tete(p.base.tete_audit(), &tete_fichier, &tete) {
        return Issue::Echec(format!("fichier de tête de la sauvegarde: {e}"));
    }
    let taille = std::fs::metadata(&s.fichier).map_or(0, |m| m.len());
    println!(
        "sauvegarde écrite : {} ({taille} octets), {}",
        s.fichier.display(),
        decrire_tete(&tete)
    );
    if tete.is_some() {
        println!(
            "fichier de tête de la sauvegarde : {} (à garder avec elle)",
            tete_fichier.display()
        );
    }
    Issue::Succes
}

/// Prints the rows of each table of `base`.
async fn afficher_comptes(base: &Base) {
    if let Ok(comptes) = store::sauvegarde::comptes_par_table(base).await {
        let total: i64 = comptes.iter().map(|(_, n)| n).sum();
        println!(
            "{} tables, {total} lignes : {}",
            comptes.len(),
            comptes
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(t, n)| format!("{t} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// Migrates and checks `base`; the anomalies found.
async fn controler(base: &Base) -> Result<Vec<String>, String> {
    base.migrer().await.map_err(|e| e.to_string())?;
    let rapport = store::integrite::verifier_tout(base)
        .await
        .map_err(|e| e.to_string())?;
    for c in &rapport.constats {
        println!("{c}");
    }
    Ok(rapport.anomalies)
}

fn refus_anomalies(anomalies: &[String]) -> Issue {
    for a in anomalies {
        println!("anomalie: {a}");
    }
    Issue::Echec(format!(
        "sauvegarde refusée : {} anomalie(s) à son contrôle",
        anomalies.len()
    ))
}

async fn restaurer_sqlite(
    contexte: &Contexte,
    r: &Restauration,
    cible: PathBuf,
) -> Result<(), Issue> {
    let mut en_tete = [0u8; 16];
    let lu = std::fs::File::open(&r.fichier)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut en_tete));
    if let Err(e) = lu {
        return Err(Issue::Echec(format!(
            "{} : sauvegarde illisible ({e})",
            r.fichier.display()
        )));
    }
    if &en_tete != store::sauvegarde::EN_TETE_SQLITE {
        return Err(Issue::Echec(format!(
            "{} n'est pas une sauvegarde SQLite (en-tête absent : fichier tronqué, corrompu ou \
             d'un autre format)",
            r.fichier.display()
        )));
    }
    if cible.exists() {
        match store::sauvegarde::fichier_en_service(&cible).await {
            Ok(false) => {}
            Ok(true) => {
                return Err(Issue::Echec(format!(
                    "la base {} est en service (un serveur l'a ouverte) : arrêtez-le avant de \
                     restaurer",
                    cible.display()
                )));
            }
            Err(e) => return Err(Issue::Echec(format!("{} : {e}", cible.display()))),
        }
        if !r.force {
            return Err(Issue::Invalide(format!(
                "la base {} existe déjà (--force pour la remplacer)",
                cible.display()
            )));
        }
    }
    // The backup is checked on a copy beside the target, which then takes its place.
    let copie = a_cote(&cible, ".restauration");
    let copie_tete = tete_de_sauvegarde(&copie);
    let traces = |c: &Path| {
        vec![
            c.to_path_buf(),
            a_cote(c, "-wal"),
            a_cote(c, "-shm"),
            tete_de_sauvegarde(c),
        ]
    };
    supprimer(&traces(&copie));
    if let Err(e) = std::fs::copy(&r.fichier, &copie) {
        return Err(Issue::Echec(format!("{} : {e}", copie.display())));
    }
    let tete_sauvegarde = tete_de_sauvegarde(&r.fichier);
    if tete_sauvegarde.exists() {
        if let Err(e) = std::fs::copy(&tete_sauvegarde, &copie_tete) {
            supprimer(&traces(&copie));
            return Err(Issue::Echec(format!("{} : {e}", copie_tete.display())));
        }
    } else {
        println!(
            "attention : pas de fichier de tête à côté de la sauvegarde ({})",
            tete_sauvegarde.display()
        );
    }
    let controle = async {
        let base = Base::ouvrir_sans_migrer(&copie.display().to_string())
            .await
            .map_err(|e| e.to_string())?;
        let anomalies = controler(&base).await;
        base.fermer().await;
        anomalies
    }
    .await;
    match controle {
        Ok(anomalies) if anomalies.is_empty() => {}
        Ok(anomalies) => {
            supprimer(&traces(&copie));
            return Err(refus_anomalies(&anomalies));
        }
        Err(e) => {
            supprimer(&traces(&copie));
            return Err(Issue::Echec(format!(
                "{} : sauvegarde illisible ({e})",
                r.fichier.display()
            )));
        }
    }
    let tete_cible = contexte
        .tete_audit
        .clone()
        .unwrap_or_else(|| tete_de_sauvegarde(&cible));
    supprimer(&traces(&cible));
    supprimer(std::slice::from_ref(&tete_cible));
    let deplacer = |de: &Path, vers: &Path| {
        std::fs::rename(de, vers)
            .map_err(|e| Issue::Echec(format!("{} → {} : {e}", de.display(), vers.display())))
    };
    deplacer(&copie, &cible)?;
    if copie_tete.exists() {
        deplacer(&copie_tete, &tete_cible)?;
    }
    supprimer(&traces(&copie));
    Ok(())
}

async fn restaurer_postgres(contexte: &Contexte, r: &Restauration) -> Result<(), Issue> {
    let mut liste = Command::new("pg_restore");
    liste.arg("--list").arg(&r.fichier);
    if let Err(e) = lancer(liste).await {
        return Err(Issue::Echec(format!(
            "{} : sauvegarde illisible ({e})",
            r.fichier.display()
        )));
    }
    let base = Base::ouvrir_sans_migrer(&contexte.base)
        .await
        .map_err(|e| Issue::Echec(format!("base {}: {e}", super::masquer(&contexte.base))))?;
    let autres = store::sauvegarde::autres_sessions_postgres(&base).await;
    let occupee = store::sauvegarde::base_postgres_occupee(&base).await;
    base.fermer().await;
    match autres {
        Ok(0) => {}
        Ok(n) => {
            return Err(Issue::Echec(format!(
                "la base est en service ({n} autre(s) session(s)) : arrêtez le serveur avant de \
                 restaurer"
            )));
        }
        Err(e) => return Err(Issue::Echec(e.to_string())),
    }
    let occupee = occupee.map_err(|e| Issue::Echec(e.to_string()))?;
    if occupee && !r.force {
        return Err(Issue::Invalide(
            "la base contient déjà des données (--force pour les remplacer)".to_owned(),
        ));
    }
    let mut commande = Command::new("pg_restore");
    commande
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--exit-on-error")
        .arg("--single-transaction")
        .arg(format!("--dbname={}", contexte.base));
    if occupee {
        commande.arg("--clean").arg("--if-exists");
    }
    commande.arg(&r.fichier);
    lancer(commande)
        .await
        .map_err(|e| Issue::Echec(format!("restauration : {e}")))?;
    if let Some(tete) = &contexte.tete_audit {
        let source = tete_de_sauvegarde(&r.fichier);
        if source.exists()
            && let Err(e) = std::fs::copy(&source, tete)
        {
            return Err(Issue::Echec(format!("{} : {e}", tete.display())));
        }
    }
    let base = Base::ouvrir_sans_migrer(&contexte.base)
        .await
        .map_err(|e| Issue::Echec(e.to_string()))?
        .avec_tete_audit(contexte.tete_audit.clone());
    let anomalies = controler(&base).await;
    base.fermer().await;
    match anomalies {
        Ok(a) if a.is_empty() => Ok(()),
        Ok(a) => Err(refus_anomalies(&a)),
        Err(e) => Err(Issue::Echec(e)),
    }
}

/// `parentalite restauration`: its own runtime, since the target base must not be opened (nor
/// created) before the backup has been checked.
pub fn restaurer(contexte: &Contexte, r: Restauration) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("erreur: démarrage impossible: {e}");
            return ExitCode::from(1);
        }
    };
    let issue = runtime.block_on(async {
        let cible = fichier_sqlite(&contexte.base);
        if !r.fichier.exists() {
            return Issue::Invalide(format!("{} : fichier introuvable", r.fichier.display()));
        }
        let resultat = match &cible {
            Some(c) => restaurer_sqlite(contexte, &r, c.clone()).await,
            None => restaurer_postgres(contexte, &r).await,
        };
        if let Err(issue) = resultat {
            return issue;
        }
        let Ok(base) = Base::ouvrir_sans_migrer(&contexte.base).await else {
            return Issue::Echec("base restaurée illisible".to_owned());
        };
        println!(
            "base restaurée depuis {} : contrôle sans anomalie",
            r.fichier.display()
        );
        afficher_comptes(&base).await;
        base.fermer().await;
        Issue::Succes
    });
    match issue {
        Issue::Succes => ExitCode::SUCCESS,
        Issue::Echec(m) => {
            eprintln!("erreur: {m}");
            ExitCode::from(1)
        }
        Issue::Invalide(m) => {
            eprintln!("erreur: {m}");
            ExitCode::from(2)
        }
    }
}
