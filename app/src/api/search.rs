use crate::error::AppError;
use crate::models::{SearchQuery, SearchResults};
use leptos::prelude::*;

/// A page of results and every facet's counts, for the search page.
#[server(prefix = "/api/fn", endpoint = "search", input = leptos::server_fn::codec::Json)]
pub async fn search_partnerships(query: SearchQuery) -> Result<SearchResults, AppError> {
    let search = expect_context::<crate::server::search::Search>();
    let asked = query.clone();
    let outcome = search
        .compute(move |index| index.search(&asked, crate::models::Facet::ALL))
        .await?
        .map_err(|fields| AppError::Validation { fields })?;
    Ok(SearchResults {
        total: outcome.total,
        page: query.page,
        per_page: query.per_page,
        items: outcome.items,
        facets: outcome.facets,
    })
}
