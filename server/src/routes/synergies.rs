//! "Who else works there?" for programs: the peers of a partnership, of an authority, of a
//! selection of the search, as the pages rank them (`app::server::services::synergies`), without
//! the embassy agents' names and emails, which the pages show to readers.

use super::authorities::candidates;
use super::cross_origin;
use super::search::parse_query;
use crate::AppState;
use app::error::AppError;
use app::models::Synergies;
use app::server::services::authorities::{self, Found};
use app::server::services::synergies;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

fn countries(groups: Vec<Synergies>) -> Response {
    let groups: Vec<Synergies> = groups
        .into_iter()
        .map(Synergies::without_personal_data)
        .collect();
    cross_origin(Json(json!({ "countries": groups })).into_response())
}

/// `GET /api/v1/partnerships/{id}/synergies`: the panel of a published partnership's page.
pub async fn of_partnership(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(countries(
        synergies::of_partnership(&state.db, &state.search, id).await?,
    ))
}

/// `GET /api/v1/authorities/{key}/synergies`: an authority's peers in each of its countries; a
/// code shared by several authorities answers 300 with them, as the authority's route does.
pub async fn of_authority(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let authority = match authorities::find(&state.db, &key).await? {
        Found::One(authority) => authority,
        Found::Several(rows) => return Ok(cross_origin(candidates(&key, &rows))),
        Found::None => return Err(AppError::NotFound),
    };
    let identity = authorities::identity(&authority)
        .ok_or(AppError::NotFound)?
        .to_string();
    Ok(countries(
        synergies::of_authority(&state.db, &state.search, identity).await?,
    ))
}

/// `GET /api/v1/synergies`: the authorities working in a selection (the search's filters), most
/// ongoing partnerships first.
pub async fn among(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let query = parse_query(raw.as_deref())?.filters_only();
    let found = synergies::among(&state.db, &state.search, query).await?;
    Ok(cross_origin(
        Json(found.without_personal_data()).into_response(),
    ))
}
