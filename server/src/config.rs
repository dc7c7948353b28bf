//! Settings, from flags or the environment.

use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/atlas.db?mode=rwc";

/// The Leptos options without needing cargo-leptos's environment: the release binary runs
/// alone, with the site files under `LEPTOS_SITE_ROOT` (default `target/site`).
pub fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let output_name = std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "atlas".into());
    LeptosOptions::builder()
        .output_name(output_name)
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// Opens the database. On SQLite: the write-ahead log, so that readers (the index's build, the
/// pages) never wait for the writer nor it for them, and `synchronous=FULL`, so that a write
/// acknowledged is on disk even after a power cut, not only after the process crashed.
///
/// The pool opens up to `ATLAS_DB_MAX_CONNECTIONS` connections (default 32). With sqlx's 10,
/// under `make load`'s 200 connections a saved draft, which takes a connection several times
/// in turn (its session, its account, its transaction), queued behind every page being
/// rendered and took 20 s; SQLite's readers do not wait for one another in its write-ahead
/// log, and PostgreSQL allows 100 connections by default.
pub async fn open_database(url: &str) -> Result<sea_orm::DatabaseConnection, sea_orm::DbErr> {
    use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
    let mut options = sea_orm::ConnectOptions::new(url);
    options.max_connections(max_connections()?);
    if sqlite_file(url).is_some() {
        // sqlx pings a connection before lending it; SQLite's is a file that cannot drop, and
        // the ping was one more round trip to its thread for each query.
        options.test_before_acquire(false);
    }
    options.map_sqlx_sqlite_opts(|o| {
        o.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            // A writer waits its turn this long before "database is locked": under 200
            // connections on 2 cores (`make load`) a draft waited more than sqlx's 5 s.
            .busy_timeout(std::time::Duration::from_secs(30))
            // sqlx runs each connection on a thread of its own and hands its rows over
            // through a channel of 50: once full, the two threads took turns row by row, each
            // turn a wake-up and a thread switch on both sides. With room for a whole query's
            // rows, the index's build (whose readers take these options) halved its system
            // time, 2.0 s to 1.0-1.5 s at 130,000 partnerships, and the IATI export, read in
            // batches of 500, went from 8.7-8.9 s to 7.9-8.2 s (docs/PERFORMANCE.md). Every
            // query's rows are collected whole (`all`), so room for more holds nothing that
            // the answer would not hold anyway.
            .row_buffer_size(ROWS_READ_AHEAD)
    });
    sea_orm::Database::connect(options).await
}

/// The rows a SQLite connection's thread may read ahead of the task that takes them.
const ROWS_READ_AHEAD: usize = 4_096;

/// `ATLAS_DB_MAX_CONNECTIONS`, 32 when unset.
fn max_connections() -> Result<u32, sea_orm::DbErr> {
    match std::env::var("ATLAS_DB_MAX_CONNECTIONS") {
        Ok(text) if !text.trim().is_empty() => {
            text.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                sea_orm::DbErr::Custom(format!(
                    "ATLAS_DB_MAX_CONNECTIONS : un nombre de connexions est attendu, pas « {text} »"
                ))
            })
        }
        _ => Ok(32),
    }
}

/// The file of a `sqlite://PATH?…` address; `None` for PostgreSQL or an in-memory database.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or(url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| path.into())
}

/// A SQLite database file and the two files its write-ahead log keeps beside it (`-wal`,
/// `-shm`): what goes with it when it is moved or removed.
pub fn sqlite_files(database: &std::path::Path) -> [std::path::PathBuf; 3] {
    ["", "-wal", "-shm"].map(|suffix| {
        let mut file = database.as_os_str().to_owned();
        file.push(suffix);
        file.into()
    })
}

/// Creates the folder of a SQLite database file, which SQLite will not do itself.
pub fn prepare_sqlite_dir(url: &str) -> std::io::Result<()> {
    if let Some(parent) = sqlite_file(url)
        .as_deref()
        .and_then(std::path::Path::parent)
    {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)?;
        }
    }
    Ok(())
}

/// The site's public address (`ATLAS_PUBLIC_URL`), for links in emails.
pub fn public_url() -> String {
    std::env::var("ATLAS_PUBLIC_URL").unwrap_or_else(|_| "http://127.0.0.1:3000".into())
}

/// Whether the session cookie is `Secure`: when the public address is `https` (behind a TLS
/// proxy), or `ATLAS_SECURE_COOKIES=true`.
pub fn secure_cookies() -> bool {
    std::env::var("ATLAS_SECURE_COOKIES").is_ok_and(|v| v == "true")
        || public_url().starts_with("https://")
}

/// The folder emails are written to when no SMTP server is set: `ATLAS_OUTBOX`, by default
/// `data/outbox`.
pub fn outbox_dir() -> std::path::PathBuf {
    std::env::var("ATLAS_OUTBOX")
        .unwrap_or_else(|_| "data/outbox".into())
        .into()
}

/// Emails through `ATLAS_SMTP_URL` (`smtps://user:password@host`, sender `ATLAS_MAIL_FROM`)
/// when set, otherwise into the outbox folder.
pub fn mailer() -> Result<app::server::mail::Mailer, String> {
    use app::server::mail::Mailer;
    match std::env::var("ATLAS_SMTP_URL") {
        Ok(url) if !url.is_empty() => {
            let from = std::env::var("ATLAS_MAIL_FROM").map_err(|_| {
                "ATLAS_MAIL_FROM (l'expéditeur) est requis avec ATLAS_SMTP_URL".to_string()
            })?;
            Mailer::smtp(&url, &from, &public_url())
        }
        _ => Mailer::outbox(outbox_dir(), &public_url())
            .map_err(|e| format!("dossier d'envoi {} : {e}", outbox_dir().display())),
    }
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;
    use std::path::PathBuf;

    #[test]
    fn the_file_of_a_sqlite_address() {
        assert_eq!(
            sqlite_file("sqlite://data/atlas.db?mode=rwc"),
            Some(PathBuf::from("data/atlas.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///tmp/a.db"),
            Some(PathBuf::from("/tmp/a.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://x/y"), None);
    }
}
