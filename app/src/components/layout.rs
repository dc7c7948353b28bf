use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Skip link, site name, sections and language switch.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#contenu">{t!(i18n, skip_to_content)}</a>
        // `data-hydrated` is set once the page's module has run (`mark_hydrated`).
        <header class="site-header">
            <div class="container header-row">
                <a class="site-name" href="/">
                    <span class="site-mark" aria-hidden="true"></span>
                    {t!(i18n, site_name)}
                </a>
                <LanguageSwitch/>
            </div>
            <nav class="container site-nav" aria-label=move || t_string!(i18n, nav_label).to_string()>
                <ul>
                    <li><a href="/">{t!(i18n, nav_home)}</a></li>
                    <li><a href="/partenariats">{t!(i18n, nav_partnerships)}</a></li>
                    <li><a href="/carte">{t!(i18n, nav_map)}</a></li>
                    <li><a href="/statistiques">{t!(i18n, nav_statistics)}</a></li>
                    <li><a href="/synergies">{t!(i18n, nav_synergies)}</a></li>
                    <li><a href="/donnees-ouvertes">{t!(i18n, nav_open_data)}</a></li>
                    <li class="nav-contributor"><a href="/espace">{t!(i18n, nav_contributors)}</a></li>
                </ul>
            </nav>
        </header>
    }
}

/// A plain link that sets the language cookie on the server and comes back to the same page.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let other = move || match i18n.get_locale() {
        Locale::fr => Locale::en,
        Locale::en => Locale::fr,
    };
    let href = move || {
        // leptos_router gives the query without its `?` (on the server at least).
        let search = location.search.get();
        let back = match search.trim_start_matches('?') {
            "" => location.pathname.get(),
            query => format!("{}?{query}", location.pathname.get()),
        };
        format!(
            "/langue/{}?retour={}",
            other().as_str(),
            crate::format::url_encode(&back)
        )
    };
    view! {
        <a
            class="lang-switch"
            href=href
            hreflang=move || other().as_str()
            lang=move || other().as_str()
            title=move || t_string!(i18n, lang_switch_title).to_string()
        >
            {t!(i18n, lang_switch_to)}
        </a>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <div class="container">
                <p>{t!(i18n, site_tagline)}</p>
                <p>
                    {t!(i18n, footer_licence)} " "
                    <a href="/donnees-ouvertes">{t!(i18n, footer_api)}</a> ". "
                    {t!(i18n, footer_source)} " "
                    <a href="/donnees-ouvertes#credits">{t!(i18n, footer_credits)}</a>
                </p>
            </div>
        </footer>
    }
}

/// Says on the header that the page's module has run and its islands are being hydrated (the
/// browser tests wait for it before they type into an island).
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    let header = leptos::prelude::document()
        .query_selector("header.site-header")
        .ok()
        .flatten();
    if let Some(header) = header {
        let _ = header.set_attribute("data-hydrated", "true");
    }
}
