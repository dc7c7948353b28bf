//! The open-data routes and the exploration pages, over the real router and database: every
//! search parameter, bad values, the exports parsed back.

use crate::common;

use common::{get, json, TestDb};
use http::StatusCode;
use serde_json::Value;
use server::router;

/// The seed page (Mantes-la-Jolie with Rabat) and 250 demo partnerships.
async fn app() -> (TestDb, axum::Router, i32) {
    let t = TestDb::new().await;
    app::server::services::demo::seed(&t.db, 250, 11, |_| {})
        .await
        .unwrap();
    let seed = common::import_seed(&t.db).await;
    let app = router(common::state(&t.db).await);
    (t, app, seed)
}

fn ids(body: &Value) -> Vec<i64> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

/// The ids a query finds, sorted.
async fn sql_ids(db: &sea_orm::DatabaseConnection, sql: &str) -> Vec<i64> {
    use sea_orm::{ConnectionTrait, Statement};
    let mut ids: Vec<i64> = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| i64::from(row.try_get_by_index::<i32>(0).unwrap()))
        .collect();
    ids.sort_unstable();
    ids
}

/// The ids of a CSV export, sorted.
async fn csv_ids(app: &axum::Router, uri: &str) -> Vec<i64> {
    let (status, _, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let mut ids: Vec<i64> = reader
        .records()
        .map(|r| r.unwrap()[0].parse().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

/// The published partnerships with a funding line of this kind, by the index's classifier.
async fn funder_ids(db: &sea_orm::DatabaseConnection, kind: app::models::FunderKind) -> Vec<i64> {
    let published = sql_ids(
        db,
        "SELECT id FROM partnership WHERE publication_state = 'published'",
    )
    .await;
    let mut ids: Vec<i64> = common::funder_kinds(db)
        .await
        .into_iter()
        .filter(|(_, k)| *k == kind)
        .map(|(id, _)| i64::from(id))
        .filter(|id| published.binary_search(id).is_ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[tokio::test]
async fn every_search_parameter_filters() {
    let (t, app, seed) = app().await;
    let all = json(&app, "/api/v1/partnerships?per_page=100").await;
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 250);
    assert_eq!(all["per_page"], 100);
    assert_eq!(all["items"].as_array().unwrap().len(), 100);
    for key in [
        "country",
        "zone",
        "theme",
        "status",
        "form",
        "start_year",
        "region",
        "funder",
        "departement",
        "authority_kind",
        "amount",
        "volunteers",
    ] {
        let values = all["facets"][key].as_array().unwrap();
        assert!(!values.is_empty(), "facet {key} is empty");
        for v in values {
            assert!(v["value"].is_string() && v["label"].is_string() && v["count"].is_u64());
        }
    }
    assert_eq!(all["licence"]["name"], "Licence Ouverte / Open Licence 2.0");
    assert!(all["last_change"].is_string());

    // Text: accents and case do not matter; the seed is found by its town.
    let found = json(&app, "/api/v1/partnerships?q=mantes%20JOLIE").await;
    assert!(ids(&found).contains(&(seed as i64)));
    let a = json(&app, "/api/v1/partnerships?q=S%C3%A9n%C3%A9gal").await;
    let b = json(&app, "/api/v1/partnerships?q=senegal").await;
    assert_eq!(a["total"], b["total"]);
    let titled = json(&app, "/api/v1/partnerships?q=structuration&per_page=100").await;
    let seed_item = titled["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == seed)
        .expect("the seed's title has the word");
    let hit = &seed_item["title_fragments"];
    assert!(hit.as_array().unwrap().iter().any(|f| f["hit"] == true));

    // Each filter narrows and its results respect it.
    let morocco = json(&app, "/api/v1/partnerships?country=MA&per_page=100").await;
    assert!(morocco["total"].as_u64().unwrap() < total);
    for item in morocco["items"].as_array().unwrap() {
        assert!(item["countries"].as_array().unwrap().contains(&"MA".into()));
    }
    let two = json(&app, "/api/v1/partnerships?country=MA&country=SN").await;
    let senegal = json(&app, "/api/v1/partnerships?country=SN").await;
    assert!(
        two["total"].as_u64().unwrap()
            >= morocco["total"]
                .as_u64()
                .unwrap()
                .max(senegal["total"].as_u64().unwrap())
    );
    let water = json(&app, "/api/v1/partnerships?theme=DUR.EAU&per_page=100").await;
    let water_child = json(&app, "/api/v1/partnerships?theme=DUR.EAU.POT").await;
    assert!(water["total"].as_u64().unwrap() >= water_child["total"].as_u64().unwrap());
    let recent = json(
        &app,
        "/api/v1/partnerships?start_year_min=2015&start_year_max=2018&per_page=100",
    )
    .await;
    for item in recent["items"].as_array().unwrap() {
        let year = item["start_year"].as_i64().unwrap();
        assert!((2015..=2018).contains(&year));
    }
    let mantes = json(&app, "/api/v1/partnerships?french_authority=78361").await;
    assert!(ids(&mantes).contains(&(seed as i64)));
    let idf = json(&app, "/api/v1/partnerships?region=11&departement=78").await;
    assert!(ids(&idf).contains(&(seed as i64)));
    // Each filter gives exactly the partnerships plain SQL finds.
    const PUBLISHED: &str =
        "SELECT p.id FROM partnership p WHERE p.publication_state = 'published'";
    for (filter, condition) in [
        ("zone=sub_saharan_africa", "EXISTS (SELECT 1 FROM partnership_foreign_partner pf JOIN foreign_authority fa ON fa.id = pf.foreign_authority_id JOIN country co ON co.iso2 = fa.country_iso2 WHERE pf.partnership_id = p.id AND co.zone = 'sub_saharan_africa')"),
        ("status=completed", "p.status = 'completed'"),
        ("form=JUMELAGE", "p.form_code = 'JUMELAGE'"),
        ("authority_kind=region", "EXISTS (SELECT 1 FROM partnership_french_partner fp JOIN collectivity c ON c.id = fp.collectivity_id WHERE fp.partnership_id = p.id AND c.kind = 'region')"),
        ("amount=200k_1m", "(SELECT COALESCE(SUM(f.amount_cents), 0) FROM funding f WHERE f.partnership_id = p.id) BETWEEN 20000000 AND 99999999"),
        ("volunteers=yes", "EXISTS (SELECT 1 FROM volunteer v WHERE v.partnership_id = p.id)"),
        ("agreement_year_min=2010", "p.first_agreement_year >= 2010"),
        ("french_authority=commune-78361", "EXISTS (SELECT 1 FROM partnership_french_partner fp JOIN collectivity c ON c.id = fp.collectivity_id WHERE fp.partnership_id = p.id AND c.kind = 'commune' AND c.code = '78361')"),
    ] {
        let expected = sql_ids(&t.db, &format!("{PUBLISHED} AND {condition}")).await;
        let got = csv_ids(&app, &format!("/api/v1/partnerships.csv?{filter}")).await;
        assert!(!expected.is_empty() && (expected.len() as u64) < total, "{filter}: {} of {total}", expected.len());
        assert_eq!(got, expected, "{filter}");
    }
    let state_funded = funder_ids(&t.db, app::models::FunderKind::State).await;
    let got = csv_ids(&app, "/api/v1/partnerships.csv?funder=state").await;
    assert!(!state_funded.is_empty() && (state_funded.len() as u64) < total);
    assert_eq!(got, state_funded, "funder=state");

    // Pages and sorts.
    let page2 = json(&app, "/api/v1/partnerships?page=2&per_page=10&sort=title").await;
    assert_eq!(page2["page"], 2);
    let page1 = json(&app, "/api/v1/partnerships?per_page=10&sort=title").await;
    let last_of_1 = page1["items"][9]["title"].as_str().unwrap().to_lowercase();
    let first_of_2 = page2["items"][0]["title"].as_str().unwrap().to_lowercase();
    assert!(deunicode::deunicode(&last_of_1) <= deunicode::deunicode(&first_of_2));
    let by_amount = json(&app, "/api/v1/partnerships?sort=amount&per_page=5").await;
    let amounts: Vec<f64> = by_amount["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["total_amount_eur"].as_f64().unwrap())
        .collect();
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "{amounts:?}");
    let by_year = json(&app, "/api/v1/partnerships?sort=start_year&per_page=5").await;
    let years: Vec<i64> = by_year["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["start_year"].as_i64().unwrap_or(0))
        .collect();
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");
    t.drop().await;
}

#[tokio::test]
async fn bad_parameters_are_400s_that_name_the_field() {
    let (t, app, _) = app().await;
    for (uri, field) in [
        ("/api/v1/partnerships?country=FRA", "country"),
        ("/api/v1/partnerships?zone=mars", "zone"),
        ("/api/v1/partnerships?status=done", "status"),
        ("/api/v1/partnerships?start_year_min=abc", "start_year_min"),
        ("/api/v1/partnerships?start_year_max=1200", "start_year_max"),
        ("/api/v1/partnerships?funder=bank", "funder"),
        ("/api/v1/partnerships?page=0", "page"),
        ("/api/v1/partnerships?per_page=101", "per_page"),
        ("/api/v1/partnerships?sort=random", "sort"),
        ("/api/v1/partnerships?colour=blue", "colour"),
        ("/api/v1/partnerships.csv?status=done", "status"),
    ] {
        let (status, _, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        let json: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["fields"][0]["field"], field, "{uri}: {body}");
        assert!(!json["fields"][0]["message"].as_str().unwrap().is_empty());
    }
    // Well-formed values that no partnership has match nothing: not an error (a country, a
    // theme or a band can have some tomorrow), and nothing else is lost beside them.
    for uri in [
        "/api/v1/partnerships?country=ZZ",
        "/api/v1/partnerships?theme=NOPE",
        "/api/v1/partnerships?form=XYZ",
        "/api/v1/partnerships?french_authority=00000",
        "/api/v1/partnerships?region=99",
        "/api/v1/partnerships?departement=000",
        "/api/v1/partnerships?foreign_partner=999999",
    ] {
        let (status, _, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        let json: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["total"], 0, "{uri}");
    }
    let morocco = json(&app, "/api/v1/partnerships?country=MA").await["total"].clone();
    assert!(morocco.as_u64().unwrap() > 0);
    let with_zz = json(&app, "/api/v1/partnerships?country=MA&country=ZZ").await;
    assert_eq!(with_zz["total"], morocco);
    let (status, _, xml) = get(&app, "/api/v1/partnerships.iati.xml?country=ZZ").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!xml.contains("<iati-activity"), "{xml}");
    t.drop().await;
}

#[tokio::test]
async fn exports_parse_back() {
    let (t, app, seed) = app().await;
    let (status, headers, body) = get(&app, "/api/v1/partnerships.csv?country=MA").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(headers["link"]
        .to_str()
        .unwrap()
        .contains("licence-ouverte"));
    assert!(headers.contains_key("last-modified"));
    assert_eq!(headers["access-control-allow-origin"], "*");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let expected = json(&app, "/api/v1/partnerships?country=MA").await;
    assert_eq!(rows.len() as u64, expected["total"].as_u64().unwrap());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let seed_row = rows
        .iter()
        .find(|r| r[col("id")] == seed.to_string())
        .expect("the seed is in the Moroccan export");
    assert_eq!(&seed_row[col("countries")], "MA");
    assert_eq!(&seed_row[col("french_partner_codes")], "commune-78361");
    assert_eq!(&seed_row[col("total_amount_eur")], "113850.00");
    assert!(rows.iter().all(|r| r[col("countries")].contains("MA")));

    // The Table Schema describes exactly these columns.
    let schema = json(&app, "/api/v1/schema/partnerships.json").await;
    let names: Vec<&str> = schema["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, header);
    assert_eq!(schema["licenses"][0]["name"], "etalab-2.0");
    assert!(schema["lastModified"].is_string());

    let (status, headers, xml) = get(&app, "/api/v1/partnerships.iati.xml?country=MA").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"].to_str().unwrap().contains("xml"));
    assert!(xml.contains("Licence Ouverte"));
    let activities = xml.matches("<iati-activity ").count() as u64;
    assert_eq!(activities, expected["total"].as_u64().unwrap());
    assert!(xml.trim_end().ends_with("</iati-activities>"));
    // Compressed, as a client that says so gets it: whole (the stream panicked when the
    // compression asked for more after its end, and the answer was cut).
    for encoding in ["gzip", "br"] {
        let request = http::Request::get("/api/v1/partnerships.iati.xml?country=MA")
            .header("accept-encoding", encoding)
            .body(axum::body::Body::empty())
            .unwrap();
        let (status, headers, body) = common::send(&app, request).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-encoding"], encoding);
        assert!(!body.is_empty());
    }

    // The sectors' vocabulary is served where their vocabulary-uri points.
    let themes = json(&app, "/api/v1/themes").await;
    let items = themes["items"].as_array().unwrap();
    let by_code: std::collections::HashMap<&str, &Value> = items
        .iter()
        .map(|t| (t["code"].as_str().unwrap(), t))
        .collect();
    assert_eq!(by_code["DUR.EAU"]["label_fr"], "Eau et assainissement");
    for theme in items {
        match theme["parent"].as_str() {
            None => assert_eq!(theme["level"], 1, "{theme}"),
            Some(parent) => assert_eq!(
                theme["level"].as_i64().unwrap(),
                by_code[parent]["level"].as_i64().unwrap() + 1,
                "{theme}"
            ),
        }
    }
    let sectors: Vec<&str> = xml
        .split("<sector ")
        .skip(1)
        .map(|s| {
            s.split("code=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    assert!(!sectors.is_empty());
    for code in sectors {
        assert!(
            by_code.contains_key(code),
            "sector {code} not in /api/v1/themes"
        );
    }
    assert!(xml.contains("/api/v1/themes\""));
    t.drop().await;
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let (t, app, _) = app().await;
    let doc = json(&app, "/api/v1/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/partnerships",
        "/api/v1/partnerships.csv",
        "/api/v1/partnerships.iati.xml",
        "/api/v1/partnerships/{id}",
        "/api/v1/schema/partnerships.json",
        "/api/v1/themes",
        "/api/v1/openapi.json",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} missing");
    }
    for (method, path) in [
        ("post", "/api/v1/auth/login"),
        ("post", "/api/v1/auth/logout"),
        ("get", "/api/v1/auth/me"),
        ("get", "/api/v1/me/tokens"),
        ("post", "/api/v1/me/tokens"),
        ("delete", "/api/v1/me/tokens/{id}"),
        ("get", "/api/v1/admin/accounts"),
        ("get", "/api/v1/admin/accounts/{id}"),
        ("put", "/api/v1/admin/accounts/{id}"),
        ("get", "/api/v1/admin/themes"),
        ("post", "/api/v1/admin/themes"),
        ("get", "/api/v1/admin/themes/{code}"),
        ("put", "/api/v1/admin/themes/{code}"),
        ("delete", "/api/v1/admin/themes/{code}"),
        ("get", "/api/v1/admin/forms"),
        ("put", "/api/v1/admin/forms/{code}"),
        ("get", "/api/v1/admin/embassies"),
        ("get", "/api/v1/admin/embassies/{country}"),
        ("put", "/api/v1/admin/embassies/{country}"),
        ("delete", "/api/v1/admin/embassies/{country}"),
        ("post", "/api/v1/partnerships"),
        ("put", "/api/v1/partnerships/{id}"),
        ("post", "/api/v1/partnerships/{id}/submit"),
        ("get", "/api/v1/me/partnerships"),
        ("get", "/api/v1/moderation/queue"),
        ("post", "/api/v1/moderation/{id}/{decision}"),
        ("post", "/api/v1/moderation/approve"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
    let params = doc["paths"]["/api/v1/partnerships"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let names: Vec<&str> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
    for name in [
        "q",
        "country",
        "theme",
        "start_year_min",
        "page",
        "per_page",
        "sort",
    ] {
        assert!(names.contains(&name), "{name} not documented");
    }
    let (_, headers, _) = get(&app, "/carte/monde.svg?country=SN").await;
    assert_eq!(headers["content-type"], "image/svg+xml; charset=utf-8");
    t.drop().await;
}

#[tokio::test]
async fn exploration_pages_render_on_the_server() {
    let (t, app, seed) = app().await;
    let (status, _, html) = get(&app, "/partenariats?q=structuration&country=MA").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Maroc"), "country chip");
    assert!(html.contains("<mark>"), "highlighted match");
    assert!(html.contains(&format!("/partenariats/{seed}-")));
    assert!(html.contains(r#"name="q""#) && html.contains(r#"method="get""#));
    for noise in ["???", "pagination.page"] {
        assert!(!html.contains(noise));
    }
    let (status, _, html) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("facet-value"));

    let (status, _, html) = get(&app, "/pays/MA").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Maroc</h1>"));
    assert!(html.contains("Ambassade de France à Rabat"));
    assert!(html.contains(r#"<link href="http://atlas.test/pays/MA" rel="canonical">"#));
    for address in [
        "/collectivites/commune-78361",
        "/collectivites/78361",
        "/collectivites/217803618",
    ] {
        let (status, _, html) = get(&app, address).await;
        assert_eq!(status, StatusCode::OK, "{address}");
        assert!(html.contains("Mantes-la-Jolie"), "{address}");
        assert!(html.contains("/pays/MA"), "{address}");
        // Absolute, from the configured public address (never the request's Host).
        assert!(
            html.contains(
                r#"<link href="http://atlas.test/collectivites/commune-78361" rel="canonical">"#
            ),
            "{address}"
        );
    }
    let partner: Value = json(&app, &format!("/api/v1/partnerships/{seed}")).await;
    let partner_id = partner["foreign_partners"][0]["id"].as_i64().unwrap();
    let (status, _, html) = get(&app, &format!("/partenaires/{partner_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Municipalité de Rabat"));
    let (status, _, html) = get(&app, "/statistiques?country=MA").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<svg") && html.contains("<desc"));
    assert!(html.contains("<table"));
    // The open data page links every address that answers, and credits the map data.
    let (status, _, html) = get(&app, "/donnees-ouvertes").await;
    assert_eq!(status, StatusCode::OK);
    let mut linked = 0;
    for href in html.split("href=\"/api/v1/").skip(1) {
        let path = format!(
            "/api/v1/{}",
            href.split('"').next().unwrap().replace("&amp;", "&")
        );
        let (status, _, _) = get(&app, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        linked += 1;
    }
    assert!(linked >= 7, "{linked} API links");
    assert!(html.contains("creativecommons.org/licenses/by/4.0"));
    assert!(html.contains("Natural Earth"));
    let (_, _, map) = get(&app, "/carte").await;
    assert!(map.contains("/donnees-ouvertes#credits"));
    for uri in ["/pays/ZZ", "/collectivites/00000", "/partenaires/999999"] {
        let (status, _, _) = get(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
    }
    t.drop().await;
}

/// An export streams from the snapshot of the index it started with: partnerships unpublished
/// and a full rebuild meanwhile change none of its rows.
#[tokio::test]
async fn an_export_reads_one_snapshot_while_the_index_changes() {
    use http_body_util::BodyExt;
    use sea_orm::ConnectionTrait;
    use tower::ServiceExt;
    let t = TestDb::new().await;
    app::server::services::demo::seed(&t.db, 2_600, 13, |_| {})
        .await
        .unwrap();
    let state = common::state(&t.db).await;
    let app = router(state.clone());
    let before = sql_ids(
        &t.db,
        "SELECT id FROM partnership WHERE publication_state = 'published'",
    )
    .await;
    let titles: std::collections::HashMap<String, String> = {
        let (_, _, body) = get(&app, "/api/v1/partnerships.csv").await;
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].to_string(), r[2].to_string())
            })
            .collect()
    };

    let request = http::Request::get("/api/v1/partnerships.csv")
        .body(axum::body::Body::empty())
        .unwrap();
    let mut body = app.clone().oneshot(request).await.unwrap().into_body();
    let mut bytes = Vec::new();
    for _ in 0..2 {
        let frame = body.frame().await.unwrap().unwrap();
        bytes.extend_from_slice(frame.data_ref().unwrap());
    }
    // Meanwhile: a seventh of the partnerships are withdrawn, renamed, the index refreshed and
    // then rebuilt from scratch.
    let withdrawn: Vec<i32> = before
        .iter()
        .filter(|id| *id % 7 == 0)
        .map(|id| *id as i32)
        .collect();
    t.db.execute_unprepared(
        "UPDATE partnership SET publication_state = 'archived', title = 'changé' WHERE id % 7 = 0",
    )
    .await
    .unwrap();
    state.search.refresh(&t.db, &withdrawn).await.unwrap();
    t.db.execute_unprepared(
        "UPDATE partnership SET title = 'renommé', updated_at = CURRENT_TIMESTAMP WHERE id % 5 = 0",
    )
    .await
    .unwrap();
    assert!(state.search.rebuild_if_changed(&t.db).await.unwrap());
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.unwrap().into_data() {
            bytes.extend_from_slice(&data);
        }
    }
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    let mut seen = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(
            titles.get(&record[0]).map(String::as_str),
            Some(&record[2]),
            "row {} is not the one of the snapshot",
            &record[0]
        );
        seen.push(record[0].parse::<i64>().unwrap());
    }
    seen.sort_unstable();
    assert_eq!(seen, before, "every row of the snapshot, once");
    // A new export sees the change.
    let after = csv_ids(&app, "/api/v1/partnerships.csv").await;
    assert_eq!(after.len(), before.len() - withdrawn.len());
    t.drop().await;
}

/// Cells a spreadsheet would run as formulas come out as text.
#[tokio::test]
async fn formula_cells_are_neutralised() {
    use sea_orm::ConnectionTrait;
    let (t, _, seed) = app().await;
    t.db.execute_unprepared(&format!(
        "UPDATE partnership SET title = '=HYPERLINK(\"http://evil.example\")', updated_at = CURRENT_TIMESTAMP WHERE id = {seed}"
    ))
    .await
    .unwrap();
    let state_app = router(common::state(&t.db).await);
    let (_, _, body) = get(&state_app, "/api/v1/partnerships.csv").await;
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| r[0] == seed.to_string())
        .unwrap();
    assert_eq!(&row[2], "'=HYPERLINK(\"http://evil.example\")");
    let schema = json(&state_app, "/api/v1/schema/partnerships.json").await;
    assert!(schema["description"]
        .as_str()
        .unwrap()
        .contains("apostrophe"));
    t.drop().await;
}
