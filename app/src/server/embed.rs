//! `/embed/collectivites/{identity}`: a French authority's partnerships as a small page made for
//! an iframe on its own website. No site chrome and no script: the world map of its partner
//! countries (an image of the site's own map), the list, a link back to the atlas. Rendered
//! here on the server, outside the application's shell, so that it carries no hydration
//! bundle; every text through the translation layer, every value escaped by the view.

use crate::components::map_frame::map_src;
use crate::format::group_digits;
use crate::i18n::Locale;
use crate::models::{FacetValue, SearchItem, SearchQuery};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;
use leptos_i18n::{td_string, Locale as _};

/// What the embed shows of an authority.
pub struct Embed {
    pub identity: String,
    pub name: String,
    pub total: u64,
    pub countries: Vec<FacetValue>,
    pub items: Vec<SearchItem>,
}

/// The whole HTML document, in `locale`, with links to the atlas under `base`.
pub fn render(embed: Embed, locale: Locale, base: &str) -> String {
    let Embed {
        identity,
        name,
        total,
        countries,
        items,
    } = embed;
    let lang = locale.as_str();
    let query = SearchQuery {
        french_authority: vec![identity.clone()],
        ..SearchQuery::default()
    };
    let map = map_src("monde.svg", &query, locale);
    let page = format!("{base}/collectivites/{identity}");
    let title = format!("{name} — {}", td_string!(locale, embed_title));
    let count = format!(
        "{} {}",
        group_digits(total as i64, locale),
        if total == 1 {
            td_string!(locale, search_one_result)
        } else {
            td_string!(locale, search_results)
        }
    );
    let country_names: Vec<String> = countries
        .iter()
        .map(|c| match locale {
            Locale::en => c.label_en.clone().unwrap_or_else(|| c.label.clone()),
            Locale::fr => c.label.clone(),
        })
        .collect();
    let alt = format!(
        "{} : {}",
        td_string!(locale, embed_map_alt),
        country_names.join(", ")
    );
    let list = items
        .into_iter()
        .map(|p| {
            let where_ = match locale {
                Locale::en => p.country_names_en.join(", "),
                Locale::fr => p.country_names.join(", "),
            };
            let year = p.start_year.map(|y| format!(" · {y}")).unwrap_or_default();
            view! {
                <li>
                    <a href=format!("{base}/partenariats/{}-{}", p.id, p.slug) target="_blank" rel="noopener">
                        {p.title}
                    </a>
                    <span class="meta">" " {where_} {year}</span>
                </li>
            }
        })
        .collect_view();
    let body = view! {
        <main class="embed">
            <h1>{name.clone()}</h1>
            <p class="lead">{count}</p>
            <figure class="embed-map">
                <img src=map alt=alt width="960" height="500"/>
            </figure>
            <h2>{td_string!(locale, embed_list)}</h2>
            <ul class="summary-list">{list}</ul>
            <p class="embed-back">
                <a href=page.clone() target="_blank" rel="noopener">{td_string!(locale, embed_back)}</a>
            </p>
        </main>
    }
    .to_html();
    let head = view! { <link rel="canonical" href=page.clone()/> }.to_html();
    document(lang, &title, &head, &body)
}

/// What an embed's address with a code several authorities share (`75`: the département of
/// Paris and Nouvelle-Aquitaine) shows: each of them, leading to its own embed.
pub fn render_choice(code: &str, candidates: Vec<(String, String)>, locale: Locale) -> String {
    let lang = locale.as_str();
    let title = format!("{} {code}", td_string!(locale, place_several_title));
    let list = candidates
        .into_iter()
        .map(|(identity, name)| {
            let href = format!("/embed/collectivites/{identity}?lang={lang}");
            view! { <li><a href=href>{name}</a></li> }
        })
        .collect_view();
    let body = view! {
        <main class="embed">
            <h1>{title.clone()}</h1>
            <p>{td_string!(locale, place_several_text)}</p>
            <ul class="summary-list">{list}</ul>
        </main>
    }
    .to_html();
    document(lang, &title, "", &body)
}

/// The whole document around a body: no script, the site's stylesheet, not for search engines.
fn document(lang: &str, title: &str, head: &str, body: &str) -> String {
    let common = view! {
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title>{title.to_string()}</title>
        <link rel="stylesheet" href="/pkg/atlas.css"/>
    }
    .to_html();
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head>{common}{head}</head><body>{body}</body></html>"
    )
}
