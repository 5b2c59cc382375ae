//! The queries of the store's modules for web access, envelopes, messages and payments due, each
//! checked on SQLite always and on PostgreSQL when `PARENTALITE_TEST_POSTGRES` names a server:
//! what one writes, the other reads back the same way on both engines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use store::{Base, Valeur};

/// A fresh SQLite database for one test.
async fn base_sqlite(nom: &str) -> Base {
    let chemin = std::env::temp_dir().join(format!(
        "parentalite-store-requetes-{nom}-{}.sqlite",
        std::process::id()
    ));
    for suffixe in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffixe}", chemin.display()));
    }
    Base::ouvrir(chemin.to_str().unwrap()).await.unwrap()
}

/// A fresh PostgreSQL database for one test, or `None` when no server is configured.
async fn base_postgres(nom: &str) -> Option<Base> {
    let Ok(url) = std::env::var("PARENTALITE_TEST_POSTGRES") else {
        assert!(
            std::env::var("PARENTALITE_EXIGER_POSTGRES").is_err(),
            "PARENTALITE_TEST_POSTGRES manquant alors que PostgreSQL est exigé"
        );
        eprintln!("PostgreSQL non configuré: épreuve {nom} sautée");
        return None;
    };
    let base_nom = format!("parentalite_store_requetes_{nom}_{}", std::process::id());
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
    Some(
        Base::ouvrir(&format!("{}/{base_nom}", &url[..i]))
            .await
            .unwrap(),
    )
}

/// Runs the check `$epreuve` on a fresh database of each engine, as two tests.
macro_rules! sur_les_deux_moteurs {
    ($epreuve:ident) => {
        mod $epreuve {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let base = super::base_sqlite(stringify!($epreuve)).await;
                super::$epreuve(&base).await;
                base.fermer().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(base) = super::base_postgres(stringify!($epreuve)).await {
                    super::$epreuve(&base).await;
                    base.fermer().await;
                }
            }
        }
    };
}

/// Writes `sql` in a transaction of its own.
async fn ecrire(base: &Base, sql: &str, parametres: &[Valeur]) {
    let mut tx = base.debuter().await.unwrap();
    tx.executer(sql, parametres).await.unwrap();
    tx.valider().await.unwrap();
}

/// An account `id` with `email`, active or not.
async fn compte(base: &Base, id: i64, email: &str, actif: bool) {
    ecrire(
        base,
        "INSERT INTO utilisateurs (id, email, role, mot_de_passe, actif, version, donnees) \
         VALUES ($1, $2, 'caf', 'hache', $3, 1, '{}')",
        &[id.into(), email.into(), actif.into()],
    )
    .await;
}

/// A structure of Isère, an AIP call and a REAAP call, and dossier 1 (AIP) and 2 (REAAP) with
/// their conventions 1 and 2 (signed).
async fn dossiers(base: &Base) {
    for sql in [
        "INSERT INTO gestionnaires (id, siret, nom, departement, version, donnees) VALUES (1, '12345678900012', 'Le Lien', '38', 1, '{}')",
        "INSERT INTO appels (id, departement, dispositif, ouverture, cloture, version, donnees) VALUES (1, '38', 'aip', '2024-01-01', '2024-12-31', 1, '{}')",
        "INSERT INTO appels (id, departement, dispositif, ouverture, cloture, version, donnees) VALUES (2, '38', 'reaap', '2024-01-01', '2024-12-31', 1, '{}')",
        "INSERT INTO dossiers (id, appel_id, gestionnaire_id, departement, etat, version, donnees) VALUES (1, 1, 1, '38', 'valide', 1, '{}')",
        "INSERT INTO dossiers (id, appel_id, gestionnaire_id, departement, etat, version, donnees) VALUES (2, 2, 1, '38', 'valide', 1, '{}')",
        "INSERT INTO conventions (id, dossier_id, numero, gestionnaire_id, departement, etat, date_debut, date_fin, signee_le, version, donnees) \
         VALUES (1, 1, 'C1', 1, '38', 'signee', '2024-01-01', '2025-12-31', '2024-02-01', 1, '{}')",
        "INSERT INTO conventions (id, dossier_id, numero, gestionnaire_id, departement, etat, date_debut, date_fin, signee_le, version, donnees) \
         VALUES (2, 2, 'C2', 1, '38', 'signee', '2024-01-01', '2025-12-31', '2024-02-01', 1, '{}')",
    ] {
        ecrire(base, sql, &[]).await;
    }
}

async fn les_sessions_s_ouvrent_se_lisent_et_se_ferment(base: &Base) {
    use store::comptes::{SessionLue, fermer_session, ouvrir_session, session, toucher_session};
    compte(base, 7, "agent@exemple.fr", true).await;
    let lire = |hache: &'static str| async move {
        let mut tx = base.lire().await.unwrap();
        let s = session(&mut tx, hache).await.unwrap();
        tx.annuler().await.unwrap();
        s
    };
    assert_eq!(lire("inconnu").await, None);
    ouvrir_session(base, "h1", 7, "jeton-csrf", 1_000)
        .await
        .unwrap();
    assert_eq!(
        lire("h1").await,
        Some(SessionLue {
            utilisateur_id: 7,
            csrf: "jeton-csrf".to_owned(),
            vu_le: 1_000
        })
    );
    toucher_session(base, "h1", 2_000).await.unwrap();
    assert_eq!(lire("h1").await.unwrap().vu_le, 2_000);
    fermer_session(base, "h1").await.unwrap();
    assert_eq!(lire("h1").await, None);
    // Ending a session already ended is no error.
    fermer_session(base, "h1").await.unwrap();
}
sur_les_deux_moteurs!(les_sessions_s_ouvrent_se_lisent_et_se_ferment);

async fn un_compte_se_trouve_par_son_email_et_garde_son_mot_de_passe(base: &Base) {
    use store::comptes::{compte_actif, email_pris, fixer_mot_de_passe};
    compte(base, 1, "actif@exemple.fr", true).await;
    compte(base, 2, "inactif@exemple.fr", false).await;
    assert_eq!(
        compte_actif(base, "actif@exemple.fr").await.unwrap(),
        Some((1, Some("hache".to_owned())))
    );
    // An account closed is not found to log in, but its e-mail stays taken.
    assert_eq!(
        compte_actif(base, "inactif@exemple.fr").await.unwrap(),
        None
    );
    assert_eq!(
        compte_actif(base, "personne@exemple.fr").await.unwrap(),
        None
    );
    let mut tx = base.debuter().await.unwrap();
    assert!(email_pris(&mut tx, "inactif@exemple.fr").await.unwrap());
    assert!(!email_pris(&mut tx, "personne@exemple.fr").await.unwrap());
    fixer_mot_de_passe(&mut tx, 1, Some("nouveau".to_owned()))
        .await
        .unwrap();
    tx.valider().await.unwrap();
    assert_eq!(
        compte_actif(base, "actif@exemple.fr").await.unwrap(),
        Some((1, Some("nouveau".to_owned())))
    );
    let mut tx = base.debuter().await.unwrap();
    fixer_mot_de_passe(&mut tx, 1, None).await.unwrap();
    tx.valider().await.unwrap();
    assert_eq!(
        compte_actif(base, "actif@exemple.fr").await.unwrap(),
        Some((1, None))
    );
}
sur_les_deux_moteurs!(un_compte_se_trouve_par_son_email_et_garde_son_mot_de_passe);

async fn une_allocation_s_enregistre_et_se_remplace(base: &Base) {
    use store::enveloppes::{allocation, allocations_des_autres, allouer};
    let mut tx = base.debuter().await.unwrap();
    assert_eq!(allocation(&mut tx, "aip:38").await.unwrap(), None);
    assert_eq!(allocations_des_autres(&mut tx, "aip:38").await.unwrap(), 0);
    allouer(&mut tx, "aip:38", 100_000).await.unwrap();
    allouer(&mut tx, "aip:76", 30_000).await.unwrap();
    allouer(&mut tx, "aip:38", 120_000).await.unwrap();
    tx.valider().await.unwrap();
    let mut tx = base.lire().await.unwrap();
    assert_eq!(allocation(&mut tx, "aip:38").await.unwrap(), Some(120_000));
    assert_eq!(
        allocations_des_autres(&mut tx, "aip:38").await.unwrap(),
        30_000
    );
    assert_eq!(
        allocations_des_autres(&mut tx, "aip:13").await.unwrap(),
        150_000
    );
    let version = tx
        .ligne("SELECT version FROM enveloppes WHERE cle = 'aip:38'", &[])
        .await
        .unwrap()
        .unwrap()
        .entier("version")
        .unwrap();
    assert_eq!(version, 2);
    tx.annuler().await.unwrap();
}
sur_les_deux_moteurs!(une_allocation_s_enregistre_et_se_remplace);

async fn l_engage_et_le_paye_ne_comptent_que_l_aip(base: &Base) {
    use store::enveloppes::{engage_aip, paye_aip};
    dossiers(base).await;
    for (id, dossier, centimes) in [(1, 1, 50_000), (2, 2, 9_000)] {
        ecrire(
            base,
            "INSERT INTO decisions (id, dossier_id, departement, issue, engagement_centimes, version, donnees) \
             VALUES ($1, $2, '38', 'valide', $3, 1, '{}')",
            &[i64::from(id).into(), i64::from(dossier).into(), i64::from(centimes).into()],
        )
        .await;
    }
    for (id, convention, echeance, nature, centimes) in [
        (1, 1, "acompte", "acompte", 20_000),
        (2, 1, "solde", "indu", 3_000),
        (3, 2, "versement:1", "versement:1", 4_000),
    ] {
        ecrire(
            base,
            "INSERT INTO paiements (id, convention_id, gestionnaire_id, departement, exercice, echeance, nature, montant_centimes, date_paiement, reference, version, donnees) \
             VALUES ($1, $2, 1, '38', 2024, $3, $4, $5, '2024-03-01', $6, 1, '{}')",
            &[
                i64::from(id).into(),
                i64::from(convention).into(),
                echeance.into(),
                nature.into(),
                i64::from(centimes).into(),
                format!("P{id}").into(),
            ],
        )
        .await;
    }
    let mut tx = base.lire().await.unwrap();
    assert_eq!(engage_aip(&mut tx, "38").await.unwrap(), 50_000);
    assert_eq!(engage_aip(&mut tx, "76").await.unwrap(), 0);
    // The indu recovered is taken off; the REAAP instalment is financed apart.
    assert_eq!(paye_aip(&mut tx, "38").await.unwrap(), 17_000);
    assert_eq!(paye_aip(&mut tx, "76").await.unwrap(), 0);
    tx.annuler().await.unwrap();
}
sur_les_deux_moteurs!(l_engage_et_le_paye_ne_comptent_que_l_aip);

async fn un_fil_se_lit_et_compte_ce_qui_n_est_pas_lu(base: &Base) {
    use store::messages::{MessageStocke, dernier_lu, du_dossier, inserer, marquer_lu, non_lus};
    dossiers(base).await;
    let message = |id: i64, dossier: i64, auteur_id: i64, prive: bool| MessageStocke {
        id,
        dossier_id: dossier,
        auteur_id,
        role: if auteur_id == 1 {
            "caf"
        } else {
            "gestionnaire"
        }
        .to_owned(),
        auteur: format!("Auteur {auteur_id}"),
        prive,
        texte: format!("Message {id} – « guillemets » et l'apostrophe"),
        cree_le: format!("2024-03-0{id}T10:00:00Z"),
    };
    let ecrits = [
        message(1, 1, 2, false),
        message(2, 1, 1, true),
        message(3, 1, 1, false),
        message(4, 2, 1, false),
    ];
    let mut tx = base.debuter().await.unwrap();
    // Written out of order: the thread is read in order.
    for m in ecrits.iter().rev() {
        inserer(&mut tx, m).await.unwrap();
    }
    tx.valider().await.unwrap();
    let mut tx = base.debuter().await.unwrap();
    assert_eq!(du_dossier(&mut tx, 1).await.unwrap(), ecrits[..3].to_vec());
    assert_eq!(du_dossier(&mut tx, 3).await.unwrap(), Vec::new());
    // The structure's user (2) has read nothing: the Caf's messages, the private one apart.
    assert_eq!(dernier_lu(&mut tx, 2, 1).await.unwrap(), 0);
    assert_eq!(
        non_lus(&mut tx, 2, false).await.unwrap(),
        vec![(1, 1), (2, 1)]
    );
    // The Caf's agent (1) reads the annotations: its own messages are never unread.
    assert_eq!(non_lus(&mut tx, 1, true).await.unwrap(), vec![(1, 1)]);
    assert_eq!(
        non_lus(&mut tx, 2, true).await.unwrap(),
        vec![(1, 2), (2, 1)]
    );
    marquer_lu(&mut tx, 2, 1, 3).await.unwrap();
    // A reading never goes back.
    marquer_lu(&mut tx, 2, 1, 1).await.unwrap();
    assert_eq!(dernier_lu(&mut tx, 2, 1).await.unwrap(), 3);
    assert_eq!(non_lus(&mut tx, 2, false).await.unwrap(), vec![(2, 1)]);
    tx.valider().await.unwrap();
}
sur_les_deux_moteurs!(un_fil_se_lit_et_compte_ce_qui_n_est_pas_lu);

async fn les_paiements_dus_suivent_les_declarations_validees(base: &Base) {
    use store::a_payer::{DeclarationAPayer, declarations_a_payer};
    dossiers(base).await;
    for (id, convention, exercice, nature, etat) in [
        (1, 1, 2024, "previsionnelle", "validee"),
        (2, 1, 2024, "reelle", "validee"),
        (3, 1, 2025, "previsionnelle", "validee"),
        (4, 1, 2025, "reelle", "validee"),
        (5, 2, 2024, "previsionnelle", "transmise"),
        (6, 1, 2024, "actualisee", "validee"),
    ] {
        ecrire(
            base,
            "INSERT INTO declarations (id, convention_id, gestionnaire_id, departement, exercice, nature, etat, version, donnees) \
             VALUES ($1, $2, 1, '38', $3, $4, $5, 1, '{}')",
            &[
                i64::from(id).into(),
                i64::from(convention).into(),
                i64::from(exercice).into(),
                nature.into(),
                etat.into(),
            ],
        )
        .await;
    }
    // The bilan of 2025 is validated, that of 2024 only sent; the acompte of 2024 is paid.
    for (id, exercice, etat) in [(1, 2024, "transmise"), (2, 2025, "validee")] {
        ecrire(
            base,
            "INSERT INTO bilans (id, convention_id, gestionnaire_id, departement, exercice, etat, version, donnees) \
             VALUES ($1, 1, 1, '38', $2, $3, 1, '{}')",
            &[i64::from(id).into(), i64::from(exercice).into(), etat.into()],
        )
        .await;
    }
    ecrire(
        base,
        "INSERT INTO paiements (id, convention_id, gestionnaire_id, departement, exercice, echeance, nature, montant_centimes, date_paiement, reference, version, donnees) \
         VALUES (1, 1, 1, '38', 2024, 'acompte', 'acompte', 100, '2024-03-01', 'P1', 1, '{}')",
        &[],
    )
    .await;
    let du = |exercice: i64, nature: &str| DeclarationAPayer {
        convention: 1,
        exercice,
        nature: nature.to_owned(),
    };
    let mut tx = base.lire().await.unwrap();
    assert_eq!(
        declarations_a_payer(&mut tx, "1 = 1", &[]).await.unwrap(),
        vec![du(2025, "previsionnelle"), du(2025, "reelle")]
    );
    // The access condition and its parameters, numbered from $1.
    assert_eq!(
        declarations_a_payer(
            &mut tx,
            "d.departement IN ($1, $2)",
            &["76".into(), "38".into()]
        )
        .await
        .unwrap()
        .len(),
        2
    );
    assert_eq!(
        declarations_a_payer(&mut tx, "d.departement IN ($1)", &["76".into()])
            .await
            .unwrap(),
        Vec::new()
    );
    tx.annuler().await.unwrap();
}
sur_les_deux_moteurs!(les_paiements_dus_suivent_les_declarations_validees);
