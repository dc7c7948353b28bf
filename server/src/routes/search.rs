//! The open-data read routes: the search with its facets as JSON, the CSV export and its Table
//! Schema, the IATI export. They take the search page's filters as query parameters and allow
//! cross-origin GET.

use crate::AppState;
use app::error::AppError;
use app::i18n::Locale;
use app::models::{Facet, SearchQuery};
use app::server::export::{atom, csv as csv_export, iati};
use app::server::search::Search;
use app::server::services::partnerships;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::StreamExt;
use sea_orm::DatabaseConnection;
use serde_json::{json, Value};

/// The facets the API counts: every one but the long lists of authorities, which have pages
/// of their own.
pub static API_FACETS: std::sync::LazyLock<Vec<Facet>> = std::sync::LazyLock::new(|| {
    Facet::ALL
        .iter()
        .copied()
        .filter(|f| !matches!(f, Facet::FrenchAuthority | Facet::ForeignPartner))
        .collect()
});

/// Rows written per chunk of a streamed export.
const CSV_CHUNK: usize = 1_000;
/// Partnerships read from the database at once for the IATI export.
const IATI_BATCH: usize = 500;

/// Reads the query string the way the search page writes it; unknown names or values are a
/// 400 naming the parameter.
pub fn parse_query(raw: Option<&str>) -> Result<SearchQuery, AppError> {
    let pairs = form_urlencoded::parse(raw.unwrap_or("").as_bytes());
    SearchQuery::from_pairs(pairs, true).map_err(|fields| AppError::Validation { fields })
}

/// Splits the `lang` parameter (`en`, French otherwise) from the search filters: the maps' and
/// the feed's language.
pub fn language_and_query(raw: Option<&str>) -> Result<(Locale, SearchQuery), AppError> {
    let mut locale = Locale::fr;
    let mut rest = Vec::new();
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        if key == "lang" {
            locale = if value == "en" {
                Locale::en
            } else {
                Locale::fr
            };
        } else {
            rest.push(format!(
                "{}={}",
                app::format::url_encode(&key),
                app::format::url_encode(&value)
            ));
        }
    }
    Ok((locale, parse_query(Some(&rest.join("&")))?))
}

/// The address the exports' links start with: `ATLAS_PUBLIC_URL`, or the request's host.
pub fn base_url(headers: &HeaderMap) -> String {
    if let Ok(url) = std::env::var("ATLAS_PUBLIC_URL") {
        return url.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("127.0.0.1:3000");
    format!("http://{host}")
}

/// The open data's licence, as the JSON answers name it.
const LICENCE: Licence = Licence {
    name: csv_export::LICENCE_NAME,
    url: csv_export::LICENCE_URL,
};

fn licence() -> Value {
    json!(LICENCE)
}

fn open_data_headers(response: &mut Response, last_change: Option<chrono::DateTime<chrono::Utc>>) {
    let headers = response.headers_mut();
    super::allow_any_origin(headers);
    let link = format!("<{}>; rel=\"license\"", csv_export::LICENCE_URL);
    if let Ok(value) = HeaderValue::from_str(&link) {
        headers.insert(header::LINK, value);
    }
    if let Some(date) = last_change {
        let http_date = date.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        if let Ok(value) = HeaderValue::from_str(&http_date) {
            headers.insert(header::LAST_MODIFIED, value);
        }
    }
}

/// `GET /api/v1/partnerships`: a page of results and every facet's counts.
pub async fn search(
    State(search): State<Search>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let query = parse_query(raw.as_deref())?;
    let asked = query.clone();
    let (outcome, last_change) = search
        .compute(move |index| (index.search(&asked, &API_FACETS), index.last_change))
        .await?;
    let outcome = outcome.map_err(|fields| AppError::Validation { fields })?;
    // Written straight from the results: a `serde_json::Value` of every facet's values first
    // cost as much as the search itself.
    let body = serde_json::to_vec(&SearchBody {
        total: outcome.total,
        page: query.page,
        per_page: query.per_page,
        items: &outcome.items,
        facets: Facets(&outcome.facets),
        licence: LICENCE,
        last_change,
    })
    .map_err(AppError::internal)?;
    let mut response = ([(header::CONTENT_TYPE, "application/json")], body).into_response();
    open_data_headers(&mut response, last_change);
    Ok(response)
}

/// What `GET /api/v1/partnerships` answers.
#[derive(serde::Serialize)]
struct SearchBody<'a> {
    total: u64,
    page: u32,
    per_page: u32,
    items: &'a [app::models::SearchItem],
    facets: Facets<'a>,
    licence: Licence,
    last_change: Option<chrono::DateTime<chrono::Utc>>,
}

/// Each facet's values under its key.
struct Facets<'a>(&'a [(Facet, Vec<app::models::FacetValue>)]);

impl serde::Serialize for Facets<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(facet, values)| (facet.key(), values)))
    }
}

#[derive(Clone, Copy, serde::Serialize)]
struct Licence {
    name: &'static str,
    url: &'static str,
}

/// `GET /api/v1/partnerships.csv`: every matching partnership, streamed in chunks from one
/// snapshot of the index, so that a write or a rebuild meanwhile changes no row.
pub async fn csv(
    State(search): State<Search>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let query = parse_query(raw.as_deref())?;
    // The matching rows are found with the searches' share of the CPU (`compute`); the rows
    // are then written from the same snapshot.
    let (docs, index) = search
        .compute(move |index| {
            let docs = index.matching_ids(&query).map(|ids| {
                ids.iter()
                    .filter_map(|id| index.position(*id))
                    .collect::<Vec<u32>>()
            });
            (docs, std::sync::Arc::clone(index))
        })
        .await?;
    let docs = docs.map_err(|fields| AppError::Validation { fields })?;
    let last_change = index.last_change;
    let base = base_url(&headers);
    let header_row = futures::stream::once(async {
        Ok::<Bytes, std::io::Error>(Bytes::from(csv_export::header()))
    });
    let chunks = (0..docs.len()).step_by(CSV_CHUNK);
    let rows = futures::stream::iter(chunks).map(move |start| {
        let chunk = &docs[start..(start + CSV_CHUNK).min(docs.len())];
        Ok::<Bytes, std::io::Error>(Bytes::from(csv_export::rows(&index, chunk, &base)))
    });
    let mut response = Body::from_stream(header_row.chain(rows)).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8; header=present"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"partenariats.csv\""),
    );
    open_data_headers(&mut response, last_change);
    Ok(response)
}

/// `GET /api/v1/partnerships.atom`: the Atom feed of a view, with the search's filters: the
/// partnerships published or updated in it, newest first.
pub async fn atom(
    State(search): State<Search>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (locale, query) = language_and_query(raw.as_deref())?;
    let base = base_url(&headers);
    let (feed, last_change) = search
        .compute(move |index| (atom::feed(index, &query, locale, &base), index.last_change))
        .await?;
    let mut response = feed.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    open_data_headers(&mut response, last_change);
    Ok(response)
}

/// `GET /api/v1/schema/partnerships.json`: the Table Schema of the CSV.
pub async fn csv_schema(
    State(search): State<Search>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let last_change = search.ready()?.last_change;
    let mut response =
        Json(csv_export::table_schema(&base_url(&headers), last_change)).into_response();
    open_data_headers(&mut response, last_change);
    Ok(response)
}

/// `GET /api/v1/partnerships.iati.xml`: IATI 2.03 activities, streamed batch by batch: the
/// ids come from one snapshot of the index, each batch of partnerships is read with a fixed
/// number of queries, and only one batch is in memory at a time.
pub async fn iati(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let query = parse_query(raw.as_deref())?;
    let (ids, last_change) = state
        .search
        .compute(move |index| (index.matching_ids(&query), index.last_change))
        .await?;
    let ids = ids.map_err(|fields| AppError::Validation { fields })?;
    let base = base_url(&headers);
    let now = chrono::Utc::now();
    let changed = last_change.unwrap_or(now);
    let db: DatabaseConnection = state.db.clone();
    let buffer = SharedBuffer::default();
    let writer =
        iati::IatiWriter::start(buffer.clone(), now, changed, &base).map_err(AppError::internal)?;
    let head = buffer.take();
    let batches: Vec<Vec<i32>> = ids.chunks(IATI_BATCH).map(<[i32]>::to_vec).collect();
    let activities = futures::stream::unfold(
        (Some(writer), batches.into_iter(), db, buffer),
        |(writer, mut batches, db, buffer)| async move {
            let mut writer = writer?;
            let written = match batches.next() {
                // Partnerships unpublished since the search are left out.
                Some(batch) => match partnerships::get_published_many(&db, &batch).await {
                    Ok(batch) => batch
                        .iter()
                        .try_for_each(|p| writer.activity(p))
                        .map(|()| Some(writer)),
                    Err(e) => {
                        tracing::error!(error = %e, "IATI export: reading a batch failed");
                        Err(std::io::Error::other("database error"))
                    }
                },
                None => writer.finish().map(|_| None),
            };
            let (chunk, next) = match written {
                Ok(next) => (Ok(Bytes::from(buffer.take())), next),
                Err(e) => (Err(e), None),
            };
            Some((chunk, (next, batches, db, buffer)))
        },
    );
    let stream =
        futures::stream::once(async move { Ok::<Bytes, std::io::Error>(Bytes::from(head)) })
            .chain(activities)
            // The compression asks once more after the end, which `unfold` does not allow.
            .fuse();
    let mut response = Body::from_stream(stream).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    open_data_headers(&mut response, last_change);
    Ok(response)
}

/// A writer whose bytes are taken out as they come, so an export streams.
#[derive(Clone, Default)]
struct SharedBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl SharedBuffer {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl std::io::Write for SharedBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `GET /api/v1/themes`: the theme taxonomy, the vocabulary the IATI export's sectors point to.
pub async fn themes(State(search): State<Search>) -> Result<Response, AppError> {
    let index = search.ready()?;
    let values = index.known_values(Facet::Theme);
    let level = |code: &str| {
        let mut level = 1;
        let mut parent = index
            .label(Facet::Theme, code)
            .and_then(|v| v.parent.clone());
        while let Some(code) = parent.filter(|_| level <= values.len()) {
            level += 1;
            parent = index
                .label(Facet::Theme, &code)
                .and_then(|v| v.parent.clone());
        }
        level
    };
    let items: Vec<Value> = values
        .iter()
        .map(|v| {
            json!({
                "code": v.code,
                "parent": v.parent,
                "level": level(&v.code),
                "label_fr": &*v.label,
                "label_en": v.label_en.as_deref(),
            })
        })
        .collect();
    let last_change = index.last_change;
    drop(index);
    let mut response = Json(json!({ "items": items, "licence": licence() })).into_response();
    open_data_headers(&mut response, last_change);
    Ok(response)
}
