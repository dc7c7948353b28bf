//! Personal API tokens (`Authorization: Bearer atlas_…`): an authority's own tools act as the
//! person who made the token, with that person's rights, until it expires or is revoked. Only a
//! SHA-256 of each token is kept; the token is shown once. Tokens are made and revoked by the
//! person signed in with a password, never by another token.

use super::users::{new_token, token_hash};
use crate::error::{AppError, FieldError};
use crate::models::{ApiToken, NewApiToken};
use crate::msg;
use crate::server::auth::Account;
use crate::server::entities::api_token;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

/// What every token starts with, so that a leaked one is easy to recognise (secret scanners).
pub const PREFIX: &str = "atlas_";
/// How long a token is good for.
pub const VALID_DAYS: i64 = 365;
/// Live tokens a person may hold at once.
pub const MAX_LIVE: u64 = 10;
/// The longest name.
pub const MAX_NAME: usize = 80;
/// A token's last use is written at most this often, not on every request.
const TOUCH_EVERY_SECONDS: i64 = 300;

fn owner(account: Option<&Account>) -> Result<&Account, AppError> {
    let account = account.ok_or(AppError::Unauthorized)?;
    if account.via_token.is_some() {
        // A stolen token must not be able to mint others or outlive its revocation.
        return Err(AppError::Forbidden);
    }
    Ok(account)
}

fn view(row: api_token::Model) -> ApiToken {
    ApiToken {
        id: row.id,
        name: row.name,
        created_at: row.created_at,
        expires_at: row.expires_at,
        last_used_at: row.last_used_at,
    }
}

fn live() -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(api_token::Column::RevokedAt.is_null())
        .add(api_token::Column::ExpiresAt.gt(chrono::Utc::now()))
}

/// The signed-in person's live tokens, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    account: Option<&Account>,
) -> Result<Vec<ApiToken>, AppError> {
    let account = owner(account)?;
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(account.id))
        .filter(live())
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// Makes a token for the signed-in person; its secret is in the answer and nowhere else.
pub async fn create(
    db: &DatabaseConnection,
    account: Option<&Account>,
    name: &str,
) -> Result<NewApiToken, AppError> {
    let account = owner(account)?;
    let name = name.trim();
    let problem = if name.is_empty() {
        Some(msg!(err_token_name))
    } else if name.chars().count() > MAX_NAME {
        Some(msg!(err_at_most_chars, max = MAX_NAME))
    } else {
        None
    };
    if let Some(message) = problem {
        return Err(AppError::Invalid {
            fields: vec![FieldError::new("name", message)],
        });
    }
    let held = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(account.id))
        .filter(live())
        .count(db)
        .await?;
    if held >= MAX_LIVE {
        return Err(AppError::Invalid {
            fields: vec![FieldError::new(
                "name",
                msg!(err_too_many_tokens, max = MAX_LIVE),
            )],
        });
    }
    let (raw, _) = new_token();
    let secret = format!("{PREFIX}{raw}");
    let now = chrono::Utc::now();
    let row = api_token::ActiveModel {
        user_id: Set(account.id),
        name: Set(name.to_string()),
        token_hash: Set(token_hash(&secret)),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::days(VALID_DAYS)),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(NewApiToken {
        token: view(row),
        secret,
    })
}

/// Revokes one of the signed-in person's tokens; another person's is not found.
pub async fn revoke(
    db: &impl ConnectionTrait,
    account: Option<&Account>,
    id: i32,
) -> Result<(), AppError> {
    let account = owner(account)?;
    let done = api_token::Entity::update_many()
        .col_expr(
            api_token::Column::RevokedAt,
            Expr::value(chrono::Utc::now()),
        )
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::UserId.eq(account.id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The account a bearer token acts for: `None` when the token is unknown, revoked, expired or
/// its account is no longer active.
pub async fn authenticate(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<Option<Account>, AppError> {
    if !secret.starts_with(PREFIX) || secret.len() > 128 {
        return Ok(None);
    }
    let Some(row) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash(secret)))
        .filter(live())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(mut account) = Account::load(db, row.user_id).await? else {
        return Ok(None);
    };
    let now = chrono::Utc::now();
    let stale = row
        .last_used_at
        .is_none_or(|at| (now - at).num_seconds() >= TOUCH_EVERY_SECONDS);
    if stale {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    account.via_token = Some(row.id);
    Ok(Some(account))
}
