//! What the tests of every crate share: a fresh database for one test, on SQLite (always) or on
//! PostgreSQL (when `PARENTALITE_TEST_POSTGRES` names a server; required when
//! `PARENTALITE_EXIGER_POSTGRES` is set, so that a run meant to cover both engines cannot skip
//! one silently). Each test names its database after its crate and itself, and the process, so
//! that tests running at the same time never share one.
//!
//! This crate is only a dev-dependency: it panics on a failure to prepare a database, which is a
//! failure of the test that asked for it.
//!
//! [`smtp`] starts a real local SMTP server (Python's aiosmtpd, writing each mail into a
//! Maildir) and reads the mails it received.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use store::Base;

/// The path of a fresh SQLite file for the test `nom` of `prefixe` (the crate or test file); any
/// file of an earlier run of the same name, with its journal and audit head, is removed.
pub fn chemin_sqlite(prefixe: &str, nom: &str) -> String {
    let chemin = std::env::temp_dir().join(format!(
        "parentalite-{prefixe}-{nom}-{}.sqlite",
        std::process::id()
    ));
    for suffixe in ["", "-wal", "-shm", ".tete-audit"] {
        let _ = std::fs::remove_file(format!("{}{suffixe}", chemin.display()));
    }
    chemin.display().to_string()
}

/// A fresh SQLite database, migrated.
pub async fn base_sqlite(prefixe: &str, nom: &str) -> Base {
    Base::ouvrir(&chemin_sqlite(prefixe, nom)).await.unwrap()
}

/// The URL of a fresh, empty PostgreSQL database for the test `nom` of `prefixe`, or `None` when
/// no server is configured (a panic when PostgreSQL is required).
pub async fn url_postgres(prefixe: &str, nom: &str) -> Option<String> {
    let Ok(url) = std::env::var("PARENTALITE_TEST_POSTGRES") else {
        assert!(
            std::env::var("PARENTALITE_EXIGER_POSTGRES").is_err(),
            "PARENTALITE_TEST_POSTGRES manquant alors que PostgreSQL est exigé"
        );
        eprintln!("PostgreSQL non configuré : épreuve {prefixe} {nom} sautée");
        return None;
    };
    let base_nom = format!(
        "parentalite_{}_{}_{}",
        prefixe.replace('-', "_"),
        nom.replace('-', "_"),
        std::process::id()
    );
    let admin = Base::ouvrir_sans_migrer(&url).await.unwrap();
    admin
        .executer_direct(&format!("DROP DATABASE IF EXISTS {base_nom}"))
        .await
        .unwrap();
    admin
        .executer_direct(&format!("CREATE DATABASE {base_nom}"))
        .await
        .unwrap();
    admin.fermer().await;
    let i = url.rfind('/').expect("URL PostgreSQL sans base");
    Some(format!("{}/{base_nom}", &url[..i]))
}

/// A fresh PostgreSQL database, migrated, or `None` when no server is configured.
pub async fn base_postgres(prefixe: &str, nom: &str) -> Option<Base> {
    let url = url_postgres(prefixe, nom).await?;
    Some(Base::ouvrir(&url).await.unwrap())
}
pub mod smtp;
