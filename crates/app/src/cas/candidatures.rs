//! The calls for candidacies to a new wave of the AIP experiment: the Cnaf opens a call; an
//! agent of a Caf drafts and submits its Caf's candidacy; the Cnaf selects or declines each
//! submitted one with a reason (Instruction Cnaf It 2023-131 §6). A selection records, in the
//! same transaction, the Caf's département among those of the wave.
//!
//! Who reads: the Cnaf every call and candidacy; a Caf agent the calls and its own Caf's
//! candidacies; nobody else.

use domain::Acteur;
use domain::Role;
use domain::candidatures::{
    AppelCandidatures, Candidature, DossierCandidature, EtatCandidature, SaisieAppel,
};
use domain::identifiants::{AppelCandidaturesId, CandidatureId, CodeDepartement};
use store::Tx;
use store::candidatures::{self as depot_candidatures, DepartementRetenu};
use store::depot::{self, Lu};
use time::OffsetDateTime;

use super::{creer, ecrire};
use crate::{ErreurApp, Plateforme};

/// A call as its reader sees it.
#[derive(Debug, Clone)]
pub struct VueAppel {
    pub appel: Lu<AppelCandidatures>,
    /// The candidacies the reader may read, by département.
    pub candidatures: Vec<Lu<Candidature>>,
    /// The départements selected for its wave.
    pub retenus: Vec<DepartementRetenu>,
}

fn exiger_lecteur(acteur: &Acteur) -> Result<(), ErreurApp> {
    match acteur.role {
        Role::Cnaf | Role::Caf => Ok(()),
        _ => Err(ErreurApp::Interdit(
            "les appels à candidatures de l'expérimentation".to_owned(),
        )),
    }
}

async fn lire_candidature(
    tx: &mut Tx,
    acteur: &Acteur,
    id: CandidatureId,
) -> Result<(Lu<AppelCandidatures>, Lu<Candidature>), ErreurApp> {
    exiger_lecteur(acteur)?;
    let candidature = depot::lire::<Candidature>(tx, id.0).await?;
    if !candidature.valeur.lisible_par(acteur) {
        return Err(ErreurApp::Interdit(format!("la candidature n° {id}")));
    }
    let appel = depot::lire::<AppelCandidatures>(tx, candidature.valeur.appel.0).await?;
    Ok((appel, candidature))
}

impl Plateforme {
    /// Every call, the latest deadline first.
    pub async fn appels_candidatures(
        &self,
        acteur: &Acteur,
    ) -> Result<Vec<Lu<AppelCandidatures>>, ErreurApp> {
        exiger_lecteur(acteur)?;
        let mut tx = self.base.lire().await?;
        Ok(depot_candidatures::appels(&mut tx).await?)
    }

    /// Opens a call (the Cnaf).
    pub async fn ouvrir_appel_candidatures(
        &self,
        acteur: &Acteur,
        saisie: SaisieAppel,
        quand: OffsetDateTime,
    ) -> Result<Lu<AppelCandidatures>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let id = AppelCandidaturesId(depot::prochain_id(&mut tx, "appels_candidatures").await?);
        let lu = creer(
            &mut tx,
            AppelCandidatures::ouvrir(acteur, id, saisie, quand)?,
        )
        .await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// One call with the candidacies the reader may read and the départements selected.
    pub async fn appel_candidatures(
        &self,
        acteur: &Acteur,
        id: AppelCandidaturesId,
    ) -> Result<VueAppel, ErreurApp> {
        exiger_lecteur(acteur)?;
        let mut tx = self.base.lire().await?;
        let appel = depot::lire::<AppelCandidatures>(&mut tx, id.0).await?;
        let candidatures = depot_candidatures::candidatures_de_l_appel(&mut tx, id)
            .await?
            .into_iter()
            .filter(|c| c.valeur.lisible_par(acteur))
            .collect();
        let retenus = depot_candidatures::departements_retenus(&mut tx)
            .await?
            .into_iter()
            .filter(|r| r.appel == id)
            .collect();
        Ok(VueAppel {
            appel,
            candidatures,
            retenus,
        })
    }

    /// One candidacy with its call.
    pub async fn candidature(
        &self,
        acteur: &Acteur,
        id: CandidatureId,
    ) -> Result<(Lu<AppelCandidatures>, Lu<Candidature>), ErreurApp> {
        let mut tx = self.base.lire().await?;
        lire_candidature(&mut tx, acteur, id).await
    }

    /// Writes the draft of the candidacy of the Caf of `departement` to `appel`: starts it, or
    /// changes its file if still at `version_lue`.
    pub async fn rediger_candidature(
        &self,
        acteur: &Acteur,
        appel: AppelCandidaturesId,
        departement: CodeDepartement,
        dossier: DossierCandidature,
        version_lue: Option<i64>,
        quand: OffsetDateTime,
    ) -> Result<Lu<Candidature>, ErreurApp> {
        exiger_lecteur(acteur)?;
        let mut tx = self.base.debuter().await?;
        let lu_appel = depot::lire::<AppelCandidatures>(&mut tx, appel.0).await?;
        let lu = match depot_candidatures::candidature_du_departement(&mut tx, appel, departement)
            .await?
        {
            Some(avant) => {
                let t = avant
                    .valeur
                    .rediger(acteur, &lu_appel.valeur, dossier, quand)?;
                ecrire(&mut tx, &avant, version_lue, t).await?
            }
            None => {
                let id = CandidatureId(depot::prochain_id(&mut tx, "candidatures").await?);
                let t =
                    Candidature::creer(acteur, id, &lu_appel.valeur, departement, dossier, quand)?;
                creer(&mut tx, t).await?
            }
        };
        tx.valider().await?;
        Ok(lu)
    }

    /// Submits a candidacy (an agent of its Caf, before the deadline).
    pub async fn deposer_candidature(
        &self,
        acteur: &Acteur,
        id: CandidatureId,
        version_lue: Option<i64>,
        quand: OffsetDateTime,
    ) -> Result<Lu<Candidature>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let (appel, avant) = lire_candidature(&mut tx, acteur, id).await?;
        let t = avant.valeur.deposer(acteur, &appel.valeur, quand)?;
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// The Cnaf selects or declines a submitted candidacy with its reason; a selection adds the
    /// Caf's département to the wave. A second decision is refused (the candidacy is no longer
    /// submitted), so a form sent twice records one decision.
    pub async fn decider_candidature(
        &self,
        acteur: &Acteur,
        id: CandidatureId,
        retenue: bool,
        motif: &str,
        version_lue: Option<i64>,
        quand: OffsetDateTime,
    ) -> Result<Lu<Candidature>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let (appel, avant) = lire_candidature(&mut tx, acteur, id).await?;
        let t = avant.valeur.decider(acteur, retenue, motif, quand)?;
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        if lu.valeur.etat == EtatCandidature::Retenue {
            depot_candidatures::ajouter_a_la_vague(
                &mut tx,
                &DepartementRetenu {
                    appel: appel.valeur.id,
                    departement: lu.valeur.departement.as_str().to_owned(),
                    vague: i64::from(appel.valeur.vague),
                    candidature: id.0,
                    retenue_le: quand.date().to_string(),
                },
            )
            .await?;
        }
        tx.valider().await?;
        Ok(lu)
    }
}
