//! Answers to the requests of the page's script (htmx, `HX-Request`), which replaces one part
//! of a page with the same part of the answer. Two answers must not be cut down that way: a
//! redirection to the login page (the session has expired: the browser goes there, as without
//! the script) and an error page (it replaces the page's main content, so that its message is
//! read where the part would have been).

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::erreur::PageErreur;

/// The middleware that adapts those two answers; every other answer passes unchanged.
pub async fn adapter(requete: Request, suivant: Next) -> Response {
    let du_script = requete.headers().contains_key("hx-request");
    let mut reponse = suivant.run(requete).await;
    if !du_script {
        return reponse;
    }
    if reponse.status().is_redirection()
        && let Some(adresse) = reponse.headers().get(header::LOCATION).cloned()
        && adresse.as_bytes().starts_with(b"/connexion")
    {
        let mut r = Response::new(axum::body::Body::empty());
        *r.status_mut() = StatusCode::OK;
        r.headers_mut().insert("hx-redirect", adresse);
        return r;
    }
    if reponse.extensions().get::<PageErreur>().is_some() {
        let h = reponse.headers_mut();
        h.insert("hx-retarget", HeaderValue::from_static("#contenu"));
        h.insert("hx-reselect", HeaderValue::from_static("#contenu"));
        h.insert("hx-reswap", HeaderValue::from_static("outerHTML"));
    }
    reponse
}
