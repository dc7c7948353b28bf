//! The server functions of changing a published partnership on its own page: what its editors
//! edit there, and its history.

#[cfg(feature = "ssr")]
use super::account::{account, choice_lists, take};
use crate::error::AppError;
use crate::models::{Editing, History};
use leptos::prelude::*;

/// What the page of a published partnership needs to offer its editing controls, for the people
/// who may change it; `None` for everyone else (nobody signed in, or not theirs to change).
#[server(prefix = "/api/fn", endpoint = "editing")]
pub async fn get_editing(id: i32) -> Result<Option<Editing>, AppError> {
    use crate::models::{Declaration, DeclarationStep, FormEcho, PublicationState, SectionFlash};
    use crate::server::declaration::pairs_of;
    use crate::server::services::contributions;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let auth: crate::server::auth::AuthSession =
        leptos_axum::extract().await.map_err(AppError::internal)?;
    let Some(account) = auth.user.clone() else {
        return Ok(None);
    };
    let (state, p, proposal) = match contributions::get(&db, Some(&account), id).await {
        Ok(found) => found,
        Err(AppError::NotFound | AppError::Forbidden | AppError::Unauthorized) => return Ok(None),
        Err(err) => return Err(err),
    };
    if state != PublicationState::Published {
        return Ok(None);
    }
    let mut form = FormEcho {
        values: pairs_of(&p),
        errors: Vec::new(),
    };
    let (mut version, mut open, mut stale) = (p.version, None, None);
    let flash: Option<SectionFlash> = take(&auth, "section_edit").await?;
    if let Some(flash) = flash.filter(|f| f.id == id) {
        form = flash.form;
        version = flash.version;
        open = Some(flash.section);
        stale = flash.stale;
    }
    // A proposed change sent back comes with the moderator's comment.
    let mut comment = None;
    if proposal.as_deref() == Some(crate::models::revision::kind::PROPOSAL_RETURNED) {
        use crate::server::entities::partnership;
        use sea_orm::EntityTrait;
        if let Some(row) = partnership::Entity::find_by_id(id).one(&db).await? {
            comment = crate::server::services::revisions::open_proposal(&db, &row)
                .await?
                .and_then(|r| r.comment);
        }
    }
    let (themes, forms, countries) = choice_lists(&db).await?;
    Ok(Some(Editing {
        declaration: Declaration {
            id: Some(id),
            version: Some(version),
            state: Some(state),
            step: DeclarationStep::Review,
            form,
            missing: Vec::new(),
            themes,
            forms,
            countries,
        },
        proposal,
        comment,
        moderator: account.is_moderator(),
        open,
        stale,
    }))
}

/// A partnership's history: its publications for everyone, every revision with its author and
/// comment for the people who may change or moderate it.
#[server(prefix = "/api/fn", endpoint = "history")]
pub async fn get_history(id: i32) -> Result<History, AppError> {
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let account = account().await?;
    crate::server::services::revisions::history(&db, account.as_ref(), id).await
}
