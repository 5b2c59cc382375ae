//! One handle over the two backends: SQLite (a file, the embedded default) and PostgreSQL (when
//! the URL starts with `postgres://`). Queries are written once, with `$1`-style parameters that
//! both accept, and run inside a transaction whatever the backend: a writing one ([`Base::debuter`],
//! SQLite's write lock taken at once) or a reading one ([`Base::lire`], no write lock).
//!
//! Cancellation (a client that goes away, a timeout) must never leave a pooled connection inside
//! a transaction. Three things see to it: a transaction's `BEGIN` runs in a task of its own, so
//! that it is never cut between the database starting the transaction and the library counting
//! it; a transaction dropped before its end rolls back; and the pool checks each connection when
//! it comes back and before it is handed out, closing one still inside a transaction.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::pool::PoolConnectionMetadata;
use sqlx::postgres::{PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Connection, PgPool, Postgres, Row, Sqlite, SqlitePool, Transaction};
use time::{Date, OffsetDateTime};

use crate::audit::NouvelEvenement;
use crate::erreur::ErreurStore;

/// The backend a [`Base`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moteur {
    Sqlite,
    Postgres,
}

/// The connections of a SQLite pool: readers run side by side in WAL mode, one writer at a time.
pub const CONNEXIONS_SQLITE: u32 = 8;
/// The connections of a PostgreSQL pool.
pub const CONNEXIONS_POSTGRES: u32 = 10;

/// What a transaction may do, which decides how it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Reads then writes: SQLite's write lock is taken at the start.
    Ecriture,
    /// Only reads: no write lock on SQLite, `READ ONLY` on PostgreSQL.
    Lecture,
}

/// Whether a connection may go (back) into the pool: not while inside a transaction. Pending
/// work (a rollback queued by a dropped transaction) is flushed first when `vider` is set.
async fn connexion_saine<C: Connection>(
    connexion: &mut C,
    vider: bool,
) -> Result<bool, sqlx::Error> {
    if vider {
        connexion.ping().await?;
    }
    let saine = !connexion.is_in_transaction();
    if !saine {
        tracing::warn!(
            "connexion à la base fermée: encore dans une transaction (requête interrompue)"
        );
    }
    Ok(saine)
}

/// A pool of connections to one database, with where the audit chain's head is kept outside it.
#[derive(Debug, Clone)]
pub struct Base {
    pool: Pool,
    commun: Arc<Commun>,
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// What every transaction of a [`Base`] shares.
#[derive(Debug, Default)]
pub(crate) struct Commun {
    /// The head file: one line appended per committed transaction that wrote audit events.
    pub(crate) tete_audit: Option<PathBuf>,
    /// The columns of each audited table, read once from the schema.
    pub(crate) colonnes: Mutex<HashMap<String, Vec<String>>>,
}

/// The SQL type of a null, which PostgreSQL needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    Entier,
    Texte,
    Booleen,
    Date,
    Horodatage,
}

/// A value bound to a query parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Valeur {
    Nul(Genre),
    Entier(i64),
    Texte(String),
    Booleen(bool),
    Date(Date),
    Horodatage(OffsetDateTime),
    /// Bytes (BLOB on SQLite, BYTEA on PostgreSQL): the content of a joined file.
    Octets(Vec<u8>),
}

impl From<i64> for Valeur {
    fn from(v: i64) -> Self {
        Valeur::Entier(v)
    }
}
impl From<i32> for Valeur {
    fn from(v: i32) -> Self {
        Valeur::Entier(i64::from(v))
    }
}
impl From<&str> for Valeur {
    fn from(v: &str) -> Self {
        Valeur::Texte(v.to_owned())
    }
}
impl From<String> for Valeur {
    fn from(v: String) -> Self {
        Valeur::Texte(v)
    }
}
impl From<bool> for Valeur {
    fn from(v: bool) -> Self {
        Valeur::Booleen(v)
    }
}
impl From<Date> for Valeur {
    fn from(v: Date) -> Self {
        Valeur::Date(v)
    }
}
impl From<OffsetDateTime> for Valeur {
    fn from(v: OffsetDateTime) -> Self {
        Valeur::Horodatage(v)
    }
}
/// The SQL type of a Rust value, for its nulls.
pub trait AvecGenre {
    const GENRE: Genre;
}
impl AvecGenre for i64 {
    const GENRE: Genre = Genre::Entier;
}
impl AvecGenre for i32 {
    const GENRE: Genre = Genre::Entier;
}
impl AvecGenre for String {
    const GENRE: Genre = Genre::Texte;
}
impl AvecGenre for &str {
    const GENRE: Genre = Genre::Texte;
}
impl AvecGenre for bool {
    const GENRE: Genre = Genre::Booleen;
}
impl AvecGenre for Date {
    const GENRE: Genre = Genre::Date;
}
impl AvecGenre for OffsetDateTime {
    const GENRE: Genre = Genre::Horodatage;
}
impl<T: Into<Valeur> + AvecGenre> From<Option<T>> for Valeur {
    fn from(v: Option<T>) -> Self {
        v.map_or(Valeur::Nul(T::GENRE), Into::into)
    }
}

impl Base {
    /// Opens `url`: `postgres://…` (or `postgresql://…`) for PostgreSQL, otherwise a SQLite file
    /// path or `sqlite:` URL, created if missing, in WAL mode. Migrations are applied.
    pub async fn ouvrir(url: &str) -> Result<Base, ErreurStore> {
        let base = Base::ouvrir_sans_migrer(url).await?;
        base.migrer().await?;
        Ok(base)
    }

    /// Opens `url` without applying migrations (for administration, such as creating a database).
    /// The audit head file of a SQLite database is beside it (`<file>.tete-audit`); a PostgreSQL
    /// database has none unless [`Base::avec_tete_audit`] names one.
    pub async fn ouvrir_sans_migrer(url: &str) -> Result<Base, ErreurStore> {
        let mut tete_audit = None;
        let pool = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(CONNEXIONS_POSTGRES)
                .acquire_timeout(Duration::from_secs(10))
                .before_acquire(|c, _: PoolConnectionMetadata| Box::pin(connexion_saine(c, false)))
                .after_release(|c, _: PoolConnectionMetadata| Box::pin(connexion_saine(c, true)))
                .connect(url)
                .await?;
            Pool::Postgres(pool)
        } else {
            let chemin = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            let fichier = chemin.split('?').next().unwrap_or(chemin);
            if !fichier.is_empty()
                && !fichier.contains(":memory:")
                && !chemin.contains("mode=memory")
            {
                tete_audit = Some(PathBuf::from(format!("{fichier}.tete-audit")));
            }
            let options = SqliteConnectOptions::from_str(&format!("sqlite://{chemin}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(CONNEXIONS_SQLITE)
                .acquire_timeout(Duration::from_secs(10))
                .before_acquire(|c, _: PoolConnectionMetadata| Box::pin(connexion_saine(c, false)))
                .after_release(|c, _: PoolConnectionMetadata| Box::pin(connexion_saine(c, true)))
                .connect_with(options)
                .await?;
            Pool::Sqlite(pool)
        };
        Ok(Base {
            pool,
            commun: Arc::new(Commun {
                tete_audit,
                ..Commun::default()
            }),
        })
    }

    /// The same database with its audit head file at `chemin` (`None`: no head file).
    pub fn avec_tete_audit(self, chemin: Option<PathBuf>) -> Base {
        Base {
            pool: self.pool,
            commun: Arc::new(Commun {
                tete_audit: chemin,
                ..Commun::default()
            }),
        }
    }

    /// Where the audit chain's head is kept outside the database, if anywhere.
    pub fn tete_audit(&self) -> Option<&Path> {
        self.commun.tete_audit.as_deref()
    }

    /// Runs one statement outside any transaction (`CREATE DATABASE` cannot run inside one).
    pub async fn executer_direct(&self, sql: &str) -> Result<u64, ErreurStore> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => sqlx::query(sql).execute(p).await?.rows_affected(),
            Pool::Postgres(p) => sqlx::query(sql).execute(p).await?.rows_affected(),
        })
    }

    pub fn moteur(&self) -> Moteur {
        match self.pool {
            Pool::Sqlite(_) => Moteur::Sqlite,
            Pool::Postgres(_) => Moteur::Postgres,
        }
    }

    /// Applies the migrations of the backend not yet applied.
    pub async fn migrer(&self) -> Result<(), ErreurStore> {
        match &self.pool {
            Pool::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Pool::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// Starts a transaction that may write.
    pub async fn debuter(&self) -> Result<Tx, ErreurStore> {
        self.commencer(Mode::Ecriture).await
    }

    /// Starts a transaction that only reads: on SQLite a deferred `BEGIN`, which takes no write
    /// lock (in WAL mode readers see the last commit and never wait for the writer); on
    /// PostgreSQL `BEGIN READ ONLY`, where any write fails.
    pub async fn lire(&self) -> Result<Tx, ErreurStore> {
        self.commencer(Mode::Lecture).await
    }

    /// Starts a read-only transaction that sees one consistent state across its queries and
    /// blocks no writer: a deferred `BEGIN` on SQLite (a WAL reader keeps its snapshot),
    /// repeatable read on PostgreSQL.
    pub async fn lecture(&self) -> Result<Tx, ErreurStore> {
        let mut tx = self.commencer(Mode::Lecture).await?;
        if tx.moteur() == Moteur::Postgres {
            tx.executer(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY",
                &[],
            )
            .await?;
        }
        Ok(tx)
    }

    async fn commencer(&self, mode: Mode) -> Result<Tx, ErreurStore> {
        // The library counts a transaction only once its BEGIN has answered: cancelled in
        // between, it would hand back a connection inside a transaction nobody owns. The BEGIN
        // runs to its end in a task of its own whatever becomes of the caller; a transaction
        // the caller no longer waits for is dropped there, and rolls back.
        let pool = self.pool.clone();
        let tache = tokio::spawn(async move {
            Ok::<_, sqlx::Error>(match (pool, mode) {
                // IMMEDIATE takes the write lock at the start: a transaction that reads then
                // writes waits for its turn (busy timeout) instead of failing when another writer
                // committed.
                (Pool::Sqlite(p), Mode::Ecriture) => {
                    Lien::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?)
                }
                (Pool::Sqlite(p), Mode::Lecture) => Lien::Sqlite(p.begin_with("BEGIN").await?),
                (Pool::Postgres(p), Mode::Ecriture) => Lien::Postgres(p.begin().await?),
                (Pool::Postgres(p), Mode::Lecture) => {
                    Lien::Postgres(p.begin_with("BEGIN READ ONLY").await?)
                }
            })
        });
        match tache.await {
            Ok(lien) => Ok(self.tx(lien?)),
            Err(e) => Err(ErreurStore::Base(sqlx::Error::Io(std::io::Error::other(
                format!("début de transaction interrompu: {e}"),
            )))),
        }
    }

    fn tx(&self, lien: Lien) -> Tx {
        Tx {
            lien,
            commun: self.commun.clone(),
            evenements: Vec::new(),
            styles_fixes: false,
        }
    }

    /// Whether the database answers.
    pub async fn repond(&self) -> bool {
        match self.lire().await {
            Ok(mut tx) => {
                tx.lignes("SELECT 1 AS un", &[]).await.is_ok() && tx.annuler().await.is_ok()
            }
            Err(_) => false,
        }
    }

    /// The SQLite pool itself, to test how it treats its connections (nothing else should
    /// bypass [`Tx`]).
    pub fn pool_sqlite(&self) -> Option<&SqlitePool> {
        match &self.pool {
            Pool::Sqlite(p) => Some(p),
            Pool::Postgres(_) => None,
        }
    }

    /// The PostgreSQL pool itself, to test how it treats its connections.
    pub fn pool_postgres(&self) -> Option<&PgPool> {
        match &self.pool {
            Pool::Postgres(p) => Some(p),
            Pool::Sqlite(_) => None,
        }
    }

    /// The connections of the pool: open, and idle among them.
    pub fn connexions(&self) -> (u32, usize) {
        match &self.pool {
            Pool::Sqlite(p) => (p.size(), p.num_idle()),
            Pool::Postgres(p) => (p.size(), p.num_idle()),
        }
    }

    /// The most connections the pool opens.
    pub fn connexions_maximum(&self) -> u32 {
        match &self.pool {
            Pool::Sqlite(p) => p.options().get_max_connections(),
            Pool::Postgres(p) => p.options().get_max_connections(),
        }
    }

    /// Closes the pool; on SQLite, first folds the write-ahead log into the database file, so
    /// that the file alone holds everything (a copy of it is a complete backup).
    pub async fn fermer(&self) {
        match &self.pool {
            Pool::Sqlite(p) => {
                let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(p)
                    .await;
                p.close().await
            }
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// A transaction on either backend. Dropped without [`Tx::valider`] (an error returned early, a
/// cancelled request), it rolls back: the rollback is queued at once and done before the
/// connection serves again. The audit events it adds are written when it commits, each with the
/// hash of its record as it then is.
#[derive(Debug)]
pub struct Tx {
    lien: Lien,
    pub(crate) commun: Arc<Commun>,
    /// Audit events to write at commit, in order.
    pub(crate) evenements: Vec<NouvelEvenement>,
    /// Whether the PostgreSQL text styles of dates and times are pinned for this transaction.
    pub(crate) styles_fixes: bool,
}

#[derive(Debug)]
enum Lien {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

macro_rules! lier {
    ($requete:expr, $params:expr) => {{
        let mut q = $requete;
        for p in $params {
            q = match p {
                Valeur::Nul(Genre::Entier) => q.bind(Option::<i64>::None),
                Valeur::Nul(Genre::Texte) => q.bind(Option::<String>::None),
                Valeur::Nul(Genre::Booleen) => q.bind(Option::<bool>::None),
                Valeur::Nul(Genre::Date) => q.bind(Option::<Date>::None),
                Valeur::Nul(Genre::Horodatage) => q.bind(Option::<OffsetDateTime>::None),
                Valeur::Entier(v) => q.bind(*v),
                Valeur::Texte(v) => q.bind(v.clone()),
                Valeur::Booleen(v) => q.bind(*v),
                Valeur::Date(v) => q.bind(*v),
                Valeur::Horodatage(v) => q.bind(*v),
                Valeur::Octets(v) => q.bind(v.clone()),
            };
        }
        q
    }};
}

impl Tx {
    pub fn moteur(&self) -> Moteur {
        match self.lien {
            Lien::Sqlite(_) => Moteur::Sqlite,
            Lien::Postgres(_) => Moteur::Postgres,
        }
    }

    /// Runs a statement; returns the number of rows it changed.
    pub async fn executer(&mut self, sql: &str, params: &[Valeur]) -> Result<u64, ErreurStore> {
        Ok(match &mut self.lien {
            Lien::Sqlite(tx) => lier!(sqlx::query(sql), params)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            Lien::Postgres(tx) => lier!(sqlx::query(sql), params)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        })
    }

    /// Runs a query and returns its rows.
    pub async fn lignes(
        &mut self,
        sql: &str,
        params: &[Valeur],
    ) -> Result<Vec<Ligne>, ErreurStore> {
        Ok(match &mut self.lien {
            Lien::Sqlite(tx) => lier!(sqlx::query(sql), params)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(Ligne::Sqlite)
                .collect(),
            Lien::Postgres(tx) => lier!(sqlx::query(sql), params)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(Ligne::Postgres)
                .collect(),
        })
    }

    /// The first row of a query, if any.
    pub async fn ligne(
        &mut self,
        sql: &str,
        params: &[Valeur],
    ) -> Result<Option<Ligne>, ErreurStore> {
        Ok(match &mut self.lien {
            Lien::Sqlite(tx) => lier!(sqlx::query(sql), params)
                .fetch_optional(&mut **tx)
                .await?
                .map(Ligne::Sqlite),
            Lien::Postgres(tx) => lier!(sqlx::query(sql), params)
                .fetch_optional(&mut **tx)
                .await?
                .map(Ligne::Postgres),
        })
    }

    /// Writes the pending audit events, commits, then appends the new head of the audit chain
    /// to the head file. The commit stands even if the head file cannot be written: the failure
    /// is reported on the error output, and `check` then finds the file behind the database,
    /// which it accepts.
    pub async fn valider(mut self) -> Result<(), ErreurStore> {
        let tete = crate::audit::inscrire_en_attente(&mut self).await?;
        match self.lien {
            Lien::Sqlite(tx) => tx.commit().await?,
            Lien::Postgres(tx) => tx.commit().await?,
        }
        if let (Some((numero, hash)), Some(chemin)) = (tete, &self.commun.tete_audit)
            && let Err(e) = crate::tete::ajouter(chemin, numero, &hash)
        {
            eprintln!(
                "attention: tête du journal d'audit (n°{numero}) non écrite dans {}: {e}",
                chemin.display()
            );
        }
        Ok(())
    }

    /// Rolls back now (what a drop does later).
    pub async fn annuler(self) -> Result<(), ErreurStore> {
        match self.lien {
            Lien::Sqlite(tx) => tx.rollback().await?,
            Lien::Postgres(tx) => tx.rollback().await?,
        }
        Ok(())
    }

    /// Serialises writers on PostgreSQL for the rest of the transaction (SQLite has one writer
    /// at a time already): used where a read decides a write, as for payments and the audit chain.
    pub async fn verrou_ecriture(&mut self, cle: i64) -> Result<(), ErreurStore> {
        if let Lien::Postgres(_) = self.lien {
            self.executer("SELECT pg_advisory_xact_lock($1)", &[Valeur::Entier(cle)])
                .await?;
        } else {
            // Take SQLite's write lock now rather than at the first write.
            self.executer(
                "UPDATE compteurs SET valeur = valeur WHERE entite = 'verrou'",
                &[],
            )
            .await?;
        }
        Ok(())
    }
}

/// A row of either backend, read by column name.
pub enum Ligne {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl std::fmt::Debug for Ligne {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Ligne::Sqlite(_) => "Ligne(sqlite)",
            Ligne::Postgres(_) => "Ligne(postgres)",
        })
    }
}

macro_rules! lire {
    ($ligne:expr, $col:expr, $t:ty) => {
        match $ligne {
            Ligne::Sqlite(r) => r.try_get::<$t, _>($col).map_err(ErreurStore::from),
            Ligne::Postgres(r) => r.try_get::<$t, _>($col).map_err(ErreurStore::from),
        }
    };
}

impl Ligne {
    pub fn entier(&self, col: &str) -> Result<i64, ErreurStore> {
        lire!(self, col, i64)
    }
    pub fn entier_opt(&self, col: &str) -> Result<Option<i64>, ErreurStore> {
        lire!(self, col, Option<i64>)
    }
    pub fn texte(&self, col: &str) -> Result<String, ErreurStore> {
        lire!(self, col, String)
    }
    pub fn texte_opt(&self, col: &str) -> Result<Option<String>, ErreurStore> {
        lire!(self, col, Option<String>)
    }
    pub fn booleen(&self, col: &str) -> Result<bool, ErreurStore> {
        lire!(self, col, bool)
    }
    pub fn date(&self, col: &str) -> Result<Date, ErreurStore> {
        lire!(self, col, Date)
    }
    pub fn date_opt(&self, col: &str) -> Result<Option<Date>, ErreurStore> {
        lire!(self, col, Option<Date>)
    }
    pub fn horodatage(&self, col: &str) -> Result<OffsetDateTime, ErreurStore> {
        lire!(self, col, OffsetDateTime)
    }
    pub fn octets(&self, col: &str) -> Result<Vec<u8>, ErreurStore> {
        lire!(self, col, Vec<u8>)
    }
}
