//! The map page: the world by country and France by région, following the search filters,
//! each with the table that gives the same figures to those who cannot use the map.

use crate::api::search::search_partnerships;
use crate::components::facet_panel::{search_href, value_label};
use crate::components::map_frame::{map_src, MapFrame};
use crate::components::title::page_title;
use crate::format::group_digits;
use crate::i18n::*;
use crate::models::{Facet, FacetValue, SearchQuery};
use crate::pages::search::use_search_query;
use leptos::prelude::*;

#[component]
pub fn MapPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_search_query();
    let query = Memo::new(move |_| SearchQuery {
        per_page: 1,
        ..state.get().0.filters_only()
    });
    let results = Resource::new(move || query.get(), search_partnerships);
    let world = move || map_src("monde.svg", &query.get(), i18n.get_locale());
    let regions = move || map_src("regions.svg", &query.get(), i18n.get_locale());
    let departements = move || map_src("departements.svg", &query.get(), i18n.get_locale());
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, map_title), t_string!(i18n, site_name)))}
        <div class="container">
            <h1>{t!(i18n, map_title)}</h1>
            <p class="lead">{t!(i18n, map_intro)}</p>
            {move || query.get().is_filtered().then(|| {
                let href = search_href(&query.get());
                view! { <p><a href=href>{t!(i18n, stats_selection)}</a></p> }
            })}
            <figure class="map-large">
                <MapFrame src=world title=move || t_string!(i18n, map_world_title).to_string()/>
            </figure>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || results.get().map(|r| match r {
                    Ok(results) => view! {
                        <details class="map-table">
                            <summary>{t!(i18n, map_table_countries)}</summary>
                            <CountTable values=results.facet(Facet::Country).to_vec() facet=Facet::Country query=query.get()/>
                        </details>
                    }.into_any(),
                    Err(e) => crate::pages::not_found::service_error(e),
                })}
            </Suspense>
            <h2>{t!(i18n, map_france)}</h2>
            <div class="columns">
                <figure class="map-large">
                    <figcaption>{t!(i18n, map_by_region)}</figcaption>
                    <MapFrame src=regions title=move || t_string!(i18n, map_frame_regions).to_string()/>
                </figure>
                <figure class="map-large">
                    <figcaption>{t!(i18n, map_by_departement)}</figcaption>
                    <MapFrame src=departements title=move || t_string!(i18n, map_frame_departements).to_string()/>
                </figure>
            </div>
            <Suspense fallback=|| ()>
                {move || results.get().map(|r| r.ok().map(|results| view! {
                    <details class="map-table">
                        <summary>{t!(i18n, map_table_regions)}</summary>
                        <CountTable values=results.facet(Facet::Region).to_vec() facet=Facet::Region query=query.get()/>
                    </details>
                }))}
            </Suspense>
            <p class="note"><a href="/donnees-ouvertes#credits">{t!(i18n, map_credits)}</a></p>
        </div>
    }
}

/// The same figures as a map, as a table whose names link to the filtered search.
#[component]
fn CountTable(values: Vec<FacetValue>, facet: Facet, query: SearchQuery) -> impl IntoView {
    let i18n = use_i18n();
    let rows = values
        .into_iter()
        .map(|v| {
            let href = match facet {
                Facet::Country => format!("/pays/{}", v.value),
                _ => search_href(&query.toggled(facet, &v.value)),
            };
            let count = v.count;
            view! {
                <tr>
                    <th scope="row"><a href=href>{value_label(&v)}</a></th>
                    <td class="num">{move || group_digits(count as i64, i18n.get_locale())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data">
            <thead>
                <tr>
                    <th scope="col">{crate::components::facet_panel::facet_title(facet)}</th>
                    <th scope="col">{t!(i18n, map_legend)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
