//! Accounts in the browser and in the API: login with lockout after repeated failures, sessions
//! kept in the database (only the SHA-256 of the cookie's token is stored), a CSRF token per
//! session checked on every form, and personal API tokens (`Authorization: Bearer …`).

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

/// The session cookie's name.
pub const COOKIE: &str = "parentalite_session";
/// A session ends after this many seconds without a request.
pub const DUREE_INACTIVITE: i64 = 8 * 3600;
/// Failures that lock an e-mail, and the window they are counted in.
pub const ECHECS_MAX: i64 = 5;
pub const FENETRE_ECHECS: i64 = 15 * 60;

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
    let ligne = lecture
        .ligne(
            "SELECT utilisateur_id, csrf, vu_le FROM sessions WHERE jeton_hache = $1",
            &[hache.clone().into()],
        )
        .await?;
    let Some(l) = ligne else {
        lecture.annuler().await?;
        return Ok(None);
    };
    let compte = utilisateur_actif(&mut lecture, l.entier("utilisateur_id")?).await?;
    lecture.annuler().await?;
    let now = maintenant();
    if now - l.entier("vu_le")? > DUREE_INACTIVITE {
        let mut tx = p.base.debuter().await?;
        tx.executer(
            "DELETE FROM sessions WHERE jeton_hache = $1",
            &[hache.into()],
        )
        .await?;
        tx.valider().await?;
        return Ok(None);
    }
    let csrf = l.texte("csrf")?;
    if now - l.entier("vu_le")? > 60 {
        let mut tx = p.base.debuter().await?;
        tx.executer(
            "UPDATE sessions SET vu_le = $1 WHERE jeton_hache = $2",
            &[now.into(), hache.into()],
        )
        .await?;
        tx.valider().await?;
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
            (
                axum::http::StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                axum::Json(serde_json::json!({ "erreur": m })),
            )
                .into_response()
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
            let mut tx = p.base.lire().await?;
            let l = tx
                .ligne(
                    "SELECT utilisateur_id FROM jetons_api WHERE jeton_hache = $1",
                    &[hacher(jeton).into()],
                )
                .await?;
            let compte = match l {
                None => None,
                Some(l) => utilisateur_actif(&mut tx, l.entier("utilisateur_id")?).await?,
            };
            tx.annuler().await?;
            Ok::<_, ErreurWeb>(compte)
        };
        match trouve.await {
            Ok(Some((utilisateur, acteur))) => {
                crate::journal::noter_utilisateur(utilisateur.id.0);
                Ok(ConnecteApi {
                    utilisateur,
                    acteur,
                })
            }
            Ok(None) => Err(refus("jeton d'accès inconnu ou révoqué")),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// Opens a session for `utilisateur`; returns the cookie's value.
pub async fn ouvrir(p: &Plateforme, utilisateur: i64) -> Result<String, ErreurWeb> {
    let jeton = secret();
    let now = maintenant();
    let mut tx = p.base.debuter().await?;
    tx.executer(
        "INSERT INTO sessions (jeton_hache, utilisateur_id, csrf, cree_le, vu_le) VALUES ($1, $2, $3, $4, $4)",
        &[hacher(&jeton).into(), utilisateur.into(), secret().into(), now.into()],
    )
    .await?;
    tx.valider().await?;
    Ok(jeton)
}

/// Ends the session of this cookie.
pub async fn fermer(p: &Plateforme, entetes: &HeaderMap) -> Result<(), ErreurWeb> {
    if let Some(jeton) = cookie(entetes, COOKIE) {
        let mut tx = p.base.debuter().await?;
        tx.executer(
            "DELETE FROM sessions WHERE jeton_hache = $1",
            &[hacher(&jeton).into()],
        )
        .await?;
        tx.valider().await?;
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

/// When the e-mail is locked, the number of minutes left.
pub async fn verrouillage(p: &Plateforme, email: &str) -> Result<Option<i64>, ErreurWeb> {
    let now = maintenant();
    let mut tx = p.base.lire().await?;
    let lignes = tx
        .lignes(
            "SELECT instant FROM tentatives_connexion WHERE email = $1 AND instant > $2 ORDER BY instant",
            &[email.into(), (now - FENETRE_ECHECS).into()],
        )
        .await?;
    if (lignes.len() as i64) < ECHECS_MAX {
        return Ok(None);
    }
    let premier = lignes
        .first()
        .map(|l| l.entier("instant"))
        .transpose()?
        .unwrap_or(now);
    Ok(Some(((premier + FENETRE_ECHECS - now) / 60).max(1)))
}

pub async fn noter_echec(p: &Plateforme, email: &str) -> Result<(), ErreurWeb> {
    let mut tx = p.base.debuter().await?;
    tx.executer(
        "INSERT INTO tentatives_connexion (email, instant) VALUES ($1, $2)",
        &[email.into(), maintenant().into()],
    )
    .await?;
    tx.valider().await?;
    Ok(())
}

pub async fn effacer_echecs(p: &Plateforme, email: &str) -> Result<(), ErreurWeb> {
    let mut tx = p.base.debuter().await?;
    tx.executer(
        "DELETE FROM tentatives_connexion WHERE email = $1",
        &[email.into()],
    )
    .await?;
    tx.valider().await?;
    Ok(())
}

/// The id and password hash of an account, by e-mail.
pub async fn compte(
    p: &Plateforme,
    email: &str,
) -> Result<Option<(i64, Option<String>)>, ErreurWeb> {
    let mut tx = p.base.lire().await?;
    let l = tx
        .ligne(
            "SELECT id, mot_de_passe FROM utilisateurs WHERE email = $1 AND actif = $2",
            &[email.into(), true.into()],
        )
        .await?;
    Ok(match l {
        Some(l) => Some((l.entier("id")?, l.texte_opt("mot_de_passe")?)),
        None => None,
    })
}

/// Creates a personal API token; returns it (shown once, only its hash is kept).
pub async fn creer_jeton(
    p: &Plateforme,
    utilisateur: i64,
    libelle: &str,
) -> Result<String, ErreurWeb> {
    let jeton = format!("prt_{}", secret());
    let mut tx = p.base.debuter().await?;
    tx.executer(
        "INSERT INTO jetons_api (jeton_hache, utilisateur_id, libelle, cree_le) VALUES ($1, $2, $3, $4)",
        &[hacher(&jeton).into(), utilisateur.into(), libelle.into(), maintenant().into()],
    )
    .await?;
    tx.valider().await?;
    Ok(jeton)
}
