//! The coverage map of a département, drawn by the server as SVG: each commune a point at its
//! centroid (a filled blue dot when a place is within the distance, a hollow red ring with a
//! cross when none is), each place a black square; a legend in words. The map never carries
//! information alone: the page gives the same in tables after it.

use domain::territoire::Position;
use domain::territoire::couverture::{Couverture, DiagnosticCouverture};
use maud::{Markup, html};

use crate::fr;

const LARGEUR: f64 = 640.0;
const HAUTEUR: f64 = 520.0;
const MARGE: f64 = 14.0;

/// An equirectangular projection of the département's bounding box (longitudes shrunk by the
/// cosine of the middle latitude), fitted in the drawing.
struct Projection {
    lon_min: f64,
    lat_max: f64,
    cosinus: f64,
    echelle: f64,
    decalage_x: f64,
    decalage_y: f64,
}

impl Projection {
    fn pour(points: &[Position]) -> Projection {
        let (mut lat_min, mut lat_max, mut lon_min, mut lon_max) =
            (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in points {
            lat_min = lat_min.min(p.latitude);
            lat_max = lat_max.max(p.latitude);
            lon_min = lon_min.min(p.longitude);
            lon_max = lon_max.max(p.longitude);
        }
        if points.is_empty() {
            (lat_min, lat_max, lon_min, lon_max) = (0.0, 1.0, 0.0, 1.0);
        }
        let cosinus = ((lat_min + lat_max) / 2.0).to_radians().cos().max(0.1);
        let etendue_x = ((lon_max - lon_min) * cosinus).max(1e-6);
        let etendue_y = (lat_max - lat_min).max(1e-6);
        let echelle =
            ((LARGEUR - 2.0 * MARGE) / etendue_x).min((HAUTEUR - 2.0 * MARGE) / etendue_y);
        Projection {
            lon_min,
            lat_max,
            cosinus,
            echelle,
            decalage_x: MARGE + (LARGEUR - 2.0 * MARGE - etendue_x * echelle) / 2.0,
            decalage_y: MARGE + (HAUTEUR - 2.0 * MARGE - etendue_y * echelle) / 2.0,
        }
    }

    /// The point in the drawing, rounded to a tenth of a unit.
    fn projeter(&self, p: Position) -> (f64, f64) {
        let x = self.decalage_x + (p.longitude - self.lon_min) * self.cosinus * self.echelle;
        let y = self.decalage_y + (self.lat_max - p.latitude) * self.echelle;
        ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
    }
}

/// The map of `d`; `libelle` names the scheme. `id` must be unique in the page.
pub fn carte_couverture(id: &str, d: &DiagnosticCouverture, libelle: &str) -> Markup {
    carte(id, d, libelle, true)
}

/// The map of `d` without its places (the communes' coverage only), for a public page where a
/// place drawn alone would count the places of a commune.
pub(crate) fn carte_couverture_sans_lieux(
    id: &str,
    d: &DiagnosticCouverture,
    libelle: &str,
) -> Markup {
    carte(id, d, libelle, false)
}

fn carte(id: &str, d: &DiagnosticCouverture, libelle: &str, avec_lieux: bool) -> Markup {
    let positions: Vec<Position> = d.communes.iter().filter_map(|c| c.position).collect();
    let projection = Projection::pour(&positions);
    let rayon = fr::nombre(d.rayon_km);
    let nom = domain::territoire::departement(d.departement)
        .map_or_else(|| d.total.nom.clone(), |x| x.nom_precede_de());
    let titre = format!("Couverture {nom} par l'offre {libelle} à moins de {rayon} km");
    // Places outside the frame (in a neighbouring département) are not drawn.
    let dans_le_cadre =
        |(x, y): (f64, f64)| (0.0..=LARGEUR).contains(&x) && (0.0..=HAUTEUR).contains(&y);
    html! {
        figure.figure-carte {
            svg class="carte carte-couverture" viewBox={ "0 0 " (LARGEUR) " " (HAUTEUR) } role="img"
                aria-labelledby={ (id) "-titre " (id) "-desc" } focusable="false" {
                title id={ (id) "-titre" } { (titre) }
                desc id={ (id) "-desc" } {
                    "Chaque commune est un point à son centre : point bleu plein si un lieu est à moins de "
                    (rayon) " km, anneau rouge barré sinon" @if avec_lieux { " ; chaque lieu est un carré noir" } ". "
                    "Les mêmes informations figurent dans les tableaux qui suivent la carte."
                }
                rect x="0" y="0" width=(LARGEUR) height=(HAUTEUR) fill="#fbfbfb" stroke="#929292" stroke-width="0.6" {}
                @for c in &d.communes {
                    @if let Some(p) = c.position {
                        @let (x, y) = projection.projeter(p);
                        @match c.couverture {
                            Couverture::Couverte { distance_km } => {
                                circle class="commune-couverte" cx=(x) cy=(y) r="2.2" fill="#3465b0" {
                                    title { (c.nom) " : lieu à " (fr::nombre(distance_km)) " km" }
                                }
                            }
                            _ => {
                                g class="commune-non-couverte" {
                                    title { (c.nom) " : aucun lieu à moins de " (rayon) " km" }
                                    circle cx=(x) cy=(y) r="3.2" fill="#ffffff" stroke="#c9191e" stroke-width="1.2" {}
                                    path d={ "M" (x - 2.0) " " (y - 2.0) "l4 4m0 -4l-4 4" } stroke="#c9191e" stroke-width="1" {}
                                }
                            }
                        }
                    }
                }
                @for (lieu, p) in d.lieux.iter().filter(|_| avec_lieux) {
                    @let (x, y) = projection.projeter(*p);
                    @if dans_le_cadre((x, y)) {
                        rect class="lieu" x=(x - 3.0) y=(y - 3.0) width="6" height="6" fill="#161616" {
                            title { (lieu.nom) }
                        }
                    }
                }
            }
            figcaption { (titre) }
            ul.legende-carte {
                li {
                    svg width="14" height="14" aria-hidden="true" focusable="false" { circle cx="7" cy="7" r="4" fill="#3465b0" {} }
                    " commune couverte : un lieu à moins de " (rayon) " km"
                }
                li {
                    svg width="14" height="14" aria-hidden="true" focusable="false" {
                        circle cx="7" cy="7" r="5" fill="#ffffff" stroke="#c9191e" stroke-width="1.2" {}
                        path d="M4.5 4.5l5 5m0 -5l-5 5" stroke="#c9191e" stroke-width="1" {}
                    }
                    " commune non couverte : aucun lieu à moins de " (rayon) " km"
                }
                @if avec_lieux {
                    li {
                        svg width="14" height="14" aria-hidden="true" focusable="false" { rect x="4" y="4" width="6" height="6" fill="#161616" {} }
                        " lieu d'accueil de l'offre " (libelle)
                    }
                }
            }
        }
    }
}
