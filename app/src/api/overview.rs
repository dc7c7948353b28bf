use crate::error::AppError;
use crate::models::{AuthorityAnswer, CountryOverview, PartnerOverview, SearchQuery, Statistics};
use leptos::prelude::*;

/// The partnerships shown on an overview page before "see them all".
#[cfg(feature = "ssr")]
const LISTED: u32 = 20;

#[cfg(feature = "ssr")]
fn listing(query: SearchQuery) -> SearchQuery {
    SearchQuery {
        sort: crate::models::Sort::StartYear,
        per_page: LISTED,
        ..query
    }
}

#[server(prefix = "/api/fn", endpoint = "country")]
pub async fn load_country(iso2: String) -> Result<CountryOverview, AppError> {
    use crate::models::Facet;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let search = expect_context::<crate::server::search::Search>();
    let iso2 = iso2.to_ascii_uppercase();
    let overview = {
        let index = search.ready()?;
        let info = index
            .label(Facet::Country, &iso2)
            .cloned()
            .ok_or(AppError::NotFound)?;
        let query = listing(SearchQuery {
            country: vec![iso2.clone()],
            ..SearchQuery::default()
        });
        let outcome = index
            .search(
                &query,
                &[Facet::Theme, Facet::FrenchAuthority, Facet::ForeignPartner],
            )
            .map_err(|fields| AppError::Validation { fields })?;
        CountryOverview {
            name_fr: info.label.to_string(),
            name_en: info.label_en_or_fr().to_string(),
            iso2: iso2.clone(),
            total: outcome.total,
            themes: outcome.facet(Facet::Theme),
            french_authorities: outcome.facet(Facet::FrenchAuthority),
            foreign_partners: outcome.facet(Facet::ForeignPartner),
            embassy: None,
            items: outcome.items,
        }
    };
    let embassy = crate::server::services::partnerships::embassy(&db, &iso2).await?;
    Ok(CountryOverview {
        embassy,
        ..overview
    }
    .conceal_emails())
}

#[server(prefix = "/api/fn", endpoint = "authority")]
pub async fn load_authority(code: String) -> Result<AuthorityAnswer, AppError> {
    use crate::models::{CollectivityKind, Facet};
    use crate::server::services::authorities::{self, Found};
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let search = expect_context::<crate::server::search::Search>();
    let authority = match authorities::find(&db, &code).await? {
        Found::One(authority) => authority,
        Found::Several(rows) => {
            return Ok(AuthorityAnswer::Several {
                code,
                candidates: rows.iter().filter_map(authorities::candidate).collect(),
            })
        }
        Found::None => return Err(AppError::NotFound),
    };
    let id = authorities::identity(&authority)
        .ok_or(AppError::NotFound)?
        .to_string();
    let index = search.ready()?;
    let query = listing(SearchQuery {
        french_authority: vec![id.clone()],
        ..SearchQuery::default()
    });
    let outcome = index
        .search(&query, &[Facet::Country, Facet::ForeignPartner])
        .map_err(|fields| AppError::Validation { fields })?;
    let funding_by_year = index
        .funding_by_year(&outcome.matching)
        .into_iter()
        .map(|(year, kinds)| (year, kinds.values().sum::<i64>() as f64 / 100.0))
        .collect();
    Ok(AuthorityAnswer::Found(Box::new(
        crate::models::AuthorityOverview {
            id,
            code: authority.code,
            siren: authority.siren,
            name: authority.name,
            kind: CollectivityKind::from_code(&authority.kind),
            total: outcome.total,
            countries: outcome.facet(Facet::Country),
            foreign_partners: outcome.facet(Facet::ForeignPartner),
            funding_by_year,
            items: outcome.items.clone(),
        },
    )))
}

#[server(prefix = "/api/fn", endpoint = "partner")]
pub async fn load_partner(id: i32) -> Result<PartnerOverview, AppError> {
    use crate::models::Facet;
    use crate::server::entities::foreign_authority;
    use sea_orm::EntityTrait;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let search = expect_context::<crate::server::search::Search>();
    let partner = foreign_authority::Entity::find_by_id(id)
        .one(&db)
        .await?
        .ok_or(AppError::NotFound)?;
    let index = search.ready()?;
    if !index.knows(Facet::ForeignPartner, &id.to_string()) {
        return Err(AppError::NotFound);
    }
    let query = listing(SearchQuery {
        foreign_partner: vec![id],
        ..SearchQuery::default()
    });
    let outcome = index
        .search(&query, &[Facet::FrenchAuthority])
        .map_err(|fields| AppError::Validation { fields })?;
    let country = partner
        .country_iso2
        .as_deref()
        .and_then(|c| index.label(Facet::Country, c));
    Ok(PartnerOverview {
        id,
        country_name_fr: country
            .map(|c| c.label.to_string())
            .or(partner.country_name.clone()),
        country_name_en: country
            .and_then(|c| c.label_en.as_deref().map(str::to_string))
            .or(partner.country_name.clone()),
        country: partner.country_iso2,
        name: partner.name,
        total: outcome.total,
        french_authorities: outcome
            .facets
            .into_iter()
            .next()
            .map(|(_, v)| v)
            .unwrap_or_default(),
        items: outcome.items,
    })
}

#[server(prefix = "/api/fn", endpoint = "statistics", input = leptos::server_fn::codec::Json)]
pub async fn load_statistics(query: SearchQuery) -> Result<Statistics, AppError> {
    use crate::models::{Facet, FunderKind};
    let search = expect_context::<crate::server::search::Search>();
    let index = search.ready()?;
    let query = SearchQuery {
        per_page: 1,
        ..query.filters_only()
    };
    let outcome = index
        .search(&query, &[])
        .map_err(|fields| AppError::Validation { fields })?;
    let set = &outcome.matching;
    let mut by_start_year: Vec<(i32, u64)> = index
        .counts_in(Facet::StartYear, set)
        .into_iter()
        .filter_map(|(v, n)| v.code.parse().ok().map(|y| (y, n)))
        .collect();
    by_start_year.sort();
    let as_value =
        |(v, n): (crate::server::search::index::ValueInfo, u64)| crate::models::FacetValue {
            value: v.code.into(),
            label: v.label.to_string(),
            label_en: v.label_en.as_deref().map(str::to_string),
            count: n,
            selected: false,
            parent: v.parent.map(Into::into),
        };
    let by_theme = index
        .counts_in(Facet::Theme, set)
        .into_iter()
        .filter(|(v, _)| v.parent.is_none())
        .map(as_value)
        .collect();
    let top_countries = index
        .counts_in(Facet::Country, set)
        .into_iter()
        .take(15)
        .map(as_value)
        .collect();
    let funding = index.funding_by_year(set);
    let funding_by_year = funding
        .iter()
        .map(|(year, kinds)| (*year, kinds.values().sum::<i64>() as f64 / 100.0))
        .collect();
    let funding_by_funder = FunderKind::ALL
        .iter()
        .map(|kind| {
            let cents: i64 = funding.values().filter_map(|k| k.get(kind)).sum();
            (*kind, cents as f64 / 100.0)
        })
        .filter(|(_, euros)| *euros > 0.0)
        .collect();
    Ok(Statistics {
        total: outcome.total,
        by_start_year,
        by_theme,
        top_countries,
        funding_by_year,
        funding_by_funder,
    })
}
