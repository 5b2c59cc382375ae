//! The template of the activity page: the structure and its filter, the summary of a refused
//! form or the outcome of an accepted one, the staff's forms, the figures of the bilan, the
//! bilans and the last sessions.

use maud::{Markup, html};

use super::modele::{FiltreActivite, VueActivite, VueChiffres, VueEntretiens};
use super::{Retour, gabarit_bilan, gabarit_saisie};
use crate::formulaire::{Champ, Clavier, Erreurs};
use crate::session::Connecte;
use crate::vue::{Colonne, Ton, etiquette, tableau};

const fn colonne(titre: &'static str, nombre: bool) -> Colonne<'static> {
    Colonne { titre, nombre }
}

/// The page of a user no structure is attached to.
pub(super) fn sans_structure() -> Markup {
    html! {
        h1 { "Activité" }
        p { "Aucune structure n'est rattachée à votre compte." }
    }
}

fn filtre(f: &FiltreActivite, structure: i64, erreurs: &Erreurs) -> Markup {
    let options: Vec<(&str, &str)> = f
        .structures
        .iter()
        .map(|(id, nom)| (id.as_str(), nom.as_str()))
        .collect();
    html! {
        form method="get" action="/activite" class="filtres" novalidate {
            (Champ::new("structure", "Structure")
                .id("choix-structure")
                .erreurs(erreurs)
                .liste(&options, &structure.to_string()))
            (Champ::new("exercice", "Exercice")
                .id("choix-exercice")
                .clavier(Clavier::Numerique)
                .erreurs(erreurs)
                .texte(&f.exercice_saisi))
            button type="submit" class="secondaire" { "Afficher" }
        }
    }
}

/// The outcome of an accepted form, with the points the rules draw attention to.
fn succes(r: &Retour) -> Markup {
    html! {
        @if let Some(m) = &r.succes {
            div.encadre.succes role="status" {
                p { (m) }
                @if !r.avertissements.is_empty() {
                    p { "Points d'attention :" }
                    ul {
                        @for w in &r.avertissements {
                            li { (w.message) " " span.aide { "(" (w.source) ")" } }
                        }
                    }
                }
            }
        }
    }
}

fn carte_chiffre(titre: Markup, chiffre: &str) -> Markup {
    html! { div.carte { p { (titre) } p.chiffre { (chiffre) } } }
}

fn atteinte(a: Option<bool>) -> Markup {
    match a {
        Some(true) => etiquette("atteinte", Ton::Succes),
        Some(false) => etiquette("non atteinte", Ton::Attente),
        None => html! { "—" },
    }
}

fn chiffres(exercice: i32, b: &VueChiffres) -> Markup {
    let indicateurs: Vec<Vec<Markup>> = b
        .indicateurs
        .iter()
        .map(|v| {
            vec![
                html! { (v.libelle) },
                html! { (v.valeur) },
                html! { (v.cible) },
                atteinte(v.atteinte),
            ]
        })
        .collect();
    html! {
        h2 { "Chiffres du bilan " (exercice) }
        p.aide {
            "Calculés à partir des entretiens enregistrés et importés : ce sont les chiffres que \
             la structure reporte dans son bilan annuel et sa déclaration réelle."
        }
        div.grille {
            (carte_chiffre(html! { "Entretiens" }, &b.entretiens))
            (carte_chiffre(html! { "Familles distinctes" }, &b.familles))
            (carte_chiffre(html! { "Heures d'entretien" }, &b.heures))
            (carte_chiffre(html! { "Familles au-delà de " (b.repere) " séances" }, &b.au_dela))
        }
        div.colonnes {
            @for r in &b.repartitions {
                @let lignes: Vec<Vec<Markup>> = r
                    .lignes
                    .iter()
                    .map(|(libelle, n)| vec![html! { (libelle) }, html! { (n) }])
                    .collect();
                (tableau(r.titre, &[colonne("Modalité", false), colonne("Entretiens", true)], &lignes))
            }
        }
        (tableau(
            "Indicateurs de la structure",
            &[
                colonne("Indicateur", false),
                colonne("Valeur", true),
                colonne("Cible", true),
                colonne("Atteinte", false),
            ],
            &indicateurs,
        ))
    }
}

fn entretiens(exercice: i32, e: &VueEntretiens) -> Markup {
    let lignes: Vec<Vec<Markup>> = e
        .lignes
        .iter()
        .map(|x| {
            vec![
                html! { (x.date) },
                html! { code { (x.famille) } },
                html! { (x.etape) },
                html! { (x.mode) },
                html! { (x.minutes) },
                html! { (x.sujets) },
                html! { (x.orientations) },
            ]
        })
        .collect();
    html! {
        h2 { "Entretiens " (exercice) }
        (tableau(
            &format!(
                "Les {} derniers entretiens sur {} (famille : début de son code pseudonyme)",
                lignes.len(),
                e.total
            ),
            &[
                colonne("Date", false),
                colonne("Famille", false),
                colonne("Étape", false),
                colonne("Modalité", false),
                colonne("Minutes", true),
                colonne("Sujets", false),
                colonne("Orientations", false),
            ],
            &lignes,
        ))
    }
}

/// The whole content of the page.
pub(super) fn activite(c: &Connecte, v: &VueActivite) -> Markup {
    html! {
        h1 { "Activité — " (v.nom) }
        (v.erreurs.resume())
        @if let Some(f) = &v.filtre { (filtre(f, v.structure, &v.erreurs)) }
        (succes(&v.retour))
        @if let Some(listes) = &v.saisie {
            (gabarit_saisie::formulaire_entretien(c, v.structure, listes, &v.retour.entretien, &v.erreurs))
            (gabarit_saisie::formulaire_import(c, v.structure, &v.erreurs, &v.retour.lignes_refusees))
        }
        (chiffres(v.exercice, &v.chiffres))
        (gabarit_bilan::bilans(c, &v.bilans, &v.erreurs))
        @if let Some(e) = &v.entretiens { (entretiens(v.exercice, e)) }
    }
}
