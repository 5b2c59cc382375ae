//! Personal API tokens from the command line: created with a lifetime, listed with their state,
//! revoked by their identifier; a lifetime out of range and an unknown identifier are refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn lancer(base: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parentalite"))
        .arg("--base")
        .arg(base)
        .args(args)
        .output()
        .unwrap()
}

fn sortie(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn un_jeton_se_cree_pour_une_duree_se_liste_et_se_revoque() {
    let dossier = std::env::temp_dir().join(format!("parentalite-jetons-{}", std::process::id()));
    std::fs::create_dir_all(&dossier).unwrap();
    let base = dossier.join("demo.sqlite");
    let demo = Command::new(env!("CARGO_BIN_EXE_parentalite"))
        .args(["demo", "--sans-serveur", "--fichier"])
        .arg(&base)
        .output()
        .unwrap();
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let email = "agent.38@demo.parentalite.fr";
    let cree = lancer(
        &base,
        &[
            "token",
            "create",
            "--email",
            email,
            "--libelle",
            "export",
            "--jours",
            "7",
        ],
    );
    assert!(cree.status.success());
    assert!(sortie(&cree).starts_with("prt_"));
    let liste = sortie(&lancer(&base, &["token", "list", "--email", email]));
    let ligne = liste.lines().find(|l| l.contains("\texport\t")).unwrap();
    assert!(ligne.contains("valable jusqu'au"), "{ligne}");
    let identifiant = ligne.split('\t').next().unwrap();
    let revoque = lancer(
        &base,
        &[
            "token",
            "revoke",
            "--email",
            email,
            "--identifiant",
            identifiant,
        ],
    );
    assert!(revoque.status.success());
    let liste = sortie(&lancer(&base, &["token", "list", "--email", email]));
    assert!(
        liste.contains("\texport\t") && liste.contains("révoqué"),
        "{liste}"
    );
    // Twice: nothing in force to revoke.
    let encore = lancer(
        &base,
        &[
            "token",
            "revoke",
            "--email",
            email,
            "--identifiant",
            identifiant,
        ],
    );
    assert_eq!(encore.status.code(), Some(2));
    let trop = lancer(
        &base,
        &["token", "create", "--email", email, "--jours", "366"],
    );
    assert_eq!(trop.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dossier);
}
