//! Reading the aggregates and indicators within what the actor may see: by structure,
//! département or nation, by month or year; and the dashboard (the perimeter by month, each
//! département over the year), read in one consistent snapshot.

use std::collections::BTreeMap;

use domain::acces::{Acteur, Role};
use domain::identifiants::GestionnaireId;
use referentiel::conformite::SeuilsActivite;
use serde::Serialize;
use store::Tx;

use crate::SuiviActivite;
use crate::acces::Portee;
use crate::agregats::{self, Agregat, Grain, Maille, Niveau, Periode, replier};
use crate::erreur::ErreurActivite;
use crate::indicateurs::{Totaux, ValeurIndicateur, evaluer};
use crate::moyens::moyens;

/// The indicators of one territory over one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicateursTerritoire {
    pub niveau: Niveau,
    pub departement: Option<String>,
    pub gestionnaire: Option<GestionnaireId>,
    pub exercice: i32,
    pub totaux: Totaux,
    pub indicateurs: Vec<ValeurIndicateur>,
}

/// The dashboard of an exercise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableauDeBord {
    pub exercice: i32,
    /// What the figures cover: `national`, or the actor's départements or structures.
    pub perimetre: String,
    /// The perimeter over the year.
    pub ensemble: Agregat,
    pub indicateurs: Vec<ValeurIndicateur>,
    /// The perimeter month by month (the months with activity).
    pub par_mois: Vec<Agregat>,
    /// Each département (Caf) over the year, with its indicators.
    pub par_departement: Vec<IndicateursTerritoire>,
}

impl Totaux {
    fn ajouter(&mut self, autre: &Totaux) {
        self.entretiens += autre.entretiens;
        self.minutes += autre.minutes;
        self.familles += autre.familles;
        self.premiers_contacts += autre.premiers_contacts;
        self.premiers_contacts_suivis += autre.premiers_contacts_suivis;
        self.entretiens_orientes += autre.entretiens_orientes;
        if let Some(e) = autre.etp_annees {
            *self.etp_annees.get_or_insert(0.0) += e;
        }
        if let Some(v) = autre.verses_centimes {
            *self.verses_centimes.get_or_insert(0) += v;
        }
    }
}

fn exiger_niveau(acteur: &Acteur, niveau: Niveau) -> Result<(), ErreurActivite> {
    if niveau == Niveau::Nation && acteur.role != Role::Cnaf {
        return Err(ErreurActivite::Interdit(format!(
            "le niveau national est réservé à la Cnaf (vous êtes {}) : demandez le niveau \
             département ou structure",
            acteur.role.libelle()
        )));
    }
    Ok(())
}

fn perimetre(acteur: &Acteur) -> String {
    match acteur.role {
        Role::Cnaf => "national".to_owned(),
        Role::Caf | Role::Financeur => format!(
            "département{} {}",
            if acteur.departements.len() > 1 {
                "s"
            } else {
                ""
            },
            acteur
                .departements
                .iter()
                .map(|d| d.as_str().to_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Role::Gestionnaire | Role::Intervenant => format!(
            "structure{} {}",
            if acteur.gestionnaires.len() > 1 {
                "s"
            } else {
                ""
            },
            acteur
                .gestionnaires
                .iter()
                .map(|g| format!("n°{g}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Role::Membre => "aucune structure".to_owned(),
    }
}

/// Per-structure year totals, means included, folded to `niveau`.
async fn totaux_par_territoire(
    tx: &mut Tx,
    portee: Portee<'_>,
    exercice: i32,
    niveau: Niveau,
) -> Result<BTreeMap<(Option<String>, Option<GestionnaireId>), Totaux>, ErreurActivite> {
    let structures = agregats::lire(
        tx,
        portee,
        exercice,
        Grain {
            niveau: Niveau::Structure,
            mois: false,
            rubriques: false,
            repartition: false,
            filtre_par_departement: portee.par_departement(),
        },
    )
    .await?;
    let mut moyens = moyens(tx, portee, exercice).await?;
    let mut par_structure: BTreeMap<GestionnaireId, (String, Totaux)> = BTreeMap::new();
    for a in &structures {
        let Some(g) = a.gestionnaire else { continue };
        let m = moyens.remove(&g).unwrap_or_default();
        par_structure.insert(
            g,
            (
                a.departement.clone().unwrap_or_default(),
                Totaux::depuis(a, m.etp_annees(), m.verses_centimes),
            ),
        );
    }
    for (g, m) in moyens {
        let t = Totaux::depuis(&Agregat::default(), m.etp_annees(), m.verses_centimes);
        par_structure.insert(g, (m.departement, t));
    }
    let mut sortie: BTreeMap<(Option<String>, Option<GestionnaireId>), Totaux> = BTreeMap::new();
    if niveau == Niveau::Nation {
        sortie.insert((None, None), Totaux::default());
    }
    for (g, (departement, t)) in par_structure {
        let cle = match niveau {
            Niveau::Structure => (Some(departement), Some(g)),
            Niveau::Departement => (Some(departement), None),
            Niveau::Nation => (None, None),
        };
        sortie.entry(cle).or_default().ajouter(&t);
    }
    Ok(sortie)
}

impl SuiviActivite {
    /// The aggregates of an exercise at a level and period, within what the actor may see
    /// (the national level: the Cnaf only).
    pub async fn agregats(
        &self,
        acteur: &Acteur,
        maille: Maille,
        exercice: i32,
    ) -> Result<Vec<Agregat>, ErreurActivite> {
        exiger_niveau(acteur, maille.niveau)?;
        let mut tx = self.lecture().await?;
        agregats::lire(
            &mut tx,
            Portee::Acteur(acteur),
            exercice,
            Grain {
                niveau: maille.niveau,
                mois: maille.periode == Periode::Mois,
                rubriques: true,
                repartition: true,
                filtre_par_departement: Portee::Acteur(acteur).par_departement(),
            },
        )
        .await
    }

    /// The indicators of an exercise for each territory of a level, within what the actor may
    /// see (the national level: the Cnaf only).
    pub async fn indicateurs(
        &self,
        acteur: &Acteur,
        niveau: Niveau,
        exercice: i32,
    ) -> Result<Vec<IndicateursTerritoire>, ErreurActivite> {
        exiger_niveau(acteur, niveau)?;
        let mut tx = self.lecture().await?;
        let seuils = SeuilsActivite::pour_exercice(&self.parametres, exercice).ok();
        Ok(
            totaux_par_territoire(&mut tx, Portee::Acteur(acteur), exercice, niveau)
                .await?
                .into_iter()
                .map(
                    |((departement, gestionnaire), totaux)| IndicateursTerritoire {
                        niveau,
                        departement,
                        gestionnaire,
                        exercice,
                        indicateurs: evaluer(&totaux, seuils.as_ref()),
                        totaux,
                    },
                )
                .collect(),
        )
    }

    /// The dashboard: the actor's perimeter (the nation for the Cnaf) month by month and over
    /// the year, and each département over the year with its indicators.
    pub async fn tableau_de_bord(
        &self,
        acteur: &Acteur,
        exercice: i32,
    ) -> Result<TableauDeBord, ErreurActivite> {
        let mut tx = self.lecture().await?;
        let portee = Portee::Acteur(acteur);
        // Two reads summed in the database — the nation month by month, each département over
        // the year — rather than every département's months folded here: a hundred rows each.
        let grain = |niveau, mois| Grain {
            niveau,
            mois,
            rubriques: false,
            repartition: false,
            filtre_par_departement: Portee::Acteur(acteur).par_departement(),
        };
        let par_mois =
            agregats::lire(&mut tx, portee, exercice, grain(Niveau::Nation, true)).await?;
        let ensemble = replier(
            &par_mois,
            Maille {
                niveau: Niveau::Nation,
                periode: Periode::Annee,
            },
        )
        .pop()
        .unwrap_or_else(|| Agregat {
            exercice,
            ..Agregat::default()
        });
        let departements =
            agregats::lire(&mut tx, portee, exercice, grain(Niveau::Departement, false)).await?;
        let mut moyens_dep: BTreeMap<String, (Option<f64>, i64)> = BTreeMap::new();
        for (_, m) in moyens(&mut tx, Portee::Acteur(acteur), exercice).await? {
            let e = moyens_dep.entry(m.departement.clone()).or_default();
            if let Some(etp) = m.etp_annees() {
                *e.0.get_or_insert(0.0) += etp;
            }
            e.1 += m.verses_centimes;
        }
        let seuils = SeuilsActivite::pour_exercice(&self.parametres, exercice).ok();
        let mut total = Totaux::depuis(&ensemble, None, 0);
        let mut par_departement = Vec::new();
        let mut vus = std::collections::BTreeSet::new();
        for a in departements {
            let dep = a.departement.clone().unwrap_or_default();
            let (etp, verses) = moyens_dep.get(&dep).copied().unwrap_or_default();
            vus.insert(dep.clone());
            let totaux = Totaux::depuis(&a, etp, verses);
            par_departement.push(IndicateursTerritoire {
                niveau: Niveau::Departement,
                departement: Some(dep),
                gestionnaire: None,
                exercice,
                indicateurs: evaluer(&totaux, seuils.as_ref()),
                totaux,
            });
        }
        for (dep, (etp, verses)) in &moyens_dep {
            if let Some(e) = etp {
                *total.etp_annees.get_or_insert(0.0) += e;
            }
            *total.verses_centimes.get_or_insert(0) += verses;
            if !vus.contains(dep) {
                let totaux = Totaux::depuis(&Agregat::default(), *etp, *verses);
                par_departement.push(IndicateursTerritoire {
                    niveau: Niveau::Departement,
                    departement: Some(dep.clone()),
                    gestionnaire: None,
                    exercice,
                    indicateurs: evaluer(&totaux, seuils.as_ref()),
                    totaux,
                });
            }
        }
        par_departement.sort_by(|a, b| a.departement.cmp(&b.departement));
        Ok(TableauDeBord {
            exercice,
            perimetre: perimetre(acteur),
            indicateurs: evaluer(&total, seuils.as_ref()),
            ensemble,
            par_mois,
            par_departement,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::identifiants::{CodeDepartement, UtilisateurId};

    #[test]
    fn perimetres() {
        let d = |c| CodeDepartement::parse(c).unwrap();
        assert_eq!(perimetre(&Acteur::cnaf(UtilisateurId(1))), "national");
        assert_eq!(
            perimetre(&Acteur::caf(UtilisateurId(1), [d("38"), d("30")])),
            "départements 30, 38"
        );
        assert_eq!(
            perimetre(&Acteur::intervenant(UtilisateurId(1), [GestionnaireId(4)])),
            "structure n°4"
        );
        assert!(exiger_niveau(&Acteur::caf(UtilisateurId(1), [d("38")]), Niveau::Nation).is_err());
        assert!(exiger_niveau(&Acteur::cnaf(UtilisateurId(1)), Niveau::Nation).is_ok());
    }

    #[test]
    fn totaux_additionnes() {
        let mut t = Totaux {
            entretiens: 3,
            familles: 2,
            etp_annees: None,
            verses_centimes: Some(100),
            ..Totaux::default()
        };
        t.ajouter(&Totaux {
            entretiens: 4,
            familles: 1,
            etp_annees: Some(0.5),
            verses_centimes: Some(50),
            ..Totaux::default()
        });
        assert_eq!((t.entretiens, t.familles), (7, 3));
        assert_eq!(t.etp_annees, Some(0.5));
        assert_eq!(t.verses_centimes, Some(150));
    }
}
