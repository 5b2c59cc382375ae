//! What each user may see: the Cnaf everything; a Caf agent or a funder its départements (a
//! funder only the dossiers that reached the comité); a gestionnaire or an intervenant its own
//! structures. Expressed once, as an SQL condition for lists and as a check for single records.

use domain::acces::{Acteur, Role};
use domain::identifiants::{CodeDepartement, GestionnaireId};
use store::Valeur;

/// An SQL condition with its parameters, numbered from `$1`.
#[derive(Debug, Clone)]
pub struct Filtre {
    pub condition: String,
    pub params: Vec<Valeur>,
}

impl Filtre {
    fn dans(colonne: &str, valeurs: Vec<Valeur>) -> Filtre {
        if valeurs.is_empty() {
            return Filtre {
                condition: "1 = 0".to_owned(),
                params: Vec::new(),
            };
        }
        let marques: Vec<String> = (1..=valeurs.len()).map(|i| format!("${i}")).collect();
        Filtre {
            condition: format!("{colonne} IN ({})", marques.join(", ")),
            params: valeurs,
        }
    }

    /// What `acteur` may see of a table whose territory is in `col_departement` and whose
    /// structure is in `col_gestionnaire`.
    pub fn pour(acteur: &Acteur, col_departement: &str, col_gestionnaire: &str) -> Filtre {
        match acteur.role {
            Role::Cnaf => Filtre {
                condition: "1 = 1".to_owned(),
                params: Vec::new(),
            },
            Role::Caf | Role::Financeur => Filtre::dans(
                col_departement,
                acteur
                    .departements
                    .iter()
                    .map(|d| Valeur::Texte(d.as_str().to_owned()))
                    .collect(),
            ),
            Role::Gestionnaire | Role::Intervenant => Filtre::dans(
                col_gestionnaire,
                acteur
                    .gestionnaires
                    .iter()
                    .map(|g| Valeur::Entier(g.0))
                    .collect(),
            ),
        }
    }

    /// Adds `AND condition` with its own parameters, renumbered after the existing ones.
    pub fn et(mut self, condition: &str, params: Vec<Valeur>) -> Filtre {
        let decalage = self.params.len();
        let mut c = condition.to_owned();
        for i in (1..=params.len()).rev() {
            c = c.replace(&format!("${i}"), &format!("${}", i + decalage));
        }
        self.condition = format!("({}) AND ({c})", self.condition);
        self.params.extend(params);
        self
    }
}

/// Whether `acteur` may see a record of `departement` belonging to `gestionnaire`.
pub fn peut_voir(
    acteur: &Acteur,
    departement: CodeDepartement,
    gestionnaire: GestionnaireId,
) -> bool {
    match acteur.role {
        Role::Cnaf => true,
        Role::Caf | Role::Financeur => acteur.departements.contains(&departement),
        Role::Gestionnaire | Role::Intervenant => acteur.gestionnaires.contains(&gestionnaire),
    }
}

/// The dossier states a funder sees: those the comité examines or has decided.
pub const ETATS_VUS_PAR_FINANCEUR: [&str; 3] = ["presente_en_comite", "valide", "refuse"];
