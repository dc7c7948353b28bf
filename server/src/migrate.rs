//! The migrations and the referentials, one process at a time: several servers started
//! together on one empty database (a deployment, an upgrade) would otherwise each try to create
//! the same tables, and all but one would fail. The first takes a lock, migrates and loads;
//! the others wait for it, then find nothing left to do.

use crate::config::sqlite_file;
use app::server::services::referentials;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::{self, Connection};
use sea_orm::DatabaseConnection;
use std::path::Path;

/// The key of PostgreSQL's advisory lock that the migrations hold ("atlas" in ASCII).
const LOCK_KEY: i64 = 0x61_74_6c_61_73;

pub type MigrateError = Box<dyn std::error::Error + Send + Sync>;

/// Applies the migrations and loads the referentials from `dir` when they are empty, holding
/// the lock meanwhile.
pub async fn migrate(db: &DatabaseConnection, url: &str, dir: &Path) -> Result<(), MigrateError> {
    let lock = Lock::take(url).await?;
    let done = async {
        Migrator::up(db, None).await?;
        referentials::load_if_empty(db, dir).await?;
        Ok::<_, MigrateError>(())
    }
    .await;
    lock.release().await;
    done
}

/// The lock file beside a SQLite database: `atlas.db.lock`.
pub fn lock_file(database: &Path) -> std::path::PathBuf {
    let mut path = database.as_os_str().to_owned();
    path.push(".lock");
    path.into()
}

/// Held while migrating; released when dropped, or with the connection or the process.
enum Lock {
    /// A session-level advisory lock on a connection of its own (the pool's connections come
    /// and go): PostgreSQL releases it when that connection ends, crash included.
    Postgres(sqlx::PgConnection),
    /// An exclusive lock on a file beside the database (`atlas.db.lock`), released by the
    /// system when the file is closed.
    File(std::fs::File),
    None,
}

impl Lock {
    async fn take(url: &str) -> Result<Lock, MigrateError> {
        if url.starts_with("postgres") {
            let mut connection = sqlx::PgConnection::connect(url).await?;
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(LOCK_KEY)
                .execute(&mut connection)
                .await?;
            return Ok(Lock::Postgres(connection));
        }
        let Some(database) = sqlite_file(url) else {
            return Ok(Lock::None);
        };
        let path = lock_file(&database);
        let file = tokio::task::spawn_blocking(move || {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)?;
            file.lock()?;
            Ok::<_, std::io::Error>(file)
        })
        .await??;
        Ok(Lock::File(file))
    }

    async fn release(self) {
        match self {
            Lock::Postgres(mut connection) => {
                // Closing the connection would release it too; unlocking first says so at once.
                let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(LOCK_KEY)
                    .execute(&mut connection)
                    .await;
                if let Err(err) = unlocked {
                    tracing::warn!(%err, "migrations: unlocking failed, closing the connection");
                }
                connection.close().await.ok();
            }
            Lock::File(file) => drop(file),
            Lock::None => {}
        }
    }
}
