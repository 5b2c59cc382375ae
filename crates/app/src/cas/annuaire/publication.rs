//! A gestionnaire's services: create, edit, submit to the Caf, withdraw, and list them.

use domain::Acteur;
use domain::Role;
use domain::annuaire::{SaisieService, Service};
use domain::identifiants::ServiceId;
use store::annuaire as depot_annuaire;
use store::depot::Lu;
use time::OffsetDateTime;

use super::{communes, lire_service};
use crate::cas::{creer, ecrire};
use crate::{ErreurApp, Plateforme};

impl Plateforme {
    /// The services of the structures `acteur` belongs to (a gestionnaire or an intervenant),
    /// whatever their state, by id.
    pub async fn mes_services(&self, acteur: &Acteur) -> Result<Vec<Lu<Service>>, ErreurApp> {
        if !matches!(acteur.role, Role::Gestionnaire | Role::Intervenant) {
            return Ok(Vec::new());
        }
        let gestionnaires: Vec<_> = acteur.gestionnaires.iter().copied().collect();
        let mut tx = self.base.lire().await?;
        Ok(depot_annuaire::des_gestionnaires(&mut tx, &gestionnaires).await?)
    }

    /// One service, for those who may read it whatever its state.
    pub async fn service(&self, acteur: &Acteur, id: ServiceId) -> Result<Lu<Service>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        lire_service(&mut tx, acteur, id).await
    }

    /// Creates a service of the structure `acteur` belongs to (its only one, or the one named
    /// by `gestionnaire`), as a draft.
    pub async fn creer_service(
        &self,
        acteur: &Acteur,
        gestionnaire: Option<domain::identifiants::GestionnaireId>,
        saisie: &SaisieService,
        quand: OffsetDateTime,
    ) -> Result<Lu<Service>, ErreurApp> {
        let gestionnaire = match gestionnaire {
            Some(g) => g,
            None => acteur.gestionnaires.iter().next().copied().ok_or_else(|| {
                ErreurApp::Interdit("créer un service : aucune structure rattachée".to_owned())
            })?,
        };
        let description = saisie.valider(communes()?)?;
        let mut tx = self.base.debuter().await?;
        let id = depot_annuaire::prochain_id(&mut tx).await?;
        let t = Service::creer(acteur, id, gestionnaire, description, quand)?;
        let lu = creer(&mut tx, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// Changes a service's description (back to draft; a published version stays visible).
    pub async fn modifier_service(
        &self,
        acteur: &Acteur,
        id: ServiceId,
        saisie: &SaisieService,
        version_lue: Option<i64>,
        quand: OffsetDateTime,
    ) -> Result<Lu<Service>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = lire_service(&mut tx, acteur, id).await?;
        let mut saisie = saisie.clone();
        if saisie.convention.is_none() {
            saisie.convention = avant.valeur.convention;
        }
        let description = saisie.valider(communes()?)?;
        let t = avant.valeur.modifier(acteur, description, quand)?;
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// Submits a service to the Caf's moderation.
    pub async fn soumettre_service(
        &self,
        acteur: &Acteur,
        id: ServiceId,
        quand: OffsetDateTime,
    ) -> Result<Lu<Service>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = lire_service(&mut tx, acteur, id).await?;
        let t = avant.valeur.soumettre(acteur, quand)?;
        let lu = ecrire(&mut tx, &avant, None, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// Withdraws a service from the directory.
    pub async fn retirer_service(
        &self,
        acteur: &Acteur,
        id: ServiceId,
        quand: OffsetDateTime,
    ) -> Result<Lu<Service>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = lire_service(&mut tx, acteur, id).await?;
        let t = avant.valeur.retirer(acteur, quand)?;
        let lu = ecrire(&mut tx, &avant, None, t).await?;
        tx.valider().await?;
        Ok(lu)
    }
}
