//! The directory's search: the published services near a commune, for a parent.
//!
//! Rules (the platform's specification of the public directory, after « Réunion Référents de
//! Réseaux – 07 février 2019, Document de travail : focus sur la COG 2018 – 2022 », section on
//! the national strategy « Dessine-moi un parent »: « un outil de géolocalisation des actions de
//! soutien à la parentalité […] les parents pourront ainsi depuis leur smartphone identifier les
//! structures ou actions labellisées près de chez eux »; written out in
//! `docs/annuaire-recherche.md`):
//!
//! - the radius is 1, 2, 5, 10 or 30 km ([`Rayon`], 10 by default), measured from the searched
//!   commune's centroid to each place of a service, as a great-circle distance
//!   ([`distance_km`]); a service's distance is its nearest place's;
//! - a service whose places' communes or eligibility area include the searched commune is always
//!   found, whatever its distance;
//! - the filters keep what they match (see [`super::besoins`] for the needs);
//! - results come by distance, then name, then identifier.
//!
//! The index ([`IndexRecherche`]) puts every place in a grid ([`Grille`], cells of 10 km) and
//! every served commune in a map, so that a search reads only the places of the few cells around
//! the commune: it gives exactly what a filter over every service gives (property test below).

use std::collections::{BTreeSet, HashMap};

use super::besoins::Besoin;
use super::service::{Frais, Mode, Service};
use crate::appel_a_projets::Dispositif;
use crate::identifiants::{CodeInsee, ServiceId};
use crate::territoire::Position;
use crate::territoire::couverture::{Grille, distance_km};

/// The radii a parent can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Rayon {
    Km1,
    Km2,
    Km5,
    #[default]
    Km10,
    Km30,
}

impl Rayon {
    pub const TOUS: [Rayon; 5] = [Rayon::Km1, Rayon::Km2, Rayon::Km5, Rayon::Km10, Rayon::Km30];

    pub fn km(self) -> u32 {
        match self {
            Rayon::Km1 => 1,
            Rayon::Km2 => 2,
            Rayon::Km5 => 5,
            Rayon::Km10 => 10,
            Rayon::Km30 => 30,
        }
    }

    /// The radius of `km` kilometres, if it is one of the choices.
    pub fn depuis_km(km: u32) -> Option<Rayon> {
        Rayon::TOUS.into_iter().find(|r| r.km() == km)
    }

    /// The largest radius: the index's grid is made for it.
    pub const MAX: Rayon = Rayon::Km30;
}

/// What the search needs of a service.
pub trait Recherchable {
    type Id: Copy + Ord;
    fn identifiant(&self) -> Self::Id;
    fn nom(&self) -> &str;
    /// The positions of its places (WGS84).
    fn positions(&self) -> Vec<Position>;
    /// The communes it serves whatever the distance: its places' and its eligibility area's.
    fn communes_desservies(&self) -> Vec<CodeInsee>;
}

impl Recherchable for Service {
    type Id = ServiceId;
    fn identifiant(&self) -> ServiceId {
        self.id
    }
    fn nom(&self) -> &str {
        &self.nom
    }
    fn positions(&self) -> Vec<Position> {
        self.lieux.iter().map(|l| l.position).collect()
    }
    fn communes_desservies(&self) -> Vec<CodeInsee> {
        Service::communes_desservies(self).into_iter().collect()
    }
}

/// The filters of a search. Within a group, a service is kept when it matches any of the
/// choices; across groups, when it matches every group; an empty group keeps everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filtres {
    pub besoins: BTreeSet<Besoin>,
    pub dispositifs: Vec<Dispositif>,
    pub modes: BTreeSet<Mode>,
    pub frais: BTreeSet<Frais>,
}

impl Filtres {
    /// Whether `service` passes the filters.
    pub fn retient(&self, service: &Service) -> bool {
        (self.besoins.is_empty() || self.besoins.iter().any(|b| b.repond(service)))
            && (self.dispositifs.is_empty() || self.dispositifs.contains(&service.dispositif))
            && (self.modes.is_empty() || service.modes.iter().any(|m| self.modes.contains(m)))
            && (self.frais.is_empty() || self.frais.contains(&service.tarification.frais))
    }

    pub fn est_vide(&self) -> bool {
        self.besoins.is_empty()
            && self.dispositifs.is_empty()
            && self.modes.is_empty()
            && self.frais.is_empty()
    }
}

/// Where a parent searches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Origine {
    pub commune: CodeInsee,
    /// The commune's centroid; `None` for the few communes without one: then only the services
    /// serving the commune are found.
    pub position: Option<Position>,
    pub rayon: Rayon,
}

/// A service found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trouve<'a, T> {
    pub service: &'a T,
    /// The distance to its nearest place, in km; `None` when the searched commune has no
    /// position or the service no place.
    pub distance_km: Option<f64>,
    /// The index (in [`Recherchable::positions`]) of its nearest place.
    pub lieu_le_plus_proche: Option<usize>,
    /// It serves the searched commune (its place's commune or its eligibility area).
    pub dessert_la_commune: bool,
}

/// The services, indexed for searches.
#[derive(Debug, Clone)]
pub struct IndexRecherche<T> {
    services: Vec<T>,
    grille: Grille,
    /// For each point of the grid, its service (index in `services`) and the place's rank
    /// among the service's places.
    lieu_du_point: Vec<(usize, usize)>,
    /// For each served commune, its services (indices in `services`).
    par_commune: HashMap<CodeInsee, Vec<usize>>,
}

/// The side of the grid's cells, in km: a 30 km search reads about 7 × 7 cells, a 1 km one
/// at most 4.
const CELLULE_KM: f64 = 10.0;

impl<T: Recherchable> IndexRecherche<T> {
    pub fn new(mut services: Vec<T>) -> IndexRecherche<T> {
        services.sort_by_key(|s| s.identifiant());
        let mut points = Vec::new();
        let mut lieu_du_point = Vec::new();
        let mut par_commune: HashMap<CodeInsee, Vec<usize>> = HashMap::new();
        for (i, s) in services.iter().enumerate() {
            for (lieu, p) in s.positions().into_iter().enumerate() {
                points.push(p);
                lieu_du_point.push((i, lieu));
            }
            let mut communes = s.communes_desservies();
            communes.sort();
            communes.dedup();
            for c in communes {
                par_commune.entry(c).or_default().push(i);
            }
        }
        IndexRecherche {
            services,
            grille: Grille::new(points, CELLULE_KM),
            lieu_du_point,
            par_commune,
        }
    }

    /// Every service, by identifier.
    pub fn services(&self) -> &[T] {
        &self.services
    }

    pub fn get(&self, id: T::Id) -> Option<&T> {
        self.services
            .binary_search_by_key(&id, |s| s.identifiant())
            .ok()
            .and_then(|i| self.services.get(i))
    }

    pub fn len(&self) -> usize {
        self.services.len()
    }

    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
    }

    /// The services within the radius of the origin or serving its commune, kept by `retenir`,
    /// by distance (unknown last), name and identifier.
    pub fn chercher(&self, origine: Origine, retenir: impl Fn(&T) -> bool) -> Vec<Trouve<'_, T>> {
        // Service index -> (distance, place index within the service).
        let mut proches: HashMap<usize, (f64, usize)> = HashMap::new();
        if let Some(centre) = origine.position {
            for (point, distance) in self
                .grille
                .dans_le_rayon(centre, f64::from(origine.rayon.km()))
            {
                let Some(&(i, lieu)) = self.lieu_du_point.get(point) else {
                    continue;
                };
                proches
                    .entry(i)
                    .and_modify(|meilleur| {
                        if distance < meilleur.0 || (distance == meilleur.0 && lieu < meilleur.1) {
                            *meilleur = (distance, lieu);
                        }
                    })
                    .or_insert((distance, lieu));
            }
        }
        let desservants = self
            .par_commune
            .get(&origine.commune)
            .map_or(&[][..], Vec::as_slice);
        let mut trouves: Vec<Trouve<'_, T>> = Vec::new();
        for (&i, &(distance, lieu)) in &proches {
            if let Some(service) = self.services.get(i)
                && retenir(service)
            {
                trouves.push(Trouve {
                    service,
                    distance_km: Some(distance),
                    lieu_le_plus_proche: Some(lieu),
                    dessert_la_commune: desservants.contains(&i),
                });
            }
        }
        for &i in desservants {
            if proches.contains_key(&i) {
                continue;
            }
            if let Some(service) = self.services.get(i)
                && retenir(service)
            {
                let (distance_km, lieu_le_plus_proche) = match origine.position {
                    Some(centre) => plus_proche(centre, &service.positions()),
                    None => (None, None),
                };
                trouves.push(Trouve {
                    service,
                    distance_km,
                    lieu_le_plus_proche,
                    dessert_la_commune: true,
                });
            }
        }
        ordonner(&mut trouves);
        trouves
    }
}

/// The nearest of `positions` to `centre`: distance and index (the first on a tie).
pub fn plus_proche(centre: Position, positions: &[Position]) -> (Option<f64>, Option<usize>) {
    let mut meilleur: Option<(f64, usize)> = None;
    for (i, p) in positions.iter().enumerate() {
        let d = distance_km(centre, *p);
        if meilleur.is_none_or(|(m, _)| d < m) {
            meilleur = Some((d, i));
        }
    }
    (meilleur.map(|m| m.0), meilleur.map(|m| m.1))
}

/// By distance (unknown last), then name, then identifier.
pub fn ordonner<T: Recherchable>(trouves: &mut [Trouve<'_, T>]) {
    trouves.sort_by(|a, b| {
        let distance = match (a.distance_km, b.distance_km) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        distance
            .then_with(|| a.service.nom().cmp(b.service.nom()))
            .then_with(|| a.service.identifiant().cmp(&b.service.identifiant()))
    });
}

/// The same search by looking at every service: the reference the index is tested against.
pub fn chercher_sans_index<'a, T: Recherchable>(
    services: &'a [T],
    origine: Origine,
    retenir: impl Fn(&T) -> bool,
) -> Vec<Trouve<'a, T>> {
    let rayon = f64::from(origine.rayon.km());
    let mut trouves: Vec<Trouve<'a, T>> = services
        .iter()
        .filter(|s| retenir(s))
        .filter_map(|service| {
            let (distance_km, lieu_le_plus_proche) = match origine.position {
                Some(centre) => plus_proche(centre, &service.positions()),
                None => (None, None),
            };
            let dessert_la_commune = service.communes_desservies().contains(&origine.commune);
            let dans_le_rayon = distance_km.is_some_and(|d| d <= rayon);
            (dans_le_rayon || dessert_la_commune).then_some(Trouve {
                service,
                distance_km,
                lieu_le_plus_proche,
                dessert_la_commune,
            })
        })
        .collect();
    ordonner(&mut trouves);
    trouves
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Essai {
        id: u32,
        nom: String,
        lieux: Vec<(CodeInsee, Position)>,
        zone: Vec<CodeInsee>,
        gratuit: bool,
    }

    impl Recherchable for Essai {
        type Id = u32;
        fn identifiant(&self) -> u32 {
            self.id
        }
        fn nom(&self) -> &str {
            &self.nom
        }
        fn positions(&self) -> Vec<Position> {
            self.lieux.iter().map(|(_, p)| *p).collect()
        }
        fn communes_desservies(&self) -> Vec<CodeInsee> {
            self.lieux
                .iter()
                .map(|(c, _)| *c)
                .chain(self.zone.iter().copied())
                .collect()
        }
    }

    fn code(c: &str) -> CodeInsee {
        CodeInsee::parse(c).unwrap()
    }

    fn position(latitude: f64, longitude: f64) -> Position {
        Position {
            latitude,
            longitude,
        }
    }

    fn essai(id: u32, nom: &str, commune: &str, p: Position, zone: &[&str]) -> Essai {
        Essai {
            id,
            nom: nom.to_owned(),
            lieux: vec![(code(commune), p)],
            zone: zone.iter().map(|c| code(c)).collect(),
            gratuit: id.is_multiple_of(2),
        }
    }

    /// Distances computed by hand (haversine, R = 6 371.0088 km) from A (45.00, 5.00):
    /// 0.08° of a meridian = 8.8956 km; 0.10° = 11.1195 km; 0.25° = 27.7987 km;
    /// 0.30° = 33.3585 km; 0.12° of longitude at 45° = 9.4352 km.
    #[test]
    fn rayon_zone_et_ordre() {
        let a = position(45.0, 5.0);
        let index = IndexRecherche::new(vec![
            essai(1, "Loin", "38003", position(45.10, 5.0), &[]),
            essai(2, "Proche", "38002", position(45.08, 5.0), &[]),
            essai(3, "Est", "38004", position(45.0, 5.12), &[]),
            essai(4, "Zone", "38009", position(45.30, 5.0), &["38001"]),
            essai(5, "Trente", "38010", position(45.25, 5.0), &[]),
            essai(6, "Sur place", "38001", a, &[]),
        ]);
        let origine = |rayon| Origine {
            commune: code("38001"),
            position: Some(a),
            rayon,
        };
        let trouves = index.chercher(origine(Rayon::Km10), |_| true);
        let lus: Vec<(u32, f64)> = trouves
            .iter()
            .map(|t| {
                (
                    t.service.id,
                    (t.distance_km.unwrap() * 1000.0).round() / 1000.0,
                )
            })
            .collect();
        // 11.12 km is outside 10 km; the zone's service at 33.36 km is in.
        assert_eq!(lus, [(6, 0.0), (2, 8.896), (3, 9.435), (4, 33.359)]);
        assert!(trouves[3].dessert_la_commune && !trouves[1].dessert_la_commune);
        let trente: Vec<u32> = index
            .chercher(origine(Rayon::Km30), |_| true)
            .iter()
            .map(|t| t.service.id)
            .collect();
        assert_eq!(trente, [6, 2, 3, 1, 5, 4]);
        let gratuits: Vec<u32> = index
            .chercher(origine(Rayon::Km30), |s| s.gratuit)
            .iter()
            .map(|t| t.service.id)
            .collect();
        assert_eq!(gratuits, [6, 2, 4]);
        // A commune without a position: only the services serving it.
        let sans = index.chercher(
            Origine {
                commune: code("38001"),
                position: None,
                rayon: Rayon::Km30,
            },
            |_| true,
        );
        let ids: Vec<u32> = sans.iter().map(|t| t.service.id).collect();
        assert_eq!(ids, [6, 4]);
        assert_eq!(index.get(3).map(|s| s.nom.as_str()), Some("Est"));
    }

    #[test]
    fn egalites_par_nom_puis_identifiant() {
        let p = position(45.0, 5.0);
        let index = IndexRecherche::new(vec![
            essai(3, "B", "38001", p, &[]),
            essai(2, "B", "38001", p, &[]),
            essai(1, "C", "38001", p, &[]),
            essai(4, "A", "38001", p, &[]),
        ]);
        let ids: Vec<u32> = index
            .chercher(
                Origine {
                    commune: code("38002"),
                    position: Some(p),
                    rayon: Rayon::Km1,
                },
                |_| true,
            )
            .iter()
            .map(|t| t.service.id)
            .collect();
        assert_eq!(ids, [4, 2, 3, 1]);
    }

    const COMMUNES: [&str; 6] = ["38001", "38002", "38003", "38004", "38005", "38006"];

    fn service_quelconque() -> impl Strategy<Value = Essai> {
        (
            0u32..1000,
            prop::sample::select(vec!["A", "B", "C"]),
            prop::collection::vec(
                (
                    prop::sample::select(COMMUNES.to_vec()),
                    44.6f64..45.4,
                    4.5f64..5.5,
                ),
                0..4,
            ),
            prop::collection::vec(prop::sample::select(COMMUNES.to_vec()), 0..3),
            any::<bool>(),
        )
            .prop_map(|(id, nom, lieux, zone, gratuit)| Essai {
                id,
                nom: nom.to_owned(),
                lieux: lieux
                    .into_iter()
                    .map(|(c, la, lo)| (code(c), position(la, lo)))
                    .collect(),
                zone: zone.into_iter().map(code).collect(),
                gratuit,
            })
    }

    proptest! {
        /// The indexed search finds the same services, in the same order, at the same distances,
        /// as a filter over every service.
        #[test]
        fn index_egal_recherche_exhaustive(
            mut services in prop::collection::vec(service_quelconque(), 0..60),
            commune in prop::sample::select(COMMUNES.to_vec()),
            latitude in 44.6f64..45.4,
            longitude in 4.5f64..5.5,
            connue in any::<bool>(),
            rayon in prop::sample::select(Rayon::TOUS.to_vec()),
            filtre in any::<bool>(),
        ) {
            services.sort_by_key(|s| s.id);
            services.dedup_by_key(|s| s.id);
            let origine = Origine {
                commune: code(commune),
                position: connue.then(|| position(latitude, longitude)),
                rayon,
            };
            let retenir = |s: &Essai| !filtre || s.gratuit;
            let index = IndexRecherche::new(services.clone());
            let rapide = index.chercher(origine, retenir);
            let lente = chercher_sans_index(&services, origine, retenir);
            prop_assert_eq!(rapide, lente);
        }
    }
}
