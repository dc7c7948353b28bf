//! French authorities: one identity each, names matched to the right one on SQLite and
//! PostgreSQL alike, old addresses still answering, ambiguous codes listed, never picked.

use crate::common;

use app::server::services::authorities::{self, Found, Matcher};
use common::{get, TestDb};
use http::StatusCode;
use server::router;

/// Real names as the legacy atlas and its users write them, with the authority meant;
/// `None` when no single authority may be picked.
const NAMES: &[(&str, Option<&str>)] = &[
    // Communes.
    ("Mantes la Jolie", Some("commune-78361")),
    ("Chambéry", Some("commune-73065")),
    ("Paris", Some("commune-75056")),
    ("Ville de Paris", Some("commune-75056")),
    ("Lyon", Some("commune-69123")),
    ("Marseille", Some("commune-13055")),
    ("Commune de La Rochelle", Some("commune-17300")),
    ("Ville du Havre", Some("commune-76351")),
    ("Saint-Étienne", Some("commune-42218")),
    ("St Etienne", Some("commune-42218")),
    ("Mairie de Grenoble", Some("commune-38185")),
    ("Ville-d'Avray", Some("commune-92077")),
    ("Commune de Mayenne", Some("commune-53147")),
    ("Cayenne", Some("commune-97302")),
    ("Mamoudzou", Some("commune-97611")),
    ("Ajaccio", Some("commune-2A004")),
    ("Saint-Denis (93)", Some("commune-93066")),
    ("Saint-Denis (La Réunion)", Some("commune-97411")),
    ("Saint-Denis", None),
    ("Commune de Bretagne", None),
    // Groupings of communes.
    ("Grand Chambéry", Some("epci-200069110")),
    ("CA du Grand Chambéry", Some("epci-200069110")),
    (
        "Communauté d'agglomération du Grand Chambéry",
        Some("epci-200069110"),
    ),
    ("Métropole de Lyon", Some("epci-200046977")),
    ("Grand Lyon", Some("epci-200046977")),
    ("Bordeaux Métropole", Some("epci-243300316")),
    ("Métropole de Bordeaux", Some("epci-243300316")),
    ("Eurométropole de Strasbourg", Some("epci-246700488")),
    ("Nantes Métropole", Some("epci-244400404")),
    ("Métropole européenne de Lille", Some("epci-200093201")),
    ("Communauté urbaine de Dunkerque", Some("epci-245900428")),
    ("Métropole du Grand Paris", Some("epci-200054781")),
    // Départements, among them codes shared with a région.
    ("Mayenne", Some("departement-53")),
    ("Allier", Some("departement-03")),
    ("Département de la Mayenne", Some("departement-53")),
    (
        "Conseil départemental d'Ille-et-Vilaine",
        Some("departement-35"),
    ),
    (
        "Conseil général de la Seine-Saint-Denis",
        Some("departement-93"),
    ),
    ("Département de Paris", Some("departement-75")),
    ("Département du Nord", Some("departement-59")),
    ("Conseil départemental de l'Aisne", Some("departement-02")),
    ("Département de l'Ain", Some("departement-01")),
    ("Département des Hauts-de-Seine", Some("departement-92")),
    ("Corse-du-Sud", Some("departement-2A")),
    (
        "Conseil départemental de La Réunion",
        Some("departement-974"),
    ),
    ("Département de la Guadeloupe", Some("departement-971")),
    // Régions.
    ("Bretagne", Some("region-53")),
    ("Région Bretagne", Some("region-53")),
    ("Conseil régional d'Île-de-France", Some("region-11")),
    ("Région Nouvelle-Aquitaine", Some("region-75")),
    ("Région Sud", Some("region-93")),
    ("Provence-Alpes-Côte d'Azur", Some("region-93")),
    ("Région Hauts-de-France", Some("region-32")),
    ("Grand Est", Some("region-44")),
    ("Région Auvergne-Rhône-Alpes", Some("region-84")),
    ("Occitanie", Some("region-76")),
    ("Normandie", Some("region-28")),
    ("Centre-Val de Loire", Some("region-24")),
    ("Région Pays de la Loire", Some("region-52")),
    ("Bourgogne-Franche-Comté", Some("region-27")),
    ("Collectivité de Corse", Some("region-94")),
    ("Région Guadeloupe", Some("region-01")),
    ("Martinique", Some("region-02")),
    ("La Réunion", Some("region-04")),
    // Overseas collectivities.
    ("Saint-Pierre-et-Miquelon", Some("com-975")),
    ("Saint-Barthélemy", Some("com-977")),
    ("Collectivité de Saint-Martin", Some("com-978")),
    ("Polynésie française", Some("com-987")),
    ("Nouvelle-Calédonie", Some("com-988")),
    // Nothing.
    ("Syndicat des eaux de Nulle-Part", None),
    ("Conseil régional de Narnia", None),
];

#[tokio::test]
async fn names_resolve_to_the_authority_meant() {
    let t = TestDb::new().await;
    let matcher = Matcher::load(&t.db).await.unwrap();
    let mut wrong = Vec::new();
    for (name, expected) in NAMES {
        let got = match matcher.resolve(name) {
            Found::One((_, id)) => Some(id.to_string()),
            Found::Several(_) | Found::None => None,
        };
        if got.as_deref() != *expected {
            wrong.push(format!("{name}: {got:?}, expected {expected:?}"));
        }
    }
    assert!(NAMES.len() >= 40);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // An ambiguous name lists its candidates with their identities.
    let Found::Several(candidates) = matcher.resolve("Saint-Denis") else {
        panic!("Saint-Denis is ambiguous");
    };
    let ids: Vec<String> = candidates.iter().map(|(_, id)| id.to_string()).collect();
    assert!(ids.contains(&"commune-93066".to_string()), "{ids:?}");
    assert!(ids.contains(&"commune-97411".to_string()), "{ids:?}");
    t.drop().await;
}

#[tokio::test]
async fn codes_find_one_authority_or_list_them() {
    let t = TestDb::new().await;
    let one = |found: Found<app::server::entities::collectivity::Model>| match found {
        Found::One(c) => authorities::identity(&c).unwrap().to_string(),
        other => panic!("{other:?}"),
    };
    let db = &t.db;
    assert_eq!(
        one(authorities::find(db, "departement-75").await.unwrap()),
        "departement-75"
    );
    assert_eq!(
        one(authorities::find(db, "region-75").await.unwrap()),
        "region-75"
    );
    assert_eq!(
        one(authorities::find(db, "commune-75056").await.unwrap()),
        "commune-75056"
    );
    assert_eq!(
        one(authorities::find(db, "75056").await.unwrap()),
        "commune-75056"
    );
    assert_eq!(
        one(authorities::find(db, "217500016").await.unwrap()),
        "commune-75056"
    );
    assert_eq!(
        one(authorities::find(db, "200069110").await.unwrap()),
        "epci-200069110"
    );
    assert_eq!(one(authorities::find(db, "975").await.unwrap()), "com-975");
    assert_eq!(
        one(authorities::find(db, "2a").await.unwrap()),
        "departement-2A"
    );
    // The 18 codes shared by a département and a région answer both.
    for code in [
        "01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76",
        "84", "93", "94",
    ] {
        let Found::Several(rows) = authorities::find(db, code).await.unwrap() else {
            panic!("{code} is shared");
        };
        let kinds: Vec<&str> = rows.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["region", "departement"], "{code}");
    }
    for nothing in ["departement-00", "00000", "x", "../etc", "commune-75"] {
        assert_eq!(
            authorities::find(db, nothing).await.unwrap(),
            Found::None,
            "{nothing}"
        );
    }
    // The overseas collectivities are one authority each, not a région and a département.
    use app::server::entities::collectivity;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let spm = collectivity::Entity::find()
        .filter(collectivity::Column::Code.eq("975"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(spm, 1);
    t.drop().await;
}

#[tokio::test]
async fn every_authority_has_its_page_and_old_addresses_answer() {
    let t = TestDb::new().await;
    app::server::services::demo::seed(&t.db, 120, 5, |_| {})
        .await
        .unwrap();
    let app = router(common::state(&t.db).await);
    for (address, title) in [
        ("/collectivites/departement-75", "<h1>Paris</h1>"),
        ("/collectivites/region-75", "<h1>Nouvelle-Aquitaine</h1>"),
        ("/collectivites/departement-53", "<h1>Mayenne</h1>"),
        ("/collectivites/region-53", "<h1>Bretagne</h1>"),
        ("/collectivites/commune-75056", "<h1>Paris</h1>"),
        ("/collectivites/75056", "<h1>Paris</h1>"),
        ("/collectivites/217500016", "<h1>Paris</h1>"),
        ("/collectivites/200069110", "<h1>CA du Grand Chambéry</h1>"),
        (
            "/collectivites/com-975",
            "<h1>Saint-Pierre-et-Miquelon</h1>",
        ),
    ] {
        let (status, _, html) = get(&app, address).await;
        assert_eq!(status, StatusCode::OK, "{address}");
        assert!(html.contains(title), "{address}: no {title}");
    }
    // A shared code: a small page that lists both, never a silent pick.
    let (status, _, html) = get(&app, "/collectivites/75").await;
    assert_eq!(status, StatusCode::MULTIPLE_CHOICES);
    assert!(html.contains(r#"href="/collectivites/departement-75""#));
    assert!(html.contains(r#"href="/collectivites/region-75""#));
    assert!(html.contains("Nouvelle-Aquitaine") && html.contains("Paris"));
    let (status, _, _) = get(&app, "/collectivites/departement-00").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The facet tells a département from the région of the same code.
    let dep = common::json(&app, "/api/v1/partnerships?french_authority=departement-75").await;
    let region = common::json(&app, "/api/v1/partnerships?french_authority=region-75").await;
    let both = common::json(&app, "/api/v1/partnerships?french_authority=75").await;
    let total = |v: &serde_json::Value| v["total"].as_u64().unwrap();
    assert!(
        total(&both) >= total(&dep).max(total(&region)),
        "the bare code matches both"
    );
    t.drop().await;
}

#[tokio::test]
async fn redirects_stay_on_the_site() {
    let t = TestDb::new().await;
    let app = router(common::state(&t.db).await);
    for attempt in [
        "//evil.example",
        "/%5Cevil.example",
        "/%5cevil.example",
        "%2F%2Fevil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "/%09/evil.example",
        "%5C%5Cevil.example",
    ] {
        let (status, headers, _) = get(&app, &format!("/langue/en?retour={attempt}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{attempt}");
        assert_eq!(headers["location"], "/", "{attempt}");
    }
    let (_, headers, _) = get(&app, "/langue/en?retour=/pays/MA%3Fx%3D1").await;
    assert_eq!(headers["location"], "/pays/MA?x=1");
    t.drop().await;
}

#[tokio::test]
async fn no_personal_email_in_the_open_data() {
    let t = TestDb::new().await;
    let id = common::import_seed(&t.db).await;
    let app = router(common::state(&t.db).await);
    for uri in [
        format!("/api/v1/partnerships/{id}"),
        "/api/v1/partnerships?per_page=100".to_string(),
        "/api/v1/partnerships.csv".to_string(),
        "/api/v1/partnerships.iati.xml".to_string(),
    ] {
        let (status, _, body) = get(&app, &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        for email in ["sabahboucham@gmail.com", "frederick.coopdec@gmail.com"] {
            assert!(!body.contains(email), "{uri} hands out {email}");
        }
        assert!(!body.contains("@gmail"), "{uri}");
    }
    // The page still shows them to readers, concealed.
    let (_, _, html) = get(&app, &format!("/partenariats/{id}-accompagnement")).await;
    assert!(!html.contains("sabahboucham@gmail.com"));
    assert!(html.contains(&app::models::conceal_email("sabahboucham@gmail.com")));
    t.drop().await;
}

/// A database loaded before the overseas collectivities had their kind (once as a région, once
/// as a département) is mended by the migration, links included.
#[tokio::test]
async fn the_migration_merges_overseas_collectivities_loaded_twice() {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::ConnectionTrait;
    let t = TestDb::new().await;
    let id = common::import_seed(&t.db).await;
    for sql in [
        "INSERT INTO collectivity (kind, code, name, search_name, region_code) \
         SELECT 'region', code, name, search_name, code FROM collectivity WHERE kind = 'com'"
            .to_string(),
        "UPDATE collectivity SET kind = 'departement' WHERE kind = 'com'".to_string(),
        format!(
            "UPDATE partnership_french_partner SET collectivity_id = \
             (SELECT id FROM collectivity WHERE kind = 'region' AND code = '975') \
             WHERE partnership_id = {id}"
        ),
    ] {
        t.db.execute_unprepared(&sql).await.unwrap();
    }
    // Back to before the overseas migration (the migrations after it go down and up too).
    let after = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name().contains("overseas_collectivities"))
        .unwrap() as u32;
    Migrator::down(&t.db, Some(after + 1)).await.unwrap();
    Migrator::up(&t.db, None).await.unwrap();
    let rows = common::sql_strings(
        &t.db,
        "SELECT kind FROM collectivity WHERE code IN ('975', '988') ORDER BY code",
    )
    .await;
    assert_eq!(rows, ["com", "com"]);
    let p = app::server::services::partnerships::get_published(&t.db, id)
        .await
        .unwrap();
    assert_eq!(p.french_partners[0].code.as_deref(), Some("com-975"));
    t.drop().await;
}

#[tokio::test]
async fn the_api_finds_authorities_by_code_and_first_letters() {
    let t = TestDb::new().await;
    let app = router(common::state(&t.db).await);
    let found = common::json(&app, "/api/v1/authorities?q=Chamb").await;
    assert_eq!(found["items"][0]["id"], "commune-73065", "{found}");
    let grouping = common::json(&app, "/api/v1/authorities?q=grand%20chamb").await;
    let ids: Vec<&str> = grouping["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"epci-200069110"), "{ids:?}");
    let (status, _, body) = get(&app, "/api/v1/authorities?q=c").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains(r#""field":"q""#), "{body}");

    let paris = common::json(&app, "/api/v1/authorities/departement-75").await;
    assert_eq!(paris["name"], "Paris");
    assert_eq!(paris["page"], "/collectivites/departement-75");
    let (status, _, body) = get(&app, "/api/v1/authorities/75").await;
    assert_eq!(status, StatusCode::MULTIPLE_CHOICES);
    let shared: serde_json::Value = serde_json::from_str(&body).unwrap();
    let ids: Vec<&str> = shared["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["region-75", "departement-75"]);
    let (status, _, _) = get(&app, "/api/v1/authorities/nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    t.drop().await;
}
