//! The facets of the search page: each value a plain link that ticks or unticks it, with the
//! count it would give, so the panel works the same with JavaScript off.

use crate::i18n::*;
use crate::models::{Facet, FacetValue, SearchQuery, SearchResults};
use leptos::prelude::*;

/// Where the search page lives; every facet link points there.
pub const SEARCH_PATH: &str = "/partenariats";

/// The link to a search.
pub fn search_href(query: &SearchQuery) -> String {
    format!("{SEARCH_PATH}{}", query.to_query_string())
}

/// A facet's title, translated.
pub fn facet_title(facet: Facet) -> impl IntoView {
    let i18n = use_i18n();
    match facet {
        Facet::Country => t!(i18n, facet_country).into_any(),
        Facet::Zone => t!(i18n, facet_zone).into_any(),
        Facet::Theme => t!(i18n, facet_theme).into_any(),
        Facet::Status => t!(i18n, facet_status).into_any(),
        Facet::Form => t!(i18n, facet_form).into_any(),
        Facet::StartYear => t!(i18n, facet_start_year).into_any(),
        Facet::AgreementYear => t!(i18n, facet_agreement_year).into_any(),
        Facet::AuthorityKind => t!(i18n, facet_authority_kind).into_any(),
        Facet::Region => t!(i18n, facet_region).into_any(),
        Facet::Departement => t!(i18n, facet_departement).into_any(),
        Facet::FrenchAuthority => t!(i18n, facet_french_authority).into_any(),
        Facet::ForeignPartner => t!(i18n, facet_foreign_partner).into_any(),
        Facet::Funder => t!(i18n, facet_funder).into_any(),
        Facet::Amount => t!(i18n, facet_amount).into_any(),
        Facet::Volunteers => t!(i18n, facet_volunteers).into_any(),
    }
}

/// A value's label in the reader's language.
pub fn value_label(value: &FacetValue) -> impl Fn() -> String + Send + Sync + 'static {
    let i18n = use_i18n();
    let (fr, en) = (value.label.clone(), value.label_en.clone());
    move || match i18n.get_locale() {
        Locale::en => en.clone().unwrap_or_else(|| fr.clone()),
        Locale::fr => fr.clone(),
    }
}

/// The facets shown in the panel, in order, with how many values show before "see all".
const PANEL: &[(Facet, usize)] = &[
    (Facet::Country, 8),
    (Facet::Zone, 10),
    (Facet::Theme, 0),
    (Facet::Status, 10),
    (Facet::Form, 10),
    (Facet::StartYear, 0),
    (Facet::AgreementYear, 0),
    (Facet::AuthorityKind, 10),
    (Facet::Region, 6),
    (Facet::Departement, 6),
    (Facet::FrenchAuthority, 5),
    (Facet::Funder, 10),
    (Facet::Amount, 10),
    (Facet::Volunteers, 10),
];

#[component]
pub fn FacetPanel(results: SearchResults, query: SearchQuery) -> impl IntoView {
    let i18n = use_i18n();
    let sections = PANEL
        .iter()
        .map(|(facet, limit)| {
            let values = results.facet(*facet).to_vec();
            let body = match facet {
                Facet::Theme => view! { <ThemeTree values query=query.clone()/> }.into_any(),
                Facet::StartYear | Facet::AgreementYear => {
                    view! { <YearRange facet=*facet values query=query.clone()/> }.into_any()
                }
                _ => {
                    if values.is_empty() {
                        return ().into_any();
                    }
                    view! { <ValueList facet=*facet values query=query.clone() limit=*limit/> }
                        .into_any()
                }
            };
            let id = format!("facette-{}", facet.key());
            let labelled_by = id.clone();
            view! {
                <section class="facet" aria-labelledby=labelled_by>
                    <h3 id=id>{facet_title(*facet)}</h3>
                    {body}
                </section>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <div class="facet-panel">
            <h2 class="visually-hidden">{t!(i18n, search_filters)}</h2>
            {sections}
            <button type="submit" class="button secondary">{t!(i18n, search_apply)}</button>
        </div>
    }
}

/// One facet value: a link that ticks or unticks it.
#[component]
fn ValueLink(facet: Facet, value: FacetValue, query: SearchQuery) -> impl IntoView {
    let i18n = use_i18n();
    let href = search_href(&query.toggled(facet, &value.value));
    let label = value_label(&value);
    let count = value.count;
    let selected = value.selected;
    view! {
        <a
            class="facet-value"
            class:selected=selected
            href=href
            data-facet=facet.key()
            data-value=value.value.clone()
        >
            <span class="box" aria-hidden="true"></span>
            <span class="facet-label">{label}</span>
            <span class="count">
                {move || crate::format::group_digits(count as i64, i18n.get_locale())}
            </span>
            {selected.then(|| view! { <span class="visually-hidden">{t!(i18n, search_selected)}</span> })}
        </a>
    }
}

#[component]
fn ValueList(
    facet: Facet,
    values: Vec<FacetValue>,
    query: SearchQuery,
    limit: usize,
) -> impl IntoView {
    let i18n = use_i18n();
    let item = |value: FacetValue, query: SearchQuery| {
        view! { <li><ValueLink facet value query/></li> }
    };
    let more = values.len().saturating_sub(limit);
    let (first, rest): (Vec<_>, Vec<_>) = values
        .into_iter()
        .enumerate()
        .partition(|(i, _)| *i < limit);
    let open = rest.iter().any(|(_, v)| v.selected);
    let first = first
        .into_iter()
        .map(|(_, v)| item(v, query.clone()))
        .collect_view();
    let rest = (more > 0).then(|| {
        let items = rest
            .into_iter()
            .map(|(_, v)| item(v, query.clone()))
            .collect_view();
        view! {
            <details open=open>
                <summary>{t!(i18n, search_show_more)} " (" {more} ")"</summary>
                <ul class="facet-values">{items}</ul>
            </details>
        }
    });
    view! {
        <ul class="facet-values">{first}</ul>
        {rest}
    }
}

/// The theme tree: each top-level theme opens on its sub-themes.
#[component]
fn ThemeTree(values: Vec<FacetValue>, query: SearchQuery) -> impl IntoView {
    fn level(values: &[FacetValue], parent: Option<&str>, query: &SearchQuery) -> AnyView {
        let children: Vec<&FacetValue> = values
            .iter()
            .filter(|v| v.parent.as_deref() == parent)
            .collect();
        if children.is_empty() {
            return ().into_any();
        }
        let items = children
            .into_iter()
            .map(|value| {
                let sub = level(values, Some(&value.value), query);
                let has_children = values
                    .iter()
                    .any(|v| v.parent.as_deref() == Some(value.value.as_str()));
                let open = query
                    .theme
                    .iter()
                    .any(|t| t.starts_with(&format!("{}.", value.value)) || *t == value.value);
                let link = view! { <ValueLink facet=Facet::Theme value=value.clone() query=query.clone()/> };
                if has_children {
                    view! {
                        <li>
                            {link}
                            <details open=open>
                                <summary>
                                    <span class="visually-hidden">{value_label(value)}</span>
                                    <SubthemesLabel/>
                                </summary>
                                {sub}
                            </details>
                        </li>
                    }
                    .into_any()
                } else {
                    view! { <li>{link}</li> }.into_any()
                }
            })
            .collect_view();
        view! { <ul class="facet-values tree">{items}</ul> }.into_any()
    }
    level(&values, None, &query)
}

#[component]
fn SubthemesLabel() -> impl IntoView {
    let i18n = use_i18n();
    view! { <span>{t!(i18n, search_subthemes)}</span> }
}

/// A year range: two fields of the GET form, and the years as links.
#[component]
fn YearRange(facet: Facet, values: Vec<FacetValue>, query: SearchQuery) -> impl IntoView {
    let i18n = use_i18n();
    let (min_name, max_name, min, max) = match facet {
        Facet::StartYear => (
            "start_year_min",
            "start_year_max",
            query.start_year_min,
            query.start_year_max,
        ),
        _ => (
            "agreement_year_min",
            "agreement_year_max",
            query.agreement_year_min,
            query.agreement_year_max,
        ),
    };
    let min_id = format!("champ-{min_name}");
    let max_id = format!("champ-{max_name}");
    let years = (!values.is_empty()).then(|| {
        let items = values
            .into_iter()
            .map(|v| view! { <li><ValueLink facet value=v query=query.clone()/></li> })
            .collect_view();
        view! {
            <details>
                <summary>{t!(i18n, search_by_year)}</summary>
                <ul class="facet-values years">{items}</ul>
            </details>
        }
    });
    view! {
        <div class="year-range">
            <label for=min_id.clone()>{t!(i18n, search_year_from)}</label>
            <input
                id=min_id
                name=min_name
                type="number"
                inputmode="numeric"
                min="1950"
                max="2100"
                value=min.map(|y| y.to_string())
            />
            <label for=max_id.clone()>{t!(i18n, search_year_to)}</label>
            <input
                id=max_id
                name=max_name
                type="number"
                inputmode="numeric"
                min="1950"
                max="2100"
                value=max.map(|y| y.to_string())
            />
            <button type="submit" class="button small">{t!(i18n, search_ok)}</button>
        </div>
        {years}
    }
}
