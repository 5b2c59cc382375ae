//! The templates of the evaluation: the indicators of the ten départements side by side with
//! their charts, and a Caf's monograph with its figures and, for its agents, its form.

use app::VueMonographie;
use domain::evaluation::indicateurs::{
    ARRETES_LE, Evaluation, Famille, INDICATEURS, Indicateur, Territoire, Unite, Valeur,
};
use domain::evaluation::monographie::{Section, Textes};
use maud::{Markup, html};

use crate::formulaire::Erreurs;
use crate::fr;
use crate::graphiques::{Barre, Jauge, histogramme, jauges};
use crate::session::Connecte;
use crate::vue::{self, Colonne, champ_csrf, tableau};

/// What a masked value reads.
pub(super) const MASQUEE: &str = "moins de 5";

/// A value as written in French: masked, missing, or in its unit.
pub(super) fn valeur_fr(i: &Indicateur, v: Option<&Valeur>) -> String {
    let Some(v) = v else {
        return "–".to_owned();
    };
    if v.masquee {
        return MASQUEE.to_owned();
    }
    let Some(x) = v.valeur else {
        return "–".to_owned();
    };
    match i.unite {
        Unite::Nombre | Unite::Ratio => fr::nombre(x),
        Unite::Pourcentage => format!("{}\u{a0}%", fr::nombre(x)),
        Unite::Euros => fr::euros((x * 100.0).round() as i64),
        Unite::Etp => format!("{} ETP", fr::nombre(x)),
    }
}

fn colonne(titre: &str, nombre: bool) -> Colonne<'_> {
    Colonne { titre, nombre }
}

/// The caption of a family's table.
fn legende(famille: Famille) -> &'static str {
    match famille {
        Famille::Activite => "Indicateurs d'activité",
        Famille::Portee => "Indicateurs de portée",
        Famille::Impact => "Indicateurs d'impact",
    }
}

/// One family's table: a line per indicator, a column per territory.
fn tableau_famille(famille: Famille, territoires: &[&Territoire]) -> Markup {
    let lignes: Vec<Vec<Markup>> = INDICATEURS
        .iter()
        .filter(|i| i.famille == famille)
        .map(|i| {
            let mut l = vec![html! { (i.libelle) }];
            l.extend(
                territoires
                    .iter()
                    .map(|t| html! { (valeur_fr(i, t.valeur(i.code))) }),
            );
            l
        })
        .collect();
    let noms: Vec<String> = territoires
        .iter()
        .map(|t| match t.departement {
            Some(d) => format!("{} ({d})", t.nom),
            None => "France".to_owned(),
        })
        .collect();
    let mut colonnes = vec![colonne("Indicateur", false)];
    colonnes.extend(noms.iter().map(|n| colonne(n, true)));
    html! {
        div.defilement tabindex="0" role="region" aria-label={ "Indicateurs : " (famille.libelle()) } {
            (tableau(legende(famille), &colonnes, &lignes))
        }
    }
}

/// The links between years and to the documents.
fn liens(e: &Evaluation) -> Markup {
    html! {
        ul.liens {
            @for a in [2024, 2025] {
                @if a != e.exercice {
                    li { a href={ "/evaluation?exercice=" (a) } { "Indicateurs " (a) } }
                }
            }
            li { a href={ "/evaluation/bilan.pdf?exercice=" (e.exercice) } { "Bilan national " (e.exercice) " (PDF)" } }
            li { a href={ "/evaluation/bilan.zip?exercice=" (e.exercice) } download { "Données ouvertes " (e.exercice) " (ZIP : CSV, JSON, définitions)" } }
            li { a href="/evaluation/questionnaires" { "Réponses aux questionnaires des parents et des partenaires" } }
        }
    }
}

/// `/evaluation`.
pub(super) fn page(c: &Connecte, e: &Evaluation) -> Markup {
    let titre = format!("Évaluation de l'expérimentation — {}", e.exercice);
    let mut territoires: Vec<&Territoire> = e.departements.iter().collect();
    territoires.push(&e.nation);
    let barres: Vec<Barre> = e
        .departements
        .iter()
        .filter_map(|t| {
            let v = t.valeur("familles_accompagnees")?;
            Some(Barre {
                libelle: t.departement.map_or_else(String::new, |d| d.to_string()),
                valeur: v.valeur?,
            })
        })
        .collect();
    let couverture: Vec<Jauge> = e
        .departements
        .iter()
        .map(|t| Jauge {
            libelle: t.nom.clone(),
            valeur: t.donnees.population_couverte as f64,
            total: t.donnees.population as f64,
        })
        .collect();
    vue::page(
        &titre,
        Some(c),
        "/evaluation",
        html! {
            h1 { (titre) }
            p {
                "Les indicateurs de l'expérimentation ont été arrêtés le " (fr::date(ARRETES_LE))
                ", avant la lecture des résultats : activité, portée et impact, pour chacun des dix départements et pour l'ensemble. "
                "Les effectifs de 1 à 4 (entretiens, familles, structures, réponses) sont masqués, ainsi que les parts calculées sur eux."
            }
            (liens(e))
            section aria-labelledby="titre-departements" {
                h2 id="titre-departements" { "Les dix départements" }
                ul.liens {
                    @for t in &e.departements {
                        @if let Some(d) = t.departement {
                            li { a href={ "/evaluation/departements/" (d) } { "Monographie : " (t.nom) " (" (d) ")" } }
                        }
                    }
                }
            }
            @for f in Famille::TOUTES {
                section aria-labelledby={ "titre-" (f.code()) } {
                    h2 id={ "titre-" (f.code()) } { (f.libelle()) }
                    (tableau_famille(f, &territoires))
                }
            }
            section aria-labelledby="titre-graphiques" {
                h2 id="titre-graphiques" { "Graphiques" }
                (histogramme("graphique-familles", &format!("Familles accompagnées en {} par département", e.exercice), "familles", &barres, None))
                p { "Les valeurs du graphique figurent dans le tableau « Indicateurs d'activité » ci-dessus (les départements dont l'effectif est masqué n'y figurent pas)." }
                (jauges("graphique-couverture", "Part de la population vivant dans une commune ayant un lieu d'accueil", &couverture))
                p { "Les valeurs du graphique figurent dans le tableau « Indicateurs de portée » ci-dessus." }
            }
            section aria-labelledby="titre-definitions" {
                h2 id="titre-definitions" { "Définitions" }
                dl {
                    @for i in &INDICATEURS {
                        dt { (i.libelle) " (" code { (i.code) } ")" }
                        dd { (i.definition) " Source : " (i.source) "." }
                    }
                }
            }
        },
    )
}

/// `/evaluation/departements/{département}`: the monograph, its figures, and the form for the
/// Caf's agents.
pub(super) fn monographie(
    c: &Connecte,
    m: &VueMonographie,
    e: &Evaluation,
    saisie: Option<&Textes>,
    enregistree: bool,
    x: &Erreurs,
) -> Markup {
    let titre = format!("Monographie — {} ({})", m.nom, m.departement);
    let territoire = e
        .departements
        .iter()
        .find(|t| t.departement == Some(m.departement));
    let vide = Textes::default();
    let courants = m.courante.as_ref().map_or(&vide, |c| &c.textes);
    let textes = saisie.unwrap_or(courants);
    let chiffres: Vec<Vec<Markup>> = INDICATEURS
        .iter()
        .map(|i| {
            vec![
                html! { (i.famille.libelle()) },
                html! { (i.libelle) },
                html! { (valeur_fr(i, territoire.and_then(|t| t.valeur(i.code)))) },
                html! { (valeur_fr(i, e.nation.valeur(i.code))) },
            ]
        })
        .collect();
    vue::page(
        &x.titre(&titre),
        Some(c),
        "/evaluation",
        html! {
            h1 { (titre) }
            (x.resume())
            @if enregistree {
                div.encadre role="status" { p { "La monographie est enregistrée." } }
            }
            p {
                @match &m.courante {
                    Some(v) => { "Version " (v.version) ", mise à jour le " (fr::horodatage(&v.mise_a_jour_le)) "." }
                    None => { "Aucune version enregistrée." }
                }
            }
            ul.liens {
                li { a href="/evaluation" { "Les dix départements" } }
            }
            section aria-labelledby="titre-texte" {
                h2 id="titre-texte" { "Texte de la monographie" }
                @if m.courante.is_none() && !m.peut_modifier {
                    p { "La Caf n'a pas encore écrit sa monographie." }
                }
                @if !m.peut_modifier {
                    @for s in Section::TOUTES {
                        @let t = courants.texte(s);
                        @if !t.is_empty() {
                            h3 { (s.titre()) }
                            @for paragraphe in t.split("\n\n") {
                                p.texte-monographie { (paragraphe) }
                            }
                        }
                    }
                } @else {
                    form method="post" action={ "/evaluation/departements/" (m.departement) } {
                        (champ_csrf(c))
                        @for s in Section::TOUTES {
                            @let erreur = x.de(s.code());
                            div.champ {
                                label for=(s.code()) { (s.titre()) }
                                p.aide id={ "aide-" (s.code()) } { (s.aide()) }
                                @if let Some(e) = &erreur {
                                    p.erreur id={ "erreur-" (s.code()) } { (e) }
                                }
                                textarea id=(s.code()) name=(s.code()) rows="6"
                                    aria-describedby={ "aide-" (s.code()) @if erreur.is_some() { " erreur-" (s.code()) } }
                                    aria-invalid=[erreur.is_some().then_some("true")] { (textes.texte(s)) }
                            }
                        }
                        button type="submit" { "Enregistrer la monographie" }
                    }
                }
            }
            section aria-labelledby="titre-chiffres" {
                h2 id="titre-chiffres" { "Chiffres de " (e.exercice) }
                div.defilement tabindex="0" role="region" aria-label="Chiffres du département" {
                    (tableau(
                        &format!("Indicateurs {} du département et de l'ensemble des dix départements", e.exercice),
                        &[colonne("Famille", false), colonne("Indicateur", false), colonne(&m.nom, true), colonne("Dix départements", true)],
                        &chiffres,
                    ))
                }
            }
            @if m.versions.len() > 1 {
                section aria-labelledby="titre-versions" {
                    h2 id="titre-versions" { "Versions" }
                    ul {
                        @for (n, quand, _) in &m.versions {
                            li { "Version " (n) " du " (fr::horodatage(quand)) }
                        }
                    }
                }
            }
        },
    )
}
