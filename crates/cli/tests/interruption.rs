//! Killing the process in the middle of a payment run leaves the database consistent, and
//! running it again pays exactly what an uninterrupted run pays: nothing twice, nothing missing.
//! Some kills are timed by watching the run's progress, and the test requires that at least one
//! landed mid-run (some payments written, not all), so that it cannot pass on kills that all
//! came before the start or after the end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use app::Plateforme;
use app::demo::OptionsDemo;
use domain::acces::{Role, Utilisateur};
use domain::identifiants::{CodeDepartement, Email};
use referentiel::parametres::Parametres;
use store::Base;

const AGENT: &str = "agent.national@demo.parentalite.fr";

fn dossier() -> PathBuf {
    let d = std::env::temp_dir().join(format!("parentalite-interruption-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A demonstration database whose payments are all due but none issued, and an agent of all
/// ten Caf to issue them.
fn preparer(chemin: &Path) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let base = Base::ouvrir(chemin.to_str().unwrap()).await.unwrap();
        let p = Plateforme::new(base.clone(), Arc::new(Parametres::embarques().unwrap()));
        p.peupler_demo(
            OptionsDemo {
                emettre_paiements: false,
                ..OptionsDemo::default()
            },
            time::macros::date!(2026 - 03 - 02),
        )
        .await
        .unwrap();
        let departements: BTreeSet<CodeDepartement> = domain::experimentation::DEPARTEMENTS
            .iter()
            .map(|c| CodeDepartement::parse(c).unwrap())
            .collect();
        p.creer_utilisateur(
            |id| Utilisateur {
                id,
                email: Email::parse(AGENT).unwrap(),
                nom: "Agent de paiement".into(),
                role: Role::Caf,
                departements,
                gestionnaires: BTreeSet::new(),
                financeur: None,
                actif: true,
            },
            None,
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
        base.fermer().await;
    });
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

/// Copies a closed database with its audit head file.
fn copier(source: &Path, cible: &Path) {
    for s in ["-wal", "-shm", ".tete-audit"] {
        let _ = std::fs::remove_file(format!("{}{s}", cible.display()));
    }
    std::fs::copy(source, cible).unwrap();
    let tete = format!("{}.tete-audit", source.display());
    if Path::new(&tete).exists() {
        std::fs::copy(&tete, format!("{}.tete-audit", cible.display())).unwrap();
    }
}

/// How a run is stopped: after a fixed delay, or as soon as it has written this many payments.
#[derive(Debug, Clone, Copy)]
enum Arret {
    Delai(u64),
    Paiements(usize),
}

/// Starts a payment run on `base` and kills it as `arret` says.
fn lancer_et_tuer(base: &Path, arret: Arret) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Opened before the run starts (migrations done), to watch it without slowing it down.
    let lecteur = rt.block_on(Base::ouvrir(base.to_str().unwrap())).unwrap();
    let mut enfant = parentalite(
        base,
        &[
            "paiements",
            "emettre",
            "--email",
            AGENT,
            "--date",
            "2025-02-10",
        ],
    )
    .spawn()
    .unwrap();
    match arret {
        Arret::Delai(ms) => std::thread::sleep(Duration::from_millis(ms)),
        Arret::Paiements(seuil) => loop {
            let ecrits = rt.block_on(async {
                let mut tx = lecteur.lecture().await.unwrap();
                tx.ligne("SELECT COUNT(*) AS n FROM paiements", &[])
                    .await
                    .unwrap()
                    .unwrap()
                    .entier("n")
                    .unwrap()
            });
            if usize::try_from(ecrits).unwrap() >= seuil || enfant.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        },
    }
    // SIGKILL: no chance to clean up, as when the machine stops.
    let _ = enfant.kill();
    let _ = enfant.wait();
    rt.block_on(lecteur.fermer());
}

/// The payments in the database: (convention, exercice, échéance, amount).
fn paiements(base: &Path) -> Vec<(i64, i64, String, i64)> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let b = Base::ouvrir(base.to_str().unwrap()).await.unwrap();
        let mut tx = b.debuter().await.unwrap();
        let lignes = tx
            .lignes(
                "SELECT convention_id, exercice, echeance, montant_centimes FROM paiements ORDER BY convention_id, exercice, echeance",
                &[],
            )
            .await
            .unwrap();
        let v = lignes
            .iter()
            .map(|l| {
                (
                    l.entier("convention_id").unwrap(),
                    l.entier("exercice").unwrap(),
                    l.texte("echeance").unwrap(),
                    l.entier("montant_centimes").unwrap(),
                )
            })
            .collect();
        drop(tx);
        b.fermer().await;
        v
    })
}

#[test]
fn une_campagne_de_paiement_interrompue_ne_paie_rien_deux_fois() {
    let d = dossier();
    let modele = d.join("modele.sqlite");
    preparer(&modele);

    // Reference: an uninterrupted run.
    let reference_base = d.join("reference.sqlite");
    copier(&modele, &reference_base);
    let sortie = parentalite(
        &reference_base,
        &[
            "paiements",
            "emettre",
            "--email",
            AGENT,
            "--date",
            "2025-02-10",
        ],
    )
    .output()
    .unwrap();
    assert!(
        sortie.status.success(),
        "{}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    let reference = paiements(&reference_base);
    assert!(reference.len() >= 30, "{reference:?}");

    let arrets = [0u64, 3, 8, 15, 30, 60, 120]
        .map(Arret::Delai)
        .into_iter()
        .chain([1, 5, reference.len() / 2].map(Arret::Paiements));
    let mut en_cours = 0;
    for (essai, arret) in arrets.enumerate() {
        let base = d.join(format!("essai-{essai}.sqlite"));
        copier(&modele, &base);
        lancer_et_tuer(&base, arret);
        let apres_arret = paiements(&base);
        eprintln!(
            "arrêt {arret:?}: {} paiement(s) sur {} déjà écrits",
            apres_arret.len(),
            reference.len()
        );
        if !apres_arret.is_empty() && apres_arret.len() < reference.len() {
            en_cours += 1;
        }
        assert!(apres_arret.len() <= reference.len());
        for p in &apres_arret {
            assert!(
                reference.contains(p),
                "paiement inattendu après l'arrêt: {p:?}"
            );
        }
        let check = parentalite(&base, &["check"]).output().unwrap();
        assert!(
            check.status.success(),
            "base incohérente après un arrêt {arret:?}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
        let reprise = parentalite(
            &base,
            &[
                "paiements",
                "emettre",
                "--email",
                AGENT,
                "--date",
                "2025-02-10",
            ],
        )
        .output()
        .unwrap();
        assert!(
            reprise.status.success(),
            "{}",
            String::from_utf8_lossy(&reprise.stderr)
        );
        assert_eq!(
            paiements(&base),
            reference,
            "après un arrêt {arret:?} puis une reprise"
        );
    }
    // Otherwise every kill came before the first payment or after the last: nothing was tested.
    assert!(
        en_cours >= 1,
        "aucun arrêt n'a interrompu la campagne en cours de route"
    );
}
