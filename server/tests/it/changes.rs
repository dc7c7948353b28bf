//! The change log: written in each write's transaction, followed by every running server, so
//! that what another process writes is in the search within a second.

use crate::common;

use common::{json, TestDb};
use sea_orm::ConnectionTrait;
use server::router;

#[tokio::test]
async fn a_cli_import_shows_in_a_running_servers_search_within_a_second() {
    let t = TestDb::new().await;
    app::server::services::demo::seed(&t.db, 50, 4, |_| {})
        .await
        .unwrap();
    let state = common::state(&t.db).await;
    let app = router(state.clone());
    let follower = tokio::spawn(server::cli::follow_changes(state.clone()));
    const QUERY: &str = "/api/v1/partnerships?french_authority=commune-78361&per_page=100";
    let listed = |body: &serde_json::Value| -> Vec<i64> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    let before = json(&app, QUERY).await;

    // Another process: its own connection to the same database.
    let other = common::connect_again(&t).await;
    let imported = common::import_seed(&other).await;
    let written = std::time::Instant::now();
    loop {
        let found = json(&app, QUERY).await;
        if listed(&found).contains(&i64::from(imported)) {
            assert_eq!(found["total"], before["total"].as_u64().unwrap() + 1);
            break;
        }
        assert!(
            written.elapsed() < std::time::Duration::from_secs(1),
            "the import is not in the search a second later"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // Its page too (the page cache follows the index).
    let (status, _, html) = common::get(&app, "/collectivites/commune-78361").await;
    assert_eq!(status, http::StatusCode::OK);
    assert!(
        html.contains("Accompagnement"),
        "the authority page lists it"
    );
    follower.abort();
    t.drop().await;
}

#[tokio::test]
async fn every_write_is_logged_in_its_transaction() {
    let t = TestDb::new().await;
    let ids = app::server::services::demo::seed(&t.db, 30, 8, |_| {})
        .await
        .unwrap();
    let logged = common::sql_strings(
        &t.db,
        "SELECT CAST(COUNT(DISTINCT partnership_id) AS VARCHAR(20)) FROM change_log",
    )
    .await;
    assert_eq!(logged, [ids.len().to_string()]);
    // A write that fails leaves no entry: the log is part of the transaction.
    let before = app::server::services::changes::last_seq(&t.db)
        .await
        .unwrap();
    let txn = sea_orm::TransactionTrait::begin(&t.db).await.unwrap();
    app::server::services::changes::record(&txn, &[ids[0]])
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(
        app::server::services::changes::last_seq(&t.db)
            .await
            .unwrap(),
        before
    );
    // Re-importing a page logs it again; its embassy, new the first time only, tells the
    // servers to forget their cached pages once.
    let id = common::import_seed(&t.db).await;
    let after_first = app::server::services::changes::last_seq(&t.db)
        .await
        .unwrap();
    let again = common::import_seed(&t.db).await;
    assert_eq!(id, again);
    let (ids_after, _) = app::server::services::changes::since(&t.db, before, 100)
        .await
        .unwrap();
    assert_eq!(ids_after, vec![app::server::services::changes::PAGES, id]);
    let (second, _) = app::server::services::changes::since(&t.db, after_first, 100)
        .await
        .unwrap();
    assert_eq!(
        second,
        vec![id],
        "an embassy already known is not written again"
    );
    t.db.execute_unprepared("SELECT 1").await.unwrap();
    t.drop().await;
}

#[tokio::test]
async fn each_write_keeps_a_revision_with_the_whole_partnership() {
    use app::server::services::partnerships::{get_published, revisions};
    let t = TestDb::new().await;
    let id = common::import_seed(&t.db).await;
    assert_eq!(common::import_seed(&t.db).await, id);
    let kept = revisions(&t.db, id).await.unwrap();
    let numbers: Vec<i32> = kept.iter().map(|(n, _, _)| *n).collect();
    assert_eq!(numbers, [1, 2]);
    assert!(kept.iter().all(|(_, state, _)| state == "published"));
    let now = get_published(&t.db, id).await.unwrap();
    let (_, _, last) = kept.last().unwrap();
    assert_eq!(last.title, now.title);
    assert_eq!(last.version, now.version);
    assert_eq!(last.fundings, now.fundings);
    assert_eq!(last.french_partners, now.french_partners);
    assert_eq!(
        last.foreign_contacts, now.foreign_contacts,
        "the snapshot keeps the people"
    );
    assert!(
        last.embassy.is_none(),
        "the embassy is not part of the partnership"
    );
    t.drop().await;
}

/// On PostgreSQL a write wakes the servers: a notification on the change log's channel, sent
/// when the transaction commits and not before (nor at all when it rolls back).
#[tokio::test]
async fn on_postgresql_a_committed_write_notifies_the_servers() {
    use app::server::services::changes;
    use sea_orm::sqlx::postgres::PgListener;
    let t = TestDb::new().await;
    if t.db.get_database_backend() != sea_orm::DbBackend::Postgres {
        t.drop().await;
        return;
    }
    let ids = app::server::services::demo::seed(&t.db, 3, 8, |_| {})
        .await
        .unwrap();
    let mut listener = PgListener::connect_with(t.db.get_postgres_connection_pool())
        .await
        .unwrap();
    listener.listen(changes::CHANNEL).await.unwrap();
    let soon = std::time::Duration::from_millis(300);

    let txn = sea_orm::TransactionTrait::begin(&t.db).await.unwrap();
    changes::record(&txn, &[ids[0]]).await.unwrap();
    assert!(
        tokio::time::timeout(soon, listener.recv()).await.is_err(),
        "notified before the commit"
    );
    txn.rollback().await.unwrap();
    assert!(
        tokio::time::timeout(soon, listener.recv()).await.is_err(),
        "notified for a rolled-back write"
    );

    let txn = sea_orm::TransactionTrait::begin(&t.db).await.unwrap();
    changes::record(&txn, &[ids[0]]).await.unwrap();
    changes::record(&txn, &[ids[1]]).await.unwrap();
    txn.commit().await.unwrap();
    let note = tokio::time::timeout(std::time::Duration::from_secs(1), listener.recv())
        .await
        .expect("a notification within a second of the commit")
        .unwrap();
    assert_eq!(note.channel(), changes::CHANNEL);
    assert!(
        tokio::time::timeout(soon, listener.recv()).await.is_err(),
        "one notification per transaction"
    );
    drop(listener);
    t.drop().await;
}

#[tokio::test]
async fn a_change_refreshes_the_pages_and_its_partnerships_json_not_the_other_json() {
    use app::server::services::changes;
    use sea_orm::TransactionTrait;
    let t = TestDb::new().await;
    let ids = app::server::services::demo::seed(&t.db, 20, 4, |_| {})
        .await
        .unwrap();
    let state = common::state(&t.db).await;
    let app = router(state.clone());
    let (a, b) = (ids[0], ids[1]);
    let kept = |headers: &http::HeaderMap| headers.get("x-atlas-cache").is_some();
    let (page_a, page_b) = (format!("/partenariats/{a}"), format!("/partenariats/{b}"));
    let (json_a, json_b) = (
        format!("/api/v1/partnerships/{a}"),
        format!("/api/v1/partnerships/{b}"),
    );
    for uri in [
        page_a.as_str(),
        page_b.as_str(),
        "/",
        json_a.as_str(),
        json_b.as_str(),
    ] {
        let (status, headers, _) = common::get(&app, uri).await;
        assert_eq!(status, http::StatusCode::OK, "{uri}");
        assert!(!kept(&headers), "{uri} is rendered the first time");
        let (_, headers, _) = common::get(&app, uri).await;
        assert!(kept(&headers), "{uri} is kept");
    }

    // b changes as every write changes it: its row and the change log in one transaction.
    let txn = t.db.begin().await.unwrap();
    txn.execute_unprepared(&format!(
        "UPDATE partnership SET title = 'Un titre tout neuf' WHERE id = {b}"
    ))
    .await
    .unwrap();
    changes::record(&txn, &[b]).await.unwrap();
    txn.commit().await.unwrap();
    state.search.follow(&t.db).await.unwrap();
    let (_, headers, html) = common::get(&app, &page_b).await;
    assert!(
        !kept(&headers),
        "the changed partnership's page is rendered again"
    );
    assert!(html.contains("Un titre tout neuf"));
    let (_, headers, json) = common::get(&app, &json_b).await;
    assert!(
        !kept(&headers),
        "the changed partnership's JSON is read again"
    );
    assert!(json.contains("Un titre tout neuf"));
    let (_, headers, _) = common::get(&app, &json_a).await;
    assert!(kept(&headers), "another partnership's JSON still holds");
    let (_, headers, _) = common::get(&app, "/").await;
    assert!(!kept(&headers), "the searches are computed again");
    let (_, headers, _) = common::get(&app, &page_a).await;
    assert!(
        !kept(&headers),
        "another partnership's page, which may list b among who else works there, is rendered again"
    );
    let (_, headers, _) = common::get(&app, &page_a).await;
    assert!(kept(&headers));

    // An embassy or a reference list changes every page and every JSON.
    let txn = t.db.begin().await.unwrap();
    changes::record(&txn, &[changes::PAGES]).await.unwrap();
    txn.commit().await.unwrap();
    state.search.follow(&t.db).await.unwrap();
    let (_, headers, _) = common::get(&app, &page_a).await;
    assert!(!kept(&headers), "every page is rendered again");
    let (_, headers, _) = common::get(&app, &json_a).await;
    assert!(!kept(&headers), "every JSON is read again");
    t.drop().await;
}

/// SQLite runs with its write-ahead log (a reader never waits for the writer) and
/// `synchronous=FULL` (an acknowledged write survives a power cut), on every connection the
/// server or a command opens.
#[tokio::test]
async fn sqlite_files_are_opened_with_the_write_ahead_log_and_full_sync() {
    let t = TestDb::new().await;
    if t.db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        t.drop().await;
        return;
    }
    let other = common::connect_again(&t).await;
    for db in [&t.db, &other] {
        let pragma = |name: &str| {
            sea_orm::Statement::from_string(sea_orm::DbBackend::Sqlite, format!("PRAGMA {name}"))
        };
        let mode = db
            .query_one_raw(pragma("journal_mode"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(mode.try_get_by_index::<String>(0).unwrap(), "wal");
        let sync = db
            .query_one_raw(pragma("synchronous"))
            .await
            .unwrap()
            .unwrap();
        // 2 is FULL.
        assert_eq!(sync.try_get_by_index::<i64>(0).unwrap(), 2);
    }
    other.close().await.ok();
    t.drop().await;
}
