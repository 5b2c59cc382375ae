//! The evaluation of the AIP experiment (Cnaf instruction « Expérimentation d'une nouvelle offre
//! d'accompagnement individuel de soutien à la parentalité - Mise en place d'une instance
//! nationale (Cnaf - Caf) » §4): the indicators of the ten départements side by side, computed
//! from the activity the caller reads (the activity crate sits above this one) and from what this
//! crate reads itself — the offer, the FTE notified, the questionnaires; and each Caf's monograph.
//!
//! Who: the Cnaf and the agents of the ten Caf read the indicators; the Cnaf reads every
//! monograph; a Caf's agent reads and writes the monographs of its own départements only. Every
//! save of a monograph is a new version with its audit line, in the same transaction.

use std::collections::{BTreeMap, BTreeSet};

use domain::Acteur;
use domain::Role;
use domain::appel_a_projets::Dispositif;
use domain::evaluation::indicateurs::{Donnees, Evaluation, Impact, Proportion, evaluation};
use domain::evaluation::monographie::{self, Monographie, Textes};
use domain::evaluation::questionnaire::{Portee, Public, ResultatPortee, Resultats, agreger};
use domain::experimentation;
use domain::identifiants::CodeDepartement;
use store::activite::perimetre::Perimetre;
use store::audit::{self, NouvelEvenement};
use store::evaluation as depot;
use store::questionnaires::Periode;
use time::{Date, Month, OffsetDateTime};

use crate::cas::diagnostic::{ETATS_OFFRE, territoire};
use crate::{ErreurApp, Plateforme};

/// The audit's name of a monograph.
pub const ENTITE_MONOGRAPHIE: &str = "monographie";

/// A monograph as its reader sees it.
#[derive(Debug, Clone)]
pub struct VueMonographie {
    pub departement: CodeDepartement,
    pub nom: String,
    /// The current version; `None` before the first save.
    pub courante: Option<Monographie>,
    /// Every version, the latest first: number, date, author.
    pub versions: Vec<(i64, String, i64)>,
    /// Whether the reader may write it (a Caf agent of the département).
    pub peut_modifier: bool,
}

/// The départements of the experiment, as codes.
pub fn departements_experimentation() -> Vec<CodeDepartement> {
    experimentation::DEPARTEMENTS
        .iter()
        .filter_map(|c| CodeDepartement::parse(c).ok())
        .collect()
}

/// The name of a département (its code when unknown).
pub fn nom_departement(d: CodeDepartement) -> String {
    domain::territoire::departement(d).map_or_else(|| d.to_string(), |x| x.nom.clone())
}

/// Reading the evaluation: the Cnaf and the Caf's agents.
pub fn exiger_lecture_evaluation(acteur: &Acteur) -> Result<(), ErreurApp> {
    match acteur.role {
        Role::Cnaf | Role::Caf => Ok(()),
        role => Err(ErreurApp::Interdit(format!(
            "l'évaluation de l'expérimentation est réservée à la Cnaf et aux Caf (votre rôle : {})",
            role.libelle()
        ))),
    }
}

fn lit_la_monographie(acteur: &Acteur, departement: CodeDepartement) -> bool {
    acteur.role == Role::Cnaf || ecrit_la_monographie(acteur, departement)
}

fn ecrit_la_monographie(acteur: &Acteur, departement: CodeDepartement) -> bool {
    acteur.role == Role::Caf && acteur.departements.contains(&departement)
}

/// The result of `departement` among `resultats`, if it has answers.
fn resultat_de(resultats: &Resultats, departement: CodeDepartement) -> Option<ResultatPortee> {
    resultats
        .departements
        .iter()
        .find(|r| r.portee == Portee::Departement(departement))
        .cloned()
}

/// The favourable answers to item `code` of `resultat` among those who answered it (but
/// `exclus`, the answers saying the question did not apply), masked when one of its counts is.
fn proportion(resultat: Option<&ResultatPortee>, code: &str, exclus: &[&str]) -> Proportion {
    let Some(item) = resultat.and_then(|r| r.items.iter().find(|i| i.item.code == code)) else {
        return Proportion::default();
    };
    let mut p = Proportion::default();
    for (choix, chiffre) in &item.choix {
        if exclus.contains(&choix.code) {
            continue;
        }
        let Some(n) = chiffre.valeur() else {
            p.masquee = true;
            continue;
        };
        p.repondants += n;
        if item.item.favorables.contains(&choix.code) {
            p.oui += n;
        }
    }
    p
}

/// The impact figures of a territory from its parents' and partners' results (none: nobody
/// answered there).
fn impact(parents: Option<&ResultatPortee>, partenaires: Option<&ResultatPortee>) -> Impact {
    let reponses = |r: Option<&ResultatPortee>| r.map_or(Some(0), |r| r.reponses.valeur());
    Impact {
        reponses_parents: reponses(parents),
        satisfaction: proportion(parents, "satisfaction", &[]),
        competence: proportion(parents, "competence", &[]),
        // « Non, on ne m'a pas proposé d'autre service »: no orientation to follow.
        orientation_suivie: proportion(parents, "orientation", &["aucune"]),
        recommandation: proportion(parents, "recommandation", &[]),
        reponses_partenaires: reponses(partenaires),
        complementarite: proportion(partenaires, "complementarite", &[]),
    }
}

fn interdit_monographie(departement: CodeDepartement) -> ErreurApp {
    ErreurApp::Interdit(format!(
        "la monographie du département {departement} : réservée à la Cnaf et aux agents de sa Caf"
    ))
}

impl Plateforme {
    /// The evaluation of `exercice`: each département of the experiment with `activite` (the
    /// activity figures the caller read: sessions, families, FTE financed, amounts paid) and
    /// the figures read here (structures, places, coverage, FTE notified, questionnaires).
    pub async fn evaluation(
        &self,
        acteur: &Acteur,
        exercice: i32,
        mut activite: BTreeMap<CodeDepartement, Donnees>,
    ) -> Result<Evaluation, ErreurApp> {
        exiger_lecture_evaluation(acteur)?;
        let structures = depot::structures_aip_validees(&self.base).await?;
        let etats: Vec<&str> = ETATS_OFFRE.iter().map(|e| e.code()).collect();
        let offre = store::fiches_territoires::offre_nationale(&self.base, &etats).await?;
        let (communes, _) = territoire()?;
        let mut communes_aip: BTreeMap<CodeDepartement, BTreeSet<domain::identifiants::CodeInsee>> =
            BTreeMap::new();
        let mut lieux: BTreeMap<CodeDepartement, u64> = BTreeMap::new();
        for l in offre
            .lieux
            .iter()
            .filter(|l| l.dispositif == Dispositif::Aip)
        {
            if let Some(c) = communes.get(l.lieu.commune) {
                *lieux.entry(c.departement).or_default() += 1;
                communes_aip
                    .entry(c.departement)
                    .or_default()
                    .insert(c.code);
            }
        }
        let etp_notifies = self.etp_notifies(exercice).await?;
        let parents = self.resultats_masques(Public::Parents).await?;
        let partenaires = self.resultats_masques(Public::Partenaires).await?;
        let mut lignes = Vec::new();
        for d in departements_experimentation() {
            let mut donnees = activite.remove(&d).unwrap_or_default();
            donnees.structures_conventionnees = structures.get(&d).copied().unwrap_or(0);
            donnees.lieux = lieux.get(&d).copied().unwrap_or(0);
            let avec_lieu = communes_aip.get(&d);
            donnees.communes_avec_lieu = avec_lieu.map_or(0, |s| s.len() as u64);
            for c in communes.du_departement(d) {
                let p = u64::from(c.population.unwrap_or(0));
                donnees.population += p;
                if avec_lieu.is_some_and(|s| s.contains(&c.code)) {
                    donnees.population_couverte += p;
                }
            }
            donnees.etp_notifies = etp_notifies.get(&d).copied();
            donnees.impact = Some(impact(
                resultat_de(&parents, d).as_ref(),
                resultat_de(&partenaires, d).as_ref(),
            ));
            lignes.push((d, nom_departement(d), donnees));
        }
        let nation = impact(Some(&parents.nation), Some(&partenaires.nation));
        Ok(evaluation(exercice, lignes, Some(nation)))
    }

    /// The results of the questionnaire of `public`, masked over the nation as the
    /// questionnaires publish them, every answer collected so far.
    async fn resultats_masques(&self, public: Public) -> Result<Resultats, ErreurApp> {
        let mut tx = self.base.lecture().await?;
        let comptages =
            store::questionnaires::comptages(&mut tx, public, &Periode::default()).await?;
        Ok(agreger(public, &comptages))
    }

    /// The FTE notified in force on 31 December of `exercice`, by département: the latest
    /// valid decision of each dossier (Référentiel national de financement de l'AIP §IV.3).
    async fn etp_notifies(
        &self,
        exercice: i32,
    ) -> Result<BTreeMap<CodeDepartement, f64>, ErreurApp> {
        let fin = Date::from_calendar_date(exercice, Month::December, 31)
            .map_err(|e| ErreurApp::Calcul(e.to_string()))?;
        let mut tx = self.base.lire().await?;
        let decisions =
            store::activite::moyens::decisions_etp(&mut tx, &Perimetre::Tout, fin).await?;
        let mut par_dossier: BTreeMap<i64, (Date, i64, String, i64)> = BTreeMap::new();
        for d in decisions {
            if par_dossier
                .get(&d.dossier)
                .is_some_and(|(effet, id, ..)| (*effet, *id) >= (d.date_effet, d.id))
            {
                continue;
            }
            par_dossier.insert(d.dossier, (d.date_effet, d.id, d.departement, d.etp));
        }
        let mut sortie = BTreeMap::new();
        for (_, (_, _, departement, etp)) in par_dossier {
            if let Ok(d) = CodeDepartement::parse(&departement) {
                *sortie.entry(d).or_insert(0.0) += etp as f64 / 10_000.0;
            }
        }
        Ok(sortie)
    }

    /// The monograph of `departement` and its versions.
    pub async fn monographie(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
    ) -> Result<VueMonographie, ErreurApp> {
        if !lit_la_monographie(acteur, departement) {
            return Err(interdit_monographie(departement));
        }
        let mut tx = self.base.lire().await?;
        let versions = depot::versions(&mut tx, departement).await?;
        Ok(VueMonographie {
            departement,
            nom: nom_departement(departement),
            versions: versions
                .iter()
                .map(|m| (m.version, m.mise_a_jour_le.clone(), m.auteur))
                .collect(),
            courante: versions.into_iter().next(),
            peut_modifier: ecrit_la_monographie(acteur, departement),
        })
    }

    /// The current monograph of every département that has one (the national bilan).
    pub async fn monographies(&self, acteur: &Acteur) -> Result<Vec<Monographie>, ErreurApp> {
        exiger_lecture_evaluation(acteur)?;
        let mut tx = self.base.lire().await?;
        Ok(depot::monographies(&mut tx)
            .await?
            .into_iter()
            .filter(|m| lit_la_monographie(acteur, m.departement))
            .collect())
    }

    /// Saves a new version of the monograph of `departement` (a Caf agent of the département),
    /// with its audit line; nothing is written when no section changed.
    pub async fn enregistrer_monographie(
        &self,
        acteur: &Acteur,
        departement: CodeDepartement,
        saisie: &Textes,
        quand: OffsetDateTime,
    ) -> Result<Monographie, ErreurApp> {
        if !ecrit_la_monographie(acteur, departement) {
            return Err(interdit_monographie(departement));
        }
        if !experimentation::est_departement_aip(departement) {
            return Err(ErreurApp::Refus(domain::Refus::condition(
                monographie::ACTION,
                "le département ne fait pas partie de l'expérimentation",
            )));
        }
        let textes = monographie::verifier(saisie)?;
        let horodatage = quand
            .format(&time::format_description::well_known::Rfc3339)
            .map_err(|e| ErreurApp::Calcul(e.to_string()))?;
        let mut tx = self.base.debuter().await?;
        let avant = depot::monographie(&mut tx, departement).await?;
        if let Some(a) = &avant
            && a.textes == textes
        {
            return Ok(a.clone());
        }
        let modifiees = textes
            .sections_modifiees(&avant.as_ref().map(|a| a.textes.clone()).unwrap_or_default());
        let (id, m) =
            depot::ajouter_version(&mut tx, departement, &textes, acteur.id.0, &horodatage).await?;
        audit::ajouter(
            &mut tx,
            NouvelEvenement {
                horodatage: quand,
                acteur_id: Some(acteur.id.0),
                role: Some(acteur.role.code().to_owned()),
                entite: ENTITE_MONOGRAPHIE.to_owned(),
                entite_id: id,
                action: "enregistrer".to_owned(),
                etat_avant: None,
                etat_apres: None,
                description: format!(
                    "Monographie du département {departement}, version {} ({})",
                    m.version,
                    modifiees
                        .iter()
                        .map(|s| s.titre())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                changements: "[]".to_owned(),
                avant: avant
                    .as_ref()
                    .map(serde_json::to_string)
                    .transpose()
                    .map_err(store::ErreurStore::from)?,
                apres: Some(serde_json::to_string(&m).map_err(store::ErreurStore::from)?),
            },
        )
        .await?;
        tx.valider().await?;
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::identifiants::UtilisateurId;

    #[test]
    fn qui_lit_et_qui_ecrit() {
        let d = |c| CodeDepartement::parse(c).unwrap();
        let cnaf = Acteur::cnaf(UtilisateurId(1));
        let isere = Acteur::caf(UtilisateurId(2), [d("38")]);
        assert!(lit_la_monographie(&cnaf, d("38")) && !ecrit_la_monographie(&cnaf, d("38")));
        assert!(ecrit_la_monographie(&isere, d("38")));
        assert!(!lit_la_monographie(&isere, d("30")));
        assert!(exiger_lecture_evaluation(&isere).is_ok());
        let intervenant =
            Acteur::intervenant(UtilisateurId(3), [domain::identifiants::GestionnaireId(1)]);
        assert!(exiger_lecture_evaluation(&intervenant).is_err());
        assert_eq!(departements_experimentation().len(), 10);
    }

    #[test]
    fn impact_depuis_les_resultats_masques() {
        use domain::evaluation::questionnaire::Comptage;
        use domain::identifiants::GestionnaireId;
        let d = CodeDepartement::parse("38").unwrap();
        let choix = |paires: &[(&str, &str, u64)]| {
            paires
                .iter()
                .map(|(i, c, n)| ((i.to_string(), c.to_string()), *n))
                .collect()
        };
        // Eleven parents of one structure: 6 « très » and 5 « plutôt satisfaits »; 5 followed
        // the orientation proposed, 6 had none proposed; 9 would recommend, 2 would not.
        let comptage = Comptage {
            gestionnaire: GestionnaireId(1),
            departement: Some(d),
            reponses: 11,
            choix: choix(&[
                ("satisfaction", "tres_satisfait", 6),
                ("satisfaction", "plutot_satisfait", 5),
                ("orientation", "suivie", 5),
                ("orientation", "aucune", 6),
                ("recommandation", "oui_certainement", 9),
                ("recommandation", "non_certainement", 2),
            ]),
        };
        let resultats = agreger(Public::Parents, &[comptage]);
        let i = impact(resultat_de(&resultats, d).as_ref(), None);
        assert_eq!(i.reponses_parents, Some(11));
        // 11 favourable of 11.
        assert_eq!(
            (
                i.satisfaction.oui,
                i.satisfaction.repondants,
                i.satisfaction.masquee
            ),
            (11, 11, false)
        );
        // 5 of 5: the parents with no orientation proposed are left out.
        assert_eq!(
            (i.orientation_suivie.oui, i.orientation_suivie.repondants),
            (5, 5)
        );
        // 2 « non » is masked by the questionnaires: the share is masked.
        assert!(i.recommandation.masquee);
        // Nobody answered the competence item: no share, nothing masked.
        assert_eq!(i.competence, Proportion::default());
        assert_eq!(i.reponses_partenaires, Some(0));
    }
}
