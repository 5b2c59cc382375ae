//! Assigning a dossier to the Caf agent who follows it (« suivi par »): who may assign, to whom,
//! in which states, and what the audit says.

use domain::acces::{Role, Utilisateur};
use domain::dossier::EtatDossier;
use domain::identifiants::{Email, UtilisateurId};
use time::macros::date;

use crate::commun::*;

fn agent(id: i64, nom: &str, role: Role, departement: &str) -> Utilisateur {
    Utilisateur {
        id: UtilisateurId(id),
        email: Email::parse(&format!("agent{id}@caf.fr")).unwrap(),
        nom: nom.to_owned(),
        role,
        departements: [d(departement)].into_iter().collect(),
        gestionnaires: Default::default(),
        financeur: None,
        actif: true,
    }
}

fn collegue() -> Utilisateur {
    agent(12, "Camille Martin", Role::Caf, "38")
}

#[test]
fn seul_un_agent_caf_du_departement_attribue() {
    let (dossier, _) = dossier_a(EtatDossier::Depose);
    let collegue = collegue();
    verifier_acces(Autorise::Caf, |a| {
        dossier.attribuer(a, Some(&collegue), le(date!(2024 - 01 - 20)))
    });
}

#[test]
fn l_attribution_est_auditee_avec_le_nom_de_l_agent() {
    let (dossier, _) = dossier_a(EtatDossier::EnInstruction);
    let collegue = collegue();
    let t = dossier
        .attribuer(&caf38(), Some(&collegue), le(date!(2024 - 01 - 20)))
        .unwrap();
    assert_eq!(t.apres.suivi_par, Some(UtilisateurId(12)));
    assert_eq!(t.apres.version, dossier.version + 1);
    assert_eq!(t.apres.etat, dossier.etat);
    assert_eq!(t.audit.action, "attribuer");
    assert!(
        t.audit.description.contains("Camille Martin"),
        "{}",
        t.audit.description
    );
    // Withdrawing the assignment.
    let retrait = t
        .apres
        .attribuer(&caf38(), None, le(date!(2024 - 01 - 21)))
        .unwrap();
    assert_eq!(retrait.apres.suivi_par, None);
    assert_eq!(retrait.audit.description, "attribution du dossier retirée");
}

#[test]
fn l_agent_attribue_doit_etre_un_agent_caf_actif_du_departement() {
    let (dossier, _) = dossier_a(EtatDossier::Depose);
    let quand = le(date!(2024 - 01 - 20));
    let autre_departement = agent(13, "Alex Durand", Role::Caf, "30");
    refus(
        dossier.attribuer(&caf38(), Some(&autre_departement), quand),
        "condition",
        "Alex Durand n'est pas un agent de la Caf du département 38",
    );
    let financeur = agent(14, "Dominique Roy", Role::Financeur, "38");
    refus(
        dossier.attribuer(&caf38(), Some(&financeur), quand),
        "condition",
        "Dominique Roy",
    );
    let mut inactif = collegue();
    inactif.actif = false;
    refus(
        dossier.attribuer(&caf38(), Some(&inactif), quand),
        "condition",
        "Camille Martin",
    );
}

#[test]
fn un_brouillon_ou_un_dossier_decide_ne_s_attribue_pas() {
    let collegue = collegue();
    for etat in [
        EtatDossier::Brouillon,
        EtatDossier::Valide,
        EtatDossier::Retire,
    ] {
        let (dossier, _) = dossier_a(etat);
        refus(
            dossier.attribuer(&caf38(), Some(&collegue), le(date!(2024 - 03 - 20))),
            "etat",
            "",
        );
    }
}
