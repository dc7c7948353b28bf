//! Statistics of a selection: the search page's filters, as charts with their tables.

use crate::api::overview::load_statistics;
use crate::components::charts::{Bar, BarChart};
use crate::components::facet_panel::search_href;
use crate::components::title::page_title;
use crate::format::{euros, group_digits};
use crate::i18n::*;
use crate::models::{SearchQuery, Statistics};
use crate::pages::search::use_search_query;
use leptos::prelude::*;

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_search_query();
    let query = Memo::new(move |_| state.get().0.filters_only());
    let data = Resource::new(move || query.get(), load_statistics);
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, stats_title), t_string!(i18n, site_name)))}
        <div class="container">
            <h1>{t!(i18n, stats_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(stats) => view! { <Charts stats query=query.get()/> }.into_any(),
                    Err(e) => crate::pages::not_found::service_error(e),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Charts(stats: Statistics, query: SearchQuery) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let en = locale == Locale::en;
    let count_bar = |label: String, n: u64, href: Option<String>| Bar {
        label,
        value: n as f64,
        text: group_digits(n as i64, locale),
        href,
    };
    let money_bar = |label: String, amount: f64| Bar {
        label,
        value: amount,
        text: euros(amount, locale),
        href: None,
    };
    let years: Vec<Bar> = stats
        .by_start_year
        .iter()
        .map(|(y, n)| count_bar(y.to_string(), *n, None))
        .collect();
    let themes: Vec<Bar> = stats
        .by_theme
        .iter()
        .map(|v| {
            let label = if en {
                v.label_en.clone().unwrap_or(v.label.clone())
            } else {
                v.label.clone()
            };
            let href = search_href(&query.toggled(crate::models::Facet::Theme, &v.value));
            count_bar(label, v.count, Some(href))
        })
        .collect();
    let countries: Vec<Bar> = stats
        .top_countries
        .iter()
        .map(|v| {
            let label = if en {
                v.label_en.clone().unwrap_or(v.label.clone())
            } else {
                v.label.clone()
            };
            count_bar(label, v.count, Some(format!("/pays/{}", v.value)))
        })
        .collect();
    let funding_years: Vec<Bar> = stats
        .funding_by_year
        .iter()
        .map(|(y, a)| money_bar(y.to_string(), *a))
        .collect();
    let funders: Vec<Bar> = stats
        .funding_by_funder
        .iter()
        .map(|(k, a)| {
            let (fr_label, en_label) = crate::components::labels::funder_label(*k);
            money_bar(if en { en_label } else { fr_label }.to_string(), *a)
        })
        .collect();
    let t = |s: &str| s.to_string();
    let summary = t(t_string!(i18n, stats_table));
    let filtered = query.is_filtered();
    view! {
        <p class="lead">
            <strong>{group_digits(stats.total as i64, locale)}</strong> " " {t!(i18n, search_results)}
            {filtered.then(|| view! { " — " <a href=search_href(&query)>{t!(i18n, stats_selection)}</a> })}
        </p>
        <div class="charts">
            <BarChart id="annees" title=t(t_string!(i18n, stats_by_year)) description=t(t_string!(i18n, stats_by_year_desc))
                label_header=t(t_string!(i18n, p_year)) value_header=t(t_string!(i18n, search_results)) table_summary=summary.clone() bars=years/>
            <BarChart id="themes" title=t(t_string!(i18n, stats_by_theme)) description=t(t_string!(i18n, stats_by_theme_desc))
                label_header=t(t_string!(i18n, facet_theme)) value_header=t(t_string!(i18n, search_results)) table_summary=summary.clone() bars=themes/>
            <BarChart id="pays" title=t(t_string!(i18n, stats_top_countries)) description=t(t_string!(i18n, stats_top_countries_desc))
                label_header=t(t_string!(i18n, facet_country)) value_header=t(t_string!(i18n, search_results)) table_summary=summary.clone() bars=countries/>
            <BarChart id="financements" title=t(t_string!(i18n, stats_funding_year)) description=t(t_string!(i18n, stats_funding_year_desc))
                label_header=t(t_string!(i18n, p_year)) value_header=t(t_string!(i18n, p_amount)) table_summary=summary.clone() bars=funding_years/>
            <BarChart id="financeurs" title=t(t_string!(i18n, stats_funding_funder)) description=t(t_string!(i18n, stats_funding_funder_desc))
                label_header=t(t_string!(i18n, facet_funder)) value_header=t(t_string!(i18n, p_amount)) table_summary=summary bars=funders/>
        </div>
    }
}
