//! Forms must be UTF-8: a form body (`application/x-www-form-urlencoded`) or a query string whose
//! percent-decoded bytes are not valid UTF-8 is refused with a clear 400 (a page, or the API's
//! error body under `/api/`), instead of the bytes being silently replaced by U+FFFD when the
//! fields are read.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::erreur::PageErreur;

/// The largest form body read here (the router's default limit).
const TAILLE_MAX_FORMULAIRE: usize = 2 * 1024 * 1024;

/// Whether every name and value of an `a=b&c=d` text decodes to UTF-8.
pub fn formulaire_en_utf8(octets: &[u8]) -> bool {
    octets
        .split(|&b| b == b'&')
        .flat_map(|paire| paire.splitn(2, |&b| b == b'='))
        .all(|partie| {
            let plus: Vec<u8> = partie
                .iter()
                .map(|&b| if b == b'+' { b' ' } else { b })
                .collect();
            let decode: Vec<u8> = percent_encoding::percent_decode(&plus).collect();
            std::str::from_utf8(&decode).is_ok()
        })
}

fn refus(api: bool) -> Response {
    if api {
        return crate::api_erreur::ErreurApi::new(
            StatusCode::BAD_REQUEST,
            "parametre_invalide",
            "la requête contient des caractères mal encodés (UTF-8 attendu)",
        )
        .into_response();
    }
    let message = "Le formulaire envoyé contient des caractères mal encodés (le texte doit être en UTF-8) : corrigez la saisie et recommencez.";
    let mut r = (
        StatusCode::BAD_REQUEST,
        Html(crate::vue::page_erreur("Formulaire illisible", message).into_string()),
    )
        .into_response();
    r.extensions_mut().insert(PageErreur);
    r
}

/// The middleware: checks the query string of every request and the body of every form.
pub async fn verifier(requete: Request, suivant: Next) -> Response {
    let api = requete.uri().path().starts_with("/api/");
    if let Some(q) = requete.uri().query()
        && !formulaire_en_utf8(q.as_bytes())
    {
        return refus(api);
    }
    let est_formulaire = requete
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !est_formulaire {
        return suivant.run(requete).await;
    }
    let (parties, corps) = requete.into_parts();
    let Ok(octets) = axum::body::to_bytes(corps, TAILLE_MAX_FORMULAIRE).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            Html(
                crate::vue::page_erreur(
                    "Formulaire trop volumineux",
                    "Le formulaire envoyé dépasse la taille acceptée.",
                )
                .into_string(),
            ),
        )
            .into_response();
    };
    if !formulaire_en_utf8(&octets) {
        return refus(api);
    }
    suivant
        .run(Request::from_parts(parties, Body::from(octets)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_formulaire_doit_etre_en_utf8() {
        assert!(formulaire_en_utf8(b"nom=%C3%A9t%C3%A9&b=a+b"));
        assert!(formulaire_en_utf8(b""));
        assert!(!formulaire_en_utf8(b"nom=%FF%FE"));
        assert!(!formulaire_en_utf8(b"%C3=x"));
    }
}
