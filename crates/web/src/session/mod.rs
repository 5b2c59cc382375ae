//! Accounts in the browser and in the API: login with lockouts after repeated failures (per
//! account and client address, per address, and briefly per account), sessions kept in the
//! database (only the SHA-256 of the cookie's token is stored), a CSRF token per session checked
//! on every form, and personal API tokens (`Authorization: Bearer …`) that expire and can be
//! revoked. The lockouts are in `verrous`, the API tokens in `jetons`, the login of public agents
//! through ProConnect in `proconnect`.

use app::Plateforme;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::acces::{Acteur, Utilisateur};
use sha2::{Digest, Sha256};
use store::depot;

use crate::Etat;
use crate::erreur::ErreurWeb;

mod jetons;
pub mod proconnect;
mod verrous;

pub use jetons::{creer_jeton, jeton_en_vigueur, jetons, revoquer_jeton};
pub use verrous::{Verrou, effacer_echecs, noter_echec, verrouillage};

/// The session cookie's name.
pub const COOKIE: &str = "parentalite_session";
/// A session ends after this many seconds without a request.
pub const DUREE_INACTIVITE: i64 = 8 * 3600;
/// Failures on one e-mail from one address that lock that e-mail for that address, and the
/// window they are counted in. Another address (the account's owner elsewhere) is not locked out.
pub const ECHECS_MAX: i64 = 5;
pub const FENETRE_ECHECS: i64 = 15 * 60;
/// Failures from one address, whatever the e-mails, that lock the address out (one machine
/// trying many accounts), over [`FENETRE_ECHECS`].
pub const ECHECS_MAX_ADRESSE: i64 = 20;
/// Failures on one e-mail from all addresses together that lock the e-mail for everyone, but
/// only until they are [`FENETRE_COMPTE`] old: a few minutes' wait, after which the owner's right
/// password works again.
pub const ECHECS_MAX_COMPTE: i64 = 30;
pub const FENETRE_COMPTE: i64 = 5 * 60;
/// Lifetime of an API token when its creator does not choose one, and the longest allowed, in days.
pub const JETON_DUREE_DEFAUT: i64 = 90;
pub const JETON_DUREE_MAX: i64 = 365;

fn maintenant() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// 256 random bits, as hex.
pub fn secret() -> String {
    let mut o = [0u8; 32];
    OsRng.fill_bytes(&mut o);
    hex::encode(o)
}

pub fn hacher(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The logged-in user of a page request.
#[derive(Debug, Clone)]
pub struct Connecte {
    pub utilisateur: Utilisateur,
    pub acteur: Acteur,
    pub csrf: String,
}

impl Connecte {
    /// Refuses a form whose CSRF token is missing or wrong.
    pub fn verifier_csrf(&self, jeton: Option<&str>) -> Result<(), ErreurWeb> {
        match jeton {
            Some(j) if constant_eq(j.as_bytes(), self.csrf.as_bytes()) => Ok(()),
            _ => Err(ErreurWeb::Csrf),
        }
    }
}

/// Compares two secrets in a time that does not depend on where they differ.
pub(crate) fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of the cookie `nom` of a request.
pub(crate) fn cookie(entetes: &HeaderMap, nom: &str) -> Option<String> {
    entetes
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(n, _)| *n == nom)
        .map(|(_, v)| v.to_owned())
}

/// The active account `id`, read in `tx`.
async fn utilisateur_actif(
    tx: &mut store::Tx,
    id: i64,
) -> Result<Option<(Utilisateur, Acteur)>, ErreurWeb> {
    let u = match depot::lire::<Utilisateur>(tx, id).await {
        Ok(u) => u.valeur,
        Err(store::ErreurStore::Introuvable { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if !u.actif {
        return Ok(None);
    }
    let acteur = u.acteur().map_err(|e| ErreurWeb::Interne(e.to_string()))?;
    Ok(Some((u, acteur)))
}

/// The user of the session cookie, if any and still valid.
pub async fn session(etat: &Etat, entetes: &HeaderMap) -> Result<Option<Connecte>, ErreurWeb> {
    let Some(jeton) = cookie(entetes, COOKIE) else {
        return Ok(None);
    };
    let hache = hacher(&jeton);
    let p = &etat.plateforme;
    // The session and its account read together without the write lock; a write only when the
    // session expired or was last seen more than a minute ago.
    let mut lecture = p.base.lire().await?;
    let Some(lue) = store::comptes::session(&mut lecture, &hache).await? else {
        lecture.annuler().await?;
        return Ok(None);
    };
    let compte = utilisateur_actif(&mut lecture, lue.utilisateur_id).await?;
    lecture.annuler().await?;
    let now = maintenant();
    if now - lue.vu_le > DUREE_INACTIVITE {
        store::comptes::fermer_session(&p.base, &hache).await?;
        return Ok(None);
    }
    let csrf = lue.csrf;
    if now - lue.vu_le > 60 {
        store::comptes::toucher_session(&p.base, &hache, now).await?;
    }
    Ok(compte.map(|(utilisateur, acteur)| {
        crate::journal::noter_utilisateur(utilisateur.id.0);
        Connecte {
            utilisateur,
            acteur,
            csrf,
        }
    }))
}

impl FromRequestParts<Etat> for Connecte {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, etat: &Etat) -> Result<Self, Self::Rejection> {
        match session(etat, &parts.headers).await {
            Ok(Some(c)) => Ok(c),
            Ok(None) => {
                let retour = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                let cible = if retour.starts_with('/') && !retour.starts_with("//") {
                    retour
                } else {
                    "/"
                };
                Err(Redirect::to(&format!("/connexion?retour={}", encoder(cible))).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

/// Percent-encodes a path for a query string.
pub fn encoder(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The user of an API request (`Authorization: Bearer …`).
#[derive(Debug, Clone)]
pub struct ConnecteApi {
    pub utilisateur: Utilisateur,
    pub acteur: Acteur,
}

impl FromRequestParts<Etat> for ConnecteApi {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, etat: &Etat) -> Result<Self, Self::Rejection> {
        let refus = |m: &str| {
            let mut r = crate::api_erreur::ErreurApi::non_authentifie(m).into_response();
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
            r
        };
        let Some(jeton) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
        else {
            return Err(refus(
                "jeton d'accès manquant: en-tête Authorization: Bearer <jeton>",
            ));
        };
        let p = &etat.plateforme;
        let trouve = async {
            match store::acces_web::utilisateur_du_jeton(&p.base, &hacher(jeton), maintenant())
                .await?
            {
                None => Ok::<_, ErreurWeb>(None),
                Some(id) => {
                    let mut tx = p.base.lire().await?;
                    let compte = utilisateur_actif(&mut tx, id).await?;
                    tx.annuler().await?;
                    Ok(compte)
                }
            }
        };
        match trouve.await {
            Ok(Some((utilisateur, acteur))) => {
                crate::journal::noter_utilisateur(utilisateur.id.0);
                Ok(ConnecteApi {
                    utilisateur,
                    acteur,
                })
            }
            Ok(None) => Err(refus(
                "jeton d'accès inconnu, expiré ou révoqué, ou compte désactivé",
            )),
            Err(e) => Err(crate::api_erreur::ErreurApi::from(e).into_response()),
        }
    }
}

/// The client's address, to count its login failures: the peer of the connection, or, when that
/// peer is this machine (a local reverse proxy), the last address of `X-Forwarded-For`. Empty
/// when unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdresseClient(pub String);

impl<S: Send + Sync> FromRequestParts<S> for AdresseClient {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _etat: &S) -> Result<Self, Self::Rejection> {
        let pair = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let transmise = || {
            parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .next_back()
                .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok())
        };
        let adresse = match pair {
            Some(ip) if ip.is_loopback() => transmise().unwrap_or(ip),
            Some(ip) => ip,
            None => return Ok(AdresseClient(String::new())),
        };
        Ok(AdresseClient(adresse.to_string()))
    }
}

/// Opens a session for `utilisateur`; returns the cookie's value.
pub async fn ouvrir(p: &Plateforme, utilisateur: i64) -> Result<String, ErreurWeb> {
    let jeton = secret();
    store::comptes::ouvrir_session(
        &p.base,
        &hacher(&jeton),
        utilisateur,
        &secret(),
        maintenant(),
    )
    .await?;
    Ok(jeton)
}

/// Ends the session of this cookie.
pub async fn fermer(p: &Plateforme, entetes: &HeaderMap) -> Result<(), ErreurWeb> {
    if let Some(jeton) = cookie(entetes, COOKIE) {
        store::comptes::fermer_session(&p.base, &hacher(&jeton)).await?;
    }
    Ok(())
}

/// The `Set-Cookie` value for a session (or its removal with `None`).
pub fn entete_cookie(jeton: Option<&str>, securise: bool) -> String {
    let secure = if securise { "; Secure" } else { "" };
    match jeton {
        Some(j) => format!(
            "{COOKIE}={j}; HttpOnly; SameSite=Lax; Path=/; Max-Age={DUREE_INACTIVITE}{secure}"
        ),
        None => format!("{COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{secure}"),
    }
}

/// The id and password hash of an account, by e-mail.
pub async fn compte(
    p: &Plateforme,
    email: &str,
) -> Result<Option<(i64, Option<String>)>, ErreurWeb> {
    Ok(store::comptes::compte_actif(&p.base, email).await?)
}

/// Now, in Unix seconds.
pub fn instant() -> i64 {
    maintenant()
}
