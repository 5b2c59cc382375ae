//! The departmental coordination's use cases: the shared diagnosis of the offer of a scheme in a
//! département (its coverage by the places of the funded projects), and the action plan and the
//! information and communication plan. The Cnaf reads every département; a Caf agent or a funder
//! reads its own; only a Caf agent of the département writes its plans.

use std::sync::OnceLock;

use domain::acces::{Acteur, Role};
use domain::appel_a_projets::Dispositif;
use domain::coordination::plans::{ElementPlan, SaisieActionPlan, SaisieCommunication};
use domain::dossier::EtatDossier;
use domain::identifiants::CodeDepartement;
use domain::territoire::couverture::{self, DiagnosticCouverture};
use domain::territoire::{Communes, Epcis};
use store::diagnostic::{self as depot, LignePlan};
use time::OffsetDateTime;

use crate::Plateforme;
use crate::erreur::ErreurApp;

/// The dossier states whose places make the offer. **Interpretation**: only a project the
/// comité validated is an offer families can count on (the dossier stays `valide` once its
/// convention is drawn up and signed); a draft, a project under instruction or on the comité's
/// agenda is an intention, and a refused, closed or withdrawn one is none (docs/diagnostic.md).
pub const ETATS_OFFRE: [EtatDossier; 1] = [EtatDossier::Valide];

/// The distance of the diagnosis when none is chosen, in km.
pub const RAYON_PAR_DEFAUT_KM: f64 = 10.0;
/// The largest distance accepted, in km.
pub const RAYON_MAX_KM: f64 = 200.0;

/// The communes and EPCI compiled in, parsed once per process.
pub(crate) fn territoire() -> Result<&'static (Communes, Epcis), ErreurApp> {
    static TERRITOIRE: OnceLock<Option<(Communes, Epcis)>> = OnceLock::new();
    TERRITOIRE
        .get_or_init(|| Some((Communes::embarquees().ok()?, Epcis::embarques().ok()?)))
        .as_ref()
        .ok_or_else(|| ErreurApp::Calcul("référentiel des communes illisible".to_owned()))
}

/// Whether `acteur` may read the coordination of `departement`.
pub fn peut_lire(acteur: &Acteur, departement: CodeDepartement) -> bool {
    match acteur.role {
        Role::Cnaf => true,
        // The diagnosis is shared with the instance's members (Lettre circulaire Cnaf 2012-093
        // §3, « un diagnostic partagé »).
        Role::Caf | Role::Financeur | Role::Membre => acteur.departements.contains(&departement),
        Role::Gestionnaire | Role::Intervenant => false,
    }
}

/// Whether `acteur` may write the plans of `departement`.
pub fn peut_ecrire(acteur: &Acteur, departement: CodeDepartement) -> bool {
    acteur.role == Role::Caf && acteur.departements.contains(&departement)
}

fn lecture(acteur: &Acteur, departement: CodeDepartement) -> Result<(), ErreurApp> {
    if peut_lire(acteur, departement) {
        Ok(())
    } else {
        Err(ErreurApp::Interdit(format!(
            "la coordination du département {departement} n'est pas de votre ressort"
        )))
    }
}

fn ecriture(acteur: &Acteur, departement: CodeDepartement) -> Result<(), ErreurApp> {
    if peut_ecrire(acteur, departement) {
        Ok(())
    } else {
        Err(ErreurApp::Interdit(format!(
            "seuls les agents de la Caf du département {departement} modifient ses plans"
        )))
    }
}

fn horodatage(quand: OffsetDateTime) -> String {
    quand
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl Plateforme {
    /// The diagnosis of `departement` for `dispositif`: its communes, EPCI and total, with the
    /// communes that have no place of the offer within `rayon_km` (see [`ETATS_OFFRE`]).
    pub async fn diagnostic_couverture(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        dispositif: Dispositif,
        rayon_km: f64,
    ) -> Result<DiagnosticCouverture, ErreurApp> {
        lecture(acteur, departement)?;
        if !(rayon_km > 0.0 && rayon_km <= RAYON_MAX_KM) {
            return Err(ErreurApp::Refus(domain::Refus::Champ {
                action: "Établir le diagnostic",
                champ: "rayon",
                raison: format!("distance : entre 0 et {RAYON_MAX_KM} km"),
            }));
        }
        let etats: Vec<&str> = ETATS_OFFRE.iter().map(|e| e.code()).collect();
        let offre = depot::offre(&self.base, departement, dispositif, &etats).await?;
        let (communes, epcis) = territoire()?;
        Ok(couverture::diagnostiquer(
            departement,
            communes,
            epcis,
            &offre,
            rayon_km,
        ))
    }

    /// The départements whose coordination `acteur` reads: the Cnaf's are all of them.
    pub fn departements_coordination(&self, acteur: &Acteur) -> Vec<CodeDepartement> {
        match acteur.role {
            Role::Cnaf => domain::territoire::departements()
                .iter()
                .map(|d| d.code)
                .collect(),
            Role::Caf | Role::Financeur | Role::Membre => {
                acteur.departements.iter().copied().collect()
            }
            Role::Gestionnaire | Role::Intervenant => Vec::new(),
        }
    }

    /// The rows of the plan of kind `T` of `departement`.
    pub async fn plan_coordination<T: ElementPlan>(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
    ) -> Result<Vec<LignePlan<T>>, ErreurApp> {
        lecture(acteur, departement)?;
        Ok(depot::lignes(&self.base, departement).await?)
    }

    /// One row of the plan of kind `T` of `departement`.
    pub async fn element_plan<T: ElementPlan>(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        id: i64,
    ) -> Result<LignePlan<T>, ErreurApp> {
        lecture(acteur, departement)?;
        depot::ligne(&self.base, departement, id)
            .await?
            .ok_or(ErreurApp::Store(store::ErreurStore::Introuvable {
                entite: "élément du plan",
                id,
            }))
    }

    /// Records an action of the action plan of `departement` (`id` with the version read to
    /// change one), every field checked first: nothing is written when one is wrong.
    pub async fn enregistrer_action_plan(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        id: Option<(i64, i64)>,
        saisie: &SaisieActionPlan,
        quand: OffsetDateTime,
    ) -> Result<i64, ErreurApp> {
        ecriture(acteur, departement)?;
        let action = saisie.lire()?;
        self.ecrire_plan(acteur, departement, id, &action, quand)
            .await
    }

    /// Records an action of the information and communication plan, as
    /// [`Plateforme::enregistrer_action_plan`].
    pub async fn enregistrer_communication(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        id: Option<(i64, i64)>,
        saisie: &SaisieCommunication,
        quand: OffsetDateTime,
    ) -> Result<i64, ErreurApp> {
        ecriture(acteur, departement)?;
        let action = saisie.lire()?;
        self.ecrire_plan(acteur, departement, id, &action, quand)
            .await
    }

    async fn ecrire_plan<T: ElementPlan>(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        id: Option<(i64, i64)>,
        valeur: &T,
        quand: OffsetDateTime,
    ) -> Result<i64, ErreurApp> {
        let quand = horodatage(quand);
        match id {
            None => Ok(depot::ajouter(&self.base, departement, valeur, acteur.id.0, &quand).await?),
            Some((id, version)) => {
                depot::modifier(
                    &self.base,
                    departement,
                    id,
                    version,
                    valeur,
                    acteur.id.0,
                    &quand,
                )
                .await?;
                Ok(id)
            }
        }
    }

    /// Deletes the row `id` of the plan of kind `T` of `departement`; false when there is none.
    pub async fn supprimer_element_plan<T: ElementPlan>(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        id: i64,
    ) -> Result<bool, ErreurApp> {
        ecriture(acteur, departement)?;
        Ok(depot::supprimer::<T>(&self.base, departement, id).await?)
    }
}
