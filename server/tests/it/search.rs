//! The in-memory facet index against plain SQL counts, on random filter mixes over the demo
//! data, on SQLite and on PostgreSQL.

use crate::common;

use app::models::{AmountBand, Facet, SearchQuery};
use app::server::search::{load, SearchIndex};
use app::server::services::demo::{self, Rng};
use common::TestDb;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

fn quote(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("'{}'", v.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
}

const FRENCH: &str = "SELECT 1 FROM partnership_french_partner fp JOIN collectivity c ON c.id = fp.collectivity_id WHERE fp.partnership_id = p.id";
const FOREIGN: &str = "SELECT 1 FROM partnership_foreign_partner pf JOIN foreign_authority fa ON fa.id = pf.foreign_authority_id";

/// The SQL condition of one facet's filter, `None` when the query does not filter on it.
fn condition(query: &SearchQuery, facet: Facet) -> Option<String> {
    let codes = |v: &[String]| (!v.is_empty()).then(|| quote(v));
    let years = |column: &str, min: Option<i32>, max: Option<i32>| {
        (min.is_some() || max.is_some()).then(|| {
            format!(
                "p.{column} IS NOT NULL AND p.{column} >= {} AND p.{column} <= {}",
                min.unwrap_or(i32::MIN),
                max.unwrap_or(i32::MAX)
            )
        })
    };
    match facet {
        Facet::Country => codes(&query.country).map(|s| {
            format!("EXISTS ({FOREIGN} WHERE pf.partnership_id = p.id AND fa.country_iso2 IN ({s}))")
        }),
        Facet::Zone => {
            let zones: Vec<String> = query.zone.iter().map(|z| z.code().to_string()).collect();
            codes(&zones).map(|s| {
                format!("EXISTS ({FOREIGN} JOIN country co ON co.iso2 = fa.country_iso2 WHERE pf.partnership_id = p.id AND co.zone IN ({s}))")
            })
        }
        Facet::Theme => codes(&query.theme).map(|s| {
            format!(
                "EXISTS (SELECT 1 FROM theme t LEFT JOIN theme t2 ON t2.code = t.parent_code \
                 WHERE (t.code = p.theme_code OR t.code IN (SELECT theme_code FROM partnership_theme pt WHERE pt.partnership_id = p.id)) \
                 AND (t.code IN ({s}) OR t.parent_code IN ({s}) OR t2.parent_code IN ({s})))"
            )
        }),
        Facet::Status => {
            let v: Vec<String> = query.status.iter().map(|s| s.code().to_string()).collect();
            codes(&v).map(|s| format!("p.status IN ({s})"))
        }
        Facet::Form => codes(&query.form).map(|s| format!("p.form_code IN ({s})")),
        Facet::StartYear => years("start_year", query.start_year_min, query.start_year_max),
        Facet::AgreementYear => years(
            "first_agreement_year",
            query.agreement_year_min,
            query.agreement_year_max,
        ),
        Facet::AuthorityKind => {
            let v: Vec<String> = query
                .authority_kind
                .iter()
                .map(|k| k.code().to_string())
                .collect();
            codes(&v).map(|s| format!("EXISTS ({FRENCH} AND c.kind IN ({s}))"))
        }
        Facet::Region => codes(&query.region).map(|s| {
            format!("EXISTS ({FRENCH} AND (c.region_code IN ({s}) OR (c.kind = 'region' AND c.code IN ({s}))))")
        }),
        Facet::Departement => codes(&query.departement).map(|s| {
            format!("EXISTS ({FRENCH} AND (c.departement_code IN ({s}) OR (c.kind = 'departement' AND c.code IN ({s}))))")
        }),
        Facet::FrenchAuthority => codes(&query.french_authority)
            .map(|s| format!("EXISTS ({FRENCH} AND (c.kind || '-' || c.code) IN ({s}))")),
        Facet::ForeignPartner => (!query.foreign_partner.is_empty()).then(|| {
            let ids: Vec<String> = query.foreign_partner.iter().map(|i| i.to_string()).collect();
            format!(
                "EXISTS (SELECT 1 FROM partnership_foreign_partner pf WHERE pf.partnership_id = p.id AND pf.foreign_authority_id IN ({}))",
                ids.join(", ")
            )
        }),
        Facet::Amount => (!query.amount.is_empty()).then(|| {
            let total = "(SELECT COALESCE(SUM(f.amount_cents), 0) FROM funding f WHERE f.partnership_id = p.id)";
            let bands: Vec<String> = query
                .amount
                .iter()
                .map(|band| {
                    let (low, high) = match band {
                        AmountBand::None => (i64::MIN, 0),
                        AmountBand::Under10k => (1, 999_999),
                        AmountBand::From10kTo50k => (1_000_000, 4_999_999),
                        AmountBand::From50kTo200k => (5_000_000, 19_999_999),
                        AmountBand::From200kTo1m => (20_000_000, 99_999_999),
                        AmountBand::Over1m => (100_000_000, i64::MAX),
                    };
                    format!("({total} BETWEEN {low} AND {high})")
                })
                .collect();
            format!("({})", bands.join(" OR "))
        }),
        Facet::Volunteers => query.volunteers.map(|yes| {
            let exists = "EXISTS (SELECT 1 FROM volunteer v WHERE v.partnership_id = p.id)";
            if yes {
                exists.to_string()
            } else {
                format!("NOT {exists}")
            }
        }),
        // Funder kinds are worked out in Rust from names: `funder_kind` holds each funding
        // line's kind, written by the test with the same classifier.
        Facet::Funder => {
            let v: Vec<String> = query.funder.iter().map(|k| k.code().to_string()).collect();
            codes(&v).map(|s| {
                format!("EXISTS (SELECT 1 FROM funder_kind fk WHERE fk.partnership_id = p.id AND fk.kind IN ({s}))")
            })
        }
    }
}

/// The text part of a query: the ids the index's own text matching finds, which SQL cannot
/// replay (French stemming), written to `text_match` so that the facets combine with it.
async fn write_text_matches(db: &DatabaseConnection, index: &SearchIndex, q: &str) {
    db.execute_unprepared("DELETE FROM text_match")
        .await
        .unwrap();
    let ids = index
        .matching_ids(&SearchQuery {
            q: q.to_string(),
            ..SearchQuery::default()
        })
        .unwrap();
    for chunk in ids.chunks(500) {
        let values: Vec<String> = chunk.iter().map(|id| format!("({id})")).collect();
        db.execute_unprepared(&format!(
            "INSERT INTO text_match (id) VALUES {}",
            values.join(", ")
        ))
        .await
        .unwrap();
    }
}

/// The helper tables of the SQL side: each funding line's kind, and the text matches.
async fn helper_tables(db: &DatabaseConnection) {
    db.execute_unprepared("CREATE TABLE funder_kind (partnership_id INTEGER, kind VARCHAR(32))")
        .await
        .unwrap();
    db.execute_unprepared("CREATE TABLE text_match (id INTEGER)")
        .await
        .unwrap();
    let rows: Vec<String> = common::funder_kinds(db)
        .await
        .into_iter()
        .map(|(id, kind)| format!("({id}, '{}')", kind.code()))
        .collect();
    for chunk in rows.chunks(500) {
        db.execute_unprepared(&format!(
            "INSERT INTO funder_kind (partnership_id, kind) VALUES {}",
            chunk.join(", ")
        ))
        .await
        .unwrap();
    }
}

async fn sql_count(db: &DatabaseConnection, query: &SearchQuery, except: Option<Facet>) -> u64 {
    let mut conditions = vec!["p.publication_state = 'published'".to_string()];
    if !query.q.trim().is_empty() {
        conditions.push("p.id IN (SELECT id FROM text_match)".to_string());
    }
    for facet in Facet::ALL {
        if Some(*facet) != except {
            conditions.extend(condition(query, *facet));
        }
    }
    let sql = format!(
        "SELECT COUNT(*) FROM partnership p WHERE {}",
        conditions.join(" AND ")
    );
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.clone(),
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}: {sql}"))
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap() as u64
}

/// A filter mix made of values the data has.
fn random_query(rng: &mut Rng, index: &SearchIndex) -> SearchQuery {
    let all = index.search(&SearchQuery::default(), Facet::ALL).unwrap();
    let pick = |rng: &mut Rng, facet: Facet| -> Vec<String> {
        let values: Vec<String> = all
            .facets
            .iter()
            .find(|(f, _)| *f == facet)
            .map(|(_, v)| v.iter().map(|v| v.value.clone()).collect())
            .unwrap_or_default();
        (0..1 + rng.below(2))
            .filter(|_| !values.is_empty())
            .map(|_| values[rng.below(values.len())].clone())
            .collect()
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    if rng.below(3) == 0 {
        let words = [
            "eau",
            "coopération",
            "santé",
            "jeunesse",
            "agriculture",
            "culture",
        ];
        pairs.push(("q".into(), words[rng.below(words.len())].into()));
    }
    let facets = Facet::ALL;
    for _ in 0..1 + rng.below(4) {
        let facet = facets[rng.below(facets.len())];
        match facet {
            Facet::StartYear | Facet::AgreementYear => {
                let (prefix, first) = match facet {
                    Facet::StartYear => ("start_year", 2000),
                    _ => ("agreement_year", 1985),
                };
                let min = first + rng.below(20) as i32;
                pairs.push((format!("{prefix}_min"), min.to_string()));
                if rng.below(2) == 0 {
                    pairs.push((format!("{prefix}_max"), (min + 5).to_string()));
                }
            }
            Facet::Volunteers => {
                let v = if rng.below(2) == 0 { "yes" } else { "no" };
                pairs.push(("volunteers".into(), v.into()));
            }
            _ => {
                for value in pick(rng, facet) {
                    pairs.push((facet.key().to_string(), value));
                }
            }
        }
    }
    SearchQuery::from_pairs(pairs, true).unwrap()
}

#[tokio::test]
async fn facet_counts_match_sql_on_random_filter_mixes() {
    let t = TestDb::new().await;
    demo::seed(&t.db, 400, 7, |_| {}).await.unwrap();
    let index = load::build(&t.db).await.unwrap();
    assert_eq!(index.len(), demo::published_count(&t.db).await.unwrap());
    helper_tables(&t.db).await;
    let mut rng = Rng(2026);
    let mut compared_values = 0;
    for round in 0..14 {
        let query = random_query(&mut rng, &index);
        write_text_matches(&t.db, &index, &query.q).await;
        let outcome = index.search(&query, Facet::ALL).unwrap();
        let expected = sql_count(&t.db, &query, None).await;
        assert_eq!(outcome.total, expected, "round {round}: total of {query:?}");
        for facet in Facet::ALL.iter().copied() {
            let values = &outcome.facets.iter().find(|(f, _)| *f == facet).unwrap().1;
            // The long lists (authorities, partners, départements): their first values.
            for value in values.iter().take(12) {
                compared_values += 1;
                // The count a value shows is what ticking it (alone in its facet) would give.
                let mut ticked = query.without(facet, "");
                ticked = match facet {
                    Facet::StartYear => SearchQuery {
                        start_year_min: value.value.parse().ok(),
                        start_year_max: value.value.parse().ok(),
                        ..ticked
                    },
                    Facet::AgreementYear => SearchQuery {
                        agreement_year_min: value.value.parse().ok(),
                        agreement_year_max: value.value.parse().ok(),
                        ..ticked
                    },
                    _ => {
                        let mut q = query.clone();
                        clear_facet(&mut q, facet);
                        q.toggled(facet, &value.value)
                    }
                };
                let expected = sql_count(&t.db, &ticked, None).await;
                assert_eq!(
                    value.count,
                    expected,
                    "round {round}: {} = {} under {query:?}",
                    facet.key(),
                    value.value
                );
            }
        }
    }
    assert!(compared_values > 500, "{compared_values} values compared");
    t.drop().await;
}

fn clear_facet(query: &mut SearchQuery, facet: Facet) {
    match facet {
        Facet::Country => query.country.clear(),
        Facet::Zone => query.zone.clear(),
        Facet::Theme => query.theme.clear(),
        Facet::Status => query.status.clear(),
        Facet::Form => query.form.clear(),
        Facet::AuthorityKind => query.authority_kind.clear(),
        Facet::Region => query.region.clear(),
        Facet::Departement => query.departement.clear(),
        Facet::Amount => query.amount.clear(),
        Facet::Volunteers => query.volunteers = None,
        Facet::FrenchAuthority => query.french_authority.clear(),
        Facet::ForeignPartner => query.foreign_partner.clear(),
        Facet::Funder => query.funder.clear(),
        Facet::StartYear => (query.start_year_min, query.start_year_max) = (None, None),
        Facet::AgreementYear => (query.agreement_year_min, query.agreement_year_max) = (None, None),
    }
}

#[tokio::test]
async fn text_search_folds_accents_and_follows_a_write() {
    let t = TestDb::new().await;
    demo::seed(&t.db, 60, 3, |_| {}).await.unwrap();
    let search = app::server::search::Search::build(&t.db).await.unwrap();
    let q = |text: &str| SearchQuery {
        q: text.into(),
        ..SearchQuery::default()
    };
    let with_accent = search.read().matching_ids(&q("Sénégal")).unwrap();
    let without = search.read().matching_ids(&q("senegal")).unwrap();
    assert!(!with_accent.is_empty());
    assert_eq!(with_accent, without);
    // Another process writes: the index notices.
    let imported = app::server::legacy_import::import_files(
        &t.db,
        &[common::fixture("000_001612c233d2473f.txt")],
    )
    .await
    .unwrap()
    .remove(0)
    .unwrap();
    assert!(search.rebuild_if_changed(&t.db).await.unwrap());
    let found = search.read().matching_ids(&q("mantes")).unwrap();
    assert!(found.contains(&imported.id), "{found:?}");
    // A write in the server refreshes only what it touched.
    t.db.execute_unprepared(&format!(
        "UPDATE partnership SET publication_state = 'archived' WHERE id = {}",
        imported.id
    ))
    .await
    .unwrap();
    search.refresh(&t.db, &[imported.id]).await.unwrap();
    assert!(!search
        .read()
        .matching_ids(&q("mantes"))
        .unwrap()
        .contains(&imported.id));
    t.drop().await;
}

#[tokio::test]
async fn excerpts_are_cut_from_the_texts_around_the_first_word_found() {
    let t = TestDb::new().await;
    demo::seed(&t.db, 20, 3, |_| {}).await.unwrap();
    let ids = common::sql_strings(
        &t.db,
        "SELECT CAST(id AS TEXT) FROM partnership WHERE publication_state = 'published' ORDER BY id",
    )
    .await;
    let (first, second) = (&ids[0], &ids[1]);
    // The word far into the description: the excerpt starts near it, not at the beginning.
    let filler = "Les échanges entre les deux collectivités portent sur la gestion publique. ";
    let description = format!(
        "{}La hydrogéologie des nappes y est étudiée.",
        filler.repeat(5)
    );
    for sql in [
        format!("UPDATE partnership SET description = '{description}' WHERE id = {first}"),
        // No description: the context gives the excerpt.
        format!(
            "UPDATE partnership SET description = NULL, \
             context = 'Une étude en hydrogéologie appliquée.' WHERE id = {second}"
        ),
    ] {
        t.db.execute_unprepared(&sql).await.unwrap();
    }
    let state = common::state(&t.db).await;
    let search = state.search.clone();
    let app = server::router(state);
    let changed: Vec<i32> = [first, second]
        .iter()
        .map(|id| id.parse().unwrap())
        .collect();
    search.refresh(&t.db, &changed).await.unwrap();

    let found = common::json(&app, "/api/v1/partnerships?q=hydrogeologie").await;
    let items = found["items"].as_array().unwrap();
    let excerpt = |id: &str| -> (String, Vec<String>) {
        let wanted: i64 = id.parse().unwrap();
        let item = items
            .iter()
            .find(|i| i["id"].as_i64() == Some(wanted))
            .unwrap_or_else(|| panic!("{id} not found: {found}"));
        let fragments = item["excerpt"].as_array().unwrap();
        let text = fragments
            .iter()
            .map(|f| f["text"].as_str().unwrap())
            .collect();
        let hits = fragments
            .iter()
            .filter(|f| f["hit"] == true)
            .map(|f| f["text"].as_str().unwrap().to_string())
            .collect();
        (text, hits)
    };
    let (text, hits) = excerpt(first);
    assert!(
        text.starts_with('…') && text.contains("La hydrogéologie des nappes"),
        "{text}"
    );
    assert_eq!(hits, ["hydrogéologie"]);
    let (text, hits) = excerpt(second);
    assert_eq!(text, "Une étude en hydrogéologie appliquée.");
    assert_eq!(hits, ["hydrogéologie"]);
    t.drop().await;
}
