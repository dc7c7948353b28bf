//! The REST routes of the write path: declaring, saving and submitting partnerships, the
//! dashboard, the moderation queue and decisions. Each calls the contributions service, which
//! checks who may do what; then this server applies the change log at once, so that its own
//! search shows the change in the answer's wake (the others follow within a second).

use super::body::{Body, Params};
use crate::AppState;
use app::error::AppError;
use app::models::{Decision, History, PartnershipDraft, Saved, WorkItem};
use app::server::auth::AuthSession;
use app::server::services::contributions::{self, QueueFilter};
use app::server::services::revisions;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

fn id_of(text: &str) -> Result<i32, AppError> {
    text.parse().map_err(|_| AppError::NotFound)
}

/// Brings this server's index up to date with what was just written.
async fn applied(state: &AppState, saved: Saved) -> Result<Json<Saved>, AppError> {
    state.search.follow(&state.db).await?;
    Ok(Json(saved))
}

pub async fn create(
    State(state): State<AppState>,
    auth: AuthSession,
    Body(draft): Body<PartnershipDraft>,
) -> Result<(StatusCode, Json<Saved>), AppError> {
    let saved = contributions::create(&state.db, auth.user.as_ref(), &draft).await?;
    Ok((StatusCode::CREATED, applied(&state, saved).await?))
}

pub async fn save(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Body(draft): Body<PartnershipDraft>,
) -> Result<Json<Saved>, AppError> {
    let saved = contributions::save(&state.db, auth.user.as_ref(), id_of(&id)?, &draft).await?;
    applied(&state, saved).await
}

pub async fn patch(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Body(changes): Body<serde_json::Value>,
) -> Result<Json<Saved>, AppError> {
    let saved = contributions::patch(&state.db, auth.user.as_ref(), id_of(&id)?, changes).await?;
    applied(&state, saved).await
}

pub async fn history(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Result<Json<History>, AppError> {
    Ok(Json(
        revisions::history(&state.db, auth.user.as_ref(), id_of(&id)?).await?,
    ))
}

pub async fn revision(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((id, n)): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, AppError> {
    let (kind, p) =
        revisions::revision(&state.db, auth.user.as_ref(), id_of(&id)?, id_of(&n)?).await?;
    let mut body = serde_json::to_value(&p).map_err(AppError::internal)?;
    body["state"] = kind.into();
    Ok(Json(body))
}

pub async fn restore(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((id, n)): Path<(String, String)>,
    body: Option<Body<Step>>,
) -> Result<Json<Saved>, AppError> {
    let step = body.map(|Body(s)| s).unwrap_or_default();
    let saved = revisions::restore(
        &state.db,
        auth.user.as_ref(),
        id_of(&id)?,
        id_of(&n)?,
        step.version,
        step.comment.as_deref(),
    )
    .await?;
    applied(&state, saved).await
}

/// The body of a submission or a decision; all optional.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Step {
    /// The version read; when given, a stale one is refused (409).
    version: Option<i32>,
    /// Required to return or reject.
    comment: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    body: Option<Body<Step>>,
) -> Result<Json<Saved>, AppError> {
    let step = body.map(|Body(s)| s).unwrap_or_default();
    let saved =
        contributions::submit(&state.db, auth.user.as_ref(), id_of(&id)?, step.version).await?;
    applied(&state, saved).await
}

pub async fn decide(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((id, decision)): Path<(String, String)>,
    body: Option<Body<Step>>,
) -> Result<Json<Saved>, AppError> {
    let decision = match decision.as_str() {
        "approve" => Decision::Approve,
        "return" => Decision::Return,
        "reject" => Decision::Reject,
        _ => return Err(AppError::NotFound),
    };
    let step = body.map(|Body(s)| s).unwrap_or_default();
    let saved = contributions::decide(
        &state.db,
        &state.mailer,
        auth.user.as_ref(),
        id_of(&id)?,
        decision,
        step.comment.as_deref(),
        step.version,
    )
    .await?;
    applied(&state, saved).await
}

pub async fn queue(
    State(state): State<AppState>,
    auth: AuthSession,
    Params(filter): Params<QueueFilter>,
) -> Result<Json<Vec<WorkItem>>, AppError> {
    Ok(Json(
        contributions::queue(&state.db, auth.user.as_ref(), &filter).await?,
    ))
}

pub async fn dashboard(
    State(state): State<AppState>,
    auth: AuthSession,
) -> Result<Json<Vec<WorkItem>>, AppError> {
    Ok(Json(
        contributions::dashboard(&state.db, auth.user.as_ref()).await?,
    ))
}

#[derive(Deserialize)]
pub struct Many {
    ids: Vec<i32>,
}

/// `POST /api/v1/moderation/approve` `{"ids": [...]}`: bulk publication; each id is published
/// or refused on its own.
pub async fn approve_many(
    State(state): State<AppState>,
    auth: AuthSession,
    Body(many): Body<Many>,
) -> Result<Json<serde_json::Value>, AppError> {
    let outcomes =
        contributions::approve_many(&state.db, &state.mailer, auth.user.as_ref(), &many.ids)
            .await?;
    state.search.follow(&state.db).await?;
    let mut published = Vec::new();
    let mut refused = Vec::new();
    for (id, outcome) in outcomes {
        match outcome {
            Ok(saved) => published.push(saved),
            Err(err) => refused.push(serde_json::json!({"id": id, "status": err.status_code()})),
        }
    }
    Ok(Json(
        serde_json::json!({"published": published, "refused": refused}),
    ))
}
