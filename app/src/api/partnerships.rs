use crate::error::AppError;
use crate::models::{Partnership, PartnershipSummary};
use leptos::prelude::*;

/// One published partnership, with everything its page shows; emails concealed, since the
/// result is embedded in the page for hydration.
#[server(prefix = "/api/fn", endpoint = "partnership")]
pub async fn get_partnership(id: i32) -> Result<Partnership, AppError> {
    let db = expect_context::<sea_orm::DatabaseConnection>();
    crate::server::services::partnerships::get_published(&db, id)
        .await
        .map(Partnership::conceal_emails)
}

/// A page of published partnerships, most recently updated first, and the total count.
#[server(prefix = "/api/fn", endpoint = "partnerships")]
pub async fn list_partnerships(page: u64) -> Result<(Vec<PartnershipSummary>, u64), AppError> {
    let db = expect_context::<sea_orm::DatabaseConnection>();
    crate::server::services::partnerships::list_published(&db, page, PAGE_SIZE).await
}

pub const PAGE_SIZE: u64 = 20;
