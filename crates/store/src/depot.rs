//! Records stored as their JSON form plus the real columns that queries, constraints and sums
//! need. Each table has a `version` kept by the store: an update names the version it read, and
//! is refused with [`ErreurStore::Conflit`] if someone saved in between (optimistic concurrency).

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::connexion::{Ligne, Tx, Valeur};
use crate::erreur::ErreurStore;

/// A record kind the store keeps in its own table.
pub trait Enregistrement: Serialize + DeserializeOwned {
    /// The table.
    const TABLE: &'static str;
    /// The record's name in messages (`le dossier`…).
    const NOM: &'static str;
    fn id(&self) -> i64;
    /// The real columns besides `id`, `version` and `donnees`.
    fn colonnes(&self) -> Vec<(&'static str, Valeur)>;
    /// When inserting this record breaks a unique key of its table: the field concerned and a
    /// French sentence naming what is already recorded. `None` for the generic sentence.
    fn doublon(&self) -> Option<(&'static str, String)> {
        None
    }
}

/// A record as read, with the version to name when saving it back.
#[derive(Debug, Clone)]
pub struct Lu<T> {
    pub valeur: T,
    pub version: i64,
}

/// The next number of a kind of record (a counter updated in the transaction).
pub async fn prochain_id(tx: &mut Tx, entite: &str) -> Result<i64, ErreurStore> {
    tx.executer(
        "INSERT INTO compteurs (entite, valeur) VALUES ($1, 0) ON CONFLICT (entite) DO NOTHING",
        &[entite.into()],
    )
    .await?;
    let ligne = tx
        .ligne(
            "UPDATE compteurs SET valeur = valeur + 1 WHERE entite = $1 RETURNING valeur",
            &[entite.into()],
        )
        .await?
        .ok_or_else(|| ErreurStore::Donnee(format!("compteur {entite} absent")))?;
    ligne.entier("valeur")
}

fn placeholders(n: usize) -> String {
    crate::sql::marques(1, n)
}

/// Inserts a new record (version 1).
pub async fn inserer<T: Enregistrement>(tx: &mut Tx, r: &T) -> Result<(), ErreurStore> {
    let colonnes = r.colonnes();
    let mut noms = vec!["id", "version", "donnees"];
    let mut valeurs = vec![
        Valeur::Entier(r.id()),
        Valeur::Entier(1),
        Valeur::Texte(serde_json::to_string(r)?),
    ];
    for (n, v) in colonnes {
        noms.push(n);
        valeurs.push(v);
    }
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        T::TABLE,
        noms.join(", "),
        placeholders(valeurs.len())
    );
    tx.executer(&sql, &valeurs)
        .await
        .map_err(|e| doublon::<T>(e, r))?;
    Ok(())
}

/// A unique-key violation (detected the same way on both engines) as [`ErreurStore::Doublon`],
/// with the record's own sentence when it has one; any other error unchanged.
fn doublon<T: Enregistrement>(e: ErreurStore, r: &T) -> ErreurStore {
    if !e.est_doublon() {
        return e;
    }
    if let Some((champ, message)) = r.doublon() {
        return ErreurStore::Doublon { champ, message };
    }
    let texte = match &e {
        ErreurStore::Base(sqlx::Error::Database(d)) => d.message().to_owned(),
        _ => String::new(),
    };
    let champ = [
        "siret",
        "email",
        "numero",
        "reference",
        "dossier_id",
        "exercice",
    ]
    .into_iter()
    .find(|c| texte.contains(c))
    .unwrap_or("");
    ErreurStore::Doublon {
        champ,
        message: format!("{} existe déjà : cette valeur est déjà enregistrée", T::NOM),
    }
}

/// Saves a changed record if it is still at `version`; returns the new version.
pub async fn mettre_a_jour<T: Enregistrement>(
    tx: &mut Tx,
    r: &T,
    version: i64,
) -> Result<i64, ErreurStore> {
    let colonnes = r.colonnes();
    let mut sets = vec!["version = $1".to_owned(), "donnees = $2".to_owned()];
    let mut valeurs = vec![
        Valeur::Entier(version + 1),
        Valeur::Texte(serde_json::to_string(r)?),
    ];
    for (n, v) in colonnes {
        valeurs.push(v);
        sets.push(format!("{n} = ${}", valeurs.len()));
    }
    valeurs.push(Valeur::Entier(r.id()));
    let id_param = valeurs.len();
    valeurs.push(Valeur::Entier(version));
    let sql = format!(
        "UPDATE {} SET {} WHERE id = ${id_param} AND version = ${}",
        T::TABLE,
        sets.join(", "),
        valeurs.len()
    );
    let n = tx
        .executer(&sql, &valeurs)
        .await
        .map_err(|e| doublon::<T>(e, r))?;
    if n == 1 {
        return Ok(version + 1);
    }
    let actuelle = tx
        .ligne(
            &format!("SELECT version FROM {} WHERE id = $1", T::TABLE),
            &[Valeur::Entier(r.id())],
        )
        .await?;
    match actuelle {
        None => Err(ErreurStore::Introuvable {
            entite: T::NOM,
            id: r.id(),
        }),
        Some(l) => Err(ErreurStore::Conflit {
            entite: T::NOM,
            id: r.id(),
            attendue: version,
            trouvee: l.entier("version")?,
        }),
    }
}

fn decoder<T: Enregistrement>(l: &Ligne) -> Result<Lu<T>, ErreurStore> {
    Ok(Lu {
        valeur: serde_json::from_str(&l.texte("donnees")?)?,
        version: l.entier("version")?,
    })
}

/// Reads one record.
pub async fn lire<T: Enregistrement>(tx: &mut Tx, id: i64) -> Result<Lu<T>, ErreurStore> {
    let l = tx
        .ligne(
            &format!("SELECT version, donnees FROM {} WHERE id = $1", T::TABLE),
            &[Valeur::Entier(id)],
        )
        .await?
        .ok_or(ErreurStore::Introuvable { entite: T::NOM, id })?;
    decoder(&l)
}

/// Reads the records matching `condition` (SQL on the real columns, `$1`… for `params`),
/// in the order `ordre`.
pub async fn lister<T: Enregistrement>(
    tx: &mut Tx,
    condition: &str,
    params: &[Valeur],
    ordre: &str,
) -> Result<Vec<Lu<T>>, ErreurStore> {
    let sql = format!(
        "SELECT version, donnees FROM {} WHERE {condition} ORDER BY {ordre}",
        T::TABLE
    );
    tx.lignes(&sql, params).await?.iter().map(decoder).collect()
}

/// The records of `T` whose id is among `ids`, by id (all of them past a few hundred ids, which
/// costs less than so many parameters).
pub async fn lister_par_ids<T: Enregistrement>(
    tx: &mut Tx,
    ids: &[i64],
) -> Result<Vec<Lu<T>>, ErreurStore> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    if ids.len() > 500 {
        return lister(tx, "1 = 1", &[], "id").await;
    }
    let params: Vec<Valeur> = ids.iter().map(|i| Valeur::Entier(*i)).collect();
    lister(
        tx,
        &format!("id IN ({})", crate::sql::marques(1, ids.len())),
        &params,
        "id",
    )
    .await
}
