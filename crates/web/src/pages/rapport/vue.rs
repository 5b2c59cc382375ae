//! The templates of the annual report's page and of the Cnaf's comparison of a year.

use app::{LigneComparaison, VueRapport};
use domain::coordination::rapport::pourcent_fr;
use maud::{Markup, html};

use super::donnees::mention_envoi;
use crate::formulaire::Erreurs;
use crate::fr;
use crate::session::Connecte;
use crate::vue::{self, Colonne, Ton, champ_csrf, etiquette, tableau};

fn colonne(titre: &str) -> Colonne<'_> {
    Colonne {
        titre,
        nombre: false,
    }
}

fn nombre(titre: &str) -> Colonne<'_> {
    Colonne {
        titre,
        nombre: true,
    }
}

/// The report's page: its figures and tables, its documents, and for the secretariat the button
/// that sends it (with the refusal next to it).
pub(super) fn page(c: &Connecte, v: &VueRapport, _fait: Option<&str>, x: &Erreurs) -> Markup {
    let r = &v.rapport;
    let i = &r.indicateurs;
    let base = format!("/coordination/{}/rapport/{}", r.departement, r.annee);
    let titre = format!("Rapport annuel {} — {}", r.annee, r.nom_departement);
    let composition: Vec<Vec<Markup>> = r
        .composition
        .iter()
        .map(|m| {
            vec![
                html! { (m.role.libelle()) },
                html! { (m.organisation) },
                html! { (m.personne) },
                html! { (fr::date(m.mandat_fin)) },
            ]
        })
        .collect();
    let seances: Vec<Vec<Markup>> = r
        .seances
        .iter()
        .map(|s| {
            vec![
                html! { (fr::date(s.date)) },
                html! { (s.titre) },
                html! { (s.niveau.libelle()) },
                html! { (s.etat.libelle()) },
                html! {
                    @match s.quorum_atteint {
                        Some(true) => (etiquette("atteint", Ton::Succes)),
                        Some(false) => (etiquette("non atteint", Ton::Refus)),
                        None => "–",
                    }
                },
                html! { (s.compte_rendu.map_or("aucun", |e| e.libelle())) },
            ]
        })
        .collect();
    let decisions: Vec<Vec<Markup>> = r
        .decisions
        .iter()
        .map(|d| {
            vec![
                html! { (fr::date(d.date)) },
                html! { (d.seance) },
                html! { (d.texte) },
            ]
        })
        .collect();
    let financement: Vec<Vec<Markup>> = r
        .financement
        .iter()
        .map(|f| {
            vec![
                html! { (f.financeur) },
                html! { (f.dispositif.libelle()) },
                html! { (fr::euros(f.demande_centimes)) },
                html! { (fr::euros(f.decide_centimes)) },
            ]
        })
        .collect();
    let actions: Vec<Vec<Markup>> = r
        .actions
        .iter()
        .map(|a| {
            vec![
                html! { (a.libelle) },
                html! { (a.origine.libelle()) },
                html! { (a.porteur) },
                html! { (fr::date(a.echeance)) },
                html! { (a.statut_libelle) },
            ]
        })
        .collect();
    let couverture: Vec<Vec<Markup>> = r
        .couverture
        .iter()
        .map(|l| {
            vec![
                html! { (l.dispositif.libelle()) },
                html! { (l.lieux) },
                html! { (l.communes) },
                html! { (l.communes_sans_offre) },
            ]
        })
        .collect();
    vue::page(
        &x.titre(&titre),
        Some(c),
        "/coordination",
        html! {
            h1 { (titre) }
            (x.resume())
            p { (r.appellation) }
            p {
                @if v.envoye_le.is_some() { (etiquette(&mention_envoi(v), Ton::Succes)) }
                @else { (etiquette(&mention_envoi(v), Ton::Attente)) }
                " À envoyer à la Cnaf avant le " (fr::date(r.date_limite)) "."
            }
            ul.liens {
                li { a href={ "/coordination/" (r.departement) } { "L'instance" } }
                li { a href={ (base) ".pdf" } { "Le rapport en PDF" } }
                li { a href={ (base) ".json" } { "Données ouvertes (JSON)" } }
                li { a href={ (base) ".csv" } download { "Données ouvertes (CSV)" } }
                li { a href={ "/coordination/" (r.departement) "/rapport/" (r.annee - 1) } { "Rapport " (r.annee - 1) } }
            }
            @if v.peut_envoyer || x.de("annee").is_some() {
                form method="post" action={ (base) "/envoi" } {
                    (champ_csrf(c))
                    @if let Some(e) = x.de("annee") {
                        p.erreur id="erreur-annee" { (e) }
                    }
                    p { "Le rapport est figé tel qu'il est au moment de l'envoi : il ne peut être envoyé qu'une fois." }
                    button type="submit" id="annee" { "Envoyer le rapport " (r.annee) " à la Cnaf" }
                }
            }
            section aria-labelledby="titre-indicateurs" {
                h2 id="titre-indicateurs" { "Indicateurs" }
                dl {
                    dt { "Membres" } dd { (i.membres) }
                    dt { "Séances tenues" } dd { (i.seances_tenues) " (dont " (i.seances_quorum_atteint) " avec quorum ; " (i.seances_annulees) " annulée(s))" }
                    dt { "Taux de présence" } dd { (pourcent_fr(i.taux_presence_dixiemes)) }
                    dt { "Décisions" } dd { (i.decisions) }
                    dt { "Financement demandé" } dd { (fr::euros(i.demande_centimes)) }
                    dt { "Financement décidé" } dd { (fr::euros(i.decide_centimes)) }
                    dt { "Actions réalisées" } dd { (i.actions_realisees) " sur " (i.actions) " (" (pourcent_fr(i.part_actions_realisees_dixiemes)) ")" }
                    dt { "Lieux de l'offre" } dd { (i.lieux) }
                    dt { "Communes sans aucune offre à 10 km" } dd { (i.communes_sans_offre) }
                }
            }
            (tableau("Composition de l'instance", &[colonne("Rôle"), colonne("Organisation"), colonne("Personne"), colonne("Fin du mandat")], &composition))
            (tableau("Séances de l'année", &[colonne("Date"), colonne("Séance"), colonne("Niveau"), colonne("État"), colonne("Quorum"), colonne("Compte rendu")], &seances))
            (tableau("Décisions des comptes rendus", &[colonne("Date"), colonne("Séance"), colonne("Décision")], &decisions))
            (tableau("Financement de l'année par financeur et dispositif", &[colonne("Financeur"), colonne("Dispositif"), nombre("Demandé"), nombre("Décidé")], &financement))
            (tableau("Actions de l'année", &[colonne("Action"), colonne("Origine"), colonne("Porteur"), colonne("Échéance"), colonne("Statut")], &actions))
            (tableau("Couverture de l'offre (diagnostic, 10 km)", &[colonne("Dispositif"), nombre("Lieux"), nombre("Communes"), nombre("Communes sans lieu à 10 km")], &couverture))
        },
    )
}

/// The Cnaf's comparison: one line per département, its key figures when its report was sent.
pub(super) fn comparaison(c: &Connecte, annee: i32, lignes: &[LigneComparaison]) -> Markup {
    let envoyes = lignes.iter().filter(|l| l.envoye.is_some()).count();
    let corps: Vec<Vec<Markup>> = lignes
        .iter()
        .map(|l| {
            let lien = html! {
                a href={ "/coordination/" (l.departement) "/rapport/" (annee) } { (l.nom) " (" (l.departement) ")" }
            };
            match &l.envoye {
                Some(e) => {
                    let i = &e.rapport.indicateurs;
                    vec![
                        lien,
                        html! { (etiquette(&format!("envoyé le {}", app::date_d_envoi(&e.envoye_le)), Ton::Succes)) },
                        html! { (i.membres) },
                        html! { (i.seances_tenues) },
                        html! { (pourcent_fr(i.taux_presence_dixiemes)) },
                        html! { (i.decisions) },
                        html! { (fr::euros(i.decide_centimes)) },
                        html! { (pourcent_fr(i.part_actions_realisees_dixiemes)) },
                        html! { (i.lieux) },
                        html! { (i.communes_sans_offre) },
                    ]
                }
                None => {
                    let mut v = vec![
                        lien,
                        html! {
                            (etiquette(if l.instance { "non envoyé" } else { "pas d'instance" }, Ton::Attente))
                        },
                    ];
                    v.extend((0..8).map(|_| html! { "–" }));
                    v
                }
            }
        })
        .collect();
    let titre = format!("Rapports annuels {annee} des départements");
    vue::page(
        &titre,
        Some(c),
        "/coordination",
        html! {
            h1 { (titre) }
            p { (envoyes) " rapport(s) envoyé(s) sur " (lignes.len()) " instance(s). Les chiffres sont ceux des rapports tels qu'ils ont été envoyés." }
            ul.liens {
                li { a href={ "/coordination/rapports/" (annee - 1) } { "Rapports " (annee - 1) } }
                li { a href={ "/coordination/rapports/" (annee + 1) } { "Rapports " (annee + 1) } }
            }
            (tableau(
                &format!("Chiffres clés des rapports {annee}"),
                &[colonne("Département"), colonne("Envoi"), nombre("Membres"), nombre("Séances tenues"), nombre("Taux de présence"), nombre("Décisions"), nombre("Financement décidé"), nombre("Actions réalisées"), nombre("Lieux de l'offre"), nombre("Communes sans offre à 10 km")],
                &corps,
            ))
        },
    )
}
