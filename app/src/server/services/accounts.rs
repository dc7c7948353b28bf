//! Administrators manage accounts: find them, change a role, the authorities a staff member
//! works for, the countries an embassy moderator covers, and suspend or reopen an account. A
//! suspended account's sessions and API tokens stop working at their next request.

use super::authorities;
use super::users::{describe, ACTIVE};
use crate::error::{AppError, FieldError};
use crate::models::{AccountChange, AccountFilter, AccountRequest, Role};
use crate::msg;
use crate::server::auth::Account;
use crate::server::entities::{app_user, country, user_authority, user_country};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

/// A suspended account: it cannot sign in, its sessions and tokens are refused.
pub const DISABLED: &str = "disabled";
/// The most accounts one list shows.
pub const LIST_LIMIT: u64 = 500;

fn admin(actor: Option<&Account>) -> Result<&Account, AppError> {
    let actor = actor.ok_or(AppError::Unauthorized)?;
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    Ok(actor)
}

/// The accounts that match, by email.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
    filter: &AccountFilter,
) -> Result<Vec<AccountRequest>, AppError> {
    admin(actor)?;
    let mut query = app_user::Entity::find();
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase());
        query = query.filter(
            Condition::any()
                .add(Expr::col(app_user::Column::Email).like(pattern.clone()))
                .add(Expr::expr(Func::lower(Expr::col(app_user::Column::Function))).like(pattern)),
        );
    }
    if let Some(role) = filter.role.as_deref().filter(|r| !r.is_empty()) {
        query = query.filter(app_user::Column::Role.eq(role));
    }
    if let Some(state) = filter.state.as_deref().filter(|s| !s.is_empty()) {
        query = query.filter(app_user::Column::State.eq(state));
    }
    let users = query
        .order_by_asc(app_user::Column::Email)
        .limit(LIST_LIMIT)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(users.len());
    for user in users {
        out.push(describe(db, user).await?);
    }
    Ok(out)
}

/// One account.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
    id: i32,
) -> Result<AccountRequest, AppError> {
    admin(actor)?;
    let user = app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(describe(db, user).await?)
}

/// Changes an account: every field checked at once (the errors name them, in French), then
/// the account, its authorities and its countries written in one transaction. An
/// administrator cannot take away their own rights (someone must remain to give them back).
pub async fn update(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    id: i32,
    change: &AccountChange,
) -> Result<AccountRequest, AppError> {
    let actor = admin(actor)?;
    let user = app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let role = Role::from_code(change.role.trim());
    if role.is_none() {
        errors.push(FieldError::new("role", msg!(err_role_choice)));
    }
    let state = change.state.trim();
    if state != ACTIVE && state != DISABLED {
        errors.push(FieldError::new("state", msg!(err_state_choice)));
    }
    if user.id == actor.id && (role != Some(Role::Admin) || state != ACTIVE) {
        errors.push(FieldError::new("role", msg!(err_own_rights)));
    }
    let mut authority_ids = Vec::new();
    for (i, key) in change
        .authorities
        .iter()
        .map(|k| k.trim())
        .filter(|k| !k.is_empty())
        .enumerate()
    {
        match authorities::resolve(db, key).await? {
            Ok(found) if !authority_ids.contains(&found.id) => authority_ids.push(found.id),
            Ok(_) => {}
            Err(message) => errors.push(FieldError::new(&format!("authorities[{i}]"), message)),
        }
    }
    if role == Some(Role::Staff) && authority_ids.is_empty() && !errors_on(&errors, "authorities") {
        errors.push(FieldError::new("authorities", msg!(err_staff_authorities)));
    }
    if role.is_some() && role != Some(Role::Staff) && !authority_ids.is_empty() {
        errors.push(FieldError::new(
            "authorities",
            msg!(err_authorities_staff_only),
        ));
    }
    let mut countries = Vec::new();
    for (i, code) in change
        .countries
        .iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .enumerate()
    {
        if country::Entity::find_by_id(code.clone())
            .one(db)
            .await?
            .is_none()
        {
            errors.push(FieldError::new(
                &format!("countries[{i}]"),
                msg!(err_unknown_country, code = code.clone()),
            ));
        } else if !countries.contains(&code) {
            countries.push(code);
        }
    }
    if role.is_some() && role != Some(Role::Moderator) && !countries.is_empty() {
        errors.push(FieldError::new(
            "countries",
            msg!(err_countries_moderator_only),
        ));
    }
    let function = change
        .function
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty());
    if function.is_some_and(|f| f.chars().count() > 200) {
        errors.push(FieldError::new(
            "function",
            msg!(err_at_most_chars, max = 200),
        ));
    }
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid { fields: errors });
    };

    let txn = crate::server::services::write(db).await?;
    app_user::Entity::update_many()
        .col_expr(app_user::Column::Role, Expr::value(role.code()))
        .col_expr(app_user::Column::State, Expr::value(state))
        .col_expr(app_user::Column::Function, Expr::value(function))
        .filter(app_user::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    user_authority::Entity::delete_many()
        .filter(user_authority::Column::UserId.eq(id))
        .exec(&txn)
        .await?;
    if !authority_ids.is_empty() {
        user_authority::Entity::insert_many(authority_ids.iter().map(|&collectivity_id| {
            user_authority::ActiveModel {
                user_id: Set(id),
                collectivity_id: Set(collectivity_id),
                ..Default::default()
            }
        }))
        .exec(&txn)
        .await?;
    }
    user_country::Entity::delete_many()
        .filter(user_country::Column::UserId.eq(id))
        .exec(&txn)
        .await?;
    if !countries.is_empty() {
        user_country::Entity::insert_many(countries.iter().map(|iso2| user_country::ActiveModel {
            user_id: Set(id),
            country_iso2: Set(iso2.clone()),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    let saved = app_user::Model {
        role: role.code().to_string(),
        state: state.to_string(),
        function: function.map(str::to_string),
        ..user
    };
    let described = describe(&txn, saved).await?;
    txn.commit().await?;
    Ok(described)
}

fn errors_on(errors: &[FieldError], prefix: &str) -> bool {
    errors.iter().any(|e| e.field.starts_with(prefix))
}
