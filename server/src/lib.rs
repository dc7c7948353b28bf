#![recursion_limit = "512"]
//! The Atlas server: the HTTP application (pages, REST API, health check) and the commands of
//! the `atlas` binary.

pub mod cli;
pub mod config;
pub mod routes;

use app::{shell, App};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sea_orm::DatabaseConnection;

/// What every request handler can reach.
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
}

/// The whole HTTP application, ready to serve or to drive with `oneshot` in tests.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let db = state.db.clone();
    let context = move || provide_context(db.clone());
    let options = state.leptos_options.clone();
    Router::new()
        .merge(routes::api())
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}
