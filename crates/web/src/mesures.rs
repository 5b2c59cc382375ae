//! The operators' metrics at `/metrics`, in the Prometheus text format (OpenMetrics): the HTTP
//! requests counted by method, route pattern (never the address as typed) and status class, their
//! latency by route, the outbox's queue, the database pool and the running version.
//!
//! Who may read them: with `PARENTALITE_METRIQUES_JETON` set (see [`fixer_jeton`]), whoever sends
//! `Authorization: Bearer <token>`; without it, only a client on the loopback interface whose
//! request went through no proxy (no `Forwarded` nor `X-Forwarded-For` header). Anyone else gets
//! the « page introuvable » answer, so that the address reveals nothing.

use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{OnceLock, RwLock};
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};

use crate::Etat;

/// The address of the metrics.
pub const ADRESSE: &str = "/metrics";

/// The labels of a request counted.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EtiquettesRequete {
    methode: String,
    route: String,
    classe: String,
}

/// The label of a latency: the route pattern.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EtiquettesRoute {
    route: String,
}

/// The label of a pool figure: the database engine.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EtiquettesMoteur {
    moteur: String,
}

type Jauge = Gauge<i64, std::sync::atomic::AtomicI64>;
type JaugeReelle = Gauge<f64, AtomicU64>;

/// Latency buckets, in seconds: 1 ms to about 16 s, doubling.
fn histogramme() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// Every metric of the process, registered once.
#[derive(Debug)]
struct Mesures {
    registre: Registry,
    requetes: Family<EtiquettesRequete, Counter>,
    latences: Family<EtiquettesRoute, Histogram, fn() -> Histogram>,
    courriels_en_attente: Jauge,
    courriels_en_reprise: Jauge,
    courriels_en_echec: Jauge,
    courriels_age: JaugeReelle,
    pool_taille: Family<EtiquettesMoteur, Jauge>,
    pool_inactives: Family<EtiquettesMoteur, Jauge>,
    pool_utilisees: Family<EtiquettesMoteur, Jauge>,
    pool_maximum: Family<EtiquettesMoteur, Jauge>,
}

fn mesures() -> &'static Mesures {
    static MESURES: OnceLock<Mesures> = OnceLock::new();
    MESURES.get_or_init(|| {
        let mut registre = Registry::with_prefix("parentalite");
        let requetes = Family::<EtiquettesRequete, Counter>::default();
        registre.register(
            "requetes_http",
            "HTTP requests answered, by method, route pattern and status class",
            requetes.clone(),
        );
        let latences =
            Family::<EtiquettesRoute, Histogram, fn() -> Histogram>::new_with_constructor(
                histogramme,
            );
        registre.register(
            "duree_requetes_http_secondes",
            "Time to answer an HTTP request, by route pattern, in seconds",
            latences.clone(),
        );
        let courriels_en_attente = Jauge::default();
        registre.register(
            "courriels_en_attente",
            "Mails of the outbox waiting to be sent",
            courriels_en_attente.clone(),
        );
        let courriels_en_reprise = Jauge::default();
        registre.register(
            "courriels_en_reprise",
            "Mails waiting that failed at least once and will be tried again",
            courriels_en_reprise.clone(),
        );
        let courriels_en_echec = Jauge::default();
        registre.register(
            "courriels_en_echec",
            "Mails given up after their last attempt",
            courriels_en_echec.clone(),
        );
        let courriels_age = JaugeReelle::default();
        registre.register(
            "courriels_attente_plus_ancienne_secondes",
            "Age of the oldest mail waiting to be sent, in seconds (0 when none waits)",
            courriels_age.clone(),
        );
        let pool_taille = Family::<EtiquettesMoteur, Jauge>::default();
        registre.register(
            "pool_connexions",
            "Open connections of the database pool",
            pool_taille.clone(),
        );
        let pool_inactives = Family::<EtiquettesMoteur, Jauge>::default();
        registre.register(
            "pool_connexions_inactives",
            "Idle connections of the database pool",
            pool_inactives.clone(),
        );
        let pool_utilisees = Family::<EtiquettesMoteur, Jauge>::default();
        registre.register(
            "pool_connexions_utilisees",
            "Connections of the database pool in use",
            pool_utilisees.clone(),
        );
        let pool_maximum = Family::<EtiquettesMoteur, Jauge>::default();
        registre.register(
            "pool_connexions_maximum",
            "Most connections the database pool opens",
            pool_maximum.clone(),
        );
        registre.register(
            "version",
            "The running version",
            Info::new(vec![(
                "version".to_owned(),
                env!("CARGO_PKG_VERSION").to_owned(),
            )]),
        );
        Mesures {
            registre,
            requetes,
            latences,
            courriels_en_attente,
            courriels_en_reprise,
            courriels_en_echec,
            courriels_age,
            pool_taille,
            pool_inactives,
            pool_utilisees,
            pool_maximum,
        }
    })
}

/// The hash of the bearer token required, when one is.
fn jeton_exige() -> &'static RwLock<Option<[u8; 32]>> {
    static JETON: OnceLock<RwLock<Option<[u8; 32]>>> = OnceLock::new();
    JETON.get_or_init(|| RwLock::new(None))
}

/// Requires `jeton` as a bearer token to read the metrics (`None` or empty: loopback only).
pub fn fixer_jeton(jeton: Option<&str>) {
    let empreinte = jeton
        .map(str::trim)
        .filter(|j| !j.is_empty())
        .map(|j| Sha256::digest(j.as_bytes()).into());
    if let Ok(mut exige) = jeton_exige().write() {
        *exige = empreinte;
    }
}

/// The method as counted: the standard ones by name, any other as `AUTRE` (a client cannot
/// grow the number of series).
fn methode(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "AUTRE",
    }
}

/// The layer that counts and times each request by its route pattern.
pub async fn mesurer(requete: Request, suivant: Next) -> Response {
    let route = requete
        .extensions()
        .get::<MatchedPath>()
        .map_or("(aucune)", MatchedPath::as_str)
        .to_owned();
    let methode = methode(requete.method());
    let debut = Instant::now();
    let reponse = suivant.run(requete).await;
    let m = mesures();
    m.requetes
        .get_or_create(&EtiquettesRequete {
            methode: methode.to_owned(),
            route: route.clone(),
            classe: format!("{}xx", reponse.status().as_u16() / 100),
        })
        .inc();
    m.latences
        .get_or_create(&EtiquettesRoute { route })
        .observe(debut.elapsed().as_secs_f64());
    reponse
}

/// Whether the request may read the metrics.
fn autorise(requete: &Request, entetes: &HeaderMap) -> bool {
    let exige = jeton_exige().read().ok().and_then(|j| *j);
    if let Some(empreinte) = exige {
        let presente = entetes
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|j| <[u8; 32]>::from(Sha256::digest(j.trim().as_bytes())));
        return presente == Some(empreinte);
    }
    let par_un_mandataire =
        entetes.contains_key(header::FORWARDED) || entetes.contains_key("x-forwarded-for");
    let locale = requete
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|c| c.0.ip().is_loopback());
    locale && !par_un_mandataire
}

/// `GET /metrics`.
pub async fn exposer(State(etat): State<Etat>, requete: Request) -> Response {
    let entetes = requete.headers().clone();
    if !autorise(&requete, &entetes) {
        return crate::pages::introuvable().await;
    }
    let m = mesures();
    let plateforme = &etat.plateforme;
    match plateforme
        .file_des_courriels(time::OffsetDateTime::now_utc())
        .await
    {
        Ok(file) => {
            m.courriels_en_attente.set(file.en_attente);
            m.courriels_en_reprise.set(file.en_reprise);
            m.courriels_en_echec.set(file.en_echec);
            m.courriels_age.set(file.age_plus_ancien as f64);
        }
        Err(e) => tracing::warn!("mesures: file des courriels illisible: {e}"),
    }
    let moteur = EtiquettesMoteur {
        moteur: match plateforme.base.moteur() {
            store::Moteur::Sqlite => "sqlite",
            store::Moteur::Postgres => "postgres",
        }
        .to_owned(),
    };
    let (ouvertes, inactives) = plateforme.base.connexions();
    let ouvertes = i64::from(ouvertes);
    let inactives = i64::try_from(inactives).unwrap_or(i64::MAX);
    m.pool_taille.get_or_create(&moteur).set(ouvertes);
    m.pool_inactives.get_or_create(&moteur).set(inactives);
    m.pool_utilisees
        .get_or_create(&moteur)
        .set((ouvertes - inactives).max(0));
    m.pool_maximum
        .get_or_create(&moteur)
        .set(i64::from(plateforme.base.connexions_maximum()));
    let mut texte = String::new();
    if let Err(e) = prometheus_client::encoding::text::encode(&mut texte, &m.registre) {
        tracing::error!("mesures: encodage impossible: {e}");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        texte,
    )
        .into_response()
}
