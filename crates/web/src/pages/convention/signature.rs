//! The signature of a convention: where it stands (signed by the structure, awaiting the Caf's
//! countersignature, ended unsigned), the gestionnaire's form (reading the convention, explicit
//! acceptance) and the Caf agent's form (date of the signature, or of the countersignature).

use domain::convention::{ActionConvention, Convention, EtatConvention};
use maud::{Markup, html};
use time::Date;

use super::Retour;
use super::commande::ActionFormulaire;
use crate::formulaire::Champ;
use crate::fr;
use crate::session::Connecte;
use crate::vue::champ_csrf;

/// What the page says and offers about the signature.
pub(super) struct VueSignature {
    /// Who signed for the structure, and when.
    pub par_la_structure: Option<(String, Date)>,
    pub en_projet: bool,
    /// The gestionnaire may sign now.
    pub gestionnaire_peut_signer: bool,
    /// The gestionnaire of a convention in projet that ended unsigned: the date it ended.
    pub terminee_sans_signature: Option<Date>,
    /// The Caf agent may record the signature: the countersignature when the structure signed.
    pub caf_peut_signer: bool,
    pub aujourd_hui: Date,
}

impl VueSignature {
    pub fn de(
        c: &Connecte,
        v: &Convention,
        ouvertes: &[ActionConvention],
        aujourd_hui: Date,
    ) -> VueSignature {
        let gestionnaire_peut_signer = ouvertes.contains(&ActionConvention::SignerParGestionnaire);
        // Closed to the gestionnaire only because the convention ended: the guard tells.
        let terminee_sans_signature = (!gestionnaire_peut_signer
            && v.signature_gestionnaire.is_none()
            && v.exiger_signature_gestionnaire_ouverte(&c.acteur, "Signer la convention", v.fin)
                .is_ok()
            && aujourd_hui > v.fin)
            .then_some(v.fin);
        VueSignature {
            par_la_structure: v
                .signature_gestionnaire
                .as_ref()
                .map(|s| (s.nom.clone(), s.le.date())),
            en_projet: v.etat == EtatConvention::Projet,
            gestionnaire_peut_signer,
            terminee_sans_signature,
            caf_peut_signer: ouvertes.contains(&ActionConvention::Signer),
            aujourd_hui,
        }
    }
}

/// Where the signature stands, and the gestionnaire's form.
pub(super) fn bloc(
    c: &Connecte,
    vue: &VueSignature,
    v: &Convention,
    cible: &str,
    retour: Retour<'_>,
) -> Markup {
    html! {
        @if let Some((nom, le)) = &vue.par_la_structure {
            div.encadre.succes role="status" {
                p {
                    "Signée par la structure (" (nom) ") le " (fr::date(*le))
                    @if vue.en_projet { ", en attente de la contresignature de la Caf" }
                    "."
                }
            }
        } @else if let Some(fin) = vue.terminee_sans_signature {
            div.encadre.alerte role="status" {
                p {
                    "Cette convention a pris fin le " (fr::date(fin))
                    " sans avoir été signée: elle ne peut plus l'être. Rapprochez-vous de votre Caf."
                }
            }
        } @else if vue.gestionnaire_peut_signer {
            h2 { "Convention à signer" }
            p { "Votre Caf a établi cette convention: lisez-la, puis signez-la; la Caf la contresignera." }
            p { a.bouton.secondaire href={ "/conventions/" (v.id) "/convention.pdf" } { "Lire la convention (PDF)" } }
            form method="post" action=(cible) novalidate {
                fieldset {
                    legend { "Signer la convention" }
                    (champ_csrf(c))
                    input type="hidden" name="action" value="signer_gestionnaire";
                    (Champ::new("accepte", "J'ai lu et j'accepte les termes de la convention d'objectifs et de financement")
                        .erreurs(retour.erreurs)
                        .case(false))
                    p.aide {
                        "Vous signez au nom de la structure, en tant que " (c.utilisateur.nom)
                        "; la date et l'heure de votre signature sont enregistrées."
                    }
                    button type="submit" { "Signer la convention" }
                }
            }
        }
    }
}

/// The Caf agent's form: the signature by both parties, or the countersignature.
pub(super) fn formulaire_caf(
    c: &Connecte,
    vue: &VueSignature,
    cible: &str,
    retour: Retour<'_>,
) -> Markup {
    if !vue.caf_peut_signer {
        return html! {};
    }
    let (legende, libelle, defaut) = match &vue.par_la_structure {
        Some(_) => (
            "Contresigner la convention",
            "Date de la contresignature",
            vue.aujourd_hui.to_string(),
        ),
        None => (
            "Signature",
            "Date de signature par les deux parties",
            String::new(),
        ),
    };
    let valeur = match retour.saisie {
        Some(ActionFormulaire::Signer { date_signature }) => date_signature.clone(),
        _ => defaut,
    };
    html! {
        form method="post" action=(cible) novalidate {
            fieldset {
                legend { (legende) }
                (champ_csrf(c))
                input type="hidden" name="action" value="signer";
                (Champ::new("date_signature", libelle).erreurs(retour.erreurs).requis().saisie("date", &valeur))
                button type="submit" { "Enregistrer la signature" }
            }
        }
    }
}
