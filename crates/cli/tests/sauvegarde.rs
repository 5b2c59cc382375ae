//! `parentalite sauvegarde` and `parentalite restauration`, through the real binary: a filled base
//! backed up and restored into a new file passes `check` with the same counts per table; backups
//! taken while the base is being written are consistent; a truncated, foreign or tampered backup is
//! refused with a clear error and nothing is written; a base in use or an existing one (without
//! `--force`) is never overwritten. On PostgreSQL through `pg_dump` / `pg_restore` when
//! `PARENTALITE_TEST_POSTGRES` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use app::Plateforme;
use app::demo::OptionsDemo;
use referentiel::parametres::Parametres;
use store::Base;

fn parentalite(base: &str, arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parentalite"))
        .arg("--base")
        .arg(base)
        .args(arguments)
        .output()
        .unwrap()
}

fn texte(sortie: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&sortie.stdout),
        String::from_utf8_lossy(&sortie.stderr)
    )
}

fn reussi(sortie: &Output) {
    assert!(sortie.status.success(), "{}", texte(sortie));
}

/// A fresh path in the temporary folder (and its traces removed).
fn chemin(nom: &str) -> PathBuf {
    let c = std::env::temp_dir().join(format!(
        "parentalite-sauvegarde-{nom}-{}",
        std::process::id()
    ));
    for suffixe in ["", "-wal", "-shm", ".tete-audit"] {
        let _ = std::fs::remove_file(format!("{}{suffixe}", c.display()));
    }
    c
}

fn demonstration(base: Base) -> Plateforme {
    Plateforme::new(base, Arc::new(Parametres::embarques().unwrap()))
}

async fn remplir(base: Base) {
    let options = OptionsDemo {
        gestionnaires_par_caf: 2,
        ..OptionsDemo::default()
    };
    demonstration(base)
        .peupler_demo(options, time::OffsetDateTime::now_utc().date())
        .await
        .unwrap();
}

async fn comptes(url: &str) -> Vec<(String, i64)> {
    let base = Base::ouvrir_sans_migrer(url).await.unwrap();
    let c = store::sauvegarde::comptes_par_table(&base).await.unwrap();
    base.fermer().await;
    c
}

#[tokio::test]
async fn sauvegarde_sqlite_restauree_dans_un_nouveau_fichier_passe_check_avec_les_memes_comptes() {
    let source = chemin("source.sqlite");
    let url = source.display().to_string();
    let base = Base::ouvrir(&url).await.unwrap();
    remplir(base.clone()).await;
    base.fermer().await;
    let attendus = comptes(&url).await;
    assert!(attendus.iter().any(|(t, n)| t == "audit" && *n > 100));

    let sauvegarde = chemin("sauvegarde.sqlite");
    reussi(&parentalite(
        &url,
        &["sauvegarde", sauvegarde.to_str().unwrap()],
    ));
    assert!(Path::new(&format!("{}.tete-audit", sauvegarde.display())).exists());
    // An existing backup is not replaced without --force.
    let encore = parentalite(&url, &["sauvegarde", sauvegarde.to_str().unwrap()]);
    assert_eq!(encore.status.code(), Some(2), "{}", texte(&encore));

    let restauree = chemin("restauree.sqlite");
    let cible = restauree.display().to_string();
    let sortie = parentalite(&cible, &["restauration", sauvegarde.to_str().unwrap()]);
    reussi(&sortie);
    assert!(texte(&sortie).contains("contrôle sans anomalie"));
    let check = parentalite(&cible, &["check"]);
    reussi(&check);
    assert!(texte(&check).contains("base intègre"), "{}", texte(&check));
    assert!(!texte(&check).contains("attention"), "{}", texte(&check));
    assert_eq!(comptes(&cible).await, attendus);

    // An existing base is kept without --force; replaced with it.
    let refus = parentalite(&cible, &["restauration", sauvegarde.to_str().unwrap()]);
    assert_eq!(refus.status.code(), Some(2), "{}", texte(&refus));
    assert!(texte(&refus).contains("--force"));
    reussi(&parentalite(
        &cible,
        &["restauration", "--force", sauvegarde.to_str().unwrap()],
    ));
    reussi(&parentalite(&cible, &["check"]));

    // A base in use (a server has it open) is never replaced, even with --force.
    let ouverte = Base::ouvrir(&cible).await.unwrap();
    assert!(ouverte.repond().await);
    let refus = parentalite(
        &cible,
        &["restauration", "--force", sauvegarde.to_str().unwrap()],
    );
    assert_eq!(refus.status.code(), Some(1), "{}", texte(&refus));
    assert!(texte(&refus).contains("en service"), "{}", texte(&refus));
    ouverte.fermer().await;
}

#[tokio::test]
async fn sauvegardes_prises_pendant_des_ecritures_sont_coherentes() {
    let source = chemin("ecritures.sqlite");
    let url = source.display().to_string();
    let base = Base::ouvrir(&url).await.unwrap();
    let ecritures = tokio::spawn(remplir(base.clone()));
    let mut prises = 0;
    let mut tetes = Vec::new();
    while !ecritures.is_finished() || prises < 2 {
        let sauvegarde = chemin(&format!("ecritures-{prises}.sqlite"));
        let sortie = parentalite(&url, &["sauvegarde", sauvegarde.to_str().unwrap()]);
        reussi(&sortie);
        let restauree = chemin(&format!("ecritures-restauree-{prises}.sqlite"));
        let cible = restauree.display().to_string();
        let sortie = parentalite(&cible, &["restauration", sauvegarde.to_str().unwrap()]);
        reussi(&sortie);
        let check = parentalite(&cible, &["check"]);
        reussi(&check);
        tetes.push(
            store::sauvegarde::tete_du_fichier(&restauree)
                .await
                .unwrap()
                .map_or(0, |(n, _)| n),
        );
        prises += 1;
        if prises > 20 {
            break;
        }
    }
    ecritures.await.unwrap();
    base.fermer().await;
    // Some backups were taken in the middle of the writes.
    assert!(prises >= 2);
    let finale = store::sauvegarde::tete_du_fichier(&source)
        .await
        .unwrap()
        .map_or(0, |(n, _)| n);
    assert!(
        tetes.iter().any(|n| *n < finale),
        "{tetes:?} / {finale}: aucune sauvegarde prise pendant les écritures"
    );
}

#[tokio::test]
async fn sauvegarde_tronquee_corrompue_ou_sans_sa_tete_est_refusee() {
    let source = chemin("intacte.sqlite");
    let url = source.display().to_string();
    let base = Base::ouvrir(&url).await.unwrap();
    remplir(base.clone()).await;
    base.fermer().await;
    let sauvegarde = chemin("intacte-sauvegarde.sqlite");
    reussi(&parentalite(
        &url,
        &["sauvegarde", sauvegarde.to_str().unwrap()],
    ));
    let contenu = std::fs::read(&sauvegarde).unwrap();
    let tete = std::fs::read(format!("{}.tete-audit", sauvegarde.display())).unwrap();

    let refusee = |fichier: &Path, nom: &str| {
        let cible = chemin(nom);
        let sortie = parentalite(
            &cible.display().to_string(),
            &["restauration", fichier.to_str().unwrap()],
        );
        assert_eq!(sortie.status.code(), Some(1), "{}", texte(&sortie));
        assert!(!cible.exists(), "la base cible a été écrite");
        texte(&sortie)
    };

    // Truncated.
    let tronquee = chemin("tronquee.sqlite");
    std::fs::write(&tronquee, &contenu[..contenu.len() / 3]).unwrap();
    std::fs::write(format!("{}.tete-audit", tronquee.display()), &tete).unwrap();
    let message = refusee(&tronquee, "cible-tronquee.sqlite");
    assert!(message.contains("sauvegarde illisible"), "{message}");

    // Not a database at all.
    let etrangere = chemin("etrangere.sqlite");
    std::fs::write(&etrangere, b"ceci n'est pas une base").unwrap();
    let message = refusee(&etrangere, "cible-etrangere.sqlite");
    assert!(
        message.contains("n'est pas une sauvegarde SQLite"),
        "{message}"
    );

    // Bytes changed inside a page of the audit log: the chain no longer holds.
    let corrompue = chemin("corrompue.sqlite");
    let mut octets = contenu.clone();
    let hash = {
        let b = Base::ouvrir_sans_migrer(&sauvegarde.display().to_string())
            .await
            .unwrap();
        let mut tx = b.lire().await.unwrap();
        let h = tx
            .ligne("SELECT hash FROM audit WHERE id = 3", &[])
            .await
            .unwrap()
            .unwrap()
            .texte("hash")
            .unwrap();
        drop(tx);
        b.fermer().await;
        h
    };
    let position = octets
        .windows(hash.len())
        .position(|w| w == hash.as_bytes())
        .expect("hash de l'événement n°3 dans le fichier");
    octets[position] = if octets[position] == b'0' { b'1' } else { b'0' };
    std::fs::write(&corrompue, &octets).unwrap();
    std::fs::write(format!("{}.tete-audit", corrompue.display()), &tete).unwrap();
    let message = refusee(&corrompue, "cible-corrompue.sqlite");
    assert!(message.contains("sauvegarde refusée"), "{message}");
    assert!(message.contains("anomalie"), "{message}");
}

#[tokio::test]
async fn sauvegarde_postgres_par_pg_dump_restauree_passe_check_avec_les_memes_comptes() {
    let Some(source) = essais::url_postgres("sauvegarde", "source").await else {
        return;
    };
    let base = Base::ouvrir(&source).await.unwrap();
    remplir(base.clone()).await;
    base.fermer().await;
    let attendus = comptes(&source).await;

    let sauvegarde = chemin("postgres.dump");
    reussi(&parentalite(
        &source,
        &["sauvegarde", sauvegarde.to_str().unwrap()],
    ));
    let cible = essais::url_postgres("sauvegarde", "cible").await.unwrap();
    let tete = chemin("postgres-cible.tete-audit");
    let sortie = Command::new(env!("CARGO_BIN_EXE_parentalite"))
        .args(["--base", &cible, "--tete-audit", tete.to_str().unwrap()])
        .args(["restauration", sauvegarde.to_str().unwrap()])
        .output()
        .unwrap();
    reussi(&sortie);
    let check = Command::new(env!("CARGO_BIN_EXE_parentalite"))
        .args(["--base", &cible, "--tete-audit", tete.to_str().unwrap()])
        .arg("check")
        .output()
        .unwrap();
    reussi(&check);
    assert!(texte(&check).contains("base intègre"));
    assert!(
        texte(&check).contains("fichier de tête"),
        "{}",
        texte(&check)
    );
    assert_eq!(comptes(&cible).await, attendus);

    // Not over a filled base without --force.
    let refus = parentalite(&cible, &["restauration", sauvegarde.to_str().unwrap()]);
    assert_eq!(refus.status.code(), Some(2), "{}", texte(&refus));

    // A truncated dump is refused before anything is restored.
    let contenu = std::fs::read(&sauvegarde).unwrap();
    let tronquee = chemin("postgres-tronque.dump");
    std::fs::write(&tronquee, &contenu[..contenu.len() / 2]).unwrap();
    let vide = essais::url_postgres("sauvegarde", "vide").await.unwrap();
    let refus = parentalite(&vide, &["restauration", tronquee.to_str().unwrap()]);
    assert_eq!(refus.status.code(), Some(1), "{}", texte(&refus));
    assert!(
        texte(&refus).contains("illisible") || texte(&refus).contains("a échoué"),
        "{}",
        texte(&refus)
    );
}
