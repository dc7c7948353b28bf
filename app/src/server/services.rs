//! Plain async functions over a database connection: what the pages, the REST API, the CLI and
//! the tests all call.

pub mod accounts;
pub mod authorities;
pub mod changes;
pub mod contributions;
pub mod demo;
pub mod partnerships;
pub mod reference_lists;
pub mod referentials;
pub mod revisions;
pub mod synergies;
pub mod tokens;
pub mod users;

use sea_orm::{sea_query::InsertStatement, ConnectionTrait, DbErr};

/// Begins a transaction that writes. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a transaction that reads first and writes after cannot wait for another
/// writer once it has read, and failed with "database is locked" as soon as two wrote at once
/// (`make load`, docs/PERFORMANCE.md); taken first, the lock is waited for, up to SQLite's
/// busy timeout. On PostgreSQL, an ordinary transaction.
pub async fn write(
    db: &sea_orm::DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Runs a multi-row insert in chunks small enough for every backend's parameter limit.
pub(crate) async fn insert_chunked<C, R>(
    db: &C,
    rows: impl IntoIterator<Item = R>,
    columns_per_row: usize,
    make: impl Fn(&mut InsertStatement, R),
    template: impl Fn() -> InsertStatement,
) -> Result<(), DbErr>
where
    C: ConnectionTrait,
{
    let per_chunk = (30_000 / columns_per_row.max(1)).clamp(1, 1_000);
    let mut stmt = template();
    let mut pending = 0;
    for row in rows {
        make(&mut stmt, row);
        pending += 1;
        if pending == per_chunk {
            db.execute(&stmt).await?;
            stmt = template();
            pending = 0;
        }
    }
    if pending > 0 {
        db.execute(&stmt).await?;
    }
    Ok(())
}
