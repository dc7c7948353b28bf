//! What the server tells its operators about each request: an id (`X-Request-Id`, kept when a
//! proxy sends one, made otherwise, and given back in the answer), carried by every log line
//! written while the request is handled, and one line when it is answered, with its status and
//! time. The query string is not logged: a password reset's token travels in it.

use axum::http::{HeaderName, Request};
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The span of a request: its id, method and path.
fn span<B>(request: &Request<B>) -> tracing::Span {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// The whole application, each request with its id and its log line.
pub fn observed(app: Router) -> Router {
    app.layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                // The answer's line already says its status; a 503 while the index is built
                // is expected, and the errors behind a 500 are logged where they happen.
                .on_failure(()),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}
