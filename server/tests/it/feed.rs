//! The Atom feed of a view of the search (`/api/v1/partnerships.atom`): valid Atom as RFC 4287
//! defines it and as feed readers read it (`scripts/atom_check.py`: the RFC's rules with lxml,
//! then feedparser), its entries those of the search with the same filters, newest first, and
//! a partnership published meanwhile first.

use crate::common::{self, get, json, TestDb};
use app::models::{PublicationState, Status};
use app::server::services::partnerships::{
    foreign_authority_id, insert_many, Author, PartnershipInput,
};
use http::StatusCode;
use server::router;

/// Runs the checker on a feed; panics with what it says when the feed is not valid.
fn check_atom(feed: &str) {
    let python = std::env::var("ATLAS_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let file = std::env::temp_dir().join(format!("{}_feed.xml", common::unique_name()));
    std::fs::write(&file, feed).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/atom_check.py");
    let output = std::process::Command::new(&python)
        .arg(script)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("{python} {script}: {e} (make py-deps installs it)"));
    std::fs::remove_file(&file).ok();
    assert!(
        output.status.success(),
        "the feed is not valid Atom (or {python} lacks feedparser and lxml: make py-deps):\n{}{}\n{feed}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The text of each `<tag>` directly inside each `<entry>`, in order.
fn entry_values(feed: &str, tag: &str) -> Vec<String> {
    feed.split("<entry>")
        .skip(1)
        .map(|entry| {
            let open = format!("<{tag}>");
            let start = entry.find(&open).unwrap() + open.len();
            entry[start..start + entry[start..].find('<').unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn a_views_feed_is_valid_atom_newest_first_and_follows_its_filters() {
    let t = TestDb::new().await;
    app::server::services::demo::seed(&t.db, 120, 7, |_| {})
        .await
        .unwrap();
    let state = common::state(&t.db).await;
    let app = router(state.clone());

    let (status, headers, feed) = get(&app, "/api/v1/partnerships.atom").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[http::header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    check_atom(&feed);
    assert_eq!(feed.matches("<entry>").count(), 50, "the 50 newest");
    // An entry's summary ends with the beginning of its description, as the database holds it.
    let first_id = entry_values(&feed, "id").remove(0);
    let description = common::sql_strings(
        &t.db,
        &format!(
            "SELECT description FROM partnership WHERE id = {}",
            first_id.rsplit('/').next().unwrap()
        ),
    )
    .await
    .remove(0);
    let beginning: String = description.chars().take(40).collect();
    let first_entry = feed.split("<entry>").nth(1).unwrap();
    assert!(
        first_entry.contains(&app::server::export::xml::escape(&beginning)),
        "{first_entry} lacks {beginning:?}"
    );
    let updated = entry_values(&feed, "updated");
    assert!(
        updated.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {updated:?}"
    );

    // A view: the most common country and its most common parent theme; the same entries as
    // the search with those filters.
    let all = json(&app, "/api/v1/partnerships?per_page=1").await;
    let country = all["facets"]["country"][0]["value"].as_str().unwrap();
    let filtered = json(&app, &format!("/api/v1/partnerships?country={country}")).await;
    let theme = filtered["facets"]["theme"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t.get("parent").is_none() && t["count"].as_u64().unwrap() > 0)
        .max_by_key(|t| t["count"].as_u64())
        .unwrap()["value"]
        .as_str()
        .unwrap();
    let view = format!("country={country}&theme={theme}");
    let (status, _, feed) = get(&app, &format!("/api/v1/partnerships.atom?{view}")).await;
    assert_eq!(status, StatusCode::OK);
    check_atom(&feed);
    let search = json(&app, &format!("/api/v1/partnerships?{view}&per_page=100")).await;
    let mut expected: Vec<i64> = search["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    let mut listed: Vec<i64> = entry_values(&feed, "id")
        .iter()
        .map(|id| id.rsplit('/').next().unwrap().parse().unwrap())
        .collect();
    assert!(!listed.is_empty());
    assert_eq!(
        listed.len() as u64,
        search["total"].as_u64().unwrap().min(50)
    );
    if listed.len() == expected.len() {
        expected.sort();
        listed.sort();
        assert_eq!(listed, expected, "the feed's entries are the view's");
    }
    let escaped = view.replace('&', "&amp;");
    assert!(
        feed.contains(&format!("partnerships.atom?{escaped}\"")),
        "its self link"
    );
    assert!(
        feed.contains(&format!("/partenariats?{escaped}\"")),
        "its page"
    );

    // A partnership published now in that view comes first, its title as written, however
    // hostile.
    let partner = foreign_authority_id(&t.db, "Partenaire du flux", Some(country), None)
        .await
        .unwrap();
    let title = "Flux </title><script>alert(1)</script> & « guillemets » \u{1}";
    let txn = app::server::services::write(&t.db).await.unwrap();
    let new = insert_many(
        &txn,
        &[PartnershipInput {
            title: title.to_string(),
            status: Some(Status::Ongoing),
            theme_code: Some(theme.to_string()),
            publication_state: Some(PublicationState::Published),
            foreign_authority_ids: vec![partner],
            ..PartnershipInput::default()
        }],
        Author::default(),
    )
    .await
    .unwrap()[0];
    txn.commit().await.unwrap();
    state.search.follow(&t.db).await.unwrap();
    let (_, _, feed) = get(&app, &format!("/api/v1/partnerships.atom?{view}")).await;
    check_atom(&feed);
    let first = &entry_values(&feed, "id")[0];
    assert!(first.ends_with(&format!("/partenariats/{new}")), "{first}");
    assert!(feed.contains(
        "Flux &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; « guillemets » </title>"
    ));

    // Bad filters are refused as by the search, naming the parameter.
    let (status, _, body) = get(&app, "/api/v1/partnerships.atom?country=France").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("country"), "{body}");

    // The search page links to its feed, in the page's head and beside the CSV.
    let (_, _, html) = get(&app, &format!("/partenariats?{view}")).await;
    let href = format!("/api/v1/partnerships.atom?{}", view.replace('&', "&amp;"));
    assert!(
        html.matches(&href).count() >= 2
            || html
                .matches(&format!("/api/v1/partnerships.atom?{view}"))
                .count()
                >= 2,
        "the feed linked twice from the page"
    );
    assert!(
        html.contains(&format!("<link href=\"{href}\" rel=\"alternate\"")),
        "the feed in the page's head"
    );

    // In English: the same entries, the labels and the feed's own texts in English, and the
    // English page links to it.
    let (status, _, english) =
        get(&app, &format!("/api/v1/partnerships.atom?{view}&lang=en")).await;
    assert_eq!(status, StatusCode::OK);
    check_atom(&english);
    assert_eq!(entry_values(&english, "id"), entry_values(&feed, "id"));
    assert!(english.contains("xml:lang=\"en\""));
    assert!(feed.contains("xml:lang=\"fr\""));
    let english_title =
        &english[english.find("<title").unwrap()..english.find("</title>").unwrap()];
    let french_title = &feed[feed.find("<title").unwrap()..feed.find("</title>").unwrap()];
    assert_ne!(
        english_title, french_title,
        "{english_title} / {french_title}"
    );
    assert!(
        english.contains(&format!("partnerships.atom?{escaped}&amp;lang=en\"")),
        "its self link keeps its language"
    );
    let request = http::Request::get(format!("/partenariats?{view}"))
        .header("accept-language", "en")
        .body(axum::body::Body::empty())
        .unwrap();
    let (_, _, bytes) = common::send(&app, request).await;
    let page = String::from_utf8_lossy(&bytes);
    assert!(
        page.contains(&format!("{href}&amp;lang=en\" rel=\"alternate\"")),
        "the English page links to the English feed"
    );
    t.drop().await;
}
