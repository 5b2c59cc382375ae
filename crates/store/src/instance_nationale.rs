//! The national instance of the AIP experiment: its row among the coordination's instances
//! (found by its key, not by a département) and the calendar of its six phases.

use domain::coordination::Instance;
use domain::instance_nationale::Calendrier;

use crate::connexion::{Tx, Valeur};
use crate::depot::{Enregistrement, Lu, lister};
use crate::erreur::ErreurStore;

/// What the `departement` column of `instances` holds for the national instance.
pub const CLE_NATIONALE: &str = "nationale";

impl Enregistrement for Calendrier {
    const TABLE: &'static str = "calendriers_nationaux";
    const NOM: &'static str = "le calendrier de l'expérimentation";
    fn id(&self) -> i64 {
        self.instance.0
    }
    fn colonnes(&self) -> Vec<(&'static str, Valeur)> {
        Vec::new()
    }
}

/// The national instance, once set up.
pub async fn instance_nationale(tx: &mut Tx) -> Result<Option<Lu<Instance>>, ErreurStore> {
    Ok(
        lister::<Instance>(tx, "departement = $1", &[CLE_NATIONALE.into()], "id")
            .await?
            .into_iter()
            .next(),
    )
}

/// The calendar of the national instance `instance`, once written.
pub async fn calendrier(tx: &mut Tx, instance: i64) -> Result<Option<Lu<Calendrier>>, ErreurStore> {
    Ok(
        lister::<Calendrier>(tx, "id = $1", &[instance.into()], "id")
            .await?
            .into_iter()
            .next(),
    )
}
