//! Who acts: the roles of the platform, the acting user ([`Acteur`]) with the territory it covers,
//! and the checks every transition runs before touching a record (role first, then territory).

mod utilisateur;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::identifiants::{CodeDepartement, FinanceurId, GestionnaireId, UtilisateurId};
use crate::refus::Refus;

pub use utilisateur::{ErreurUtilisateur, Utilisateur};

/// The role of a user (docs/glossaire.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// National fund: reads everything, acts on no local dossier.
    Cnaf,
    /// Agent of the Caf of one or more départements: instructs, decides, signs, validates, pays.
    Caf,
    /// Agent of a co-funder (State, département, MSA, commune…): records its own funder's decision.
    Financeur,
    /// Staff of a partner organisation: writes its dossiers and declarations.
    Gestionnaire,
    /// Professional holding the sessions: reads its structure's records.
    Intervenant,
    /// Member of a departmental coordination instance who is neither a Caf agent nor a funder's
    /// (a préfet's, a mayor's, an association's representative): reads the séances, convocations
    /// and minutes of the instances it sits on, answers its convocations and comments on minutes.
    Membre,
}

impl Role {
    pub const TOUS: [Role; 6] = [
        Role::Cnaf,
        Role::Caf,
        Role::Financeur,
        Role::Gestionnaire,
        Role::Intervenant,
        Role::Membre,
    ];

    /// `cnaf`, `caf`, `financeur`, `gestionnaire`, `intervenant`, `membre`.
    pub fn code(self) -> &'static str {
        match self {
            Role::Cnaf => "cnaf",
            Role::Caf => "caf",
            Role::Financeur => "financeur",
            Role::Gestionnaire => "gestionnaire",
            Role::Intervenant => "intervenant",
            Role::Membre => "membre",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Role> {
        Role::TOUS.into_iter().find(|r| r.code() == code)
    }

    pub fn libelle(self) -> &'static str {
        match self {
            Role::Cnaf => "Cnaf",
            Role::Caf => "agent de Caf",
            Role::Financeur => "financeur",
            Role::Gestionnaire => "gestionnaire",
            Role::Intervenant => "intervenant",
            Role::Membre => "membre d'instance",
        }
    }
}

/// The user performing an action, as the domain needs it: its role and what it covers.
///
/// - `departements`: for `caf` and `financeur`, the départements it acts on;
/// - `gestionnaires`: for `gestionnaire` and `intervenant`, the structures it belongs to;
/// - `financeur`: for `financeur`, the co-funder it speaks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acteur {
    pub id: UtilisateurId,
    pub role: Role,
    pub departements: BTreeSet<CodeDepartement>,
    pub gestionnaires: BTreeSet<GestionnaireId>,
    pub financeur: Option<FinanceurId>,
}

impl Acteur {
    fn vide(id: UtilisateurId, role: Role) -> Acteur {
        Acteur {
            id,
            role,
            departements: BTreeSet::new(),
            gestionnaires: BTreeSet::new(),
            financeur: None,
        }
    }

    pub fn cnaf(id: UtilisateurId) -> Acteur {
        Acteur::vide(id, Role::Cnaf)
    }

    pub fn caf(
        id: UtilisateurId,
        departements: impl IntoIterator<Item = CodeDepartement>,
    ) -> Acteur {
        Acteur {
            departements: departements.into_iter().collect(),
            ..Acteur::vide(id, Role::Caf)
        }
    }

    pub fn financeur(
        id: UtilisateurId,
        financeur: FinanceurId,
        departements: impl IntoIterator<Item = CodeDepartement>,
    ) -> Acteur {
        Acteur {
            departements: departements.into_iter().collect(),
            financeur: Some(financeur),
            ..Acteur::vide(id, Role::Financeur)
        }
    }

    pub fn gestionnaire(
        id: UtilisateurId,
        gestionnaires: impl IntoIterator<Item = GestionnaireId>,
    ) -> Acteur {
        Acteur {
            gestionnaires: gestionnaires.into_iter().collect(),
            ..Acteur::vide(id, Role::Gestionnaire)
        }
    }

    pub fn intervenant(
        id: UtilisateurId,
        gestionnaires: impl IntoIterator<Item = GestionnaireId>,
    ) -> Acteur {
        Acteur {
            gestionnaires: gestionnaires.into_iter().collect(),
            ..Acteur::vide(id, Role::Intervenant)
        }
    }

    /// A member of the coordination instance of `departements` (see [`Role::Membre`]).
    pub fn membre(
        id: UtilisateurId,
        departements: impl IntoIterator<Item = CodeDepartement>,
    ) -> Acteur {
        Acteur {
            departements: departements.into_iter().collect(),
            ..Acteur::vide(id, Role::Membre)
        }
    }

    /// Whether the actor may read a record of `departement` belonging to `gestionnaire`: the Cnaf
    /// everything, Caf agents and funders their départements, gestionnaires and intervenants
    /// their structures.
    pub fn peut_consulter(
        &self,
        departement: CodeDepartement,
        gestionnaire: GestionnaireId,
    ) -> bool {
        match self.role {
            Role::Cnaf => true,
            Role::Caf | Role::Financeur => self.departements.contains(&departement),
            Role::Gestionnaire | Role::Intervenant => self.gestionnaires.contains(&gestionnaire),
            Role::Membre => false,
        }
    }
}

/// Who may do what, in the words of the refusals.
pub(crate) const RESERVE_CAF: &str = "aux agents de la Caf du département";
pub(crate) const RESERVE_GESTIONNAIRE: &str = "au gestionnaire de la structure";
pub(crate) const RESERVE_FINANCEURS: &str = "aux financeurs, chacun pour sa propre décision";

pub(crate) fn refus_de_role(
    acteur: &Acteur,
    action: &'static str,
    reservee_a: &'static str,
) -> Refus {
    if acteur.role == Role::Cnaf {
        Refus::CnafConsultation { action }
    } else {
        Refus::Role {
            action,
            reservee_a,
            role: acteur.role,
        }
    }
}

/// A Caf agent, whatever the département: for actions over a whole territory (a payment run),
/// each record of which is then checked with [`exiger_agent_caf`].
pub fn exiger_role_caf(acteur: &Acteur, action: &'static str) -> Result<(), Refus> {
    if acteur.role != Role::Caf {
        return Err(refus_de_role(acteur, action, RESERVE_CAF));
    }
    Ok(())
}

/// A Caf agent of `departement` (Référentiel national de financement de l'AIP §IV.3-4: the Caf instructs, signs, validates, pays).
pub(crate) fn exiger_agent_caf(
    acteur: &Acteur,
    action: &'static str,
    departement: CodeDepartement,
) -> Result<(), Refus> {
    if acteur.role != Role::Caf {
        return Err(refus_de_role(acteur, action, RESERVE_CAF));
    }
    if !acteur.departements.contains(&departement) {
        return Err(Refus::Territoire {
            action,
            departement,
        });
    }
    Ok(())
}

/// A gestionnaire user of the structure `gestionnaire` (the porteur de projet, Référentiel national de financement de l'AIP §IV.3).
pub(crate) fn exiger_gestionnaire(
    acteur: &Acteur,
    action: &'static str,
    gestionnaire: GestionnaireId,
) -> Result<(), Refus> {
    if acteur.role != Role::Gestionnaire {
        return Err(refus_de_role(acteur, action, RESERVE_GESTIONNAIRE));
    }
    if !acteur.gestionnaires.contains(&gestionnaire) {
        return Err(Refus::Structure { action });
    }
    Ok(())
}

/// A funder's agent of `departement` speaking for `financeur`.
pub(crate) fn exiger_financeur(
    acteur: &Acteur,
    action: &'static str,
    departement: CodeDepartement,
    financeur: FinanceurId,
) -> Result<(), Refus> {
    if acteur.role != Role::Financeur {
        return Err(refus_de_role(acteur, action, RESERVE_FINANCEURS));
    }
    if !acteur.departements.contains(&departement) {
        return Err(Refus::Territoire {
            action,
            departement,
        });
    }
    if acteur.financeur != Some(financeur) {
        return Err(Refus::Financeur { action });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_des_roles() {
        for r in Role::TOUS {
            assert_eq!(Role::depuis_code(r.code()), Some(r));
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.code())
            );
        }
        assert_eq!(Role::depuis_code("admin"), None);
    }

    #[test]
    fn consultation() {
        let d38 = CodeDepartement::parse("38").unwrap();
        let d30 = CodeDepartement::parse("30").unwrap();
        let g = GestionnaireId(1);
        assert!(Acteur::cnaf(UtilisateurId(1)).peut_consulter(d30, g));
        let caf = Acteur::caf(UtilisateurId(2), [d38]);
        assert!(caf.peut_consulter(d38, g));
        assert!(!caf.peut_consulter(d30, g));
        let gest = Acteur::gestionnaire(UtilisateurId(3), [g]);
        assert!(gest.peut_consulter(d30, g));
        assert!(!gest.peut_consulter(d38, GestionnaireId(2)));
    }
}
