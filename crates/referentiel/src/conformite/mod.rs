//! Conformity checks of the AIP référentiel (Référentiel national de financement de l'AIP; docs/eligibilite-aip.md to §5): is a structure
//! eligible, is an intervenant qualified, does a year's activity meet the recommendations.
//!
//! Every check is a pure function that returns a [`Rapport`]: one [`Constat`] per rule, positive
//! ones included, each with a stable code, a French message that says why, and its source
//! paragraph, so that a screen can show in advance how a case will be judged.

mod activite;
mod intervenant;
mod rendu;
mod structure;

pub use activite::{ActiviteAip, SeuilsActivite, verifier_activite};
pub use intervenant::{Diplome, IntervenantAip, StatutIntervenant, verifier_intervenant};
pub use rendu::{date_fr, nombre_fr};
pub use structure::{
    ConditionsCentreSocial, StatutJuridique, StructureAip, TypeActivite, verifier_structure,
};

use crate::exact::Depassement;

/// How a finding, or a whole report, judges a case. Ordered by severity, so that the verdict of
/// a report is the greatest of its findings'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// The rule is met.
    Eligible,
    /// A recommendation is not met, or a fact is unknown and must be checked; never a blocker.
    Avertissement,
    /// A condition of the référentiel is not met: the case cannot be financed as it stands.
    NonEligible,
}

impl Verdict {
    pub const TOUS: [Verdict; 3] = [
        Verdict::Eligible,
        Verdict::Avertissement,
        Verdict::NonEligible,
    ];

    /// The name used in files and the API.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Eligible => "eligible",
            Verdict::Avertissement => "avertissement",
            Verdict::NonEligible => "non_eligible",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Verdict> {
        Verdict::TOUS.into_iter().find(|v| v.code() == code)
    }

    /// The French label shown to people.
    pub fn libelle(self) -> &'static str {
        match self {
            Verdict::Eligible => "éligible",
            Verdict::Avertissement => "à vérifier",
            Verdict::NonEligible => "non éligible",
        }
    }
}

/// One finding: what a rule concluded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constat {
    pub verdict: Verdict,
    /// Stable machine code of the outcome (`statut_non_eligible`), for programs and translations.
    pub code: &'static str,
    /// The reason, in French, with the values that were compared.
    pub message: String,
    /// The paragraph of the référentiel the rule applies (`Référentiel AIP §II.2`).
    pub source: &'static str,
}

impl Constat {
    pub fn new(
        verdict: Verdict,
        code: &'static str,
        source: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Constat {
            verdict,
            code,
            message: message.into(),
            source,
        }
    }

    pub fn eligible(code: &'static str, source: &'static str, message: impl Into<String>) -> Self {
        Constat::new(Verdict::Eligible, code, source, message)
    }

    pub fn avertissement(
        code: &'static str,
        source: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Constat::new(Verdict::Avertissement, code, source, message)
    }

    pub fn non_eligible(
        code: &'static str,
        source: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Constat::new(Verdict::NonEligible, code, source, message)
    }
}

/// The findings of one or more checks, in the order the rules were applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rapport {
    pub constats: Vec<Constat>,
}

impl Rapport {
    pub fn new() -> Self {
        Rapport::default()
    }

    pub fn ajouter(&mut self, constat: Constat) {
        self.constats.push(constat);
    }

    /// Appends the findings of another report (for instance each intervenant's).
    pub fn etendre(&mut self, autre: Rapport) {
        self.constats.extend(autre.constats);
    }

    /// Non eligible if any finding is, else a warning if any finding is one, else eligible.
    /// An empty report is eligible.
    pub fn verdict(&self) -> Verdict {
        self.constats
            .iter()
            .map(|c| c.verdict)
            .max()
            .unwrap_or(Verdict::Eligible)
    }

    /// The findings with a given verdict.
    pub fn avec_verdict(&self, verdict: Verdict) -> impl Iterator<Item = &Constat> {
        self.constats.iter().filter(move |c| c.verdict == verdict)
    }

    /// The first finding with a given code.
    pub fn constat(&self, code: &str) -> Option<&Constat> {
        self.constats.iter().find(|c| c.code == code)
    }

    /// The codes of all findings, in order.
    pub fn codes(&self) -> Vec<&'static str> {
        self.constats.iter().map(|c| c.code).collect()
    }
}

impl FromIterator<Constat> for Rapport {
    fn from_iter<T: IntoIterator<Item = Constat>>(iter: T) -> Self {
        Rapport {
            constats: iter.into_iter().collect(),
        }
    }
}

/// Why a check cannot be made: an input out of its domain, or an exact computation out of bounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurConformite {
    #[error("champ « {champ} » : {raison}")]
    Champ { champ: &'static str, raison: String },
    #[error("{0}")]
    Depassement(#[from] Depassement),
}

impl ErreurConformite {
    pub fn champ(champ: &'static str, raison: impl Into<String>) -> Self {
        ErreurConformite::Champ {
            champ,
            raison: raison.into(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn verdict_global_le_plus_grave() {
        let ok = Constat::eligible("a", "s", "ok");
        let avert = Constat::avertissement("b", "s", "attention");
        let non = Constat::non_eligible("c", "s", "non");
        assert_eq!(Rapport::new().verdict(), Verdict::Eligible);
        let r: Rapport = [ok.clone()].into_iter().collect();
        assert_eq!(r.verdict(), Verdict::Eligible);
        let r: Rapport = [ok.clone(), avert.clone()].into_iter().collect();
        assert_eq!(r.verdict(), Verdict::Avertissement);
        let mut r: Rapport = [non.clone(), ok.clone()].into_iter().collect();
        r.etendre([avert].into_iter().collect());
        assert_eq!(r.verdict(), Verdict::NonEligible);
        assert_eq!(r.codes(), ["c", "a", "b"]);
        assert_eq!(r.avec_verdict(Verdict::NonEligible).count(), 1);
        assert_eq!(r.constat("a"), Some(&ok));
        assert_eq!(r.constat("z"), None);
    }

    #[test]
    fn codes_des_verdicts() {
        for v in Verdict::TOUS {
            assert_eq!(Verdict::depuis_code(v.code()), Some(v));
        }
        assert_eq!(Verdict::depuis_code("peut-etre"), None);
        assert_eq!(Verdict::NonEligible.libelle(), "non éligible");
    }
}
