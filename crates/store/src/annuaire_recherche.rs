//! What the directory's search reads besides the published services themselves
//! (`store::annuaire`): a fingerprint of the services table that changes with every write, so
//! that the search keeps its in-memory index until a service changes.

use crate::connexion::Tx;
use crate::erreur::ErreurStore;

/// The number of services and the sum of their versions. Every insert adds a row and every
/// update raises a version by one (services are never deleted), so the pair changes with every
/// write of the table, whatever the clocks say.
pub async fn empreinte_services(tx: &mut Tx) -> Result<(i64, i64), ErreurStore> {
    let ligne = tx
        .ligne(
            "SELECT CAST(COUNT(*) AS BIGINT) AS nombre, \
             CAST(COALESCE(SUM(version), 0) AS BIGINT) AS versions FROM services",
            &[],
        )
        .await?;
    match ligne {
        Some(l) => Ok((l.entier("nombre")?, l.entier("versions")?)),
        None => Ok((0, 0)),
    }
}
