//! "Who else works there?": the peers found in a country, each with its partnerships there and
//! why it is close, and the embassy that can put them in touch.

use crate::components::embassy::EmbassyContacts;
use crate::components::facet_panel::search_href;
use crate::components::labels::status_label;
use crate::format::group_digits;
use crate::i18n::*;
use crate::models::{Activity, Closeness, Peer, SearchQuery, Synergies};
use leptos::prelude::*;

/// Why a peer's partnership is close, in words: "same partner · same sub-theme · ongoing".
fn closeness_text(i18n: leptos_i18n::I18nContext<Locale>, c: Closeness) -> String {
    let partner = if c.same_partner {
        t_string!(i18n, syn_same_partner)
    } else {
        t_string!(i18n, syn_same_country)
    };
    let theme = match c.theme_level {
        3.. => t_string!(i18n, syn_same_subtheme),
        2 => t_string!(i18n, syn_same_theme),
        _ => t_string!(i18n, syn_same_parent_theme),
    };
    let mut parts = vec![partner.to_string(), theme.to_string()];
    match c.activity {
        Activity::Ongoing => parts.push(t_string!(i18n, syn_ongoing).to_string()),
        Activity::Completed => parts.push(t_string!(i18n, syn_completed).to_string()),
        Activity::Other => {}
    }
    parts.join(" · ")
}

/// One country's peers: a list closest first, the embassy, a link to all of them.
#[component]
pub fn PeerList(
    group: Synergies,
    /// Whether the country is named (`h3`), when a page lists several.
    #[prop(default = false)]
    show_country: bool,
    /// Where the embassy's contacts are when the page shows them already (`#ambassade`).
    #[prop(default = None)]
    embassy_anchor: Option<&'static str>,
    /// The `/synergies` page's query for this country, for "see all of them".
    #[prop(default = None)]
    all: Option<SearchQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let names = (group.country_name.clone(), group.country_name_en.clone());
    let country_name = move || match i18n.get_locale() {
        Locale::en if !names.1.is_empty() => names.1.clone(),
        _ => names.0.clone(),
    };
    let heading = show_country.then(|| {
        let id = format!("qui-d-autre-{}", group.country.clone().unwrap_or_default());
        view! { <h3 id=id>{country_name.clone()}</h3> }
    });
    let total = group.total;
    let listed = group.peers.len() as u32;
    let empty = group.peers.is_empty().then(|| {
        view! { <p class="note">{t!(i18n, syn_nobody)}</p> }
    });
    let peers = (!group.peers.is_empty()).then(|| {
        view! {
            <ol class="peers">
                {group.peers.into_iter().map(|peer| view! { <PeerItem peer/> }).collect_view()}
            </ol>
        }
    });
    let more = (total > listed).then(|| {
        let rest = total - listed;
        let link = all.map(|q| {
            view! {
                " " <a href=synergies_href(&q)>{t!(i18n, syn_see_all)}</a>
            }
        });
        view! {
            <p class="see-all">
                {move || group_digits(rest as i64, i18n.get_locale())} " " {t!(i18n, syn_more)}
                {link}
            </p>
        }
    });
    let embassy = match (embassy_anchor, group.embassy) {
        (Some(anchor), Some(_)) => Some(
            view! {
                <p class="embassy-link">
                    {t!(i18n, syn_embassy_intro)} " "
                    <a href=anchor>{t!(i18n, syn_embassy_see)}</a>
                </p>
            }
            .into_any(),
        ),
        (None, Some(e)) => Some(view! { <EmbassyContacts embassy=e/> }.into_any()),
        _ => None,
    };
    view! {
        {heading}
        {empty}
        {peers}
        {more}
        {embassy}
    }
}

/// The address of the `/synergies` page for a selection.
pub fn synergies_href(query: &SearchQuery) -> String {
    let search = search_href(query);
    match search.split_once('?') {
        Some((_, filters)) => format!("/synergies?{filters}"),
        None => "/synergies".to_string(),
    }
}

#[component]
fn PeerItem(peer: Peer) -> impl IntoView {
    let i18n = use_i18n();
    let names = (peer.name.clone(), peer.name_en.clone());
    let name = move || match i18n.get_locale() {
        Locale::en => names.1.clone(),
        Locale::fr => names.0.clone(),
    };
    let count = peer.count;
    let ongoing = peer.ongoing;
    let closeness = peer
        .closeness
        .map(|c| view! { <span class="why">{move || closeness_text(i18n, c)}</span> });
    view! {
        <li>
            <a class="peer" href=format!("/collectivites/{}", peer.id)>{name}</a>
            " " {closeness}
            <span class="meta">
                " " {move || group_digits(count as i64, i18n.get_locale())} " " {t!(i18n, syn_partnerships_there)}
                {(ongoing > 0).then(|| view! {
                    ", " {move || group_digits(ongoing as i64, i18n.get_locale())} " " {t!(i18n, syn_ongoing)}
                })}
            </span>
            <ul class="peer-partnerships">
                {peer.partnerships.into_iter().map(|p| {
                    let item = p.item;
                    view! {
                        <li>
                            <a href=format!("/partenariats/{}-{}", item.id, item.slug)>{item.title}</a>
                            <span class="meta">
                                {item.start_year.map(|y| view! { " · " {y} })}
                                {item.status.map(|s| view! { " · " {status_label(s)} })}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </li>
    }
}

/// The panel of a partnership's page: its peers in each of its countries.
#[component]
pub fn SynergiesPanel(
    groups: Vec<Synergies>,
    /// The partnership's theme, for the link to everyone working on it in a country.
    theme: Option<String>,
    /// The country whose embassy the page shows already.
    embassy_country: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let several = groups.len() > 1;
    view! {
        <section class="block synergies" aria-labelledby="qui-d-autre">
            <h2 id="qui-d-autre">{t!(i18n, syn_title)}</h2>
            <p class="note">{t!(i18n, syn_intro)}</p>
            {groups.into_iter().map(|group| {
                let all = SearchQuery {
                    country: group.country.clone().into_iter().collect(),
                    theme: theme.clone().into_iter().collect(),
                    ..SearchQuery::default()
                };
                let anchor = (group.country.is_some() && group.country == embassy_country)
                    .then_some("#ambassade");
                view! { <PeerList group show_country=several embassy_anchor=anchor all=Some(all)/> }
            }).collect_view()}
        </section>
    }
}
