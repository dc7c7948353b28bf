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

/// A frame showing a map. Changing a frame's `src` adds an entry to the browser's history, so
/// that Back would have to be pressed twice after each filter: once hydrated, the `src`
/// attribute keeps the first address (`first`, by default `src`'s first value) and the frame's
/// document is replaced in place, which the history does not keep.
#[component]
pub fn MapFrame(
    #[prop(into)] src: Signal<String>,
    #[prop(into)] title: Signal<String>,
    #[prop(optional)] first: Option<String>,
) -> impl IntoView {
    let frame = NodeRef::<leptos::html::Iframe>::new();
    let first = first.unwrap_or_else(|| src.get_untracked());
    Effect::new(move || {
        let url = src.get();
        let Some(window) = frame.get().and_then(|f| f.content_window()) else {
            return;
        };
        let location = window.location();
        let shown = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        if shown != url {
            let _ = location.replace(&url);
        }
    });
    view! { <iframe node_ref=frame src=first title=title></iframe> }
}
