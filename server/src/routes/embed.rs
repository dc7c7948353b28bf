//! `/embed/collectivites/{identity}`: an authority's partnerships for an iframe on its own
//! website (`app::server::embed`). The one page that may be framed, by any site: no script,
//! no form, nothing a framing site could make a reader do here. A code several authorities
//! share answers 300 with each of them, as their pages do.

use crate::AppState;
use app::error::AppError;
use app::i18n::Locale;
use app::models::{Facet, SearchQuery, Sort};
use app::server::services::authorities::{self, Found};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The partnerships an embed lists, most recent first.
const LISTED: u32 = 100;

#[derive(Deserialize)]
pub struct Options {
    lang: Option<String>,
}

pub async fn authority(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(options): Query<Options>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let locale = match options.lang.as_deref() {
        Some("en") => Locale::en,
        _ => Locale::fr,
    };
    let authority = match authorities::find(&state.db, &key).await? {
        Found::One(authority) => authority,
        Found::Several(rows) => {
            let candidates = rows
                .iter()
                .filter_map(|c| Some((authorities::identity(c)?.to_string(), c.name.clone())))
                .collect();
            let html = app::server::embed::render_choice(&key, candidates, locale);
            return Ok(framable(
                (StatusCode::MULTIPLE_CHOICES, html).into_response(),
            ));
        }
        Found::None => return Err(AppError::NotFound),
    };
    let identity = authorities::identity(&authority)
        .ok_or(AppError::NotFound)?
        .to_string();
    let query = SearchQuery {
        french_authority: vec![identity.clone()],
        sort: Sort::StartYear,
        per_page: LISTED,
        ..SearchQuery::default()
    };
    let outcome = state
        .search
        .compute(move |index| index.search(&query, &[Facet::Country]))
        .await?
        .map_err(|fields| AppError::Validation { fields })?;
    let html = app::server::embed::render(
        app::server::embed::Embed {
            identity,
            name: authority.name,
            total: outcome.total,
            countries: outcome.facet(Facet::Country),
            items: outcome.items,
        },
        locale,
        &super::search::base_url(&headers),
    );
    Ok(framable(html.into_response()))
}

/// An embed's answer: HTML that any site may frame.
fn framable(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(crate::security::EMBED_POLICY),
    );
    response
}
