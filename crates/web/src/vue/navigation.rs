//! The service's main menu by role, and the address of the page's script.

use domain::acces::Role;

/// The sections of the service a role reaches from the main menu: address and name.
pub fn rubriques(role: Role) -> Vec<(&'static str, &'static str)> {
    if role == Role::Membre {
        return vec![
            ("/", "Accueil"),
            ("/coordination", "Coordination"),
            ("/coordination/diagnostic", "Diagnostic"),
        ];
    }
    let mut liens: Vec<(&str, &str)> = vec![("/", "Accueil"), ("/dossiers", "Dossiers")];
    if matches!(role, Role::Caf | Role::Cnaf | Role::Financeur) {
        liens.push(("/comite", "Comité des financeurs"));
    }
    if role != Role::Financeur {
        liens.push(("/structures", "Structures"));
    }
    match role {
        Role::Cnaf => {
            liens.push(("/enveloppes", "Suivi national"));
            liens.push(("/conventions", "Conventions"));
            liens.push(("/paiements", "Paiements"));
        }
        Role::Caf => {
            liens.push(("/services", "Services"));
            liens.push(("/conventions", "Conventions"));
            liens.push(("/paiements", "Paiements"));
            liens.push(("/enveloppes", "Enveloppe"));
        }
        Role::Financeur => {}
        Role::Gestionnaire | Role::Intervenant => {
            liens.push(("/services", "Services"));
            liens.push(("/conventions", "Conventions"));
            liens.push(("/paiements", "Paiements"));
            liens.push(("/activite", "Activité"));
        }
        Role::Membre => {}
    }
    if matches!(role, Role::Cnaf | Role::Caf | Role::Financeur) {
        liens.push(("/coordination", "Coordination"));
        liens.push(("/coordination/diagnostic", "Diagnostic"));
    }
    if matches!(role, Role::Cnaf | Role::Caf) {
        liens.push(("/candidatures", "Expérimentation nationale"));
    }
    match role {
        Role::Gestionnaire | Role::Intervenant => liens.push(("/demandes", "Demandes des parents")),
        Role::Caf | Role::Cnaf => liens.push(("/demandes/statistiques", "Demandes des parents")),
        _ => {}
    }
    if matches!(role, Role::Cnaf | Role::Caf) {
        liens.push(("/evaluation", "Évaluation"));
    } else if matches!(role, Role::Gestionnaire | Role::Intervenant) {
        liens.push(("/evaluation/questionnaires", "Questionnaires"));
    }
    liens.push(("/tableau-de-bord", "Tableau de bord"));
    liens.push(("/courriels", "Courriels"));
    liens.push(("/calcul", "Simulateur"));
    liens
}

/// Where the page's script is served.
pub const ADRESSE_HTMX: &str = "/static/htmx-2.0.11.min.js";
