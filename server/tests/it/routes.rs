//! The HTTP application driven with `oneshot`: no socket, the real router and database.

use crate::common;

use axum::body::Body;
use common::{get, send, TestDb};
use http::{Request, StatusCode};
use server::router;

async fn app_with_seed() -> (TestDb, axum::Router, i32) {
    let t = TestDb::new().await;
    let id = common::import_seed(&t.db).await;
    let app = router(common::state(&t.db).await);
    (t, app, id)
}

#[tokio::test]
async fn the_api_returns_the_published_partnership() {
    let (t, app, id) = app_with_seed().await;
    let (status, headers, body) = get(&app, &format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["access-control-allow-origin"], "*");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    for field in [
        "id",
        "title",
        "status",
        "first_agreement_year",
        "start_year",
        "end_date",
        "form",
        "duration",
        "theme",
        "other_themes",
        "context",
        "history",
        "objectives_local",
        "objectives_france",
        "description",
        "project_managers",
        "project_owners",
        "beneficiaries",
        "foreign_partners",
        "foreign_contacts",
        "french_partners",
        "fundings",
        "volunteers",
        "embassy",
    ] {
        assert!(json.get(field).is_some(), "missing {field}");
    }
    assert_eq!(json["status"], "ongoing");
    assert_eq!(json["duration"], "triennial");
    assert_eq!(json["theme"], "POL.GOV");
    assert_eq!(json["form"], "PROJET");
    assert_eq!(json["end_date"], "2021-12-31");
    assert_eq!(json["other_themes"], serde_json::json!([]));
    assert_eq!(json["volunteers"], serde_json::json!([]));
    assert_eq!(json["foreign_partners"][0]["name"], "Municipalité de Rabat");
    assert_eq!(json["foreign_partners"][0]["country"], "MA");
    assert_eq!(json["french_partners"][0]["code"], "commune-78361");
    assert_eq!(json["french_partners"][0]["official_code"], "78361");
    assert_eq!(json["fundings"].as_array().unwrap().len(), 9);
    assert_eq!(json["fundings"][0]["amount_eur"], 6600.0);
    assert!(json["fundings"][0]["water_1pct_eur"].is_null());
    // Personal data stays out of the open API: the role and authority remain.
    assert!(json["foreign_contacts"][0].get("email").is_none());
    assert!(json["foreign_contacts"][0].get("last_name").is_none());
    assert!(json["foreign_contacts"][0]["authority"].is_string());
    assert!(!body.contains('@'), "an email in the open API: {body}");
    assert!(json["embassy"]["contacts"][0].get("name").is_none());
    assert_eq!(json["embassy"]["post"], "Ambassade de France à Rabat");
    assert_eq!(
        json["embassy"]["contacts"][0]["role"],
        "coopdec_correspondent"
    );

    let (status, _, body) = get(&app, "/api/v1/partnerships/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("introuvable"));
    let (status, _, _) = get(&app, "/api/v1/partnerships/abc").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    t.drop().await;
}

#[tokio::test]
async fn the_page_is_rendered_on_the_server() {
    let (t, app, id) = app_with_seed().await;
    let (status, _, html) = get(&app, &format!("/partenariats/{id}-accompagnement")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<title>Accompagnement à la structuration"),
        "no title"
    );
    assert!(html.contains(r#"<meta name="description""#));
    assert!(html.contains("Ambassade de France à Rabat"));
    assert!(html.contains("Financement"));
    assert!(html.contains(r#"<html lang="fr""#));
    assert!(
        !html.contains("frederick.coopdec@gmail.com"),
        "email left whole in the HTML"
    );
    for noise in ["???", "pagination.page", "commun.ico", "[at]"] {
        assert!(!html.contains(noise), "legacy noise {noise}");
    }

    let (status, _, html) = get(&app, "/partenariats/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page introuvable"));
    let (status, _, _) = get(&app, "/nulle-part").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    t.drop().await;
}

/// A server listens before its search index is built: alive at once, not ready, what needs the
/// index says so (503, `Retry-After`, in French), what the database answers alone is served;
/// then the index is built and everything answers.
#[tokio::test]
async fn a_starting_server_answers_before_its_index_is_built() {
    let t = TestDb::new().await;
    let id = common::import_seed(&t.db).await;
    let options = server::config::leptos_options("127.0.0.1:0".parse().unwrap());
    let outbox = std::env::temp_dir().join(format!("starting_{id}_{}", std::process::id()));
    let mailer = app::server::mail::Mailer::outbox(outbox, "http://atlas.test").unwrap();
    let search = app::server::search::Search::starting();
    let state = server::AppState::with_search(t.db.clone(), options, mailer, search.clone());
    let app = router(state);

    let (status, _, body) = get(&app, "/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
    let (status, headers, body) = get(&app, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers["retry-after"], "2");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["database"], true);
    assert_eq!(json["index"], false);

    for uri in [
        "/api/v1/partnerships?q=eau",
        "/api/v1/partnerships.csv",
        "/api/v1/themes",
    ] {
        let (status, headers, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert_eq!(headers["retry-after"], "2", "{uri}");
        assert!(body.contains("Le service démarre"), "{uri}: {body}");
    }
    let (status, headers, body) = get(&app, "/?q=eau").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers["retry-after"], "2");
    assert!(body.contains("Le service démarre"), "{body}");
    // Not kept: the same address answers once the index is there.
    let (status, _, body) = get(&app, &format!("/partenariats/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Rabat"));
    let (status, _, _) = get(&app, &format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(status, StatusCode::OK);

    search.load(&t.db).await.unwrap();
    let (status, _, body) = get(&app, "/readyz").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["ready"], true);
    assert_eq!(json["partnerships"], 1);
    let (status, _, body) = get(&app, "/?q=eau").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("Le service démarre"));
    let (status, _, body) = get(&app, "/api/v1/partnerships").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"total\":1"), "{body}");
    t.drop().await;
}

#[tokio::test]
async fn health_and_language_switch() {
    let (t, app, _) = app_with_seed().await;
    let (status, _, body) = get(&app, "/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));

    let (status, headers, _) = get(&app, "/langue/en?retour=/partenariats/1").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/partenariats/1");
    assert!(headers["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("i18n_pref_locale=en"));
    let (_, headers, _) = get(&app, "/langue/en?retour=//evil.example").await;
    assert_eq!(headers["location"], "/");
    let (status, _, _) = get(&app, "/langue/xx").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A page's switch comes back to the same page with its query (its `?` included).
    let (_, _, html) = get(&app, "/partenariats?pays=MA&page=1").await;
    let link = html
        .split("href=\"/langue/en?retour=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default();
    assert!(
        link.starts_with("/partenariats%3Fpays%3DMA%26page%3D1")
            || link.starts_with("%2Fpartenariats%3Fpays%3DMA%26page%3D1"),
        "{link}"
    );

    let request = Request::get("/partenariats/1")
        .header("cookie", "i18n_pref_locale=en")
        .body(Body::empty())
        .unwrap();
    let (_, _, html) = send(&app, request).await;
    let html = String::from_utf8_lossy(&html);
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("Funding"));
    t.drop().await;
}

#[tokio::test]
async fn kept_pages_follow_the_data_the_language_and_the_encoding() {
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let t = TestDb::new().await;
    let id = common::import_seed(&t.db).await;
    let state = common::state(&t.db).await;
    let app = router(state.clone());
    let page = format!("/partenariats/{id}");
    let request = |cookie: Option<&str>, encoding: Option<&str>| {
        let mut request = Request::get(&page);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        if let Some(encoding) = encoding {
            request = request.header("accept-encoding", encoding);
        }
        request.body(Body::empty()).unwrap()
    };

    for _ in 0..2 {
        let (_, _, fr) = send(&app, request(None, None)).await;
        let fr = String::from_utf8_lossy(&fr);
        assert!(fr.contains(r#"<html lang="fr""#) && fr.contains("Financement"));
        let (_, _, en) = send(&app, request(Some("i18n_pref_locale=en"), None)).await;
        let en = String::from_utf8_lossy(&en);
        assert!(en.contains(r#"<html lang="en""#) && en.contains("Funding"));
        let (_, headers, gz) = send(&app, request(None, Some("gzip"))).await;
        assert_eq!(headers["content-encoding"], "gzip");
        assert!(headers["vary"]
            .to_str()
            .unwrap()
            .contains("accept-language"));
        assert_eq!(&gz[..2], &[0x1f, 0x8b], "not gzip");
    }

    // Another process changes the title; once the index sees it, the page follows.
    let mut row = app::server::entities::partnership::Entity::find_by_id(id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    row.title = Set("Un titre tout neuf".into());
    row.updated_at = Set(chrono::Utc::now());
    row.update(&t.db).await.unwrap();
    assert!(state.search.rebuild_if_changed(&t.db).await.unwrap());
    let (_, _, fr) = send(&app, request(None, None)).await;
    assert!(String::from_utf8_lossy(&fr).contains("Un titre tout neuf"));
    t.drop().await;
}

/// Pages rendered while other routers are being built all answer. Building a router listed the
/// application's routes with the loading of resources suppressed for the whole process: a page
/// whose resource started meanwhile, on another thread, waited forever (leptos-rs/leptos#4773;
/// CI's integration tests hung on it now and then). The routes are now listed once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_rendered_while_other_routers_are_built_all_answer() {
    let (t, app, _) = app_with_seed().await;
    let state = common::state(&t.db).await;
    let building = tokio::task::spawn_blocking(move || {
        for _ in 0..30 {
            drop(router(state.clone()));
        }
    });
    let mut rendered = 0;
    while !building.is_finished() || rendered < 10 {
        // Another address each time: a page kept in memory would not be rendered again.
        let uri = format!("/collectivites/commune-78361?vue={rendered}");
        let answer =
            tokio::time::timeout(std::time::Duration::from_secs(30), get(&app, &uri)).await;
        let (status, _, html) = answer.unwrap_or_else(|_| panic!("{uri} never answered"));
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(html.contains("Mantes-la-Jolie"), "{uri}");
        rendered += 1;
    }
    building.await.unwrap();
    t.drop().await;
}

/// Every answer carries a request id, the one every log line of that request carries: made
/// by the server, or kept when the proxy in front sent one.
#[tokio::test]
async fn every_answer_carries_a_request_id_kept_from_a_proxy() {
    let t = TestDb::new().await;
    let app = router(common::state(&t.db).await);
    let (status, headers, _) = get(&app, "/api/v1/partnerships?per_page=1").await;
    assert_eq!(status, StatusCode::OK);
    let made = headers["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(made.len(), 36, "a UUID: {made}");
    let (_, again, _) = get(&app, "/api/v1/partnerships?per_page=1").await;
    assert_ne!(again["x-request-id"], made.as_str(), "one id per request");
    let from_proxy = Request::get("/healthz")
        .header("x-request-id", "proxy-42")
        .body(Body::empty())
        .unwrap();
    let (_, headers, _) = send(&app, from_proxy).await;
    assert_eq!(headers["x-request-id"], "proxy-42");
    t.drop().await;
}
