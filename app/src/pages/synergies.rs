//! `/synergies`: "qui travaille sur l'eau au Burkina Faso ?". A country or a zone and a theme
//! (the search's own filters, in the address) give the French authorities working there, those
//! with most ongoing partnerships first, the embassy, and where they are in France.

use crate::api::search::search_partnerships;
use crate::api::synergies::find_synergies;
use crate::components::facet_panel::{search_href, value_label};
use crate::components::map_frame::{map_src, MapFrame};
use crate::components::synergies::PeerList;
use crate::components::title::{canonical, page_title};
use crate::format::group_digits;
use crate::i18n::*;
use crate::models::{Facet, FacetValue, SearchQuery, SearchResults};
use crate::pages::search::use_search_query;
use leptos::prelude::*;
use leptos_meta::Meta;

#[component]
pub fn SynergiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_search_query();
    let query = Memo::new(move |_| SearchQuery {
        per_page: 1,
        ..state.get().0.filters_only()
    });
    let choices = Resource::new(move || query.get(), search_partnerships);
    let found = Resource::new(move || query.get(), find_synergies);
    let map = move || map_src("departements.svg", &query.get(), i18n.get_locale());
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, syn_page_title), t_string!(i18n, site_name)))}
        <Meta name="description" content=move || t_string!(i18n, syn_page_intro).to_string()/>
        {canonical("/synergies".to_string())}
        <div class="container">
            <h1>{t!(i18n, syn_page_title)}</h1>
            <p class="lead">{t!(i18n, syn_page_intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || choices.get().map(|r| match r {
                    Ok(results) => view! { <Choices results query=query.get()/> }.into_any(),
                    Err(e) => crate::pages::not_found::service_error(e),
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || found.get().map(|r| r.ok().map(|group| {
                    let total = group.total;
                    let search = search_href(&query.get().filters_only());
                    view! {
                        <section aria-labelledby="collectivites-synergies" class="synergies">
                            <h2 id="collectivites-synergies">
                                <strong>{move || group_digits(total as i64, i18n.get_locale())}</strong>
                                " " {t!(i18n, syn_page_authorities)}
                            </h2>
                            <p><a href=search>{t!(i18n, syn_page_search_link)}</a></p>
                            <PeerList group/>
                        </section>
                    }
                }))}
            </Suspense>
            <section aria-labelledby="carte-synergies">
                <h2 id="carte-synergies">{t!(i18n, syn_page_map)}</h2>
                <figure class="map-large">
                    <MapFrame src=map title=move || t_string!(i18n, syn_page_map_title).to_string()/>
                </figure>
            </section>
        </div>
    }
}

/// The form that chooses the place and the theme: plain lists, sent as a plain `GET`.
#[component]
fn Choices(results: SearchResults, query: SearchQuery) -> impl IntoView {
    let i18n = use_i18n();
    let select = |facet: Facet, id: &'static str, values: Vec<FacetValue>, chosen: Vec<String>| {
        // A theme's depth in the tree, by its parents among the values.
        let depth = |v: &FacetValue| {
            let mut depth = 0;
            let mut parent = v.parent.clone();
            while let Some(code) = parent.filter(|_| depth < 8) {
                depth += 1;
                parent = values
                    .iter()
                    .find(|p| p.value == code)
                    .and_then(|p| p.parent.clone());
            }
            depth
        };
        let depths: Vec<usize> = values.iter().map(depth).collect();
        let options = values
            .into_iter()
            .zip(depths)
            .map(|(v, depth)| {
                let selected = chosen.contains(&v.value);
                let label = value_label(&v);
                let indent = "\u{a0}\u{a0}".repeat(depth);
                view! { <option value=v.value.clone() selected=selected>{indent}{label}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for=id>{crate::components::facet_panel::facet_title(facet)}</label>
                <select id=id name=facet.key()>
                    <option value="">{t!(i18n, syn_page_any)}</option>
                    {options}
                </select>
            </div>
        }
    };
    let countries = select(
        Facet::Country,
        "synergies-pays",
        results.facet(Facet::Country).to_vec(),
        query.country.clone(),
    );
    let zones = select(
        Facet::Zone,
        "synergies-zone",
        results.facet(Facet::Zone).to_vec(),
        query.zone.iter().map(|z| z.code().to_string()).collect(),
    );
    let themes = select(
        Facet::Theme,
        "synergies-theme",
        results.facet(Facet::Theme).to_vec(),
        query.theme.clone(),
    );
    view! {
        <form method="get" action="/synergies" class="synergies-form">
            {countries}
            {zones}
            {themes}
            <button type="submit" class="button">{t!(i18n, syn_page_submit)}</button>
        </form>
    }
}
