//! Administrators' routes: the accounts, as JSON (`/api/v1/admin/accounts`) and as the plain
//! form of `/administration/comptes/{id}`. The accounts service checks who may do it.

use super::body::{Body, Params};
use crate::AppState;
use app::error::AppError;
use app::models::{AccountChange, AccountFilter, AccountRequest, FormEcho};
use app::server::auth::AuthSession;
use app::server::services::accounts;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;

fn id_of(text: &str) -> Result<i32, AppError> {
    text.parse().map_err(|_| AppError::NotFound)
}

/// `GET /api/v1/admin/accounts?q&role&state`.
pub async fn list(
    State(state): State<AppState>,
    auth: AuthSession,
    Params(filter): Params<AccountFilter>,
) -> Result<Json<Vec<AccountRequest>>, AppError> {
    Ok(Json(
        accounts::list(&state.db, auth.user.as_ref(), &filter).await?,
    ))
}

/// `GET /api/v1/admin/accounts/{id}`.
pub async fn one(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Result<Json<AccountRequest>, AppError> {
    Ok(Json(
        accounts::get(&state.db, auth.user.as_ref(), id_of(&id)?).await?,
    ))
}

/// `PUT /api/v1/admin/accounts/{id}` `{"role", "state", "function", "authorities", "countries"}`.
pub async fn update(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Body(change): Body<AccountChange>,
) -> Result<Json<AccountRequest>, AppError> {
    Ok(Json(
        accounts::update(&state.db, auth.user.as_ref(), id_of(&id)?, &change).await?,
    ))
}

/// `POST /administration/comptes/{id}`: the account form without JavaScript. Authorities come
/// one per line, countries separated by spaces or commas.
pub async fn update_form(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    body: String,
) -> Response {
    let Ok(id) = id_of(&id) else {
        return AppError::NotFound.into_response();
    };
    let values = super::forms::pairs(&body);
    let value = |name: &str| super::forms::value(&values, name);
    let change = AccountChange {
        role: value("role"),
        state: value("state"),
        function: Some(value("function")),
        authorities: value("authorities").lines().map(str::to_string).collect(),
        countries: value("countries")
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
    };
    let here = format!("/administration/comptes/{id}");
    match accounts::update(&state.db, auth.user.as_ref(), id, &change).await {
        Ok(_) => Redirect::to(&format!("{here}?enregistre=1")).into_response(),
        Err(AppError::Invalid { fields }) => {
            let echo = FormEcho {
                values,
                errors: fields,
            };
            super::forms::keep_then_go(&auth.session, "admin_account_form", echo, &here).await
        }
        Err(AppError::Unauthorized) => super::forms::sign_in_again(&here),
        Err(other) => other.into_response(),
    }
}
