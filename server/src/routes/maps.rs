//! The maps as SVG documents, coloured by the search page's filters: the world by country and
//! France by région or département. Each area links to the search with that value ticked; the
//! page shows them in an `<iframe>`, so they cost the hydrated bundle nothing.

use crate::routes::search::language_and_query;
use crate::AppState;
use app::error::AppError;
use app::i18n::Locale;
use app::models::{Facet, SearchQuery};
use app::server::geo::MapGeometry;
use app::server::geo::{choropleth_svg, AreaFigure, ChoroplethOptions};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use leptos_i18n::td_string;

fn count_label(locale: Locale, name: &str, count: u64) -> String {
    let number = app::format::group_digits(count as i64, locale);
    let unit = if count == 1 {
        td_string!(locale, search_one_result)
    } else {
        td_string!(locale, search_results)
    };
    format!("{name} : {number} {unit}")
}

/// `GET /carte/{map}.svg` with the search filters, `map` one of `monde`, `regions`,
/// `departements`.
pub async fn map_svg(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let maps = state.maps.clone().ok_or(AppError::NotFound)?;
    let (facet, geometry, title, description): (Facet, &MapGeometry, _, _) = match file.as_str() {
        "monde.svg" => (
            Facet::Country,
            &maps.world,
            "map_world_title",
            "map_world_desc",
        ),
        "regions.svg" => (
            Facet::Region,
            &maps.regions,
            "map_regions_title",
            "map_france_desc",
        ),
        "departements.svg" => (
            Facet::Departement,
            &maps.departements,
            "map_departements_title",
            "map_france_desc",
        ),
        _ => return Err(AppError::NotFound),
    };
    let (locale, query) = language_and_query(raw.as_deref())?;
    let values = {
        let index = state.search.ready()?;
        let wanted = [facet];
        let outcome = index
            .search(
                &SearchQuery {
                    per_page: 1,
                    ..query.filters_only()
                },
                &wanted,
            )
            .map_err(|fields| AppError::Validation { fields })?;
        outcome
            .facets
            .into_iter()
            .next()
            .map(|(_, v)| v)
            .unwrap_or_default()
    };
    let labels: Vec<String> = values
        .iter()
        .map(|v| {
            let name = match locale {
                Locale::en => v.label_en.as_deref().unwrap_or(&v.label),
                Locale::fr => &v.label,
            };
            count_label(locale, name, v.count)
        })
        .collect();
    let figures: Vec<AreaFigure> = values
        .iter()
        .zip(&labels)
        .map(|(v, label)| AreaFigure {
            code: &v.value,
            label,
            count: v.count,
            href: format!(
                "/partenariats{}",
                query
                    .toggled(facet, &v.value)
                    .filters_only()
                    .to_query_string()
            ),
            selected: v.selected,
        })
        .collect();
    let text = |key: &str| -> &'static str {
        match (key, locale) {
            ("map_world_title", l) => td_string!(l, map_world_title),
            ("map_regions_title", l) => td_string!(l, map_regions_title),
            ("map_departements_title", l) => td_string!(l, map_departements_title),
            ("map_world_desc", l) => td_string!(l, map_world_desc),
            (_, l) => td_string!(l, map_france_desc),
        }
    };
    let svg = choropleth_svg(
        geometry,
        &figures,
        &ChoroplethOptions {
            id: "carte",
            title: text(title),
            description: text(description),
            legend_caption: td_string!(locale, map_legend),
            no_partnership: td_string!(locale, map_none),
            standalone: true,
        },
    );
    let mut response = svg.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(response)
}
