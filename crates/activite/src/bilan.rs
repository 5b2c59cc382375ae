//! The activity figures of a structure's annual report (bilan, Référentiel national de financement de l'AIP §V, §VI.2: number of
//! sessions, distinct parents, total hours), derived from its sessions: by step, mode,
//! attendance, subject and orientation, with the families beyond the 5-session guideline.

use domain::acces::Acteur;
use domain::declaration::Activite;
use domain::identifiants::{CodeDepartement, GestionnaireId};
use referentiel::conformite::SeuilsActivite;
use serde::Serialize;

use crate::SuiviActivite;
use crate::acces::{Portee, departement_de, exiger_lecture};
use crate::agregats::{self, Agregat, Grain, Niveau};
use crate::erreur::ErreurActivite;
use crate::indicateurs::{Totaux, ValeurIndicateur, evaluer};
use crate::moyens::moyens;
use crate::regles::repere_seances;

/// The figures of one structure over one exercise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChiffresBilan {
    pub gestionnaire: GestionnaireId,
    pub departement: CodeDepartement,
    pub exercice: i32,
    /// Sessions, hours, and the counts by step, mode, attendance, subject and orientation.
    pub activite: Agregat,
    /// Distinct families of the structure in the year (counted in its family table).
    pub familles_distinctes: i64,
    /// The guideline of sessions per family and per year, and the families beyond it.
    pub repere_seances: Option<i64>,
    pub familles_au_dela_repere: i64,
    pub indicateurs: Vec<ValeurIndicateur>,
}

impl ChiffresBilan {
    /// The activity as a declaration states it (Référentiel national de financement de l'AIP §VI.2): sessions, distinct parents
    /// (the distinct families: the référentiel counts the parental unit), total hours rounded
    /// to the nearest hour.
    pub fn activite_declaree(&self) -> Activite {
        let sature = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
        Activite {
            entretiens: sature(self.activite.entretiens),
            parents_distincts: sature(self.familles_distinctes),
            heures_entretiens: sature((self.activite.minutes + 30) / 60),
            heures_travaillees: None,
        }
    }
}

impl SuiviActivite {
    /// The annual report figures of a structure, for whoever may see it.
    pub async fn chiffres_bilan(
        &self,
        acteur: &Acteur,
        gestionnaire: GestionnaireId,
        exercice: i32,
    ) -> Result<ChiffresBilan, ErreurActivite> {
        let mut tx = self.lecture().await?;
        let departement = departement_de(&mut tx, gestionnaire).await?;
        exiger_lecture(acteur, departement, gestionnaire)?;
        let portee = Portee::Structure(gestionnaire);
        let activite = agregats::lire(
            &mut tx,
            portee,
            exercice,
            Grain {
                niveau: Niveau::Structure,
                mois: false,
                rubriques: true,
                repartition: true,
                filtre_par_departement: portee.par_departement(),
            },
        )
        .await?
        .pop()
        .unwrap_or_else(|| Agregat {
            niveau: Niveau::Structure,
            departement: Some(departement.as_str().to_owned()),
            gestionnaire: Some(gestionnaire),
            exercice,
            ..Agregat::default()
        });
        let familles_distinctes =
            store::activite::agregats::familles_de_l_exercice(&mut tx, gestionnaire.0, exercice)
                .await?;
        let repere = repere_seances(&self.parametres, exercice).ok();
        let m = moyens(&mut tx, portee, exercice)
            .await?
            .remove(&gestionnaire)
            .unwrap_or_default();
        let seuils = SeuilsActivite::pour_exercice(&self.parametres, exercice).ok();
        let indicateurs = evaluer(
            &Totaux::depuis(&activite, m.etp_annees(), m.verses_centimes),
            seuils.as_ref(),
        );
        Ok(ChiffresBilan {
            gestionnaire,
            departement,
            exercice,
            familles_au_dela_repere: repere.map_or(0, |r| activite.familles_au_dela(r)),
            repere_seances: repere,
            familles_distinctes,
            activite,
            indicateurs,
        })
    }
}
