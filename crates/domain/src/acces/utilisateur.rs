//! A user account: identity, role and the territory attached to it, checked for coherence (a Caf
//! agent covers départements, a gestionnaire structures), and the [`Acteur`] it acts as.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{Acteur, Role};
use crate::identifiants::{CodeDepartement, Email, FinanceurId, GestionnaireId, UtilisateurId};

/// An account whose role and territory do not fit together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurUtilisateur {
    #[error("le nom de l'utilisateur est vide")]
    NomVide,
    #[error("un compte {} doit couvrir au moins un département", role.libelle())]
    SansDepartement { role: Role },
    #[error("un compte {} doit être rattaché à au moins une structure", role.libelle())]
    SansStructure { role: Role },
    #[error("un compte financeur doit indiquer le financeur qu'il représente")]
    SansFinanceur,
    #[error("un compte {} ne se rattache pas à {champ}", role.libelle())]
    ChampEnTrop { role: Role, champ: &'static str },
    #[error("ce compte est désactivé")]
    Desactive,
}

/// A user of the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Utilisateur {
    pub id: UtilisateurId,
    pub email: Email,
    pub nom: String,
    pub role: Role,
    /// For `caf` and `financeur`: the départements covered.
    pub departements: BTreeSet<CodeDepartement>,
    /// For `gestionnaire` and `intervenant`: the structures.
    pub gestionnaires: BTreeSet<GestionnaireId>,
    /// For `financeur`: the co-funder represented.
    pub financeur: Option<FinanceurId>,
    pub actif: bool,
}

impl Utilisateur {
    /// Checks that the territory fits the role: a Cnaf account has none (it sees everything); a
    /// Caf account départements only (so does an instance member: those of its instances); a
    /// funder départements and its funder; gestionnaires and
    /// intervenants structures only.
    ///
    /// **Interpretation**: a gestionnaire account may exist before its structure does: it then
    /// sees nothing until it registers its structure, to which it is attached. An intervenant
    /// always belongs to a structure.
    pub fn verifier(&self) -> Result<(), ErreurUtilisateur> {
        if self.nom.trim().is_empty() {
            return Err(ErreurUtilisateur::NomVide);
        }
        let role = self.role;
        let en_trop = |champ| Err(ErreurUtilisateur::ChampEnTrop { role, champ });
        let avec_departements = matches!(role, Role::Caf | Role::Financeur | Role::Membre);
        let avec_structures = matches!(role, Role::Gestionnaire | Role::Intervenant);
        if avec_departements && self.departements.is_empty() {
            return Err(ErreurUtilisateur::SansDepartement { role });
        }
        if !avec_departements && !self.departements.is_empty() {
            return en_trop("des départements");
        }
        if role == Role::Intervenant && self.gestionnaires.is_empty() {
            return Err(ErreurUtilisateur::SansStructure { role });
        }
        if !avec_structures && !self.gestionnaires.is_empty() {
            return en_trop("des structures");
        }
        match (role, self.financeur) {
            (Role::Financeur, None) => Err(ErreurUtilisateur::SansFinanceur),
            (Role::Financeur, Some(_)) | (_, None) => Ok(()),
            (_, Some(_)) => en_trop("un financeur"),
        }
    }

    /// The actor this account acts as, once checked and if active.
    pub fn acteur(&self) -> Result<Acteur, ErreurUtilisateur> {
        self.verifier()?;
        if !self.actif {
            return Err(ErreurUtilisateur::Desactive);
        }
        Ok(Acteur {
            id: self.id,
            role: self.role,
            departements: self.departements.clone(),
            gestionnaires: self.gestionnaires.clone(),
            financeur: self.financeur,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compte(role: Role) -> Utilisateur {
        Utilisateur {
            id: UtilisateurId(1),
            email: Email::parse("agent@caf.fr").unwrap(),
            nom: "Camille Martin".into(),
            role,
            departements: BTreeSet::new(),
            gestionnaires: BTreeSet::new(),
            financeur: None,
            actif: true,
        }
    }

    #[test]
    fn coherence_role_territoire() {
        let d38 = CodeDepartement::parse("38").unwrap();
        assert!(compte(Role::Cnaf).acteur().is_ok());
        assert_eq!(
            compte(Role::Caf).verifier(),
            Err(ErreurUtilisateur::SansDepartement { role: Role::Caf })
        );
        let mut caf = compte(Role::Caf);
        caf.departements.insert(d38);
        assert_eq!(caf.acteur().unwrap().departements.len(), 1);
        caf.gestionnaires.insert(GestionnaireId(4));
        assert!(matches!(
            caf.verifier(),
            Err(ErreurUtilisateur::ChampEnTrop { .. })
        ));

        let mut financeur = compte(Role::Financeur);
        financeur.departements.insert(d38);
        assert_eq!(financeur.verifier(), Err(ErreurUtilisateur::SansFinanceur));
        financeur.financeur = Some(FinanceurId(2));
        assert!(financeur.verifier().is_ok());

        // A gestionnaire may not have registered its structure yet; an intervenant belongs to one.
        let mut gestionnaire = compte(Role::Gestionnaire);
        assert!(gestionnaire.acteur().unwrap().gestionnaires.is_empty());
        assert!(matches!(
            compte(Role::Intervenant).verifier(),
            Err(ErreurUtilisateur::SansStructure { .. })
        ));
        gestionnaire.gestionnaires.insert(GestionnaireId(4));
        gestionnaire.actif = false;
        assert_eq!(gestionnaire.acteur(), Err(ErreurUtilisateur::Desactive));

        let mut cnaf = compte(Role::Cnaf);
        cnaf.departements.insert(d38);
        assert!(matches!(
            cnaf.verifier(),
            Err(ErreurUtilisateur::ChampEnTrop { .. })
        ));
    }
}
