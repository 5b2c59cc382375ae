//! The comité des financeurs as a sitting across all schemes (Lettre circulaire Cnaf 2012-093,
//! §43): the sittings a user may see, one sitting's agenda with the funders of its département,
//! and the financing plan by funder × scheme × year. Only the Caf, the Cnaf and the funders see
//! them, each within its territory, and a funder sees the dossiers the comité examines or has
//! decided, as everywhere else (`crate::acces::ETATS_VUS_PAR_FINANCEUR`). The opinions, shares and outcome
//! are recorded by the existing use cases (`donner_avis`, `enregistrer_part`,
//! `enregistrer_decision`), with their own checks.

use domain::acces::{Acteur, Role};
use domain::comite::{self, LignePlan, Seance, TotalTropGrand};
use domain::decision::Decision;
use domain::dossier::Dossier;
use domain::identifiants::CodeDepartement;
use domain::structures::{Cofinanceur, Financeur};
use store::depot::{self, Lu};
use time::Date;

use crate::Plateforme;
use crate::acces::Filtre;
use crate::erreur::ErreurApp;

/// One sitting as its page shows it: the dossiers and decisions of its département the reader
/// may see (the agenda is computed from them by `domain::comite`), and the funders of the
/// département.
#[derive(Debug, Clone)]
pub struct SeanceComite {
    pub seance: Seance,
    pub dossiers: Vec<Lu<Dossier>>,
    pub decisions: Vec<Lu<Decision>>,
    pub financeurs: Vec<Financeur>,
}

impl SeanceComite {
    /// The dossiers' values.
    pub fn dossiers(&self) -> Vec<Dossier> {
        self.dossiers.iter().map(|l| l.valeur.clone()).collect()
    }

    /// The decisions' values.
    pub fn decisions(&self) -> Vec<Decision> {
        self.decisions.iter().map(|l| l.valeur.clone()).collect()
    }
}

/// The comité's pages are for the Caf, the Cnaf and the funders.
fn exiger_membre(acteur: &Acteur) -> Result<(), ErreurApp> {
    if matches!(acteur.role, Role::Caf | Role::Cnaf | Role::Financeur) {
        Ok(())
    } else {
        Err(ErreurApp::Interdit(
            "le comité des financeurs est réservé aux agents de la Caf, de la Cnaf et aux financeurs"
                .to_owned(),
        ))
    }
}

impl Plateforme {
    /// The dossiers of the comité visible to `acteur` (its territory; a funder only those the
    /// comité examines or has decided; never a draft) and their decisions, in `departement` if
    /// given.
    pub(crate) async fn dossiers_et_decisions_du_comite(
        &self,
        acteur: &Acteur,
        departement: Option<CodeDepartement>,
    ) -> Result<(Vec<Lu<Dossier>>, Vec<Lu<Decision>>), ErreurApp> {
        exiger_membre(acteur)?;
        let dossiers: Vec<Lu<Dossier>> = self
            .dossiers(acteur, None)
            .await?
            .into_iter()
            .filter(|d| departement.is_none_or(|dep| d.valeur.departement == dep))
            .collect();
        let mut tx = self.base.lire().await?;
        let f = Filtre::pour(acteur, "departement", "0");
        let visibles: std::collections::BTreeSet<_> =
            dossiers.iter().map(|d| d.valeur.id).collect();
        let decisions: Vec<Lu<Decision>> =
            depot::lister::<Decision>(&mut tx, &f.condition, &f.params, "id")
                .await?
                .into_iter()
                .filter(|x| visibles.contains(&x.valeur.dossier))
                .collect();
        Ok((dossiers, decisions))
    }

    /// The sittings of the comité des financeurs `acteur` may see, newest first.
    pub async fn seances_du_comite(&self, acteur: &Acteur) -> Result<Vec<Seance>, ErreurApp> {
        let (dossiers, decisions) = self.dossiers_et_decisions_du_comite(acteur, None).await?;
        let dossiers: Vec<Dossier> = dossiers.into_iter().map(|l| l.valeur).collect();
        let decisions: Vec<Decision> = decisions.into_iter().map(|l| l.valeur).collect();
        Ok(comite::seances(&dossiers, &decisions))
    }

    /// One sitting: the département's comité on `date`. Refused outside the reader's territory.
    pub async fn seance_du_comite(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        date: Date,
    ) -> Result<SeanceComite, ErreurApp> {
        exiger_membre(acteur)?;
        if acteur.role != Role::Cnaf && !acteur.departements.contains(&departement) {
            return Err(ErreurApp::Interdit(format!(
                "le comité des financeurs du département {departement} n'est pas de votre territoire"
            )));
        }
        let (dossiers, decisions) = self
            .dossiers_et_decisions_du_comite(acteur, Some(departement))
            .await?;
        let financeurs = self.financeurs_des_departements(&[departement]).await?;
        Ok(SeanceComite {
            seance: Seance { departement, date },
            dossiers,
            decisions,
            financeurs,
        })
    }

    /// The financing plan of the comité by funder × scheme × year, over every dossier and decision
    /// `acteur` may see (`domain::comite::plan_financement`); a funder's plan is its own lines
    /// (its commitments). With the funders of the reader's territory, for their names.
    pub async fn plan_du_comite(
        &self,
        acteur: &Acteur,
    ) -> Result<(Vec<LignePlan>, Vec<Financeur>), ErreurApp> {
        let (dossiers, decisions) = self.dossiers_et_decisions_du_comite(acteur, None).await?;
        let d: Vec<&Dossier> = dossiers.iter().map(|l| &l.valeur).collect();
        let x: Vec<&Decision> = decisions.iter().map(|l| &l.valeur).collect();
        let mut lignes = comite::plan_financement(&d, &x).map_err(trop_grand)?;
        if acteur.role == Role::Financeur {
            let propre = acteur.financeur.map(Cofinanceur::Partenaire);
            lignes.retain(|l| Some(l.financeur) == propre);
        }
        let departements: Vec<CodeDepartement> = match acteur.role {
            Role::Cnaf => {
                let mut tous: Vec<CodeDepartement> =
                    dossiers.iter().map(|l| l.valeur.departement).collect();
                tous.sort();
                tous.dedup();
                tous
            }
            _ => acteur.departements.iter().copied().collect(),
        };
        let financeurs = self.financeurs_des_departements(&departements).await?;
        Ok((lignes, financeurs))
    }
}

fn trop_grand(e: TotalTropGrand) -> ErreurApp {
    ErreurApp::Refus(domain::Refus::Invalide {
        action: "Établir le plan de financement du comité",
        raison: e.to_string(),
    })
}
