//! The annual reports (bilans) of a convention: the table with the steps open to the user on
//! each, and the gestionnaire's form.

use domain::convention::ActionConvention;
use domain::declaration::{ActionTransmissionOuverte, Bilan};
use maud::{Markup, html};
use store::depot::Lu;

use super::commande::{ActionFormulaire, SaisieBilan};
use super::{Retour, bouton};
use crate::formulaire::{Champ, Clavier};
use crate::session::Connecte;
use crate::vue::{self, Colonne, champ_csrf};

/// The bilans and what the user may do.
pub(super) struct VueBilans {
    pub lignes: Vec<(Bilan, Vec<ActionTransmissionOuverte>)>,
    pub peut_saisir: bool,
}

pub(super) fn charger(
    c: &Connecte,
    ouvertes: &[ActionConvention],
    bilans: &[Lu<Bilan>],
) -> VueBilans {
    VueBilans {
        lignes: bilans
            .iter()
            .map(|b| (b.valeur.clone(), b.valeur.actions_ouvertes(&c.acteur)))
            .collect(),
        peut_saisir: ouvertes.contains(&ActionConvention::SaisirBilan),
    }
}

pub(super) fn tableau(c: &Connecte, vue: &VueBilans, cible: &str) -> Markup {
    let colonnes = [
        Colonne {
            titre: "Exercice",
            nombre: false,
        },
        Colonne {
            titre: "État",
            nombre: false,
        },
        Colonne {
            titre: "Familles",
            nombre: true,
        },
        Colonne {
            titre: "Entretiens",
            nombre: true,
        },
        Colonne {
            titre: "Synthèse",
            nombre: false,
        },
        Colonne {
            titre: "Actions",
            nombre: false,
        },
    ];
    let lignes: Vec<Vec<Markup>> = vue
        .lignes
        .iter()
        .map(|(b, ouvertes)| {
            let cache = html! { input type="hidden" name="bilan" value=(b.id); };
            let actions = html! {
                @if ouvertes.contains(&ActionTransmissionOuverte::Transmettre) {
                    (bouton(c, cible, "transmettre_bilan", "Transmettre", cache.clone(), false))
                }
                @if ouvertes.contains(&ActionTransmissionOuverte::Valider) {
                    (bouton(c, cible, "valider_bilan", "Valider", cache.clone(), false))
                }
            };
            vec![
                html! { (b.exercice) },
                vue::etat_transmission(b.etat()),
                html! { (crate::fr::entier(b.contenu.familles_accompagnees)) },
                html! { (crate::fr::entier(b.contenu.entretiens)) },
                html! { (b.contenu.synthese) },
                actions,
            ]
        })
        .collect();
    html! {
        h2 { "Bilans annuels" }
        (vue::tableau("Bilans", &colonnes, &lignes))
    }
}

pub(super) fn formulaire(c: &Connecte, vue: &VueBilans, cible: &str, retour: Retour<'_>) -> Markup {
    if !vue.peut_saisir {
        return html! {};
    }
    let defaut = SaisieBilan {
        exercice_bilan: "2025".into(),
        familles: "0".into(),
        entretiens_bilan: "0".into(),
        heures_ap: "0".into(),
        synthese: String::new(),
    };
    let s = match retour.saisie {
        Some(ActionFormulaire::SaisirBilan(s)) => s,
        _ => &defaut,
    };
    let x = retour.erreurs;
    html! {
        form method="post" action=(cible) novalidate {
            fieldset {
                legend { "Saisir le bilan annuel" }
                (champ_csrf(c))
                input type="hidden" name="action" value="saisir_bilan";
                (Champ::new("exercice_bilan", "Exercice").erreurs(x).clavier(Clavier::Numerique).requis().texte(&s.exercice_bilan))
                (Champ::new("familles", "Familles accompagnées").erreurs(x).clavier(Clavier::Numerique).requis().texte(&s.familles))
                (Champ::new("entretiens_bilan", "Entretiens").erreurs(x).clavier(Clavier::Numerique).requis().texte(&s.entretiens_bilan))
                (Champ::new("heures_ap", "Heures d'analyse de la pratique").erreurs(x).clavier(Clavier::Numerique).requis().texte(&s.heures_ap))
                (Champ::new("synthese", "Synthèse qualitative").erreurs(x).requis().zone(&s.synthese))
                button type="submit" { "Enregistrer le bilan" }
            }
        }
    }
}
