//! Imports and exports as an operator runs them: a file with bad rows imports nothing and names
//! every bad row; an import killed midway leaves all rows or none (some kills are timed by
//! watching the import hold the database's write lock, and at least one must land there, leaving
//! none); every list exports in the three formats, showing only what the user may see.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::Duration;

use app::Plateforme;
use app::demo::OptionsDemo;
use domain::identifiants::Siret;
use referentiel::parametres::Parametres;
use store::Base;

fn dossier(nom: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("parentalite-{nom}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn parentalite(base: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_parentalite"));
    c.arg("--base")
        .arg(base)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn lancer(base: &Path, args: &[&str]) -> Output {
    parentalite(base, args).output().unwrap()
}

fn siret(souche: u64) -> String {
    let base = format!("{souche:013}");
    (0..10)
        .map(|k| format!("{base}{k}"))
        .find(|s| Siret::parse(s).is_ok())
        .unwrap()
}

fn fichier_gestionnaires(n: u64, fautes: &[u64]) -> String {
    let mut f = String::from(
        "raison_sociale;siret;rna;statut_juridique;type_activite;voie;code_postal;commune;departement;email\n",
    );
    for i in 0..n {
        let siret = if fautes.contains(&i) {
            "12345678901234".to_owned()
        } else {
            siret(5_000_000_000_000 + i)
        };
        f.push_str(&format!(
            "Association n°{i};{siret};W38{:07};association_loi_1901;generaliste;{i} rue des Alpes;38000;38185;38;\n",
            i
        ));
    }
    f
}

fn compter(base: &Path) -> i64 {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let b = Base::ouvrir(base.to_str().unwrap()).await.unwrap();
        let mut tx = b.debuter().await.unwrap();
        let n = tx
            .ligne("SELECT COUNT(*) AS n FROM gestionnaires", &[])
            .await
            .unwrap()
            .unwrap()
            .entier("n")
            .unwrap();
        drop(tx);
        b.fermer().await;
        n
    })
}

#[test]
fn un_fichier_avec_des_lignes_fautives_n_importe_rien() {
    let d = dossier("import");
    let base = d.join("base.sqlite");
    let fichier = d.join("mauvais.csv");
    std::fs::write(&fichier, fichier_gestionnaires(20, &[3, 11])).unwrap();
    let s = lancer(
        &base,
        &["import", "gestionnaires", fichier.to_str().unwrap()],
    );
    assert_eq!(s.status.code(), Some(2));
    let erreurs = String::from_utf8_lossy(&s.stderr);
    assert!(erreurs.contains("ligne 5, siret"), "{erreurs}");
    assert!(erreurs.contains("ligne 13, siret"), "{erreurs}");
    assert_eq!(compter(&base), 0);

    let bon = d.join("bon.csv");
    std::fs::write(&bon, fichier_gestionnaires(20, &[])).unwrap();
    let s = lancer(&base, &["import", "gestionnaires", bon.to_str().unwrap()]);
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    assert_eq!(compter(&base), 20);
    // The same file again: every SIRET is taken, nothing more is written.
    let s = lancer(&base, &["import", "gestionnaires", bon.to_str().unwrap()]);
    assert_eq!(s.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&s.stderr).contains("rien n'a été importé"));
    assert_eq!(compter(&base), 20);
    assert!(lancer(&base, &["check"]).status.success());
}

/// A connection that tells whether another process holds the SQLite write lock: its own
/// `BEGIN IMMEDIATE` fails at once instead of waiting.
struct Sonde {
    rt: tokio::runtime::Runtime,
    connexion: sqlx::SqliteConnection,
}

impl Sonde {
    fn ouvrir(base: &Path) -> Sonde {
        use sqlx::Connection;
        let rt = tokio::runtime::Runtime::new().unwrap();
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(base)
            .busy_timeout(Duration::ZERO);
        let connexion = rt
            .block_on(sqlx::SqliteConnection::connect_with(&options))
            .unwrap();
        Sonde { rt, connexion }
    }

    fn verrou_pris(&mut self) -> bool {
        self.rt.block_on(async {
            let pris = sqlx::query("BEGIN IMMEDIATE")
                .execute(&mut self.connexion)
                .await
                .is_err();
            if !pris {
                sqlx::query("ROLLBACK")
                    .execute(&mut self.connexion)
                    .await
                    .unwrap();
            }
            pris
        })
    }
}

/// How an import is stopped: after a fixed delay, or once it has held the write lock (its one
/// transaction is under way) over several looks in a row.
#[derive(Debug, Clone, Copy)]
enum Arret {
    Delai(u64),
    PendantLEcriture,
}

#[test]
fn un_import_interrompu_laisse_tout_ou_rien() {
    let d = dossier("import-interrompu");
    let fichier = d.join("gros.csv");
    let n = 3000;
    std::fs::write(&fichier, fichier_gestionnaires(n, &[])).unwrap();
    let mut vus = Vec::new();
    let mut pendant_l_ecriture = 0;
    let arrets = [20u64, 60, 120, 250, 500, 1000]
        .map(Arret::Delai)
        .into_iter()
        .chain([Arret::PendantLEcriture; 3]);
    for (essai, arret) in arrets.enumerate() {
        let base = d.join(format!("base-{essai}.sqlite"));
        for s in ["", "-wal", "-shm", ".tete-audit"] {
            let _ = std::fs::remove_file(format!("{}{s}", base.display()));
        }
        lancer(&base, &["migrate"]);
        let mut sonde = Sonde::ouvrir(&base);
        let mut enfant = parentalite(
            &base,
            &["import", "gestionnaires", fichier.to_str().unwrap()],
        )
        .spawn()
        .unwrap();
        let mut en_ecriture = false;
        match arret {
            Arret::Delai(ms) => std::thread::sleep(Duration::from_millis(ms)),
            Arret::PendantLEcriture => {
                let mut de_suite = 0;
                while enfant.try_wait().unwrap().is_none() {
                    if sonde.verrou_pris() {
                        de_suite += 1;
                        if de_suite >= 3 {
                            en_ecriture = true;
                            break;
                        }
                    } else {
                        de_suite = 0;
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
        }
        let _ = enfant.kill();
        let _ = enfant.wait();
        drop(sonde);
        let compte = compter(&base);
        vus.push(compte);
        assert!(
            compte == 0 || compte == n as i64,
            "import partiel: {compte} lignes après un arrêt {arret:?}"
        );
        if en_ecriture && compte == 0 {
            pendant_l_ecriture += 1;
        }
        let check = lancer(&base, &["check"]);
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
    eprintln!(
        "gestionnaires présents après chaque arrêt: {vus:?}, dont {pendant_l_ecriture} arrêt(s) pendant l'écriture"
    );
    // Otherwise no kill is known to have interrupted the import's transaction: the all-or-nothing
    // property would not have been tested.
    assert!(
        pendant_l_ecriture >= 1,
        "aucun arrêt n'a interrompu l'import pendant son écriture: {vus:?}"
    );
}

#[test]
fn chaque_liste_s_exporte_dans_les_trois_formats() {
    let d = dossier("export");
    let base = d.join("demo.sqlite");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let b = Base::ouvrir(base.to_str().unwrap()).await.unwrap();
        let p = Plateforme::new(b.clone(), Arc::new(Parametres::embarques().unwrap()));
        p.peupler_demo(
            OptionsDemo {
                gestionnaires_par_caf: 10,
                ..OptionsDemo::default()
            },
            time::macros::date!(2026 - 03 - 02),
        )
        .await
        .unwrap();
        b.fermer().await;
    });
    for liste in [
        "gestionnaires",
        "dossiers",
        "conventions",
        "declarations",
        "paiements",
        "enveloppes",
    ] {
        let s = lancer(&base, &["export", liste]);
        assert!(
            s.status.success(),
            "{liste}: {}",
            String::from_utf8_lossy(&s.stderr)
        );
        let t = String::from_utf8(s.stdout).unwrap();
        assert!(t.starts_with('\u{feff}'), "{liste}: pas de BOM");
        assert!(t.lines().next().unwrap().contains(';'), "{liste}");
        assert!(t.lines().count() > 2, "{liste}: {t}");
        let s = lancer(&base, &["export", liste, "--format", "csv-ouvert"]);
        let t = String::from_utf8(s.stdout).unwrap();
        assert!(
            !t.starts_with('\u{feff}') && t.lines().next().unwrap().contains(','),
            "{liste}"
        );
        let sortie = d.join(format!("{liste}.xlsx"));
        let s = lancer(
            &base,
            &[
                "export",
                liste,
                "--format",
                "xlsx",
                "--sortie",
                sortie.to_str().unwrap(),
            ],
        );
        assert!(s.status.success());
        assert!(std::fs::read(&sortie).unwrap().starts_with(b"PK"));
    }
    // Open data: decimal point and ISO dates; French spreadsheet: decimal comma, JJ/MM/AAAA.
    let ouvert =
        String::from_utf8(lancer(&base, &["export", "paiements", "--format", "csv-ouvert"]).stdout)
            .unwrap();
    assert!(
        ouvert.lines().nth(1).unwrap().contains(",2024-03-15"),
        "{ouvert}"
    );
    let tableur = String::from_utf8(lancer(&base, &["export", "paiements"]).stdout).unwrap();
    assert!(
        tableur.lines().nth(1).unwrap().contains(";15/03/2024"),
        "{tableur}"
    );
    // What a gestionnaire exports is only its own.
    let tout =
        String::from_utf8(lancer(&base, &["export", "dossiers", "--format", "csv-ouvert"]).stdout)
            .unwrap();
    let sien = String::from_utf8(
        lancer(
            &base,
            &[
                "export",
                "dossiers",
                "--format",
                "csv-ouvert",
                "--email",
                "gestionnaire.38.1@demo.parentalite.fr",
            ],
        )
        .stdout,
    )
    .unwrap();
    // A heading, the hundred AIP dossiers and the twelve comité projects of each département.
    assert_eq!(tout.lines().count(), 1 + 100 + 10 * 12);
    assert_eq!(sien.lines().count(), 2, "{sien}");
    let agent = String::from_utf8(
        lancer(
            &base,
            &[
                "export",
                "dossiers",
                "--format",
                "csv-ouvert",
                "--email",
                "agent.30@demo.parentalite.fr",
            ],
        )
        .stdout,
    )
    .unwrap();
    // The Gard's ten dossiers but its draft, which stays the gestionnaire's until deposited, and
    // the twelve projects of its comité des financeurs.
    assert_eq!(agent.lines().count(), 1 + 9 + 12);
    assert!(agent.lines().skip(1).all(|l| l.contains(",30,")), "{agent}");
}
