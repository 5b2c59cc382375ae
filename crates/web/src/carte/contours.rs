//! The outlines of the départements, read once from the real boundaries shipped with the binary
//! (`data/geo/departements-avec-outre-mer.geojson`, IGN Admin Express 2018, Licence Ouverte):
//! projected (metropolitan France in the main frame, each overseas département in a box),
//! thinned, simplified, and written as SVG path data in its shortest form (relative steps in
//! tenths of a unit). Path data is made of digits and path letters only.

use std::fmt::Write as _;
use std::sync::OnceLock;

const GEOJSON: &str = include_str!("../../../../data/geo/departements-avec-outre-mer.geojson");

/// Width and height of the drawing, in SVG units.
pub(super) const LARGEUR: f64 = 640.0;
pub(super) const HAUTEUR: f64 = 560.0;
/// Points closer than this to the last point kept are dropped.
const PAS_MIN: f64 = 0.9;
/// Then the outline is simplified: no point of it moves by more than this (a third of a pixel
/// at the map's own size).
const TOLERANCE: f64 = 0.35;

/// One département's outline, ready to draw.
#[derive(Debug)]
pub(super) struct Contour {
    pub code: String,
    pub nom: String,
    pub chemin: String,
}

/// Where a territory is drawn: metropolitan France in the main frame, each overseas
/// département in a small box on the left.
#[derive(Debug, Clone, Copy)]
struct Cadre {
    lon_min: f64,
    lon_max: f64,
    lat_min: f64,
    lat_max: f64,
    x: f64,
    y: f64,
    largeur: f64,
    hauteur: f64,
}

impl Cadre {
    fn projeter(&self, lon: f64, lat: f64) -> (f64, f64) {
        let lat_moy = ((self.lat_min + self.lat_max) / 2.0).to_radians();
        let etendue_x = (self.lon_max - self.lon_min) * lat_moy.cos();
        let etendue_y = self.lat_max - self.lat_min;
        let echelle = (self.largeur / etendue_x).min(self.hauteur / etendue_y);
        let marge_x = (self.largeur - etendue_x * echelle) / 2.0;
        let marge_y = (self.hauteur - etendue_y * echelle) / 2.0;
        (
            self.x + marge_x + (lon - self.lon_min) * lat_moy.cos() * echelle,
            self.y + marge_y + (self.lat_max - lat) * echelle,
        )
    }
}

const METROPOLE: Cadre = Cadre {
    lon_min: -5.3,
    lon_max: 9.7,
    lat_min: 41.3,
    lat_max: 51.15,
    x: 130.0,
    y: 10.0,
    largeur: 500.0,
    hauteur: 540.0,
};
/// The overseas boxes: code, bounds (lon min, lon max, lat min, lat max).
pub(super) const OUTRE_MER: [(&str, [f64; 4]); 5] = [
    ("971", [-61.85, -60.95, 15.8, 16.55]),
    ("972", [-61.25, -60.78, 14.36, 14.9]),
    ("973", [-54.7, -51.5, 2.0, 5.85]),
    ("974", [55.18, 55.86, -21.42, -20.85]),
    ("976", [44.98, 45.32, -13.03, -12.62]),
];

fn cadre(code: &str) -> Cadre {
    match OUTRE_MER.iter().position(|(c, _)| *c == code) {
        Some(i) => {
            let [lon_min, lon_max, lat_min, lat_max] = OUTRE_MER[i].1;
            Cadre {
                lon_min,
                lon_max,
                lat_min,
                lat_max,
                x: 8.0,
                y: 14.0 + 106.0 * i as f64,
                largeur: 100.0,
                hauteur: 96.0,
            }
        }
        None => METROPOLE,
    }
}

/// Appends one ring, thinned then simplified; rings smaller than a unit are skipped.
fn anneau(cadre: &Cadre, points: &[serde_json::Value], chemin: &mut String) {
    let mut projetes: Vec<(f64, f64)> = Vec::with_capacity(points.len() / 4);
    for p in points {
        let (Some(lon), Some(lat)) = (
            p.get(0).and_then(serde_json::Value::as_f64),
            p.get(1).and_then(serde_json::Value::as_f64),
        ) else {
            continue;
        };
        let q = cadre.projeter(lon, lat);
        match projetes.last() {
            Some(d) if (d.0 - q.0).hypot(d.1 - q.1) < PAS_MIN => {}
            _ => projetes.push(q),
        }
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in &projetes {
        x0 = x0.min(*x);
        y0 = y0.min(*y);
        x1 = x1.max(*x);
        y1 = y1.max(*y);
    }
    if projetes.len() < 3 || (x1 - x0) * (y1 - y0) < 1.0 {
        return;
    }
    ecrire_anneau(&simplifier(&projetes, TOLERANCE), chemin);
}

/// The distance from `p` to the segment `a`–`b`.
fn distance_au_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let longueur2 = dx * dx + dy * dy;
    if longueur2 == 0.0 {
        return (p.0 - a.0).hypot(p.1 - a.1);
    }
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / longueur2).clamp(0.0, 1.0);
    (p.0 - (a.0 + t * dx)).hypot(p.1 - (a.1 + t * dy))
}

/// The line simplified by Douglas and Peucker's method: the points that depart from the line
/// through their neighbours kept by more than `tolerance`; the first and the last always kept.
fn simplifier(points: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut garde = vec![false; points.len()];
    garde[0] = true;
    garde[points.len() - 1] = true;
    let mut a_traiter = vec![(0, points.len() - 1)];
    while let Some((debut, fin)) = a_traiter.pop() {
        let mut plus_loin = (0.0, 0);
        for i in debut + 1..fin {
            let d = distance_au_segment(points[i], points[debut], points[fin]);
            if d > plus_loin.0 {
                plus_loin = (d, i);
            }
        }
        if plus_loin.0 > tolerance {
            garde[plus_loin.1] = true;
            a_traiter.push((debut, plus_loin.1));
            a_traiter.push((plus_loin.1, fin));
        }
    }
    points
        .iter()
        .zip(garde)
        .filter_map(|(p, g)| g.then_some(*p))
        .collect()
}

/// A number of tenths written as short as SVG allows: `12.5`, `.5`, `-3`.
fn dixiemes(t: i64, chemin: &mut String, apres_une_lettre: bool) {
    let entier = t.unsigned_abs() / 10;
    let chiffre = t.unsigned_abs() % 10;
    if t < 0 {
        chemin.push('-');
    } else if !apres_une_lettre {
        chemin.push(' ');
    }
    match (entier, chiffre) {
        (0, 0) => chemin.push('0'),
        (0, c) => {
            let _ = write!(chemin, ".{c}");
        }
        (n, 0) => {
            let _ = write!(chemin, "{n}");
        }
        (n, c) => {
            let _ = write!(chemin, "{n}.{c}");
        }
    }
}

/// Appends a ring as `M x y l dx dy … Z`: the first point, then each step from the point before,
/// at a tenth of a unit (rounded positions, so that steps add up exactly).
fn ecrire_anneau(points: &[(f64, f64)], chemin: &mut String) {
    let mut precedent: Option<(i64, i64)> = None;
    for (x, y) in points {
        let q = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
        match precedent {
            None => {
                chemin.push('M');
                dixiemes(q.0, chemin, true);
                dixiemes(q.1, chemin, false);
                chemin.push('l');
                precedent = Some(q);
            }
            Some(p) if p == q => {}
            Some(p) => {
                dixiemes(q.0 - p.0, chemin, chemin.ends_with('l'));
                dixiemes(q.1 - p.1, chemin, false);
                precedent = Some(q);
            }
        }
    }
    if chemin.ends_with('l') {
        chemin.pop();
    }
    chemin.push('Z');
}
/// Rings of (longitude, latitude) points, by département code.
type AnneauxParCode = std::collections::HashMap<String, Vec<Vec<(f64, f64)>>>;

/// The rings of every département's outline as the file gives them (longitude, latitude), by
/// code, read at first use: for maps of a smaller area with their own projection.
fn anneaux_bruts() -> &'static AnneauxParCode {
    static ANNEAUX: OnceLock<AnneauxParCode> = OnceLock::new();
    ANNEAUX.get_or_init(|| {
        let mut par_code = std::collections::HashMap::new();
        let Ok(geo) = serde_json::from_str::<serde_json::Value>(GEOJSON) else {
            return par_code;
        };
        for f in geo["features"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let code = f["properties"]["code"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let geometrie = &f["geometry"];
            let polygones: Vec<&serde_json::Value> = match geometrie["type"].as_str() {
                Some("Polygon") => vec![&geometrie["coordinates"]],
                Some("MultiPolygon") => geometrie["coordinates"]
                    .as_array()
                    .map(|v| v.iter().collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            let mut anneaux = Vec::new();
            for polygone in polygones {
                for a in polygone.as_array().map(Vec::as_slice).unwrap_or(&[]) {
                    let points: Vec<(f64, f64)> = a
                        .as_array()
                        .map(Vec::as_slice)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
                        .collect();
                    anneaux.push(points);
                }
            }
            par_code.insert(code, anneaux);
        }
        par_code
    })
}

/// The outline of département `code` as SVG path data, each point projected by `projeter`
/// (longitude, latitude → x, y), thinned and simplified like the national map's; empty for an
/// unknown code.
pub(crate) fn contour_projete(code: &str, projeter: impl Fn(f64, f64) -> (f64, f64)) -> String {
    let mut chemin = String::new();
    for anneau in anneaux_bruts().get(code).map(Vec::as_slice).unwrap_or(&[]) {
        let mut projetes: Vec<(f64, f64)> = Vec::with_capacity(anneau.len());
        for (lon, lat) in anneau {
            let q = projeter(*lon, *lat);
            match projetes.last() {
                Some(d) if (d.0 - q.0).hypot(d.1 - q.1) < PAS_MIN => {}
                _ => projetes.push(q),
            }
        }
        if projetes.len() >= 3 {
            ecrire_anneau(&simplifier(&projetes, TOLERANCE), &mut chemin);
        }
    }
    chemin
}

/// Every outline, sorted by code, computed at first use.
pub(super) fn contours() -> &'static [Contour] {
    static CONTOURS: OnceLock<Vec<Contour>> = OnceLock::new();
    CONTOURS.get_or_init(|| {
        let Ok(geo) = serde_json::from_str::<serde_json::Value>(GEOJSON) else {
            return Vec::new();
        };
        let mut sortie = Vec::new();
        for f in geo["features"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let code = f["properties"]["code"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let nom = f["properties"]["nom"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let cadre = cadre(&code);
            let geometrie = &f["geometry"];
            let polygones: Vec<&serde_json::Value> = match geometrie["type"].as_str() {
                Some("Polygon") => vec![&geometrie["coordinates"]],
                Some("MultiPolygon") => geometrie["coordinates"]
                    .as_array()
                    .map(|v| v.iter().collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            let mut chemin = String::new();
            for polygone in polygones {
                for a in polygone.as_array().map(Vec::as_slice).unwrap_or(&[]) {
                    anneau(
                        &cadre,
                        a.as_array().map(Vec::as_slice).unwrap_or(&[]),
                        &mut chemin,
                    );
                }
            }
            sortie.push(Contour { code, nom, chemin });
        }
        sortie.sort_by(|a, b| a.code.cmp(&b.code));
        sortie
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn les_101_departements_sont_dessines() {
        let c = contours();
        assert_eq!(c.len(), 101);
        assert!(
            c.iter().all(|d| d.chemin.starts_with('M')),
            "un contour vide"
        );
        let total: usize = c.iter().map(|d| d.chemin.len()).sum();
        assert!(total < 120_000, "carte trop lourde: {total} octets");
        // Every outline reads back into points inside the drawing.
        for d in c {
            for (x, y) in relire(&d.chemin) {
                assert!(
                    (0.0..=LARGEUR).contains(&x) && (0.0..=HAUTEUR).contains(&y),
                    "{}: point ({x}, {y}) hors du dessin",
                    d.code
                );
            }
        }
    }

    /// The absolute points of a path written by [`ecrire_anneau`].
    fn relire(chemin: &str) -> Vec<(f64, f64)> {
        let mut points = Vec::new();
        for anneau in chemin.split('Z').filter(|a| !a.is_empty()) {
            let anneau = anneau.strip_prefix('M').unwrap();
            let (depart, pas) = anneau.split_once('l').unwrap_or((anneau, ""));
            let nombres = |t: &str| -> Vec<f64> {
                let mut v = Vec::new();
                let mut courant = String::new();
                for ch in t.chars() {
                    if (ch == '-' || ch == ' ') && !courant.is_empty() {
                        v.push(courant.parse::<f64>().unwrap());
                        courant.clear();
                    }
                    if ch != ' ' {
                        courant.push(ch);
                    }
                }
                if !courant.is_empty() {
                    v.push(courant.parse::<f64>().unwrap());
                }
                v
            };
            let d = nombres(depart);
            let (mut x, mut y) = (d[0], d[1]);
            points.push((x, y));
            for p in nombres(pas).chunks(2) {
                x += p[0];
                y += p[1];
                points.push((x, y));
            }
        }
        points
    }

    #[test]
    fn un_contour_s_ecrit_en_pas_relatifs_et_se_relit_exactement() {
        let mut chemin = String::new();
        ecrire_anneau(
            &[
                (466.04, 282.3),
                (466.24, 281.4),
                (466.24, 281.4),
                (465.0, 290.0),
                (466.04, 282.3),
            ],
            &mut chemin,
        );
        assert_eq!(chemin, "M466 282.3l.2-.9-1.2 8.6 1-7.7Z");
        let points = relire(&chemin);
        assert_eq!(points.len(), 4);
        let dernier = points[3];
        assert!((dernier.0 - 466.0).abs() < 1e-9 && (dernier.1 - 282.3).abs() < 1e-9);
    }

    #[test]
    fn la_simplification_garde_les_angles_et_retire_les_points_alignes() {
        let ligne = [
            (0.0, 0.0),
            (1.0, 0.1),
            (2.0, 0.0),
            (3.0, 0.0),
            (3.0, 5.0),
            (0.0, 0.0),
        ];
        assert_eq!(
            simplifier(&ligne, 0.35),
            vec![(0.0, 0.0), (3.0, 0.0), (3.0, 5.0), (0.0, 0.0)]
        );
        // A point farther than the tolerance stays.
        let bosse = [(0.0, 0.0), (1.0, 0.5), (2.0, 0.0)];
        assert_eq!(simplifier(&bosse, 0.35).len(), 3);
    }
}
