//! The coverage of a département by the places of one scheme, for the shared diagnosis of the
//! departmental coordination (Lettre circulaire Cnaf 2012-093 §3-4: « un diagnostic partagé »,
//! « le maillage territorial »; CASF art. L.214-5 and D.214-1: the comité départemental des
//! services aux familles and its schéma départemental): per commune, EPCI and département, the
//! population, the places, the places per 10 000 inhabitants, and the communes with no place
//! within a distance.
//!
//! Distances are great-circle distances between commune centroids (a place is located at the
//! centroid of its commune), on a sphere of the Earth's mean radius. Places of the same commune
//! are one point; the points are put in a grid of cells one radius wide, so that each commune
//! measures its distance only to the points of the few cells around it: with 5 000 places in
//! 700 communes, at most one computation per commune that holds a place nearby, never
//! 700 × 5 000 (BENCHMARKS.md gives the time measured).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::{Communes, Epcis, Position};
use crate::identifiants::{CodeDepartement, CodeInsee, LieuId};

/// The Earth's mean radius (IUGG), in kilometres.
pub const RAYON_TERRE_KM: f64 = 6_371.008_8;

/// The great-circle distance between two points, in kilometres (haversine formula).
pub fn distance_km(a: Position, b: Position) -> f64 {
    let (phi_a, phi_b) = (a.latitude.to_radians(), b.latitude.to_radians());
    let d_phi = phi_b - phi_a;
    let d_lambda = (b.longitude - a.longitude).to_radians();
    let h =
        (d_phi / 2.0).sin().powi(2) + phi_a.cos() * phi_b.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * RAYON_TERRE_KM * h.sqrt().min(1.0).asin()
}

/// A grid of points in cells of equal size in degrees, to find the points near a position
/// without looking at every point.
#[derive(Debug, Clone)]
pub struct Grille {
    /// The side of a cell, in degrees of latitude and of longitude.
    pas: f64,
    cellules: HashMap<(i64, i64), Vec<usize>>,
    points: Vec<Position>,
}

impl Grille {
    /// A grid for searches within `rayon_km` (cells one radius wide, at least 0.01°).
    pub fn new(points: Vec<Position>, rayon_km: f64) -> Grille {
        let pas = (rayon_km / RAYON_TERRE_KM).to_degrees().max(0.01);
        let mut cellules: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (i, p) in points.iter().enumerate() {
            cellules.entry(Self::cellule(pas, *p)).or_default().push(i);
        }
        Grille {
            pas,
            cellules,
            points,
        }
    }

    fn cellule(pas: f64, p: Position) -> (i64, i64) {
        (
            (p.latitude / pas).floor() as i64,
            (p.longitude / pas).floor() as i64,
        )
    }

    /// The nearest point within `rayon_km` of `centre`: its index and distance (see
    /// [`Grille::visiter`] for the points looked at).
    pub fn plus_proche(&self, centre: Position, rayon_km: f64) -> Option<(usize, f64)> {
        let mut meilleur: Option<(usize, f64)> = None;
        self.visiter(centre, rayon_km, |i, d| {
            if meilleur.is_none_or(|(_, m)| d < m) {
                meilleur = Some((i, d));
            }
        });
        meilleur
    }

    /// Every point within `rayon_km` of `centre` (boundary included): index and distance, by
    /// index.
    pub fn dans_le_rayon(&self, centre: Position, rayon_km: f64) -> Vec<(usize, f64)> {
        let mut trouves = Vec::new();
        self.visiter(centre, rayon_km, |i, d| trouves.push((i, d)));
        trouves.sort_by_key(|(i, _)| *i);
        trouves
    }

    /// Calls `trouve` with the index and distance of each point within `rayon_km` of `centre`,
    /// in no particular order. The cells looked at cover the bounding box of the spherical cap
    /// (the latitude ± the radius; the longitude ± asin(sin δ / cos φ), δ the angular radius): no
    /// point within the radius lies outside it. Near a pole or across the antimeridian, every
    /// point is looked at.
    fn visiter(&self, centre: Position, rayon_km: f64, mut trouve: impl FnMut(usize, f64)) {
        let delta = rayon_km / RAYON_TERRE_KM;
        let d_lat = delta.to_degrees();
        let phi = centre.latitude.to_radians();
        let rapport = delta.sin() / phi.cos();
        let d_lon = if rapport < 1.0 {
            rapport.asin().to_degrees()
        } else {
            f64::INFINITY
        };
        let mut essayer = |i: usize| {
            if let Some(p) = self.points.get(i) {
                let d = distance_km(centre, *p);
                if d <= rayon_km {
                    trouve(i, d);
                }
            }
        };
        let lon_min = centre.longitude - d_lon;
        let lon_max = centre.longitude + d_lon;
        if !(-180.0..=180.0).contains(&lon_min) || !(-180.0..=180.0).contains(&lon_max) {
            (0..self.points.len()).for_each(&mut essayer);
            return;
        }
        let (ligne_min, colonne_min) = Self::cellule(
            self.pas,
            Position {
                latitude: centre.latitude - d_lat,
                longitude: lon_min,
            },
        );
        let (ligne_max, colonne_max) = Self::cellule(
            self.pas,
            Position {
                latitude: centre.latitude + d_lat,
                longitude: lon_max,
            },
        );
        for ligne in ligne_min..=ligne_max {
            for colonne in colonne_min..=colonne_max {
                if let Some(indices) = self.cellules.get(&(ligne, colonne)) {
                    indices.iter().copied().for_each(&mut essayer);
                }
            }
        }
    }
}

/// A place of the offer of a scheme: one of the `lieux` listed by a dossier that counts as an
/// offer (see `docs/diagnostic.md`), located in its commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LieuOffre {
    pub lieu: LieuId,
    pub nom: String,
    pub commune: CodeInsee,
}

/// Whether a commune has a place within the distance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Couverture {
    /// A place within the distance; the distance to the nearest, in km.
    Couverte { distance_km: f64 },
    /// No place within the distance.
    NonCouverte,
    /// The commune has no known position (re-created since 2018): not measured.
    PositionInconnue,
}

/// One commune of the diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LigneCommune {
    pub code: CodeInsee,
    pub nom: String,
    pub population: u32,
    pub position: Option<Position>,
    /// The SIREN and name of its EPCI.
    pub epci: Option<(String, String)>,
    /// The places of the offer in the commune.
    pub lieux: u32,
    pub couverture: Couverture,
}

/// The figures of a territory (an EPCI or the département) in the diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LigneTerritoire {
    pub code: String,
    pub nom: String,
    pub communes: u32,
    pub population: u64,
    pub lieux: u32,
    /// Places per 10 000 inhabitants; `None` when the population is zero.
    pub lieux_pour_10_000: Option<f64>,
    pub communes_non_couvertes: u32,
    pub population_non_couverte: u64,
}

impl LigneTerritoire {
    fn ajouter(&mut self, commune: &LigneCommune) {
        self.communes += 1;
        self.population += u64::from(commune.population);
        self.lieux += commune.lieux;
        if commune.couverture == Couverture::NonCouverte {
            self.communes_non_couvertes += 1;
            self.population_non_couverte += u64::from(commune.population);
        }
    }

    fn conclure(&mut self) {
        self.lieux_pour_10_000 = pour_10_000(self.lieux, self.population);
    }
}

/// `lieux` per 10 000 inhabitants of `population`; `None` for no inhabitant.
pub fn pour_10_000(lieux: u32, population: u64) -> Option<f64> {
    (population > 0).then(|| f64::from(lieux) * 10_000.0 / population as f64)
}

/// The diagnosis of a département for one scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticCouverture {
    pub departement: CodeDepartement,
    pub rayon_km: f64,
    /// The communes of the département, by code.
    pub communes: Vec<LigneCommune>,
    /// The EPCI with at least one commune in the département, by name; only those communes
    /// are counted.
    pub epci: Vec<LigneTerritoire>,
    pub total: LigneTerritoire,
    /// The places of the offer that can be located (in the département or near it), by name.
    pub lieux: Vec<(LieuOffre, Position)>,
    /// The places whose commune is unknown or has no position: counted nowhere on the map.
    pub lieux_non_localises: Vec<LieuOffre>,
}

impl DiagnosticCouverture {
    /// The communes with no place within the distance.
    pub fn non_couvertes(&self) -> impl Iterator<Item = &LigneCommune> {
        self.communes
            .iter()
            .filter(|c| c.couverture == Couverture::NonCouverte)
    }
}

/// The diagnosis of `departement`: its communes' population and places, and whether each has a
/// place of `offre` within `rayon_km` (places in a neighbouring département count for the
/// coverage of a commune near the border, and in the places of their own commune only).
pub fn diagnostiquer(
    departement: CodeDepartement,
    communes: &Communes,
    epcis: &Epcis,
    offre: &[LieuOffre],
    rayon_km: f64,
) -> DiagnosticCouverture {
    let mut lieux = Vec::new();
    let mut lieux_non_localises = Vec::new();
    let mut par_commune: HashMap<CodeInsee, u32> = HashMap::new();
    for lieu in offre {
        *par_commune.entry(lieu.commune).or_default() += 1;
        match communes.get(lieu.commune).and_then(|c| c.position) {
            Some(p) => lieux.push((lieu.clone(), p)),
            None => lieux_non_localises.push(lieu.clone()),
        }
    }
    lieux.sort_by(|a, b| a.0.nom.cmp(&b.0.nom).then(a.0.lieu.cmp(&b.0.lieu)));
    // One point per commune holding places: the distance to a place is its commune's.
    let points: BTreeMap<CodeInsee, Position> =
        lieux.iter().map(|(l, p)| (l.commune, *p)).collect();
    let grille = Grille::new(points.into_values().collect(), rayon_km);
    let lignes: Vec<LigneCommune> = communes
        .du_departement(departement)
        .map(|c| LigneCommune {
            code: c.code,
            nom: c.nom.clone(),
            population: c.population.unwrap_or(0),
            position: c.position,
            epci: epcis
                .de_la_commune(c.code)
                .map(|e| (e.code.clone(), e.nom.clone())),
            lieux: par_commune.get(&c.code).copied().unwrap_or(0),
            couverture: match c.position {
                None => Couverture::PositionInconnue,
                Some(p) => match grille.plus_proche(p, rayon_km) {
                    Some((_, distance_km)) => Couverture::Couverte { distance_km },
                    None => Couverture::NonCouverte,
                },
            },
        })
        .collect();
    let mut total = LigneTerritoire {
        code: departement.as_str().to_owned(),
        nom: super::departement(departement).map_or_else(String::new, |d| d.nom.clone()),
        ..LigneTerritoire::default()
    };
    let mut par_epci: BTreeMap<String, LigneTerritoire> = BTreeMap::new();
    for ligne in &lignes {
        total.ajouter(ligne);
        if let Some((code, nom)) = &ligne.epci {
            par_epci
                .entry(code.clone())
                .or_insert_with(|| LigneTerritoire {
                    code: code.clone(),
                    nom: nom.clone(),
                    ..LigneTerritoire::default()
                })
                .ajouter(ligne);
        }
    }
    total.conclure();
    let mut epci: Vec<LigneTerritoire> = par_epci.into_values().collect();
    epci.iter_mut().for_each(LigneTerritoire::conclure);
    epci.sort_by(|a, b| a.nom.cmp(&b.nom).then(a.code.cmp(&b.code)));
    DiagnosticCouverture {
        departement,
        rayon_km,
        communes: lignes,
        epci,
        total,
        lieux,
        lieux_non_localises,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(c: &str) -> CodeInsee {
        CodeInsee::parse(c).unwrap()
    }

    fn lieu(id: i64, nom: &str, commune: &str) -> LieuOffre {
        LieuOffre {
            lieu: LieuId(id),
            nom: nom.to_owned(),
            commune: code(commune),
        }
    }

    /// A small département drawn by hand. Distances (haversine, R = 6 371.0088 km), computed
    /// by hand from the coordinates:
    /// - A 38001 (45.00, 5.00) holds place 1; F 38006 (45.50, 5.00) holds places 2 and 3;
    /// - B 38002 (45.08, 5.00): 0.08° of a meridian from A = 8.8956 km → covered;
    /// - C 38003 (45.10, 5.00): 0.10° of a meridian from A = 11.1195 km (F: 44.478 km) → NOT covered;
    /// - D 38004 (45.00, 5.12): 0.12° of longitude at 45° from A = 9.4352 km → covered;
    /// - H 38005 (45.00, 5.13): 0.13° of longitude at 45° from A = 10.2215 km → NOT covered;
    /// - E 38007 (45.42, 5.00): 0.08° of a meridian from F = 8.8956 km (A: 46.7019 km) → covered;
    /// - G 38008 has no position: not measured, neither covered nor uncovered;
    /// - Z 73001 (45.00, 5.05), in another département, is not listed.
    ///
    /// EPCI X = {A, B, C, H}, Y = {D, E, F}; G belongs to none.
    const COMMUNES: &str = "code,nom,departement,population,latitude,longitude
38001,A,38,10000,45.0,5.0
38002,B,38,2000,45.08,5.0
38003,C,38,500,45.1,5.0
38004,D,38,800,45.0,5.12
38005,H,38,700,45.0,5.13
38006,F,38,4000,45.5,5.0
38007,E,38,300,45.42,5.0
38008,G,38,100,,
73001,Z,73,50,45.0,5.05
";
    const EPCI: &str = "code,nom,type,communes
1,X,CC,38001 38002 38003 38005
2,Y,CC,38004 38007 38006
";

    fn cas_a_la_main() -> DiagnosticCouverture {
        let communes = Communes::depuis_csv(COMMUNES).unwrap();
        let epcis = Epcis::depuis_csv(EPCI).unwrap();
        let offre = vec![
            lieu(1, "Maison des familles", "38001"),
            lieu(2, "Espace parents", "38006"),
            lieu(3, "Café des parents", "38006"),
        ];
        diagnostiquer(
            CodeDepartement::parse("38").unwrap(),
            &communes,
            &epcis,
            &offre,
            10.0,
        )
    }

    #[test]
    fn les_communes_sans_lieu_a_moins_de_10_km_calculees_a_la_main() {
        let d = cas_a_la_main();
        let non: Vec<&str> = d.non_couvertes().map(|c| c.nom.as_str()).collect();
        assert_eq!(non, vec!["C", "H"]);
        let distance =
            |nom: &str| match d.communes.iter().find(|c| c.nom == nom).unwrap().couverture {
                Couverture::Couverte { distance_km } => distance_km,
                autre => panic!("{nom}: {autre:?}"),
            };
        assert!((distance("A") - 0.0).abs() < 1e-9);
        assert!((distance("B") - 8.8956).abs() < 1e-4);
        assert!((distance("D") - 9.4352).abs() < 1e-4);
        assert!((distance("E") - 8.8956).abs() < 1e-4);
        assert!((distance("F") - 0.0).abs() < 1e-9);
        let g = d.communes.iter().find(|c| c.nom == "G").unwrap();
        assert_eq!(g.couverture, Couverture::PositionInconnue);
        assert_eq!(d.communes.len(), 8, "Z est d'un autre département");
    }

    #[test]
    fn les_totaux_par_epci_et_par_departement_calcules_a_la_main() {
        let d = cas_a_la_main();
        // 10 000 + 2 000 + 500 + 800 + 700 + 4 000 + 300 + 100 = 18 400 inhabitants, 3 places:
        // 3 × 10 000 / 18 400 = 1.6304 places per 10 000.
        assert_eq!(d.total.population, 18_400);
        assert_eq!(d.total.lieux, 3);
        assert!((d.total.lieux_pour_10_000.unwrap() - 1.630_434_78).abs() < 1e-6);
        assert_eq!(d.total.communes_non_couvertes, 2);
        assert_eq!(d.total.population_non_couverte, 1_200);
        let x = &d.epci[0];
        // X: 13 200 inhabitants, 1 place → 0.7576 per 10 000; C and H uncovered, 1 200.
        assert_eq!((x.nom.as_str(), x.population, x.lieux), ("X", 13_200, 1));
        assert!((x.lieux_pour_10_000.unwrap() - 0.757_575_76).abs() < 1e-6);
        assert_eq!(
            (x.communes_non_couvertes, x.population_non_couverte),
            (2, 1_200)
        );
        let y = &d.epci[1];
        // Y: 5 100 inhabitants, 2 places → 3.9216 per 10 000; all covered.
        assert_eq!((y.nom.as_str(), y.population, y.lieux), ("Y", 5_100, 2));
        assert!((y.lieux_pour_10_000.unwrap() - 3.921_568_63).abs() < 1e-6);
        assert_eq!(y.communes_non_couvertes, 0);
        assert_eq!(d.lieux.len(), 3);
        assert!(d.lieux_non_localises.is_empty());
    }

    #[test]
    fn sans_lieu_rien_n_est_couvert() {
        let communes = Communes::depuis_csv(COMMUNES).unwrap();
        let d = diagnostiquer(
            CodeDepartement::parse("38").unwrap(),
            &communes,
            &Epcis::default(),
            &[lieu(9, "Inconnu", "38008")],
            10.0,
        );
        assert_eq!(d.non_couvertes().count(), 7);
        assert_eq!(d.lieux_non_localises.len(), 1, "G n'a pas de position");
        assert_eq!(d.total.lieux, 1, "compté dans sa commune");
        assert!(d.epci.is_empty());
    }

    #[test]
    fn un_lieu_voisin_couvre_la_frontiere() {
        // A place in Z (73001, 0.05° of longitude east of A: 3.93 km) covers A, and counts in no
        // commune of the département.
        let communes = Communes::depuis_csv(COMMUNES).unwrap();
        let d = diagnostiquer(
            CodeDepartement::parse("38").unwrap(),
            &communes,
            &Epcis::default(),
            &[lieu(9, "Voisin", "73001")],
            10.0,
        );
        let a = &d.communes[0];
        assert!(
            matches!(a.couverture, Couverture::Couverte { distance_km } if (distance_km - 3.93).abs() < 0.01)
        );
        assert_eq!(d.total.lieux, 0);
    }

    #[test]
    fn distances_connues() {
        // Paris (48.8566, 2.3522) – Lyon (45.7640, 4.8357): about 392 km.
        let paris = Position {
            latitude: 48.8566,
            longitude: 2.3522,
        };
        let lyon = Position {
            latitude: 45.7640,
            longitude: 4.8357,
        };
        let d = distance_km(paris, lyon);
        assert!((391.0..393.5).contains(&d), "{d}");
        assert!(distance_km(paris, paris).abs() < 1e-9);
    }

    fn position() -> impl Strategy<Value = Position> {
        (-60.0f64..60.0, -179.0f64..179.0).prop_map(|(latitude, longitude)| Position {
            latitude,
            longitude,
        })
    }

    fn proche_de(centre: Position) -> impl Strategy<Value = Position> {
        (-0.5f64..0.5, -0.7f64..0.7).prop_map(move |(a, b)| Position {
            latitude: centre.latitude + a,
            longitude: (centre.longitude + b).clamp(-180.0, 180.0),
        })
    }

    proptest! {
        /// The grid finds the same nearest distance as looking at every point.
        #[test]
        fn la_grille_trouve_ce_que_trouve_la_recherche_exhaustive(
            (centre, points) in position().prop_flat_map(|c| {
                (Just(c), prop::collection::vec(proche_de(c), 0..60))
            }),
            rayon in 0.5f64..60.0,
        ) {
            let grille = Grille::new(points.clone(), rayon);
            let attendu = points
                .iter()
                .map(|p| distance_km(centre, *p))
                .filter(|d| *d <= rayon)
                .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.min(d))));
            let trouve = grille.plus_proche(centre, rayon).map(|(_, d)| d);
            prop_assert_eq!(trouve, attendu);
        }

        /// The distance is symmetric and never more than half the Earth's circumference.
        #[test]
        fn la_distance_est_symetrique(a in position(), b in position()) {
            let (ab, ba) = (distance_km(a, b), distance_km(b, a));
            prop_assert!((ab - ba).abs() < 1e-6);
            prop_assert!((0.0..=RAYON_TERRE_KM * std::f64::consts::PI + 1e-6).contains(&ab));
        }
    }
}
