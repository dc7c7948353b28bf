//! `atlas backup` and `atlas restore`: a backup taken while the server answers holds every
//! write acknowledged before it, whole; restoring it brings the database back to that point
//! and keeps what it replaced. On SQLite and on PostgreSQL (through `pg_dump`).

use crate::common::{self, TestDb};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use server::backup::{backup, restore, BackupError};

async fn partnerships(db: &DatabaseConnection) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) FROM partnership".to_string(),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_the_database_as_it_was() {
    let t = TestDb::new().await;
    app::server::services::demo::seed(&t.db, 40, 7, |_| {})
        .await
        .unwrap();
    let state = common::state(&t.db).await;
    let app = server::router(state);
    let file = std::env::temp_dir().join(format!(
        "atlas-backup-{}-{}.bak",
        std::process::id(),
        rand::random::<u32>()
    ));

    // Pages keep being served while the backup is taken.
    let serving = {
        let app = app.clone();
        tokio::spawn(async move {
            for _ in 0..20 {
                let body = common::json(&app, "/api/v1/partnerships?per_page=5").await;
                assert!(body["total"].as_u64().unwrap() > 0);
            }
        })
    };
    backup(&t.db, &t.url, &file).await.expect("backup");
    serving.await.unwrap();
    let at_backup = partnerships(&t.db).await;
    assert!(at_backup >= 40);

    // A backup never overwrites a file.
    assert!(matches!(
        backup(&t.db, &t.url, &file).await,
        Err(BackupError::Exists(_))
    ));

    // Written after the backup: the restore takes the database back before it.
    common::import_seed(&t.db).await;
    assert_eq!(partnerships(&t.db).await, at_backup + 1);

    let kept = restore(&t.url, &file).await.expect("restore");
    let restored = common::connect_again(&t).await;
    assert_eq!(partnerships(&restored).await, at_backup);
    // The server's own index, built again from the restored database, agrees.
    let state = common::state(&restored).await;
    let body = common::json(&server::router(state), "/api/v1/partnerships?per_page=1").await;
    assert_eq!(body["total"].as_i64().unwrap(), at_backup);

    // On SQLite the replaced file is kept, whole, with the write made after the backup.
    if let Some(kept) = kept {
        let url = format!("sqlite://{}?mode=ro", kept.display());
        let old = sea_orm::Database::connect(&url).await.unwrap();
        assert_eq!(partnerships(&old).await, at_backup + 1);
        old.close().await.ok();
        for path in server::config::sqlite_files(&kept) {
            std::fs::remove_file(path).ok();
        }
    }
    std::fs::remove_file(&file).ok();

    // Something that is not a backup is refused, the database untouched.
    let junk = std::env::temp_dir().join(format!("atlas-junk-{}.bak", rand::random::<u32>()));
    std::fs::write(&junk, b"not a database").unwrap();
    if !t.url.starts_with("postgres") {
        assert!(matches!(
            restore(&t.url, &junk).await,
            Err(BackupError::NotABackup { .. })
        ));
        assert_eq!(
            partnerships(&common::connect_again(&t).await).await,
            at_backup
        );
    }
    std::fs::remove_file(&junk).ok();
    t.drop().await;
}
