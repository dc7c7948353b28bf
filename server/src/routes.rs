//! Plain axum routes beside the pages: the REST API, the health check, the language switch.

use crate::AppState;
use app::error::AppError;
use app::models::{Partnership, ReferenceList};
use app::server::auth::AuthSession;
use app::server::services::{contributions, partnerships};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{any, delete, get, post};
use axum::{Json, Router};
use sea_orm::DatabaseConnection;
use serde::Deserialize;

pub mod account;
pub mod admin;
pub mod authorities;
pub mod body;
pub mod contribute;
pub mod editing;
pub mod embed;
pub mod forms;
pub mod maps;
pub mod openapi;
pub mod reference;
pub mod search;
pub mod synergies;

/// The API and the form routes. The JSON of one partnership goes through the page cache, as
/// its page does.
pub fn api(cache: crate::page_cache::PageCache) -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route(
            "/api/v1/partnerships",
            get(search::search).post(contribute::create),
        )
        .route("/api/v1/partnerships.csv", get(search::csv))
        .route("/api/v1/partnerships.atom", get(search::atom))
        .route("/api/v1/partnerships.iati.xml", get(search::iati))
        .route("/api/v1/schema/partnerships.json", get(search::csv_schema))
        .route("/api/v1/themes", get(search::themes))
        .route("/api/v1/authorities", get(authorities::search))
        .route("/api/v1/authorities/{key}", get(authorities::one))
        .route(
            "/api/v1/authorities/{key}/synergies",
            get(synergies::of_authority),
        )
        .route("/api/v1/synergies", get(synergies::among))
        .route("/carte/{file}", get(maps::map_svg))
        .route("/embed/collectivites/{key}", get(embed::authority))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route(
            "/api/v1/partnerships/{id}",
            get(partnership)
                .layer(tower_http::compression::CompressionLayer::new())
                .layer(axum::middleware::from_fn_with_state(
                    cache,
                    crate::page_cache::serve,
                ))
                .put(contribute::save)
                .patch(contribute::patch),
        )
        .route(
            "/api/v1/partnerships/{id}/synergies",
            get(synergies::of_partnership),
        )
        .route(
            "/api/v1/partnerships/{id}/history",
            get(contribute::history),
        )
        .route(
            "/api/v1/partnerships/{id}/revisions/{n}",
            get(contribute::revision),
        )
        .route(
            "/api/v1/partnerships/{id}/revisions/{n}/restore",
            post(contribute::restore),
        )
        .route("/api/v1/partnerships/{id}/submit", post(contribute::submit))
        .route("/api/v1/me/partnerships", get(contribute::dashboard))
        .route("/api/v1/moderation/queue", get(contribute::queue))
        .route("/api/v1/moderation/approve", post(contribute::approve_many))
        .route(
            "/api/v1/moderation/{id}/{decision}",
            post(contribute::decide),
        )
        .route("/api/v1/auth/login", post(account::login))
        .route("/api/v1/auth/logout", post(account::logout))
        .route("/api/v1/auth/me", get(account::me))
        .route(
            "/api/v1/me/tokens",
            get(account::tokens_list).post(account::tokens_create),
        )
        .route("/api/v1/me/tokens/{id}", delete(account::tokens_revoke))
        .route("/api/v1/admin/accounts", get(admin::list))
        .route(
            "/api/v1/admin/accounts/{id}",
            get(admin::one).put(admin::update),
        )
        .route("/administration/comptes/{id}", post(admin::update_form))
        .merge(reference::list_routes(
            ReferenceList::Themes,
            "/api/v1/admin/themes",
        ))
        .merge(reference::list_routes(
            ReferenceList::Forms,
            "/api/v1/admin/forms",
        ))
        .merge(reference::embassy_routes())
        .route("/compte/jetons", post(forms::create_token))
        .route("/compte/jetons/{id}/revoquer", post(forms::revoke_token))
        .route("/connexion", post(forms::sign_in))
        .route("/deconnexion", post(forms::sign_out))
        .route("/moderation/publier", post(forms::approve_many))
        .route("/moderation/{id}", post(forms::decide))
        .route(
            "/partenariats/{id}/modifier/{section}",
            post(editing::edit_section),
        )
        .route(
            "/partenariats/{id}/historique/{n}/retablir",
            post(editing::restore),
        )
        .route(
            "/espace/declarations/{id}/{step}",
            post(forms::declaration_step),
        )
        .route(
            "/espace/declarations/nouvelle",
            post(forms::new_declaration),
        )
        .route("/compte/demande", post(forms::request_account))
        .route("/compte/confirmer", get(forms::confirm_account))
        .route("/compte/mot-de-passe-oublie", post(forms::forgot_password))
        .route("/compte/nouveau-mot-de-passe", post(forms::new_password))
        .route("/compte/mot-de-passe", post(forms::change_password))
        .route("/moderation/comptes/{id}", post(forms::decide_account))
        .route("/langue/{lang}", get(switch_language))
        .route("/api/fn/{*fn_name}", any(server_fn))
}

/// What server functions and pages find in their context: the database, the search index,
/// the mailer.
pub fn context(state: &AppState) -> impl Fn() + Clone + Send + 'static {
    let (db, search) = (state.db.clone(), state.search.clone());
    let (mailer, throttle) = (state.mailer.clone(), state.throttle.clone());
    move || {
        leptos::prelude::provide_context(db.clone());
        leptos::prelude::provide_context(search.clone());
        leptos::prelude::provide_context(mailer.clone());
        leptos::prelude::provide_context(throttle.clone());
    }
}

/// Server functions, with the database in their context.
async fn server_fn(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> impl IntoResponse {
    leptos_axum::handle_server_fns_with_context(context(&state), request).await
}

/// A server function's refusal answers with its own status (401, 403, 404, 409, 422…):
/// leptos answers every error of a server function as 500, with the error as JSON.
pub async fn server_fn_status(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let server_fn = request.uri().path().starts_with("/api/fn/");
    let response = next.run(request).await;
    if !server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status_code()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The CSRF defence of every state-changing request (forms, server functions, the JSON API):
/// a browser always says where a `POST` comes from (`Origin`, or `Sec-Fetch-Site`), so one
/// from another site is refused. A request that says nothing is a program's, not a browser's:
/// it is let through only when it carries no cookie, so no session can be borrowed that way
/// (programs sign in with `POST /api/v1/auth/login` and then send `Origin`, or use a token).
pub async fn same_origin_writes(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::Method;
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || same_origin(request.headers()) || bearer(request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(uri = %request.uri(), "cross-site write refused");
    (
        StatusCode::FORBIDDEN,
        Json(serde_json::json!({
            "error": "Requête refusée : elle ne vient pas de ce site (en-tête Origin)"
        })),
    )
        .into_response()
}

/// A bearer token is not sent by a browser on its own, so a request that carries one (checked
/// by `account::bearer` before this) is not a forged cross-site request.
fn bearer(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "))
}

fn same_origin(headers: &axum::http::HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(origin) = text(header::ORIGIN) {
        let host = origin.split_once("://").map_or("", |(_, rest)| rest);
        return text(header::HOST).is_some_and(|h| h.eq_ignore_ascii_case(host));
    }
    if let Some(site) = text(axum::http::HeaderName::from_static("sec-fetch-site")) {
        return matches!(site, "same-origin" | "none");
    }
    !headers.contains_key(header::COOKIE)
}

/// Liveness: 200 as soon as the server listens, whatever the database or the index are doing
/// (a load balancer restarts a server that stops answering it).
async fn healthz() -> Response {
    (StatusCode::OK, "ok").into_response()
}

/// Readiness: 200 when the database answers and the search index is built, 503 otherwise
/// (a load balancer sends no traffic until then). The JSON says which part is missing.
async fn readyz(State(state): State<AppState>) -> Response {
    let database = match state.db.ping().await {
        Ok(()) => true,
        Err(err) => {
            tracing::error!(%err, "readiness: database unreachable");
            false
        }
    };
    let index = state.search.is_ready();
    let status = if database && index {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let partnerships = state.search.read().len();
    let mut response = (
        status,
        Json(serde_json::json!({
            "ready": database && index,
            "database": database,
            "index": index,
            "partnerships": partnerships,
        })),
    )
        .into_response();
    if status != StatusCode::OK {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(app::error::STARTING_RETRY_AFTER),
        );
    }
    response
}

/// A partnership as JSON. For everyone, a published one without personal data (read routes
/// allow cross-origin GET); for the people who may change or moderate it, in any state, with
/// its contacts, and its `state`.
async fn partnership(
    State(db): State<DatabaseConnection>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
    if auth.user.is_some() {
        if let Ok((state, p, proposal)) = contributions::get(&db, auth.user.as_ref(), id).await {
            let mut body = serde_json::to_value(&p).map_err(AppError::internal)?;
            body["state"] = serde_json::Value::from(state.code());
            if let Some(proposal) = proposal {
                body["proposal"] = serde_json::Value::from(proposal);
            }
            return Ok(Json(body).into_response());
        }
    }
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
