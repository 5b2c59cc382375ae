//! The imports of a structure's sessions from a file: each recorded once with its SHA-256, so
//! that the same file imported twice is recognised; and SQLite's page cache, raised for the
//! transaction of a large file.

use time::OffsetDateTime;

use crate::connexion::{Moteur, Tx, Valeur};
use crate::erreur::ErreurStore;

/// An import already recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportEnregistre {
    pub id: i64,
    /// Sessions in its file.
    pub lignes: i64,
}

/// A new import, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NouvelImport<'a> {
    pub gestionnaire: i64,
    pub departement: &'a str,
    /// SHA-256 of the file, in hex.
    pub empreinte: &'a str,
    pub lignes: i64,
    pub importees: i64,
    pub deja_presentes: i64,
    /// The user who imported it.
    pub importe_par: i64,
    pub importe_le: OffsetDateTime,
}

/// The import of a structure with this file's SHA-256, if any.
pub async fn par_empreinte(
    tx: &mut Tx,
    gestionnaire: i64,
    empreinte: &str,
) -> Result<Option<ImportEnregistre>, ErreurStore> {
    tx.ligne(
        "SELECT id, lignes FROM activite_imports WHERE gestionnaire_id = $1 AND empreinte = $2",
        &[gestionnaire.into(), empreinte.into()],
    )
    .await?
    .map(|l| {
        Ok(ImportEnregistre {
            id: l.entier("id")?,
            lignes: l.entier("lignes")?,
        })
    })
    .transpose()
}

/// Records an import; returns its number.
pub async fn inserer(tx: &mut Tx, import: &NouvelImport<'_>) -> Result<i64, ErreurStore> {
    tx.ligne(
        "INSERT INTO activite_imports (gestionnaire_id, departement, empreinte, lignes, \
         importees, deja_presentes, importe_par, importe_le) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        &[
            import.gestionnaire.into(),
            import.departement.into(),
            import.empreinte.into(),
            import.lignes.into(),
            import.importees.into(),
            import.deja_presentes.into(),
            import.importe_par.into(),
            Valeur::from(import.importe_le),
        ],
    )
    .await?
    .ok_or_else(|| ErreurStore::Donnee("import non enregistré".into()))?
    .entier("id")
}

/// The page cache SQLite keeps by default (2 MiB) is far smaller than what a large import
/// writes: pages are spilled to the log in the middle of the transaction and read back. For a
/// large file, the connection's cache is raised, in KiB: three times the file, at most 512 MiB
/// (pages are only taken as they are used). Returns the setting to restore.
pub async fn agrandir_cache(tx: &mut Tx, octets: usize) -> Result<Option<i64>, ErreurStore> {
    const MAX_KIO: i64 = 512 * 1024;
    if tx.moteur() != Moteur::Sqlite {
        return Ok(None);
    }
    let voulu = i64::try_from(octets / 1024 * 3)
        .unwrap_or(MAX_KIO)
        .min(MAX_KIO);
    let ancien = tx
        .ligne("PRAGMA cache_size", &[])
        .await?
        .map(|l| l.entier("cache_size"))
        .transpose()?
        .unwrap_or(-2000);
    // Negative: KiB; positive: pages (of 4 KiB by default).
    let ancien_kio = if ancien < 0 { -ancien } else { ancien * 4 };
    if voulu <= ancien_kio {
        return Ok(None);
    }
    tx.executer(&format!("PRAGMA cache_size = -{voulu}"), &[])
        .await?;
    Ok(Some(ancien))
}

/// Puts back the cache setting [`agrandir_cache`] changed.
pub async fn retablir_cache(tx: &mut Tx, ancien: Option<i64>) -> Result<(), ErreurStore> {
    if let Some(a) = ancien {
        tx.executer(&format!("PRAGMA cache_size = {a}"), &[])
            .await?;
    }
    Ok(())
}
