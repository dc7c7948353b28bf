//! Prometheus metrics, on an address of their own (`ATLAS_METRICS_ADDR`, e.g.
//! `127.0.0.1:9100`), never on the public one: requests by route (count and latency), the
//! database's connection pool, the search index (size, age, changes applied) and how far it is
//! behind the change log. Without the setting nothing is recorded nor served.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::net::SocketAddr;
use std::time::Instant;

const REQUESTS: &str = "atlas_http_requests_total";
const DURATION: &str = "atlas_http_request_duration_seconds";
/// From 1 ms (a search) to 10 s (a large export).
const DURATION_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Where the metrics are served, from `ATLAS_METRICS_ADDR`; `None` when unset or empty.
pub fn address() -> Result<Option<SocketAddr>, String> {
    match std::env::var("ATLAS_METRICS_ADDR") {
        Ok(text) if !text.trim().is_empty() => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("ATLAS_METRICS_ADDR : adresse invalide « {text} »")),
        _ => Ok(None),
    }
}

/// Installs the process's recorder, then serves `GET /metrics` on `addr` for as long as the
/// server runs.
pub async fn serve(
    state: AppState,
    addr: SocketAddr,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(DURATION.into()), DURATION_BUCKETS)?
        .install_recorder()?;
    describe();
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "metrics on http://{addr}/metrics");
    let app = axum::Router::new()
        .route("/metrics", axum::routing::get(scrape))
        .with_state((state, handle));
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::error!(%err, "metrics: the listener stopped");
        }
    });
    Ok(())
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(REQUESTS, "Requests answered, by method, route and status.");
    describe_histogram!(
        DURATION,
        Unit::Seconds,
        "Time to answer, by method and route."
    );
    describe_gauge!(
        "atlas_db_pool_connections",
        "Connections of the database pool, by state."
    );
    describe_gauge!(
        "atlas_db_pool_max_connections",
        "Most connections the pool opens."
    );
    describe_gauge!(
        "atlas_index_partnerships",
        "Partnerships in the search index."
    );
    describe_gauge!("atlas_index_ready", "1 once the search index is built.");
    describe_gauge!(
        "atlas_index_age_seconds",
        Unit::Seconds,
        "Time since the search index was last built whole."
    );
    describe_gauge!(
        "atlas_index_generation",
        "Changes to the search index since the server started."
    );
    describe_gauge!(
        "atlas_change_log_lag",
        "Change-log entries written but not yet applied to this server's index."
    );
    describe_gauge!(
        "atlas_change_log_last_seq",
        "The last change-log entry written."
    );
}

/// The gauges are read when scraped, then everything is rendered.
async fn scrape(State((state, handle)): State<(AppState, PrometheusHandle)>) -> Response {
    use metrics::gauge;
    let (size, idle, max) = pool(&state.db);
    gauge!("atlas_db_pool_connections", "state" => "idle").set(idle as f64);
    gauge!("atlas_db_pool_connections", "state" => "in_use")
        .set((size as usize).saturating_sub(idle) as f64);
    gauge!("atlas_db_pool_max_connections").set(max as f64);
    let search = &state.search;
    gauge!("atlas_index_partnerships").set(search.read().len() as f64);
    gauge!("atlas_index_ready").set(if search.is_ready() { 1.0 } else { 0.0 });
    gauge!("atlas_index_generation").set(search.generation() as f64);
    if let Some(built) = search.built_at() {
        gauge!("atlas_index_age_seconds").set(built.elapsed().as_secs_f64());
    }
    match app::server::services::changes::last_seq(&state.db).await {
        Ok(last) => {
            gauge!("atlas_change_log_last_seq").set(f64::from(last));
            let lag = if search.is_ready() {
                last.saturating_sub(search.applied()).max(0)
            } else {
                last
            };
            gauge!("atlas_change_log_lag").set(f64::from(lag));
        }
        Err(err) => tracing::error!(%err, "metrics: cannot read the change log"),
    }
    handle.run_upkeep();
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}

/// The pool's connections: open, idle, and the most it opens.
fn pool(db: &sea_orm::DatabaseConnection) -> (u32, usize, u32) {
    match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
    }
}

/// Inside the routing: says which route answered (its pattern, `/partenariats/{id}`), for
/// [`record`] outside it.
pub async fn route(request: Request, next: Next) -> Response {
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(matched) = matched {
        response.extensions_mut().insert(matched);
    }
    response
}

/// Outside everything: counts and times each answer by method, route and status; what no
/// route matched counts as `(none)`, so that made-up paths do not each make a series.
pub async fn record(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method: &'static str = match request.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    let response = next.run(request).await;
    let route = response
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(none)".to_owned(), |m| m.as_str().to_owned());
    let status = response.status().as_u16().to_string();
    metrics::counter!(REQUESTS, "method" => method, "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!(DURATION, "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}
