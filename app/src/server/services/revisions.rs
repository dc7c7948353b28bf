//! The history of a partnership and the changes made to it once published: what changed from
//! one revision to the next, the change a staff member proposes (kept aside, as a revision,
//! until a moderator publishes it), the answer to an edit made from a stale version, and
//! restoring an earlier revision (itself a new revision). Writes go through the same checks and
//! the same transaction as every other change (`contributions`, `partnerships`).

use super::contributions;
use super::partnerships;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::models::revision::kind;
use crate::models::{
    By, Change, FieldChange, History, HistoryEntry, Partnership, Piece, PieceKind,
    PublicationState, Role, Saved, Stale,
};
use crate::server::auth::Account;
use crate::server::entities::{
    app_user, collectivity, partnership, partnership_revision, user_authority,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::HashMap;

/// A revision as read back.
pub(crate) struct Revision {
    pub number: i32,
    pub state: String,
    pub author_id: Option<i32>,
    pub comment: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub snapshot: Partnership,
}

fn read(r: partnership_revision::Model) -> Result<Revision, DbErr> {
    let snapshot = serde_json::from_str(&r.snapshot)
        .map_err(|e| DbErr::Custom(format!("revision {}: {e}", r.id)))?;
    Ok(Revision {
        number: r.number,
        state: r.state,
        author_id: r.author_id,
        comment: r.comment,
        created_at: r.created_at,
        snapshot,
    })
}

/// Revision `number` of a partnership.
pub(crate) async fn one(
    db: &impl ConnectionTrait,
    id: i32,
    number: i32,
) -> Result<Option<Revision>, DbErr> {
    partnership_revision::Entity::find()
        .filter(partnership_revision::Column::PartnershipId.eq(id))
        .filter(partnership_revision::Column::Number.eq(number))
        .order_by_desc(partnership_revision::Column::Id)
        .one(db)
        .await?
        .map(read)
        .transpose()
}

/// Whether a revision is a proposal still open: proposed, or returned to its author.
fn open(state: &str) -> bool {
    state == kind::PROPOSED || state == kind::PROPOSAL_RETURNED
}

/// The proposed change of a published partnership still open at its current version, if any.
pub(crate) async fn open_proposal(
    db: &impl ConnectionTrait,
    row: &partnership::Model,
) -> Result<Option<Revision>, DbErr> {
    if row.publication_state != PublicationState::Published.code() {
        return Ok(None);
    }
    Ok(one(db, row.id, row.version)
        .await?
        .filter(|r| open(&r.state)))
}

/// What an editor works from: the open proposal, or the partnership as stored.
pub(crate) async fn working(
    db: &impl ConnectionTrait,
    row: &partnership::Model,
) -> Result<Partnership, AppError> {
    if let Some(proposal) = open_proposal(db, row).await? {
        return Ok(proposal.snapshot);
    }
    let (_, p) = partnerships::load_many(db, &[row.id], false)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(partnerships::snapshot(p))
}

/// The refusal of an edit read at version `read` of a partnership that moved on since: the
/// current version and what changed meanwhile, each field as it now stands.
pub(crate) async fn stale(
    db: &impl ConnectionTrait,
    row: &partnership::Model,
    read: i32,
) -> AppError {
    let now = match working(db, row).await {
        Ok(now) => now,
        Err(err) => return err,
    };
    let changes = match one(db, row.id, read).await {
        Ok(Some(then)) => diff(&then.snapshot, &now),
        Ok(None) => Vec::new(),
        Err(err) => return err.into(),
    };
    AppError::Stale(Stale {
        version: row.version,
        changes,
    })
}

/// What changed from `before` to `after`, field by field, named as in the JSON.
pub fn diff(before: &Partnership, after: &Partnership) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut value = |field: &str, b: Option<String>, a: Option<String>| {
        if b != a {
            out.push(FieldChange {
                field: field.to_string(),
                change: Change::Value {
                    before: b,
                    after: a,
                },
            });
        }
    };
    value(
        "title",
        Some(before.title.clone()),
        Some(after.title.clone()),
    );
    value(
        "status",
        before.status.map(|s| s.code().to_string()),
        after.status.map(|s| s.code().to_string()),
    );
    value(
        "first_agreement_year",
        shown(before.first_agreement_year),
        shown(after.first_agreement_year),
    );
    value(
        "start_year",
        shown(before.start_year),
        shown(after.start_year),
    );
    value("end_date", shown(before.end_date), shown(after.end_date));
    value("form", before.form.clone(), after.form.clone());
    value(
        "duration",
        before.duration.map(|d| d.code().to_string()),
        after.duration.map(|d| d.code().to_string()),
    );
    value("theme", before.theme.clone(), after.theme.clone());
    for (field, b, a) in [
        (
            "communication_france",
            before.communication_france,
            after.communication_france,
        ),
        (
            "communication_partners",
            before.communication_partners,
            after.communication_partners,
        ),
        ("evaluation", before.evaluation, after.evaluation),
    ] {
        value(field, Some(b.to_string()), Some(a.to_string()));
    }

    let themes = |p: &Partnership| -> Vec<String> {
        p.other_themes
            .iter()
            .map(|t| match t.priority {
                Some(n) => format!("{} ({n})", t.code),
                None => t.code.clone(),
            })
            .collect()
    };
    rows(&mut out, "other_themes", themes(before), themes(after));

    for (field, b, a) in [
        ("context", &before.context, &after.context),
        ("history", &before.history, &after.history),
        (
            "objectives_local",
            &before.objectives_local,
            &after.objectives_local,
        ),
        (
            "objectives_france",
            &before.objectives_france,
            &after.objectives_france,
        ),
        ("description", &before.description, &after.description),
        ("beneficiaries", &before.beneficiaries, &after.beneficiaries),
    ] {
        text(&mut out, field, b.as_deref(), a.as_deref());
    }
    rows(
        &mut out,
        "project_owners",
        before.project_owners.clone(),
        after.project_owners.clone(),
    );
    rows(
        &mut out,
        "project_managers",
        before.project_managers.clone(),
        after.project_managers.clone(),
    );

    let french = |p: &Partnership| p.french_partners.iter().map(|f| f.name.clone()).collect();
    rows(&mut out, "french_partners", french(before), french(after));
    let foreign = |p: &Partnership| {
        p.foreign_partners
            .iter()
            .map(|f| match &f.country {
                Some(c) => format!("{} ({c})", f.name),
                None => f.name.clone(),
            })
            .collect()
    };
    rows(
        &mut out,
        "foreign_partners",
        foreign(before),
        foreign(after),
    );
    let contacts = |p: &Partnership| {
        p.foreign_contacts
            .iter()
            .map(|c| {
                line(&[
                    Some(c.authority.clone()),
                    Some(format!("{} {}", c.first_name, c.last_name)),
                    c.role.clone(),
                    c.email.clone(),
                ])
            })
            .collect()
    };
    rows(
        &mut out,
        "foreign_contacts",
        contacts(before),
        contacts(after),
    );
    let fundings = |p: &Partnership| {
        p.fundings
            .iter()
            .map(|f| {
                line(&[
                    f.year.map(|y| y.to_string()),
                    Some(f.funder.clone()),
                    Some(crate::format::euros(f.amount_eur, Locale::fr)),
                    f.water_1pct_eur
                        .map(|w| format!("1 % eau : {}", crate::format::euros(w, Locale::fr))),
                ])
            })
            .collect()
    };
    rows(&mut out, "fundings", fundings(before), fundings(after));
    let volunteers = |p: &Partnership| {
        p.volunteers
            .iter()
            .map(|v| {
                line(&[
                    Some(format!("{} {}", v.first_name, v.last_name)),
                    v.mission.clone(),
                    v.field.clone(),
                    v.assigned_entity.clone(),
                ])
            })
            .collect()
    };
    rows(
        &mut out,
        "volunteers",
        volunteers(before),
        volunteers(after),
    );
    out
}

fn shown<T: ToString>(value: Option<T>) -> Option<String> {
    value.map(|v| v.to_string())
}

/// The non-empty parts of a row, on one line.
fn line(parts: &[Option<String>]) -> String {
    parts
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" — ")
}

/// A long text compared word by word; neighbouring words of one kind make one piece.
fn text(out: &mut Vec<FieldChange>, field: &str, before: Option<&str>, after: Option<&str>) {
    let (b, a) = (before.unwrap_or(""), after.unwrap_or(""));
    if b == a {
        return;
    }
    let mut pieces: Vec<Piece> = Vec::new();
    for change in similar::TextDiff::from_words(b, a).iter_all_changes() {
        let kind = match change.tag() {
            similar::ChangeTag::Equal => PieceKind::Same,
            similar::ChangeTag::Insert => PieceKind::Added,
            similar::ChangeTag::Delete => PieceKind::Removed,
        };
        match pieces.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => pieces.push(Piece {
                kind,
                text: change.value().to_string(),
            }),
        }
    }
    out.push(FieldChange {
        field: field.to_string(),
        change: Change::Text { pieces },
    });
}

/// Rows compared in order: a removed row facing an added one at the same place is a change.
fn rows(out: &mut Vec<FieldChange>, field: &str, before: Vec<String>, after: Vec<String>) {
    if before == after {
        return;
    }
    let (mut added, mut removed, mut changed) = (Vec::new(), Vec::new(), Vec::new());
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &before, &after) {
        match op {
            similar::DiffOp::Equal { .. } => {}
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => removed.extend_from_slice(&before[old_index..old_index + old_len]),
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => added.extend_from_slice(&after[new_index..new_index + new_len]),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let paired = old_len.min(new_len);
                for i in 0..paired {
                    changed.push((before[old_index + i].clone(), after[new_index + i].clone()));
                }
                removed.extend_from_slice(&before[old_index + paired..old_index + old_len]);
                added.extend_from_slice(&after[new_index + paired..new_index + new_len]);
            }
        }
    }
    out.push(FieldChange {
        field: field.to_string(),
        change: Change::Rows {
            added,
            removed,
            changed,
        },
    });
}

/// Whether the actor may see everything of this partnership (its drafts, the people, the
/// comments): those who may change or moderate it.
async fn insider(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
    id: i32,
) -> Result<bool, DbErr> {
    let Some(actor) = actor else {
        return Ok(false);
    };
    let (authorities, countries) = contributions::scope(db, id).await?;
    Ok(actor.writes(&authorities, &countries) || actor.moderates(&countries))
}

/// The revision an entry is compared with: a proposal and a publication with the publication
/// before them, anything else with the revision just before it.
fn base_of(revisions: &[Revision], i: usize) -> Option<&Revision> {
    let state = revisions[i].state.as_str();
    let published = PublicationState::Published.code();
    if state == published || state.starts_with("proposal") || state == kind::PROPOSED {
        if let Some(found) = revisions[..i].iter().rev().find(|r| r.state == published) {
            return Some(found);
        }
    }
    i.checked_sub(1).map(|j| &revisions[j])
}

/// A partnership's history, newest first. The people who may change or moderate it see every
/// revision, its author and its comment; everyone else sees when it was published and on whose
/// behalf (an authority, the moderation), without the people's names.
pub async fn history(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
    id: i32,
) -> Result<History, AppError> {
    let row = partnership::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let insider = insider(db, actor, id).await?;
    let published = PublicationState::Published.code();
    if !insider && row.publication_state != published {
        return Err(AppError::NotFound);
    }
    let mut revisions: Vec<Revision> = partnership_revision::Entity::find()
        .filter(partnership_revision::Column::PartnershipId.eq(id))
        .order_by_asc(partnership_revision::Column::Number)
        .order_by_asc(partnership_revision::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(read)
        .collect::<Result<_, _>>()?;
    if !insider {
        revisions.retain(|r| r.state == published);
        for r in &mut revisions {
            r.snapshot = r.snapshot.clone().without_personal_data();
        }
    }
    let authors = authors(db, revisions.iter().filter_map(|r| r.author_id)).await?;
    let mut entries: Vec<HistoryEntry> = revisions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let author = r.author_id.and_then(|a| authors.get(&a));
            HistoryEntry {
                number: r.number,
                state: r.state.clone(),
                created_at: r.created_at,
                author: author.filter(|_| insider).map(|a| a.0.clone()),
                by: author.map_or(By::Import, |a| a.1.clone()),
                comment: r.comment.clone().filter(|_| insider),
                changes: base_of(&revisions, i)
                    .map(|base| diff(&base.snapshot, &r.snapshot))
                    .unwrap_or_default(),
            }
        })
        .collect();
    entries.reverse();
    Ok(History {
        id,
        title: row.title,
        slug: crate::models::slugify(
            &revisions
                .last()
                .map(|r| r.snapshot.title.clone())
                .unwrap_or_default(),
        ),
        entries,
        can_restore: actor.is_some_and(|a| a.is_moderator()) && insider,
    })
}

/// Each author's email and on whose behalf they write.
async fn authors(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i32>,
) -> Result<HashMap<i32, (String, By)>, DbErr> {
    let mut ids: Vec<i32> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    let users = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    let links = user_authority::Entity::find()
        .filter(user_authority::Column::UserId.is_in(ids))
        .all(db)
        .await?;
    let names: HashMap<i32, String> = collectivity::Entity::find()
        .filter(collectivity::Column::Id.is_in(links.iter().map(|l| l.collectivity_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    Ok(users
        .into_iter()
        .map(|u| {
            let by = match Role::from_code(&u.role) {
                Some(Role::Staff) | None => By::Authorities {
                    names: links
                        .iter()
                        .filter(|l| l.user_id == u.id)
                        .filter_map(|l| names.get(&l.collectivity_id).cloned())
                        .collect(),
                },
                Some(_) => By::Moderation,
            };
            (u.id, (u.email, by))
        })
        .collect())
}

/// Revision `number` of a partnership: for everyone, a published revision of a published
/// partnership without personal data; for those who may change or moderate it, any revision.
pub async fn revision(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
    id: i32,
    number: i32,
) -> Result<(String, Partnership), AppError> {
    let row = partnership::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let found = one(db, id, number).await?.ok_or(AppError::NotFound)?;
    if insider(db, actor, id).await? {
        return Ok((found.state, found.snapshot));
    }
    let published = PublicationState::Published.code();
    if row.publication_state != published || found.state != published {
        return Err(AppError::NotFound);
    }
    Ok((found.state, found.snapshot.without_personal_data()))
}

/// Brings back revision `number` of a partnership as a new revision (a moderator's act, which
/// publishes at once when the partnership is published), read at `version`.
pub async fn restore(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    id: i32,
    number: i32,
    version: Option<i32>,
    comment: Option<&str>,
) -> Result<Saved, AppError> {
    let actor = actor.ok_or(AppError::Unauthorized)?;
    let txn = crate::server::services::write(db).await?;
    let row = partnership::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, countries) = contributions::scope(&txn, id).await?;
    if !(actor.is_moderator() && actor.moderates(&countries)) {
        return Err(AppError::Forbidden);
    }
    contributions::same_version(&txn, &row, version).await?;
    let found = one(&txn, id, number).await?.ok_or(AppError::NotFound)?;
    let mut draft = contributions::as_draft(found.snapshot);
    draft.version = Some(row.version);
    let note = match comment.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => format!("Révision {number} rétablie : {c}"),
        None => format!("Révision {number} rétablie"),
    };
    let saved = contributions::apply(&txn, actor, &row, &draft, Some(&note)).await?;
    txn.commit().await?;
    Ok(saved)
}

/// For a moderator: what a partnership's open proposal changes in its published text.
pub async fn proposal_changes(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<Vec<FieldChange>>, AppError> {
    let Some(row) = partnership::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let Some(proposal) = open_proposal(db, &row).await? else {
        return Ok(None);
    };
    let (_, published) = partnerships::load_many(db, &[id], false)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(Some(diff(
        &partnerships::snapshot(published),
        &proposal.snapshot,
    )))
}
