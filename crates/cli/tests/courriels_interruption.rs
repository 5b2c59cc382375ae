//! Killing the server (SIGKILL) between the commit of an event and the sending of its mail
//! loses nothing and sends nothing twice: restarted, the server sends the mail exactly once,
//! with the Message-ID of its row. Two moments are tested, held there by the test-only knob
//! `PARENTALITE_ESSAI_COURRIER_SUSPENDRE` (set only in the environment of the server this test
//! starts): before the sender claimed the mail, and after it claimed it (its lease held) but
//! before any SMTP exchange; the restarted sender then waits for the lease to end. On SQLite,
//! and on PostgreSQL when a server is configured.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::Plateforme;
use domain::courriel::{Courriel, GenreCourriel};
use essais::smtp::ServeurSmtp;
use referentiel::parametres::Parametres;
use store::Base;

/// `parentalite serve` on `base` (a SQLite file or a PostgreSQL URL), sending through `smtp`,
/// with the knob set to `suspendre`.
fn serveur(base: &str, smtp: &str, suspendre: Option<&str>) -> Child {
    let mut c = Command::new(env!("CARGO_BIN_EXE_parentalite"));
    c.arg("--base")
        .arg(base)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("PARENTALITE_SMTP", smtp)
        .env("PARENTALITE_LOG", "warn")
        .env_remove("PARENTALITE_ESSAI_COURRIER_SUSPENDRE")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(s) = suspendre {
        c.env("PARENTALITE_ESSAI_COURRIER_SUSPENDRE", s);
    }
    c.spawn().unwrap()
}

/// The outbox's row of the mail: state and attempts.
fn etat(lecteur: &Base, rt: &tokio::runtime::Runtime) -> Option<(String, i64)> {
    rt.block_on(async {
        let mut tx = lecteur.lecture().await.unwrap();
        tx.ligne(
            "SELECT etat, essais FROM courriels WHERE cle = 'retard:1'",
            &[],
        )
        .await
        .unwrap()
        .map(|l| (l.texte("etat").unwrap(), l.entier("essais").unwrap()))
    })
}

fn attendre(delai: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let debut = Instant::now();
    while debut.elapsed() < delai {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// The scenario on SQLite, then on PostgreSQL when a server is configured.
fn scenario(nom: &str, suspendre: &str) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut bases = vec![essais::chemin_sqlite("cli-courriels", nom)];
    if let Some(url) = rt.block_on(essais::url_postgres(
        "cli_courriels",
        &nom.replace('-', "_"),
    )) {
        bases.push(url);
    }
    drop(rt);
    for base in bases {
        scenario_sur(&base, suspendre);
    }
}

fn scenario_sur(chemin: &str, suspendre: &str) {
    let smtp = ServeurSmtp::demarrer();
    // A short lease, so that the restarted sender may take over a mail the killed one held.
    let url = format!("{}?bail=2", smtp.url());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let lecteur = rt.block_on(Base::ouvrir(chemin)).unwrap();
    let mut premier = serveur(chemin, &url, Some(suspendre));
    // The event commits while the server runs: its mail is in the outbox.
    rt.block_on(async {
        let p = Plateforme::new(lecteur.clone(), Arc::new(Parametres::embarques().unwrap()));
        p.envoyer_courriel(
            &Courriel {
                cle: "retard:1".into(),
                genre: GenreCourriel::Retard,
                destinataire: "porteur@exemple.fr".into(),
                utilisateur: None,
                departement: None,
                sujet: "Déclaration en retard".into(),
                texte: "Votre déclaration est attendue.".into(),
                pieces_jointes: Vec::new(),
            },
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
    });
    if suspendre == "apres_bail" {
        assert!(
            attendre(Duration::from_secs(20), || etat(&lecteur, &rt)
                == Some(("en_attente".into(), 1))),
            "le courriel n'a pas été réclamé : {:?}",
            etat(&lecteur, &rt)
        );
    } else {
        std::thread::sleep(Duration::from_millis(1500));
        assert_eq!(etat(&lecteur, &rt), Some(("en_attente".into(), 0)));
    }
    assert!(smtp.messages().is_empty(), "rien n'est parti avant l'arrêt");
    // SIGKILL: no chance to clean up, as when the machine stops.
    premier.kill().unwrap();
    premier.wait().unwrap();

    let mut second = serveur(chemin, &url, None);
    let messages = smtp.attendre(1, Duration::from_secs(30));
    assert!(
        attendre(Duration::from_secs(10), || etat(&lecteur, &rt)
            .is_some_and(|(e, _)| e == "envoye")),
        "{:?}",
        etat(&lecteur, &rt)
    );
    // Time for a second sending, if there were one.
    std::thread::sleep(Duration::from_secs(3));
    second.kill().unwrap();
    second.wait().unwrap();
    let messages_apres = smtp.messages();
    assert_eq!(messages_apres.len(), 1, "envoyé exactement une fois");
    assert_eq!(messages[0].sujet, "Déclaration en retard");
    assert_eq!(messages[0].a, vec!["porteur@exemple.fr".to_owned()]);
    assert!(messages[0].message_id.starts_with("courriel.1."));
    let (_, essais) = etat(&lecteur, &rt).unwrap();
    assert_eq!(essais, if suspendre == "apres_bail" { 2 } else { 1 });
    rt.block_on(lecteur.fermer());
}

#[test]
fn tue_avant_la_reclamation_le_courriel_part_une_fois_au_redemarrage() {
    scenario("avant-bail", "avant_bail");
}

#[test]
fn tue_pendant_le_bail_le_courriel_part_une_fois_apres_le_bail() {
    scenario("apres-bail", "apres_bail");
}
