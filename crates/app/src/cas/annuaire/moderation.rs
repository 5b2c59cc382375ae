//! The Caf's moderation of the services of its départements: the queue, publishing, refusing
//! with a reason.

use domain::Acteur;
use domain::Role;
use domain::annuaire::Service;
use domain::identifiants::{CodeDepartement, ServiceId};
use store::annuaire as depot_annuaire;
use store::depot::Lu;
use time::OffsetDateTime;

use super::lire_service;
use crate::cas::ecrire;
use crate::{ErreurApp, Plateforme};

impl Plateforme {
    /// The services waiting for the moderation of `acteur` (a Caf agent: its départements),
    /// oldest first; nothing for other roles.
    pub async fn services_a_moderer(&self, acteur: &Acteur) -> Result<Vec<Lu<Service>>, ErreurApp> {
        if acteur.role != Role::Caf {
            return Ok(Vec::new());
        }
        let departements: Vec<CodeDepartement> = acteur.departements.iter().copied().collect();
        let mut tx = self.base.lire().await?;
        Ok(depot_annuaire::a_moderer(&mut tx, &departements).await?)
    }

    /// Every service of the départements `acteur` covers (a Caf agent), whatever its state.
    pub async fn services_des_departements(
        &self,
        acteur: &Acteur,
    ) -> Result<Vec<Lu<Service>>, ErreurApp> {
        if !matches!(acteur.role, Role::Caf | Role::Financeur) {
            return Ok(Vec::new());
        }
        let departements: Vec<CodeDepartement> = acteur.departements.iter().copied().collect();
        let mut tx = self.base.lire().await?;
        Ok(depot_annuaire::des_departements(&mut tx, &departements).await?)
    }

    /// Publishes a service waiting for moderation.
    pub async fn publier_service(
        &self,
        acteur: &Acteur,
        id: ServiceId,
        quand: OffsetDateTime,
    ) -> Result<Lu<Service>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = lire_service(&mut tx, acteur, id).await?;
        let t = avant.valeur.publier(acteur, quand)?;
        let lu = ecrire(&mut tx, &avant, None, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// Refuses a service waiting for moderation, with the reason its gestionnaire reads.
    pub async fn refuser_service(
        &self,
        acteur: &Acteur,
        id: ServiceId,
        motif: &str,
        quand: OffsetDateTime,
    ) -> Result<Lu<Service>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = lire_service(&mut tx, acteur, id).await?;
        let t = avant.valeur.refuser(acteur, motif, quand)?;
        let lu = ecrire(&mut tx, &avant, None, t).await?;
        tx.valider().await?;
        Ok(lu)
    }
}
