//! The right of a declaration, computed once by the domain when the Caf validates it and frozen in
//! the declaration with what it rests on (the FTE ceiling notified and the payments counted) and
//! its trace. Everything downstream — payments, the convention page, the payment statement, the
//! exports — reads these figures; nothing recomputes them. When what a frozen right rests on has
//! changed since (an avenant changed the FTE notified, a payment was made in between), the right is
//! stale: the declaration goes back to the Caf for a new validation instead of being recomputed
//! silently.

use referentiel::aip::{self, ParametresAip, Suite};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Declaration, NatureDeclaration};
use crate::convention::Convention;
use crate::paiement::{Paiement, versements_effectues};
use crate::quantites::{Centimes, Etp};
use crate::refus::Refus;

/// What follows the right, by declaration (Référentiel national de financement de l'AIP, §VI.1
/// étape 2 and §VI.2 étape 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NatureSuite {
    /// Prévisionnelle: the acompte to pay once the convention is signed.
    Acompte,
    /// Actualisée: the estimated right minus the payments made (an accounting provision).
    ChargeAPayer,
    /// Réelle: the definitive right minus the payments made; negative, an indu.
    Solde,
}

impl NatureSuite {
    /// `acompte`, `charge_a_payer`, `solde`: the référentiel's codes.
    pub fn code(self) -> &'static str {
        match self {
            NatureSuite::Acompte => "acompte",
            NatureSuite::ChargeAPayer => "charge_a_payer",
            NatureSuite::Solde => "solde",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            NatureSuite::Acompte => "acompte",
            NatureSuite::ChargeAPayer => "charge à payer",
            NatureSuite::Solde => "solde",
        }
    }
}

/// The right of a validated declaration, as the domain computed it at validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroitFige {
    /// The right, rounded to the cent.
    pub montant: Centimes,
    /// What follows it, by declaration.
    pub suite: NatureSuite,
    /// The acompte, charge à payer or solde, in cents (a negative solde is an indu).
    pub suite_montant: Centimes,
    /// The net payments of the exercise counted in the charge à payer or the solde.
    pub versements_pris_en_compte: Centimes,
    /// `Nf`, the FTE ceiling notified used, exact (`1.5`, or `17/12` when it is no decimal).
    pub etp_notifies: String,
    /// The FTE the Caf validated at the réelle when fewer than declared, with its motivation;
    /// the right rests on them instead of the FTE declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etp_valides: Option<EtpValides>,
    /// The step-by-step computation with the parameters used and their sources.
    pub trace: serde_json::Value,
    #[serde(with = "crate::serde_dates::instant")]
    pub calcule_le: OffsetDateTime,
}

/// « ETP validés »: the FTE a Caf agent retains at the réelle, fewer than those declared, with the
/// reason (Référentiel national de financement de l'AIP, §VI.2: « Le nombre d'heures
/// d'intervention et le nombre de parents accompagnés sont pris en compte dans la validation par
/// la Caf du nombre d'Etp déclaré par le partenaire »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EtpValides {
    pub etp: Etp,
    pub motivation: String,
}

/// Why a frozen right can no longer be relied upon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Peremption {
    /// The convention's FTE ceiling for the exercise is no longer the one used.
    EtpNotifies { fige: String, actuel: String },
    /// Payments of the exercise were made or cancelled since the validation.
    Versements { fige: Centimes, actuels: Centimes },
    /// The declaration was validated before rights were frozen in it.
    SansDroit,
}

impl Peremption {
    /// The reason, in French.
    pub fn raison(&self) -> String {
        match self {
            Peremption::EtpNotifies { fige, actuel } => format!(
                "les ETP notifiés de la convention ont changé depuis la validation ({fige} retenus, {actuel} aujourd'hui)"
            ),
            Peremption::Versements { fige, actuels } => format!(
                "les versements de l'exercice ont changé depuis la validation ({fige} pris en compte, {actuels} aujourd'hui)"
            ),
            Peremption::SansDroit => {
                "la déclaration a été validée sans que son droit y soit figé".to_owned()
            }
        }
    }
}

/// The texts that identify an exact ratio, so that two computations can be compared.
fn texte_exact(r: referentiel::exact::Ratio) -> String {
    r.to_string()
}

impl DroitFige {
    /// Computes the right of `declaration` under `convention` with the payments made so far
    /// (Référentiel national de financement de l'AIP, §VI.1 étapes 1 to 3, and what follows by
    /// declaration, §VI.1 étape 2 and §VI.2 étape 4). The acompte counts no payment.
    pub fn calculer(
        action: &'static str,
        declaration: &Declaration,
        convention: &Convention,
        parametres: &ParametresAip<'_>,
        paiements: &[Paiement],
        etp_valides: Option<EtpValides>,
        quand: OffsetDateTime,
    ) -> Result<DroitFige, Refus> {
        let calcul = |raison: String| Refus::Calcul { action, raison };
        if parametres.exercice != declaration.exercice {
            return Err(Refus::incoherence(
                action,
                format!(
                    "les paramètres fournis sont ceux de {}, la déclaration porte sur {}",
                    parametres.exercice, declaration.exercice
                ),
            ));
        }
        let versements = match declaration.nature {
            NatureDeclaration::Previsionnelle => Centimes::ZERO,
            NatureDeclaration::Actualisee | NatureDeclaration::Reelle => {
                versements_effectues(paiements, convention.id, declaration.exercice)
                    .ok_or_else(|| calcul("total des versements trop grand".to_owned()))?
            }
        };
        let mut entree = declaration.entree_aip(convention, versements.max(Centimes::ZERO))?;
        if let Some(valides) = &etp_valides {
            entree.etp_declares = valides.etp.decimal().map_err(|e| calcul(e.to_string()))?;
        }
        let resultat = aip::calculer(parametres, &entree).map_err(|e| calcul(e.to_string()))?;
        let centimes = |c: i128| Centimes::depuis_i128(c).map_err(|e| calcul(e.to_string()));
        let suite = match resultat.suite {
            Suite::Acompte(_) => NatureSuite::Acompte,
            Suite::ChargeAPayer(_) => NatureSuite::ChargeAPayer,
            Suite::Solde(_) => NatureSuite::Solde,
        };
        Ok(DroitFige {
            montant: centimes(resultat.montant)?,
            suite,
            suite_montant: centimes(resultat.suite.centimes())?,
            versements_pris_en_compte: versements,
            etp_notifies: texte_exact(entree.etp_notifies),
            etp_valides,
            trace: aip::rendu::trace_json(&resultat.trace(parametres)),
            calcule_le: quand,
        })
    }

    /// Whether this right still holds for `declaration` under `convention` given the payments
    /// recorded now: `None` when it does, else why not.
    pub fn peremption(
        &self,
        declaration: &Declaration,
        convention: &Convention,
        paiements: &[Paiement],
    ) -> Result<Option<Peremption>, Refus> {
        let actuel = texte_exact(convention.etp_notifies_moyens(
            declaration.exercice,
            declaration.donnees.mois_fonctionnement,
        )?);
        if actuel != self.etp_notifies {
            return Ok(Some(Peremption::EtpNotifies {
                fige: self.etp_notifies.clone(),
                actuel,
            }));
        }
        if declaration.nature != NatureDeclaration::Previsionnelle {
            let actuels = versements_effectues(paiements, convention.id, declaration.exercice)
                .ok_or_else(|| Refus::Calcul {
                    action: "Vérifier le droit figé",
                    raison: "total des versements trop grand".to_owned(),
                })?;
            if actuels != self.versements_pris_en_compte {
                return Ok(Some(Peremption::Versements {
                    fige: self.versements_pris_en_compte,
                    actuels,
                }));
            }
        }
        Ok(None)
    }
}
