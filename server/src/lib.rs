#![recursion_limit = "512"]
//! The Atlas server: the HTTP application (pages, REST API, health check) and the commands of
//! the `atlas` binary.

pub mod cli;
pub mod config;
pub mod page_cache;
pub mod routes;

use app::server::geo::Maps;
use app::server::search::Search;
use app::{shell, App};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
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
}

impl AppState {
    /// Connects the pieces: builds the search index from the database.
    pub async fn new(
        db: DatabaseConnection,
        leptos_options: LeptosOptions,
    ) -> Result<Self, sea_orm::DbErr> {
        let search = Search::build(&db).await?;
        let dir = app::server::services::referentials::default_data_dir();
        let maps = match Maps::load(&dir) {
            Ok(maps) => Some(Arc::new(maps)),
            Err(err) => {
                tracing::error!(%err, "maps unavailable");
                None
            }
        };
        Ok(AppState {
            db,
            search,
            maps,
            leptos_options,
        })
    }
}

/// The whole HTTP application, ready to serve or to drive with `oneshot` in tests.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let (db, search) = (state.db.clone(), state.search.clone());
    let context = move || {
        provide_context(db.clone());
        provide_context(search.clone());
    };
    let options = state.leptos_options.clone();
    // Pages are compressed once, inside the cache, which keeps each encoding asked.
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            page_cache::PageCache::new(state.search.clone()),
            page_cache::serve,
        ));
    Router::new()
        .merge(routes::api())
        .merge(pages)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}
