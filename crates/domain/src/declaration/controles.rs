//! The checks of what is typed in a declaration and in the Caf's validation of FTE, each refusal
//! with the field it is about, every one at once: the transitions refuse with the first, the
//! forms show them all next to their fields.

use super::{Declaration, DonneesDeclaration, EtpValides, NatureDeclaration};
use crate::convention::Convention;
use crate::refus::Refus;

/// The field of a declaration's figures a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChampDonnees {
    Exercice,
    Mois,
    Depenses,
}

/// Every way the figures break the rules of the subsidy (Référentiel national de financement de
/// l'AIP, §VI.1: `m` from 0 to 12, no negative amount) and the convention (no more months than it
/// covers in the exercise), each with the field it is about.
pub fn ecarts_donnees(
    action: &'static str,
    convention: &Convention,
    exercice: i32,
    donnees: &DonneesDeclaration,
) -> Vec<(ChampDonnees, Refus)> {
    let mut ecarts = Vec::new();
    let couverts = convention.mois_couverts(exercice);
    if couverts == 0 {
        ecarts.push((
            ChampDonnees::Exercice,
            Refus::invalide(
                action,
                format!(
                    "la convention {} ne couvre aucun mois de {exercice}",
                    convention.numero
                ),
            ),
        ));
    } else if donnees.mois_fonctionnement > couverts {
        ecarts.push((
            ChampDonnees::Mois,
            Refus::invalide(
                action,
                format!(
                    "{} mois de fonctionnement déclarés, mais la convention couvre {couverts} mois de {exercice}",
                    donnees.mois_fonctionnement
                ),
            ),
        ));
    }
    if donnees.depenses_fonctionnement.est_negatif() {
        ecarts.push((
            ChampDonnees::Depenses,
            Refus::invalide(action, "les dépenses ne peuvent pas être négatives"),
        ));
    }
    ecarts
}

/// The first of [`ecarts_donnees`], as the transitions refuse.
pub(super) fn verifier_donnees(
    action: &'static str,
    convention: &Convention,
    exercice: i32,
    donnees: &DonneesDeclaration,
) -> Result<(), Refus> {
    match ecarts_donnees(action, convention, exercice, donnees)
        .into_iter()
        .next()
    {
        Some((_, refus)) => Err(refus),
        None => Ok(()),
    }
}

/// The field of the Caf's validation of FTE a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChampValidation {
    EtpValides,
    Motivation,
}

impl Declaration {
    /// Every way « ETP validés » other than those declared break the rules (Référentiel national
    /// de financement de l'AIP, §VI.2: only at the réelle, never more than declared, fewer with a
    /// motivation), each with the field it is about.
    pub fn ecarts_etp_valides(
        &self,
        action: &'static str,
        v: &EtpValides,
    ) -> Vec<(ChampValidation, Refus)> {
        let mut ecarts = Vec::new();
        if v.etp == self.donnees.etp_declares {
            return ecarts;
        }
        if self.nature != NatureDeclaration::Reelle {
            ecarts.push((
                ChampValidation::EtpValides,
                Refus::invalide(
                    action,
                    "ETP validés : la Caf valide les ETP à la déclaration réelle (Référentiel national de financement de l'AIP, §VI.2)",
                ),
            ));
        } else if v.etp > self.donnees.etp_declares {
            ecarts.push((
                ChampValidation::EtpValides,
                Refus::invalide(
                    action,
                    format!(
                        "ETP validés : {} dépasse les {} ETP déclarés ; la Caf ne valide pas plus d'ETP que le partenaire n'en déclare",
                        v.etp, self.donnees.etp_declares
                    ),
                ),
            ));
        }
        if let Err(refus) = crate::refus::exiger_motif(action, &v.motivation) {
            ecarts.push((ChampValidation::Motivation, refus));
        }
        ecarts
    }
}
