//! The pages of a partner country, a French local authority and a local authority abroad: their
//! figures, their partnerships, links onward to the search with the same filter.

use crate::api::overview::{load_authority, load_country, load_partner};
use crate::api::synergies::authority_synergies;
use crate::components::charts::{Bar, BarChart};
use crate::components::embassy::ContactList;
use crate::components::facet_panel::{search_href, value_label};
use crate::components::labels::{kind_label, status_label};
use crate::components::synergies::PeerList;
use crate::components::title::{canonical, page_title};
use crate::error::AppError;
use crate::format::{euros, group_digits};
use crate::i18n::*;
use crate::models::{
    AuthorityAnswer, AuthorityCandidate, AuthorityOverview, FacetValue, SearchItem, SearchQuery,
};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_params_map;

fn not_found_or_error(error: AppError) -> AnyView {
    match error {
        AppError::NotFound => view! { <crate::pages::not_found::NotFound/> }.into_any(),
        error => crate::pages::not_found::service_error(error),
    }
}

/// A short list of partnerships.
#[component]
pub fn ItemList(items: Vec<SearchItem>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="summary-list">
            {items.into_iter().map(|p| {
                let countries = (p.country_names.clone(), p.country_names_en.clone());
                view! {
                    <li>
                        <a href=format!("/partenariats/{}-{}", p.id, p.slug)>{p.title}</a>
                        <span class="meta">
                            {move || match i18n.get_locale() { Locale::en => countries.1.join(", "), Locale::fr => countries.0.join(", ") }}
                            {p.start_year.map(|y| view! { " · " {y} })}
                            {p.status.map(|s| view! { " · " {status_label(s)} })}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Facet values as links: to a page of their own, or to the search.
#[component]
fn ValueLinks(values: Vec<FacetValue>, href: fn(&FacetValue) -> String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="value-links">
            {values.into_iter().map(|v| {
                let count = v.count;
                view! {
                    <li>
                        <a href=href(&v)>{value_label(&v)}</a>
                        " " <span class="count">{move || group_digits(count as i64, i18n.get_locale())}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn SeeAll(query: SearchQuery, total: u64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="see-all">
            <a class="button secondary" href=search_href(&query)>
                {t!(i18n, place_see_all)} " (" {move || group_digits(total as i64, i18n.get_locale())} ")"
            </a>
        </p>
    }
}

/// A place's latest partnerships, and a link to all of them in the search.
#[component]
fn LatestPartnerships(
    id: &'static str,
    items: Vec<SearchItem>,
    query: SearchQuery,
    total: u64,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby=id>
            <h2 id=id>{t!(i18n, place_partnerships)}</h2>
            <ItemList items/>
            <SeeAll query total/>
        </section>
    }
}

#[component]
pub fn CountryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let iso2 = move || params.read().get("iso2").unwrap_or_default();
    let data = Resource::new(iso2, load_country);
    view! {
        <div class="container">
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(c) => {
                        let names = (c.name_fr.clone(), c.name_en.clone());
                        let name = move || match i18n.get_locale() { Locale::en => names.1.clone(), Locale::fr => names.0.clone() };
                        let title_name = name.clone();
                        let query = SearchQuery { country: vec![c.iso2.clone()], ..SearchQuery::default() };
                        let themes: Vec<FacetValue> = c.themes.iter().filter(|t| t.parent.is_none()).cloned().collect();
                        let embassy = c.embassy.clone().map(|e| view! {
                            <section aria-labelledby="ambassade">
                                <h2 id="ambassade">{t!(i18n, p_embassy)}</h2>
                                <p>{e.post}</p>
                                <ContactList contacts=e.contacts/>
                            </section>
                        });
                        let description = format!(
                            "{} : {} {}. {}",
                            name(),
                            group_digits(c.total as i64, i18n.get_locale_untracked()),
                            t_string!(i18n, search_results),
                            t_string!(i18n, site_tagline)
                        );
                        view! {
                            {page_title(move || format!("{} — {}", title_name(), t_string!(i18n, site_name)))}
                            <Meta name="description" content=description/>
                            {canonical(format!("/pays/{}", c.iso2))}
                            <nav class="breadcrumb" aria-label=move || t_string!(i18n, p_breadcrumb).to_string()>
                                <a href="/carte">{t!(i18n, nav_map)}</a>
                            </nav>
                            <h1>{name}</h1>
                            <p class="lead"><strong>{move || group_digits(c.total as i64, i18n.get_locale())}</strong> " " {t!(i18n, search_results)}</p>
                            <div class="columns">
                                <section aria-labelledby="themes-pays">
                                    <h2 id="themes-pays">{t!(i18n, place_by_theme)}</h2>
                                    <ValueLinks values=themes href=|v| format!("/partenariats?theme={}", v.value)/>
                                </section>
                                <section aria-labelledby="collectivites-pays">
                                    <h2 id="collectivites-pays">{t!(i18n, place_french_authorities)}</h2>
                                    <ValueLinks values=c.french_authorities.clone() href=|v| format!("/collectivites/{}", v.value)/>
                                </section>
                            </div>
                            {embassy}
                            <LatestPartnerships id="derniers" items=c.items.clone() query total=c.total/>
                        }.into_any()
                    }
                    Err(e) => not_found_or_error(e),
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn AuthorityPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, load_authority);
    view! {
        <div class="container">
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(AuthorityAnswer::Found(a)) => view! { <Authority a=*a/> }.into_any(),
                    Ok(AuthorityAnswer::Several { code, candidates }) => {
                        view! { <SeveralAuthorities code candidates/> }.into_any()
                    }
                    Err(e) => not_found_or_error(e),
                })}
            </Suspense>
        </div>
    }
}

/// A code shared by several authorities: the list to choose from, never a silent pick. Answers
/// 300 Multiple Choices.
#[component]
fn SeveralAuthorities(code: String, candidates: Vec<AuthorityCandidate>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::MULTIPLE_CHOICES);
    }
    let i18n = use_i18n();
    let shown = code.clone();
    view! {
        {page_title(move || format!("{} {} — {}", t_string!(i18n, place_several_title), shown, t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <h1>{t!(i18n, place_several_title)} " " {code}</h1>
        <p>{t!(i18n, place_several_text)}</p>
        <ul class="value-links">
            {candidates.into_iter().map(|c| view! {
                <li>
                    <a href=format!("/collectivites/{}", c.id)>{c.name}</a>
                    " — " {kind_label(c.kind)} " " <span class="code">{c.code}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Authority(a: AuthorityOverview) -> impl IntoView {
    let i18n = use_i18n();
    let name = a.name.clone();
    let query = SearchQuery {
        french_authority: vec![a.id.clone()],
        ..SearchQuery::default()
    };
    let locale = i18n.get_locale_untracked();
    let bars: Vec<Bar> = a
        .funding_by_year
        .iter()
        .map(|(y, e)| Bar {
            label: y.to_string(),
            value: *e,
            text: euros(*e, locale),
            href: None,
        })
        .collect();
    let chart = (!bars.is_empty()).then(|| {
        view! {
            <BarChart id="financements-annee"
                title=t_string!(i18n, place_funding_title).to_string()
                description=t_string!(i18n, place_funding_desc).to_string()
                label_header=t_string!(i18n, p_year).to_string()
                value_header=t_string!(i18n, p_amount).to_string()
                table_summary=t_string!(i18n, stats_table).to_string()
                bars/>
        }
    });
    view! {
        {page_title(move || format!("{} — {}", name, t_string!(i18n, site_name)))}
        {canonical(format!("/collectivites/{}", a.id))}
        <h1>{a.name.clone()}</h1>
        <p class="lead">
            {a.kind.map(|k| view! { {kind_label(k)} " · " })}
            {t!(i18n, place_code)} " " {a.code.clone()}
            {a.siren.clone().filter(|s| *s != a.code).map(|s| view! { " · SIREN " {s} })}
        </p>
        <p><strong>{move || group_digits(a.total as i64, i18n.get_locale())}</strong> " " {t!(i18n, search_results)}</p>
        <div class="columns">
            <section aria-labelledby="pays-collectivite">
                <h2 id="pays-collectivite">{t!(i18n, place_countries)}</h2>
                <ValueLinks values=a.countries.clone() href=|v| format!("/pays/{}", v.value)/>
            </section>
            <section aria-labelledby="partenaires-collectivite">
                <h2 id="partenaires-collectivite">{t!(i18n, place_foreign_partners)}</h2>
                <ValueLinks values=a.foreign_partners.clone() href=|v| format!("/partenaires/{}", v.value)/>
            </section>
        </div>
        {chart}
        <LatestPartnerships id="partenariats-collectivite" items=a.items.clone() query total=a.total/>
        <AuthorityPeers identity=a.id.clone()/>
        <EmbedSnippet identity=a.id.clone() name=a.name.clone()/>
    }
}

/// The code an authority copies into its own website to show its partnerships there.
#[component]
fn EmbedSnippet(identity: String, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let path = format!("/embed/collectivites/{identity}");
    let src = crate::components::title::absolute(path.clone());
    let frame_title = move || format!("{name} — {}", t_string!(i18n, embed_title));
    let snippet = move || {
        format!(
            "<iframe src=\"{src}\" title=\"{}\" width=\"100%\" height=\"720\" style=\"border:0\" loading=\"lazy\"></iframe>",
            frame_title().replace('"', "&quot;")
        )
    };
    view! {
        <section class="block embed-snippet" aria-labelledby="integrer">
            <h2 id="integrer">{t!(i18n, embed_snippet_title)}</h2>
            <p>{t!(i18n, embed_snippet_intro)}</p>
            <label for="code-integration">{t!(i18n, embed_snippet_label)}</label>
            <textarea id="code-integration" readonly rows="4" spellcheck="false">{snippet}</textarea>
            <p><a href=path>{t!(i18n, embed_preview)}</a></p>
        </section>
    }
}

/// Who else works in the countries where an authority works, country by country; left out
/// while the search index is being built.
#[component]
fn AuthorityPeers(identity: String) -> impl IntoView {
    let i18n = use_i18n();
    let groups = Resource::new(move || identity.clone(), authority_synergies);
    view! {
        <Suspense fallback=|| ()>
            {move || groups.get().and_then(Result::ok).filter(|g| !g.is_empty()).map(|groups| view! {
                <section class="block synergies" aria-labelledby="qui-d-autre">
                    <h2 id="qui-d-autre">{t!(i18n, syn_authority_title)}</h2>
                    <p class="note">{t!(i18n, syn_authority_intro)}</p>
                    {groups.into_iter().map(|group| {
                        let all = SearchQuery {
                            country: group.country.clone().into_iter().collect(),
                            ..SearchQuery::default()
                        };
                        view! { <PeerList group show_country=true all=Some(all)/> }
                    }).collect_view()}
                </section>
            })}
        </Suspense>
    }
}

#[component]
pub fn PartnerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(id, load_partner);
    view! {
        <div class="container">
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(p) => {
                        let name = p.name.clone();
                        let query = SearchQuery { foreign_partner: vec![p.id], ..SearchQuery::default() };
                        let country_names = (p.country_name_fr.clone(), p.country_name_en.clone());
                        let country = p.country.clone().map(|iso2| view! {
                            <p class="lead">
                                <a href=format!("/pays/{iso2}")>
                                    {move || match i18n.get_locale() { Locale::en => country_names.1.clone(), Locale::fr => country_names.0.clone() }}
                                </a>
                            </p>
                        });
                        view! {
                            {page_title(move || format!("{} — {}", name, t_string!(i18n, site_name)))}
                            <h1>{p.name.clone()}</h1>
                            {country}
                            <p><strong>{move || group_digits(p.total as i64, i18n.get_locale())}</strong> " " {t!(i18n, search_results)}</p>
                            <section aria-labelledby="collectivites-partenaire">
                                <h2 id="collectivites-partenaire">{t!(i18n, place_french_authorities)}</h2>
                                <ValueLinks values=p.french_authorities.clone() href=|v| format!("/collectivites/{}", v.value)/>
                            </section>
                            <LatestPartnerships id="partenariats-partenaire" items=p.items.clone() query total=p.total/>
                        }.into_any()
                    }
                    Err(e) => not_found_or_error(e),
                })}
            </Suspense>
        </div>
    }
}
