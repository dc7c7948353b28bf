//! The write path of contributors and moderators: declaring a partnership, saving a draft,
//! submitting it, and a moderator's decision. Every function checks who may do it (here, not
//! in the routes), validates with messages that name the field, checks the version read, and
//! writes the partnership, its revision and the change log in one transaction (through
//! `partnerships`). The REST API, the server functions and the CLI all call these.

use super::authorities::{self, Found};
use super::partnerships::{self, Author, FundingInput, PartnershipInput};
use super::revisions;
use crate::error::{AppError, FieldError};
use crate::models::revision::kind;
use crate::models::{
    Decision, ForeignContact, PartnershipDraft, PublicationState, Role, Saved, Volunteer, WorkItem,
};
use crate::msg;
use crate::server::auth::Account;
use crate::server::entities::{
    app_user, country, foreign_authority, partnership, partnership_foreign_partner,
    partnership_form, partnership_french_partner, partnership_revision, theme,
};
use crate::server::mail::{Email, Mailer};
use chrono::Datelike;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeSet, HashMap};

/// The longest title, and the longest short text (names, roles, funders).
const MAX_SHORT: usize = 500;
/// The longest free text (context, description…).
const MAX_TEXT: usize = 20_000;
/// The most rows of one kind (partners, fundings…).
const MAX_ROWS: usize = 200;
/// The longest moderator's comment.
const MAX_COMMENT: usize = 5_000;

/// A foreign partner once checked: one that exists, or one to create in the transaction.
#[derive(Clone, Debug)]
enum Foreign {
    Existing(i32),
    New { name: String, iso2: String },
}

/// A draft once checked, ready to write.
struct Checked {
    input: PartnershipInput,
    foreign: Vec<Foreign>,
    /// Referential ids of its French partners.
    authorities: Vec<i32>,
    /// Its foreign partners' countries.
    countries: Vec<String>,
}

fn signed_in(actor: Option<&Account>) -> Result<&Account, AppError> {
    actor.ok_or(AppError::Unauthorized)
}

fn invalid(fields: Vec<FieldError>) -> AppError {
    AppError::Invalid { fields }
}

/// A trimmed text, `None` when empty; an error when longer than `max` characters.
pub(crate) fn text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            msg!(err_too_long, max = max, count = value.chars().count()),
        ));
    }
    Some(value.to_string())
}

fn year(errors: &mut Vec<FieldError>, field: &str, value: Option<i32>) -> Option<i32> {
    let latest = chrono::Utc::now().year() + 10;
    if let Some(y) = value {
        if !(1900..=latest).contains(&y) {
            errors.push(FieldError::new(
                field,
                msg!(err_year_range, latest = latest),
            ));
        }
    }
    value
}

fn too_many(errors: &mut Vec<FieldError>, field: &str, count: usize) {
    if count > MAX_ROWS {
        errors.push(FieldError::new(
            field,
            msg!(err_too_many_rows, max = MAX_ROWS),
        ));
    }
}

fn amount_cents(errors: &mut Vec<FieldError>, field: &str, eur: f64) -> i64 {
    if !eur.is_finite() || !(0.0..=1e11).contains(&eur) {
        errors.push(FieldError::new(field, msg!(err_amount)));
        return 0;
    }
    (eur * 100.0).round() as i64
}

/// Checks a draft against the referentials and resolves its references. `complete` adds what
/// submitting asks (a theme, a foreign partner). The errors name each field, in French.
async fn check(
    db: &impl ConnectionTrait,
    draft: &PartnershipDraft,
    complete: bool,
) -> Result<Checked, AppError> {
    let mut errors = Vec::new();
    let e = &mut errors;

    let title = text(e, "title", Some(&draft.title), MAX_SHORT).unwrap_or_default();
    if title.is_empty() {
        e.push(FieldError::new("title", msg!(err_title_required)));
    }
    let first_agreement_year = year(e, "first_agreement_year", draft.first_agreement_year);
    let start_year = year(e, "start_year", draft.start_year);
    if let (Some(end), Some(start)) = (draft.end_date, start_year) {
        if end.year() < start {
            e.push(FieldError::new("end_date", msg!(err_end_before_start)));
        }
    }

    let form_code = text(e, "form", draft.form.as_deref(), 64);
    if let Some(code) = &form_code {
        if partnership_form::Entity::find_by_id(code.clone())
            .one(db)
            .await?
            .is_none()
        {
            e.push(FieldError::new("form", msg!(err_unknown_form, code = code)));
        }
    }

    let theme_code = text(e, "theme", draft.theme.as_deref(), 64);
    let mut theme_codes: BTreeSet<String> = draft
        .other_themes
        .iter()
        .map(|t| t.code.trim().to_string())
        .collect();
    theme_codes.extend(theme_code.clone());
    let known: BTreeSet<String> = theme::Entity::find()
        .filter(theme::Column::Code.is_in(theme_codes))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.code)
        .collect();
    match &theme_code {
        Some(code) if !known.contains(code) => e.push(FieldError::new(
            "theme",
            msg!(err_unknown_theme, code = code),
        )),
        None if complete => e.push(FieldError::new("theme", msg!(err_theme_required))),
        _ => {}
    }
    too_many(e, "other_themes", draft.other_themes.len());
    let mut other_themes = Vec::new();
    for (i, t) in draft.other_themes.iter().enumerate() {
        let code = t.code.trim();
        if !known.contains(code) {
            e.push(FieldError::new(
                &format!("other_themes[{i}].code"),
                msg!(err_unknown_theme, code = code),
            ));
        } else if other_themes.iter().any(|(c, _)| c == code) || theme_code.as_deref() == Some(code)
        {
            e.push(FieldError::new(
                &format!("other_themes[{i}].code"),
                msg!(err_theme_twice),
            ));
        } else {
            other_themes.push((code.to_string(), t.priority));
        }
    }

    let context = text(e, "context", draft.context.as_deref(), MAX_TEXT);
    let history = text(e, "history", draft.history.as_deref(), MAX_TEXT);
    let objectives_local = text(
        e,
        "objectives_local",
        draft.objectives_local.as_deref(),
        MAX_TEXT,
    );
    let objectives_france = text(
        e,
        "objectives_france",
        draft.objectives_france.as_deref(),
        MAX_TEXT,
    );
    let description = text(e, "description", draft.description.as_deref(), MAX_TEXT);
    let beneficiaries = text(e, "beneficiaries", draft.beneficiaries.as_deref(), MAX_TEXT);
    let names = |e: &mut Vec<FieldError>, field: &str, items: &[String]| -> Vec<String> {
        too_many(e, field, items.len());
        items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| text(e, &format!("{field}[{i}]"), Some(n), MAX_SHORT))
            .collect()
    };
    let project_managers = names(e, "project_managers", &draft.project_managers);
    let project_owners = names(e, "project_owners", &draft.project_owners);

    // French partners: each key must name exactly one authority of the referential.
    too_many(e, "french_partners", draft.french_partners.len());
    let mut french_partners = Vec::new();
    let mut authority_ids = Vec::new();
    for (i, partner) in draft.french_partners.iter().enumerate() {
        let field = format!("french_partners[{i}]");
        let key = partner.key().trim();
        match authorities::resolve(db, key).await? {
            Ok(c) if authority_ids.contains(&c.id) => e.push(FieldError::new(
                &field,
                msg!(err_already_partner, name = c.name.clone()),
            )),
            Ok(c) => {
                authority_ids.push(c.id);
                french_partners.push((Some(c.id), c.name));
            }
            Err(message) => e.push(FieldError::new(&field, message)),
        }
    }
    if draft.french_partners.is_empty() {
        e.push(FieldError::new(
            "french_partners",
            msg!(err_french_partner_required),
        ));
    }

    // Foreign partners: an existing one by id, or a new one by name and country.
    too_many(e, "foreign_partners", draft.foreign_partners.len());
    let mut foreign = Vec::new();
    let mut countries = Vec::new();
    for (i, partner) in draft.foreign_partners.iter().enumerate() {
        let field = format!("foreign_partners[{i}]");
        if let Some(id) = partner.id {
            match foreign_authority::Entity::find_by_id(id).one(db).await? {
                Some(found) => {
                    countries.extend(found.country_iso2);
                    foreign.push(Foreign::Existing(id));
                }
                None => e.push(FieldError::new(
                    &format!("{field}.id"),
                    msg!(err_unknown_foreign_id, id = id),
                )),
            }
            continue;
        }
        let name = text(
            e,
            &format!("{field}.name"),
            partner.name.as_deref(),
            MAX_SHORT,
        );
        let iso2 = partner
            .country
            .as_deref()
            .map(|c| c.trim().to_ascii_uppercase())
            .unwrap_or_default();
        let known_country = !iso2.is_empty()
            && country::Entity::find_by_id(iso2.clone())
                .one(db)
                .await?
                .is_some();
        match name {
            None => e.push(FieldError::new(
                &format!("{field}.name"),
                msg!(err_foreign_name_required),
            )),
            Some(_) if !known_country => e.push(FieldError::new(
                &format!("{field}.country"),
                msg!(err_foreign_country_required),
            )),
            Some(name) => {
                countries.push(iso2.clone());
                foreign.push(Foreign::New { name, iso2 });
            }
        }
    }
    if complete && draft.foreign_partners.is_empty() {
        e.push(FieldError::new(
            "foreign_partners",
            msg!(err_foreign_partner_required),
        ));
    }

    too_many(e, "foreign_contacts", draft.foreign_contacts.len());
    let mut foreign_contacts = Vec::new();
    for (i, c) in draft.foreign_contacts.iter().enumerate() {
        let field = |name: &str| format!("foreign_contacts[{i}].{name}");
        let email = text(e, &field("email"), c.email.as_deref(), 254);
        if let Some(address) = &email {
            if !super::users::plausible_email(address) {
                e.push(FieldError::new(
                    &field("email"),
                    msg!(err_not_an_email, text = address),
                ));
            }
        }
        let last_name = text(e, &field("last_name"), Some(&c.last_name), MAX_SHORT);
        if last_name.is_none() {
            e.push(FieldError::new(
                &field("last_name"),
                msg!(err_last_name_required),
            ));
        }
        foreign_contacts.push(ForeignContact {
            authority: text(e, &field("authority"), Some(&c.authority), MAX_SHORT)
                .unwrap_or_default(),
            last_name: last_name.unwrap_or_default(),
            first_name: text(e, &field("first_name"), Some(&c.first_name), MAX_SHORT)
                .unwrap_or_default(),
            role: text(e, &field("role"), c.role.as_deref(), MAX_SHORT),
            email,
        });
    }

    too_many(e, "fundings", draft.fundings.len());
    let mut fundings = Vec::new();
    for (i, f) in draft.fundings.iter().enumerate() {
        let field = |name: &str| format!("fundings[{i}].{name}");
        let funder = text(e, &field("funder"), Some(&f.funder), MAX_SHORT);
        if funder.is_none() {
            e.push(FieldError::new(&field("funder"), msg!(err_funder_required)));
        }
        let amount = amount_cents(e, &field("amount_eur"), f.amount_eur);
        let water = f
            .water_1pct_eur
            .map(|w| amount_cents(e, &field("water_1pct_eur"), w));
        if water.is_some_and(|w| w > amount) {
            e.push(FieldError::new(
                &field("water_1pct_eur"),
                msg!(err_water_share),
            ));
        }
        fundings.push(FundingInput {
            funder: funder.unwrap_or_default(),
            amount_cents: amount,
            water_1pct_cents: water,
            year: year(e, &field("year"), f.year),
        });
    }

    too_many(e, "volunteers", draft.volunteers.len());
    let volunteers = draft
        .volunteers
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let field = |name: &str| format!("volunteers[{i}].{name}");
            Volunteer {
                last_name: text(e, &field("last_name"), Some(&v.last_name), MAX_SHORT)
                    .unwrap_or_default(),
                first_name: text(e, &field("first_name"), Some(&v.first_name), MAX_SHORT)
                    .unwrap_or_default(),
                mission: text(e, &field("mission"), v.mission.as_deref(), MAX_TEXT),
                field: text(e, &field("field"), v.field.as_deref(), MAX_SHORT),
                assigned_entity: text(
                    e,
                    &field("assigned_entity"),
                    v.assigned_entity.as_deref(),
                    MAX_SHORT,
                ),
            }
        })
        .collect();

    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    countries.sort();
    countries.dedup();
    Ok(Checked {
        input: PartnershipInput {
            title,
            first_agreement_year,
            start_year,
            status: draft.status,
            end_date: draft.end_date,
            form_code,
            duration: draft.duration,
            theme_code,
            other_themes,
            context,
            history,
            objectives_local,
            objectives_france,
            description,
            project_managers,
            project_owners,
            beneficiaries,
            communication_france: draft.communication_france,
            communication_partners: draft.communication_partners,
            evaluation: draft.evaluation,
            publication_state: None,
            legacy_key: None,
            foreign_authority_ids: Vec::new(),
            foreign_contacts,
            french_partners,
            fundings,
            volunteers,
        },
        foreign,
        authorities: authority_ids,
        countries,
    })
}

/// Creates the new foreign authorities of a checked draft, inside the transaction.
async fn foreign_ids(db: &impl ConnectionTrait, foreign: &[Foreign]) -> Result<Vec<i32>, DbErr> {
    let mut ids = Vec::with_capacity(foreign.len());
    for f in foreign {
        ids.push(match f {
            Foreign::Existing(id) => *id,
            Foreign::New { name, iso2 } => {
                partnerships::foreign_authority_id(db, name, Some(iso2), None).await?
            }
        });
    }
    Ok(ids)
}

/// The French authorities and the countries of a partnership as stored.
pub(crate) async fn scope(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<(Vec<i32>, Vec<String>), DbErr> {
    let authorities = partnership_french_partner::Entity::find()
        .filter(partnership_french_partner::Column::PartnershipId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.collectivity_id)
        .collect();
    let foreign: Vec<i32> = partnership_foreign_partner::Entity::find()
        .filter(partnership_foreign_partner::Column::PartnershipId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.foreign_authority_id)
        .collect();
    let mut countries: Vec<String> = foreign_authority::Entity::find()
        .filter(foreign_authority::Column::Id.is_in(foreign))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|f| f.country_iso2)
        .collect();
    countries.sort();
    countries.dedup();
    Ok((authorities, countries))
}

fn state_of(row: &partnership::Model) -> PublicationState {
    PublicationState::from_code(&row.publication_state).unwrap_or(PublicationState::Draft)
}

/// The version a change was read at must be the stored one; if not, the refusal says what
/// changed since.
pub(crate) async fn same_version(
    db: &impl ConnectionTrait,
    row: &partnership::Model,
    read: Option<i32>,
) -> Result<(), AppError> {
    match read {
        Some(v) if v != row.version => Err(revisions::stale(db, row, v).await),
        _ => Ok(()),
    }
}

/// `RecordNotUpdated` from the write means someone saved in between: a conflict.
pub(crate) fn conflict_or(err: DbErr) -> AppError {
    match err {
        DbErr::RecordNotUpdated => AppError::Conflict,
        other => AppError::from(other),
    }
}

/// Declares a new partnership, as a draft. Staff may declare only for their authorities.
pub async fn create(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    draft: &PartnershipDraft,
) -> Result<Saved, AppError> {
    let actor = signed_in(actor)?;
    let checked = check(db, draft, false).await?;
    if !actor.writes(&checked.authorities, &checked.countries) {
        return Err(AppError::Forbidden);
    }
    let txn = crate::server::services::write(db).await?;
    let mut input = checked.input;
    input.foreign_authority_ids = foreign_ids(&txn, &checked.foreign).await?;
    input.publication_state = Some(PublicationState::Draft);
    let author = Author {
        user: Some(actor.id),
        comment: None,
    };
    let id = partnerships::insert_many(&txn, &[input], author).await?[0];
    txn.commit().await?;
    Ok(Saved {
        id,
        state: PublicationState::Draft,
        version: 1,
        proposed: false,
    })
}

/// Checks a draft as saving it would, without writing anything: what the hydrated declaration
/// form shows next to the fields as one types.
pub async fn validate(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    draft: &PartnershipDraft,
) -> Result<(), AppError> {
    signed_in(actor)?;
    check(db, draft, false).await.map(|_| ())
}

/// Reads a partnership for a change, checks that the actor may make it and that it was read
/// at the stored version.
async fn for_change(
    db: &impl ConnectionTrait,
    actor: &Account,
    id: i32,
    version: Option<i32>,
) -> Result<(partnership::Model, Vec<String>), AppError> {
    let row = partnership::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (authorities, countries) = scope(db, id).await?;
    if !actor.writes(&authorities, &countries) {
        return Err(AppError::Forbidden);
    }
    same_version(db, &row, version).await?;
    Ok((row, countries))
}

/// The states in which an actor may change a partnership's content: its authors while it is a
/// draft or returned to them, moderators also while it awaits them; once published, staff
/// propose changes that a moderator publishes, and a moderator's own change publishes at once.
fn editable(actor: &Account, state: PublicationState) -> bool {
    match state {
        PublicationState::Draft | PublicationState::Returned | PublicationState::Published => true,
        PublicationState::Submitted => actor.is_moderator(),
        _ => false,
    }
}

/// Saves a draft over an existing partnership read at `draft.version` (required). A staff
/// member's change to a published partnership is kept aside as a proposed change.
pub async fn save(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    id: i32,
    draft: &PartnershipDraft,
) -> Result<Saved, AppError> {
    let actor = signed_in(actor)?;
    let Some(read) = draft.version else {
        return Err(invalid(vec![FieldError::new(
            "version",
            msg!(err_version_required),
        )]));
    };
    let txn = crate::server::services::write(db).await?;
    let (row, _) = for_change(&txn, actor, id, Some(read)).await?;
    let saved = apply(&txn, actor, &row, draft, None).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Changes some fields of a partnership: `changes` is a JSON object of `PartnershipDraft`
/// fields with the `version` read, laid over what the actor would edit (the open proposed
/// change, or the partnership as stored).
pub async fn patch(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    id: i32,
    changes: serde_json::Value,
) -> Result<Saved, AppError> {
    let actor = signed_in(actor)?;
    let serde_json::Value::Object(changes) = changes else {
        return Err(invalid(vec![FieldError::new(
            "body",
            msg!(err_json_object),
        )]));
    };
    let txn = crate::server::services::write(db).await?;
    let read = changes.get("version").and_then(serde_json::Value::as_i64);
    let Some(read) = read.and_then(|v| i32::try_from(v).ok()) else {
        return Err(invalid(vec![FieldError::new(
            "version",
            msg!(err_version_required),
        )]));
    };
    let (row, _) = for_change(&txn, actor, id, Some(read)).await?;
    let mut merged = serde_json::to_value(as_draft(revisions::working(&txn, &row).await?))
        .map_err(AppError::internal)?;
    for (key, value) in changes {
        merged[key] = value;
    }
    let draft: PartnershipDraft = serde_json::from_value(merged).map_err(|err| {
        invalid(vec![FieldError::new(
            "body",
            msg!(err_json_shape, text = err.to_string()),
        )])
    })?;
    let saved = apply(&txn, actor, &row, &draft, None).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Writes `draft` over a partnership the actor may change, already read at its current version
/// inside the transaction `txn`: in place while it is a draft (or awaits a moderator who makes
/// the change), at once by a moderator once published, and as a proposed change by staff.
pub(crate) async fn apply(
    txn: &DatabaseTransaction,
    actor: &Account,
    row: &partnership::Model,
    draft: &PartnershipDraft,
    comment: Option<&str>,
) -> Result<Saved, AppError> {
    let state = state_of(row);
    if !editable(actor, state) {
        return Err(AppError::Forbidden);
    }
    let published = state == PublicationState::Published;
    let checked = check(txn, draft, published).await?;
    // The saved content must still be theirs: staff cannot hand a partnership to others.
    if !actor.writes(&checked.authorities, &checked.countries) {
        return Err(AppError::Forbidden);
    }
    let mut input = checked.input;
    input.foreign_authority_ids = foreign_ids(txn, &checked.foreign).await?;
    input.publication_state = Some(state);
    let author = Author {
        user: Some(actor.id),
        comment,
    };
    let proposed = published && !actor.is_moderator();
    let version = if proposed {
        let content = partnerships::preview(txn, row, &input).await?;
        partnerships::keep_aside(txn, row, kind::PROPOSED, content, author)
            .await
            .map_err(conflict_or)?
    } else {
        partnerships::replace(txn, row, &input, author)
            .await
            .map_err(conflict_or)?
    };
    Ok(Saved {
        id: row.id,
        state,
        version,
        proposed,
    })
}

/// Sends a draft (or a returned partnership) to the moderators, once it is complete.
pub async fn submit(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    id: i32,
    version: Option<i32>,
) -> Result<Saved, AppError> {
    let actor = signed_in(actor)?;
    let txn = crate::server::services::write(db).await?;
    let (row, _) = for_change(&txn, actor, id, version).await?;
    let state = state_of(&row);
    if !matches!(state, PublicationState::Draft | PublicationState::Returned) {
        return Err(AppError::Conflict);
    }
    let stored = draft_of(&txn, id).await?;
    check(&txn, &stored, true).await?;
    let author = Author {
        user: Some(actor.id),
        comment: None,
    };
    let version = partnerships::set_state(&txn, &row, PublicationState::Submitted, author)
        .await
        .map_err(conflict_or)?;
    txn.commit().await?;
    Ok(Saved {
        id,
        state: PublicationState::Submitted,
        version,
        proposed: false,
    })
}

/// A moderator's decision on a submitted partnership: publish it, or return or reject it with
/// a comment (required). The person who submitted it gets an email.
pub async fn decide(
    db: &DatabaseConnection,
    mailer: &Mailer,
    actor: Option<&Account>,
    id: i32,
    decision: Decision,
    comment: Option<&str>,
    version: Option<i32>,
) -> Result<Saved, AppError> {
    let actor = signed_in(actor)?;
    let txn = crate::server::services::write(db).await?;
    let row = partnership::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, countries) = scope(&txn, id).await?;
    if !actor.moderates(&countries) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Vec::new();
    let comment = text(&mut errors, "comment", comment, MAX_COMMENT);
    if comment.is_none() && decision != Decision::Approve {
        errors.push(FieldError::new("comment", msg!(err_comment_required)));
    }
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    same_version(&txn, &row, version).await?;
    if let Some(proposal) = revisions::open_proposal(&txn, &row).await? {
        if proposal.state == kind::PROPOSED {
            return decide_proposal(txn, mailer, actor, &row, proposal, decision, comment).await;
        }
    }
    if state_of(&row) != PublicationState::Submitted {
        return Err(AppError::Conflict);
    }
    let state = match decision {
        Decision::Approve => PublicationState::Published,
        Decision::Return => PublicationState::Returned,
        Decision::Reject => PublicationState::Rejected,
    };
    let author = Author {
        user: Some(actor.id),
        comment: comment.as_deref(),
    };
    let version = partnerships::set_state(&txn, &row, state, author)
        .await
        .map_err(conflict_or)?;
    let to = submitter(&txn, id).await?;
    txn.commit().await?;
    if let Some(to) = to {
        mailer
            .send(vec![decision_email(
                mailer,
                &to,
                &row,
                decision,
                comment.as_deref(),
            )])
            .await;
    }
    Ok(Saved {
        id,
        state,
        version,
        proposed: false,
    })
}

/// A moderator's decision on the change proposed to a published partnership: publish it
/// (checked again, as it now stands), or return or reject it, kept as a revision with the
/// comment. Whoever proposed it gets an email.
async fn decide_proposal(
    txn: DatabaseTransaction,
    mailer: &Mailer,
    actor: &Account,
    row: &partnership::Model,
    proposal: revisions::Revision,
    decision: Decision,
    comment: Option<String>,
) -> Result<Saved, AppError> {
    let author = Author {
        user: Some(actor.id),
        comment: comment.as_deref(),
    };
    let version = match decision {
        Decision::Approve => {
            let mut draft = as_draft(proposal.snapshot);
            draft.version = Some(row.version);
            apply(&txn, actor, row, &draft, comment.as_deref())
                .await?
                .version
        }
        Decision::Return | Decision::Reject => {
            let answer = if decision == Decision::Return {
                kind::PROPOSAL_RETURNED
            } else {
                kind::PROPOSAL_REJECTED
            };
            partnerships::keep_aside(&txn, row, answer, proposal.snapshot, author)
                .await
                .map_err(conflict_or)?
        }
    };
    let to = match proposal.author_id {
        Some(user) => app_user::Entity::find_by_id(user)
            .one(&txn)
            .await?
            .map(|u| u.email),
        None => None,
    };
    txn.commit().await?;
    if let Some(to) = to {
        let mut email = decision_email(mailer, &to, row, decision, comment.as_deref());
        email.subject = format!("Modification proposée — {}", email.subject);
        mailer.send(vec![email]).await;
    }
    Ok(Saved {
        id: row.id,
        state: PublicationState::Published,
        version,
        proposed: decision == Decision::Return,
    })
}

/// The email of whoever last submitted a partnership.
async fn submitter(db: &impl ConnectionTrait, id: i32) -> Result<Option<String>, DbErr> {
    let Some(revision) = partnership_revision::Entity::find()
        .filter(partnership_revision::Column::PartnershipId.eq(id))
        .filter(partnership_revision::Column::State.eq(PublicationState::Submitted.code()))
        .filter(partnership_revision::Column::AuthorId.is_not_null())
        .order_by_desc(partnership_revision::Column::Number)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(
        app_user::Entity::find_by_id(revision.author_id.unwrap_or_default())
            .one(db)
            .await?
            .map(|u| u.email),
    )
}

fn decision_email(
    mailer: &Mailer,
    to: &str,
    row: &partnership::Model,
    decision: Decision,
    comment: Option<&str>,
) -> Email {
    let (subject, said) = match decision {
        Decision::Approve => ("Votre partenariat est publié", "a été publié dans l'atlas"),
        Decision::Return => (
            "Votre partenariat vous est renvoyé",
            "vous est renvoyé : corrigez-le puis soumettez-le de nouveau",
        ),
        Decision::Reject => ("Votre partenariat n'est pas retenu", "n'a pas été retenu"),
    };
    let mut body = format!("Bonjour,\n\nLe partenariat « {} » {said}.\n", row.title);
    if let Some(comment) = comment {
        body.push_str(&format!("\nCommentaire de la modération :\n{comment}\n"));
    }
    body.push_str(&format!(
        "\nVotre tableau de bord : {}/espace\n\n-- \nAtlas de la coopération décentralisée\n",
        mailer.base_url
    ));
    Email {
        to: to.to_string(),
        subject: format!("{subject} : {}", row.title),
        body,
    }
}

/// A stored partnership as a draft, to check it for submission.
async fn draft_of(db: &impl ConnectionTrait, id: i32) -> Result<PartnershipDraft, AppError> {
    let (_, p) = partnerships::load_many(db, &[id], false)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(as_draft(p))
}

/// A partnership as read, written back as a draft (references by code and id).
pub fn as_draft(p: crate::models::Partnership) -> PartnershipDraft {
    use crate::models::{
        ContactDraft, ForeignPartnerRef, FrenchPartnerRef, FundingDraft, OtherThemeDraft,
        VolunteerDraft,
    };
    PartnershipDraft {
        title: p.title,
        status: p.status,
        first_agreement_year: p.first_agreement_year,
        start_year: p.start_year,
        end_date: p.end_date,
        form: p.form,
        duration: p.duration,
        theme: p.theme,
        other_themes: p
            .other_themes
            .into_iter()
            .map(|t| OtherThemeDraft {
                code: t.code,
                priority: t.priority,
            })
            .collect(),
        context: p.context,
        history: p.history,
        objectives_local: p.objectives_local,
        objectives_france: p.objectives_france,
        description: p.description,
        project_managers: p.project_managers,
        project_owners: p.project_owners,
        beneficiaries: p.beneficiaries,
        communication_france: p.communication_france,
        communication_partners: p.communication_partners,
        evaluation: p.evaluation,
        french_partners: p
            .french_partners
            .into_iter()
            .map(|f| FrenchPartnerRef::Key(f.code.unwrap_or(f.name)))
            .collect(),
        foreign_partners: p
            .foreign_partners
            .into_iter()
            .map(|f| ForeignPartnerRef {
                id: Some(f.id),
                ..Default::default()
            })
            .collect(),
        foreign_contacts: p
            .foreign_contacts
            .into_iter()
            .map(|c| ContactDraft {
                authority: c.authority,
                last_name: c.last_name,
                first_name: c.first_name,
                role: c.role,
                email: c.email,
            })
            .collect(),
        fundings: p
            .fundings
            .into_iter()
            .map(|f| FundingDraft {
                funder: f.funder,
                amount_eur: f.amount_eur,
                water_1pct_eur: f.water_1pct_eur,
                year: f.year,
            })
            .collect(),
        volunteers: p
            .volunteers
            .into_iter()
            .map(|v| VolunteerDraft {
                last_name: v.last_name,
                first_name: v.first_name,
                mission: v.mission,
                field: v.field,
                assigned_entity: v.assigned_entity,
            })
            .collect(),
        version: Some(p.version),
    }
}

/// What a stored draft still lacks to be submitted (empty when complete).
pub async fn missing(db: &impl ConnectionTrait, id: i32) -> Result<Vec<FieldError>, AppError> {
    let draft = draft_of(db, id).await?;
    match check(db, &draft, true).await {
        Ok(_) => Ok(Vec::new()),
        Err(AppError::Invalid { fields }) => Ok(fields),
        Err(other) => Err(other),
    }
}

/// A partnership in any state, with personal data, for those who may change or moderate it:
/// `NotFound` for anyone else, so that drafts stay private. What they read is what they would
/// edit: a published partnership's open proposed change (whose kind comes third) when there is
/// one, at the partnership's current version.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
    id: i32,
) -> Result<(PublicationState, crate::models::Partnership, Option<String>), AppError> {
    let actor = signed_in(actor)?;
    let (authorities, countries) = scope(db, id).await?;
    if !(actor.writes(&authorities, &countries) || actor.moderates(&countries)) {
        return Err(AppError::NotFound);
    }
    let row = partnership::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(proposal) = revisions::open_proposal(db, &row).await? {
        return Ok((state_of(&row), proposal.snapshot, Some(proposal.state)));
    }
    let (state, p) = partnerships::load_many(db, &[id], false)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok((
        PublicationState::from_code(&state).unwrap_or(PublicationState::Draft),
        p,
        None,
    ))
}

/// What the moderation queue shows: filters by state, country, authority and age.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct QueueFilter {
    /// `submitted` when not given.
    pub state: Option<PublicationState>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    /// An authority's identity, INSEE code or SIREN.
    pub authority: Option<String>,
    /// Only what has waited at least this many days.
    pub older_than_days: Option<i64>,
}

/// Submissions awaiting this moderator (embassy moderators see their countries'), oldest first.
pub async fn queue(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
    filter: &QueueFilter,
) -> Result<Vec<WorkItem>, AppError> {
    let actor = signed_in(actor)?;
    if !actor.is_moderator() {
        return Err(AppError::Forbidden);
    }
    let state = filter.state.unwrap_or(PublicationState::Submitted);
    let mut query = partnership::Entity::find()
        .filter(partnership::Column::PublicationState.eq(state.code()))
        .order_by_asc(partnership::Column::UpdatedAt)
        .limit(1_000);
    if let Some(days) = filter.older_than_days {
        query = query.filter(
            partnership::Column::UpdatedAt.lte(chrono::Utc::now() - chrono::Duration::days(days)),
        );
    }
    let mut authority_filter = None;
    if let Some(key) = filter.authority.as_deref().filter(|k| !k.trim().is_empty()) {
        let ids: Vec<i32> = match authorities::find(db, key).await? {
            Found::One(c) => vec![c.id],
            Found::Several(rows) => rows.into_iter().map(|c| c.id).collect(),
            Found::None => {
                return Err(invalid(vec![FieldError::new(
                    "authority",
                    msg!(err_no_french_authority, text = key),
                )]))
            }
        };
        let with: Vec<i32> = partnership_french_partner::Entity::find()
            .filter(partnership_french_partner::Column::CollectivityId.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.partnership_id)
            .collect();
        query = query.filter(partnership::Column::Id.is_in(with.clone()));
        authority_filter = Some(with);
    }
    let mut rows = query.all(db).await?;
    if state == PublicationState::Submitted {
        rows.extend(proposed(db, filter, authority_filter.as_deref()).await?);
    }
    let mut items = work_items(db, rows).await?;
    for item in &mut items {
        if item.proposal.as_deref() == Some(kind::PROPOSED) {
            item.changes = revisions::proposal_changes(db, item.id)
                .await?
                .unwrap_or_default();
        }
    }
    let wanted = filter.country.as_deref().map(str::to_ascii_uppercase);
    Ok(items
        .into_iter()
        .filter(|item| actor.moderates(&item.countries))
        .filter(|item| wanted.as_ref().is_none_or(|c| item.countries.contains(c)))
        .collect())
}

/// Published partnerships with a proposed change awaiting a moderator (among `only` when
/// given), oldest proposal first.
async fn proposed(
    db: &impl ConnectionTrait,
    filter: &QueueFilter,
    only: Option<&[i32]>,
) -> Result<Vec<partnership::Model>, DbErr> {
    let mut query = partnership_revision::Entity::find()
        .filter(partnership_revision::Column::State.eq(kind::PROPOSED))
        .order_by_asc(partnership_revision::Column::CreatedAt)
        .limit(1_000);
    if let Some(days) = filter.older_than_days {
        query = query.filter(
            partnership_revision::Column::CreatedAt
                .lte(chrono::Utc::now() - chrono::Duration::days(days)),
        );
    }
    if let Some(only) = only {
        query = query.filter(partnership_revision::Column::PartnershipId.is_in(only.to_vec()));
    }
    let revisions = query.all(db).await?;
    let rows: HashMap<i32, partnership::Model> = partnership::Entity::find()
        .filter(partnership::Column::Id.is_in(revisions.iter().map(|r| r.partnership_id)))
        .filter(partnership::Column::PublicationState.eq(PublicationState::Published.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    // Only proposals still open: nothing came after them.
    Ok(revisions
        .into_iter()
        .filter_map(|r| {
            rows.get(&r.partnership_id)
                .filter(|p| p.version == r.number)
        })
        .cloned()
        .collect())
}

/// The partnerships of a staff member's authorities, in every state, newest change first.
pub async fn dashboard(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
) -> Result<Vec<WorkItem>, AppError> {
    let actor = signed_in(actor)?;
    if actor.role != Role::Staff && actor.authorities.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = partnership_french_partner::Entity::find()
        .filter(partnership_french_partner::Column::CollectivityId.is_in(actor.authorities.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.partnership_id)
        .collect();
    let rows = partnership::Entity::find()
        .filter(partnership::Column::Id.is_in(ids))
        .order_by_desc(partnership::Column::UpdatedAt)
        .limit(2_000)
        .all(db)
        .await?;
    Ok(work_items(db, rows).await?)
}

/// Lists partnerships with their partners' names and countries and the last comment.
async fn work_items(
    db: &impl ConnectionTrait,
    rows: Vec<partnership::Model>,
) -> Result<Vec<WorkItem>, DbErr> {
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut french: HashMap<i32, Vec<String>> = HashMap::new();
    for p in partnership_french_partner::Entity::find()
        .filter(partnership_french_partner::Column::PartnershipId.is_in(ids.clone()))
        .order_by_asc(partnership_french_partner::Column::Position)
        .all(db)
        .await?
    {
        french.entry(p.partnership_id).or_default().push(p.name);
    }
    let links = partnership_foreign_partner::Entity::find()
        .filter(partnership_foreign_partner::Column::PartnershipId.is_in(ids.clone()))
        .all(db)
        .await?;
    let countries_of: HashMap<i32, Option<String>> = foreign_authority::Entity::find()
        .filter(
            foreign_authority::Column::Id.is_in(
                links
                    .iter()
                    .map(|l| l.foreign_authority_id)
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.country_iso2))
        .collect();
    let mut countries: HashMap<i32, BTreeSet<String>> = HashMap::new();
    for link in links {
        if let Some(Some(iso2)) = countries_of.get(&link.foreign_authority_id) {
            countries
                .entry(link.partnership_id)
                .or_default()
                .insert(iso2.clone());
        }
    }
    let mut comments: HashMap<i32, String> = HashMap::new();
    let mut proposals: HashMap<i32, (i32, String)> = HashMap::new();
    for r in partnership_revision::Entity::find()
        .filter(partnership_revision::Column::PartnershipId.is_in(ids.clone()))
        .filter(
            partnership_revision::Column::State.is_in([kind::PROPOSED, kind::PROPOSAL_RETURNED]),
        )
        .all(db)
        .await?
    {
        proposals.insert(r.partnership_id, (r.number, r.state));
    }
    for r in partnership_revision::Entity::find()
        .filter(partnership_revision::Column::PartnershipId.is_in(ids))
        .filter(partnership_revision::Column::Comment.is_not_null())
        .order_by_asc(partnership_revision::Column::Number)
        .all(db)
        .await?
    {
        comments.insert(r.partnership_id, r.comment.unwrap_or_default());
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let state = state_of(&r);
            let proposal = proposals
                .remove(&r.id)
                .filter(|(number, _)| state == PublicationState::Published && *number == r.version)
                .map(|(_, kind)| kind);
            WorkItem {
                id: r.id,
                comment: (matches!(
                    state,
                    PublicationState::Returned | PublicationState::Rejected
                ) || proposal.is_some())
                .then(|| comments.remove(&r.id))
                .flatten(),
                proposal,
                changes: Vec::new(),
                title: r.title,
                state,
                version: r.version,
                french_partners: french.remove(&r.id).unwrap_or_default(),
                countries: countries
                    .remove(&r.id)
                    .map(|c| c.into_iter().collect())
                    .unwrap_or_default(),
                updated_at: r.updated_at,
            }
        })
        .collect())
}

/// Publishes several submissions at once (the queue's bulk action), each in its own
/// transaction, with the same checks as one by one: what each became, or why it was refused.
pub async fn approve_many(
    db: &DatabaseConnection,
    mailer: &Mailer,
    actor: Option<&Account>,
    ids: &[i32],
) -> Result<Vec<(i32, Result<Saved, AppError>)>, AppError> {
    let actor = signed_in(actor)?;
    if !actor.is_moderator() {
        return Err(AppError::Forbidden);
    }
    let mut outcomes = Vec::with_capacity(ids.len());
    for &id in ids {
        let outcome = decide(db, mailer, Some(actor), id, Decision::Approve, None, None).await;
        outcomes.push((id, outcome));
    }
    Ok(outcomes)
}
