//! "Who else works there?": the peers of a partnership, of an authority, of a selection.

use crate::error::AppError;
use crate::models::{SearchQuery, Synergies};
use leptos::prelude::*;

/// The other authorities in each country of a published partnership.
#[server(prefix = "/api/fn", endpoint = "partnership_synergies")]
pub async fn partnership_synergies(id: i32) -> Result<Vec<Synergies>, AppError> {
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let search = expect_context::<crate::server::search::Search>();
    crate::server::services::synergies::of_partnership(&db, &search, id).await
}

/// The other authorities in each country where an authority (its identity) works.
#[server(prefix = "/api/fn", endpoint = "authority_synergies")]
pub async fn authority_synergies(identity: String) -> Result<Vec<Synergies>, AppError> {
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let search = expect_context::<crate::server::search::Search>();
    crate::server::services::synergies::of_authority(&db, &search, identity).await
}

/// The authorities working in a selection of the search.
#[server(prefix = "/api/fn", endpoint = "synergies", input = leptos::server_fn::codec::Json)]
pub async fn find_synergies(query: SearchQuery) -> Result<Synergies, AppError> {
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let search = expect_context::<crate::server::search::Search>();
    crate::server::services::synergies::among(&db, &search, query.filters_only()).await
}
