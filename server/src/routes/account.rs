//! `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET /api/v1/auth/me`: sessions for
//! programs and the pages' scripts (the pages' own forms go through server functions that call
//! the same service).

use super::body::Body;
use crate::AppState;
use app::error::AppError;
use app::models::{ApiToken, Me, NewApiToken};
use app::server::auth::{self, AuthSession, Credentials};
use app::server::services::tokens;
use axum::extract::{ConnectInfo, State};
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::net::SocketAddr;

/// The client's address, when the server was started with it (not in in-process tests).
pub fn client_address(extensions: &Extensions) -> Option<std::net::IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

pub async fn login(
    State(state): State<AppState>,
    mut auth: AuthSession,
    extensions: Extensions,
    Body(creds): Body<Credentials>,
) -> Result<Json<Me>, AppError> {
    let address = client_address(&extensions);
    let account = auth::sign_in(&mut auth, &state.throttle, address, creds).await?;
    Ok(Json(account.me(&state.db).await?))
}

pub async fn logout(mut auth: AuthSession) -> Result<Response, AppError> {
    auth.logout().await.map_err(AppError::internal)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn me(State(state): State<AppState>, auth: AuthSession) -> Result<Json<Me>, AppError> {
    let account = auth.user.ok_or(AppError::Unauthorized)?;
    Ok(Json(account.me(&state.db).await?))
}

/// Signs in a request that carries `Authorization: Bearer atlas_…` as the token's owner, for
/// this request only (no session is made). An unknown, revoked or expired token is refused with
/// 401 rather than treated as anonymous, so that a tool notices. Other schemes pass through.
pub async fn bearer(
    State(state): State<AppState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let Some(value) = request.headers().get(axum::http::header::AUTHORIZATION) else {
        return next.run(request).await;
    };
    let Some(secret) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) else {
        return next.run(request).await;
    };
    match tokens::authenticate(&state.db, secret.trim()).await {
        Ok(Some(account)) => {
            if let Some(auth) = request.extensions_mut().get_mut::<AuthSession>() {
                auth.user = Some(account);
            }
            next.run(request).await
        }
        Ok(None) => (
            StatusCode::UNAUTHORIZED,
            [(
                axum::http::header::WWW_AUTHENTICATE,
                "Bearer error=\"invalid_token\"",
            )],
            Json(serde_json::json!({
                "error": "Jeton d'accès inconnu, révoqué ou expiré"
            })),
        )
            .into_response(),
        Err(err) => err.into_response(),
    }
}

/// `GET /api/v1/me/tokens`: the signed-in person's live tokens (never their secrets).
pub async fn tokens_list(
    State(state): State<AppState>,
    auth: AuthSession,
) -> Result<Json<Vec<ApiToken>>, AppError> {
    Ok(Json(tokens::list(&state.db, auth.user.as_ref()).await?))
}

#[derive(serde::Deserialize)]
pub struct TokenName {
    #[serde(default)]
    pub name: String,
}

/// `POST /api/v1/me/tokens` `{"name"}` → 201 with the token's secret, shown this once.
pub async fn tokens_create(
    State(state): State<AppState>,
    auth: AuthSession,
    Body(body): Body<TokenName>,
) -> Result<(StatusCode, Json<NewApiToken>), AppError> {
    let made = tokens::create(&state.db, auth.user.as_ref(), &body.name).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// `DELETE /api/v1/me/tokens/{id}` → 204.
pub async fn tokens_revoke(
    State(state): State<AppState>,
    auth: AuthSession,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<StatusCode, AppError> {
    let id = id.parse().map_err(|_| AppError::NotFound)?;
    tokens::revoke(&state.db, auth.user.as_ref(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
