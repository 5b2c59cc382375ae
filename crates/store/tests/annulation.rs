//! Cancellation of database work at any await point (a client that goes away, a timeout) leaves
//! no connection of the pool inside a transaction or holding a lock: transactions, writing and
//! reading, are dropped mid-way by tiny timeouts and by `select!` after one poll, many times and
//! concurrently, then every connection of the pool is used, reads and writes, and must work.
//! On SQLite always, on PostgreSQL when `PARENTALITE_TEST_POSTGRES` names a server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use store::{Base, ErreurStore, Moteur, Valeur};

/// A fresh SQLite database for one test.
async fn base_sqlite(nom: &str) -> Base {
    essais::base_sqlite("store", nom).await
}

/// A fresh PostgreSQL database for one test, or `None` when no server is configured.
async fn base_postgres(nom: &str) -> Option<Base> {
    essais::base_postgres("store", nom).await
}

/// A writing transaction with several await points: begin, write, read, commit.
async fn ecriture(base: Base) -> Result<(), ErreurStore> {
    let mut tx = base.debuter().await?;
    tx.executer(
        "UPDATE compteurs SET valeur = valeur + 1 WHERE entite = $1",
        &[Valeur::from("verrou")],
    )
    .await?;
    tx.lignes("SELECT entite, valeur FROM compteurs", &[])
        .await?;
    tx.valider().await
}

/// A reading transaction: begin, two reads, end.
async fn lecture(base: Base) -> Result<(), ErreurStore> {
    let mut tx = base.lire().await?;
    tx.lignes("SELECT entite, valeur FROM compteurs", &[])
        .await?;
    tx.ligne("SELECT valeur FROM compteurs WHERE entite = 'verrou'", &[])
        .await?;
    tx.annuler().await
}

/// Drops transactions at many points: each after a timeout from 0 to a few milliseconds, and each
/// after a single poll (`select!` against a ready branch), 16 at a time.
async fn interrompre(base: &Base) {
    for tour in 0..6u64 {
        for micro in [0u64, 1, 10, 50, 100, 200, 400, 700, 1_000, 2_000, 4_000] {
            let mut taches = Vec::new();
            for i in 0..16u64 {
                let b = base.clone();
                let delai = Duration::from_micros(micro + (i * 37 + tour * 11) % 300);
                taches.push(tokio::spawn(async move {
                    if i % 2 == 0 {
                        let _ = tokio::time::timeout(delai, ecriture(b)).await;
                    } else {
                        let _ = tokio::time::timeout(delai, lecture(b)).await;
                    }
                }));
            }
            for i in 0..8u64 {
                let b = base.clone();
                taches.push(tokio::spawn(async move {
                    let travail = async {
                        if i % 2 == 0 {
                            ecriture(b).await
                        } else {
                            lecture(b).await
                        }
                    };
                    // One poll of the work, then it is dropped wherever it stands.
                    tokio::select! {
                        biased;
                        _ = travail => {}
                        _ = std::future::ready(()) => {}
                    }
                }));
            }
            for t in taches {
                t.await.unwrap();
            }
        }
    }
}

/// Every connection of the pool at once for a read, then writes one after another, each within a
/// time far below the busy timeout (a connection left holding the write lock would make them
/// wait): all must succeed, and the database must answer.
async fn toutes_les_connexions_servent(base: &Base) {
    let (ouvertes, _) = base.connexions();
    let nombre = ouvertes.max(8);
    let mut lectures = Vec::new();
    for _ in 0..nombre {
        let mut tx = tokio::time::timeout(Duration::from_secs(5), base.lire())
            .await
            .expect("une connexion du pool n'est pas rendue")
            .expect("une connexion du pool ne peut plus commencer de transaction");
        tx.lignes("SELECT entite FROM compteurs", &[])
            .await
            .expect("une connexion du pool ne peut plus lire");
        if base.moteur() == Moteur::Postgres {
            // A connection handed out inside a transaction begun earlier by someone else: its
            // transaction started before this one's BEGIN (the check runs a while after the
            // interruptions).
            let ecart = tx
                .ligne(
                    "SELECT CAST(EXTRACT(EPOCH FROM statement_timestamp() - transaction_timestamp()) * 1000 AS BIGINT) AS ms",
                    &[],
                )
                .await
                .unwrap()
                .unwrap()
                .entier("ms")
                .unwrap();
            assert!(
                ecart < 500,
                "connexion remise dans une transaction commencée {ecart} ms plus tôt"
            );
        }
        lectures.push(tx);
    }
    for tx in lectures {
        tx.annuler().await.unwrap();
    }
    for _ in 0..(2 * nombre) {
        tokio::time::timeout(Duration::from_secs(3), ecriture(base.clone()))
            .await
            .expect("l'écriture attend un verrou laissé par une transaction interrompue")
            .expect("une connexion du pool ne peut plus écrire");
    }
    assert!(base.repond().await, "la base ne répond plus");
}

async fn epreuve(base: Base) {
    interrompre(&base).await;
    // Time enough for any transaction left open by an interruption to look old.
    tokio::time::sleep(Duration::from_millis(800)).await;
    toutes_les_connexions_servent(&base).await;
    // Some interrupted writes committed, others not: the counter is whatever they made it, but
    // readable and consistent.
    let mut tx = base.lire().await.unwrap();
    let l = tx
        .ligne("SELECT valeur FROM compteurs WHERE entite = 'verrou'", &[])
        .await
        .unwrap()
        .unwrap();
    assert!(l.entier("valeur").unwrap() >= 16);
    tx.annuler().await.unwrap();
    base.fermer().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_interrompues_sqlite() {
    epreuve(base_sqlite("interrompues").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_interrompues_postgres() {
    if let Some(base) = base_postgres("interrompues").await {
        epreuve(base).await;
    }
}

/// A reading transaction takes no write lock: a write commits while a read is open, and the read
/// still sees the state it started from (SQLite in WAL mode, PostgreSQL read only).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn la_lecture_ne_bloque_pas_l_ecriture_sqlite() {
    let base = base_sqlite("lecture").await;
    let mut lue = base.lire().await.unwrap();
    let avant = lue
        .ligne("SELECT valeur FROM compteurs WHERE entite = 'verrou'", &[])
        .await
        .unwrap()
        .unwrap()
        .entier("valeur")
        .unwrap();
    tokio::time::timeout(Duration::from_secs(2), ecriture(base.clone()))
        .await
        .expect("l'écriture attend la fin d'une lecture")
        .unwrap();
    let pendant = lue
        .ligne("SELECT valeur FROM compteurs WHERE entite = 'verrou'", &[])
        .await
        .unwrap()
        .unwrap()
        .entier("valeur")
        .unwrap();
    assert_eq!(pendant, avant, "la lecture voit un instantané stable");
    lue.annuler().await.unwrap();
    base.fermer().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn la_lecture_refuse_d_ecrire_postgres() {
    let Some(base) = base_postgres("lecture_seule").await else {
        return;
    };
    let mut lue = base.lire().await.unwrap();
    assert!(
        lue.executer("UPDATE compteurs SET valeur = 0", &[])
            .await
            .is_err(),
        "une transaction de lecture a écrit"
    );
    drop(lue);
    toutes_les_connexions_servent(&base).await;
    base.fermer().await;
}

/// A connection handed back to the pool inside a transaction that nothing will end (the state a
/// `BEGIN` cut short leaves) is closed by the pool, not handed out again.
async fn connexion_rendue_dans_une_transaction(base: Base) {
    for _ in 0..3 {
        match (base.pool_sqlite(), base.pool_postgres()) {
            (Some(p), _) => {
                let mut c = p.acquire().await.unwrap();
                let tx = sqlx::Connection::begin(&mut *c).await.unwrap();
                std::mem::forget(tx);
            }
            (_, Some(p)) => {
                let mut c = p.acquire().await.unwrap();
                let tx = sqlx::Connection::begin(&mut *c).await.unwrap();
                std::mem::forget(tx);
            }
            (None, None) => unreachable!("une base a un pool"),
        }
    }
    // The pool takes a returned connection back in a task of its own.
    tokio::time::sleep(Duration::from_millis(200)).await;
    toutes_les_connexions_servent(&base).await;
    base.fermer().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn le_pool_ferme_une_connexion_rendue_en_transaction_sqlite() {
    connexion_rendue_dans_une_transaction(base_sqlite("rendue").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn le_pool_ferme_une_connexion_rendue_en_transaction_postgres() {
    if let Some(base) = base_postgres("rendue").await {
        connexion_rendue_dans_une_transaction(base).await;
    }
}
