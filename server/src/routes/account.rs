//! `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET /api/v1/auth/me`: sessions for
//! programs and the pages' scripts (the pages' own forms go through server functions that call
//! the same service).

use crate::AppState;
use app::error::AppError;
use app::models::Me;
use app::server::auth::{self, AuthSession, Credentials};
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
    Json(creds): Json<Credentials>,
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
