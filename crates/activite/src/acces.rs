//! Who may record and who may read activity: an intervenant or a gestionnaire of the structure
//! records its sessions; reads follow the platform's rules (as `app::Filtre`: the Cnaf everything,
//! a Caf or a funder its départements, a structure's staff their structures).

use app::peut_voir;
use domain::Refus;
use domain::acces::{Acteur, Role};
use domain::identifiants::{CodeDepartement, GestionnaireId};
use store::Tx;
use store::activite::perimetre::Perimetre;

use crate::erreur::ErreurActivite;

pub(crate) const ACTION_SAISIE: &str = "Enregistrer un entretien";
pub(crate) const ACTION_IMPORT: &str = "Importer des entretiens";
const RESERVE_STRUCTURE: &str = "aux intervenants et gestionnaires de la structure";

/// Lock keys serialising, on PostgreSQL, the writers of one structure's activity (SQLite has one
/// writer at a time): a session's rank in its family's year is read then written.
const VERROU_ACTIVITE: i64 = 0x0AC7_0000_0000;

/// Référentiel national de financement de l'AIP §III.1: the intervenant holds the sessions; the gestionnaire declares the activity
/// (§IV.4). Both record the sessions of their own structures; nobody else does.
pub(crate) fn exiger_saisie(
    acteur: &Acteur,
    gestionnaire: GestionnaireId,
    action: &'static str,
) -> Result<(), Refus> {
    match acteur.role {
        Role::Intervenant | Role::Gestionnaire => {
            if acteur.gestionnaires.contains(&gestionnaire) {
                Ok(())
            } else {
                Err(Refus::Structure { action })
            }
        }
        Role::Cnaf => Err(Refus::CnafConsultation { action }),
        role => Err(Refus::Role {
            action,
            reservee_a: RESERVE_STRUCTURE,
            role,
        }),
    }
}

/// The département of a structure (its seat), which its activity is counted in.
pub(crate) async fn departement_de(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
) -> Result<CodeDepartement, ErreurActivite> {
    let departement = store::activite::structures::departement(tx, gestionnaire.0)
        .await?
        .ok_or(ErreurActivite::GestionnaireInconnu(gestionnaire.0))?;
    CodeDepartement::parse(&departement)
        .map_err(|e| store::ErreurStore::Donnee(e.to_string()).into())
}

/// Reading one structure's figures.
pub(crate) fn exiger_lecture(
    acteur: &Acteur,
    departement: CodeDepartement,
    gestionnaire: GestionnaireId,
) -> Result<(), ErreurActivite> {
    if peut_voir(acteur, departement, gestionnaire) {
        Ok(())
    } else {
        Err(ErreurActivite::Interdit(format!(
            "l'activité de cette structure (département {departement}) n'est pas dans votre \
             périmètre ({})",
            acteur.role.libelle()
        )))
    }
}

/// Takes the structure's write lock for the rest of the transaction.
pub(crate) async fn verrouiller(
    tx: &mut Tx,
    gestionnaire: GestionnaireId,
) -> Result<(), ErreurActivite> {
    tx.verrou_ecriture(VERROU_ACTIVITE + gestionnaire.0).await?;
    Ok(())
}

/// What a read covers: what an actor may see, or one structure (the rules' own reads).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Portee<'a> {
    Acteur(&'a Acteur),
    Structure(GestionnaireId),
}

impl Portee<'_> {
    /// The rows it covers, for the store's reads: what the platform's rules let the actor see
    /// (as `app::Filtre::pour`: the Cnaf everything, a Caf or a funder its départements, a
    /// structure's staff their structures), or the one structure.
    pub(crate) fn perimetre(&self) -> Perimetre {
        match self {
            Portee::Acteur(a) => match a.role {
                Role::Cnaf => Perimetre::Tout,
                Role::Caf | Role::Financeur => Perimetre::Departements(
                    a.departements
                        .iter()
                        .map(|d| d.as_str().to_owned())
                        .collect(),
                ),
                Role::Gestionnaire | Role::Intervenant => {
                    Perimetre::Structures(a.gestionnaires.iter().map(|g| g.0).collect())
                }
                // An instance member reads no structure's activity.
                Role::Membre => Perimetre::Structures(Vec::new()),
            },
            Portee::Structure(g) => Perimetre::Structure(g.0),
        }
    }

    /// Whether the filter reads départements only (the Cnaf, a Caf, a funder), so that the
    /// aggregates summed by département can answer a read that shows no structure.
    pub(crate) fn par_departement(&self) -> bool {
        match self {
            Portee::Acteur(a) => matches!(a.role, Role::Cnaf | Role::Caf | Role::Financeur),
            Portee::Structure(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::identifiants::{FinanceurId, UtilisateurId};
    use store::Valeur;

    #[test]
    fn qui_enregistre() {
        let g = GestionnaireId(1);
        let d38 = CodeDepartement::parse("38").unwrap();
        assert!(
            exiger_saisie(
                &Acteur::intervenant(UtilisateurId(1), [g]),
                g,
                ACTION_SAISIE
            )
            .is_ok()
        );
        assert!(
            exiger_saisie(
                &Acteur::gestionnaire(UtilisateurId(1), [g]),
                g,
                ACTION_SAISIE
            )
            .is_ok()
        );
        let autre = exiger_saisie(
            &Acteur::intervenant(UtilisateurId(1), [GestionnaireId(2)]),
            g,
            ACTION_SAISIE,
        )
        .unwrap_err();
        assert!(matches!(autre, Refus::Structure { .. }));
        for acteur in [
            Acteur::caf(UtilisateurId(2), [d38]),
            Acteur::financeur(UtilisateurId(3), FinanceurId(1), [d38]),
            Acteur::cnaf(UtilisateurId(4)),
        ] {
            let r = exiger_saisie(&acteur, g, ACTION_SAISIE).unwrap_err();
            assert!(r.est_un_refus_d_acces(), "{r}");
        }
    }

    #[test]
    fn perimetre_des_regles_de_la_plateforme() {
        // The perimeter of an actor covers what `app::Filtre::pour` lets it see: the same
        // column, the same values, in the same order.
        let d38 = CodeDepartement::parse("38").unwrap();
        let d73 = CodeDepartement::parse("73").unwrap();
        let acteurs = [
            Acteur::cnaf(UtilisateurId(1)),
            Acteur::caf(UtilisateurId(2), [d38, d73]),
            Acteur::caf(UtilisateurId(3), []),
            Acteur::financeur(UtilisateurId(4), FinanceurId(1), [d73]),
            Acteur::gestionnaire(UtilisateurId(5), [GestionnaireId(2), GestionnaireId(1)]),
            Acteur::intervenant(UtilisateurId(6), [GestionnaireId(3)]),
        ];
        let condition =
            |acteur: &Acteur| app::Filtre::pour(acteur, "departement", "gestionnaire_id").condition;
        let tout = condition(&Acteur::cnaf(UtilisateurId(9)));
        let rien = condition(&Acteur::gestionnaire(UtilisateurId(9), []));
        assert_ne!(tout, rien);
        for acteur in &acteurs {
            let filtre = app::Filtre::pour(acteur, "departement", "gestionnaire_id");
            let (colonne, valeurs): (Option<&str>, Vec<Valeur>) =
                match Portee::Acteur(acteur).perimetre() {
                    Perimetre::Tout => (None, Vec::new()),
                    Perimetre::Departements(d) => (
                        Some("departement"),
                        d.into_iter().map(Valeur::Texte).collect(),
                    ),
                    Perimetre::Structures(g) => (
                        Some("gestionnaire_id"),
                        g.into_iter().map(Valeur::Entier).collect(),
                    ),
                    Perimetre::Structure(_) => panic!("un acteur n'a pas une seule structure"),
                };
            assert_eq!(filtre.params, valeurs, "{:?}", acteur.role);
            match colonne {
                None => assert_eq!(filtre.condition, tout),
                Some(_) if valeurs.is_empty() => assert_eq!(filtre.condition, rien),
                Some(c) => assert!(filtre.condition.contains(c), "{}", filtre.condition),
            }
        }
        assert_eq!(
            Portee::Structure(GestionnaireId(7)).perimetre(),
            Perimetre::Structure(7)
        );
    }
}
