//! The aggregates of activity (Référentiel national de financement de l'AIP §V: sessions, distinct families, hours), by structure,
//! département (Caf) or nation, by month or by year, read from small tables that every insert
//! keeps current; and how they are kept current.

mod lecture;
pub(crate) mod maintenance;

use std::collections::BTreeMap;

use domain::identifiants::GestionnaireId;
use serde::Serialize;

use crate::nomenclature::{Etape, Mode, Orientation, Presence, Sujet};

pub(crate) use lecture::{Grain, lire};

/// The territory an aggregate covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Niveau {
    Structure,
    Departement,
    #[default]
    Nation,
}

impl Niveau {
    pub fn code(self) -> &'static str {
        match self {
            Niveau::Structure => "structure",
            Niveau::Departement => "departement",
            Niveau::Nation => "nation",
        }
    }
}

/// The period an aggregate covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Periode {
    Mois,
    Annee,
}

/// The level and period of a set of aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Maille {
    pub niveau: Niveau,
    pub periode: Periode,
}

/// The activity of one territory over one month or one year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Agregat {
    pub niveau: Niveau,
    /// The département (code of the Caf), absent for the nation.
    pub departement: Option<String>,
    /// The structure, for the structure level only.
    pub gestionnaire: Option<GestionnaireId>,
    pub exercice: i32,
    /// 1 to 12 for a month, absent for the year.
    pub mois: Option<u8>,
    pub entretiens: i64,
    pub minutes: i64,
    /// Sessions with at least one orientation to a partner.
    pub entretiens_orientes: i64,
    /// Sessions beyond the 5-session guideline, recorded with a reason.
    pub entretiens_exception: i64,
    pub par_etape: BTreeMap<Etape, i64>,
    pub par_mode: BTreeMap<Mode, i64>,
    pub par_presence: BTreeMap<Presence, i64>,
    pub par_sujet: BTreeMap<Sujet, i64>,
    pub par_orientation: BTreeMap<Orientation, i64>,
    /// Distinct families, counted by structure and **summed**: a family seen by two structures
    /// counts twice (each structure gives it an unrelated code; families are never matched
    /// across structures). For a month: the families whose first session of the year at the
    /// structure falls in that month, so that the months add up to the year.
    pub familles_distinctes_structure_annee: i64,
    /// Families whose first « premier contact » of the year falls in the period.
    pub premiers_contacts: i64,
    /// Of those, the families followed by an accompaniment or review session in the year.
    pub premiers_contacts_suivis: i64,
    /// For a year: how many families (summed by structure) had exactly `n` sessions.
    pub familles_par_nombre_de_seances: BTreeMap<i64, i64>,
}

impl Agregat {
    /// Hours of sessions.
    pub fn heures(&self) -> f64 {
        self.minutes as f64 / 60.0
    }

    /// Families (summed by structure) with more sessions than `repere`.
    pub fn familles_au_dela(&self, repere: i64) -> i64 {
        self.familles_par_nombre_de_seances
            .iter()
            .filter(|(n, _)| **n > repere)
            .map(|(_, f)| *f)
            .sum()
    }

    /// Adds another aggregate's counts (for a coarser level or period).
    pub(crate) fn ajouter(&mut self, autre: &Agregat) {
        fn fusion<K: Ord + Copy>(a: &mut BTreeMap<K, i64>, b: &BTreeMap<K, i64>) {
            for (k, v) in b {
                *a.entry(*k).or_default() += v;
            }
        }
        self.entretiens += autre.entretiens;
        self.minutes += autre.minutes;
        self.entretiens_orientes += autre.entretiens_orientes;
        self.entretiens_exception += autre.entretiens_exception;
        fusion(&mut self.par_etape, &autre.par_etape);
        fusion(&mut self.par_mode, &autre.par_mode);
        fusion(&mut self.par_presence, &autre.par_presence);
        fusion(&mut self.par_sujet, &autre.par_sujet);
        fusion(&mut self.par_orientation, &autre.par_orientation);
        self.familles_distinctes_structure_annee += autre.familles_distinctes_structure_annee;
        self.premiers_contacts += autre.premiers_contacts;
        self.premiers_contacts_suivis += autre.premiers_contacts_suivis;
        fusion(
            &mut self.familles_par_nombre_de_seances,
            &autre.familles_par_nombre_de_seances,
        );
    }
}

/// Département, structure and month of an aggregate.
type CleAgregat = (Option<String>, Option<GestionnaireId>, Option<u8>);

/// Folds aggregates into a coarser level and period (a structure's months into its year, the
/// départements into the nation…). The answer is ordered by département, structure and month.
pub fn replier(agregats: &[Agregat], maille: Maille) -> Vec<Agregat> {
    let mut sortie: BTreeMap<CleAgregat, Agregat> = BTreeMap::new();
    for a in agregats {
        let departement = match maille.niveau {
            Niveau::Nation => None,
            _ => a.departement.clone(),
        };
        let gestionnaire = match maille.niveau {
            Niveau::Structure => a.gestionnaire,
            _ => None,
        };
        let mois = match maille.periode {
            Periode::Mois => a.mois,
            Periode::Annee => None,
        };
        sortie
            .entry((departement.clone(), gestionnaire, mois))
            .or_insert_with(|| Agregat {
                niveau: maille.niveau,
                departement,
                gestionnaire,
                exercice: a.exercice,
                mois,
                ..Agregat::default()
            })
            .ajouter(a);
    }
    sortie.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(dep: &str, g: i64, mois: u8, entretiens: i64, familles: i64) -> Agregat {
        Agregat {
            niveau: Niveau::Structure,
            departement: Some(dep.into()),
            gestionnaire: Some(GestionnaireId(g)),
            exercice: 2024,
            mois: Some(mois),
            entretiens,
            minutes: entretiens * 60,
            par_etape: [(Etape::Accompagnement, entretiens)].into(),
            familles_distinctes_structure_annee: familles,
            familles_par_nombre_de_seances: [(entretiens, familles)].into(),
            ..Agregat::default()
        }
    }

    #[test]
    fn repli_par_niveau_et_periode() {
        let fins = [
            a("38", 1, 1, 3, 1),
            a("38", 1, 2, 2, 1),
            a("38", 2, 1, 1, 1),
            a("30", 3, 2, 4, 2),
        ];
        let nation = replier(
            &fins,
            Maille {
                niveau: Niveau::Nation,
                periode: Periode::Annee,
            },
        );
        assert_eq!(nation.len(), 1);
        assert_eq!(nation[0].entretiens, 10);
        assert_eq!(nation[0].familles_distinctes_structure_annee, 5);
        assert_eq!(nation[0].par_etape[&Etape::Accompagnement], 10);
        assert_eq!(nation[0].departement, None);
        assert_eq!(nation[0].heures(), 10.0);
        assert_eq!(nation[0].familles_au_dela(2), 3);

        let par_mois = replier(
            &fins,
            Maille {
                niveau: Niveau::Nation,
                periode: Periode::Mois,
            },
        );
        assert_eq!(
            par_mois
                .iter()
                .map(|a| (a.mois, a.entretiens))
                .collect::<Vec<_>>(),
            [(Some(1), 4), (Some(2), 6)]
        );
        let deps = replier(
            &fins,
            Maille {
                niveau: Niveau::Departement,
                periode: Periode::Annee,
            },
        );
        assert_eq!(
            deps.iter()
                .map(|a| (a.departement.clone().unwrap(), a.entretiens))
                .collect::<Vec<_>>(),
            [("30".to_owned(), 4), ("38".to_owned(), 6)]
        );
    }
}
