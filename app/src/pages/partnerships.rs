use crate::api::partnerships::{list_partnerships, PAGE_SIZE};
use crate::i18n::*;
use crate::pages::home::SummaryList;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// All published partnerships, a page at a time; the page number lives in the URL.
#[component]
pub fn PartnershipList() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let data = Resource::new(page, list_partnerships);
    view! {
        <Title text=move || format!("{} — {}", t_string!(i18n, list_title), t_string!(i18n, site_name))/>
        <div class="container">
            <h1>{t!(i18n, list_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok((items, total)) => {
                        let current = page();
                        let last = total.div_ceil(PAGE_SIZE).max(1);
                        view! {
                            <SummaryList items/>
                            <nav class="pagination" aria-label=move || t_string!(i18n, list_pagination).to_string()>
                                {(current > 1).then(|| view! {
                                    <a rel="prev" href=format!("/partenariats?page={}", current - 1)>{t!(i18n, list_previous)}</a>
                                })}
                                <span>{t!(i18n, list_page)} " " {current} " / " {last}</span>
                                {(current < last).then(|| view! {
                                    <a rel="next" href=format!("/partenariats?page={}", current + 1)>{t!(i18n, list_next)}</a>
                                })}
                            </nav>
                        }.into_any()
                    }
                    Err(_) => view! { <crate::pages::not_found::ServiceError/> }.into_any(),
                })}
            </Suspense>
        </div>
    }
}
