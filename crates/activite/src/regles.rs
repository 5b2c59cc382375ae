//! The référentiel's rules checked when a session is entered: the 5-session guideline per family
//! and per year (an exception needs a reason), in person for the first contact, and the
//! structure's pace against its yearly activity target. Warnings are `Constat`s of the
//! référentiel, never blockers, except a 6th session without a reason.

use std::cmp::Ordering;

use domain::identifiants::{CodeDepartement, GestionnaireId};
use referentiel::conformite::{ActiviteAip, Constat, SeuilsActivite, Verdict, verifier_activite};
use referentiel::exact::Ratio;
use referentiel::parametres::Parametres;
use store::Tx;
use time::OffsetDateTime;

use crate::acces::Portee;
use crate::dates::nom_du_mois;
use crate::erreur::ErreurActivite;
use crate::moyens::moyens;
use crate::nomenclature::{Etape, Mode};

pub const SOURCE_II_3: &str = "Référentiel AIP §II.3";

/// A warning given at entry: a recommendation of the référentiel not met, never a blocker.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Avertissement {
    /// Stable code (`premier_contact_a_distance`).
    pub code: &'static str,
    /// The paragraph of the référentiel (`Référentiel AIP §II.3`).
    pub source: &'static str,
    /// Why, in French.
    pub message: String,
}

impl From<Constat> for Avertissement {
    fn from(c: Constat) -> Self {
        Avertissement {
            code: c.code,
            source: c.source,
            message: c.message,
        }
    }
}

/// Référentiel national de financement de l'AIP §II.3 (and §II.1): « un nombre maximum de 5 séances par famille et par an »,
/// adjustable « à titre exceptionnel ». The parameter `aip.entretiens_par_famille` in force for
/// the exercise, as a whole number of sessions. An exercise without it is an error: sessions are
/// recorded only for the exercises the référentiel covers.
pub(crate) fn repere_seances(
    parametres: &Parametres,
    exercice: i32,
) -> Result<i64, ErreurActivite> {
    let seuils = SeuilsActivite::pour_exercice(parametres, exercice)?;
    let max = seuils.entretiens_par_famille_max;
    // The largest whole number of sessions within the guideline.
    let mut n: i64 = 0;
    while Ratio::entier(n + 1)
        .compare(max.ratio())
        .map_err(|e| ErreurActivite::Conformite(e.into()))?
        != Ordering::Greater
    {
        n += 1;
        if n > 1000 {
            break;
        }
    }
    Ok(n)
}

/// Référentiel national de financement de l'AIP §II.3: the `rang`-th session of a family in the year, beyond the guideline, with
/// its reason: accepted, and said.
pub(crate) fn constat_au_dela(rang: i64, maximum: i64, exercice: i32) -> Constat {
    Constat::avertissement(
        "entretiens_famille_au_dela_repere",
        SOURCE_II_3,
        format!(
            "{rang}e entretien de cette famille en {exercice}, au-delà du repère de {maximum} \
             séances par famille et par an : exception enregistrée avec son motif."
        ),
    )
}

/// Référentiel national de financement de l'AIP §II.3: « Le présentiel reste la modalité privilégiée notamment pour le 1er
/// entretien ». A first contact at a distance is a warning.
pub(crate) fn constat_premier_contact(etape: Etape, mode: Mode) -> Option<Constat> {
    (etape == Etape::PremierContact && mode != Mode::Presentiel).then(|| {
        Constat::avertissement(
            "premier_contact_a_distance",
            SOURCE_II_3,
            format!(
                "Premier contact par {} : le présentiel reste la modalité privilégiée, \
                 notamment pour le premier entretien.",
                match mode {
                    Mode::Visio => "visioconférence",
                    _ => "téléphone",
                }
            ),
        )
    })
}

/// Référentiel national de financement de l'AIP §V: « le volume minimum d'activité par Etp par an, est fixé à 200 familles
/// accompagnées soit environ 600 entretiens » — a recommendation, so a warning.
///
/// **Interpretation** (pace during the year): at `quand`, the structure has operated from the
/// month of its first session of the exercise to the last complete month; its families and
/// sessions up to then are compared with the yearly target prorated to those months
/// (`referentiel::conformite::verifier_activite`). The FTE are those declared or notified
/// (see `moyens`); without FTE, or before a complete month, nothing is said.
pub(crate) async fn constats_objectif(
    tx: &mut Tx,
    parametres: &Parametres,
    gestionnaire: GestionnaireId,
    departement: CodeDepartement,
    exercice: i32,
    quand: OffsetDateTime,
) -> Result<Vec<Constat>, ErreurActivite> {
    let Ok(seuils) = SeuilsActivite::pour_exercice(parametres, exercice) else {
        return Ok(Vec::new());
    };
    let fin: i64 = match quand.year().cmp(&exercice) {
        Ordering::Greater => 12,
        Ordering::Equal => i64::from(u8::from(quand.month())) - 1,
        Ordering::Less => 0,
    };
    let Some(etp) = moyens(tx, Portee::Structure(gestionnaire), exercice)
        .await?
        .remove(&gestionnaire)
        .and_then(|m| m.etp)
    else {
        return Ok(Vec::new());
    };
    let activite = store::activite::agregats::activite_jusqu_a(
        tx,
        gestionnaire.0,
        departement.as_str(),
        exercice,
        fin,
    )
    .await?;
    let Some(debut) = activite.premier_mois else {
        return Ok(Vec::new());
    };
    let mois = fin - debut + 1;
    if mois <= 0 {
        return Ok(Vec::new());
    }
    let (entretiens, familles) = (activite.entretiens, activite.familles_nouvelles);
    let etp = referentiel::exact::Decimal::new(i128::from(etp), 4)
        .map_err(|e| ErreurActivite::champ("etp", e.to_string()))?;
    let rapport = verifier_activite(
        &ActiviteAip {
            etp,
            mois_fonctionnement: u8::try_from(mois).unwrap_or(12),
            familles_distinctes: u32::try_from(familles).unwrap_or(u32::MAX),
            entretiens: u32::try_from(entretiens).unwrap_or(u32::MAX),
            entretiens_par_famille: None,
            heures_travaillees: None,
            heures_entretiens: None,
            heures_analyse_pratique: None,
        },
        &seuils,
    )?;
    let fin_texte = nom_du_mois(u8::try_from(fin).unwrap_or(12));
    Ok(rapport
        .constats
        .into_iter()
        .filter(|c| {
            c.verdict == Verdict::Avertissement
                && matches!(c.code, "familles_sous_cible" | "entretiens_sous_cible")
        })
        .map(|mut c| {
            c.message = format!(
                "Objectif d'activité {exercice}, à la fin {}{fin_texte} : {}",
                if fin_texte.starts_with(['a', 'o']) {
                    "d'"
                } else {
                    "de "
                },
                c.message
            );
            c
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repere_des_parametres() {
        let p = Parametres::embarques().unwrap();
        assert_eq!(repere_seances(&p, 2024).unwrap(), 5);
        assert_eq!(repere_seances(&p, 2025).unwrap(), 5);
        let e = repere_seances(&p, 2023).unwrap_err().to_string();
        assert!(e.contains("1er janvier 2023") && !e.contains("aip."), "{e}");
    }

    #[test]
    fn premier_contact_a_distance() {
        assert!(constat_premier_contact(Etape::PremierContact, Mode::Presentiel).is_none());
        assert!(constat_premier_contact(Etape::Accompagnement, Mode::Visio).is_none());
        let c = constat_premier_contact(Etape::PremierContact, Mode::Telephone).unwrap();
        assert_eq!(c.code, "premier_contact_a_distance");
        assert!(c.message.contains("téléphone"), "{}", c.message);
        assert_eq!(c.source, SOURCE_II_3);
    }
}
