//! Rendered pages kept in memory. A page of the atlas depends only on its address, the
//! language asked (the cookie, `Accept-Language`), the encoding asked and the data: each kept
//! page is stamped with the search index's generation: a page is stale at the next change of
//! any partnership (a partnership's page lists who else works there). Only
//! complete `200` answers to plain `GET`s that set no cookie are kept, at most `CAPACITY`
//! bytes of them, the least used leaving first. An answer from memory says
//! `X-Atlas-Cache: hit`. The JSON of one partnership (`/api/v1/partnerships/{id}`), as anyone
//! reads it, stays good until that partnership changes (or a reference list, an embassy, a
//! rebuild).

use app::server::search::Search;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use quick_cache::sync::Cache;
use std::sync::Arc;

/// The bytes of pages kept, all pages together.
const CAPACITY: u64 = 64 << 20;
/// A page larger than this is served but not kept.
const LARGEST_KEPT: usize = 1 << 20;

/// What a page's bytes depend on besides the data.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    uri: String,
    cookie: Option<HeaderValue>,
    language: Option<HeaderValue>,
    encoding: Option<HeaderValue>,
}

impl Key {
    fn of(request: &Request) -> Self {
        let header = |name| request.headers().get(name).cloned();
        Key {
            uri: request.uri().to_string(),
            cookie: header(header::COOKIE),
            language: header(header::ACCEPT_LANGUAGE),
            encoding: header(header::ACCEPT_ENCODING),
        }
    }
}

#[derive(Clone)]
struct Page {
    generation: u64,
    /// The partnership whose own page this is.
    partnership: Option<i32>,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<Key, Page> for Weight {
    fn weight(&self, key: &Key, page: &Page) -> u64 {
        (page.body.len() + key.uri.len() + 512) as u64
    }
}

/// The pages kept, shared by every request.
#[derive(Clone)]
pub struct PageCache {
    pages: Arc<Cache<Key, Page, Weight>>,
    search: Search,
}

impl PageCache {
    pub fn new(search: Search) -> Self {
        PageCache {
            pages: Arc::new(Cache::with_weighter(4_096, CAPACITY, Weight)),
            search,
        }
    }
}

/// The partnership whose own JSON an address is, `/api/v1/partnerships/123`: it stays good
/// until that partnership changes. Its page shows who else works there ("Qui d'autre ?"), so
/// it follows every change, as the other pages do.
fn partnership_of(path: &str) -> Option<i32> {
    let digits = path.strip_prefix("/api/v1/partnerships/")?;
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())
        .flatten()
}

/// Whether the request carries a session cookie or an API token: its pages may show the
/// person, so they are neither served from the cache nor kept in it.
fn signed_in(request: &Request) -> bool {
    request.headers().contains_key(header::AUTHORIZATION)
        || request
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|c| c.trim_start().starts_with(crate::SESSION_COOKIE))
}

/// The middleware: answers from memory when it can, keeps what it renders when it may.
pub async fn serve(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET || signed_in(&request) {
        return next.run(request).await;
    }
    let key = Key::of(&request);
    let partnership = partnership_of(request.uri().path());
    // Read before rendering: a change during the rendering leaves the page stale.
    let generation = cache.search.generation();
    if let Some(page) = cache.pages.get(&key) {
        if cache.search.still_holds(page.generation, page.partnership) {
            let mut response = Body::from(page.body).into_response();
            *response.headers_mut() = page.headers;
            response
                .headers_mut()
                .insert("x-atlas-cache", HeaderValue::from_static("hit"));
            return response;
        }
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(%err, uri = key.uri, "page cache: the page could not be read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    parts.headers.insert(
        header::VARY,
        HeaderValue::from_static("cookie, accept-language, accept-encoding"),
    );
    if body.len() <= LARGEST_KEPT {
        cache.pages.insert(
            key,
            Page {
                generation,
                partnership,
                headers: parts.headers.clone(),
                body: body.clone(),
            },
        );
    }
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::partnership_of;

    #[test]
    fn a_partnerships_own_json_is_known_by_its_address() {
        // Its page lists other partnerships (who else works there): it follows every change.
        assert_eq!(partnership_of("/partenariats/123"), None);
        assert_eq!(partnership_of("/partenariats/123-eau-a-ouahigouya"), None);
        assert_eq!(partnership_of("/pays/BF"), None);
        assert_eq!(partnership_of("/api/v1/partnerships/123"), Some(123));
        assert_eq!(partnership_of("/api/v1/partnerships/123/history"), None);
        assert_eq!(partnership_of("/api/v1/partnerships/12-x"), None);
    }
}
