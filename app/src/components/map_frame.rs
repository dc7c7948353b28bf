//! A map document (`/carte/*.svg`) shown in a frame that follows the search filters.

use crate::i18n::Locale;
use crate::models::SearchQuery;
use leptos::prelude::*;

/// The address of a map document for a query, in the reader's language.
pub fn map_src(file: &str, query: &SearchQuery, locale: Locale) -> String {
    let filters = query.filters_only().to_query_string();
    let lang = match locale {
        Locale::en => "lang=en",
        Locale::fr => "lang=fr",
    };
    if filters.is_empty() {
        format!("/carte/{file}?{lang}")
    } else {
        format!("/carte/{file}{filters}&{lang}")
    }
}

/// A frame showing a map.
#[component]
pub fn MapFrame(
    #[prop(into)] src: Signal<String>,
    #[prop(into)] title: Signal<String>,
) -> impl IntoView {
    view! { <iframe src=src title=title></iframe> }
}
