//! Plain axum routes beside the pages: the REST API, the health check, the language switch.

use crate::AppState;
use app::error::AppError;
use app::models::Partnership;
use app::server::services::partnerships;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use sea_orm::DatabaseConnection;
use serde::Deserialize;

pub mod authorities;
pub mod maps;
pub mod openapi;
pub mod search;

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/partnerships", get(search::search))
        .route("/api/v1/partnerships.csv", get(search::csv))
        .route("/api/v1/partnerships.iati.xml", get(search::iati))
        .route("/api/v1/schema/partnerships.json", get(search::csv_schema))
        .route("/api/v1/themes", get(search::themes))
        .route("/api/v1/authorities", get(authorities::search))
        .route("/api/v1/authorities/{key}", get(authorities::one))
        .route("/carte/{file}", get(maps::map_svg))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/partnerships/{id}", get(partnership))
        .route("/langue/{lang}", get(switch_language))
        .route("/api/fn/{*fn_name}", any(server_fn))
}

/// Server functions, with the database in their context.
async fn server_fn(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> impl IntoResponse {
    let (db, search) = (state.db.clone(), state.search.clone());
    leptos_axum::handle_server_fns_with_context(
        move || {
            leptos::prelude::provide_context(db.clone());
            leptos::prelude::provide_context(search.clone());
        },
        request,
    )
    .await
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(db): State<DatabaseConnection>) -> Response {
    match db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(err) => {
            tracing::error!(%err, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// A published partnership as JSON, without personal data. Read routes allow cross-origin GET.
async fn partnership(
    State(db): State<DatabaseConnection>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
    let p: Partnership = partnerships::get_published(&db, id)
        .await?
        .without_personal_data();
    Ok(cross_origin(Json(p).into_response()))
}

/// Allows any site to read the response: the read routes of the open data.
pub fn cross_origin(mut response: Response) -> Response {
    allow_any_origin(response.headers_mut());
    response
}

pub fn allow_any_origin(headers: &mut axum::http::HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
}

#[derive(Deserialize)]
struct Back {
    retour: Option<String>,
}

/// Sets the language cookie and goes back to the page, for browsers without JavaScript.
async fn switch_language(Path(lang): Path<String>, Query(back): Query<Back>) -> Response {
    let lang = match lang.as_str() {
        "fr" | "en" => lang,
        _ => return AppError::NotFound.into_response(),
    };
    let target = back
        .retour
        .as_deref()
        .and_then(same_site_path)
        .unwrap_or("/");
    let cookie = format!("i18n_pref_locale={lang}; Path=/; Max-Age=31536000; SameSite=Lax");
    let mut response = Redirect::to(target).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// A return address that stays on this site: a path that starts with one `/` and holds
/// nothing a browser could read as another host (`//x`, `/\\x`, a scheme, control
/// characters); `None` for anything else. Every route that takes a return address calls it.
pub fn same_site_path(target: &str) -> Option<&str> {
    let mut chars = target.chars();
    let safe = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/') | Some('\\'))
        && !target
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
        && !target.contains("%5C")
        && !target.contains("%5c");
    safe.then_some(target)
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn only_same_site_paths_are_return_addresses() {
        for ok in [
            "/",
            "/partenariats?pays=SN",
            "/collectivites/commune-73065#x",
        ] {
            assert_eq!(same_site_path(ok), Some(ok));
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/\tevil",
            "/\u{0}x",
            "evil.example",
            "",
        ] {
            assert_eq!(same_site_path(bad), None, "{bad:?}");
        }
    }
}
