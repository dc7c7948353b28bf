//! Writing partnerships (import, demo data) and reading a published one back as the page and the
//! API show it.

use super::insert_chunked;
use crate::error::AppError;
use crate::models::{
    self, AuthorityId, CollectivityKind, Duration, Embassy, EmbassyContact, EmbassyRole,
    ForeignContact, ForeignPartner, FrenchPartner, Labelled, OtherTheme, Partnership,
    PartnershipLabels, PublicationState, Status, ThemeRef, Volunteer,
};
use crate::server::entities::{
    collectivity, country, diplomatic_post, foreign_authority, foreign_contact, funding,
    partnership, partnership_foreign_partner, partnership_form, partnership_french_partner,
    partnership_theme, post_contact, volunteer,
};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// A partnership to write, with its references already resolved to ids and codes.
#[derive(Clone, Debug, Default)]
pub struct PartnershipInput {
    pub title: String,
    pub first_agreement_year: Option<i32>,
    pub start_year: Option<i32>,
    pub status: Option<Status>,
    pub end_date: Option<NaiveDate>,
    pub form_code: Option<String>,
    pub duration: Option<Duration>,
    pub theme_code: Option<String>,
    pub other_themes: Vec<(String, Option<i32>)>,
    pub context: Option<String>,
    pub history: Option<String>,
    pub objectives_local: Option<String>,
    pub objectives_france: Option<String>,
    pub description: Option<String>,
    pub project_managers: Vec<String>,
    pub project_owners: Vec<String>,
    pub beneficiaries: Option<String>,
    pub communication_france: bool,
    pub communication_partners: bool,
    pub evaluation: bool,
    pub publication_state: Option<PublicationState>,
    pub legacy_key: Option<String>,
    pub foreign_authority_ids: Vec<i32>,
    pub foreign_contacts: Vec<ForeignContact>,
    /// (referential id when resolved, name as given)
    pub french_partners: Vec<(Option<i32>, String)>,
    pub fundings: Vec<FundingInput>,
    pub volunteers: Vec<Volunteer>,
}

#[derive(Clone, Debug, Default)]
pub struct FundingInput {
    pub funder: String,
    pub amount_cents: i64,
    pub water_1pct_cents: Option<i64>,
    pub year: Option<i32>,
}

fn lines(items: &[String]) -> String {
    items.join("\n")
}

fn unlines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn row(input: &PartnershipInput) -> partnership::ActiveModel {
    let now = Utc::now();
    partnership::ActiveModel {
        title: Set(input.title.clone()),
        first_agreement_year: Set(input.first_agreement_year),
        start_year: Set(input.start_year),
        status: Set(input.status.map(|s| s.code().to_string())),
        end_date: Set(input.end_date),
        form_code: Set(input.form_code.clone()),
        duration: Set(input.duration.map(|d| d.code().to_string())),
        theme_code: Set(input.theme_code.clone()),
        context: Set(input.context.clone()),
        history: Set(input.history.clone()),
        objectives_local: Set(input.objectives_local.clone()),
        objectives_france: Set(input.objectives_france.clone()),
        description: Set(input.description.clone()),
        project_managers: Set(lines(&input.project_managers)),
        project_owners: Set(lines(&input.project_owners)),
        beneficiaries: Set(input.beneficiaries.clone()),
        communication_france: Set(input.communication_france),
        communication_partners: Set(input.communication_partners),
        evaluation: Set(input.evaluation),
        publication_state: Set(input
            .publication_state
            .unwrap_or(PublicationState::Draft)
            .code()
            .to_string()),
        legacy_key: Set(input.legacy_key.clone()),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Who made a change and why, kept with its revision.
#[derive(Clone, Copy, Debug, Default)]
pub struct Author<'a> {
    /// The account; `None` for the legacy import and the demo data.
    pub user: Option<i32>,
    pub comment: Option<&'a str>,
}

/// Inserts partnerships and everything hanging off them, and records them in the change log;
/// returns their ids in input order. Call it inside a transaction.
/// Children are written in multi-row statements, so thousands of partnerships take seconds.
pub async fn insert_many(
    db: &impl ConnectionTrait,
    inputs: &[PartnershipInput],
    author: Author<'_>,
) -> Result<Vec<i32>, DbErr> {
    let mut ids = Vec::with_capacity(inputs.len());
    for input in inputs {
        let mut active = row(input);
        active.version = Set(1);
        active.created_at = Set(Utc::now());
        ids.push(active.insert(db).await?.id);
    }
    insert_children(db, &ids, inputs).await?;
    record_revisions(db, &ids, author).await?;
    super::changes::record(db, &ids).await?;
    Ok(ids)
}

/// Bumps the version of a partnership read at `existing.version`, with these columns changed
/// (and its date of change, when `touch`); `DbErr::RecordNotUpdated` when someone saved it
/// since (the version moved on).
async fn bump(
    db: &impl ConnectionTrait,
    existing: &partnership::Model,
    mut active: partnership::ActiveModel,
    touch: bool,
) -> Result<i32, DbErr> {
    let version = existing.version + 1;
    active.version = Set(version);
    if touch {
        active.updated_at = Set(Utc::now());
    }
    let result = partnership::Entity::update_many()
        .set(active)
        .filter(partnership::Column::Id.eq(existing.id))
        .filter(partnership::Column::Version.eq(existing.version))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(DbErr::RecordNotUpdated);
    }
    Ok(version)
}

/// Replaces a partnership's fields and children in place, keeping its id, bumps its version
/// (refusing with `DbErr::RecordNotUpdated` when it moved on since `existing` was read), keeps
/// a revision and records it in the change log. Call it inside a transaction; returns the new
/// version.
pub async fn replace(
    db: &impl ConnectionTrait,
    existing: &partnership::Model,
    input: &PartnershipInput,
    author: Author<'_>,
) -> Result<i32, DbErr> {
    let id = existing.id;
    let mut active = row(input);
    active.created_at = Set(existing.created_at);
    active.legacy_key = Set(input.legacy_key.clone().or(existing.legacy_key.clone()));
    let version = bump(db, existing, active, true).await?;
    partnership_theme::Entity::delete_many()
        .filter(partnership_theme::Column::PartnershipId.eq(id))
        .exec(db)
        .await?;
    partnership_foreign_partner::Entity::delete_many()
        .filter(partnership_foreign_partner::Column::PartnershipId.eq(id))
        .exec(db)
        .await?;
    partnership_french_partner::Entity::delete_many()
        .filter(partnership_french_partner::Column::PartnershipId.eq(id))
        .exec(db)
        .await?;
    foreign_contact::Entity::delete_many()
        .filter(foreign_contact::Column::PartnershipId.eq(id))
        .exec(db)
        .await?;
    funding::Entity::delete_many()
        .filter(funding::Column::PartnershipId.eq(id))
        .exec(db)
        .await?;
    volunteer::Entity::delete_many()
        .filter(volunteer::Column::PartnershipId.eq(id))
        .exec(db)
        .await?;
    insert_children(db, &[id], std::slice::from_ref(input)).await?;
    record_revisions(db, &[id], author).await?;
    super::changes::record(db, &[id]).await?;
    Ok(version)
}

/// Moves a partnership to another publication state (submitted, published, returned…),
/// with the same version check, revision and change log as `replace`. Returns the new
/// version.
pub async fn set_state(
    db: &impl ConnectionTrait,
    existing: &partnership::Model,
    state: PublicationState,
    author: Author<'_>,
) -> Result<i32, DbErr> {
    let active = partnership::ActiveModel {
        publication_state: Set(state.code().to_string()),
        ..Default::default()
    };
    let version = bump(db, existing, active, true).await?;
    record_revisions(db, &[existing.id], author).await?;
    super::changes::record(db, &[existing.id]).await?;
    Ok(version)
}

/// Whether a partnership was ever changed through the application (a revision with an
/// author): a re-import of its legacy page must not overwrite that.
pub async fn edited_in_app(db: &impl ConnectionTrait, id: i32) -> Result<bool, DbErr> {
    use crate::server::entities::partnership_revision;
    Ok(partnership_revision::Entity::find()
        .filter(partnership_revision::Column::PartnershipId.eq(id))
        .filter(partnership_revision::Column::AuthorId.is_not_null())
        .one(db)
        .await?
        .is_some())
}

/// Keeps a revision of each partnership as it now stands: its version, state and a snapshot of
/// its whole content (its own fields and children, not the referentials' labels or the
/// embassy, which are not part of it), so that a diff between two revisions never depends on
/// row ids a save rewrote.
async fn record_revisions(
    db: &impl ConnectionTrait,
    ids: &[i32],
    author: Author<'_>,
) -> Result<(), DbErr> {
    let mut rows = Vec::with_capacity(ids.len());
    for (state, p) in load_many(db, ids, false).await? {
        rows.push((state, snapshot(p)));
    }
    insert_revisions(db, rows, author).await
}

/// A partnership as a revision keeps it: without the referentials' labels and the embassy.
pub(crate) fn snapshot(p: Partnership) -> Partnership {
    Partnership {
        embassy: None,
        labels: PartnershipLabels::default(),
        other_themes: p
            .other_themes
            .iter()
            .map(|t| OtherTheme {
                theme: None,
                ..t.clone()
            })
            .collect(),
        ..p
    }
}

/// Writes revisions, each (state or proposal kind, snapshot at its version).
async fn insert_revisions(
    db: &impl ConnectionTrait,
    revisions: Vec<(String, Partnership)>,
    author: Author<'_>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let mut rows = Vec::with_capacity(revisions.len());
    for (state, snapshot) in revisions {
        let json = serde_json::to_string(&snapshot).map_err(|e| DbErr::Custom(e.to_string()))?;
        rows.push((snapshot.id, snapshot.version, state, json));
    }
    insert_chunked(
        db,
        rows,
        7,
        |stmt, (id, version, state, json)| {
            stmt.values_panic([
                id.into(),
                version.into(),
                state.into(),
                author.user.into(),
                author.comment.map(str::to_string).into(),
                json.into(),
                now.into(),
            ]);
        },
        || {
            Query::insert()
                .into_table("partnership_revision")
                .columns([
                    "partnership_id",
                    "number",
                    "state",
                    "author_id",
                    "comment",
                    "snapshot",
                    "created_at",
                ])
                .to_owned()
        },
    )
    .await
}

/// What a partnership would be with `input` saved over it, at the next version, without
/// changing it: the same code as `replace`, inside a savepoint that is rolled back.
pub async fn preview(
    db: &sea_orm::DatabaseTransaction,
    existing: &partnership::Model,
    input: &PartnershipInput,
) -> Result<Partnership, DbErr> {
    let trial = sea_orm::TransactionTrait::begin(db).await?;
    replace(&trial, existing, input, Author::default()).await?;
    let (_, p) = load_many(&trial, &[existing.id], false)
        .await?
        .pop()
        .ok_or(DbErr::RecordNotFound(format!(
            "partnership {}",
            existing.id
        )))?;
    trial.rollback().await?;
    Ok(snapshot(p))
}

/// Keeps a revision that does not change the partnership's own content (a proposed change and
/// the moderators' answers to it): bumps its version, with the same check as `replace`, and
/// records the change so that every server refreshes the pages that say a change awaits.
/// Returns the new version.
pub async fn keep_aside(
    db: &impl ConnectionTrait,
    existing: &partnership::Model,
    kind: &str,
    mut content: Partnership,
    author: Author<'_>,
) -> Result<i32, DbErr> {
    // The published text and its date of change stay as they are.
    let version = bump(db, existing, Default::default(), false).await?;
    content.version = version;
    insert_revisions(db, vec![(kind.to_string(), content)], author).await?;
    super::changes::record(db, &[existing.id]).await?;
    Ok(version)
}

/// The revisions of a partnership, oldest first: (number, state, snapshot).
pub async fn revisions(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Vec<(i32, String, Partnership)>, DbErr> {
    use crate::server::entities::partnership_revision;
    partnership_revision::Entity::find()
        .filter(partnership_revision::Column::PartnershipId.eq(id))
        .order_by_asc(partnership_revision::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            let snapshot = serde_json::from_str(&r.snapshot)
                .map_err(|e| DbErr::Custom(format!("revision {}: {e}", r.id)))?;
            Ok((r.number, r.state, snapshot))
        })
        .collect()
}

/// Pairs each child with its partnership id and its position among its siblings.
fn children<'a, T: 'a>(
    ids: &'a [i32],
    inputs: &'a [PartnershipInput],
    pick: impl Fn(&'a PartnershipInput) -> &'a [T] + 'a,
) -> impl Iterator<Item = (i32, i32, &'a T)> + 'a {
    ids.iter().zip(inputs).flat_map(move |(id, input)| {
        pick(input)
            .iter()
            .enumerate()
            .map(move |(pos, child)| (*id, pos as i32, child))
    })
}

async fn insert_children(
    db: &impl ConnectionTrait,
    ids: &[i32],
    inputs: &[PartnershipInput],
) -> Result<(), DbErr> {
    insert_chunked(
        db,
        children(ids, inputs, |i| &i.other_themes),
        3,
        |stmt, (id, _, (code, priority))| {
            stmt.values_panic([id.into(), code.clone().into(), (*priority).into()]);
        },
        || {
            Query::insert()
                .into_table("partnership_theme")
                .columns(["partnership_id", "theme_code", "priority"])
                .to_owned()
        },
    )
    .await?;
    insert_chunked(
        db,
        children(ids, inputs, |i| &i.foreign_authority_ids),
        3,
        |stmt, (id, pos, authority)| {
            stmt.values_panic([id.into(), (*authority).into(), pos.into()]);
        },
        || {
            Query::insert()
                .into_table("partnership_foreign_partner")
                .columns(["partnership_id", "foreign_authority_id", "position"])
                .to_owned()
        },
    )
    .await?;
    insert_chunked(
        db,
        children(ids, inputs, |i| &i.french_partners),
        4,
        |stmt, (id, pos, (collectivity, name))| {
            stmt.values_panic([
                id.into(),
                (*collectivity).into(),
                name.clone().into(),
                pos.into(),
            ]);
        },
        || {
            Query::insert()
                .into_table("partnership_french_partner")
                .columns(["partnership_id", "collectivity_id", "name", "position"])
                .to_owned()
        },
    )
    .await?;
    insert_chunked(
        db,
        children(ids, inputs, |i| &i.foreign_contacts),
        8,
        |stmt, (id, pos, c)| {
            stmt.values_panic([
                id.into(),
                c.authority.clone().into(),
                c.last_name.clone().into(),
                c.first_name.clone().into(),
                c.role.clone().into(),
                c.email.clone().into(),
                pos.into(),
            ]);
        },
        || {
            Query::insert()
                .into_table("foreign_contact")
                .columns([
                    "partnership_id",
                    "authority",
                    "last_name",
                    "first_name",
                    "role",
                    "email",
                    "position",
                ])
                .to_owned()
        },
    )
    .await?;
    insert_chunked(
        db,
        children(ids, inputs, |i| &i.fundings),
        6,
        |stmt, (id, pos, f)| {
            stmt.values_panic([
                id.into(),
                f.funder.clone().into(),
                f.amount_cents.into(),
                f.water_1pct_cents.into(),
                f.year.into(),
                pos.into(),
            ]);
        },
        || {
            Query::insert()
                .into_table("funding")
                .columns([
                    "partnership_id",
                    "funder",
                    "amount_cents",
                    "water_1pct_cents",
                    "year",
                    "position",
                ])
                .to_owned()
        },
    )
    .await?;
    insert_chunked(
        db,
        children(ids, inputs, |i| &i.volunteers),
        7,
        |stmt, (id, pos, v)| {
            stmt.values_panic([
                id.into(),
                v.last_name.clone().into(),
                v.first_name.clone().into(),
                v.mission.clone().into(),
                v.field.clone().into(),
                v.assigned_entity.clone().into(),
                pos.into(),
            ]);
        },
        || {
            Query::insert()
                .into_table("volunteer")
                .columns([
                    "partnership_id",
                    "last_name",
                    "first_name",
                    "mission",
                    "field",
                    "assigned_entity",
                    "position",
                ])
                .to_owned()
        },
    )
    .await
}

/// Finds the foreign authority with this name in this country, creating it if needed.
pub async fn foreign_authority_id(
    db: &impl ConnectionTrait,
    name: &str,
    country_iso2: Option<&str>,
    country_name: Option<&str>,
) -> Result<i32, DbErr> {
    let mut query =
        foreign_authority::Entity::find().filter(foreign_authority::Column::Name.eq(name));
    query = match country_iso2 {
        Some(iso2) => query.filter(foreign_authority::Column::CountryIso2.eq(iso2)),
        None => query
            .filter(foreign_authority::Column::CountryIso2.is_null())
            .filter(foreign_authority::Column::CountryName.eq(country_name)),
    };
    if let Some(found) = query.one(db).await? {
        return Ok(found.id);
    }
    let created = foreign_authority::ActiveModel {
        name: Set(name.to_string()),
        country_iso2: Set(country_iso2.map(str::to_string)),
        country_name: Set(country_name.map(str::to_string)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(created.id)
}

/// The foreign authorities whose name, or a word of it, starts with what was typed (case
/// ignored), those whose name starts with it first: what the declaration's picker proposes.
/// Fewer than two letters find nothing.
pub async fn search_foreign(
    db: &impl ConnectionTrait,
    typed: &str,
    limit: u64,
) -> Result<Vec<crate::models::ForeignCandidate>, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
    let typed = typed.trim().to_lowercase();
    if typed.chars().count() < 2 {
        return Ok(Vec::new());
    }
    // LIKE's own wildcards are taken literally.
    let escaped = typed
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let lowered = || Expr::expr(Func::lower(Expr::col(foreign_authority::Column::Name)));
    let mut rows = foreign_authority::Entity::find()
        .filter(
            Condition::any()
                .add(lowered().like(LikeExpr::new(format!("{escaped}%")).escape('\\')))
                .add(lowered().like(LikeExpr::new(format!("% {escaped}%")).escape('\\'))),
        )
        .order_by_asc(foreign_authority::Column::Name)
        .limit(limit * 4)
        .all(db)
        .await?;
    rows.sort_by_key(|f| !f.name.to_lowercase().starts_with(&typed));
    rows.truncate(limit as usize);
    let isos: Vec<String> = rows.iter().filter_map(|f| f.country_iso2.clone()).collect();
    let countries: HashMap<String, country::Model> = country::Entity::find()
        .filter(country::Column::Iso2.is_in(isos))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.iso2.clone(), c))
        .collect();
    Ok(rows
        .into_iter()
        .map(|f| {
            let known = f.country_iso2.as_ref().and_then(|iso| countries.get(iso));
            let written = f.country_name.clone().unwrap_or_default();
            crate::models::ForeignCandidate {
                id: f.id,
                country_fr: known.map_or(written.clone(), |c| c.name_fr.clone()),
                country_en: known.map_or(written, |c| c.name_en.clone()),
                country: f.country_iso2,
                name: f.name,
            }
        })
        .collect())
}

fn cents_to_eur(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// Every theme's label path, keyed by code.
async fn theme_refs(db: &impl ConnectionTrait) -> Result<HashMap<String, ThemeRef>, DbErr> {
    Ok(super::referentials::theme_refs(db)
        .await?
        .into_iter()
        .map(|t| (t.code.clone(), t))
        .collect())
}

/// A published partnership with everything its page shows; `NotFound` for any other id.
pub async fn get_published(db: &impl ConnectionTrait, id: i32) -> Result<Partnership, AppError> {
    get_published_many(db, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// The published partnerships among `ids`, in the order given, each read with a fixed number of
/// queries for the whole batch (the exports read thousands). Ids that are not published are
/// left out.
pub async fn get_published_many(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<Partnership>, DbErr> {
    Ok(load_many(db, ids, true)
        .await?
        .into_iter()
        .map(|(_, p)| p)
        .collect())
}

/// The partnerships among `ids` in the order given, published ones only or in any state, each
/// with its publication state (a `PublicationState` code).
pub(crate) async fn load_many(
    db: &impl ConnectionTrait,
    ids: &[i32],
    published_only: bool,
) -> Result<Vec<(String, Partnership)>, DbErr> {
    use sea_orm::QueryTrait;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let id_list = || ids.iter().copied();
    let mut rows: HashMap<i32, partnership::Model> = partnership::Entity::find()
        .filter(partnership::Column::Id.is_in(id_list()))
        .apply_if(published_only.then_some(()), |q, ()| {
            q.filter(partnership::Column::PublicationState.eq(PublicationState::Published.code()))
        })
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let themes = theme_refs(db).await?;
    let forms: HashMap<String, Labelled> = partnership_form::Entity::find()
        .filter(
            partnership_form::Column::Code.is_in(
                rows.values()
                    .filter_map(|p| p.form_code.clone())
                    .collect::<std::collections::BTreeSet<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|f| {
            let label = Labelled {
                code: f.code.clone(),
                label_fr: f.label_fr,
                label_en: f.label_en,
            };
            (f.code, label)
        })
        .collect();

    let mut other_themes = group_by(
        partnership_theme::Entity::find()
            .filter(partnership_theme::Column::PartnershipId.is_in(id_list()))
            .order_by_asc(partnership_theme::Column::Priority)
            .order_by_asc(partnership_theme::Column::Id)
            .all(db)
            .await?,
        |t| t.partnership_id,
        |t| OtherTheme {
            theme: themes.get(&t.theme_code).cloned(),
            code: t.theme_code,
            priority: t.priority,
        },
    );

    let links = partnership_foreign_partner::Entity::find()
        .filter(partnership_foreign_partner::Column::PartnershipId.is_in(id_list()))
        .order_by_asc(partnership_foreign_partner::Column::Position)
        .all(db)
        .await?;
    let authorities: HashMap<i32, foreign_authority::Model> = foreign_authority::Entity::find()
        .filter(foreign_authority::Column::Id.is_in(links.iter().map(|l| l.foreign_authority_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let countries: HashMap<String, country::Model> = country::Entity::find()
        .filter(
            country::Column::Iso2.is_in(
                authorities
                    .values()
                    .filter_map(|a| a.country_iso2.clone())
                    .collect::<std::collections::BTreeSet<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.iso2.clone(), c))
        .collect();
    let mut foreign_partners = group_by(
        links
            .into_iter()
            .filter_map(|l| Some((l.partnership_id, authorities.get(&l.foreign_authority_id)?)))
            .collect(),
        |(id, _)| *id,
        |(_, a)| {
            let country = a.country_iso2.as_ref().and_then(|c| countries.get(c));
            ForeignPartner {
                id: a.id,
                name: a.name.clone(),
                country: a.country_iso2.clone(),
                country_name_fr: country
                    .map(|c| c.name_fr.clone())
                    .or_else(|| a.country_name.clone()),
                country_name_en: country
                    .map(|c| c.name_en.clone())
                    .or_else(|| a.country_name.clone()),
            }
        },
    );

    let mut foreign_contacts = group_by(
        foreign_contact::Entity::find()
            .filter(foreign_contact::Column::PartnershipId.is_in(id_list()))
            .order_by_asc(foreign_contact::Column::Position)
            .all(db)
            .await?,
        |c| c.partnership_id,
        |c| ForeignContact {
            authority: c.authority,
            last_name: c.last_name,
            first_name: c.first_name,
            role: c.role,
            email: c.email,
        },
    );

    let french_links = partnership_french_partner::Entity::find()
        .filter(partnership_french_partner::Column::PartnershipId.is_in(id_list()))
        .order_by_asc(partnership_french_partner::Column::Position)
        .all(db)
        .await?;
    let collectivities: HashMap<i32, collectivity::Model> = collectivity::Entity::find()
        .filter(
            collectivity::Column::Id.is_in(french_links.iter().filter_map(|l| l.collectivity_id)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut french_partners = group_by(
        french_links,
        |l| l.partnership_id,
        |l| {
            let found = l.collectivity_id.and_then(|c| collectivities.get(&c));
            let kind = found.and_then(|c| CollectivityKind::from_code(&c.kind));
            FrenchPartner {
                name: l.name,
                code: found
                    .zip(kind)
                    .map(|(c, kind)| AuthorityId::new(kind, &c.code).to_string()),
                official_code: found.map(|c| c.code.clone()),
                siren: found.and_then(|c| match kind {
                    Some(CollectivityKind::Epci) => Some(c.code.clone()),
                    _ => c.siren.clone(),
                }),
                kind,
            }
        },
    );

    let mut fundings = group_by(
        funding::Entity::find()
            .filter(funding::Column::PartnershipId.is_in(id_list()))
            .order_by_asc(funding::Column::Position)
            .all(db)
            .await?,
        |f| f.partnership_id,
        |f| models::Funding {
            funder: f.funder,
            amount_eur: cents_to_eur(f.amount_cents),
            water_1pct_eur: f.water_1pct_cents.map(cents_to_eur),
            year: f.year,
        },
    );

    let mut volunteers = group_by(
        volunteer::Entity::find()
            .filter(volunteer::Column::PartnershipId.is_in(id_list()))
            .order_by_asc(volunteer::Column::Position)
            .all(db)
            .await?,
        |v| v.partnership_id,
        |v| Volunteer {
            last_name: v.last_name,
            first_name: v.first_name,
            mission: v.mission,
            field: v.field,
            assigned_entity: v.assigned_entity,
        },
    );

    let embassy_countries: Vec<String> = foreign_partners
        .values()
        .filter_map(|partners| partners.iter().find_map(|p| p.country.clone()))
        .collect();
    let embassies = embassies(db, embassy_countries).await?;

    let mut out = Vec::with_capacity(rows.len());
    for id in ids {
        let Some(p) = rows.remove(id) else {
            continue;
        };
        let foreign_partners = foreign_partners.remove(id).unwrap_or_default();
        let embassy = foreign_partners
            .iter()
            .find_map(|p| p.country.as_ref())
            .and_then(|iso2| embassies.get(iso2).cloned());
        let state = p.publication_state.clone();
        out.push((
            state,
            Partnership {
                id: p.id,
                slug: models::slugify(&p.title),
                labels: PartnershipLabels {
                    theme: p.theme_code.as_ref().and_then(|c| themes.get(c).cloned()),
                    form: p.form_code.as_ref().and_then(|c| forms.get(c).cloned()),
                },
                title: p.title,
                status: p.status.as_deref().and_then(Status::from_code),
                first_agreement_year: p.first_agreement_year,
                start_year: p.start_year,
                end_date: p.end_date,
                form: p.form_code,
                duration: p.duration.as_deref().and_then(Duration::from_code),
                theme: p.theme_code,
                other_themes: other_themes.remove(id).unwrap_or_default(),
                context: p.context,
                history: p.history,
                objectives_local: p.objectives_local,
                objectives_france: p.objectives_france,
                description: p.description,
                project_managers: unlines(&p.project_managers),
                project_owners: unlines(&p.project_owners),
                beneficiaries: p.beneficiaries,
                communication_france: p.communication_france,
                communication_partners: p.communication_partners,
                evaluation: p.evaluation,
                foreign_partners,
                foreign_contacts: foreign_contacts.remove(id).unwrap_or_default(),
                french_partners: french_partners.remove(id).unwrap_or_default(),
                fundings: fundings.remove(id).unwrap_or_default(),
                volunteers: volunteers.remove(id).unwrap_or_default(),
                embassy,
                version: p.version,
                updated_at: p.updated_at,
            },
        ));
    }
    Ok(out)
}

/// Rows grouped by partnership id, each turned into its wire type, in the rows' order.
fn group_by<R, T>(
    rows: Vec<R>,
    key: impl Fn(&R) -> i32,
    make: impl Fn(R) -> T,
) -> HashMap<i32, Vec<T>> {
    let mut map: HashMap<i32, Vec<T>> = HashMap::new();
    for row in rows {
        map.entry(key(&row)).or_default().push(make(row));
    }
    map
}

/// The French embassy in a country and its contacts for decentralised cooperation.
pub async fn embassy(db: &impl ConnectionTrait, iso2: &str) -> Result<Option<Embassy>, DbErr> {
    Ok(embassies(db, vec![iso2.to_string()]).await?.remove(iso2))
}

/// The embassies in some countries, by country code.
pub async fn embassies(
    db: &impl ConnectionTrait,
    countries: Vec<String>,
) -> Result<HashMap<String, Embassy>, DbErr> {
    if countries.is_empty() {
        return Ok(HashMap::new());
    }
    let posts = diplomatic_post::Entity::find()
        .filter(diplomatic_post::Column::CountryIso2.is_in(countries))
        .all(db)
        .await?;
    let mut contacts = group_by(
        post_contact::Entity::find()
            .filter(post_contact::Column::PostId.is_in(posts.iter().map(|p| p.id)))
            .order_by_asc(post_contact::Column::Position)
            .all(db)
            .await?,
        |c| c.post_id,
        |c| EmbassyContact {
            role: EmbassyRole::from_code(&c.role).unwrap_or(EmbassyRole::Other),
            name: c.name,
            email: c.email,
        },
    );
    Ok(posts
        .into_iter()
        .map(|post| {
            let embassy = Embassy {
                contacts: contacts.remove(&post.id).unwrap_or_default(),
                post: post.name,
                country: post.country_iso2.clone(),
            };
            (post.country_iso2, embassy)
        })
        .collect())
}

/// Published partnerships, most recently updated first, `page` counted from 1.
pub async fn list_published(
    db: &impl ConnectionTrait,
    page: u64,
    per_page: u64,
) -> Result<(Vec<models::PartnershipSummary>, u64), AppError> {
    use sea_orm::PaginatorTrait;
    let paginator = partnership::Entity::find()
        .filter(partnership::Column::PublicationState.eq(PublicationState::Published.code()))
        .order_by_desc(partnership::Column::UpdatedAt)
        .order_by_desc(partnership::Column::Id)
        .paginate(db, per_page.max(1));
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page.max(1) - 1).await?;
    let items = rows
        .into_iter()
        .map(|p| models::PartnershipSummary {
            id: p.id,
            slug: models::slugify(&p.title),
            status: p.status.as_deref().and_then(Status::from_code),
            start_year: p.start_year,
            title: p.title,
        })
        .collect();
    Ok((items, total))
}
