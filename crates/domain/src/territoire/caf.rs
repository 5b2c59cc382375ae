//! The Caf: one per département (docs/glossaire.md), named after it, and whether it takes part in the
//! AIP experiment.

use serde::{Deserialize, Serialize};

use super::departements::{Departement, departement};
use crate::identifiants::CodeDepartement;

/// The caisse d'allocations familiales of one département.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caf {
    pub departement: CodeDepartement,
    /// « Caf de l'Isère ».
    pub nom: String,
    pub experimentation_aip: bool,
}

impl Caf {
    pub fn du_departement(departement: &Departement) -> Caf {
        Caf {
            departement: departement.code,
            nom: format!("Caf {}", departement.nom_precede_de()),
            experimentation_aip: departement.experimentation_aip,
        }
    }

    /// The Caf of the département `code`.
    pub fn de(code: CodeDepartement) -> Option<Caf> {
        departement(code).map(Caf::du_departement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noms() {
        let caf = Caf::de(CodeDepartement::parse("38").unwrap()).unwrap();
        assert_eq!(caf.nom, "Caf de l'Isère");
        assert!(caf.experimentation_aip);
        let caf = Caf::de(CodeDepartement::parse("79").unwrap()).unwrap();
        assert_eq!(caf.nom, "Caf des Deux-Sèvres");
        assert!(
            !Caf::de(CodeDepartement::parse("75").unwrap())
                .unwrap()
                .experimentation_aip
        );
    }
}
