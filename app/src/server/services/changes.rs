//! The change log (a transactional outbox): every write to partnerships records their ids in
//! the same transaction, and every running server reads what came after the last sequence
//! number it applied. A crash between a write and the servers noticing it loses nothing.
//! On PostgreSQL the write also sends a notification on [`CHANNEL`], delivered at commit, that
//! wakes the servers at once; on SQLite they poll the log, which is cheap.

use super::insert_chunked;
use crate::server::entities::change_log;
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// The PostgreSQL channel a write notifies and the servers listen on.
pub const CHANNEL: &str = "atlas_changes";

/// Recorded instead of a partnership id when a reference list changed (a theme's or a form's
/// labels, a new theme): what the index holds about every partnership may change, so every
/// server rebuilds its index (the old one serves meanwhile).
pub const REFERENCE_LISTS: i32 = 0;
/// Recorded when only what the pages show beside the index changed (an embassy and its
/// contacts): every server forgets its cached pages.
pub const PAGES: i32 = -1;

/// Records that these partnerships changed (or [`REFERENCE_LISTS`], [`PAGES`]). Call it inside
/// the write's transaction.
pub async fn record(db: &impl ConnectionTrait, ids: &[i32]) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // Sent at commit, once per transaction however many times it is asked for.
        db.execute_unprepared(&format!("NOTIFY {CHANNEL}")).await?;
    }
    let now = chrono::Utc::now();
    insert_chunked(
        db,
        ids.iter().copied(),
        2,
        |stmt, id| {
            stmt.values_panic([id.into(), now.into()]);
        },
        || {
            Query::insert()
                .into_table("change_log")
                .columns(["partnership_id", "created_at"])
                .to_owned()
        },
    )
    .await
}

/// The last sequence number written, 0 for an empty log.
pub async fn last_seq(db: &impl ConnectionTrait) -> Result<i32, DbErr> {
    let last: Option<Option<i32>> = change_log::Entity::find()
        .select_only()
        .column_as(change_log::Column::Seq.max(), "last")
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().unwrap_or(0))
}

/// Up to `limit` changes after `seq`: the partnerships they touched (each once) and the last
/// sequence number read.
pub async fn since(
    db: &impl ConnectionTrait,
    seq: i32,
    limit: u64,
) -> Result<(Vec<i32>, i32), DbErr> {
    let rows: Vec<(i32, i32)> = change_log::Entity::find()
        .select_only()
        .column(change_log::Column::Seq)
        .column(change_log::Column::PartnershipId)
        .filter(change_log::Column::Seq.gt(seq))
        .order_by_asc(change_log::Column::Seq)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let last = rows.last().map_or(seq, |(s, _)| *s);
    let mut ids: Vec<i32> = rows.into_iter().map(|(_, id)| id).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok((ids, last))
}
