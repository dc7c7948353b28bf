//! `atlas backup FILE` and `atlas restore FILE`.
//!
//! SQLite: a backup is a consistent copy of the database file, taken while servers run
//! (`VACUUM INTO`: one read transaction, so every write is in it whole or not at all). A
//! restore puts such a copy in place of the database file, keeping the file it replaces
//! beside it; the servers are stopped first (a running server keeps the file it opened).
//!
//! PostgreSQL: `pg_dump` (custom format) and `pg_restore`, run with the database's address;
//! the servers may run meanwhile and take the restored data in at their next check.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} existe déjà : une sauvegarde n'écrase jamais un fichier")]
    Exists(PathBuf),
    #[error("{0} n'existe pas")]
    Missing(PathBuf),
    #[error("{path} n'est pas une sauvegarde d'Atlas utilisable : {why}")]
    NotABackup { path: PathBuf, why: String },
    #[error("la base {0} n'est pas un fichier SQLite")]
    NotAFile(String),
    #[error("{program} a échoué ({status}) : {stderr}")]
    Tool {
        program: &'static str,
        status: String,
        stderr: String,
    },
    #[error("{program} introuvable ({source}) : installez le client PostgreSQL")]
    NoTool {
        program: &'static str,
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Writes a backup of the database into `file`, which must not exist.
pub async fn backup(db: &DatabaseConnection, url: &str, file: &Path) -> Result<(), BackupError> {
    if file.exists() {
        return Err(BackupError::Exists(file.to_path_buf()));
    }
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "VACUUM INTO ?",
                [file.to_string_lossy().into_owned().into()],
            ))
            .await?;
            check_sqlite(file).await
        }
        _ => {
            let file = file.to_string_lossy();
            run_tool(
                "pg_dump",
                &["--format=custom", "--no-owner", "--file", &file, url],
            )
        }
    }
}

/// Puts the backup `file` in place of the database. On SQLite the file it replaces is kept
/// beside it (`atlas.db.avant-restauration-…`), and its path is returned.
pub async fn restore(url: &str, file: &Path) -> Result<Option<PathBuf>, BackupError> {
    if !file.exists() {
        return Err(BackupError::Missing(file.to_path_buf()));
    }
    if url.starts_with("postgres") {
        let file = file.to_string_lossy();
        run_tool(
            "pg_restore",
            &[
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                url,
                &file,
            ],
        )?;
        return Ok(None);
    }
    let target =
        crate::config::sqlite_file(url).ok_or_else(|| BackupError::NotAFile(url.to_string()))?;
    check_sqlite(file).await?;
    // The copy goes beside the target first, then takes its place in one rename: at no moment
    // is there half a database where the servers will look.
    let mut incoming = target.clone().into_os_string();
    incoming.push(".restauration");
    let incoming = PathBuf::from(incoming);
    std::fs::copy(file, &incoming)?;
    let kept = if target.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let mut kept = target.clone().into_os_string();
        kept.push(format!(".avant-restauration-{stamp}"));
        let kept = PathBuf::from(kept);
        std::fs::rename(&target, &kept)?;
        // The old file's write-ahead log belongs with it.
        let logs = crate::config::sqlite_files(&target).into_iter().skip(1);
        for (log, moved) in logs.zip(crate::config::sqlite_files(&kept).into_iter().skip(1)) {
            if log.exists() {
                std::fs::rename(&log, &moved)?;
            }
        }
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&incoming, &target)?;
    Ok(kept)
}

/// A backup is whole (SQLite's own check) and is Atlas's (it has the migrations' table).
async fn check_sqlite(file: &Path) -> Result<(), BackupError> {
    let not = |why: String| BackupError::NotABackup {
        path: file.to_path_buf(),
        why,
    };
    let url = format!("sqlite://{}?mode=ro", file.display());
    let db = sea_orm::Database::connect(&url)
        .await
        .map_err(|e| not(e.to_string()))?;
    let one = |sql: &str| Statement::from_string(DbBackend::Sqlite, sql.to_string());
    let check = db
        .query_one_raw(one("PRAGMA integrity_check"))
        .await
        .map_err(|e| not(e.to_string()))?
        .and_then(|row| row.try_get_by_index::<String>(0).ok());
    if check.as_deref() != Some("ok") {
        db.close().await.ok();
        return Err(not(check.unwrap_or_else(|| "illisible".into())));
    }
    let migrations = db
        .query_one_raw(one("SELECT COUNT(*) FROM seaql_migrations"))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get_by_index::<i64>(0).ok())
        .unwrap_or(0);
    db.close().await.ok();
    if migrations == 0 {
        return Err(not("pas de table des migrations".into()));
    }
    Ok(())
}

fn run_tool(program: &'static str, args: &[&str]) -> Result<(), BackupError> {
    let output = std::process::Command::new(program)
        .args(args)
        .output()
        .map_err(|source| BackupError::NoTool { program, source })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(BackupError::Tool {
            program,
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        })
    }
}
