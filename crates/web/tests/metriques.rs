//! `/metrics` scraped as Prometheus does: the real server on a random port, a few requests, then
//! the text parsed; the request counters and latency histograms moved by route pattern (never
//! the address as typed), the outbox and the pool are reported, on SQLite and PostgreSQL when a
//! server is configured. Nobody else may read them: not a client through a proxy, nor one without
//! the token once a token is required.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use app::Plateforme;
use referentiel::parametres::Parametres;
use store::Base;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use web::Etat;

/// One series of the text format: its name, labels and value.
#[derive(Debug, Clone, PartialEq)]
struct Serie {
    nom: String,
    etiquettes: HashMap<String, String>,
    valeur: f64,
}

/// Parses the Prometheus / OpenMetrics text format (comments skipped); panics on a line that is
/// not `name{labels} value`.
fn analyser(texte: &str) -> Vec<Serie> {
    let mut series = Vec::new();
    for ligne in texte.lines() {
        if ligne.is_empty() || ligne.starts_with('#') {
            continue;
        }
        let (tete, valeur) = ligne.rsplit_once(' ').expect("ligne sans valeur");
        let valeur: f64 = valeur.parse().expect("valeur non numérique");
        let (nom, etiquettes) = match tete.split_once('{') {
            Some((nom, reste)) => {
                let reste = reste.strip_suffix('}').expect("étiquettes non fermées");
                let mut etiquettes = HashMap::new();
                for paire in reste.split("\",").filter(|p| !p.is_empty()) {
                    let (cle, v) = paire.split_once("=\"").expect("étiquette sans valeur");
                    etiquettes.insert(cle.to_owned(), v.trim_end_matches('"').to_owned());
                }
                (nom.to_owned(), etiquettes)
            }
            None => (tete.to_owned(), HashMap::new()),
        };
        assert!(
            nom.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "nom de série invalide: {nom}"
        );
        series.push(Serie {
            nom,
            etiquettes,
            valeur,
        });
    }
    series
}

/// The value of the series `nom` whose labels include `etiquettes` (0 when absent).
fn valeur(series: &[Serie], nom: &str, etiquettes: &[(&str, &str)]) -> f64 {
    series
        .iter()
        .filter(|s| {
            s.nom == nom
                && etiquettes
                    .iter()
                    .all(|(k, v)| s.etiquettes.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.valeur)
        .sum()
}

/// One HTTP/1.1 GET with extra header lines; the status and the body.
async fn obtenir(adresse: SocketAddr, chemin: &str, entetes: &str) -> (u16, String) {
    let mut flux = TcpStream::connect(adresse).await.unwrap();
    let requete =
        format!("GET {chemin} HTTP/1.1\r\nHost: localhost\r\n{entetes}Connection: close\r\n\r\n");
    flux.write_all(requete.as_bytes()).await.unwrap();
    let mut brut = Vec::new();
    flux.read_to_end(&mut brut).await.unwrap();
    let texte = String::from_utf8_lossy(&brut).into_owned();
    let statut: u16 = texte[9..12].parse().unwrap();
    let (entete, corps) = texte.split_once("\r\n\r\n").unwrap();
    let corps = if entete
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        // Chunked: keep the data lines only.
        let mut sortie = String::new();
        let mut reste = corps;
        while let Some((taille, suite)) = reste.split_once("\r\n") {
            let n = usize::from_str_radix(taille.trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            sortie.push_str(&suite[..n]);
            reste = &suite[n + 2..];
        }
        sortie
    } else {
        corps.to_owned()
    };
    (statut, corps)
}

async fn demarrer(base: Base) -> SocketAddr {
    let plateforme = Plateforme::new(base, Arc::new(Parametres::embarques().unwrap()));
    let ecoute = web::ecouter("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let adresse = ecoute.local_addr().unwrap();
    let etat = Etat {
        plateforme,
        cookie_securise: false,
    };
    tokio::spawn(web::servir(etat, ecoute));
    adresse
}

async fn scraper(adresse: SocketAddr) -> Vec<Serie> {
    let (statut, corps) = obtenir(adresse, "/metrics", "").await;
    assert_eq!(statut, 200, "{corps}");
    assert!(corps.trim_end().ends_with("# EOF"), "{corps}");
    analyser(&corps)
}

async fn les_compteurs_bougent(base: Base, moteur: &str) {
    let adresse = demarrer(base).await;
    let avant = scraper(adresse).await;
    let sante = [("methode", "GET"), ("route", "/healthz"), ("classe", "2xx")];
    let fiche = [
        ("methode", "GET"),
        ("route", "/annuaire/services/{id}"),
        ("classe", "4xx"),
    ];
    let compteur = "parentalite_requetes_http_total";
    for _ in 0..3 {
        assert_eq!(obtenir(adresse, "/healthz", "").await.0, 200);
    }
    assert_eq!(
        obtenir(adresse, "/annuaire/services/987654", "").await.0,
        404
    );
    let apres = scraper(adresse).await;
    assert_eq!(
        valeur(&apres, compteur, &sante) - valeur(&avant, compteur, &sante),
        3.0
    );
    assert_eq!(
        valeur(&apres, compteur, &fiche) - valeur(&avant, compteur, &fiche),
        1.0
    );
    let latences = "parentalite_duree_requetes_http_secondes_count";
    assert!(
        valeur(&apres, latences, &[("route", "/healthz")])
            - valeur(&avant, latences, &[("route", "/healthz")])
            >= 3.0
    );
    assert!(apres.iter().any(
        |s| s.nom == "parentalite_duree_requetes_http_secondes_bucket"
            && s.etiquettes.get("le").map(String::as_str) == Some("+Inf")
    ));
    // The address as typed never appears: only its pattern.
    assert!(
        apres
            .iter()
            .all(|s| s.etiquettes.values().all(|v| !v.contains("987654")))
    );
    // The outbox (empty here) and the pool of this engine.
    for nom in [
        "parentalite_courriels_en_attente",
        "parentalite_courriels_en_reprise",
        "parentalite_courriels_en_echec",
        "parentalite_courriels_attente_plus_ancienne_secondes",
    ] {
        assert!(apres.iter().any(|s| s.nom == nom), "{nom} absent");
        assert_eq!(valeur(&apres, nom, &[]), 0.0, "{nom}");
    }
    let ouvertes = valeur(&apres, "parentalite_pool_connexions", &[("moteur", moteur)]);
    let inactives = valeur(
        &apres,
        "parentalite_pool_connexions_inactives",
        &[("moteur", moteur)],
    );
    let utilisees = valeur(
        &apres,
        "parentalite_pool_connexions_utilisees",
        &[("moteur", moteur)],
    );
    assert!(ouvertes >= 1.0, "{moteur}: {ouvertes} connexions");
    assert_eq!(ouvertes, inactives + utilisees);
    assert!(
        valeur(
            &apres,
            "parentalite_pool_connexions_maximum",
            &[("moteur", moteur)]
        ) >= 1.0
    );
    assert_eq!(
        valeur(
            &apres,
            "parentalite_version_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        1.0
    );
    // Through a proxy, the loopback address proves nothing: refused.
    let (statut, _) = obtenir(adresse, "/metrics", "X-Forwarded-For: 203.0.113.9\r\n").await;
    assert_eq!(statut, 404);
}

/// One test for both engines and the token: the token is process-wide, and a scrape of another
/// test running meanwhile would be refused.
#[tokio::test]
async fn metriques_scrapees_sur_les_deux_moteurs_puis_avec_jeton() {
    let base = essais::base_sqlite("metriques", "sqlite").await;
    les_compteurs_bougent(base.clone(), "sqlite").await;
    if let Some(base) = essais::base_postgres("metriques", "postgres").await {
        les_compteurs_bougent(base, "postgres").await;
    }
    // Once a token is required, loopback is not enough.
    let adresse = demarrer(base).await;
    web::mesures::fixer_jeton(Some("un-jeton-de-mesures-assez-long"));
    assert_eq!(obtenir(adresse, "/metrics", "").await.0, 404);
    assert_eq!(
        obtenir(adresse, "/metrics", "Authorization: Bearer autre\r\n")
            .await
            .0,
        404
    );
    let (statut, corps) = obtenir(
        adresse,
        "/metrics",
        "Authorization: Bearer un-jeton-de-mesures-assez-long\r\n",
    )
    .await;
    web::mesures::fixer_jeton(None);
    assert_eq!(statut, 200);
    assert!(corps.contains("parentalite_requetes_http_total"));
}
