//! `GET /api/v1/authorities?q=` (the authorities whose name starts with what was typed) and
//! `GET /api/v1/authorities/{key}` (one authority by identity, INSEE code or SIREN; a code shared
//! by several answers 300 with the list).

use super::body::Params;
use super::cross_origin;
use app::error::AppError;
use app::server::entities::collectivity;
use app::server::services::authorities::{self, Found};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use serde_json::{json, Value};

/// At most this many answers to a name search.
const LISTED: usize = 20;

/// An authority as the API gives it.
fn describe(c: &collectivity::Model) -> Option<Value> {
    let id = authorities::identity(c)?;
    Some(json!({
        "id": id.to_string(),
        "kind": id.kind,
        "code": c.code,
        "siren": c.siren,
        "name": c.name,
        "departement": c.departement_code,
        "region": c.region_code,
        "page": id.href(),
    }))
}

#[derive(Deserialize)]
pub struct NameSearch {
    q: Option<String>,
}

pub async fn search(
    State(db): State<DatabaseConnection>,
    Params(params): Params<NameSearch>,
) -> Result<Response, AppError> {
    let typed = params.q.unwrap_or_default();
    let items: Vec<Value> = authorities::search_by_name(&db, &typed, LISTED)
        .await?
        .iter()
        .filter_map(describe)
        .collect();
    Ok(cross_origin(
        Json(json!({ "items": items })).into_response(),
    ))
}

pub async fn one(
    State(db): State<DatabaseConnection>,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let response = match authorities::find(&db, &key).await? {
        Found::One(c) => Json(describe(&c).ok_or(AppError::NotFound)?).into_response(),
        Found::Several(rows) => candidates(&key, &rows),
        Found::None => return Err(AppError::NotFound),
    };
    Ok(cross_origin(response))
}

/// 300: the authorities a shared code may mean.
pub fn candidates(key: &str, rows: &[collectivity::Model]) -> Response {
    let candidates: Vec<Value> = rows.iter().filter_map(describe).collect();
    (
        StatusCode::MULTIPLE_CHOICES,
        Json(json!({ "code": key, "candidates": candidates })),
    )
        .into_response()
}
