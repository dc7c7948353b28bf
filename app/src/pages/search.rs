//! The search page: text, facets with live counts, chips, sort, pagination and a small map.
//! The whole state is the URL: a GET form and links. The search bar is an island: hydrated,
//! typing searches after a pause, fetching the page of the new address and putting its results
//! and facets in place of the old ones (the text field keeps the focus).

use crate::api::search::search_partnerships;
use crate::components::facet_panel::{
    facet_title, search_href, value_label, FacetPanel, SEARCH_PATH,
};
use crate::components::labels::status_label;
use crate::components::map_frame::{map_src, MapFrame};
use crate::components::title::page_title;
use crate::error::{AppError, FieldError};
use crate::format::{euros, group_digits};
use crate::i18n::*;
use crate::models::{Facet, Fragment, SearchItem, SearchQuery, SearchResults, Sort};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

/// How long typing pauses before the search runs, in milliseconds.
const TYPING_PAUSE_MS: u32 = 300;

/// The search query of the current URL; invalid parameters are reported, not fatal.
pub fn use_search_query() -> Memo<(SearchQuery, Vec<FieldError>)> {
    let params = use_query_map();
    Memo::new(move |_| {
        let params = params.read();
        match SearchQuery::from_pairs(&*params, false) {
            Ok(query) => (query, Vec::new()),
            Err(errors) => {
                // Keep what parses: drop the bad parameters one by one.
                let bad: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                let kept = (&*params)
                    .into_iter()
                    .filter(|(k, _)| !bad.contains(&k.as_ref()));
                (
                    SearchQuery::from_pairs(kept, false).unwrap_or_default(),
                    errors,
                )
            }
        }
    })
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_search_query();
    let query = Memo::new(move |_| state.get().0);
    let results = Resource::new(move || query.get(), search_partnerships);

    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, search_title), t_string!(i18n, site_name)))}
        <Meta name="description" content=move || t_string!(i18n, site_tagline).to_string()/>
        <div class="container search-page">
            <h1>{t!(i18n, search_title)}</h1>
            {move || {
                let errors = state.get().1;
                (!errors.is_empty()).then(|| view! { <InvalidParams errors/> })
            }}
            <form method="get" action=SEARCH_PATH>
                <SearchBar query=query.get_untracked()/>
                <HiddenFilters query=query.get_untracked()/>
                <div class="search-layout">
                    <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                        {move || results.get().map(|result| match result {
                            Ok(results) => view! { <SearchBody results query=query.get()/> }.into_any(),
                            Err(AppError::Validation { fields }) => view! { <InvalidParams errors=fields/> }.into_any(),
                            Err(e) => crate::pages::not_found::service_error(e),
                        })}
                    </Suspense>
                </div>
            </form>
            // Written by the search bar while it fetches new results.
            <p class="loading-indicator" role="status" aria-live="polite"></p>
            // Written by the search bar once it put new results in place: the count, for
            // screen readers (the heading that shows it is replaced, not announced).
            <p class="visually-hidden result-announce" role="status" aria-live="polite"></p>
        </div>
    }
}

#[component]
fn InvalidParams(errors: Vec<FieldError>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice error" role="alert">
            <p>{t!(i18n, search_invalid)}</p>
            <ul>
                {errors.into_iter().map(|e| { let text = e.text(i18n.get_locale_untracked()); view! { <li><code>{e.field}</code> " : " {text}</li> } }).collect_view()}
            </ul>
        </div>
    }
}

/// The text field (searching as one types, once hydrated), the sort and the submit button.
#[island]
fn SearchBar(query: SearchQuery) -> impl IntoView {
    let i18n = use_i18n();
    // Only ever set in the browser; on the server it stays empty (a wrapped timer must be
    // dropped on the thread that made it).
    let timer = StoredValue::new(None::<send_wrapper::SendWrapper<gloo_timers::callback::Timeout>>);
    let typed = query.clone();
    let on_input = move |ev: leptos::ev::Event| {
        let next = SearchQuery {
            q: event_target_value(&ev).trim().to_string(),
            ..typed.with_page(1)
        };
        let url = search_href(&next);
        let loading = t_string!(i18n, loading).to_string();
        // Replacing the pending timer cancels it: only the last pause searches.
        let timeout = gloo_timers::callback::Timeout::new(TYPING_PAUSE_MS, move || {
            live_results::show(url, loading)
        });
        timer.set_value(Some(send_wrapper::SendWrapper::new(timeout)));
    };
    // Choosing an order sends the form, as its button would.
    let on_sort = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        let form = event_target::<leptos::web_sys::HtmlSelectElement>(&ev).form();
        if let Some(form) = form.and_then(|f| f.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        {
            let _ = form.request_submit();
        }
    };
    // Effects only run in the browser: the bar says when it searches as one types.
    let (interactive, set_interactive) = signal(false);
    Effect::new(move |_| set_interactive.set(true));
    let sort = query.sort;
    let sort_option = move |option: Sort| {
        let label = move || match option {
            Sort::Relevance => t_string!(i18n, sort_relevance).to_string(),
            Sort::StartYear => t_string!(i18n, sort_start_year).to_string(),
            Sort::Title => t_string!(i18n, sort_title).to_string(),
            Sort::Amount => t_string!(i18n, sort_amount).to_string(),
        };
        view! { <option value=option.code() selected=sort == option>{label}</option> }
    };
    view! {
        <div class="search-bar" role="search" data-interactive=move || interactive.get().then_some("true")>
            <div class="field grow">
                <label for="champ-q">{t!(i18n, search_label)}</label>
                <input
                    id="champ-q"
                    name="q"
                    type="search"
                    autocomplete="off"
                    maxlength="200"
                    placeholder=move || t_string!(i18n, search_placeholder).to_string()
                    value=query.q.clone()
                    on:input=on_input
                />
            </div>
            <div class="field">
                <label for="champ-sort">{t!(i18n, search_sort)}</label>
                <select id="champ-sort" name="sort" on:change=on_sort>
                    {Sort::ALL.iter().map(|s| sort_option(*s)).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t!(i18n, search_submit)}</button>
        </div>
    }
}

/// The filters set by links, travelling with the form.
#[component]
fn HiddenFilters(query: SearchQuery) -> impl IntoView {
    query
        .to_pairs()
        .into_iter()
        .filter(|(k, _)| {
            !matches!(
                *k,
                "q" | "sort"
                    | "page"
                    | "start_year_min"
                    | "start_year_max"
                    | "agreement_year_min"
                    | "agreement_year_max"
            )
        })
        .map(|(k, v)| view! { <input type="hidden" name=k value=v/> })
        .collect_view()
}

/// Results shown in place: the page of a new address is fetched and its results and facets
/// replace the old ones; the address bar follows without a new history entry.
mod live_results {
    #[cfg(feature = "hydrate")]
    thread_local! {
        /// The latest search asked for: an older answer arriving late is dropped.
        static LATEST: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }

    #[cfg(feature = "hydrate")]
    pub fn show(url: String, loading: String) {
        let asked = LATEST.with(|latest| {
            latest.set(latest.get() + 1);
            latest.get()
        });
        leptos::task::spawn_local(async move {
            let indicator = leptos::prelude::document()
                .query_selector(".loading-indicator")
                .ok()
                .flatten();
            if let Some(indicator) = &indicator {
                indicator.set_text_content(Some(&loading));
            }
            let shown = fetch_and_swap(&url, asked).await;
            if LATEST.with(|latest| latest.get()) == asked {
                if let Some(indicator) = &indicator {
                    indicator.set_text_content(None);
                }
                if shown.is_ok() {
                    let document = leptos::prelude::document();
                    let count = document
                        .query_selector(".result-count")
                        .ok()
                        .flatten()
                        .and_then(|c| c.text_content());
                    if let Ok(Some(announce)) = document.query_selector(".result-announce") {
                        announce.set_text_content(count.as_deref());
                    }
                }
                if shown.is_err() {
                    // The page as a whole, as without JavaScript.
                    let _ = leptos::prelude::window().location().assign(&url);
                }
            }
        });
    }

    #[cfg(feature = "hydrate")]
    async fn fetch_and_swap(url: &str, asked: u32) -> Result<(), leptos::wasm_bindgen::JsValue> {
        use leptos::wasm_bindgen::{JsCast, JsValue};
        use leptos::web_sys::{DomParser, Response, SupportedType};
        use wasm_bindgen_futures::JsFuture;

        let window = leptos::prelude::window();
        let response: Response = JsFuture::from(window.fetch_with_str(url))
            .await?
            .dyn_into()?;
        if !response.ok() {
            return Err(JsValue::from_str("status"));
        }
        let html = JsFuture::from(response.text()?)
            .await?
            .as_string()
            .unwrap_or_default();
        if LATEST.with(|latest| latest.get()) != asked {
            return Ok(());
        }
        let fetched = DomParser::new()?.parse_from_string(&html, SupportedType::TextHtml)?;
        let document = leptos::prelude::document();
        let (Some(new), Some(old)) = (
            fetched.query_selector(".search-layout")?,
            document.query_selector(".search-layout")?,
        ) else {
            return Err(JsValue::from_str("layout"));
        };
        old.replace_with_with_node_1(&document.import_node_with_deep(&new, true)?)?;
        document.set_title(&fetched.title());
        window
            .history()?
            .replace_state_with_url(&JsValue::NULL, "", Some(url))?;
        Ok(())
    }

    /// On the server the bar is only rendered.
    #[cfg(not(feature = "hydrate"))]
    pub fn show(_url: String, _loading: String) {}
}

#[component]
fn SearchBody(results: SearchResults, query: SearchQuery) -> impl IntoView {
    let i18n = use_i18n();
    let total = results.total;
    let map_query = query.clone();
    let map = move || map_src("monde.svg", &map_query, i18n.get_locale());
    let export = query.filters_only().to_query_string();
    let csv = format!("/api/v1/partnerships.csv{export}");
    let atom = crate::format::feed_address(&query, i18n.get_locale_untracked());
    let json = format!("/api/v1/partnerships{export}");
    let stats = format!("/statistiques{export}");
    let map_page = format!("/carte{export}");
    let active = query.active_filters().len();
    view! {
        // On a phone the facets are folded under "Filtres (n)", so that the results come
        // first; on a wide screen the summary is hidden and the panel always shown (style).
        <aside class="search-filters" aria-label=move || t_string!(i18n, search_filters).to_string()>
            <details class="filters-disclosure">
                <summary>
                    {t!(i18n, search_filters_toggle)}
                    {(active > 0).then(|| view! {
                        " (" {active}
                        <span class="visually-hidden">" "
                            {move || if active == 1 { t_string!(i18n, search_filters_active) } else { t_string!(i18n, search_filters_active_plural) }}
                        </span>
                        ")"
                    })}
                </summary>
                <FacetPanel results=results.clone() query=query.clone()/>
            </details>
        </aside>
        <section class="search-results" aria-labelledby="titre-resultats">
            <h2 id="titre-resultats" class="result-count" aria-live="polite">
                <strong>{move || group_digits(total as i64, i18n.get_locale())}</strong>
                " "
                {move || if total == 1 { t_string!(i18n, search_one_result).to_string() } else { t_string!(i18n, search_results).to_string() }}
            </h2>
            <Chips results=results.clone() query=query.clone()/>
            <p class="downloads">
                <a href=csv download="partenariats.csv">{t!(i18n, search_download_csv)}</a>
                " · "
                <a href=atom.clone() type="application/atom+xml">{t!(i18n, feed_link)}</a>
                " · "
                <a href=json>{t!(i18n, search_download_json)}</a>
                " · "
                <a href=stats>{t!(i18n, nav_statistics)}</a>
            </p>
            <leptos_meta::Link
                rel="alternate"
                type_="application/atom+xml"
                title=t_string!(i18n, feed_head).to_string()
                href=atom/>
            <figure class="mini-map">
                <MapFrame
                    src=map
                    title=move || t_string!(i18n, map_frame_title).to_string()
                />
                <figcaption><a href=map_page>{t!(i18n, search_map_link)}</a></figcaption>
            </figure>
            {if results.items.is_empty() {
                view! { <p class="empty">{t!(i18n, search_no_result)}</p> }.into_any()
            } else {
                let start = (results.page.max(1) - 1) * results.per_page + 1;
                view! {
                    <ol class="results" start=start>
                        {results.items.clone().into_iter().map(|item| view! { <ResultItem item/> }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <Pagination results query/>
        </section>
    }
}

/// Text with the matching words marked.
fn fragments_view(fragments: Vec<Fragment>) -> impl IntoView {
    fragments
        .into_iter()
        .map(|f| {
            if f.hit {
                view! { <mark>{f.text}</mark> }.into_any()
            } else {
                f.text.into_any()
            }
        })
        .collect_view()
}

#[component]
fn ResultItem(item: SearchItem) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/partenariats/{}-{}", item.id, item.slug);
    let countries = {
        let (fr, en) = (
            item.country_names.join(", "),
            item.country_names_en.join(", "),
        );
        move || match i18n.get_locale() {
            Locale::en => en.clone(),
            Locale::fr => fr.clone(),
        }
    };
    let theme = {
        let (fr, en) = (item.theme_label.clone(), item.theme_label_en.clone());
        move || match i18n.get_locale() {
            Locale::en => en.clone().or(fr.clone()),
            Locale::fr => fr.clone(),
        }
    };
    let amount = item.total_amount_eur;
    view! {
        <li class="result">
            <h3><a href=href>{fragments_view(item.title_fragments)}</a></h3>
            <p class="meta">
                <span class="countries">{countries}</span>
                {(!item.french_partners.is_empty()).then(|| view! { " · " <span>{item.french_partners.join(", ")}</span> })}
            </p>
            <p class="meta secondary">
                {item.start_year.map(|y| view! { <span>{t!(i18n, p_start_year)} " " {y}</span> })}
                {item.status.map(|s| view! { " · " <span>{status_label(s)}</span> })}
                {move || theme().map(|t| view! { " · " <span>{t}</span> })}
                {(amount > 0.0).then(|| view! { " · " <span>{move || euros(amount, i18n.get_locale())}</span> })}
            </p>
            {(!item.excerpt.is_empty()).then(|| view! { <p class="excerpt">{fragments_view(item.excerpt)}</p> })}
        </li>
    }
}

/// The active filters as removable chips, and "clear all".
#[component]
fn Chips(results: SearchResults, query: SearchQuery) -> impl IntoView {
    let i18n = use_i18n();
    let active = query.active_filters();
    if active.is_empty() && query.q.is_empty() {
        return ().into_any();
    }
    let text_chip = (!query.q.is_empty()).then(|| {
        let href = search_href(&SearchQuery {
            q: String::new(),
            ..query.with_page(1)
        });
        let text = query.q.clone();
        view! {
            <li>
                <a class="chip" href=href>
                    <span class="visually-hidden">{t!(i18n, search_remove_filter)} " "</span>
                    "« " {text} " »"
                    <span aria-hidden="true" class="chip-x">"×"</span>
                </a>
            </li>
        }
    });
    let chips = active
        .into_iter()
        .map(|(facet, value)| {
            let href = search_href(&query.without(facet, &value));
            let label: Box<dyn Fn() -> String + Send + Sync> = match facet {
                Facet::StartYear | Facet::AgreementYear => {
                    let (min, max) = if facet == Facet::StartYear {
                        (query.start_year_min, query.start_year_max)
                    } else {
                        (query.agreement_year_min, query.agreement_year_max)
                    };
                    let text = match (min, max) {
                        (Some(a), Some(b)) if a == b => format!("{a}"),
                        (Some(a), Some(b)) => format!("{a} – {b}"),
                        (Some(a), None) => format!("≥ {a}"),
                        (None, Some(b)) => format!("≤ {b}"),
                        (None, None) => String::new(),
                    };
                    Box::new(move || text.clone())
                }
                _ => match results.facet(facet).iter().find(|v| v.value == value) {
                    Some(v) => Box::new(value_label(v)),
                    None => {
                        // An older code for one or several values (a shared INSEE code): the
                        // labels of the values it ticked.
                        let aliased: Vec<_> = results
                            .facet(facet)
                            .iter()
                            .filter(|v| v.selected && !query.is_selected(facet, &v.value))
                            .map(value_label)
                            .collect();
                        if aliased.is_empty() {
                            Box::new(move || value.clone())
                        } else {
                            Box::new(move || {
                                aliased.iter().map(|l| l()).collect::<Vec<_>>().join(" / ")
                            })
                        }
                    }
                },
            };
            view! {
                <li>
                    <a class="chip" href=href>
                        <span class="visually-hidden">{t!(i18n, search_remove_filter)} " "</span>
                        <span class="chip-facet">{facet_title(facet)} " : "</span>
                        {label}
                        <span aria-hidden="true" class="chip-x">"×"</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="chips">
            <h3 class="visually-hidden">{t!(i18n, search_active_filters)}</h3>
            <ul>{text_chip}{chips}</ul>
            <a class="clear-all" href=search_href(&query.cleared())>{t!(i18n, search_clear_all)}</a>
        </div>
    }
    .into_any()
}

#[component]
fn Pagination(results: SearchResults, query: SearchQuery) -> impl IntoView {
    let i18n = use_i18n();
    let last = results.page_count();
    let current = results.page.min(last);
    if last <= 1 {
        return ().into_any();
    }
    let mut pages: Vec<u32> = vec![1, last];
    pages.extend(current.saturating_sub(2).max(1)..=(current + 2).min(last));
    pages.sort_unstable();
    pages.dedup();
    let mut previous = 0;
    let links = pages
        .into_iter()
        .map(|page| {
            let gap = (page > previous + 1)
                .then(|| view! { <li class="gap" aria-hidden="true">"…"</li> });
            previous = page;
            let link = if page == current {
                view! { <a aria-current="page" href=search_href(&query.with_page(page))>{page}</a> }
                    .into_any()
            } else {
                view! { <a href=search_href(&query.with_page(page))>{page}</a> }.into_any()
            };
            view! { {gap} <li>{link}</li> }
        })
        .collect_view();
    view! {
        <nav class="pagination" aria-label=move || t_string!(i18n, list_pagination).to_string()>
            <ul>
                {(current > 1).then(|| view! {
                    <li><a rel="prev" href=search_href(&query.with_page(current - 1))>{t!(i18n, list_previous)}</a></li>
                })}
                {links}
                {(current < last).then(|| view! {
                    <li><a rel="next" href=search_href(&query.with_page(current + 1))>{t!(i18n, list_next)}</a></li>
                })}
            </ul>
        </nav>
    }
    .into_any()
}
