//! The national instance of the AIP experiment's use cases: set it up and configure it, add its
//! members, plan its séances, change the dates of a phase of its calendar. Its séances are then
//! those of the coordination ([`crate::cas::coordination::seances`]): convened, answered,
//! attended and minuted through the same use cases, mails and pages.
//!
//! Who acts (Instruction Cnaf It 2023-131 §4 and §6): the Cnaf administers (configuration,
//! members, calendar); the Cnaf and the Caf de l'Isère hold the secretariat of the séances; each
//! member (a référent parentalité of a Caf, by its account) reads the séances it is convened to,
//! answers and comments the minutes; nobody else reads it.

use domain::Acteur;
use domain::coordination::{
    Instance, Membre, SaisieInstance, SaisieMembre, SaisieSeance, Seance, exiger_pilote_national,
    verifier_composition,
};
use domain::identifiants::{InstanceId, MembreId, SeanceId};
use domain::instance_nationale::Calendrier;
use store::Tx;
use store::coordination as depot_coordination;
use store::depot::{self, Lu};
use store::instance_nationale as depot_national;
use time::{Date, OffsetDateTime};

use super::coordination::{VueInstance, transition_membre, vue_de};
use super::{creer, ecrire};
use crate::{ErreurApp, Plateforme};

/// The national instance as a reader sees it.
#[derive(Debug, Clone)]
pub struct VueNationale {
    pub instance: VueInstance,
    pub calendrier: Lu<Calendrier>,
    /// Its séances the reader may read, in date order.
    pub seances: Vec<Lu<Seance>>,
    /// Whether the reader administers it (the Cnaf).
    pub administration: bool,
}

async fn lire_nationale(tx: &mut Tx, acteur: &Acteur) -> Result<Option<VueNationale>, ErreurApp> {
    let Some(instance) = depot_national::instance_nationale(tx).await? else {
        if acteur.role == domain::Role::Cnaf {
            return Ok(None);
        }
        return Err(ErreurApp::Interdit(
            "l'instance nationale de l'expérimentation".to_owned(),
        ));
    };
    let vue = vue_de(tx, acteur, instance).await?;
    let calendrier = depot_national::calendrier(tx, vue.instance.valeur.id.0)
        .await?
        .ok_or_else(|| ErreurApp::Calcul("calendrier de l'instance nationale absent".into()))?;
    let membres: Vec<Membre> = vue.membres.iter().map(|m| m.valeur.clone()).collect();
    let seances = depot_coordination::seances(tx, vue.instance.valeur.id)
        .await?
        .into_iter()
        .filter(|s| s.valeur.lisible_par(acteur, &vue.instance.valeur, &membres))
        .collect();
    Ok(Some(VueNationale {
        administration: acteur.role == domain::Role::Cnaf,
        instance: vue,
        calendrier,
        seances,
    }))
}

async fn exiger_nationale(tx: &mut Tx, acteur: &Acteur) -> Result<VueNationale, ErreurApp> {
    lire_nationale(tx, acteur).await?.ok_or_else(|| {
        ErreurApp::Refus(domain::Refus::condition(
            "Agir sur l'instance nationale",
            "l'instance nationale n'est pas encore configurée",
        ))
    })
}

impl Plateforme {
    /// The national instance, its calendar and séances; `None` for the Cnaf while it is not set
    /// up; refused to anyone who may not read it.
    pub async fn instance_nationale(
        &self,
        acteur: &Acteur,
    ) -> Result<Option<VueNationale>, ErreurApp> {
        let mut tx = self.base.lire().await?;
        lire_nationale(&mut tx, acteur).await
    }

    /// Sets up the national instance with its calendar, or changes its configuration (its
    /// secretariat's address, its working groups): by the Cnaf.
    pub async fn configurer_instance_nationale(
        &self,
        acteur: &Acteur,
        saisie: SaisieInstance,
        quand: OffsetDateTime,
    ) -> Result<Lu<Instance>, ErreurApp> {
        exiger_pilote_national(acteur, "Configurer l'instance nationale")?;
        let mut tx = self.base.debuter().await?;
        let lu = match depot_national::instance_nationale(&mut tx).await? {
            Some(avant) => {
                let t = avant.valeur.configurer(acteur, saisie, quand)?;
                ecrire(&mut tx, &avant, None, t).await?
            }
            None => {
                let id = InstanceId(depot::prochain_id(&mut tx, "instances").await?);
                let t = Instance::creer_nationale(acteur, id, saisie, quand)?;
                let lu = creer(&mut tx, t).await?;
                creer(&mut tx, Calendrier::etablir(acteur, id, quand)?).await?;
                lu
            }
        };
        tx.valider().await?;
        Ok(lu)
    }

    /// Adds a member to the national instance (by the Cnaf), linked to the account of its address
    /// when there is one.
    pub async fn ajouter_membre_national(
        &self,
        acteur: &Acteur,
        saisie: SaisieMembre,
        quand: OffsetDateTime,
    ) -> Result<Lu<Membre>, ErreurApp> {
        exiger_pilote_national(acteur, "Ajouter un membre à l'instance nationale")?;
        let mut tx = self.base.debuter().await?;
        let vue = exiger_nationale(&mut tx, acteur).await?;
        let id = MembreId(depot::prochain_id(&mut tx, "membres").await?);
        let compte = depot_coordination::compte_par_email(&mut tx, saisie.email.trim()).await?;
        let membre = saisie.valider(
            &vue.instance.instance.valeur,
            id,
            compte.map(domain::identifiants::UtilisateurId),
        )?;
        let mut tous: Vec<Membre> = vue
            .instance
            .membres
            .iter()
            .map(|m| m.valeur.clone())
            .collect();
        tous.push(membre.clone());
        verifier_composition(vue.instance.instance.valeur.forme, &tous, quand.date())?;
        let lu = creer(&mut tx, transition_membre(acteur, membre, quand)).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// Plans a séance of the national instance (by the Cnaf or the Caf de l'Isère); it is then
    /// convened and followed on its page like every séance.
    pub async fn planifier_seance_nationale(
        &self,
        acteur: &Acteur,
        saisie: SaisieSeance,
        quand: OffsetDateTime,
    ) -> Result<Lu<Seance>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let vue = exiger_nationale(&mut tx, acteur).await?;
        let id = SeanceId(depot::prochain_id(&mut tx, "seances").await?);
        let t = Seance::planifier(acteur, &vue.instance.instance.valeur, id, saisie, quand)?;
        let lu = creer(&mut tx, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// Changes the dates of phase `numero` of the calendar (by the Cnaf), if still at
    /// `version_lue`.
    pub async fn modifier_phase(
        &self,
        acteur: &Acteur,
        numero: u8,
        debut: Date,
        fin: Date,
        version_lue: Option<i64>,
        quand: OffsetDateTime,
    ) -> Result<Lu<Calendrier>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let vue = exiger_nationale(&mut tx, acteur).await?;
        let t = vue
            .calendrier
            .valeur
            .modifier_phase(acteur, numero, debut, fin, quand)?;
        let lu = ecrire(&mut tx, &vue.calendrier, version_lue, t).await?;
        tx.valider().await?;
        Ok(lu)
    }
}
