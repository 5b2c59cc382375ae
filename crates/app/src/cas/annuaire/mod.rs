//! The directory's use cases: a gestionnaire writes, submits and withdraws its services
//! ([`publication`], with the AIP services proposed from its signed conventions); the Caf of the
//! service's département moderates them ([`moderation`]).
//!
//! Who reads a service before it is public: its gestionnaire's users, the Caf agents of its
//! département and the Cnaf. The public version is read by anyone (store::annuaire).

pub mod moderation;
pub mod publication;
pub mod recherche;

use std::sync::OnceLock;

use domain::annuaire::Service;
use domain::identifiants::ServiceId;
use domain::territoire::Communes;
use domain::{Acteur, Role};
use store::Tx;
use store::annuaire as depot_annuaire;
use store::depot::Lu;

use crate::ErreurApp;

/// The communes compiled in, parsed once per process.
pub fn communes() -> Result<&'static Communes, ErreurApp> {
    static COMMUNES: OnceLock<Option<Communes>> = OnceLock::new();
    COMMUNES
        .get_or_init(|| Communes::embarquees().ok())
        .as_ref()
        .ok_or_else(|| ErreurApp::Calcul("référentiel des communes illisible".to_owned()))
}

/// Whether `acteur` may read `service` whatever its state: its structure's users, the Caf
/// agents and funders of its département, the Cnaf.
pub fn peut_lire(acteur: &Acteur, service: &Service) -> bool {
    match acteur.role {
        Role::Cnaf => true,
        Role::Caf | Role::Financeur => acteur.departements.contains(&service.departement),
        Role::Gestionnaire | Role::Intervenant => {
            acteur.gestionnaires.contains(&service.gestionnaire)
        }
        Role::Membre => false,
    }
}

/// Reads a service `acteur` may read, or refuses.
pub(crate) async fn lire_service(
    tx: &mut Tx,
    acteur: &Acteur,
    id: ServiceId,
) -> Result<Lu<Service>, ErreurApp> {
    let lu = depot_annuaire::service(tx, id).await?;
    if !peut_lire(acteur, &lu.valeur) {
        return Err(ErreurApp::Interdit(format!("le service n° {id}")));
    }
    Ok(lu)
}
