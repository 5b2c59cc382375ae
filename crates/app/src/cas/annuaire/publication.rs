//! A gestionnaire's services: create, edit, submit to the Caf, withdraw, and list them.

use domain::Acteur;
use domain::Refus;
use domain::Role;
use domain::annuaire::{EtatPublication, SaisieService, Service, proposition_aip};
use domain::appel_a_projets::Dispositif;
use domain::convention::{Convention, EtatConvention};
use domain::identifiants::{GestionnaireId, ServiceId};
use domain::structures::{Gestionnaire, Lieu};
use store::Tx;
use store::annuaire as depot_annuaire;
use store::depot::{self, Lu};
use time::OffsetDateTime;

use super::{communes, lire_service};
use crate::cas::{creer, ecrire};
use crate::{ErreurApp, Plateforme};

/// An AIP service proposed at a place of a signed AIP convention, not described yet.
#[derive(Debug, Clone)]
pub struct PropositionAip {
    pub convention: Convention,
    pub lieu: Lieu,
    /// The form, prefilled.
    pub saisie: SaisieService,
}

const ACTION_LIENS: &str = "Enregistrer le service";

/// Refuses a form whose convention or registered places are not the structure's: the convention
/// must be the structure's, signed; each place, one of the structure's.
async fn verifier_liens(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
    saisie: &SaisieService,
) -> Result<(), ErreurApp> {
    if let Some(c) = saisie.convention {
        let convention = depot::lire::<Convention>(tx, c.0).await?.valeur;
        if convention.gestionnaire != gestionnaire {
            return Err(Refus::Structure {
                action: ACTION_LIENS,
            }
            .into());
        }
        if convention.etat != EtatConvention::Signee {
            return Err(Refus::condition(
                ACTION_LIENS,
                format!("la convention {} n'est pas signée", convention.numero),
            )
            .into());
        }
    }
    for l in saisie.lieux.iter().filter_map(|l| l.lieu) {
        let lieu = depot::lire::<Lieu>(tx, l.0).await?.valeur;
        if lieu.gestionnaire != gestionnaire {
            return Err(Refus::Structure {
                action: ACTION_LIENS,
            }
            .into());
        }
    }
    Ok(())
}

impl Plateforme {
    /// The AIP services proposed to `acteur` (a gestionnaire): one per place of each signed AIP
    /// convention of its structures, unless a service (not withdrawn) already describes that
    /// place for that convention.
    pub async fn propositions_aip(
        &self,
        acteur: &Acteur,
    ) -> Result<Vec<PropositionAip>, ErreurApp> {
        if acteur.role != Role::Gestionnaire {
            return Ok(Vec::new());
        }
        let mut tx = self.base.lire().await?;
        let mut propositions = Vec::new();
        for g in &acteur.gestionnaires {
            let structure = depot::lire::<Gestionnaire>(&mut tx, g.0).await?.valeur;
            let services = depot_annuaire::des_gestionnaires(&mut tx, &[*g]).await?;
            let conventions = depot::lister::<Convention>(
                &mut tx,
                "gestionnaire_id = $1 AND etat = $2",
                &[g.0.into(), EtatConvention::Signee.code().into()],
                "id",
            )
            .await?;
            for c in conventions
                .into_iter()
                .map(|c| c.valeur)
                .filter(|c| c.dispositif == Dispositif::Aip)
            {
                let dossier = depot::lire::<domain::dossier::Dossier>(&mut tx, c.dossier.0).await?;
                for l in &dossier.valeur.projet.lieux {
                    let deja = services.iter().any(|s| {
                        s.valeur.convention == Some(c.id)
                            && s.valeur.etat != EtatPublication::Retire
                            && s.valeur.lieux.iter().any(|x| x.lieu == Some(*l))
                    });
                    if deja {
                        continue;
                    }
                    let lieu = depot::lire::<Lieu>(&mut tx, l.0).await?.valeur;
                    let saisie = proposition_aip(&c, &lieu, structure.email.as_ref());
                    propositions.push(PropositionAip {
                        convention: c.clone(),
                        lieu,
                        saisie,
                    });
                }
            }
        }
        Ok(propositions)
    }

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
        gestionnaire: Option<GestionnaireId>,
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
        if acteur.gestionnaires.contains(&gestionnaire) {
            verifier_liens(&mut tx, gestionnaire, saisie).await?;
        }
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
        if acteur.gestionnaires.contains(&avant.valeur.gestionnaire) {
            verifier_liens(&mut tx, avant.valeur.gestionnaire, &saisie).await?;
        }
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
