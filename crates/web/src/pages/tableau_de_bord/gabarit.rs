//! The dashboard's template: the filter, the key figures, the indicators, the monthly chart and
//! its table, the experiment's progress, the map of the départements and its table, the
//! structures and the downloads. Every chart is followed by the table of its figures.

use activite::INDICATEURS;
use maud::{Markup, html};

use super::avancement::Avancement;
use super::filtre::{EXERCICES_PROPOSES, FAMILLES, Filtre};
use super::modele::{Departements, LigneIndicateur, LigneStructure, VueTableau};
use crate::carte::carte;
use crate::formulaire::Champ;
use crate::fr;
use crate::graphiques::{Barre, histogramme, jauges};
use crate::vue::{Colonne, Ton, etiquette, tableau};

const fn colonne(titre: &'static str, nombre: bool) -> Colonne<'static> {
    Colonne { titre, nombre }
}

fn filtre(f: &Filtre) -> Markup {
    let annees: Vec<String> = EXERCICES_PROPOSES.iter().map(i32::to_string).collect();
    let options_annees: Vec<(&str, &str)> =
        annees.iter().map(|a| (a.as_str(), a.as_str())).collect();
    let options_indicateurs: Vec<(&str, &str)> =
        std::iter::once((FAMILLES, "Familles accompagnées"))
            .chain(INDICATEURS.iter().map(|i| (i.code, i.libelle)))
            .collect();
    let exercice = f.exercice.to_string();
    html! {
        form method="get" action="/tableau-de-bord" class="filtres" novalidate {
            (Champ::new("exercice", "Exercice").erreurs(&f.erreurs).liste(&options_annees, &exercice))
            (Champ::new("indicateur", "Indicateur de la carte")
                .erreurs(&f.erreurs)
                .liste(&options_indicateurs, f.indicateur))
            button type="submit" class="secondaire" { "Afficher" }
        }
    }
}

fn carte_chiffre(titre: &str, aide: Option<&str>, chiffre: &str) -> Markup {
    html! {
        div.carte {
            p { (titre) @if let Some(a) = aide { span.aide { (a) } } }
            p.chiffre { (chiffre) }
        }
    }
}

fn atteinte(a: Option<bool>) -> Markup {
    match a {
        Some(true) => etiquette("atteinte", Ton::Succes),
        Some(false) => etiquette("non atteinte", Ton::Attente),
        None => html! { "—" },
    }
}

fn tableau_indicateurs(legende: &str, lignes: &[LigneIndicateur]) -> Markup {
    let lignes: Vec<Vec<Markup>> = lignes
        .iter()
        .map(|v| {
            vec![
                html! { (v.libelle) br; span.aide { (v.definition) } },
                html! { (v.valeur) },
                html! { (v.numerateur) },
                html! { (v.denominateur) },
                html! { (v.cible) },
                atteinte(v.atteinte),
            ]
        })
        .collect();
    tableau(
        legende,
        &[
            colonne("Indicateur", false),
            colonne("Valeur", true),
            colonne("Numérateur", true),
            colonne("Dénominateur", true),
            colonne("Cible", false),
            colonne("Atteinte", false),
        ],
        &lignes,
    )
}

fn evolution(v: &VueTableau) -> Markup {
    let barres: Vec<Barre> = v.mois.iter().map(|m| m.barre()).collect();
    let lignes: Vec<Vec<Markup>> = v
        .mois
        .iter()
        .map(|m| {
            vec![
                html! { (m.nom) },
                html! { (fr::entier(m.entretiens)) },
                html! { (fr::nombre(m.heures)) },
                html! { (fr::entier(m.nouvelles_familles)) },
                html! { (fr::entier(m.premiers_contacts)) },
            ]
        })
        .collect();
    let legende = match v.cible_mensuelle {
        Some(c) => format!(
            "Activité par mois en {} (rythme cible : {} entretiens par mois)",
            v.exercice,
            fr::nombre(c)
        ),
        None => format!("Activité par mois en {}", v.exercice),
    };
    html! {
        h2 { "Évolution mensuelle" }
        (histogramme(
            "graphique-mois",
            &format!("Entretiens par mois en {}", v.exercice),
            "entretiens",
            &barres,
            v.cible_mensuelle.map(|c| (c, "rythme cible")),
        ))
        (tableau(
            &legende,
            &[
                colonne("Mois", false),
                colonne("Entretiens", true),
                colonne("Heures", true),
                colonne("Nouvelles familles", true),
                colonne("Premiers contacts", true),
            ],
            &lignes,
        ))
    }
}

fn avancement(a: &Avancement) -> Markup {
    let lignes: Vec<Vec<Markup>> = a
        .lignes
        .iter()
        .map(|l| {
            vec![
                html! { (l.mesure) },
                html! { (l.realise) },
                html! { (l.objectif) },
                html! { (l.part) },
            ]
        })
        .collect();
    html! {
        h2 { "Avancement de l'expérimentation" }
        (jauges("graphique-avancement", "Avancement de l'expérimentation 2024-2025", &a.jauges))
        (tableau(
            "Avancement : réalisé, objectif ou enveloppe, part",
            &[
                colonne("Mesure", false),
                colonne("Réalisé", true),
                colonne("Objectif ou enveloppe", true),
                colonne("Part", true),
            ],
            &lignes,
        ))
    }
}

fn departements(d: &Departements, exercice: i32) -> Markup {
    let lignes: Vec<Vec<Markup>> = d
        .lignes
        .iter()
        .map(|l| {
            vec![
                html! { (l.nom) },
                html! { (fr::entier(l.entretiens)) },
                html! { (fr::entier(l.familles)) },
                html! { (l.familles_par_etp) },
                html! { (l.entretiens_par_etp) },
                html! { (l.entretiens_par_famille) },
                html! { (fr::entier(l.bilans.attendus)) },
                html! { (fr::entier(l.bilans.recus)) },
                html! { (super::modele::pourcentage(l.bilans.a_temps, l.bilans.attendus)) },
                html! { (fr::entier(l.bilans.valides)) },
            ]
        })
        .collect();
    let echeance = d.echeance.map(fr::date).unwrap_or_default();
    html! {
        h2 { "Par département" }
        (carte(
            "carte-departements",
            &format!("{} par département en {exercice}", d.titre_carte),
            &d.valeurs,
        ))
        (tableau(
            &format!(
                "Activité, indicateurs et bilans {exercice} par département (bilans attendus au {echeance})"
            ),
            &[
                colonne("Département", false),
                colonne("Entretiens", true),
                colonne("Familles", true),
                colonne("Familles par ETP", true),
                colonne("Entretiens par ETP", true),
                colonne("Entretiens par famille", true),
                colonne("Bilans attendus", true),
                colonne("Bilans reçus", true),
                colonne("Reçus à temps", true),
                colonne("Bilans validés", true),
            ],
            &lignes,
        ))
    }
}

fn structures(lignes: &[LigneStructure], exercice: i32) -> Markup {
    let lignes: Vec<Vec<Markup>> = lignes
        .iter()
        .map(|s| {
            vec![
                html! {
                    a href={ "/activite?structure=" (s.id) "&exercice=" (exercice) } { (s.nom) }
                },
                html! { (s.departement) },
                html! { (fr::entier(s.entretiens)) },
                html! { (fr::entier(s.familles)) },
                html! { (s.familles_par_etp) },
                html! { (s.entretiens_par_etp) },
                html! { (s.entretiens_par_famille) },
                html! { (s.part_orientee) },
            ]
        })
        .collect();
    tableau(
        &format!("Activité et indicateurs {exercice} par structure"),
        &[
            colonne("Structure", false),
            colonne("Département", false),
            colonne("Entretiens", true),
            colonne("Familles", true),
            colonne("Familles par ETP", true),
            colonne("Entretiens par ETP", true),
            colonne("Entretiens par famille", true),
            colonne("Part orientée", true),
        ],
        &lignes,
    )
}

fn telechargements(exercice: i32) -> Markup {
    let liens = [
        ("agregats.csv", "Agrégats et indicateurs (CSV tableur)"),
        ("agregats.xlsx", "Agrégats et indicateurs (XLSX)"),
        ("agregats-mensuels.csv", "Agrégats mensuels (CSV tableur)"),
        (
            "donnees-ouvertes.csv",
            "Données ouvertes (CSV, effectifs inférieurs à 5 masqués)",
        ),
    ];
    html! {
        h2 { "Télécharger les agrégats " (exercice) }
        ul.liens {
            @for (fichier, texte) in liens {
                li { a href={ "/tableau-de-bord/" (fichier) "?exercice=" (exercice) } { (texte) } }
            }
        }
    }
}

/// The whole dashboard.
pub(super) fn tableau_de_bord(v: &VueTableau, f: &Filtre) -> Markup {
    let exercice = v.exercice;
    html! {
        h1 { "Tableau de bord de l'activité" }
        (f.erreurs.resume())
        p {
            "Périmètre : " (v.perimetre) " — exercice " (exercice)
            ". Chiffres à jour à chaque entretien enregistré ou importé."
        }
        (filtre(f))
        h2 { "Chiffres clés " (exercice) }
        div.grille {
            (carte_chiffre("Entretiens", None, &fr::entier(v.cles.entretiens)))
            (carte_chiffre(
                "Familles accompagnées",
                Some("distinctes dans chaque structure, additionnées"),
                &fr::entier(v.cles.familles),
            ))
            (carte_chiffre("Heures d'entretien", None, &fr::nombre(v.cles.heures)))
            (carte_chiffre("Entretiens avec orientation", None, &fr::entier(v.cles.orientes)))
        }
        p.aide {
            "Une famille n'est connue que par un code pseudonyme propre à chaque structure : \
             une famille accompagnée par deux structures compte deux fois dans un total \
             départemental ou national."
        }
        (tableau_indicateurs(
            &format!("Indicateurs {exercice} et cibles du référentiel"),
            &v.indicateurs,
        ))
        (evolution(v))
        @if let Some(a) = &v.avancement { (avancement(a)) }
        @if let Some(d) = &v.departements { (departements(d, exercice)) }
        @if let Some(s) = &v.structures { (structures(s, exercice)) }
        (telechargements(exercice))
    }
}
