//! A place where a gestionnaire receives parents, with its commune and the ways parents can reach
//! the service there (Référentiel national de financement de l'AIP §II.1: by appointment and walk-in; §II.3: video and phone possible).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::Adresse;
use crate::identifiants::{GestionnaireId, LieuId};
use crate::refus::Refus;
use crate::texte::vide;

/// How parents can meet the intervenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModaliteAccueil {
    /// On appointment.
    SurRendezVous,
    /// Walk-in hours (permanence sans rendez-vous).
    SansRendezVous,
    Visio,
    Telephone,
}

impl ModaliteAccueil {
    pub fn code(self) -> &'static str {
        match self {
            ModaliteAccueil::SurRendezVous => "sur_rendez_vous",
            ModaliteAccueil::SansRendezVous => "sans_rendez_vous",
            ModaliteAccueil::Visio => "visio",
            ModaliteAccueil::Telephone => "telephone",
        }
    }

    /// As people read it.
    pub fn libelle(self) -> &'static str {
        match self {
            ModaliteAccueil::SurRendezVous => "sur rendez-vous",
            ModaliteAccueil::SansRendezVous => "permanence sans rendez-vous",
            ModaliteAccueil::Visio => "visioconférence",
            ModaliteAccueil::Telephone => "téléphone",
        }
    }
}

/// A place of reception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lieu {
    pub id: LieuId,
    pub gestionnaire: GestionnaireId,
    pub nom: String,
    pub adresse: Adresse,
    pub modalites: BTreeSet<ModaliteAccueil>,
}

impl Lieu {
    pub fn verifier(&self) -> Result<(), Refus> {
        const ACTION: &str = "Enregistrer le lieu d'accueil";
        if vide(&self.nom) {
            return Err(Refus::Incomplet {
                action: ACTION,
                champs: vec!["nom du lieu"],
            });
        }
        crate::texte::controler(ACTION, "Nom du lieu", &self.nom, false)?;
        self.adresse.verifier(ACTION)?;
        if self.modalites.is_empty() {
            return Err(Refus::Incomplet {
                action: ACTION,
                champs: vec!["modalités d'accueil"],
            });
        }
        Ok(())
    }

    /// Whether parents can come both by appointment and without one, as the AIP expects
    /// (Référentiel national de financement de l'AIP §II.1, « Sur rdv ou en permanence sans rdv »: both modes, to answer quickly).
    /// A conformity point for the Caf's instruction, not a blocker at registration.
    pub fn offre_rendez_vous_et_permanence(&self) -> bool {
        self.modalites.contains(&ModaliteAccueil::SurRendezVous)
            && self.modalites.contains(&ModaliteAccueil::SansRendezVous)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifiants::CodeInsee;

    #[test]
    fn verification_et_modalites() {
        let mut lieu = Lieu {
            id: LieuId(1),
            gestionnaire: GestionnaireId(1),
            nom: "Espace parents Mistral".into(),
            adresse: Adresse {
                voie: "3 place Pierre Mendès France".into(),
                complement: None,
                code_postal: "38100".into(),
                commune: CodeInsee::parse("38185").unwrap(),
            },
            modalites: BTreeSet::new(),
        };
        assert!(
            lieu.verifier()
                .unwrap_err()
                .raison()
                .contains("modalités d'accueil")
        );
        lieu.modalites.insert(ModaliteAccueil::SurRendezVous);
        assert!(lieu.verifier().is_ok());
        assert!(!lieu.offre_rendez_vous_et_permanence());
        lieu.modalites.insert(ModaliteAccueil::SansRendezVous);
        assert!(lieu.offre_rendez_vous_et_permanence());
        assert_eq!(
            serde_json::to_value(&lieu).unwrap()["modalites"],
            serde_json::json!(["sur_rendez_vous", "sans_rendez_vous"])
        );
    }
}
