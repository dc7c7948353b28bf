//! "Who else works there?" for a partnership, an authority and a selection of the search: the
//! index ranks the peers (`search::index::synergies`), the database gives the embassies.

use crate::error::AppError;
use crate::models::{Facet, SearchQuery, Synergies};
use crate::server::search::index::{Found, Listing};
use crate::server::search::Search;
use sea_orm::ConnectionTrait;

/// What a partnership's panel lists in each country.
pub const ON_A_PARTNERSHIP: Listing = Listing {
    peers: 8,
    partnerships: 3,
};
/// What an authority's page lists in each of its countries.
pub const ON_AN_AUTHORITY: Listing = Listing {
    peers: 6,
    partnerships: 3,
};
/// What the `/synergies` page lists.
pub const ON_THE_PAGE: Listing = Listing {
    peers: 50,
    partnerships: 5,
};
/// An authority's countries shown at most on its page, most partnerships first.
const AUTHORITY_COUNTRIES: usize = 12;

/// The peers of a published partnership in each of its countries; `NotFound` when it is not
/// published.
pub async fn of_partnership(
    db: &impl ConnectionTrait,
    search: &Search,
    id: i32,
) -> Result<Vec<Synergies>, AppError> {
    let groups = search
        .compute(move |index| {
            let doc = index.position(id)?;
            Some(index.peers_of_partnership(doc, ON_A_PARTNERSHIP))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    with_countries(db, search, groups).await
}

/// The peers of an authority (its identity) in each of the countries where it works, for the
/// partnerships it has there.
pub async fn of_authority(
    db: &impl ConnectionTrait,
    search: &Search,
    identity: String,
) -> Result<Vec<Synergies>, AppError> {
    let groups = search
        .compute(move |index| {
            let query = SearchQuery {
                french_authority: vec![identity],
                ..SearchQuery::default()
            };
            let own = index.matching_set(&query);
            index
                .countries_of(&own)
                .into_iter()
                .take(AUTHORITY_COUNTRIES)
                .map(|country| {
                    let there = SearchQuery {
                        country: vec![country.clone()],
                        ..query.clone()
                    };
                    let found =
                        index.peers_of(&index.matching_set(&there), &country, ON_AN_AUTHORITY);
                    (country, found)
                })
                .collect()
        })
        .await?;
    with_countries(db, search, groups).await
}

/// The authorities with partnerships in a selection of the search (a country or a zone, a
/// theme, any filter), those with most ongoing partnerships there first; the embassy when the
/// selection names one country.
pub async fn among(
    db: &impl ConnectionTrait,
    search: &Search,
    query: SearchQuery,
) -> Result<Synergies, AppError> {
    let country = match query.country.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    let found = search
        .compute(move |index| index.peers_among(&index.matching_set(&query), ON_THE_PAGE))
        .await?;
    let group = (country.unwrap_or_default(), found);
    Ok(with_countries(db, search, vec![group])
        .await?
        .pop()
        .unwrap_or_default())
}

/// Each country's names and embassy beside its peers (a group without a country stays so).
async fn with_countries(
    db: &impl ConnectionTrait,
    search: &Search,
    groups: Vec<(String, Found)>,
) -> Result<Vec<Synergies>, AppError> {
    let countries: Vec<String> = groups
        .iter()
        .map(|(c, _)| c.clone())
        .filter(|c| !c.is_empty())
        .collect();
    let mut embassies = super::partnerships::embassies(db, countries).await?;
    let index = search.ready()?;
    Ok(groups
        .into_iter()
        .map(|(country, found)| {
            let label = index.label(Facet::Country, &country);
            Synergies {
                country_name: label.map(|l| l.label.to_string()).unwrap_or_default(),
                country_name_en: label
                    .and_then(|l| l.label_en.as_deref().map(str::to_string))
                    .unwrap_or_default(),
                embassy: embassies.remove(&country),
                country: (!country.is_empty()).then_some(country),
                total: found.total,
                peers: found.peers,
            }
            .conceal_emails()
        })
        .collect())
}
