//! The search's ranking judged on known data: the demo set and the legacy page, and for each
//! query what its first result must be. Whole words outrank prefixes ("eau" finds water before
//! Eaubonne), the title outranks the texts, every word must match.

use crate::common::{self, TestDb};
use app::models::{SearchItem, SearchQuery};
use app::server::search::Search;
use app::server::services::demo;

/// What the first result of a query must be.
enum Expect {
    /// Its title holds each of these words whole (accents and case aside).
    TitleWords(&'static [&'static str]),
    /// Its title holds this text (accents and case aside).
    TitleHas(&'static str),
    /// The partnership imported from the legacy page.
    Legacy,
    /// One of its partners is in this country, and its title holds this word.
    CountryAndTitle(&'static str, &'static str),
}

fn fold(text: &str) -> String {
    deunicode::deunicode(&text.to_lowercase())
}

fn title_words(item: &SearchItem) -> Vec<String> {
    fold(&item.title)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `item` is what `expect` asks for.
fn holds(expect: &Expect, item: &SearchItem, legacy: i32) -> bool {
    match expect {
        Expect::TitleWords(words) => {
            let title = title_words(item);
            words.iter().all(|w| title.contains(&fold(w)))
        }
        Expect::TitleHas(text) => fold(&item.title).contains(&fold(text)),
        Expect::Legacy => item.id == legacy,
        Expect::CountryAndTitle(country, word) => {
            item.countries.iter().any(|c| c == country) && title_words(item).contains(&fold(word))
        }
    }
}

const JUDGED: &[(&str, Expect)] = &[
    // A whole word before the names that begin with it.
    ("eau", Expect::TitleWords(&["eau"])),
    ("Eau", Expect::TitleWords(&["eau"])),
    ("l'eau potable", Expect::TitleWords(&["eau", "potable"])),
    ("eau potable", Expect::TitleWords(&["eau", "potable"])),
    ("assainissement", Expect::TitleWords(&["assainissement"])),
    // Typing: the last word is a prefix until it is whole.
    ("assain", Expect::TitleWords(&["assainissement"])),
    ("déch", Expect::TitleWords(&["dechets"])),
    ("dechets", Expect::TitleWords(&["dechets"])),
    (
        "déchets ménagers",
        Expect::TitleWords(&["dechets", "menagers"]),
    ),
    (
        "collecte des déchets",
        Expect::TitleWords(&["collecte", "dechets"]),
    ),
    ("climat", Expect::TitleWords(&["climat"])),
    ("plan climat", Expect::TitleWords(&["plan", "climat"])),
    ("biodiversité", Expect::TitleWords(&["biodiversite"])),
    ("zones humides", Expect::TitleWords(&["zones", "humides"])),
    ("état civil", Expect::TitleWords(&["etat", "civil"])),
    ("etat civil", Expect::TitleWords(&["etat", "civil"])),
    // The stemmer makes one word of "décentralisation" and "décentralisée".
    ("décentralisation", Expect::TitleHas("decentralis")),
    (
        "formation des élus",
        Expect::TitleWords(&["formation", "elus"]),
    ),
    ("inondations", Expect::TitleWords(&["inondations"])),
    ("reconstruction", Expect::TitleWords(&["reconstruction"])),
    (
        "sécurité alimentaire",
        Expect::TitleWords(&["securite", "alimentaire"]),
    ),
    (
        "coopératives agricoles",
        Expect::TitleWords(&["cooperatives", "agricoles"]),
    ),
    (
        "coopérative agricole",
        Expect::TitleWords(&["cooperatives", "agricoles"]),
    ),
    ("tourisme", Expect::TitleWords(&["tourisme"])),
    ("touris", Expect::TitleWords(&["tourisme"])),
    (
        "emploi des jeunes",
        Expect::TitleWords(&["emploi", "jeunes"]),
    ),
    (
        "électrification solaire",
        Expect::TitleWords(&["electrification", "solaire"]),
    ),
    (
        "centres de santé",
        Expect::TitleWords(&["centres", "sante"]),
    ),
    (
        "service public de l'eau",
        Expect::TitleHas("service public de l'eau"),
    ),
    ("eau sénégal", Expect::CountryAndTitle("SN", "eau")),
    ("eau senegal", Expect::CountryAndTitle("SN", "eau")),
    ("déchets maroc", Expect::CountryAndTitle("MA", "dechets")),
    // The legacy page: Mantes-la-Jolie and its partners.
    ("mantes", Expect::Legacy),
    ("Mantes-la-Jolie", Expect::Legacy),
];

#[tokio::test]
async fn judged_queries_find_their_first_result() {
    let t = TestDb::new().await;
    demo::seed(&t.db, 800, 11, |_| {}).await.unwrap();
    let legacy = common::import_seed(&t.db).await;
    let search = Search::build(&t.db).await.unwrap();
    let index = search.read();
    let mut wrong = Vec::new();
    for (q, expect) in JUDGED {
        let query = SearchQuery {
            q: q.to_string(),
            ..SearchQuery::default()
        };
        let outcome = index.search(&query, &[]).unwrap();
        let first = outcome.items.first();
        if !first.is_some_and(|item| holds(expect, item, legacy)) {
            let top: Vec<String> = outcome
                .items
                .iter()
                .take(3)
                .map(|i| {
                    let excerpt: String = i.excerpt.iter().map(|f| f.text.as_str()).collect();
                    format!("{} [{excerpt}]", i.title)
                })
                .collect();
            wrong.push(format!("{q:?}: {top:?}"));
        }
    }
    assert!(JUDGED.len() >= 30);
    assert!(
        wrong.is_empty(),
        "{} of {} judged queries:\n{}",
        wrong.len(),
        JUDGED.len(),
        wrong.join("\n")
    );
    t.drop().await;
}
