//! The reference lists' administration pages: the entries of a list, one entry, the embassies.
//! Each returns `None` when nobody is signed in, with what a refused form typed (read once).

use crate::error::AppError;
use crate::models::{EmbassiesPage, EmbassyEntry, FormEcho, ReferenceEntry, ReferenceRevision};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::account::take;

#[cfg(feature = "ssr")]
fn list_of(code: &str) -> Result<crate::models::ReferenceList, AppError> {
    crate::models::ReferenceList::from_code(code).ok_or(AppError::NotFound)
}

/// A list's entries (`themes` or `forms`), with the add form as it was refused.
#[server(prefix = "/api/fn", endpoint = "reference_entries")]
pub async fn get_reference_entries(
    list: String,
) -> Result<Option<(Vec<ReferenceEntry>, FormEcho)>, AppError> {
    use crate::server::services::reference_lists;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let auth: crate::server::auth::AuthSession =
        leptos_axum::extract().await.map_err(AppError::internal)?;
    let Some(user) = auth.user.as_ref() else {
        return Ok(None);
    };
    let entries = reference_lists::list(&db, Some(user), list_of(&list)?).await?;
    let echo: Option<FormEcho> = take(&auth, crate::models::REFERENCE_ADD_FORM).await?;
    Ok(Some((entries, echo.unwrap_or_default())))
}

/// One entry, with its form as it was refused, and its history (newest first).
#[server(prefix = "/api/fn", endpoint = "reference_entry")]
pub async fn get_reference_entry(
    list: String,
    code: String,
) -> Result<Option<(ReferenceEntry, FormEcho, Vec<ReferenceRevision>)>, AppError> {
    use crate::server::services::reference_lists;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let auth: crate::server::auth::AuthSession =
        leptos_axum::extract().await.map_err(AppError::internal)?;
    let Some(user) = auth.user.as_ref() else {
        return Ok(None);
    };
    let list = list_of(&list)?;
    let entry = reference_lists::get(&db, Some(user), list, &code).await?;
    let history = reference_lists::history(&db, Some(user), list, &code).await?;
    let echo: Option<FormEcho> = take(&auth, crate::models::REFERENCE_ENTRY_FORM).await?;
    Ok(Some((entry, echo.unwrap_or_default(), history)))
}

/// The embassies this person keeps, and the countries where they may add one.
#[server(prefix = "/api/fn", endpoint = "embassies")]
pub async fn get_embassies() -> Result<Option<EmbassiesPage>, AppError> {
    use crate::server::services::reference_lists;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let auth: crate::server::auth::AuthSession =
        leptos_axum::extract().await.map_err(AppError::internal)?;
    let Some(user) = auth.user.as_ref() else {
        return Ok(None);
    };
    let embassies = reference_lists::embassies(&db, Some(user)).await?;
    let national = user.role == crate::models::Role::Admin || user.countries.is_empty();
    let countries = if national {
        super::account::country_choices(&db)
            .await?
            .into_iter()
            .filter(|c| !embassies.iter().any(|e| e.country == c.code))
            .collect()
    } else {
        Vec::new()
    };
    let echo: Option<FormEcho> = take(&auth, crate::models::REFERENCE_ADD_FORM).await?;
    Ok(Some(EmbassiesPage {
        embassies,
        countries,
        echo: echo.unwrap_or_default(),
    }))
}

/// The embassy in a country, with its form as it was refused.
#[server(prefix = "/api/fn", endpoint = "embassy")]
pub async fn get_embassy(country: String) -> Result<Option<(EmbassyEntry, FormEcho)>, AppError> {
    use crate::server::services::reference_lists;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let auth: crate::server::auth::AuthSession =
        leptos_axum::extract().await.map_err(AppError::internal)?;
    let Some(user) = auth.user.as_ref() else {
        return Ok(None);
    };
    let embassy = reference_lists::embassy(&db, Some(user), &country).await?;
    let echo: Option<FormEcho> = take(&auth, crate::models::REFERENCE_ENTRY_FORM).await?;
    Ok(Some((embassy, echo.unwrap_or_default())))
}
