//! Charts drawn by the server as SVG: vertical bars (a trend by month) and horizontal bars
//! (progress against a target). Each chart is an image with a title and a description, and the
//! page always gives the same figures in a table (RGAA 1.3: a complex image has its
//! alternative next to it). The drawings are typed templates: every label is escaped.

use maud::{Markup, html};

use crate::fr;

/// A bar: its label and its value.
#[derive(Debug, Clone)]
pub struct Barre {
    pub libelle: String,
    pub valeur: f64,
}

/// A horizontal progress bar: its label, the value reached and the total it is measured against.
#[derive(Debug, Clone)]
pub struct Jauge {
    pub libelle: String,
    pub valeur: f64,
    pub total: f64,
}

/// A coordinate of the drawing, to the tenth of a unit (not a figure shown to the reader).
pub(crate) fn coordonnee(v: f64) -> String {
    format!("{v:.1}")
}

/// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`.
fn borne(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|k| k * p)
        .find(|b| *b >= max)
        .unwrap_or(10.0 * p)
}

/// The opening of a chart: its title and description, which name it for assistive technologies.
fn entete(id: &str, titre: &str, description: &str) -> Markup {
    html! {
        title id={ (id) "-titre" } { (titre) }
        desc id={ (id) "-desc" } { (description) }
    }
}

/// Vertical bars, one per label (months), with an optional horizontal reference line (a
/// monthly target) and its label.
pub fn histogramme(
    id: &str,
    titre: &str,
    unite: &str,
    barres: &[Barre],
    repere: Option<(f64, &str)>,
) -> Markup {
    let (largeur, hauteur) = (640.0, 260.0);
    let (gauche, bas, haut) = (56.0, 40.0, 16.0);
    let max = barres
        .iter()
        .map(|b| b.valeur)
        .chain(repere.map(|r| r.0))
        .fold(0.0, f64::max);
    let borne = borne(max);
    let zone_h = hauteur - bas - haut;
    let pas = (largeur - gauche - 8.0) / barres.len().max(1) as f64;
    let y = |v: f64| haut + zone_h * (1.0 - v / borne);
    let description =
        format!("Diagramme en barres ({unite}) ; les valeurs figurent dans le tableau qui suit.");
    html! {
        svg class="graphique" viewBox={ "0 0 " (largeur) " " (hauteur) } role="img"
            aria-labelledby={ (id) "-titre " (id) "-desc" } focusable="false" {
            (entete(id, titre, &description))
            @for k in 0..=4 {
                @let v = borne * f64::from(k) / 4.0;
                line x1=(gauche) x2=(largeur - 8.0) y1=(coordonnee(y(v))) y2=(coordonnee(y(v)))
                    stroke="#dddddd" {}
                text x=(gauche - 6.0) y=(coordonnee(y(v) + 4.0)) font-size="11" text-anchor="end"
                    fill="#3a3a3a" { (fr::nombre(v)) }
            }
            @for (i, b) in barres.iter().enumerate() {
                @let x = gauche + pas * i as f64 + pas * 0.15;
                rect x=(coordonnee(x)) y=(coordonnee(y(b.valeur))) width=(coordonnee(pas * 0.7))
                    height=(coordonnee((zone_h - (y(b.valeur) - haut)).max(0.0))) fill="#1f4e9c" {
                    title { (b.libelle) " : " (fr::nombre(b.valeur)) }
                }
                text x=(coordonnee(x + pas * 0.35)) y=(coordonnee(hauteur - bas + 16.0))
                    font-size="11" text-anchor="middle" fill="#3a3a3a" { (b.libelle) }
            }
            @if let Some((v, libelle)) = repere {
                line x1=(gauche) x2=(largeur - 8.0) y1=(coordonnee(y(v))) y2=(coordonnee(y(v)))
                    stroke="#b34000" stroke-width="2" stroke-dasharray="6 4" {}
                text x=(largeur - 10.0) y=(coordonnee(y(v) - 5.0)) font-size="11"
                    text-anchor="end" fill="#8a3000" { (libelle) }
            }
        }
    }
}

/// Horizontal bars of progress against a total (families reached against 13 000, money
/// against the envelope): one bar per line, the share written at its end.
pub fn jauges(id: &str, titre: &str, lignes: &[Jauge]) -> Markup {
    let largeur = 640.0;
    let hauteur = 24.0 + 30.0 * lignes.len() as f64;
    let gauche = 190.0;
    let zone = largeur - gauche - 70.0;
    html! {
        svg class="graphique" viewBox={ "0 0 " (largeur) " " (hauteur) } role="img"
            aria-labelledby={ (id) "-titre " (id) "-desc" } focusable="false" {
            (entete(id, titre, "Barres de progression ; les valeurs figurent dans le tableau qui suit."))
            @for (i, j) in lignes.iter().enumerate() {
                @let part = if j.total > 0.0 { j.valeur / j.total } else { 0.0 };
                @let y = 12.0 + 30.0 * i as f64;
                text x=(coordonnee(gauche - 8.0)) y=(coordonnee(y + 12.0)) font-size="12"
                    text-anchor="end" fill="#161616" { (j.libelle) }
                rect x=(gauche) y=(coordonnee(y)) width=(coordonnee(zone)) height="16"
                    fill="#eeeeee" stroke="#929292" stroke-width="0.5" {}
                rect x=(gauche) y=(coordonnee(y)) width=(coordonnee(zone * part.clamp(0.0, 1.0)))
                    height="16" fill="#1f4e9c" {}
                text x=(coordonnee(gauche + zone + 6.0)) y=(coordonnee(y + 12.0)) font-size="12"
                    fill="#161616" { (fr::nombre(part * 100.0)) "\u{a0}%" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bornes_rondes() {
        assert_eq!(borne(0.0), 1.0);
        assert_eq!(borne(7.0), 10.0);
        assert_eq!(borne(12.0), 20.0);
        assert_eq!(borne(450.0), 500.0);
        assert_eq!(borne(500.0), 500.0);
    }

    #[test]
    fn une_barre_par_valeur_avec_son_titre() {
        let b = vec![
            Barre {
                libelle: "janv.".into(),
                valeur: 10.0,
            },
            Barre {
                libelle: "févr.".into(),
                valeur: 1500.0,
            },
        ];
        let svg =
            histogramme("h", "Entretiens", "entretiens", &b, Some((8.0, "objectif"))).into_string();
        assert_eq!(svg.matches("<rect").count(), 2);
        assert_eq!(svg.matches("</rect>").count(), 2, "chaque forme est fermée");
        assert!(svg.contains("<title>janv. : 10</title>"));
        assert!(svg.contains("<title>févr. : 1\u{202f}500</title>"));
        assert!(svg.contains("objectif"));
    }

    #[test]
    fn un_libelle_est_echappe() {
        let j = [Jauge {
            libelle: "<b>Familles</b>".into(),
            valeur: 1.0,
            total: 4.0,
        }];
        let svg = jauges("j", "Avancement & objectifs", &j).into_string();
        assert!(svg.contains("&lt;b&gt;Familles&lt;/b&gt;"), "{svg}");
        assert!(svg.contains("Avancement &amp; objectifs"));
        assert!(svg.contains(">25\u{a0}%</text>"));
    }
}
