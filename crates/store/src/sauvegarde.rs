//! The SQL of backups and restorations. SQLite: `VACUUM INTO` writes one consistent file from a
//! read snapshot while others keep writing; the audit head of that snapshot is read back from the
//! file; a base file is "in use" when an exclusive lock cannot be had on it. PostgreSQL: a
//! snapshot exported from a repeatable-read transaction, so that `pg_dump --snapshot` saves the
//! very state whose audit head was read.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteLockingMode};
use sqlx::{ConnectOptions, Connection, Row};

use crate::connexion::{Base, Moteur, Tx};
use crate::erreur::ErreurStore;

/// The first 16 bytes of every SQLite database file.
pub const EN_TETE_SQLITE: &[u8; 16] = b"SQLite format 3\0";

/// The audit chain's head in a backup: the last event's number and hash (`None`: no event).
pub type TeteAudit = Option<(i64, String)>;

fn options_fichier(chemin: &Path) -> Result<SqliteConnectOptions, ErreurStore> {
    let texte = chemin
        .to_str()
        .ok_or_else(|| ErreurStore::Donnee(format!("chemin illisible: {}", chemin.display())))?;
    Ok(SqliteConnectOptions::from_str(&format!("sqlite://{texte}"))?.create_if_missing(false))
}

/// Writes a copy of the SQLite base into the new file `destination` (which must not exist), from
/// one read snapshot: writers go on meanwhile, and the copy holds every transaction committed
/// before the snapshot and none after. Returns the copy's audit head.
pub async fn sauvegarder_sqlite(base: &Base, destination: &Path) -> Result<TeteAudit, ErreurStore> {
    let Some(pool) = base.pool_sqlite() else {
        return Err(ErreurStore::Donnee(
            "la sauvegarde par fichier est celle d'une base SQLite".to_owned(),
        ));
    };
    let texte = destination.to_str().ok_or_else(|| {
        ErreurStore::Donnee(format!("chemin illisible: {}", destination.display()))
    })?;
    sqlx::query("VACUUM INTO $1")
        .bind(texte)
        .execute(pool)
        .await?;
    tete_du_fichier(destination).await
}

/// The audit head of the SQLite file at `chemin`, opened read-only.
pub async fn tete_du_fichier(chemin: &Path) -> Result<TeteAudit, ErreurStore> {
    let mut connexion = options_fichier(chemin)?.read_only(true).connect().await?;
    let ligne = sqlx::query("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut connexion)
        .await;
    connexion.close().await?;
    Ok(match ligne? {
        Some(l) => Some((l.try_get("id")?, l.try_get("hash")?)),
        None => None,
    })
}

/// Whether another connection has the SQLite base at `chemin` open (a running server): an
/// exclusive lock cannot be had on it within two seconds (a lock held only for a moment, such as
/// a process that is closing the base, is waited for). `false` when the file does not exist.
pub async fn fichier_en_service(chemin: &Path) -> Result<bool, ErreurStore> {
    if !chemin.exists() {
        return Ok(false);
    }
    let mut connexion = options_fichier(chemin)?
        .locking_mode(SqliteLockingMode::Exclusive)
        .busy_timeout(Duration::from_secs(2))
        .connect()
        .await?;
    let essai = sqlx::query("BEGIN EXCLUSIVE").execute(&mut connexion).await;
    let en_service = match essai {
        Ok(_) => {
            sqlx::query("COMMIT").execute(&mut connexion).await?;
            false
        }
        Err(sqlx::Error::Database(e))
            if e.message().contains("locked") || e.message().contains("busy") =>
        {
            true
        }
        Err(e) => return Err(e.into()),
    };
    connexion.close().await?;
    Ok(en_service)
}

/// A PostgreSQL snapshot held open for `pg_dump --snapshot`: the transaction must live until the
/// dump has started reading.
#[derive(Debug)]
pub struct Instantane {
    /// Keeps the snapshot alive; dropped (rolled back) once the dump is done.
    pub transaction: Tx,
    /// The name to pass to `pg_dump --snapshot`.
    pub nom: String,
    /// The audit head in that snapshot.
    pub tete: TeteAudit,
}

/// Exports a snapshot of the PostgreSQL base and reads its audit head in it.
pub async fn instantane_postgres(base: &Base) -> Result<Instantane, ErreurStore> {
    if base.moteur() != Moteur::Postgres {
        return Err(ErreurStore::Donnee(
            "un instantané exporté est propre à PostgreSQL".to_owned(),
        ));
    }
    let mut transaction = base.lecture().await?;
    let nom = transaction
        .ligne("SELECT pg_export_snapshot() AS nom", &[])
        .await?
        .map(|l| l.texte("nom"))
        .transpose()?
        .unwrap_or_default();
    let tete = tete_de(&mut transaction).await?;
    Ok(Instantane {
        transaction,
        nom,
        tete,
    })
}

/// The audit head seen by `tx`.
pub async fn tete_de(tx: &mut Tx) -> Result<TeteAudit, ErreurStore> {
    tx.ligne("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &[])
        .await?
        .map(|l| Ok((l.entier("id")?, l.texte("hash")?)))
        .transpose()
}

/// Whether the PostgreSQL base holds the platform's data already (an audit table with events).
pub async fn base_postgres_occupee(base: &Base) -> Result<bool, ErreurStore> {
    let mut tx = base.lire().await?;
    let table = tx
        .ligne("SELECT to_regclass('audit') IS NOT NULL AS existe", &[])
        .await?
        .map(|l| l.booleen("existe"))
        .transpose()?
        .unwrap_or(false);
    let occupee = if table {
        tx.ligne("SELECT EXISTS (SELECT 1 FROM audit) AS occupee", &[])
            .await?
            .map(|l| l.booleen("occupee"))
            .transpose()?
            .unwrap_or(false)
    } else {
        false
    };
    tx.annuler().await?;
    Ok(occupee)
}

/// The number of rows of each of the platform's tables, by name (what `check` reports too), to
/// compare a base with its restored copy.
pub async fn comptes_par_table(base: &Base) -> Result<Vec<(String, i64)>, ErreurStore> {
    let mut tx = base.lecture().await?;
    let sql = match tx.moteur() {
        Moteur::Sqlite => {
            "SELECT name AS nom FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name"
        }
        Moteur::Postgres => {
            "SELECT tablename AS nom FROM pg_tables WHERE schemaname = current_schema() \
             AND tablename NOT LIKE '_sqlx%' ORDER BY tablename"
        }
    };
    let noms: Vec<String> = tx
        .lignes(sql, &[])
        .await?
        .iter()
        .map(|l| l.texte("nom"))
        .collect::<Result<_, _>>()?;
    let mut comptes = Vec::with_capacity(noms.len());
    for nom in noms {
        // The name comes from the catalogue, quoted as an identifier.
        let n = tx
            .ligne(
                &format!("SELECT COUNT(*) AS n FROM \"{}\"", nom.replace('"', "\"\"")),
                &[],
            )
            .await?
            .map(|l| l.entier("n"))
            .transpose()?
            .unwrap_or(0);
        comptes.push((nom, n));
    }
    tx.annuler().await?;
    Ok(comptes)
}

/// The other sessions connected to the PostgreSQL base (a running server), this one excepted.
pub async fn autres_sessions_postgres(base: &Base) -> Result<i64, ErreurStore> {
    let mut tx = base.lire().await?;
    let n = tx
        .ligne(
            "SELECT COUNT(*) AS n FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .await?
        .map(|l| l.entier("n"))
        .transpose()?
        .unwrap_or(0);
    tx.annuler().await?;
    Ok(n)
}
