//! The map of the départements, drawn by the server as SVG from the real boundaries shipped with
//! the binary (`data/geo/departements-avec-outre-mer.geojson`, IGN Admin Express 2018, Licence
//! Ouverte). The outlines are projected, thinned and simplified once, at first use (`contours`);
//! each map then colours them by an indicator, in five classes, with a legend. The same figures are always given in a
//! table next to the map. The drawing is a typed template: every name and value is escaped; only
//! the outlines' path data, made of digits and path letters, is computed as text.

mod contours;

pub(crate) use contours::contour_projete;

use std::collections::BTreeMap;

use maud::{Markup, html};

use crate::fr;
use contours::{HAUTEUR, LARGEUR, OUTRE_MER, contours};

/// Five blues from light to dark (the darkest three carry white text elsewhere; here only
/// fills), and the grey of a département without a value.
const CLASSES: [&str; 5] = ["#dfe9f7", "#a9c4ea", "#6c98d6", "#3465b0", "#12357a"];
const SANS_VALEUR: &str = "#f2f2f2";

/// One département's value on the map: the number used for the colour and its French text.
#[derive(Debug, Clone)]
pub struct ValeurCarte {
    pub valeur: f64,
    pub texte: String,
}

/// The bounds of the legend's classes: `(colour, low, high)`, one class when every value is the
/// same, none when there is no value.
fn classes_de_la_legende(min: f64, max: f64, vide: bool) -> Vec<(&'static str, f64, f64)> {
    if vide {
        return Vec::new();
    }
    let n = if max <= min { 1 } else { CLASSES.len() };
    CLASSES
        .iter()
        .take(n)
        .enumerate()
        .map(|(i, couleur)| {
            (
                *couleur,
                min + (max - min) * i as f64 / 5.0,
                min + (max - min) * (i + 1) as f64 / 5.0,
            )
        })
        .collect()
}

/// The map coloured by `valeurs` (by département code). `titre` names the indicator; `id`
/// must be unique in the page. Départements outside `valeurs` are grey ("pas de donnée").
pub fn carte(id: &str, titre: &str, valeurs: &BTreeMap<String, ValeurCarte>) -> Markup {
    let (min, max) = valeurs.values().fold((f64::MAX, f64::MIN), |(a, b), v| {
        (a.min(v.valeur), b.max(v.valeur))
    });
    let classe = |v: f64| -> usize {
        if max <= min {
            return 2;
        }
        (((v - min) / (max - min) * 5.0).floor() as usize).min(4)
    };
    html! {
        figure.figure-carte {
            svg class="carte" viewBox={ "0 0 " (LARGEUR) " " (HAUTEUR) } role="img"
                aria-labelledby={ (id) "-titre " (id) "-desc" } focusable="false" {
                title id={ (id) "-titre" } { (titre) }
                desc id={ (id) "-desc" } {
                    "Carte des départements colorés selon l'indicateur ; les valeurs figurent dans le tableau qui suit la carte."
                }
                @for (i, (code, _)) in OUTRE_MER.iter().enumerate() {
                    rect x="6" y=(12.0 + 106.0 * i as f64) width="104" height="100" fill="none"
                        stroke="#929292" stroke-width="0.6" {}
                    text x="10" y=(22.0 + 106.0 * i as f64) font-size="9" fill="#3a3a3a" { (code) }
                }
                @for c in contours() {
                    @let (couleur, texte) = match valeurs.get(&c.code) {
                        Some(v) => (CLASSES[classe(v.valeur)], v.texte.as_str()),
                        None => (SANS_VALEUR, "pas de donnée"),
                    };
                    path d=(c.chemin) fill=(couleur) stroke="#6a6a6a" stroke-width="0.4" {
                        title { (c.nom) " (" (c.code) ") : " (texte) }
                    }
                }
            }
            figcaption { (titre) }
            ul.legende-carte {
                @if valeurs.is_empty() {
                    li { "Aucune donnée pour cette période." }
                }
                @for (couleur, bas, haut) in classes_de_la_legende(min, max, valeurs.is_empty()) {
                    li {
                        span.pastille style={ "background:" (couleur) } {}
                        "de " (fr::nombre(bas)) " à " (fr::nombre(haut))
                    }
                }
                li { span.pastille style={ "background:" (SANS_VALEUR) } {} "pas de donnée" }
            }
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn couleurs_et_titres() {
        let mut v = BTreeMap::new();
        v.insert(
            "38".to_owned(),
            ValeurCarte {
                valeur: 10.0,
                texte: "10 familles".into(),
            },
        );
        v.insert(
            "974".to_owned(),
            ValeurCarte {
                valeur: 20.0,
                texte: "20 familles".into(),
            },
        );
        let svg = carte("t", "Familles", &v).into_string();
        assert!(svg.contains("Isère (38) : 10 familles"));
        assert!(svg.contains("La Réunion (974) : 20 familles"));
        assert!(svg.contains(CLASSES[0]) && svg.contains(CLASSES[4]));
        assert!(svg.contains("Ain (01) : pas de donnée"));
        assert_eq!(svg.matches("<path").count(), 101);
        assert_eq!(
            svg.matches("</path>").count(),
            101,
            "chaque contour est fermé"
        );
    }

    #[test]
    fn le_titre_est_echappe() {
        let svg = carte("t", "Familles <accompagnées> & suivies", &BTreeMap::new()).into_string();
        assert!(svg.contains("Familles &lt;accompagnées&gt; &amp; suivies"));
        assert!(svg.contains("Aucune donnée pour cette période."));
    }
}
