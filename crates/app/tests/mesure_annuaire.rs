//! How long the public directory's search takes over 5 000 published services and the 34 875
//! communes, through the use case (`Plateforme::rechercher_services`: the fingerprint query, the
//! in-memory index, the filters, the sort, the copy of the results), on SQLite and on PostgreSQL.
//! A measurement, not a check: ignored by default, run by hand (see BENCHMARKS.md):
//!
//! ```sh
//! cargo test --release -p app --test mesure_annuaire -- --ignored --nocapture --test-threads 1
//! ```
//!
//! The fixture: ten structures, and 5 000 published services each placed in a commune drawn at
//! random in proportion to its population (services are where families live: dense around the
//! cities, sparse in the countryside), written straight into the store. The searches: from dense
//! communes (Paris, Lyon, Lille, Grenoble) and sparse ones (Mende, Guéret, Barcelonnette,
//! Dévoluy), at 10 and 30 km, without and with a filter.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::{Auteur, Plateforme, Recherche};
use domain::Acteur;
use domain::annuaire::besoins::Besoin;
use domain::annuaire::recherche::{Filtres, Rayon};
use domain::annuaire::{EtatPublication, SaisieLieuService, SaisieService, Service};
use domain::identifiants::*;
use domain::structures::{Adresse, Gestionnaire, StatutJuridique, TypeActivite};
use domain::territoire::Communes;
use referentiel::parametres::Parametres;
use store::Base;

const SERVICES: usize = 5_000;
const TOURS: usize = 21;

const DENSES: [&str; 4] = ["75056", "69123", "59350", "38185"];
const CLAIRSEMEES: [&str; 4] = ["48095", "23096", "04019", "05139"];

fn mediane(mut durees: Vec<Duration>) -> Duration {
    durees.sort();
    durees[durees.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn siret(stem: u64) -> Siret {
    let base = format!("{stem:013}");
    (0..10)
        .find_map(|k| Siret::parse(&format!("{base}{k}")).ok())
        .unwrap()
}

fn gestionnaire(id: GestionnaireId, stem: u64) -> Gestionnaire {
    Gestionnaire {
        id,
        raison_sociale: format!("Structure {stem}"),
        siret: siret(stem),
        rna: Some(Rna::parse(&format!("W38100{:04}", stem % 10_000)).unwrap()),
        statut: StatutJuridique::AssociationLoi1901,
        activite: TypeActivite::Generaliste,
        siege: Adresse {
            voie: "2 rue des Alpes".into(),
            complement: None,
            code_postal: "38000".into(),
            commune: CodeInsee::parse("38185").unwrap(),
        },
        departement_siege: CodeDepartement::parse("38").unwrap(),
        email: None,
        engagements: Default::default(),
        banque: None,
    }
}

const DISPOSITIFS: [(&str, &str, &str); 5] = [
    ("laep", "accueil", "parents_enfants_0_3"),
    ("mediation_familiale", "mediation", "parents_separes"),
    ("reaap", "atelier", "parents"),
    ("clas", "accompagnement", "parents_enfants_6_11"),
    ("espace_rencontre", "mediation", "parents_separes"),
];

async fn mesurer(base: Base, moteur: &str) {
    let p = Plateforme::new(base.clone(), Arc::new(Parametres::embarques().unwrap()));
    let quand = time::OffsetDateTime::now_utc();
    let fabriques: Vec<Box<dyn FnOnce(GestionnaireId) -> Gestionnaire>> = (0..10u64)
        .map(|k| {
            Box::new(move |id| gestionnaire(id, 1_234_567_890_100 + k))
                as Box<dyn FnOnce(GestionnaireId) -> Gestionnaire>
        })
        .collect();
    p.importer_gestionnaires(Auteur::Operateur, fabriques, quand)
        .await
        .unwrap();
    let communes = Communes::embarquees().unwrap();
    assert_eq!(communes.len(), 34_875);
    // Communes with a position, and their cumulated populations, to draw in proportion.
    let placees: Vec<_> = communes.iter().filter(|c| c.position.is_some()).collect();
    let mut cumul = Vec::with_capacity(placees.len());
    let mut total: u64 = 0;
    for c in &placees {
        total += u64::from(c.population.unwrap_or(0)) + 1;
        cumul.push(total);
    }
    let mut graine: u64 = 2026;
    let mut tx = base.debuter().await.unwrap();
    let debut = Instant::now();
    for n in 0..SERVICES {
        graine = graine
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let tirage = (graine >> 11) % total;
        let commune = placees[cumul.partition_point(|&c| c <= tirage)];
        let (dispositif, type_service, public) = DISPOSITIFS[n % DISPOSITIFS.len()];
        let g = GestionnaireId(1 + (n % 10) as i64);
        let saisie = SaisieService {
            dispositif: dispositif.into(),
            type_service: type_service.into(),
            nom: format!("Service n°{n}"),
            description: "Un service pour les parents.".into(),
            publics: vec![public.into()],
            modes: vec!["sur_place".into()],
            frais: "gratuit".into(),
            telephone: "04 76 00 00 00".into(),
            lieux: vec![SaisieLieuService {
                voie: "1 place de la Mairie".into(),
                code_postal: commune.codes_postaux[0].clone(),
                commune: commune.code.as_str().to_owned(),
                horaires: "Mo-Fr 09:00-17:00".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let description = saisie.valider(&communes).unwrap();
        let id = store::annuaire::prochain_id(&mut tx).await.unwrap();
        let auteur = Acteur::gestionnaire(UtilisateurId(1), [g]);
        let mut service = Service::creer(&auteur, id, g, description, quand)
            .unwrap()
            .apres;
        service.etat = EtatPublication::Publie;
        store::depot::inserer(&mut tx, &service).await.unwrap();
    }
    tx.valider().await.unwrap();
    println!(
        "[{moteur}] {SERVICES} services écrits en {}",
        ms(debut.elapsed())
    );

    let recherche = |code: &str, rayon: Rayon, filtres: Filtres| Recherche {
        commune: CodeInsee::parse(code).unwrap(),
        rayon,
        filtres,
    };
    // The first search builds the index (reads and parses the 5 000 services).
    let debut = Instant::now();
    let premiere = p
        .rechercher_services(&recherche("75056", Rayon::Km10, Filtres::default()))
        .await
        .unwrap()
        .unwrap();
    println!(
        "[{moteur}] première recherche (construction de l'index) : {} ; {} services à Paris à 10 km",
        ms(debut.elapsed()),
        premiere.services.len()
    );
    let mut toutes = Vec::new();
    for (nom, codes) in [("denses", DENSES), ("clairsemées", CLAIRSEMEES)] {
        for rayon in [Rayon::Km10, Rayon::Km30] {
            for filtre in [false, true] {
                let filtres = if filtre {
                    Filtres {
                        besoins: [Besoin::ConflitOuSeparation].into(),
                        ..Filtres::default()
                    }
                } else {
                    Filtres::default()
                };
                let mut durees = Vec::new();
                let mut trouves = Vec::new();
                for code in codes {
                    let r = recherche(code, rayon, filtres.clone());
                    for _ in 0..TOURS {
                        let debut = Instant::now();
                        let resultat = p.rechercher_services(&r).await.unwrap().unwrap();
                        durees.push(debut.elapsed());
                        std::hint::black_box(&resultat);
                        if trouves.len() < codes.len() && durees.len() % TOURS == 1 {
                            trouves.push(resultat.services.len());
                        }
                    }
                }
                toutes.extend(durees.iter().copied());
                println!(
                    "[{moteur}] communes {nom}, {} km{} : médiane {} (max {}) ; services trouvés {:?}",
                    rayon.km(),
                    if filtre {
                        ", filtre « séparation »"
                    } else {
                        ""
                    },
                    ms(mediane(durees.clone())),
                    ms(*durees.iter().max().unwrap()),
                    trouves
                );
            }
        }
    }
    println!(
        "[{moteur}] toutes les recherches ({}) : médiane {}",
        toutes.len(),
        ms(mediane(toutes))
    );
    // After a change, the next search rebuilds the index.
    let mut tx = base.debuter().await.unwrap();
    let mut un = store::annuaire::service(&mut tx, ServiceId(1))
        .await
        .unwrap();
    un.valeur.nom = "Service renommé".into();
    store::depot::mettre_a_jour(&mut tx, &un.valeur, un.version)
        .await
        .unwrap();
    tx.valider().await.unwrap();
    let debut = Instant::now();
    p.rechercher_services(&recherche("38185", Rayon::Km10, Filtres::default()))
        .await
        .unwrap();
    println!(
        "[{moteur}] recherche après une modification (index reconstruit) : {}",
        ms(debut.elapsed())
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "mesure, lancée à la main (BENCHMARKS.md)"]
async fn recherche_sur_sqlite() {
    let chemin = essais::chemin_sqlite("app", "mesure_annuaire");
    let base = Base::ouvrir(&chemin).await.unwrap();
    mesurer(base, "SQLite").await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "mesure, lancée à la main (BENCHMARKS.md)"]
async fn recherche_sur_postgresql() {
    let Some(url) = essais::url_postgres("app", "mesure_annuaire").await else {
        eprintln!("PostgreSQL non configuré : mesure sautée");
        return;
    };
    let base = Base::ouvrir(&url).await.unwrap();
    mesurer(base, "PostgreSQL").await;
}
