//! The map of a directory search, drawn by the server as SVG (no tile server): the outline of
//! the searched commune's département, the circle of the radius around the commune's centre,
//! and each service found as a numbered marker at its nearest place, numbered like the list of
//! results. The map never carries information alone: the list gives the same, in words.

use domain::territoire::Position;
use maud::{Markup, html};

use crate::carte::contour_projete;
use crate::fr;

const LARGEUR: f64 = 600.0;
const HAUTEUR: f64 = 460.0;
const MARGE: f64 = 24.0;
/// Kilometres per degree of latitude (mean Earth radius).
const KM_PAR_DEGRE: f64 = 111.195;

/// A service on the map.
#[derive(Debug, Clone)]
pub struct Marqueur {
    /// Its number in the list of results.
    pub numero: usize,
    pub nom: String,
    pub position: Position,
    /// Its distance as the list writes it.
    pub distance: String,
}

/// What the map shows.
#[derive(Debug, Clone)]
pub struct CarteRecherche {
    pub commune: String,
    pub departement: String,
    pub centre: Position,
    pub rayon_km: u32,
    pub marqueurs: Vec<Marqueur>,
}

/// An equirectangular projection (longitudes shrunk by the cosine of the centre's latitude) of
/// the area around the centre.
#[derive(Debug, Clone, Copy)]
struct Projection {
    lon_min: f64,
    lat_max: f64,
    cosinus: f64,
    /// SVG units per degree of latitude.
    echelle: f64,
    decalage_x: f64,
    decalage_y: f64,
}

impl Projection {
    /// Fits the circle of the radius and every marker in the drawing.
    fn pour(carte: &CarteRecherche) -> Projection {
        let cosinus = carte.centre.latitude.to_radians().cos().max(0.1);
        let d_lat = f64::from(carte.rayon_km) / KM_PAR_DEGRE;
        let d_lon = d_lat / cosinus;
        let (mut lat_min, mut lat_max) =
            (carte.centre.latitude - d_lat, carte.centre.latitude + d_lat);
        let (mut lon_min, mut lon_max) = (
            carte.centre.longitude - d_lon,
            carte.centre.longitude + d_lon,
        );
        for m in &carte.marqueurs {
            lat_min = lat_min.min(m.position.latitude);
            lat_max = lat_max.max(m.position.latitude);
            lon_min = lon_min.min(m.position.longitude);
            lon_max = lon_max.max(m.position.longitude);
        }
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

    fn projeter(&self, longitude: f64, latitude: f64) -> (f64, f64) {
        let x = self.decalage_x + (longitude - self.lon_min) * self.cosinus * self.echelle;
        let y = self.decalage_y + (self.lat_max - latitude) * self.echelle;
        ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
    }

    /// SVG units per kilometre.
    fn par_km(&self) -> f64 {
        self.echelle / KM_PAR_DEGRE
    }
}

/// Where each marker is drawn: at its place, moved around a circle when several fall on the same
/// point (services of one commune placed at its centre), so that every number can be read.
fn emplacements(projection: &Projection, marqueurs: &[Marqueur]) -> Vec<(f64, f64)> {
    let mut poses: Vec<(f64, f64)> = Vec::with_capacity(marqueurs.len());
    for m in marqueurs {
        let (x, y) = projection.projeter(m.position.longitude, m.position.latitude);
        let deja = poses
            .iter()
            .filter(|(a, b)| (a - x).hypot(b - y) < 16.0)
            .count();
        if deja == 0 {
            poses.push((x, y));
        } else {
            let angle = deja as f64 * 0.9;
            let rayon = 16.0 + 3.0 * deja as f64;
            let px = (x + rayon * angle.cos()).clamp(10.0, LARGEUR - 10.0);
            let py = (y + rayon * angle.sin()).clamp(10.0, HAUTEUR - 10.0);
            poses.push(((px * 10.0).round() / 10.0, (py * 10.0).round() / 10.0));
        }
    }
    poses
}

/// A round number of kilometres for the scale bar, about a fifth of the drawing.
fn echelle_km(par_km: f64) -> f64 {
    let cible = LARGEUR / 5.0 / par_km;
    [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
        .into_iter()
        .rev()
        .find(|&k| k <= cible)
        .unwrap_or(0.5)
}

/// The map. `id` must be unique in the page.
pub fn carte(id: &str, carte: &CarteRecherche) -> Markup {
    let projection = Projection::pour(carte);
    let contour = contour_projete(&carte.departement, |lon, lat| projection.projeter(lon, lat));
    let (cx, cy) = projection.projeter(carte.centre.longitude, carte.centre.latitude);
    let rayon = f64::from(carte.rayon_km) * projection.par_km();
    let poses = emplacements(&projection, &carte.marqueurs);
    let km = echelle_km(projection.par_km());
    let barre = km * projection.par_km();
    let titre = format!(
        "Services à moins de {} km de {}",
        carte.rayon_km, carte.commune
    );
    html! {
        figure.figure-carte.carte-annuaire {
            svg class="carte" viewBox={ "0 0 " (LARGEUR) " " (HAUTEUR) } role="img"
                aria-labelledby={ (id) "-titre " (id) "-desc" } focusable="false" {
                title id={ (id) "-titre" } { (titre) }
                desc id={ (id) "-desc" } {
                    "Le contour du département, le cercle de " (carte.rayon_km) " km autour du centre de "
                    (carte.commune) " et chaque service trouvé, numéroté comme dans la liste des résultats."
                }
                rect x="0" y="0" width=(LARGEUR) height=(HAUTEUR) fill="#f6f8fb" {}
                @if !contour.is_empty() {
                    path.departement d=(contour) fill="#ffffff" stroke="#6a6a6a" stroke-width="1" {}
                }
                circle.rayon cx=(cx) cy=(cy) r=((rayon * 10.0).round() / 10.0) fill="#e8f0fa" fill-opacity="0.55"
                    stroke="#3465b0" stroke-width="1.5" stroke-dasharray="6 4" {}
                g.centre {
                    title { "Centre de " (carte.commune) }
                    path d={ "M" (cx - 7.0) " " (cy) "h14M" (cx) " " (cy - 7.0) "v14" } stroke="#161616" stroke-width="2.5" {}
                }
                @for (m, (x, y)) in carte.marqueurs.iter().zip(&poses).rev() {
                    g.marqueur {
                        title { (m.numero) ". " (m.nom) " – " (m.distance) }
                        circle cx=(x) cy=(y) r="10" fill="#12357a" stroke="#ffffff" stroke-width="2" {}
                        text x=(x) y=(y + 4.0) text-anchor="middle" font-size="11" font-weight="700" fill="#ffffff" { (m.numero) }
                    }
                }
                g.echelle {
                    path d={ "M" (MARGE) " " (HAUTEUR - 12.0) "h" ((barre * 10.0).round() / 10.0) } stroke="#161616" stroke-width="2" {}
                    text x=(MARGE) y=(HAUTEUR - 17.0) font-size="11" fill="#161616" { (fr::nombre(km)) " km" }
                }
            }
            figcaption { (titre) }
            ul.legende-carte {
                li {
                    svg width="22" height="22" aria-hidden="true" focusable="false" {
                        circle cx="11" cy="11" r="9" fill="#12357a" {}
                        text x="11" y="15" text-anchor="middle" font-size="11" font-weight="700" fill="#ffffff" { "1" }
                    }
                    " service, numéroté comme dans la liste"
                }
                li {
                    svg width="22" height="22" aria-hidden="true" focusable="false" {
                        circle cx="11" cy="11" r="9" fill="#e8f0fa" stroke="#3465b0" stroke-width="1.5" stroke-dasharray="4 3" {}
                    }
                    " zone à moins de " (carte.rayon_km) " km"
                }
                li {
                    svg width="22" height="22" aria-hidden="true" focusable="false" {
                        path d="M4 11h14M11 4v14" stroke="#161616" stroke-width="2.5" {}
                    }
                    " centre de " (carte.commune)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marqueur(numero: usize, latitude: f64, longitude: f64) -> Marqueur {
        Marqueur {
            numero,
            nom: format!("Service <{numero}>"),
            position: Position {
                latitude,
                longitude,
            },
            distance: "1 km".to_owned(),
        }
    }

    #[test]
    fn marqueurs_numerotes_dans_le_dessin() {
        let c = CarteRecherche {
            commune: "Grenoble".to_owned(),
            departement: "38".to_owned(),
            centre: Position {
                latitude: 45.18,
                longitude: 5.72,
            },
            rayon_km: 10,
            marqueurs: vec![
                marqueur(1, 45.18, 5.72),
                marqueur(2, 45.18, 5.72),
                marqueur(3, 45.6, 5.9),
            ],
        };
        let svg = carte("t", &c).into_string();
        assert!(svg.contains("Service &lt;1&gt;"));
        assert_eq!(svg.matches("class=\"marqueur\"").count(), 3);
        assert!(svg.contains("class=\"departement\""));
        let projection = Projection::pour(&c);
        let poses = emplacements(&projection, &c.marqueurs);
        // Two markers at the same point are drawn apart; all stay in the drawing.
        assert!((poses[0].0 - poses[1].0).hypot(poses[0].1 - poses[1].1) >= 16.0);
        for (x, y) in poses {
            assert!((0.0..=LARGEUR).contains(&x) && (0.0..=HAUTEUR).contains(&y));
        }
    }
}
