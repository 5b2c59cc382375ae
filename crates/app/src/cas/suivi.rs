//! The Caf's instruction workspace around a dossier: which agent follows it (« suivi par »), the
//! agents it may be assigned to, and the history of every audited event of its life.

use std::collections::BTreeMap;

use domain::acces::{Acteur, Role, Utilisateur};
use domain::dossier::{Dossier, SaisieAvis};
use domain::identifiants::{CodeDepartement, DossierId, UtilisateurId};
use domain::structures::Financeur;
use store::audit::{self, Evenement};
use store::depot::{self, Lu};
use time::OffsetDateTime;

use super::ecrire;
use crate::Plateforme;
use crate::erreur::ErreurApp;

/// One event of a dossier's history, with the name of the user who did it when known.
#[derive(Debug, Clone)]
pub struct EvenementHistorique {
    pub evenement: Evenement,
    pub auteur: Option<String>,
}

/// Only the Caf and the Cnaf see the workspace's internal data (history, agents).
fn exiger_caf_ou_cnaf(acteur: &Acteur, quoi: &str) -> Result<(), ErreurApp> {
    if matches!(acteur.role, Role::Caf | Role::Cnaf) {
        Ok(())
    } else {
        Err(ErreurApp::Interdit(format!(
            "{quoi} n'est accessible qu'aux agents de la Caf et de la Cnaf"
        )))
    }
}

impl Plateforme {
    /// Records the opinion of the acting funder on a dossier on the comité's agenda, replacing
    /// the one it gave before (`domain::dossier::avis`).
    pub async fn donner_avis(
        &self,
        acteur: &Acteur,
        id: DossierId,
        version_lue: Option<i64>,
        saisie: SaisieAvis,
        quand: OffsetDateTime,
    ) -> Result<Lu<Dossier>, ErreurApp> {
        let Some(financeur) = acteur.financeur else {
            return Err(ErreurApp::Interdit(
                "seuls les agents d'un financeur donnent un avis avant le comité".to_owned(),
            ));
        };
        let mut tx = self.base.debuter().await?;
        let avant = depot::lire::<Dossier>(&mut tx, id.0).await?;
        let financeur = depot::lire::<Financeur>(&mut tx, financeur.0).await?.valeur;
        let t = avant
            .valeur
            .donner_avis(acteur, &financeur, saisie, quand)?;
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// Assigns a dossier to the Caf agent `agent` (or withdraws the assignment), as an audited
    /// transition; the assignee must be an active Caf agent of the dossier's département.
    pub async fn attribuer_dossier(
        &self,
        acteur: &Acteur,
        id: DossierId,
        version_lue: Option<i64>,
        agent: Option<UtilisateurId>,
        quand: OffsetDateTime,
    ) -> Result<Lu<Dossier>, ErreurApp> {
        let mut tx = self.base.debuter().await?;
        let avant = depot::lire::<Dossier>(&mut tx, id.0).await?;
        let agent = match agent {
            Some(a) => Some(depot::lire::<Utilisateur>(&mut tx, a.0).await?.valeur),
            None => None,
        };
        let t = avant.valeur.attribuer(acteur, agent.as_ref(), quand)?;
        let lu = ecrire(&mut tx, &avant, version_lue, t).await?;
        tx.valider().await?;
        Ok(lu)
    }

    /// The active Caf agents covering `departement`, by name: those a dossier of it may be
    /// assigned to. For the Caf and the Cnaf only.
    pub async fn agents_caf(
        &self,
        acteur: &Acteur,
        departement: Option<CodeDepartement>,
    ) -> Result<Vec<Utilisateur>, ErreurApp> {
        exiger_caf_ou_cnaf(acteur, "la liste des agents")?;
        let mut tx = self.base.lire().await?;
        let lus: Vec<Lu<Utilisateur>> =
            depot::lister(&mut tx, "role = $1", &["caf".into()], "id").await?;
        let mut agents: Vec<Utilisateur> = lus
            .into_iter()
            .map(|l| l.valeur)
            .filter(|u| {
                u.actif
                    && match departement {
                        Some(d) => u.departements.contains(&d),
                        None => {
                            acteur.role == Role::Cnaf
                                || u.departements
                                    .iter()
                                    .any(|d| acteur.departements.contains(d))
                        }
                    }
            })
            .collect();
        agents.sort_by(|a, b| a.nom.cmp(&b.nom));
        Ok(agents)
    }

    /// Every audited event of a dossier, of its decisions and of its convention, oldest first,
    /// each with the name of its author. For the Caf and the Cnaf only.
    pub async fn historique_dossier(
        &self,
        acteur: &Acteur,
        id: DossierId,
    ) -> Result<Vec<EvenementHistorique>, ErreurApp> {
        exiger_caf_ou_cnaf(acteur, "l'historique du dossier")?;
        let d = self.dossier(acteur, id).await?;
        let mut tx = self.base.lire().await?;
        let evenements = audit::historique_dossier(&mut tx, d.valeur.id.0).await?;
        let mut ids: Vec<i64> = evenements.iter().filter_map(|e| e.acteur_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let noms: BTreeMap<i64, String> = depot::lister_par_ids::<Utilisateur>(&mut tx, &ids)
            .await?
            .into_iter()
            .map(|u| (u.valeur.id.0, u.valeur.nom))
            .collect();
        Ok(evenements
            .into_iter()
            .map(|evenement| EvenementHistorique {
                auteur: evenement.acteur_id.and_then(|a| noms.get(&a).cloned()),
                evenement,
            })
            .collect())
    }
}
