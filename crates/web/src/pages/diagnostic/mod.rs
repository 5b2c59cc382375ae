//! The departmental coordination's pages (Lettre circulaire Cnaf 2012-093 §3-4; CASF art.
//! L.214-5): the shared diagnosis of the offer with its coverage map (`page`, `carte`), the
//! action plan and the information and communication plan (`plans`). The Cnaf reads every
//! département, a Caf agent or a funder its own; a Caf agent writes the plans of its own.

pub(crate) mod carte;
mod page;
mod plans;

use domain::identifiants::CodeDepartement;
use maud::{Markup, html};

pub use page::{page_diagnostic, telecharger_diagnostic};
pub use plans::{
    enregistrer_action, enregistrer_communication, page_communication, page_plan_action,
    supprimer_action, supprimer_communication,
};

use crate::Etat;
use crate::erreur::ErreurWeb;
use crate::formulaire::Erreurs;
use crate::session::Connecte;

/// The département a page is about, among those the user may read.
#[derive(Debug, Clone)]
pub(crate) struct Territoire {
    pub departement: CodeDepartement,
    pub departements: Vec<CodeDepartement>,
    /// The error of the département asked for, if it is not one of them.
    pub erreurs: Erreurs,
}

impl Territoire {
    /// The département `choix` when the user may read it; else the first of the user's (for the
    /// Cnaf, the first of the AIP experiment's), with an error when one was asked for.
    pub fn lire(etat: &Etat, c: &Connecte, choix: Option<&str>) -> Result<Territoire, ErreurWeb> {
        let departements = etat.plateforme.departements_coordination(&c.acteur);
        let defaut = domain::experimentation::DEPARTEMENTS
            .iter()
            .filter_map(|d| CodeDepartement::parse(d).ok())
            .find(|d| departements.contains(d))
            .or_else(|| departements.first().copied())
            .ok_or_else(|| {
                ErreurWeb::Interdit(
                    "la coordination départementale est réservée aux Caf, à la Cnaf et aux financeurs"
                        .to_owned(),
                )
            })?;
        let mut erreurs = Erreurs::default();
        let texte = choix.unwrap_or_default().trim();
        let departement = if texte.is_empty() {
            defaut
        } else {
            match CodeDepartement::parse(texte) {
                Ok(d) if departements.contains(&d) => d,
                _ => {
                    erreurs.ajouter(
                        "departement",
                        format!("Département : « {texte} » n'est pas un département dont vous suivez la coordination"),
                    );
                    defaut
                }
            }
        };
        Ok(Territoire {
            departement,
            departements,
            erreurs,
        })
    }
}

/// The départements as `(code, « code – nom »)` for a list.
pub(crate) fn options_departements(departements: &[CodeDepartement]) -> Vec<(String, String)> {
    departements
        .iter()
        .map(|d| {
            let nom =
                domain::territoire::departement(*d).map_or_else(String::new, |x| x.nom.clone());
            (d.as_str().to_owned(), format!("{} – {nom}", d.as_str()))
        })
        .collect()
}

/// The links between the three pages of the coordination, for `departement`; `actif` is the
/// current one (marked `aria-current`).
pub(crate) fn liens_coordination(departement: CodeDepartement, actif: &str) -> Markup {
    let pages = [
        ("/coordination/diagnostic", "Diagnostic et couverture"),
        ("/coordination/plan-d-action", "Priorités et plan d'action"),
        (
            "/coordination/communication",
            "Plan d'information et de communication",
        ),
    ];
    html! {
        nav aria-label="Coordination départementale" {
            ul.liens-coordination {
                @for (adresse, nom) in pages {
                    li {
                        a href={ (adresse) "?departement=" (departement.as_str()) }
                            aria-current=[(adresse == actif).then_some("page")] { (nom) }
                    }
                }
            }
        }
    }
}
