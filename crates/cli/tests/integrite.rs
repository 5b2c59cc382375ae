//! `parentalite check` finds money changed outside the platform and a truncated audit log: a
//! payment's amount changed in its column, its JSON or both, a declaration's frozen right, a
//! Caf's envelope, the last audit events deleted with the head counter lowered to match. An untouched database
//! passes. On SQLite, and on PostgreSQL when `PARENTALITE_TEST_POSTGRES` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use app::Plateforme;
use app::demo::OptionsDemo;
use referentiel::parametres::Parametres;
use store::{Base, Valeur};

/// A database under test: how the command reaches it, and where its head file is.
struct Cible {
    url: String,
    tete: PathBuf,
}

impl Cible {
    fn check(&self) -> Output {
        Command::new(env!("CARGO_BIN_EXE_parentalite"))
            .arg("--base")
            .arg(&self.url)
            .arg("--tete-audit")
            .arg(&self.tete)
            .arg("check")
            .output()
            .unwrap()
    }

    async fn base(&self) -> Base {
        Base::ouvrir(&self.url)
            .await
            .unwrap()
            .avec_tete_audit(Some(self.tete.clone()))
    }

    /// Runs one statement.
    fn executer(&self, sql: &str, params: Vec<Valeur>) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let b = self.base().await;
            let mut tx = b.debuter().await.unwrap();
            tx.executer(sql, &params).await.unwrap();
            tx.valider().await.unwrap();
            b.fermer().await;
        });
    }

    /// The first value of a query, as an integer or a text.
    fn entier(&self, sql: &str) -> i64 {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let b = self.base().await;
            let mut tx = b.debuter().await.unwrap();
            let n = tx
                .ligne(sql, &[])
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

    fn texte(&self, sql: &str) -> String {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let b = self.base().await;
            let mut tx = b.debuter().await.unwrap();
            let t = tx
                .ligne(sql, &[])
                .await
                .unwrap()
                .unwrap()
                .texte("t")
                .unwrap();
            drop(tx);
            b.fermer().await;
            t
        })
    }
}

fn dossier() -> PathBuf {
    let d = std::env::temp_dir().join(format!("parentalite-integrite-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A small demonstration database (every use case run, payments issued).
fn peupler(cible: &Cible) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let base = cible.base().await;
        let p = Plateforme::new(base.clone(), Arc::new(Parametres::embarques().unwrap()));
        let resume = p
            .peupler_demo(OptionsDemo::default(), time::macros::date!(2026 - 03 - 02))
            .await
            .unwrap();
        assert!(resume.paiements > 0, "{resume:?}");
        base.fermer().await;
    });
}

fn sortie(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn passe(cible: &Cible, quand: &str) -> String {
    let o = cible.check();
    assert_eq!(o.status.code(), Some(0), "{quand}: {}", sortie(&o));
    sortie(&o)
}

fn echoue(cible: &Cible, quand: &str) -> String {
    let o = cible.check();
    assert_eq!(o.status.code(), Some(1), "{quand}: {}", sortie(&o));
    sortie(&o)
}

fn scenario(cible: &Cible) {
    peupler(cible);
    let texte = passe(cible, "base intacte");
    assert!(texte.contains("base intègre"), "{texte}");
    assert!(texte.contains("fichier de tête"), "{texte}");

    let paiement = cible.entier("SELECT MAX(id) AS n FROM paiements");
    let montant = cible.entier(&format!(
        "SELECT montant_centimes AS n FROM paiements WHERE id = {paiement}"
    ));
    let donnees = cible.texte(&format!(
        "SELECT donnees AS t FROM paiements WHERE id = {paiement}"
    ));
    let mut json: serde_json::Value = serde_json::from_str(&donnees).unwrap();
    json["montant"] = serde_json::json!(montant + 100_000);
    let faux = serde_json::to_string(&json).unwrap();
    let nomme = format!("le paiement n°{paiement} (table paiements)");

    // The amount's column only.
    cible.executer(
        "UPDATE paiements SET montant_centimes = $1 WHERE id = $2",
        vec![(montant + 100_000).into(), paiement.into()],
    );
    let texte = echoue(cible, "colonne du montant changée");
    assert!(texte.contains(&nomme), "{texte}");
    assert!(texte.contains("montant_centimes"), "{texte}");
    assert!(!texte.contains("donnees"), "{texte}");
    // Both: the column and the JSON agree with each other, not with the audit event.
    cible.executer(
        "UPDATE paiements SET donnees = $1 WHERE id = $2",
        vec![faux.clone().into(), paiement.into()],
    );
    let texte = echoue(cible, "colonne et JSON du montant changés");
    assert!(texte.contains(&nomme), "{texte}");
    assert!(
        texte.contains("donnees (champs JSON : montant), montant_centimes"),
        "{texte}"
    );
    // The JSON only.
    cible.executer(
        "UPDATE paiements SET montant_centimes = $1 WHERE id = $2",
        vec![montant.into(), paiement.into()],
    );
    let texte = echoue(cible, "JSON du montant changé");
    assert!(texte.contains(&nomme), "{texte}");
    assert!(!texte.contains("montant_centimes"), "{texte}");
    // Put back as written: the record is as its audit event hashed it.
    cible.executer(
        "UPDATE paiements SET donnees = $1 WHERE id = $2",
        vec![donnees.into(), paiement.into()],
    );
    passe(cible, "paiement remis en état");

    // A declaration's frozen right.
    let declaration =
        cible.entier("SELECT MAX(id) AS n FROM declarations WHERE droit_centimes IS NOT NULL");
    cible.executer(
        "UPDATE declarations SET droit_centimes = droit_centimes + 1 WHERE id = $1",
        vec![declaration.into()],
    );
    let texte = echoue(cible, "droit figé changé");
    assert!(
        texte.contains(&format!(
            "la déclaration n°{declaration} (table declarations)"
        )),
        "{texte}"
    );
    assert!(texte.contains("droit_centimes"), "{texte}");
    cible.executer(
        "UPDATE declarations SET droit_centimes = droit_centimes - 1 WHERE id = $1",
        vec![declaration.into()],
    );
    passe(cible, "droit figé remis en état");

    // A Caf's share of the national envelope.
    cible.executer(
        "UPDATE enveloppes SET montant_centimes = montant_centimes * 2 WHERE cle = 'aip:38'",
        vec![],
    );
    let texte = echoue(cible, "enveloppe changée");
    assert!(
        texte.contains("l'enveloppe de la Caf n°38 (table enveloppes)"),
        "{texte}"
    );
    assert!(texte.contains("montant_centimes"), "{texte}");
    cible.executer(
        "UPDATE enveloppes SET montant_centimes = montant_centimes / 2 WHERE cle = 'aip:38'",
        vec![],
    );
    passe(cible, "enveloppe remise en état");

    // Truncation: the last events deleted, the head counter lowered with them. The chain that is
    // left is whole; only the head file knows what is missing.
    let dernier = cible.entier("SELECT MAX(id) AS n FROM audit");
    cible.executer(
        "DELETE FROM audit WHERE id > $1",
        vec![(dernier - 3).into()],
    );
    cible.executer(
        "UPDATE compteurs SET valeur = $1 WHERE entite = 'audit_tete'",
        vec![(dernier - 3).into()],
    );
    let texte = echoue(cible, "journal tronqué");
    assert!(
        texte.contains(&format!(
            "les événements d'audit n°{} à n°{dernier} sont absents de la base",
            dernier - 2
        )),
        "{texte}"
    );
}

#[test]
fn check_trouve_l_argent_change_et_le_journal_tronque_sur_sqlite() {
    let d = dossier();
    let chemin = d.join("base.sqlite");
    let tete = d.join("base.sqlite.tete-audit");
    for s in ["", "-wal", "-shm", ".tete-audit"] {
        let _ = std::fs::remove_file(format!("{}{s}", chemin.display()));
    }
    scenario(&Cible {
        url: chemin.display().to_string(),
        tete,
    });
}

#[test]
fn check_trouve_l_argent_change_et_le_journal_tronque_sur_postgresql() {
    let Ok(url) = std::env::var("PARENTALITE_TEST_POSTGRES") else {
        eprintln!("PostgreSQL non configuré: test sauté");
        return;
    };
    let nom = format!("parentalite_integrite_{}", std::process::id());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let admin = Base::ouvrir_sans_migrer(&url).await.unwrap();
        admin
            .executer_direct(&format!("DROP DATABASE IF EXISTS {nom}"))
            .await
            .unwrap();
        admin
            .executer_direct(&format!("CREATE DATABASE {nom}"))
            .await
            .unwrap();
        admin.fermer().await;
    });
    let i = url.rfind('/').unwrap();
    let tete = dossier().join("postgres.tete-audit");
    let _ = std::fs::remove_file(&tete);
    scenario(&Cible {
        url: format!("{}/{nom}", &url[..i]),
        tete,
    });
}

/// The head file is where the command finds it: beside a SQLite database by default.
#[test]
fn le_fichier_de_tete_est_a_cote_de_la_base_sqlite() {
    let d = dossier();
    let chemin: &Path = &d.join("defaut.sqlite");
    for s in ["", "-wal", "-shm", ".tete-audit"] {
        let _ = std::fs::remove_file(format!("{}{s}", chemin.display()));
    }
    let cible = Cible {
        url: chemin.display().to_string(),
        tete: d.join("defaut.sqlite.tete-audit"),
    };
    cible.executer(
        "INSERT INTO compteurs (entite, valeur) VALUES ('essai', 1)",
        vec![],
    );
    // No audit event yet: no head file.
    assert!(!cible.tete.exists());
    let o = Command::new(env!("CARGO_BIN_EXE_parentalite"))
        .arg("--base")
        .arg(chemin)
        .args([
            "user",
            "create",
            "--email",
            "cnaf@exemple.fr",
            "--role",
            "cnaf",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", sortie(&o));
    let contenu = std::fs::read_to_string(&cible.tete).unwrap();
    assert_eq!(contenu.lines().filter(|l| !l.starts_with('#')).count(), 1);
    assert!(contenu.lines().any(|l| l.starts_with("1 ")), "{contenu}");
}

/// A database written before records were hashed and before the head file existed: its events
/// stay valid, its records are reported as not verifiable (not as changed), and `migrate` starts
/// its head file.
#[test]
fn une_base_anterieure_aux_empreintes_reste_valide_et_le_dit() {
    let d = dossier();
    let chemin = d.join("ancienne.sqlite");
    for s in ["", "-wal", "-shm", ".tete-audit"] {
        let _ = std::fs::remove_file(format!("{}{s}", chemin.display()));
    }
    let cible = Cible {
        url: chemin.display().to_string(),
        tete: d.join("ancienne.sqlite.tete-audit"),
    };
    peupler(&cible);
    // The chain as the platform wrote it before: no record hash, each event hashed without it.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let b = cible.base().await;
        let mut tx = b.debuter().await.unwrap();
        let mut precedent = store::audit::ORIGINE.to_owned();
        for mut e in store::audit::evenements(&mut tx).await.unwrap() {
            e.enregistrement = None;
            e.hash_precedent = precedent;
            e.hash = store::audit::empreinte(&e);
            tx.executer(
                "UPDATE audit SET enregistrement = NULL, hash_precedent = $1, hash = $2 WHERE id = $3",
                &[e.hash_precedent.clone().into(), e.hash.clone().into(), e.id.into()],
            )
            .await
            .unwrap();
            precedent = e.hash;
        }
        tx.valider().await.unwrap();
        b.fermer().await;
    });
    std::fs::remove_file(&cible.tete).unwrap();

    let texte = passe(&cible, "base ancienne");
    assert!(
        texte.contains("enregistrement(s) de la table paiements non vérifiable(s)"),
        "{texte}"
    );
    assert!(texte.contains("est absent"), "{texte}");
    let o = Command::new(env!("CARGO_BIN_EXE_parentalite"))
        .arg("--base")
        .arg(&cible.url)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", sortie(&o));
    assert!(sortie(&o).contains("fichier de tête"), "{}", sortie(&o));
    let texte = passe(&cible, "base ancienne, fichier de tête créé");
    assert!(!texte.contains("est absent"), "{texte}");
    // The head file now anchors the chain: a truncation is found.
    let dernier = cible.entier("SELECT MAX(id) AS n FROM audit");
    cible.executer("DELETE FROM audit WHERE id = $1", vec![dernier.into()]);
    cible.executer(
        "UPDATE compteurs SET valeur = $1 WHERE entite = 'audit_tete'",
        vec![(dernier - 1).into()],
    );
    echoue(&cible, "base ancienne tronquée");
}
