//! The view of a payment run's preview: each payment due with its payee, the amount the domain
//! froze and the bank details (a missing IBAN blocks its line), the total, what will not be paid
//! and why, and the confirmation form carrying the preview's fingerprint.

use app::ApercuCampagne;
use maud::{Markup, html};

use super::paiements::nature_lisible;
use crate::fr;
use crate::vue::{self, Colonne};

/// The preview page's content; `avertissement`: why a confirmation was refused.
pub fn vue_apercu(apercu: &ApercuCampagne, csrf: &Markup, avertissement: Option<&str>) -> Markup {
    let colonnes = [
        Colonne {
            titre: "Bénéficiaire",
            nombre: false,
        },
        Colonne {
            titre: "SIRET",
            nombre: false,
        },
        Colonne {
            titre: "Convention",
            nombre: false,
        },
        Colonne {
            titre: "Nature",
            nombre: false,
        },
        Colonne {
            titre: "Exercice",
            nombre: true,
        },
        Colonne {
            titre: "Montant",
            nombre: true,
        },
        Colonne {
            titre: "Coordonnées bancaires",
            nombre: false,
        },
    ];
    let lignes: Vec<Vec<Markup>> = apercu
        .lignes
        .iter()
        .map(|l| {
            vec![
                html! { (l.raison_sociale) },
                html! { (l.siret) },
                html! { a href={ "/conventions/" (l.convention) } { (l.numero) } },
                html! { (nature_lisible(l.nature)) },
                html! { (l.exercice) },
                html! { (fr::euros(l.montant_signe().centimes())) },
                match &l.banque {
                    Some(b) => html! { (b.iban_lisible()) " — " (b.bic) br; (b.titulaire) },
                    None => html! { strong { "Bloquant : aucun IBAN enregistré, ce paiement ne sera pas émis" } },
                },
            ]
        })
        .collect();
    let non_payes: Vec<Vec<Markup>> = apercu
        .non_payes
        .iter()
        .map(|n| {
            vec![
                html! { a href={ "/conventions/" (n.convention) } { (n.numero) } },
                html! { (n.exercice) },
                html! { (n.echeance.code()) },
                html! { (n.raison) },
            ]
        })
        .collect();
    let nombre = apercu.payables().count();
    let bloques = apercu.lignes.len() - nombre;
    let total = fr::euros(apercu.total().centimes());
    html! {
        h1 { "Préparer une campagne de paiements" }
        @if let Some(a) = avertissement {
            div class="encadre erreur" role="alert" { p { (a) } }
        }
        p { "Les montants sont ceux figés par la validation de chaque déclaration ou par l’échéancier de la convention ; les indus, à recouvrer, sont comptés en négatif." }
        (vue::tableau(
            &format!("{} paiement(s) dû(s) ; total à émettre : {total}", fr::entier(apercu.lignes.len() as u64)),
            &colonnes,
            &lignes,
        ))
        p { strong { "Total de la campagne : " (total) } " (" (fr::entier(nombre as u64)) " paiement(s) émis à la confirmation"
            @if bloques > 0 { ", " (fr::entier(bloques as u64)) " bloqué(s) faute de coordonnées bancaires" } ")." }
        h2 { "Ne seront pas payés" }
        (vue::tableau(
            &format!("{} paiement(s) dû(s) non payé(s)", fr::entier(apercu.non_payes.len() as u64)),
            &[
                Colonne { titre: "Convention", nombre: false },
                Colonne { titre: "Exercice", nombre: true },
                Colonne { titre: "Échéance", nombre: false },
                Colonne { titre: "Raison", nombre: false },
            ],
            &non_payes,
        ))
        @if nombre > 0 {
            form method="post" action="/paiements/campagne" {
                (csrf)
                input type="hidden" name="empreinte" value=(apercu.empreinte());
                p { button type="submit" { "Confirmer la campagne (" (fr::entier(nombre as u64)) " paiement" @if nombre > 1 { "s" } ", total " (total) ")" } }
            }
        } @else {
            p { "Aucun paiement à émettre." }
        }
        p { a href="/paiements" { "Retour aux paiements" } }
    }
}
