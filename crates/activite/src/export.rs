//! The aggregates and indicators as plain rows for the evaluation (one measure per row), and
//! their open-data variant: every count under 5 (sessions or families) is masked, with the
//! smallest other cell of the same breakdown when one masked cell alone could be recomputed
//! from the published total.

use std::io::Write;

use domain::acces::Acteur;
use serde::Serialize;

use crate::SuiviActivite;
use crate::agregats::{Agregat, Maille, Niveau, Periode};
use crate::erreur::ErreurActivite;
use crate::nomenclature::{Etape, Modalite, Mode, Orientation, Presence, Sujet};
use crate::tableau::IndicateursTerritoire;

/// Counts under this are masked in open data.
pub const SEUIL_SECRET: i64 = 5;

/// Who the rows are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Diffusion {
    /// The Cnaf's and Caf's evaluation: every value.
    Interne,
    /// Publication: counts under [`SEUIL_SECRET`] masked.
    OpenData,
}

/// One measure of one territory and period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LigneExport {
    pub niveau: Niveau,
    pub departement: Option<String>,
    pub gestionnaire: Option<i64>,
    pub exercice: i32,
    pub mois: Option<u8>,
    /// `entretiens`, `heures`, `entretiens_par_etape`, an indicator's code…
    pub mesure: &'static str,
    /// The value of the breakdown (`premier_contact`), if any.
    pub modalite: Option<String>,
    /// `None`: masked, or not computable (an indicator without denominator).
    pub valeur: Option<f64>,
    /// Masked by the secrecy rule.
    pub masquee: bool,
    /// The number of sessions or families behind the value.
    #[serde(skip)]
    effectif: i64,
    /// Cells of one breakdown that add up to a published total, for secondary masking.
    #[serde(skip)]
    partition: Option<&'static str>,
}

struct Lignes<'a> {
    sortie: Vec<LigneExport>,
    a: &'a Agregat,
}

impl Lignes<'_> {
    fn pousser(
        &mut self,
        mesure: &'static str,
        modalite: Option<String>,
        valeur: f64,
        effectif: i64,
        partition: Option<&'static str>,
    ) {
        self.sortie.push(LigneExport {
            niveau: self.a.niveau,
            departement: self.a.departement.clone(),
            gestionnaire: self.a.gestionnaire.map(|g| g.0),
            exercice: self.a.exercice,
            mois: self.a.mois,
            mesure,
            modalite,
            valeur: Some(valeur),
            masquee: false,
            effectif,
            partition,
        });
    }

    fn repartition<T: Modalite>(
        &mut self,
        mesure: &'static str,
        valeurs: &std::collections::BTreeMap<T, i64>,
        partition: bool,
    ) {
        for v in T::TOUTES {
            let n = valeurs.get(v).copied().unwrap_or(0);
            self.pousser(
                mesure,
                Some(v.code().to_owned()),
                n as f64,
                n,
                partition.then_some(mesure),
            );
        }
    }
}

fn lignes_agregat(a: &Agregat) -> Vec<LigneExport> {
    let mut l = Lignes {
        sortie: Vec::new(),
        a,
    };
    l.pousser("entretiens", None, a.entretiens as f64, a.entretiens, None);
    l.pousser("heures", None, a.heures(), a.entretiens, None);
    l.repartition::<Etape>("entretiens_par_etape", &a.par_etape, true);
    l.repartition::<Mode>("entretiens_par_mode", &a.par_mode, true);
    l.repartition::<Presence>("entretiens_par_presence", &a.par_presence, true);
    l.repartition::<Sujet>("entretiens_par_sujet", &a.par_sujet, false);
    l.repartition::<Orientation>("entretiens_par_orientation", &a.par_orientation, false);
    l.pousser(
        "entretiens_orientes",
        None,
        a.entretiens_orientes as f64,
        a.entretiens_orientes,
        None,
    );
    l.pousser(
        "entretiens_exception",
        None,
        a.entretiens_exception as f64,
        a.entretiens_exception,
        None,
    );
    let familles = a.familles_distinctes_structure_annee;
    l.pousser(
        if a.mois.is_some() {
            "familles_premiere_seance_du_mois"
        } else {
            "familles_distinctes_structure_annee"
        },
        None,
        familles as f64,
        familles,
        None,
    );
    l.pousser(
        "premiers_contacts",
        None,
        a.premiers_contacts as f64,
        a.premiers_contacts,
        None,
    );
    l.pousser(
        "premiers_contacts_suivis",
        None,
        a.premiers_contacts_suivis as f64,
        a.premiers_contacts_suivis,
        None,
    );
    if a.mois.is_none() {
        for (n, f) in &a.familles_par_nombre_de_seances {
            l.pousser(
                "familles_par_nombre_de_seances",
                Some(n.to_string()),
                *f as f64,
                *f,
                Some("familles_par_nombre_de_seances"),
            );
        }
    }
    l.sortie
}

/// Masks the counts under the threshold, then, in each breakdown whose total is published,
/// a second cell when only one is masked.
fn masquer(lignes: &mut [LigneExport]) {
    for l in lignes.iter_mut() {
        if l.effectif < SEUIL_SECRET {
            l.masquee = true;
            l.valeur = None;
        }
    }
    let mut partitions: Vec<&'static str> = lignes.iter().filter_map(|l| l.partition).collect();
    partitions.sort_unstable();
    partitions.dedup();
    for p in partitions {
        let indices: Vec<usize> = (0..lignes.len())
            .filter(|i| lignes[*i].partition == Some(p))
            .collect();
        let masquees = indices.iter().filter(|i| lignes[**i].masquee).count();
        if masquees != 1 {
            continue;
        }
        if let Some(i) = indices
            .iter()
            .copied()
            .filter(|i| !lignes[*i].masquee)
            .min_by_key(|i| lignes[*i].effectif)
        {
            lignes[i].masquee = true;
            lignes[i].valeur = None;
        }
    }
}

/// The rows of aggregates and indicators, for `diffusion`.
pub fn lignes_export(
    agregats: &[Agregat],
    indicateurs: &[IndicateursTerritoire],
    diffusion: Diffusion,
) -> Vec<LigneExport> {
    let mut sortie = Vec::new();
    for a in agregats {
        let mut lignes = lignes_agregat(a);
        if diffusion == Diffusion::OpenData {
            masquer(&mut lignes);
        }
        sortie.extend(lignes);
    }
    for t in indicateurs {
        for v in &t.indicateurs {
            let masquee = diffusion == Diffusion::OpenData && v.effectif < SEUIL_SECRET;
            sortie.push(LigneExport {
                niveau: t.niveau,
                departement: t.departement.clone(),
                gestionnaire: t.gestionnaire.map(|g| g.0),
                exercice: t.exercice,
                mois: None,
                mesure: v.code,
                modalite: None,
                valeur: if masquee { None } else { v.valeur },
                masquee,
                effectif: v.effectif,
                partition: None,
            });
        }
    }
    sortie
}

/// `12`, `12,5`, `<5`, or empty when not computable.
fn valeur_texte(l: &LigneExport) -> String {
    match l.valeur {
        _ if l.masquee => format!("<{SEUIL_SECRET}"),
        None => String::new(),
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.0}"),
        Some(v) => format!("{v:.2}").replace('.', ","),
    }
}

/// Writes rows as a French spreadsheet reads them: UTF-8 with BOM, `;` separator, decimal
/// comma, `<5` for a masked value.
pub fn ecrire_csv<W: Write>(lignes: &[LigneExport], mut sortie: W) -> Result<(), ErreurActivite> {
    let erreur = |e: &dyn std::fmt::Display| ErreurActivite::Ecriture(e.to_string());
    sortie.write_all(b"\xEF\xBB\xBF").map_err(|e| erreur(&e))?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(sortie);
    w.write_record([
        "niveau",
        "departement",
        "gestionnaire",
        "exercice",
        "mois",
        "mesure",
        "modalite",
        "valeur",
    ])
    .map_err(|e| erreur(&e))?;
    for l in lignes {
        w.write_record([
            l.niveau.code().to_owned(),
            l.departement.clone().unwrap_or_default(),
            l.gestionnaire.map(|g| g.to_string()).unwrap_or_default(),
            l.exercice.to_string(),
            l.mois.map(|m| m.to_string()).unwrap_or_default(),
            l.mesure.to_owned(),
            l.modalite.clone().unwrap_or_default(),
            valeur_texte(l),
        ])
        .map_err(|e| erreur(&e))?;
    }
    w.flush().map_err(|e| erreur(&e))?;
    Ok(())
}

impl SuiviActivite {
    /// The rows of an exercise at a level and period (indicators for a year), within what the
    /// actor may see, for internal evaluation or open data.
    pub async fn exporter(
        &self,
        acteur: &Acteur,
        maille: Maille,
        exercice: i32,
        diffusion: Diffusion,
    ) -> Result<Vec<LigneExport>, ErreurActivite> {
        let agregats = self.agregats(acteur, maille, exercice).await?;
        let indicateurs = match maille.periode {
            Periode::Annee => self.indicateurs(acteur, maille.niveau, exercice).await?,
            Periode::Mois => Vec::new(),
        };
        Ok(lignes_export(&agregats, &indicateurs, diffusion))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agregat() -> Agregat {
        Agregat {
            niveau: Niveau::Departement,
            departement: Some("38".into()),
            exercice: 2024,
            entretiens: 12,
            minutes: 690,
            par_etape: [(Etape::PremierContact, 3), (Etape::Accompagnement, 9)].into(),
            par_mode: [(Mode::Presentiel, 12)].into(),
            familles_distinctes_structure_annee: 4,
            familles_par_nombre_de_seances: [(3, 4)].into(),
            ..Agregat::default()
        }
    }

    fn ligne<'a>(l: &'a [LigneExport], mesure: &str, modalite: Option<&str>) -> &'a LigneExport {
        l.iter()
            .find(|x| x.mesure == mesure && x.modalite.as_deref() == modalite)
            .unwrap()
    }

    #[test]
    fn interne_tout_publie() {
        let l = lignes_export(&[agregat()], &[], Diffusion::Interne);
        assert!(l.iter().all(|x| !x.masquee));
        assert_eq!(ligne(&l, "entretiens", None).valeur, Some(12.0));
        assert_eq!(ligne(&l, "heures", None).valeur, Some(11.5));
        assert_eq!(
            ligne(&l, "entretiens_par_etape", Some("premier_contact")).valeur,
            Some(3.0)
        );
        assert_eq!(
            ligne(&l, "familles_distinctes_structure_annee", None).valeur,
            Some(4.0)
        );
    }

    #[test]
    fn open_data_masque_sous_5() {
        let l = lignes_export(&[agregat()], &[], Diffusion::OpenData);
        assert_eq!(ligne(&l, "entretiens", None).valeur, Some(12.0));
        let pc = ligne(&l, "entretiens_par_etape", Some("premier_contact"));
        assert!(pc.masquee && pc.valeur.is_none());
        // Premier contact (3) and bilan (0) are masked; accompagnement (9) stays.
        assert!(!ligne(&l, "entretiens_par_etape", Some("accompagnement")).masquee);
        assert!(ligne(&l, "familles_distinctes_structure_annee", None).masquee);
        // Modes: visio (0) and téléphone (0) masked, présentiel published.
        assert!(!ligne(&l, "entretiens_par_mode", Some("presentiel")).masquee);
        for x in &l {
            if let Some(v) = x.valeur {
                assert!(x.effectif >= SEUIL_SECRET, "{x:?}");
                assert!(x.mesure == "heures" || v >= 5.0, "{x:?}");
            }
        }
    }

    #[test]
    fn masquage_secondaire() {
        let mut a = agregat();
        a.par_etape = [
            (Etape::PremierContact, 2),
            (Etape::Accompagnement, 20),
            (Etape::Bilan, 8),
        ]
        .into();
        a.entretiens = 30;
        let l = lignes_export(&[a], &[], Diffusion::OpenData);
        // Only one cell under 5: the smallest other one is masked too, so 2 cannot be
        // recomputed as 30 − 20 − 8.
        assert!(ligne(&l, "entretiens_par_etape", Some("premier_contact")).masquee);
        assert!(ligne(&l, "entretiens_par_etape", Some("bilan")).masquee);
        assert!(!ligne(&l, "entretiens_par_etape", Some("accompagnement")).masquee);
    }

    #[test]
    fn csv_a_la_francaise() {
        let l = lignes_export(&[agregat()], &[], Diffusion::OpenData);
        let mut sortie = Vec::new();
        ecrire_csv(&l, &mut sortie).unwrap();
        let texte = String::from_utf8(sortie).unwrap();
        assert!(texte.starts_with(
            "\u{FEFF}niveau;departement;gestionnaire;exercice;mois;mesure;modalite;valeur\n"
        ));
        assert!(
            texte.contains("departement;38;;2024;;entretiens;;12\n"),
            "{texte}"
        );
        assert!(
            texte.contains("departement;38;;2024;;heures;;11,50\n"),
            "{texte}"
        );
        assert!(
            texte.contains("entretiens_par_etape;premier_contact;<5\n"),
            "{texte}"
        );
    }
}
