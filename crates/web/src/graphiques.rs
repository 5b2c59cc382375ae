//! Charts drawn by the server as SVG: vertical bars (a trend by month) and horizontal bars
//! (progress against a target). Each chart is an image with a title and a description, and the
//! page always gives the same figures in a table (RGAA 1.3: a complex image has its
//! alternative next to it).

use crate::fr;
use crate::rendu::e;
use std::fmt::Write as _;

/// A bar: its label and its value.
#[derive(Debug, Clone)]
pub struct Barre {
    pub libelle: String,
    pub valeur: f64,
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

/// Vertical bars, one per label (months), with an optional horizontal reference line (a
/// monthly target) and its label.
pub fn histogramme(
    id: &str,
    titre: &str,
    unite: &str,
    barres: &[Barre],
    repere: Option<(f64, &str)>,
) -> String {
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
    let mut svg = format!(
        "<svg class=\"graphique\" viewBox=\"0 0 {largeur} {hauteur}\" role=\"img\" \
         aria-labelledby=\"{id}-titre {id}-desc\" focusable=\"false\">\
         <title id=\"{id}-titre\">{}</title><desc id=\"{id}-desc\">Diagramme en barres ({}) ; \
         les valeurs figurent dans le tableau qui suit.</desc>",
        e(titre),
        e(unite)
    );
    for k in 0..=4 {
        let v = borne * f64::from(k) / 4.0;
        let _ = write!(
            svg,
            "<line x1=\"{gauche}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#dddddd\"/>\
             <text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#3a3a3a\">{}</text>",
            largeur - 8.0,
            gauche - 6.0,
            y(v) + 4.0,
            fr::nombre(v),
            y = y(v)
        );
    }
    for (i, b) in barres.iter().enumerate() {
        let x = gauche + pas * i as f64 + pas * 0.15;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#1f4e9c\"><title>{} : {}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#3a3a3a\">{}</text>",
            y(b.valeur),
            pas * 0.7,
            (zone_h - (y(b.valeur) - haut)).max(0.0),
            e(&b.libelle),
            fr::nombre(b.valeur),
            x + pas * 0.35,
            hauteur - bas + 16.0,
            e(&b.libelle)
        );
    }
    if let Some((v, libelle)) = repere {
        let _ = write!(
            svg,
            "<line x1=\"{gauche}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#b34000\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\
             <text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#8a3000\">{}</text>",
            largeur - 8.0,
            largeur - 10.0,
            y(v) - 5.0,
            e(libelle),
            y = y(v)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars of progress against a total (families reached against 13 000, money
/// against the envelope): one bar per line, the share written at its end.
pub fn jauges(id: &str, titre: &str, lignes: &[(String, f64, f64)]) -> String {
    let largeur = 640.0;
    let hauteur = 24.0 + 30.0 * lignes.len() as f64;
    let gauche = 190.0;
    let zone = largeur - gauche - 70.0;
    let mut svg = format!(
        "<svg class=\"graphique\" viewBox=\"0 0 {largeur} {hauteur}\" role=\"img\" \
         aria-labelledby=\"{id}-titre {id}-desc\" focusable=\"false\">\
         <title id=\"{id}-titre\">{}</title><desc id=\"{id}-desc\">Barres de progression ; \
         les valeurs figurent dans le tableau qui suit.</desc>",
        e(titre)
    );
    for (i, (libelle, valeur, total)) in lignes.iter().enumerate() {
        let part = if *total > 0.0 { valeur / total } else { 0.0 };
        let y = 12.0 + 30.0 * i as f64;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#161616\">{}</text>\
             <rect x=\"{gauche}\" y=\"{y:.1}\" width=\"{zone:.1}\" height=\"16\" fill=\"#eeeeee\" stroke=\"#929292\" stroke-width=\"0.5\"/>\
             <rect x=\"{gauche}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"16\" fill=\"#1f4e9c\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#161616\">{} %</text>",
            gauche - 8.0,
            y + 12.0,
            e(libelle),
            zone * part.clamp(0.0, 1.0),
            gauche + zone + 6.0,
            y + 12.0,
            fr::nombre(part * 100.0)
        );
    }
    svg.push_str("</svg>");
    svg
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
                valeur: 0.0,
            },
        ];
        let svg = histogramme("h", "Entretiens", "entretiens", &b, Some((8.0, "objectif")));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("<title>janv. : 10</title>"));
        assert!(svg.contains("objectif"));
    }
}
