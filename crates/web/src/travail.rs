//! Each request's work runs in a task of its own, to its end, whatever becomes of the client: a
//! client that goes away (disconnection, its own timeout) no longer cancels a handler between
//! two awaits, in the middle of a transaction. Its answer is simply not delivered.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use crate::erreur::ErreurWeb;

/// The middleware that detaches the handler from the connection.
pub async fn detacher(requete: Request, suivant: Next) -> Response {
    let tache = tokio::spawn(suivant.run(requete).instrument(tracing::Span::current()));
    match tache.await {
        Ok(reponse) => reponse,
        Err(e) => {
            ErreurWeb::Interne(format!("traitement de la requête interrompu: {e}")).into_response()
        }
    }
}
