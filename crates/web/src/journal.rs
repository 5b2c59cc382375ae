//! The request log: one line per answer, with the method, the route's pattern (`/dossiers/{id}`,
//! never the address as typed: no query string, no search words, no identifier of a family),
//! the status, the latency and the logged-in user's number. Passwords, tokens and cookies are in
//! bodies and headers, which are never logged.

use std::time::Duration;

use axum::extract::MatchedPath;
use axum::http::{Request, Response};
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{MakeSpan, OnResponse, TraceLayer};
use tracing::Span;

/// The span of a request: its method and route; the user is recorded once known.
#[derive(Debug, Clone, Copy)]
pub struct SpanRequete;

impl<B> MakeSpan<B> for SpanRequete {
    fn make_span(&mut self, requete: &Request<B>) -> Span {
        let route = requete
            .extensions()
            .get::<MatchedPath>()
            .map_or("(aucune)", MatchedPath::as_str);
        tracing::info_span!(
            "requete",
            methode = %requete.method(),
            route = %route,
            utilisateur = tracing::field::Empty,
        )
    }
}

/// The line written when the answer leaves.
#[derive(Debug, Clone, Copy)]
pub struct LigneReponse;

impl<B> OnResponse<B> for LigneReponse {
    fn on_response(self, reponse: &Response<B>, latence: Duration, _span: &Span) {
        let statut = reponse.status().as_u16();
        // Milliseconds to the microsecond (`0.442`).
        let latence_ms = latence.as_micros() as f64 / 1000.0;
        if reponse.status().is_server_error() {
            tracing::error!(statut, latence_ms, "réponse");
        } else {
            tracing::info!(statut, latence_ms, "réponse");
        }
    }
}

/// The layer of the request log.
pub type CoucheJournal =
    TraceLayer<SharedClassifier<ServerErrorsAsFailures>, SpanRequete, (), LigneReponse, (), (), ()>;

pub fn couche() -> CoucheJournal {
    TraceLayer::new_for_http()
        .make_span_with(SpanRequete)
        .on_request(())
        .on_response(LigneReponse)
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

/// Records the logged-in user on the request's span.
pub fn noter_utilisateur(id: i64) {
    Span::current().record("utilisateur", id);
}
