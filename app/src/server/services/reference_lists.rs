//! The reference lists: the thematic taxonomy and the forms of partnership, which
//! administrators and national moderators keep, and the embassies with their contacts, which
//! an embassy moderator also keeps for the countries of the embassy.
//!
//! Their one write path: each change is checked (the errors name the fields, in French and
//! English), written only if the entry is still at the version it was read at, kept as a
//! revision (who, when, the entry as written) and recorded in the change log, in one
//! transaction. A theme or a form changes what every partnership shows, so every server
//! rebuilds its index from the log ([`changes::REFERENCE_LISTS`]); an embassy is shown beside
//! the index, so the servers only forget their cached pages ([`changes::PAGES`]).

use super::changes;
use super::contributions::text;
use super::users::plausible_email;
use crate::error::{AppError, FieldError};
use crate::models::{
    EmbassyChange, EmbassyContact, EmbassyEntry, EmbassyRole, ReferenceChange, ReferenceEntry,
    ReferenceList, Role,
};
use crate::msg;
use crate::server::auth::Account;
use crate::server::entities::{
    country, diplomatic_post, partnership, partnership_form, partnership_theme, post_contact,
    reference_revision, theme,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// The taxonomy's depth: theme, sub-theme, sub-sub-theme.
const MAX_LEVEL: i16 = 3;
const MAX_CODE: usize = 32;
const MAX_LABEL: usize = 200;
const MAX_CONTACTS: usize = 20;
/// The list name embassies' revisions are kept under.
const EMBASSIES: &str = "embassies";

/// Who keeps the themes and the forms: administrators and national moderators.
fn keeper(actor: Option<&Account>) -> Result<&Account, AppError> {
    let actor = actor.ok_or(AppError::Unauthorized)?;
    match actor.role {
        Role::Admin => Ok(actor),
        Role::Moderator if actor.countries.is_empty() => Ok(actor),
        _ => Err(AppError::Forbidden),
    }
}

/// Who keeps the embassy in a country: the same, and the embassy moderators of that country.
fn embassy_keeper<'a>(actor: Option<&'a Account>, iso2: &str) -> Result<&'a Account, AppError> {
    let actor = keeps_embassies(actor)?;
    if actor.role == Role::Moderator
        && !actor.countries.is_empty()
        && !actor.countries.iter().any(|c| c == iso2)
    {
        return Err(AppError::Forbidden);
    }
    Ok(actor)
}

/// Who keeps some embassy.
fn keeps_embassies(actor: Option<&Account>) -> Result<&Account, AppError> {
    let actor = actor.ok_or(AppError::Unauthorized)?;
    match actor.role {
        Role::Admin | Role::Moderator => Ok(actor),
        Role::Staff => Err(AppError::Forbidden),
    }
}

/// Upper-case letters, digits, dots, hyphens and underscores, starting with a letter.
fn valid_code(code: &str) -> bool {
    code.len() <= MAX_CODE
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

/// Both labels, required.
fn labels(errors: &mut Vec<FieldError>, change: &ReferenceChange) -> (String, String) {
    let fr = text(errors, "label_fr", Some(&change.label_fr), MAX_LABEL);
    if fr.is_none() {
        errors.push(FieldError::new("label_fr", msg!(err_label_fr_required)));
    }
    let en = text(errors, "label_en", Some(&change.label_en), MAX_LABEL);
    if en.is_none() {
        errors.push(FieldError::new("label_en", msg!(err_label_en_required)));
    }
    (fr.unwrap_or_default(), en.unwrap_or_default())
}

/// How many partnerships use each code of the list, in any state.
async fn usage(
    db: &impl ConnectionTrait,
    list: ReferenceList,
) -> Result<HashMap<String, u64>, DbErr> {
    let mut used: HashMap<String, u64> = HashMap::new();
    let column = match list {
        ReferenceList::Themes => partnership::Column::ThemeCode,
        ReferenceList::Forms => partnership::Column::FormCode,
    };
    let main: Vec<(Option<String>, i64)> = partnership::Entity::find()
        .select_only()
        .column(column)
        .column_as(partnership::Column::Id.count(), "n")
        .group_by(column)
        .into_tuple()
        .all(db)
        .await?;
    for (code, n) in main {
        if let Some(code) = code {
            *used.entry(code).or_default() += n as u64;
        }
    }
    if list == ReferenceList::Themes {
        let other: Vec<(String, i64)> = partnership_theme::Entity::find()
            .select_only()
            .column(partnership_theme::Column::ThemeCode)
            .column_as(partnership_theme::Column::Id.count(), "n")
            .group_by(partnership_theme::Column::ThemeCode)
            .into_tuple()
            .all(db)
            .await?;
        for (code, n) in other {
            *used.entry(code).or_default() += n as u64;
        }
    }
    Ok(used)
}

/// A form of partnership as its list shows it.
fn form_entry(f: partnership_form::Model, used: u64) -> ReferenceEntry {
    ReferenceEntry {
        used,
        code: f.code,
        parent: None,
        level: 1,
        label_fr: f.label_fr,
        label_en: f.label_en,
        position: f.position,
        version: f.version,
        children: 0,
    }
}

/// A theme as its list shows it.
fn theme_entry(t: theme::Model, used: u64, children: u64) -> ReferenceEntry {
    ReferenceEntry {
        used,
        code: t.code,
        parent: t.parent_code,
        level: t.level,
        label_fr: t.label_fr,
        label_en: t.label_en,
        position: t.position,
        version: t.version,
        children,
    }
}

/// Every entry of a list: the themes depth first (each after its parent, siblings by
/// position), the forms by position.
async fn entries(
    db: &impl ConnectionTrait,
    list: ReferenceList,
) -> Result<Vec<ReferenceEntry>, DbErr> {
    let mut used = usage(db, list).await?;
    match list {
        ReferenceList::Forms => Ok(partnership_form::Entity::find()
            .order_by_asc(partnership_form::Column::Position)
            .order_by_asc(partnership_form::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .map(|f| {
                let n = used.remove(&f.code).unwrap_or(0);
                form_entry(f, n)
            })
            .collect()),
        ReferenceList::Themes => {
            let rows = theme::Entity::find()
                .order_by_asc(theme::Column::Position)
                .order_by_asc(theme::Column::Code)
                .all(db)
                .await?;
            let mut children: HashMap<Option<String>, Vec<theme::Model>> = HashMap::new();
            for row in rows {
                children
                    .entry(row.parent_code.clone())
                    .or_default()
                    .push(row);
            }
            let mut out = Vec::new();
            let mut stack: Vec<theme::Model> = children
                .remove(&None)
                .unwrap_or_default()
                .into_iter()
                .rev()
                .collect();
            while let Some(t) = stack.pop() {
                let below = children.remove(&Some(t.code.clone())).unwrap_or_default();
                let count = below.len() as u64;
                stack.extend(below.into_iter().rev());
                let n = used.remove(&t.code).unwrap_or(0);
                out.push(theme_entry(t, n, count));
            }
            Ok(out)
        }
    }
}

/// One entry, read by its key, with its sub-themes and its uses counted for it alone.
async fn entry(
    db: &impl ConnectionTrait,
    list: ReferenceList,
    code: &str,
) -> Result<Option<ReferenceEntry>, DbErr> {
    let column = match list {
        ReferenceList::Themes => partnership::Column::ThemeCode,
        ReferenceList::Forms => partnership::Column::FormCode,
    };
    let mut used = partnership::Entity::find()
        .filter(column.eq(code))
        .count(db)
        .await?;
    match list {
        ReferenceList::Forms => {
            let Some(f) = partnership_form::Entity::find_by_id(code).one(db).await? else {
                return Ok(None);
            };
            Ok(Some(form_entry(f, used)))
        }
        ReferenceList::Themes => {
            let Some(t) = theme::Entity::find_by_id(code).one(db).await? else {
                return Ok(None);
            };
            used += partnership_theme::Entity::find()
                .filter(partnership_theme::Column::ThemeCode.eq(code))
                .count(db)
                .await?;
            let children = theme::Entity::find()
                .filter(theme::Column::ParentCode.eq(code))
                .count(db)
                .await?;
            Ok(Some(theme_entry(t, used, children)))
        }
    }
}

/// Whether the list has an entry with this code (without counting its uses).
async fn exists(db: &impl ConnectionTrait, list: ReferenceList, code: &str) -> Result<bool, DbErr> {
    Ok(match list {
        ReferenceList::Themes => theme::Entity::find_by_id(code).one(db).await?.is_some(),
        ReferenceList::Forms => partnership_form::Entity::find_by_id(code)
            .one(db)
            .await?
            .is_some(),
    })
}

/// Keeps a revision of an entry as written (as it was, for a deletion).
async fn keep_revision(
    db: &impl ConnectionTrait,
    list: &str,
    entry: &str,
    version: i32,
    action: &str,
    author: Option<i32>,
    snapshot: &impl serde::Serialize,
) -> Result<(), DbErr> {
    reference_revision::ActiveModel {
        list: Set(list.to_string()),
        entry: Set(entry.to_string()),
        version: Set(version),
        action: Set(action.to_string()),
        author_id: Set(author),
        snapshot: Set(serde_json::to_string(snapshot).unwrap_or_default()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A list's entries, with how many partnerships use each.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
    list: ReferenceList,
) -> Result<Vec<ReferenceEntry>, AppError> {
    keeper(actor)?;
    Ok(entries(db, list).await?)
}

/// One entry.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
    list: ReferenceList,
    code: &str,
) -> Result<ReferenceEntry, AppError> {
    keeper(actor)?;
    entry(db, list, code).await?.ok_or(AppError::NotFound)
}

/// What was written to an entry of a list, newest first: who, when, how, its labels then.
/// Kept even after the entry is deleted.
pub async fn history(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
    list: ReferenceList,
    code: &str,
) -> Result<Vec<crate::models::ReferenceRevision>, AppError> {
    use crate::server::entities::app_user;
    keeper(actor)?;
    let rows = reference_revision::Entity::find()
        .filter(reference_revision::Column::List.eq(list.code()))
        .filter(reference_revision::Column::Entry.eq(code))
        .order_by_desc(reference_revision::Column::Id)
        .all(db)
        .await?;
    let authors: HashMap<i32, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(rows.iter().filter_map(|r| r.author_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let snapshot: serde_json::Value = serde_json::from_str(&r.snapshot).unwrap_or_default();
            let label = |key: &str| snapshot[key].as_str().unwrap_or_default().to_string();
            crate::models::ReferenceRevision {
                version: r.version,
                author: r.author_id.and_then(|id| authors.get(&id).cloned()),
                at: r.created_at,
                label_fr: label("label_fr"),
                label_en: label("label_en"),
                action: r.action,
            }
        })
        .collect())
}

/// Adds a theme (under `parent`, whose code its own extends: `DUR.EAU` under `DUR`) or a form.
pub async fn create(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    list: ReferenceList,
    change: &ReferenceChange,
) -> Result<ReferenceEntry, AppError> {
    let actor = keeper(actor)?;
    let mut errors = Vec::new();
    let code = change.code.trim().to_ascii_uppercase();
    if !valid_code(&code) {
        errors.push(FieldError::new(
            "code",
            msg!(err_code_format, max = MAX_CODE),
        ));
    } else if exists(db, list, &code).await? {
        errors.push(FieldError::new(
            "code",
            msg!(err_code_taken, code = code.clone()),
        ));
    }
    let (label_fr, label_en) = labels(&mut errors, change);
    let parent = change
        .parent
        .as_deref()
        .map(|p| p.trim().to_ascii_uppercase())
        .filter(|p| !p.is_empty() && list == ReferenceList::Themes);
    let mut level = 1;
    if let Some(p) = &parent {
        match theme::Entity::find_by_id(p.clone()).one(db).await? {
            None => errors.push(FieldError::new(
                "parent",
                msg!(err_unknown_theme, code = p.clone()),
            )),
            Some(found) if found.level >= MAX_LEVEL => errors.push(FieldError::new(
                "parent",
                msg!(err_theme_too_deep, max = MAX_LEVEL),
            )),
            Some(found) => {
                level = found.level + 1;
                if valid_code(&code) && !code.starts_with(&format!("{p}.")) {
                    errors.push(FieldError::new(
                        "code",
                        msg!(err_code_under_parent, prefix = format!("{p}.")),
                    ));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid { fields: errors });
    }

    let txn = crate::server::services::write(db).await?;
    let siblings = entries(&txn, list).await?;
    let position = change.position.unwrap_or_else(|| {
        siblings
            .iter()
            .filter(|e| e.parent == parent)
            .map(|e| e.position + 1)
            .max()
            .unwrap_or(0)
    });
    match list {
        ReferenceList::Themes => {
            theme::ActiveModel {
                code: Set(code.clone()),
                parent_code: Set(parent.clone()),
                level: Set(level),
                label_fr: Set(label_fr),
                label_en: Set(label_en),
                position: Set(position),
                version: Set(1),
            }
            .insert(&txn)
            .await?;
        }
        ReferenceList::Forms => {
            partnership_form::ActiveModel {
                code: Set(code.clone()),
                label_fr: Set(label_fr),
                label_en: Set(label_en),
                position: Set(position),
                version: Set(1),
            }
            .insert(&txn)
            .await?;
        }
    }
    let saved = finish(&txn, list, &code, "created", actor).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Writes the revision and the change of an entry just written, commits, and returns it.
async fn finish(
    txn: &sea_orm::DatabaseTransaction,
    list: ReferenceList,
    code: &str,
    action: &str,
    actor: &Account,
) -> Result<ReferenceEntry, AppError> {
    let saved = entry(txn, list, code).await?.ok_or(AppError::NotFound)?;
    keep_revision(
        txn,
        list.code(),
        code,
        saved.version,
        action,
        Some(actor.id),
        &saved,
    )
    .await?;
    changes::record(txn, &[changes::REFERENCE_LISTS]).await?;
    Ok(saved)
}

/// Changes an entry's labels and position, if it is still at the version it was read at.
pub async fn update(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    list: ReferenceList,
    code: &str,
    change: &ReferenceChange,
) -> Result<ReferenceEntry, AppError> {
    let actor = keeper(actor)?;
    let current = entry(db, list, code).await?.ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let (label_fr, label_en) = labels(&mut errors, change);
    let Some(version) = change.version else {
        errors.push(FieldError::new("version", msg!(err_version_required)));
        return Err(AppError::Invalid { fields: errors });
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid { fields: errors });
    }
    if version != current.version {
        return Err(AppError::Conflict);
    }
    let position = change.position.unwrap_or(current.position);

    let txn = crate::server::services::write(db).await?;
    let written = match list {
        ReferenceList::Themes => {
            theme::Entity::update_many()
                .col_expr(theme::Column::LabelFr, Expr::value(label_fr))
                .col_expr(theme::Column::LabelEn, Expr::value(label_en))
                .col_expr(theme::Column::Position, Expr::value(position))
                .col_expr(
                    theme::Column::Version,
                    Expr::col(theme::Column::Version).add(1),
                )
                .filter(theme::Column::Code.eq(code))
                .filter(theme::Column::Version.eq(version))
                .exec(&txn)
                .await?
        }
        ReferenceList::Forms => {
            partnership_form::Entity::update_many()
                .col_expr(partnership_form::Column::LabelFr, Expr::value(label_fr))
                .col_expr(partnership_form::Column::LabelEn, Expr::value(label_en))
                .col_expr(partnership_form::Column::Position, Expr::value(position))
                .col_expr(
                    partnership_form::Column::Version,
                    Expr::col(partnership_form::Column::Version).add(1),
                )
                .filter(partnership_form::Column::Code.eq(code))
                .filter(partnership_form::Column::Version.eq(version))
                .exec(&txn)
                .await?
        }
    };
    if written.rows_affected == 0 {
        return Err(AppError::Conflict);
    }
    let saved = finish(&txn, list, code, "updated", actor).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Deletes an entry no partnership uses (and, for a theme, without sub-themes), if it is still
/// at the version it was read at.
pub async fn delete(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    list: ReferenceList,
    code: &str,
    version: Option<i32>,
) -> Result<(), AppError> {
    let actor = keeper(actor)?;
    let Some(version) = version else {
        return Err(AppError::Invalid {
            fields: vec![FieldError::new("version", msg!(err_version_required))],
        });
    };
    let txn = crate::server::services::write(db).await?;
    let current = entry(&txn, list, code).await?.ok_or(AppError::NotFound)?;
    if current.version != version {
        return Err(AppError::Conflict);
    }
    let mut errors = Vec::new();
    if current.used > 0 {
        errors.push(FieldError::new(
            "code",
            msg!(err_entry_used, count = current.used),
        ));
    }
    if current.children > 0 {
        errors.push(FieldError::new(
            "code",
            msg!(err_theme_has_children, count = current.children),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid { fields: errors });
    }
    let deleted = match list {
        ReferenceList::Themes => {
            theme::Entity::delete_many()
                .filter(theme::Column::Code.eq(code))
                .filter(theme::Column::Version.eq(version))
                .exec(&txn)
                .await?
        }
        ReferenceList::Forms => {
            partnership_form::Entity::delete_many()
                .filter(partnership_form::Column::Code.eq(code))
                .filter(partnership_form::Column::Version.eq(version))
                .exec(&txn)
                .await?
        }
    };
    if deleted.rows_affected == 0 {
        return Err(AppError::Conflict);
    }
    let change = changes::REFERENCE_LISTS;
    commit_deletion(txn, list.code(), code, version, actor, &current, change).await
}

/// Keeps the revision of an entry just deleted (as it was), records the change, commits.
async fn commit_deletion(
    txn: sea_orm::DatabaseTransaction,
    list: &str,
    entry: &str,
    version: i32,
    actor: &Account,
    was: &impl serde::Serialize,
    change: i32,
) -> Result<(), AppError> {
    let action = "deleted";
    keep_revision(&txn, list, entry, version + 1, action, Some(actor.id), was).await?;
    changes::record(&txn, &[change]).await?;
    txn.commit().await?;
    Ok(())
}

/// The embassies, with their contacts: all of them, or an embassy moderator's countries'.
pub async fn embassies(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
) -> Result<Vec<EmbassyEntry>, AppError> {
    let actor = keeps_embassies(actor)?;
    let mut query = diplomatic_post::Entity::find();
    if actor.role == Role::Moderator && !actor.countries.is_empty() {
        query = query.filter(diplomatic_post::Column::CountryIso2.is_in(actor.countries.clone()));
    }
    let posts = query.all(db).await?;
    let mut out = Vec::with_capacity(posts.len());
    for post in posts {
        out.push(describe(db, post).await?);
    }
    out.sort_by(|a, b| a.country_name.cmp(&b.country_name));
    Ok(out)
}

async fn describe(
    db: &impl ConnectionTrait,
    post: diplomatic_post::Model,
) -> Result<EmbassyEntry, DbErr> {
    let contacts = post_contact::Entity::find()
        .filter(post_contact::Column::PostId.eq(post.id))
        .order_by_asc(post_contact::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|c| EmbassyContact {
            role: EmbassyRole::from_code(&c.role).unwrap_or(EmbassyRole::Other),
            name: c.name,
            email: c.email,
        })
        .collect();
    let country_name = country::Entity::find_by_id(post.country_iso2.clone())
        .one(db)
        .await?
        .map_or_else(|| post.country_iso2.clone(), |c| c.name_fr);
    Ok(EmbassyEntry {
        country: post.country_iso2,
        country_name,
        name: post.name,
        version: post.version,
        contacts,
    })
}

async fn post_in(
    db: &impl ConnectionTrait,
    iso2: &str,
) -> Result<Option<diplomatic_post::Model>, DbErr> {
    diplomatic_post::Entity::find()
        .filter(diplomatic_post::Column::CountryIso2.eq(iso2))
        .one(db)
        .await
}

/// The embassy in a country.
pub async fn embassy(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
    iso2: &str,
) -> Result<EmbassyEntry, AppError> {
    let iso2 = iso2.trim().to_ascii_uppercase();
    embassy_keeper(actor, &iso2)?;
    let post = post_in(db, &iso2).await?.ok_or(AppError::NotFound)?;
    Ok(describe(db, post).await?)
}

/// Checks an embassy's name and contacts; the contacts as they will be written.
fn check_embassy(change: &EmbassyChange, errors: &mut Vec<FieldError>) -> Vec<EmbassyContact> {
    if text(errors, "name", Some(&change.name), MAX_LABEL).is_none() {
        errors.push(FieldError::new("name", msg!(err_embassy_name_required)));
    }
    if change.contacts.len() > MAX_CONTACTS {
        errors.push(FieldError::new(
            "contacts",
            msg!(err_too_many_rows, max = MAX_CONTACTS),
        ));
    }
    let mut contacts = Vec::new();
    for (i, c) in change.contacts.iter().enumerate() {
        let field = |name: &str| format!("contacts[{i}].{name}");
        let name = text(errors, &field("name"), Some(&c.name), MAX_LABEL);
        if name.is_none() {
            errors.push(FieldError::new(
                &field("name"),
                msg!(err_last_name_required),
            ));
        }
        let email = text(errors, &field("email"), c.email.as_deref(), 254);
        if let Some(address) = &email {
            if !plausible_email(address) {
                errors.push(FieldError::new(
                    &field("email"),
                    msg!(err_not_an_email, text = address),
                ));
            }
        }
        contacts.push(EmbassyContact {
            role: c.role,
            name: name.unwrap_or_default(),
            email,
        });
    }
    contacts
}

/// Adds the embassy in a country (no `version`), or changes it if it is still at the version
/// it was read at: its name, and its contacts, which replace the current ones.
pub async fn save_embassy(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    iso2: &str,
    change: &EmbassyChange,
) -> Result<EmbassyEntry, AppError> {
    let iso2 = iso2.trim().to_ascii_uppercase();
    let actor = embassy_keeper(actor, &iso2)?;
    let mut errors = Vec::new();
    if country::Entity::find_by_id(iso2.clone())
        .one(db)
        .await?
        .is_none()
    {
        errors.push(FieldError::new(
            "country",
            msg!(err_unknown_country, code = iso2.clone()),
        ));
    }
    let contacts = check_embassy(change, &mut errors);
    let current = post_in(db, &iso2).await?;
    match (&current, change.version) {
        (Some(_), None) => errors.push(FieldError::new("country", msg!(err_embassy_exists))),
        (None, Some(_)) => return Err(AppError::NotFound),
        (Some(post), Some(v)) if post.version != v => return Err(AppError::Conflict),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid { fields: errors });
    }
    let name = change.name.trim().to_string();

    let txn = crate::server::services::write(db).await?;
    let (post_id, action) = match (current, change.version) {
        (Some(post), Some(version)) => {
            let written = diplomatic_post::Entity::update_many()
                .col_expr(diplomatic_post::Column::Name, Expr::value(name))
                .col_expr(
                    diplomatic_post::Column::Version,
                    Expr::col(diplomatic_post::Column::Version).add(1),
                )
                .filter(diplomatic_post::Column::Id.eq(post.id))
                .filter(diplomatic_post::Column::Version.eq(version))
                .exec(&txn)
                .await?;
            if written.rows_affected == 0 {
                return Err(AppError::Conflict);
            }
            (post.id, "updated")
        }
        _ => {
            let post = diplomatic_post::ActiveModel {
                country_iso2: Set(iso2.clone()),
                name: Set(name),
                version: Set(1),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            (post.id, "created")
        }
    };
    post_contact::Entity::delete_many()
        .filter(post_contact::Column::PostId.eq(post_id))
        .exec(&txn)
        .await?;
    if !contacts.is_empty() {
        post_contact::Entity::insert_many(contacts.iter().enumerate().map(|(i, c)| {
            post_contact::ActiveModel {
                post_id: Set(post_id),
                role: Set(c.role.code().to_string()),
                name: Set(c.name.clone()),
                email: Set(c.email.clone()),
                position: Set(i as i32),
                ..Default::default()
            }
        }))
        .exec(&txn)
        .await?;
    }
    let saved = embassy_written(&txn, &iso2, action, Some(actor.id)).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Keeps the revision of an embassy just written and records the change.
async fn embassy_written(
    db: &impl ConnectionTrait,
    iso2: &str,
    action: &str,
    author: Option<i32>,
) -> Result<EmbassyEntry, DbErr> {
    let post = post_in(db, iso2)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("embassy {iso2}")))?;
    let saved = describe(db, post).await?;
    keep_revision(db, EMBASSIES, iso2, saved.version, action, author, &saved).await?;
    changes::record(db, &[changes::PAGES]).await?;
    Ok(saved)
}

/// Deletes the embassy in a country with its contacts, if it is still at the version it was
/// read at.
pub async fn delete_embassy(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    iso2: &str,
    version: Option<i32>,
) -> Result<(), AppError> {
    let iso2 = iso2.trim().to_ascii_uppercase();
    let actor = embassy_keeper(actor, &iso2)?;
    let Some(version) = version else {
        return Err(AppError::Invalid {
            fields: vec![FieldError::new("version", msg!(err_version_required))],
        });
    };
    let txn = crate::server::services::write(db).await?;
    let post = post_in(&txn, &iso2).await?.ok_or(AppError::NotFound)?;
    if post.version != version {
        return Err(AppError::Conflict);
    }
    let was = describe(&txn, post.clone()).await?;
    post_contact::Entity::delete_many()
        .filter(post_contact::Column::PostId.eq(post.id))
        .exec(&txn)
        .await?;
    let deleted = diplomatic_post::Entity::delete_many()
        .filter(diplomatic_post::Column::Id.eq(post.id))
        .filter(diplomatic_post::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::Conflict);
    }
    commit_deletion(txn, EMBASSIES, &iso2, version, actor, &was, changes::PAGES).await
}

/// What a legacy page or the demo data say about the embassy in a country: the post's name,
/// and contacts added when not yet known (by role and name), those already there kept. Goes
/// through the same revision and change log as an editor's change, and writes nothing when
/// nothing is new. Call it inside the import's transaction.
pub async fn merge_embassy(
    db: &impl ConnectionTrait,
    iso2: &str,
    post_name: &str,
    contacts: &[EmbassyContact],
) -> Result<(), DbErr> {
    let (post, action) = match post_in(db, iso2).await? {
        Some(post) => (post, "imported"),
        None => {
            let post = diplomatic_post::ActiveModel {
                country_iso2: Set(iso2.to_string()),
                name: Set(post_name.to_string()),
                version: Set(0),
                ..Default::default()
            }
            .insert(db)
            .await?;
            (post, "created")
        }
    };
    let mut changed = post.name != post_name || action == "created";
    let known = post_contact::Entity::find()
        .filter(post_contact::Column::PostId.eq(post.id))
        .all(db)
        .await?;
    let mut next = known.iter().map(|c| c.position + 1).max().unwrap_or(0);
    for contact in contacts {
        let existing = known
            .iter()
            .find(|k| k.role == contact.role.code() && k.name == contact.name);
        match existing {
            Some(k) if k.email == contact.email => {}
            Some(k) => {
                let mut active: post_contact::ActiveModel = k.clone().into();
                active.email = Set(contact.email.clone());
                active.update(db).await?;
                changed = true;
            }
            None => {
                post_contact::ActiveModel {
                    post_id: Set(post.id),
                    role: Set(contact.role.code().to_string()),
                    name: Set(contact.name.clone()),
                    email: Set(contact.email.clone()),
                    position: Set(next),
                    ..Default::default()
                }
                .insert(db)
                .await?;
                next += 1;
                changed = true;
            }
        }
    }
    if !changed {
        return Ok(());
    }
    diplomatic_post::Entity::update_many()
        .col_expr(diplomatic_post::Column::Name, Expr::value(post_name))
        .col_expr(
            diplomatic_post::Column::Version,
            Expr::col(diplomatic_post::Column::Version).add(1),
        )
        .filter(diplomatic_post::Column::Id.eq(post.id))
        .exec(db)
        .await?;
    embassy_written(db, iso2, action, None).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::valid_code;

    #[test]
    fn codes_are_upper_case_and_dotted() {
        assert!(valid_code("DUR.EAU"));
        assert!(valid_code("POL.GOV-2"));
        assert!(!valid_code("dur.eau"));
        assert!(!valid_code(".EAU"));
        assert!(!valid_code("EAU ET ASSAINISSEMENT"));
        assert!(!valid_code(&"A".repeat(33)));
    }
}
