//! Budget envelopes of the AIP experiment: the national 3 M€ for 2024-2025 (Référentiel national de financement de l'AIP préambule),
//! its allocation among the ten Caf, what each has committed and paid, and the warning raised
//! before recording a decision whose commitment would exceed what remains of its allocation.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::decision::{AvisFinanceur, Decision, IssueDecision, SaisieDecision};
use crate::experimentation;
use crate::identifiants::CodeDepartement;
use crate::paiement::Paiement;
use crate::quantites::Centimes;
use crate::refus::Refus;

/// Why an allocation of the national envelope is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurEnveloppe {
    #[error("le département {0} ne fait pas partie de l'expérimentation AIP")]
    HorsExperimentation(CodeDepartement),
    #[error("l'allocation du département {0} est négative")]
    Negative(CodeDepartement),
    #[error("les allocations ({alloue}) dépassent l'enveloppe nationale ({enveloppe})")]
    Depassement {
        alloue: Centimes,
        enveloppe: Centimes,
    },
}

/// Whether the Cnaf may set a Caf's allocation to `montant` when the other Caf already hold
/// `autres`: never a negative amount (refused as such, naming the field), and never more than the
/// national envelope in all (Référentiel national de financement de l'AIP préambule: 3 M€ for the experiment).
pub fn verifier_allocation(montant: Centimes, autres: Centimes) -> Result<(), Refus> {
    const ACTION: &str = "Répartir l'enveloppe nationale";
    if montant.est_negatif() {
        return Err(Refus::invalide(
            ACTION,
            format!("Allocation : le montant ({montant}) ne peut pas être négatif"),
        ));
    }
    let total = autres.checked_add(montant);
    if total.is_none_or(|t| t > experimentation::ENVELOPPE_NATIONALE) {
        return Err(Refus::condition(
            ACTION,
            format!(
                "{autres} déjà alloués aux autres Caf, l'enveloppe nationale est de {}",
                experimentation::ENVELOPPE_NATIONALE
            ),
        ));
    }
    Ok(())
}

/// The national envelope and its allocation per Caf (by département).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnveloppeNationale {
    pub montant: Centimes,
    pub allocations: BTreeMap<CodeDepartement, Centimes>,
}

impl EnveloppeNationale {
    /// The AIP envelope (3 M€) shared as `allocations`: only the ten départements of the
    /// experiment, no negative share, no more than the envelope in all.
    pub fn experimentation_aip(
        allocations: BTreeMap<CodeDepartement, Centimes>,
    ) -> Result<EnveloppeNationale, ErreurEnveloppe> {
        for (departement, montant) in &allocations {
            if !experimentation::est_departement_aip(*departement) {
                return Err(ErreurEnveloppe::HorsExperimentation(*departement));
            }
            if montant.est_negatif() {
                return Err(ErreurEnveloppe::Negative(*departement));
            }
        }
        let enveloppe = EnveloppeNationale {
            montant: experimentation::ENVELOPPE_NATIONALE,
            allocations,
        };
        let alloue = enveloppe
            .total_alloue()
            .ok_or(ErreurEnveloppe::Depassement {
                alloue: Centimes::new(i64::MAX),
                enveloppe: enveloppe.montant,
            })?;
        if alloue > enveloppe.montant {
            return Err(ErreurEnveloppe::Depassement {
                alloue,
                enveloppe: enveloppe.montant,
            });
        }
        Ok(enveloppe)
    }

    pub fn total_alloue(&self) -> Option<Centimes> {
        Centimes::somme(self.allocations.values().copied())
    }

    /// What is left to allocate.
    pub fn reste_a_allouer(&self) -> Option<Centimes> {
        self.montant.checked_sub(self.total_alloue()?)
    }

    pub fn allocation(&self, departement: CodeDepartement) -> Centimes {
        self.allocations
            .get(&departement)
            .copied()
            .unwrap_or(Centimes::ZERO)
    }
}

/// Where one Caf stands against its allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SituationCaf {
    pub departement: CodeDepartement,
    pub allocation: Centimes,
    /// Sum of the Caf's granted shares in the decisions of the comité.
    pub engage: Centimes,
    /// Net sum paid (acomptes and soldes minus indus recovered).
    pub paye: Centimes,
}

impl SituationCaf {
    /// Computes the situation of `departement` from the recorded facts.
    pub fn depuis_faits(
        departement: CodeDepartement,
        allocation: Centimes,
        decisions: &[Decision],
        paiements: &[Paiement],
    ) -> Option<SituationCaf> {
        let engage = Centimes::somme(
            decisions
                .iter()
                .filter(|d| d.departement == departement)
                .map(Decision::engagement_caf),
        )?;
        let paye = Centimes::somme(
            paiements
                .iter()
                .filter(|p| p.departement == departement)
                .map(Paiement::montant_signe),
        )?;
        Some(SituationCaf {
            departement,
            allocation,
            engage,
            paye,
        })
    }

    /// What remains to commit (negative when already exceeded).
    pub fn disponible(&self) -> Option<Centimes> {
        self.allocation.checked_sub(self.engage)
    }
}

/// A warning: the commitment would exceed what remains of the Caf's allocation. Not a refusal —
/// the comité decides — but shown before the decision is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlerteEnveloppe {
    pub departement: CodeDepartement,
    pub allocation: Centimes,
    pub deja_engage: Centimes,
    pub engagement: Centimes,
    /// By how much the allocation would be exceeded.
    pub depassement: Centimes,
}

impl fmt::Display for AlerteEnveloppe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Attention : cet engagement de {} dépasserait de {} l'enveloppe de la Caf ({} allouée, {} déjà engagée)",
            self.engagement, self.depassement, self.allocation, self.deja_engage
        )
    }
}

/// Checks a commitment against the remaining allocation; `Some` when it would exceed it.
pub fn verifier_engagement(
    situation: &SituationCaf,
    engagement: Centimes,
) -> Option<AlerteEnveloppe> {
    let total = situation.engage.checked_add(engagement)?;
    let depassement = total.checked_sub(situation.allocation)?;
    (depassement > Centimes::ZERO).then_some(AlerteEnveloppe {
        departement: situation.departement,
        allocation: situation.allocation,
        deja_engage: situation.engage,
        engagement,
        depassement,
    })
}

/// Checks the decision about to be recorded: what it commits is the Caf's granted share of a
/// validation (nothing otherwise).
pub fn verifier_decision(
    situation: &SituationCaf,
    saisie: &SaisieDecision,
) -> Option<AlerteEnveloppe> {
    match (&saisie.part_caf, saisie.issue) {
        (Some(part), IssueDecision::Valide) if part.avis == AvisFinanceur::Accorde => {
            verifier_engagement(situation, part.montant)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn une_allocation_negative_est_refusee_pour_son_signe() {
        let refus = verifier_allocation(Centimes::new(-100_000), Centimes::ZERO).unwrap_err();
        assert_eq!(refus.code(), "invalide");
        let texte = refus.to_string();
        assert!(
            texte.contains("Allocation") && texte.contains("négatif"),
            "{texte}"
        );
        assert!(!texte.contains("enveloppe nationale est de"), "{texte}");
        let trop = verifier_allocation(Centimes::new(1), experimentation::ENVELOPPE_NATIONALE);
        assert_eq!(trop.unwrap_err().code(), "condition");
        assert_eq!(
            verifier_allocation(Centimes::ZERO, experimentation::ENVELOPPE_NATIONALE),
            Ok(())
        );
    }
}
