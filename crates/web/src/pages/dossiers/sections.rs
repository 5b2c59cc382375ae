//! The views of the dossier page's workspace, as typed templates: its table of contents, the
//! confirmation of what was just done, the « suivi par » block with its assignment forms, the
//! message threads and the history of audited events.

use crate::fr;
use crate::session::Connecte;
use crate::vue::{Colonne, tableau};
use app::EvenementHistorique;
use app::Message;
use domain::acces::{Role, Utilisateur};
use domain::dossier::{ActionDossier, Dossier, EtatDossier};
use maud::{Markup, html};

/// The table of contents at the top of the page: each section's anchor and title.
pub(super) fn sommaire(entrees: &[(&str, &str)]) -> Markup {
    html! {
        nav aria-labelledby="titre-sommaire" class="sommaire" {
            h2 id="titre-sommaire" { "Sommaire du dossier" }
            ol {
                @for (ancre, titre) in entrees {
                    li { a href={ "#" (ancre) } { (titre) } }
                }
            }
        }
    }
}

/// What the action just taken did and what comes next, after the redirect (`?fait=…`); `None`
/// for an unknown code.
pub(super) fn confirmation(fait: &str, d: &Dossier, suivi_par: Option<&str>) -> Option<Markup> {
    let (fait, suite): (String, &str) = match fait {
        "attribue" => (
            format!(
                "Dossier attribué à {}.",
                suivi_par.unwrap_or("un agent de la Caf")
            ),
            "Il figure dans la liste « Mes dossiers » de l'agent qui le suit.",
        ),
        "desattribue" => (
            "Le dossier n'est plus attribué.".to_owned(),
            "Un agent de la Caf peut se l'attribuer depuis la section Instruction.",
        ),
        "deposer" => (
            "Dossier déposé.".to_owned(),
            "La Caf va le prendre en instruction ; ses questions vous parviendront par la messagerie.",
        ),
        "instruire" => (
            "Dossier pris en instruction.".to_owned(),
            "Prochaine étape : le présenter en comité, ou demander un complément au porteur.",
        ),
        "complement" => (
            "Complément demandé au porteur.".to_owned(),
            "Le dossier lui revient : il le déposera à nouveau une fois complété.",
        ),
        "presenter" => (
            "Dossier inscrit à l'ordre du jour du comité des financeurs.".to_owned(),
            "Prochaine étape : enregistrer la décision du comité.",
        ),
        "decider" => (
            format!(
                "Décision du comité enregistrée : dossier {}.",
                d.etat.libelle()
            ),
            match d.etat {
                EtatDossier::Valide => "Prochaine étape : établir la convention.",
                EtatDossier::EnInstruction => {
                    "Le dossier revient en instruction, pour être présenté à nouveau."
                }
                _ => "Le dossier est clos.",
            },
        ),
        "part" => (
            "Décision de votre financeur enregistrée.".to_owned(),
            "Elle figure avec les décisions du dossier.",
        ),
        "avis" => (
            "Avis de votre financeur enregistré.".to_owned(),
            "La Caf et les autres financeurs le lisent avant le comité ; vous pouvez le modifier jusqu'à la décision.",
        ),
        "sans_suite" => (
            "Dossier classé sans suite.".to_owned(),
            "Le dossier est clos.",
        ),
        "retirer" => ("Dossier retiré.".to_owned(), "Le dossier est clos."),
        "projet" => (
            "Projet enregistré.".to_owned(),
            "Déposez le dossier quand il est complet.",
        ),
        _ => return None,
    };
    Some(html! {
        div class="encadre succes" role="status" id="confirmation" {
            p { strong { (fait) } " " (suite) }
        }
    })
}

/// « Suivi par » and, for a Caf agent of the département while the dossier is instructed, the
/// forms to take it, give it to a colleague or withdraw the assignment.
pub(super) fn suivi(
    c: &Connecte,
    d: &Dossier,
    version: i64,
    agents: &[Utilisateur],
    suivi_par: Option<&str>,
) -> Markup {
    let peut_attribuer = d.peut(&c.acteur, ActionDossier::Attribuer);
    let action = format!("/dossiers/{}/action", d.id);
    html! {
        section id="suivi" aria-labelledby="titre-suivi" {
            h3 id="titre-suivi" { "Suivi par" }
            p { (suivi_par.unwrap_or("Personne : le dossier n'est attribué à aucun agent.")) }
            @if peut_attribuer {
                div class="actions" {
                    @if d.suivi_par != Some(c.acteur.id) {
                        form method="post" action=(action) {
                            input type="hidden" name="_csrf" value=(c.csrf);
                            input type="hidden" name="action" value="attribuer";
                            input type="hidden" name="version" value=(version);
                            input type="hidden" id="m-attribuer-agent" name="agent" value=(c.acteur.id.0);
                            button type="submit" id="m-attribuer" { "M'attribuer ce dossier" }
                        }
                    }
                    form method="post" action=(action) {
                        input type="hidden" name="_csrf" value=(c.csrf);
                        input type="hidden" name="action" value="attribuer";
                        input type="hidden" name="version" value=(version);
                        div class="champ" {
                            label for="attribuer-agent" { "Attribuer à" }
                            select id="attribuer-agent" name="agent" {
                                option value="" selected[d.suivi_par.is_none()] { "Personne (retirer l'attribution)" }
                                @for a in agents {
                                    option value=(a.id.0) selected[d.suivi_par == Some(a.id)] { (a.nom) }
                                }
                            }
                        }
                        button type="submit" class="secondaire" { "Attribuer" }
                    }
                }
            }
        }
    }
}

/// A thread of messages, oldest first, those the reader had not read marked « Nouveau ».
pub(super) fn fil(
    messages: &[&Message],
    nouveaux: &std::collections::BTreeSet<i64>,
    vide: &str,
) -> Markup {
    html! {
        @if messages.is_empty() {
            p { (vide) }
        } @else {
            ol class="fil" {
                @for m in messages {
                    li class=[m.prive.then_some("encadre alerte")] {
                        p {
                            @if nouveaux.contains(&m.id) {
                                span class="badge" { "Nouveau" } " "
                            }
                            strong { (m.auteur) }
                            " "
                            span class="aide" {
                                "(" (Role::depuis_code(&m.role).map_or(m.role.as_str(), |r| r.libelle()))
                                ", " (fr::horodatage(&m.cree_le)) ")"
                                @if m.prive { " – annotation privée, non visible du porteur" }
                            }
                        }
                        p { (m.texte) }
                    }
                }
            }
        }
    }
}

/// Every audited event of the dossier in words: when (Paris time), who (name and role), what.
pub(super) fn historique(evenements: &[EvenementHistorique]) -> Markup {
    let lignes: Vec<Vec<Markup>> = evenements
        .iter()
        .rev()
        .map(|h| {
            let e = &h.evenement;
            let role = e
                .role
                .as_deref()
                .map(|r| Role::depuis_code(r).map_or(r, |r| r.libelle()));
            let objet = match e.entite.as_str() {
                "decision" => "Décision du comité",
                "convention" => "Convention",
                _ => "Dossier",
            };
            vec![
                html! { (fr::horodatage(&e.horodatage)) },
                html! {
                    (h.auteur.as_deref().unwrap_or("Utilisateur inconnu"))
                    @if let Some(r) = role { " (" (r) ")" }
                },
                html! { (objet) },
                html! { (e.description) },
            ]
        })
        .collect();
    html! {
        p class="aide" { "Du plus récent au plus ancien ; heures de Paris." }
        (tableau(
            "Historique du dossier",
            &[
                Colonne { titre: "Date et heure", nombre: false },
                Colonne { titre: "Par", nombre: false },
                Colonne { titre: "Objet", nombre: false },
                Colonne { titre: "Événement", nombre: false },
            ],
            &lignes,
        ))
    }
}
