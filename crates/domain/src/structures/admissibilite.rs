//! Eligibility that decides: a gestionnaire whose legal status or activity the scheme's texts
//! exclude cannot have a dossier submitted, validated, conventioned or paid. The check yields an
//! [`Admissible`] proof that those transitions require, so that no caller (page, API, command
//! line, import) can reach them without it. For the AIP the proof also lists the commitments the
//! Caf has not checked conforme, which the comité can validate only with a motivated override.

use referentiel::conformite::{StructureAip, Verdict, verifier_structure};

use super::{Engagement, EtatEngagement, Gestionnaire};
use crate::appel_a_projets::Dispositif;
use crate::identifiants::GestionnaireId;
use crate::refus::Refus;

/// Proof that a gestionnaire was checked admissible to a scheme. Built only by
/// [`Gestionnaire::admissible`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admissible {
    gestionnaire: GestionnaireId,
    dispositif: Dispositif,
    /// AIP: the applicable commitments not checked conforme by the Caf, with where each stands
    /// (empty for the other schemes).
    engagements_non_conformes: Vec<(Engagement, EtatEngagement)>,
}

impl Admissible {
    /// Refuses unless this proof is about `gestionnaire` and `dispositif`.
    pub(crate) fn exiger(
        &self,
        action: &'static str,
        gestionnaire: GestionnaireId,
        dispositif: Dispositif,
    ) -> Result<(), Refus> {
        if self.gestionnaire != gestionnaire || self.dispositif != dispositif {
            return Err(Refus::incoherence(
                action,
                "l'éligibilité vérifiée porte sur une autre structure ou un autre dispositif",
            ));
        }
        Ok(())
    }

    /// The commitments of the structure the Caf has not checked conforme (AIP only), which the
    /// comité can override only with a motivated reason.
    pub fn engagements_non_conformes(&self) -> &[(Engagement, EtatEngagement)] {
        &self.engagements_non_conformes
    }
}

impl Gestionnaire {
    /// Checks that the texts of `dispositif` do not exclude this structure.
    ///
    /// AIP: Référentiel national de financement de l'AIP, §II.2 — statuses other than
    /// associations, social, medico-social or health establishments and local authorities are
    /// not eligible, and neither are PAEJ, maisons des adolescents, services of the programme de
    /// réussite éducative and specialised medico-social services, « quel que soit leur statut ».
    /// Commitments are checked by the Caf at instruction; they are not exclusions here (the
    /// proof lists those not checked conforme, for the comité's decision). The other schemes
    /// have no such exclusion in the texts the platform carries.
    pub fn admissible(
        &self,
        dispositif: Dispositif,
        action: &'static str,
    ) -> Result<Admissible, Refus> {
        let mut engagements_non_conformes = Vec::new();
        if dispositif == Dispositif::Aip {
            engagements_non_conformes = self.engagements_non_conformes();
            let rapport = verifier_structure(&StructureAip::new(
                self.statut.vers_referentiel(),
                self.activite.vers_referentiel(),
            ));
            if let Some(exclusion) = rapport
                .constats
                .iter()
                .find(|c| c.verdict == Verdict::NonEligible)
            {
                return Err(Refus::NonEligible {
                    action,
                    raison: exclusion.message.clone(),
                    paragraphe: exclusion.source,
                });
            }
        }
        Ok(Admissible {
            gestionnaire: self.id,
            dispositif,
            engagements_non_conformes,
        })
    }
}
