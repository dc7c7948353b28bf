//! An Atom feed (RFC 4287) of any view of the search: the partnerships published or updated
//! in it, newest first, so that a journalist or an embassy subscribes to "new partnerships in
//! Mali on health". Its texts are in French, the API's language, or in English (`lang=en`),
//! through the translation layer.

use super::xml::{datetime, Xml};
use crate::i18n::Locale;
use crate::models::{slugify, Facet, SearchQuery};
use crate::server::search::SearchIndex;
use chrono::Utc;
use leptos_i18n::{td_string, Locale as _};

/// Entries in a feed: the newest of the view.
pub const ENTRIES: usize = 50;

/// The feed of a view: `query`'s filters, from the index's snapshot, in `locale`, with links
/// under `base` (the public address, no trailing slash).
pub fn feed(index: &SearchIndex, query: &SearchQuery, locale: Locale, base: &str) -> String {
    let filters = query.filters_only();
    let matching = index.matching_set(&filters);
    let newest = index.latest(&matching, ENTRIES);
    let query_string = filters.to_query_string();
    let self_url = format!("{base}{}", crate::format::feed_address(&filters, locale));
    let updated = newest
        .first()
        .map(|doc| index.doc(*doc).updated_at)
        .or(index.last_change)
        .unwrap_or_else(Utc::now);
    let mut title = td_string!(locale, feed_title).to_string();
    let selection = selection(index, &filters, locale);
    if !selection.is_empty() {
        let colon = match locale {
            Locale::en => ":",
            Locale::fr => " :",
        };
        title = format!("{title}{colon} {}", selection.join(", "));
    }
    let mut x = Xml {
        buf: String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"),
        depth: 0,
    };
    x.open(
        "feed",
        &[
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xml:lang", locale.as_str()),
        ],
    );
    x.text("id", &[], &self_url);
    x.text("title", &[("type", "text")], &title);
    x.text(
        "subtitle",
        &[("type", "text")],
        td_string!(locale, feed_subtitle),
    );
    x.text("updated", &[], &datetime(updated));
    x.empty(
        "link",
        &[
            ("rel", "self"),
            ("type", "application/atom+xml"),
            ("href", &self_url),
        ],
    );
    x.empty(
        "link",
        &[
            ("rel", "alternate"),
            ("type", "text/html"),
            ("href", &format!("{base}/partenariats{query_string}")),
        ],
    );
    x.open("author", &[]);
    x.text("name", &[], td_string!(locale, site_name));
    x.text("uri", &[], &format!("{base}/"));
    x.close("author");
    x.text(
        "rights",
        &[("type", "text")],
        td_string!(locale, feed_rights),
    );
    x.text("generator", &[("uri", &format!("{base}/"))], "Atlas");
    for doc in newest {
        entry(&mut x, index, doc, locale, base);
    }
    x.close("feed");
    x.buf
}

/// A value's label in the language, the French one when it has no other.
fn label_in(info: &crate::server::search::index::ValueInfo, locale: Locale) -> &str {
    match locale {
        Locale::en => info.label_en_or_fr(),
        _ => &info.label,
    }
}

fn entry(x: &mut Xml, index: &SearchIndex, doc: u32, locale: Locale, base: &str) {
    let d = index.doc(doc);
    let page = format!("{base}/partenariats/{}", d.id);
    x.open("entry", &[]);
    x.text("id", &[], &page);
    x.text("title", &[("type", "text")], &d.title);
    x.text("updated", &[], &datetime(d.updated_at));
    x.empty(
        "link",
        &[
            ("rel", "alternate"),
            ("type", "text/html"),
            ("href", &format!("{page}-{}", slugify(&d.title))),
        ],
    );
    let themes = d.theme().into_iter().chain(d.other_themes());
    for code in themes {
        let label = index.label(Facet::Theme, code).map(|l| label_in(l, locale));
        category(x, code, label, &format!("{base}/api/v1/themes"));
    }
    let countries: Vec<&str> = d
        .countries()
        .map(|c| {
            let label = index.label(Facet::Country, c).map(|l| label_in(l, locale));
            category(x, c, label, "urn:iso:std:iso:3166");
            label.unwrap_or(c)
        })
        .collect();
    // Who with whom, where; then the beginning of its description.
    let mut summary = d.french_partners().collect::<Vec<_>>().join(", ");
    let foreign: Vec<&str> = d.foreign_partners().collect();
    if !foreign.is_empty() {
        let with = td_string!(locale, feed_with);
        summary = format!("{summary} {with} {}", foreign.join(", "));
    }
    if !countries.is_empty() {
        summary = format!("{summary} ({})", countries.join(", "));
    }
    if !d.excerpt_source.is_empty() {
        summary = format!("{summary}. {}", d.excerpt_source);
    }
    x.text(
        "summary",
        &[("type", "text")],
        summary.trim_start_matches(['.', ' ']),
    );
    x.close("entry");
}

fn category(x: &mut Xml, term: &str, label: Option<&str>, scheme: &str) {
    let mut attrs = vec![("term", term), ("scheme", scheme)];
    if let Some(label) = label {
        attrs.push(("label", label));
    }
    x.empty("category", &attrs);
}

/// The view's filters as people read them: "Mali, Santé, « eau »".
fn selection(index: &SearchIndex, query: &SearchQuery, locale: Locale) -> Vec<String> {
    let mut parts: Vec<String> = Facet::ALL
        .iter()
        .flat_map(|facet| {
            query.codes(*facet).into_iter().map(move |code| {
                index
                    .label(*facet, &code)
                    .map(|l| label_in(l, locale).to_string())
                    .unwrap_or(code)
            })
        })
        .collect();
    if !query.q.is_empty() {
        parts.push(match locale {
            Locale::en => format!("“{}”", query.q),
            Locale::fr => format!("« {} »", query.q),
        });
    }
    parts
}
