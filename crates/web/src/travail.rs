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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use axum::Router;
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    /// A router whose handler marks `fini` after 50 ms, with or without the middleware.
    fn routeur(fini: Arc<AtomicBool>, detache: bool) -> Router {
        let r = Router::new().route(
            "/",
            get(move || async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                fini.store(true, Ordering::SeqCst);
                "fait"
            }),
        );
        if detache {
            r.layer(axum::middleware::from_fn(super::detacher))
        } else {
            r
        }
    }

    /// The client gives up after 10 ms: the detached handler still finishes, the other one is
    /// cut where it stood.
    #[tokio::test]
    async fn le_travail_va_a_son_terme_quand_le_client_abandonne() {
        for detache in [true, false] {
            let fini = Arc::new(AtomicBool::new(false));
            let requete = routeur(fini.clone(), detache)
                .oneshot(Request::get("/").body(Body::empty()).unwrap());
            assert!(
                tokio::time::timeout(Duration::from_millis(10), requete)
                    .await
                    .is_err()
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
            assert_eq!(fini.load(Ordering::SeqCst), detache, "détaché: {detache}");
        }
    }
}
