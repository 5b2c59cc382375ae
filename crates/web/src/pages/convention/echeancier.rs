//! The instalments frozen in a convention of a scheme decided by amount
//! (`domain::dispositifs`), each with its payment once made, and for a Caf agent the button
//! that pays the one due (its date reached, the convention signed by both parties); and the
//! convention's financing in its summary.

use domain::acces::Role;
use domain::convention::{Convention, EtatConvention};
use domain::paiement::{Echeance, Paiement};
use maud::{Markup, html};
use store::depot::Lu;

use crate::fr;
use crate::session::Connecte;
use crate::vue::{self, Colonne, champ_csrf};

/// The convention's financing in its summary: the FTE notified (AIP), or the total of the
/// instalments.
pub(super) fn financement(v: &Convention) -> Markup {
    html! {
        @match (v.notification_initiale, v.total_echeancier()) {
            (Some(n), _) => {
                dt { "ETP notifiés" }
                dd { (n.etp.to_string()) " à compter du " (fr::date(n.date_effet)) }
            }
            (None, Some(total)) => {
                dt { "Subvention de la Caf" }
                dd { (fr::euros(total.centimes())) " en " (v.echeancier.len()) " versement(s)" }
            }
            (None, None) => {}
        }
    }
}

/// The échéancier section, empty for a convention without instalments.
pub(super) fn section(
    c: &Connecte,
    v: &Convention,
    paiements: &[Lu<Paiement>],
    cible: &str,
) -> Markup {
    if v.echeancier.is_empty() {
        return html! {};
    }
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let colonnes = [
        Colonne {
            titre: "Versement",
            nombre: false,
        },
        Colonne {
            titre: "À partir du",
            nombre: false,
        },
        Colonne {
            titre: "Montant",
            nombre: true,
        },
        Colonne {
            titre: "Suite",
            nombre: false,
        },
    ];
    let lignes: Vec<Vec<Markup>> = v
        .echeancier
        .iter()
        .map(|prevu| {
            let paye = paiements
                .iter()
                .find(|p| p.valeur.nature.echeance() == Echeance::Versement(prevu.rang));
            let suite = match paye {
                Some(p) => html! {
                    "versé le " (fr::date(p.valeur.date)) " (réf. " (p.valeur.reference) ")"
                },
                None if c.acteur.role == Role::Caf
                    && v.etat == EtatConvention::Signee
                    && prevu.date <= aujourd_hui =>
                {
                    html! {
                        form.en-ligne method="post" action=(cible) {
                            (champ_csrf(c))
                            input type="hidden" name="action" value="verser";
                            input type="hidden" name="rang" value=(prevu.rang);
                            button type="submit" { "Verser le versement n°" (prevu.rang) }
                        }
                    }
                }
                None if v.etat != EtatConvention::Signee => {
                    html! { "à verser une fois la convention signée" }
                }
                None if prevu.date > aujourd_hui => {
                    html! { "dû à partir du " (fr::date(prevu.date)) }
                }
                None => html! { "dû" },
            };
            vec![
                html! { "n°" (prevu.rang) },
                html! { (fr::date(prevu.date)) },
                html! { (fr::euros(prevu.montant.centimes())) },
                suite,
            ]
        })
        .collect();
    html! {
        h2 { "Échéancier" }
        p.aide {
            "Les versements de la subvention accordée par la Caf, fixés à l'établissement de la convention ; chacun est versé une seule fois, à partir de sa date."
        }
        (vue::tableau("Versements prévus par la convention", &colonnes, &lignes))
    }
}
