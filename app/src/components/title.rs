//! The page's `<title>`, computed once, while the page's component runs: leptos_meta reads a
//! title closure later, when the response is written, and a closure that reads a signal (the
//! language) then may find no reactive arena and panic (a race of leptos_axum's streaming, seen
//! in the browser tests). Pages are rendered on the server only (islands), so the title never
//! has to follow a language switched in place.
//!
//! leptos_meta 0.8 writes the server's `<title>` as it is given, unescaped: a partnership
//! titled `</title><script>…` would end the element and run its script on its page (found by
//! the hostile corpus of the legacy import). Every title goes through `page_title`, which
//! escapes it.

use leptos::prelude::*;
use leptos_meta::Title;

pub fn page_title(text: impl Fn() -> String) -> impl IntoView {
    view! { <Title text=escaped(text())/> }
}

/// The title as the server's HTML must hold it (`<` and `&` escaped); in the browser, as it is
/// (the browser sets `document.title`, which is text).
fn escaped(text: String) -> String {
    #[cfg(feature = "ssr")]
    let text = html_escape::encode_text(&text).into_owned();
    text
}

/// The page's canonical address, absolute as search engines want it: the configured public
/// address (`ATLAS_PUBLIC_URL`, the one emails link to) followed by `path`. Never the request's
/// `Host`: the page is cached and served to everyone.
pub fn canonical(path: String) -> impl IntoView {
    view! { <leptos_meta::Link rel="canonical" href=absolute(path)/> }
}

/// An address of the site as others must write it (a canonical link, the embed's snippet):
/// the configured public address followed by `path`; in the browser, `path` as it is.
pub fn absolute(path: String) -> String {
    #[cfg(feature = "ssr")]
    let href = {
        let base = use_context::<crate::server::mail::Mailer>()
            .map(|mailer| mailer.base_url.clone())
            .unwrap_or_default();
        format!("{base}{path}")
    };
    #[cfg(not(feature = "ssr"))]
    let href = path;
    href
}
