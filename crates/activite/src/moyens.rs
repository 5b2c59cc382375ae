//! The means of each structure in an exercise, read where the platform keeps them: the FTE
//! declared (Référentiel national de financement de l'AIP §VI.1: the most advanced declaration — réelle, else actualisée, else
//! prévisionnelle), or else the FTE notified by the comité (§IV.3), and the amounts paid.

use std::collections::BTreeMap;

use domain::identifiants::GestionnaireId;
use store::Tx;
use store::activite::moyens;
use time::{Date, Month};

use crate::acces::Portee;
use crate::erreur::ErreurActivite;

/// The FTE and payments of one structure in one exercise.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct MoyensStructure {
    pub departement: String,
    /// FTE (ten-thousandths), summed over its conventions; `None` when neither declared nor
    /// notified.
    pub etp: Option<i64>,
    /// FTE × months of operation (ten-thousandths × months): the FTE-years are this over
    /// 120 000.
    pub etp_mois: i64,
    /// Amounts paid for the exercise (acompte and solde, less any indu), in cents.
    pub verses_centimes: i64,
}

impl MoyensStructure {
    /// FTE-years: FTE prorated to the months of operation, as the référentiel prorates its
    /// yearly volumes (Référentiel national de financement de l'AIP §VI.1 étape 1).
    pub fn etp_annees(&self) -> Option<f64> {
        self.etp.map(|_| self.etp_mois as f64 / 120_000.0)
    }
}

fn rang_nature(nature: &str) -> u8 {
    match nature {
        "reelle" => 3,
        "actualisee" => 2,
        "previsionnelle" => 1,
        _ => 0,
    }
}

/// The means of the structures within `portee` for `exercice`.
pub(crate) async fn moyens(
    tx: &mut Tx,
    portee: Portee<'_>,
    exercice: i32,
) -> Result<BTreeMap<GestionnaireId, MoyensStructure>, ErreurActivite> {
    let mut resultat: BTreeMap<GestionnaireId, MoyensStructure> = BTreeMap::new();
    let perimetre = portee.perimetre();

    // Declarations: the most advanced one of each convention.
    let mut par_convention: BTreeMap<(i64, i64), (u8, String, i64, i64)> = BTreeMap::new();
    for d in moyens::declarations(tx, &perimetre, exercice).await? {
        let rang = rang_nature(&d.nature);
        let cle = (d.gestionnaire, d.convention);
        if par_convention.get(&cle).is_some_and(|(r, ..)| *r >= rang) {
            continue;
        }
        let donnees: serde_json::Value =
            serde_json::from_str(&d.donnees).map_err(store::ErreurStore::from)?;
        let etp = donnees["donnees"]["etp_declares"].as_i64().unwrap_or(0);
        let mois = donnees["donnees"]["mois_fonctionnement"]
            .as_i64()
            .unwrap_or(0);
        par_convention.insert(cle, (rang, d.departement, etp, mois));
    }
    for ((g, _), (_, departement, etp, mois)) in par_convention {
        let m = resultat.entry(GestionnaireId(g)).or_default();
        m.departement = departement;
        *m.etp.get_or_insert(0) += etp;
        m.etp_mois += etp * mois;
    }

    // Else the FTE notified in force at the end of the exercise, for each dossier.
    let fin = Date::from_calendar_date(exercice, Month::December, 31)
        .map_err(|_| ErreurActivite::champ("exercice", format!("{exercice} hors calendrier")))?;
    let mut par_dossier: BTreeMap<i64, (Date, i64, i64, String, i64)> = BTreeMap::new();
    for d in moyens::decisions_etp(tx, &perimetre, fin).await? {
        let g = d.gestionnaire;
        if resultat.contains_key(&GestionnaireId(g)) {
            continue;
        }
        if par_dossier
            .get(&d.dossier)
            .is_some_and(|(effet, id, ..)| (*effet, *id) >= (d.date_effet, d.id))
        {
            continue;
        }
        par_dossier.insert(d.dossier, (d.date_effet, d.id, g, d.departement, d.etp));
    }
    for (_, (_, _, g, departement, etp)) in par_dossier {
        let m = resultat.entry(GestionnaireId(g)).or_default();
        m.departement = departement;
        *m.etp.get_or_insert(0) += etp;
        m.etp_mois += etp * 12;
    }

    // Payments of the exercise.
    for p in moyens::paiements(tx, &perimetre, exercice).await? {
        let m = resultat.entry(GestionnaireId(p.gestionnaire)).or_default();
        if m.departement.is_empty() {
            m.departement = p.departement;
        }
        m.verses_centimes += if p.nature == "indu" {
            -p.total_centimes
        } else {
            p.total_centimes
        };
    }
    Ok(resultat)
}
