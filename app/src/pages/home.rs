use crate::api::partnerships::list_partnerships;
use crate::components::labels::status_label;
use crate::format::group_digits;
use crate::i18n::*;
use crate::models::PartnershipSummary;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let latest = Resource::new(|| (), |_| list_partnerships(1));
    view! {
        <Title text=move || t_string!(i18n, site_name).to_string()/>
        <Meta name="description" content=move || t_string!(i18n, site_tagline).to_string()/>
        <div class="container">
            <section class="hero">
                <h1>{t!(i18n, home_title)}</h1>
                <p class="lead">{t!(i18n, home_intro)}</p>
            </section>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || latest.get().map(|result| match result {
                    Ok((items, total)) => view! {
                        <p class="count">
                            <strong>{move || group_digits(total as i64, i18n.get_locale())}</strong>
                            " " {t!(i18n, home_count)}
                        </p>
                        <h2>{t!(i18n, home_latest)}</h2>
                        <SummaryList items/>
                    }.into_any(),
                    Err(_) => view! { <crate::pages::not_found::ServiceError/> }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

/// A list of partnerships linking to their pages.
#[component]
pub fn SummaryList(items: Vec<PartnershipSummary>) -> impl IntoView {
    view! {
        <ul class="summary-list">
            {items.into_iter().map(|p| view! {
                <li>
                    <a href=format!("/partenariats/{}-{}", p.id, p.slug)>{p.title}</a>
                    <span class="meta">
                        {p.start_year.map(|y| y.to_string())}
                        {p.status.map(|s| view! { " · " {status_label(s)} })}
                    </span>
                </li>
            }).collect_view()}
        </ul>
    }
}
