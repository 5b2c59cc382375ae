//! The security headers of every answer: the browser runs only the service's own script file
//! (no inline script, nothing evaluated), loads nothing from elsewhere, never shows a page
//! inside another site's frame, does not guess content types, and tells other sites nothing of
//! the address a link was followed from. Served behind HTTPS (cookies marked `Secure`), it also
//! tells the browser to come back only over HTTPS (`Strict-Transport-Security`).

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::Etat;

/// The content security policy. Styles may be inline (`style` attributes of the map's legend
/// and of some labels); scripts may not.
pub const POLITIQUE: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// How long a browser keeps to HTTPS after an answer over it: one year.
pub const HSTS: &str = "max-age=31536000";

/// The middleware that adds the headers an answer does not set itself.
pub async fn entetes(State(etat): State<Etat>, requete: Request, suivant: Next) -> Response {
    let mut reponse = suivant.run(requete).await;
    let h = reponse.headers_mut();
    let mut poser = |nom: HeaderName, valeur: &'static str| {
        if !h.contains_key(&nom) {
            h.insert(nom, HeaderValue::from_static(valeur));
        }
    };
    poser(header::CONTENT_SECURITY_POLICY, POLITIQUE);
    poser(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    poser(header::X_FRAME_OPTIONS, "DENY");
    poser(header::REFERRER_POLICY, "same-origin");
    if etat.cookie_securise {
        poser(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    reponse
}
