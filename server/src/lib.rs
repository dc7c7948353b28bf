#![recursion_limit = "512"]
//! The Atlas server: the HTTP application (pages, REST API, health check) and the commands of
//! the `atlas` binary.

pub mod backup;
pub mod cli;
pub mod config;
pub mod metrics;
pub mod migrate;
pub mod observe;
pub mod page_cache;
pub mod routes;
pub mod security;

use app::server::auth::{Backend, DbSessions};
use app::server::geo::Maps;
use app::server::mail::Mailer;
use app::server::search::Search;
use app::{shell, App};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// What every request handler can reach.
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub search: Search,
    /// The map geometry; `None` when its data files are missing (the maps then answer 404).
    pub maps: Option<Arc<Maps>>,
    pub leptos_options: LeptosOptions,
    pub mailer: Mailer,
    pub throttle: app::server::auth::Throttle,
}

impl AppState {
    /// Connects the pieces: builds the search index from the database; emails go as the
    /// environment says (`config::mailer`).
    pub async fn new(
        db: DatabaseConnection,
        leptos_options: LeptosOptions,
    ) -> Result<Self, sea_orm::DbErr> {
        let mailer = config::mailer().map_err(sea_orm::DbErr::Custom)?;
        Self::with_mailer(db, leptos_options, mailer).await
    }

    pub async fn with_mailer(
        db: DatabaseConnection,
        leptos_options: LeptosOptions,
        mailer: Mailer,
    ) -> Result<Self, sea_orm::DbErr> {
        let search = Search::build(&db).await?;
        Ok(Self::with_search(db, leptos_options, mailer, search))
    }

    /// The pieces around a search index that may still be building (`atlas serve` listens at
    /// once and builds it meanwhile).
    pub fn with_search(
        db: DatabaseConnection,
        leptos_options: LeptosOptions,
        mailer: Mailer,
        search: Search,
    ) -> Self {
        let dir = app::server::services::referentials::default_data_dir();
        let maps = match Maps::load(&dir) {
            Ok(maps) => Some(Arc::new(maps)),
            Err(err) => {
                tracing::error!(%err, "maps unavailable");
                None
            }
        };
        AppState {
            db,
            search,
            maps,
            leptos_options,
            mailer,
            throttle: Default::default(),
        }
    }
}

/// The application's routes, listed once per process. Listing them runs the app with the
/// loading of resources suppressed through a flag global to the process (leptos_server's
/// `SuppressResourceLoad`): a resource first polled meanwhile on another thread, by a page being
/// rendered there, waits forever (leptos-rs/leptos#4773), which hung an integration test now
/// and then while another built its router. Listed once, under a lock that every router waits
/// for, the listing ends before any page can be rendered.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::LazyLock<Vec<AxumRouteListing>> =
        std::sync::LazyLock::new(|| generate_route_list(App));
    ROUTES.clone()
}

/// The whole HTTP application, ready to serve or to drive with `oneshot` in tests.
pub fn router(state: AppState) -> Router {
    let routes = routes();
    let context = routes::context(&state);
    let options = state.leptos_options.clone();
    let cache = page_cache::PageCache::new(state.search.clone());
    // Pages are compressed once, inside the cache, which keeps each encoding asked.
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        // Each page's policy comes from its own text, so is set before it is compressed and kept.
        .layer(axum::middleware::from_fn(security::page_policy))
        // leptos registers each server function here too: their refusals get their status
        // before the compression.
        .layer(axum::middleware::from_fn(routes::server_fn_status))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            cache.clone(),
            page_cache::serve,
        ));
    let sessions = tower_sessions::SessionManagerLayer::new(DbSessions::new(state.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(tower_sessions::cookie::SameSite::Lax)
        .with_secure(config::secure_cookies())
        .with_expiry(tower_sessions::Expiry::OnInactivity(time::Duration::hours(
            12,
        )));
    let auth =
        axum_login::AuthManagerLayerBuilder::new(Backend::new(state.db.clone()), sessions).build();
    let app = Router::new()
        .merge(routes::api(cache))
        .merge(pages)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .route_layer(axum::middleware::from_fn(metrics::route))
        .layer(axum::middleware::from_fn(routes::same_origin_writes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            routes::account::bearer,
        ))
        .layer(auth)
        // The pages that the fallback renders (not found, starting).
        .layer(axum::middleware::from_fn(security::page_policy))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            config::secure_cookies(),
            security::headers,
        ))
        .layer(axum::middleware::from_fn(metrics::record))
        .with_state(state);
    observe::observed(app)
}

/// The name of the session cookie; a request that carries it is never served from, nor kept
/// in, the page cache.
pub const SESSION_COOKIE: &str = "atlas_session";
