//! A fresh, migrated database with the referentials loaded, for each test: a SQLite file by
//! default, or a new PostgreSQL database when `ATLAS_TEST_DATABASE_URL` points at a server
//! (the database is created for the test and dropped after it).

#![allow(dead_code)]

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub struct TestDb {
    pub db: DatabaseConnection,
    /// Where the database is, for a second connection (another process, say).
    pub url: String,
    /// What removes the database: taken by `drop().await`, or by `Drop` when a test panicked.
    cleanup: Option<Cleanup>,
}

enum Cleanup {
    File(PathBuf),
    Postgres { admin_url: String, name: String },
}

pub fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("atlas_test_{}_{n}_{nanos}", std::process::id())
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/legacy")
        .join(name)
}

impl TestDb {
    /// A migrated database with the referentials.
    pub async fn new() -> TestDb {
        let t = TestDb::empty().await;
        Migrator::up(&t.db, None).await.expect("migrations run");
        app::server::services::referentials::load_if_empty(
            &t.db,
            &app::server::services::referentials::default_data_dir(),
        )
        .await
        .expect("referentials load (run `npm ci --prefix migrations/data`)");
        t
    }

    /// A database with nothing in it, not even the migrations' table.
    pub async fn empty() -> TestDb {
        let name = unique_name();
        let (db, url, cleanup) = match std::env::var("ATLAS_TEST_DATABASE_URL") {
            Ok(admin_url) if admin_url.starts_with("postgres") => {
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("PostgreSQL answers");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(&admin_url);
                let url = format!("{base}/{name}");
                let db = server::config::open_database(&url)
                    .await
                    .expect("connect to test database");
                (db, url, Cleanup::Postgres { admin_url, name })
            }
            _ => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                let url = format!("sqlite://{}?mode=rwc", path.display());
                let db = server::config::open_database(&url)
                    .await
                    .expect("open SQLite file");
                (db, url, Cleanup::File(path))
            }
        };
        TestDb {
            db,
            url,
            cleanup: Some(cleanup),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.cleanup, Some(Cleanup::Postgres { .. }))
    }

    /// Drops the test database; call it at the end of each test.
    pub async fn drop(mut self) {
        self.db.clone().close().await.ok();
        if let Some(cleanup) = self.cleanup.take() {
            cleanup.run().await;
        }
    }
}

impl Drop for TestDb {
    /// A test that panics never reaches `drop().await`: its database is removed here, on a
    /// thread of its own (a panicking test's runtime cannot be waited on), so that no
    /// `atlas_test_…` database or file is left behind.
    fn drop(&mut self) {
        if let Some(cleanup) = self.cleanup.take() {
            std::thread::spawn(move || {
                if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    runtime.block_on(cleanup.run());
                }
            })
            .join()
            .ok();
        }
    }
}

impl Cleanup {
    async fn run(self) {
        match self {
            Cleanup::File(path) => {
                for file in server::config::sqlite_files(&path) {
                    std::fs::remove_file(file).ok();
                }
                // Left by the servers a test starts (their migrations' lock).
                std::fs::remove_file(server::migrate::lock_file(&path)).ok();
            }
            Cleanup::Postgres { admin_url, name } => {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await
                        .ok();
                    admin.close().await.ok();
                }
            }
        }
    }
}

/// A request through the whole router, without a socket: status, headers and body.
pub async fn send(
    app: &axum::Router,
    request: http::Request<axum::body::Body>,
) -> (http::StatusCode, http::HeaderMap, axum::body::Bytes) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, bytes)
}

/// A GET through the whole router, the body as text.
pub async fn get(app: &axum::Router, uri: &str) -> (http::StatusCode, http::HeaderMap, String) {
    let request = http::Request::get(uri)
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, headers, bytes) = send(app, request).await;
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// A GET that must answer 200 with JSON.
pub async fn json(app: &axum::Router, uri: &str) -> serde_json::Value {
    let (status, _, body) = get(app, uri).await;
    assert_eq!(status, http::StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Imports the legacy atlas's seed page (Mantes-la-Jolie with Rabat): its partnership's id.
pub async fn import_seed(db: &DatabaseConnection) -> i32 {
    app::server::legacy_import::import_files(db, &[fixture("000_001612c233d2473f.txt")])
        .await
        .unwrap()
        .remove(0)
        .unwrap()
        .id
}

/// The server's state over a test database, built as `atlas serve` builds it, with emails
/// written to an outbox folder of its own.
pub async fn state(db: &DatabaseConnection) -> server::AppState {
    let options = server::config::leptos_options("127.0.0.1:0".parse().unwrap());
    let outbox = std::env::temp_dir().join(format!("{}_outbox", unique_name()));
    let mailer = app::server::mail::Mailer::outbox(outbox, "http://atlas.test").unwrap();
    server::AppState::with_mailer(db.clone(), options, mailer)
        .await
        .unwrap()
}

/// The first column of a query's rows, as text.
pub async fn sql_strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    use sea_orm::Statement;
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect()
}

/// Each funding line's partnership and funder kind, worked out with the index's own classifier
/// (funder kinds come from names; plain SQL cannot replay that).
pub async fn funder_kinds(db: &DatabaseConnection) -> Vec<(i32, app::models::FunderKind)> {
    use app::server::entities::{funding, partnership_french_partner};
    use app::server::search::load::classify_funder;
    use app::server::services::referentials::fold_name;
    use sea_orm::EntityTrait;
    let mut french: std::collections::HashMap<i32, Vec<String>> = Default::default();
    for fp in partnership_french_partner::Entity::find()
        .all(db)
        .await
        .unwrap()
    {
        french
            .entry(fp.partnership_id)
            .or_default()
            .push(fold_name(&fp.name));
    }
    funding::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|f| {
            let names = french.get(&f.partnership_id).cloned().unwrap_or_default();
            (f.partnership_id, classify_funder(&f.funder, &names))
        })
        .collect()
}

/// A second, separate connection to a test database, as another process would open.
pub async fn connect_again(t: &TestDb) -> DatabaseConnection {
    server::config::open_database(&t.url)
        .await
        .expect("second connection")
}
