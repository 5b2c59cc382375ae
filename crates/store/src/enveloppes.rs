//! The SQL of the experiment's budget: the allocation of each envelope (by key, `aip:38`), what
//! the decisions of a département committed and what its payments paid, against the AIP
//! envelope only.

use crate::connexion::Tx;
use crate::erreur::ErreurStore;

/// The single whole number of `sql`'s first row (`total`), 0 when there is no row.
async fn total(tx: &mut Tx, sql: &str, parametre: &str) -> Result<i64, ErreurStore> {
    Ok(tx
        .ligne(sql, &[parametre.into()])
        .await?
        .map(|l| l.entier("total"))
        .transpose()?
        .unwrap_or(0))
}

/// The allocation of envelope `cle`, in cents, when one was set.
pub async fn allocation(tx: &mut Tx, cle: &str) -> Result<Option<i64>, ErreurStore> {
    tx.ligne(
        "SELECT montant_centimes FROM enveloppes WHERE cle = $1",
        &[cle.into()],
    )
    .await?
    .map(|l| l.entier("montant_centimes"))
    .transpose()
}

/// The sum of the allocations of every envelope but `cle`, in cents.
pub async fn allocations_des_autres(tx: &mut Tx, cle: &str) -> Result<i64, ErreurStore> {
    total(
        tx,
        "SELECT CAST(COALESCE(SUM(montant_centimes), 0) AS BIGINT) AS total FROM enveloppes WHERE cle <> $1",
        cle,
    )
    .await
}

/// Sets the allocation of envelope `cle` (created at version 1, else its version moves on).
pub async fn allouer(tx: &mut Tx, cle: &str, centimes: i64) -> Result<(), ErreurStore> {
    tx.executer(
        "INSERT INTO enveloppes (cle, montant_centimes, version) VALUES ($1, $2, 1) \
         ON CONFLICT (cle) DO UPDATE SET montant_centimes = $2, version = enveloppes.version + 1",
        &[cle.into(), centimes.into()],
    )
    .await?;
    Ok(())
}

/// What the decisions of `departement` on AIP dossiers committed, in cents.
pub async fn engage_aip(tx: &mut Tx, departement: &str) -> Result<i64, ErreurStore> {
    total(
        tx,
        "SELECT CAST(COALESCE(SUM(d.engagement_centimes), 0) AS BIGINT) AS total FROM decisions d \
         JOIN dossiers o ON o.id = d.dossier_id JOIN appels a ON a.id = o.appel_id \
         WHERE d.departement = $1 AND a.dispositif = 'aip'",
        departement,
    )
    .await
}

/// What the AIP payments (acomptes and soldes) of `departement` paid, net of the indus
/// recovered, in cents.
pub async fn paye_aip(tx: &mut Tx, departement: &str) -> Result<i64, ErreurStore> {
    total(
        tx,
        "SELECT CAST(COALESCE(SUM(CASE WHEN nature = 'indu' THEN -montant_centimes ELSE montant_centimes END), 0) AS BIGINT) AS total \
         FROM paiements WHERE departement = $1 AND echeance IN ('acompte', 'solde')",
        departement,
    )
    .await
}
