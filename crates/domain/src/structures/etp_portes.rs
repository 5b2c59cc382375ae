//! The FTE a structure's people carry over an exercise: the shares of its qualified salaried
//! intervenants, month by month while their contracts run. A declaration cannot claim more FTE
//! than they carry (Référentiel national de financement de l'AIP, §III.2: the sessions are held by
//! salaried professionals holding the required diploma; §VI.2: « le financement correspond à un
//! financement à l'Etp », the FTE being those of « postes d'intervenants professionnels »).

use referentiel::aip::rendu::decimal_fr;
use referentiel::conformite::{SeuilsActivite, Verdict, verifier_intervenant};
use referentiel::exact::{Decimal, Ratio};
use time::Date;

use super::Intervenant;
use crate::convention::Convention;
use crate::identifiants::IntervenantId;
use crate::quantites::Etp;
use crate::refus::Refus;

/// What one intervenant brings to the exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartIntervenant {
    pub intervenant: IntervenantId,
    /// First name and name, for the Caf and the gestionnaire (never shown to funders' exports).
    pub nom: String,
    /// The share of a full time on the service.
    pub etp: Etp,
    /// Of the months of operation, those in which the contract runs at least one day.
    pub mois_sous_contrat: u8,
    /// Why this person's time does not count, when it does not.
    pub exclusion: Option<String>,
    /// No contract dates recorded: counted over every month, to be checked.
    pub contrat_non_renseigne: bool,
}

/// The FTE carried over the months of operation of one exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EtpPortes {
    pub exercice: i32,
    /// The months of operation considered.
    pub mois: u8,
    /// Each intervenant of the structure, counted or not, with why.
    pub parts: Vec<PartIntervenant>,
    /// Σ (FTE share × months under contract) of those counted, in ten-thousandths of FTE-months.
    dix_milliemes_mois: u64,
}

impl EtpPortes {
    /// The FTE the intervenants of a structure carry over the months of operation of
    /// `exercice` under `convention` (the last `mois_fonctionnement` months it covers, as for the
    /// FTE notified). An intervenant counts when salaried and qualified on `aujourd_hui` (no
    /// finding « non éligible » in the référentiel's check), in each month where the contract
    /// runs at least one day.
    ///
    /// **Interpretation**: a qualification « à vérifier » (a level-7 diploma outside psychology,
    /// an unknown level) still counts, shown as such: the Caf decides it at instruction; only
    /// what the text excludes is left out. A month counts whole when the contract covers one of
    /// its days, like the months of operation themselves.
    pub fn calculer(
        intervenants: &[Intervenant],
        convention: &Convention,
        exercice: i32,
        mois_fonctionnement: u8,
        seuils: &SeuilsActivite,
        aujourd_hui: Date,
    ) -> EtpPortes {
        let mois = convention.mois_de_fonctionnement(exercice, mois_fonctionnement);
        let mut parts = Vec::with_capacity(intervenants.len());
        let mut dix_milliemes_mois = 0u64;
        for i in intervenants
            .iter()
            .filter(|i| i.gestionnaire == convention.gestionnaire)
        {
            let exclusion = match verifier_intervenant(&i.vers_referentiel(), seuils, aujourd_hui) {
                Ok(rapport) => rapport
                    .constats
                    .into_iter()
                    .find(|c| c.verdict == Verdict::NonEligible)
                    .map(|c| c.message),
                Err(e) => Some(e.to_string()),
            };
            let sous_contrat = mois
                .iter()
                .filter(|(premier, dernier)| i.sous_contrat_entre(*premier, *dernier))
                .count() as u8;
            if exclusion.is_none() {
                dix_milliemes_mois += u64::from(i.etp.dix_milliemes()) * u64::from(sous_contrat);
            }
            parts.push(PartIntervenant {
                intervenant: i.id,
                nom: format!("{} {}", i.prenom.trim(), i.nom.trim()),
                etp: i.etp,
                mois_sous_contrat: sous_contrat,
                exclusion,
                contrat_non_renseigne: i.contrat_debut.is_none(),
            });
        }
        EtpPortes {
            exercice,
            mois: mois.len() as u8,
            parts,
            dix_milliemes_mois,
        }
    }

    /// The mean FTE carried over the months of operation, exact.
    pub fn moyenne(&self) -> Ratio {
        if self.mois == 0 {
            return Ratio::ZERO;
        }
        fraction(self.dix_milliemes_mois, self.mois)
    }

    /// The mean FTE carried, in French, to two decimals at most.
    pub fn moyenne_fr(&self) -> String {
        ratio_fr(self.moyenne())
    }

    /// Refuses `declares` FTE when the intervenants counted carry fewer over the months of
    /// operation, naming the gap.
    pub fn exiger(&self, action: &'static str, declares: Etp) -> Result<(), Refus> {
        let demande = u64::from(declares.dix_milliemes()) * u64::from(self.mois);
        if demande <= self.dix_milliemes_mois {
            return Ok(());
        }
        let ecart = fraction(demande - self.dix_milliemes_mois, self.mois);
        let exclus: Vec<&str> = self
            .parts
            .iter()
            .filter(|p| p.exclusion.is_some())
            .map(|p| p.nom.as_str())
            .collect();
        let precision = if exclus.is_empty() {
            String::new()
        } else {
            format!(
                " ; ne comptent pas, faute de remplir les conditions : {}",
                exclus.join(", ")
            )
        };
        Err(Refus::invalide(
            action,
            format!(
                "{declares} ETP déclarés, mais les intervenants salariés qualifiés n'en portent que {} sur les {} mois de fonctionnement : il manque {} ETP (Référentiel national de financement de l'AIP, §III.2 et §VI.2){precision}",
                self.moyenne_fr(),
                self.mois,
                ratio_fr(ecart)
            ),
        ))
    }
}

/// `dix_milliemes_mois` ten-thousandths of FTE-months spread over `mois` months, exact.
fn fraction(dix_milliemes_mois: u64, mois: u8) -> Ratio {
    let total = Decimal::new(i128::from(dix_milliemes_mois), 4).map(Decimal::ratio);
    match total {
        Ok(total) if mois > 0 => total
            .div(Ratio::entier(i64::from(mois)))
            .unwrap_or(Ratio::ZERO),
        _ => Ratio::ZERO,
    }
}

/// An exact FTE figure in French, rounded to two decimals when it has more.
fn ratio_fr(r: Ratio) -> String {
    match r.decimal_fini(4) {
        Some(d) => decimal_fr(d),
        None => r
            .arrondi_decimal(2)
            .map(|d| format!("environ {}", decimal_fr(d)))
            .unwrap_or_else(|_| r.to_string()),
    }
}
