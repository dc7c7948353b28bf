//! The world by country, from Natural Earth's 1:110m countries (npm `world-atlas`, public
//! domain) in the Equal Earth projection.

use super::path::{bounds, dot, equal_earth, split_at_antimeridian, Fit, PathWriter};
use super::topojson::{Ring, Topology};
use super::{MapGeometry, Shape};
use std::collections::{BTreeMap, HashMap};

/// Width of the drawing; the height follows from the projection.
const WIDTH: f64 = 960.0;
const PADDING: f64 = 4.0;
/// Antarctica holds no partnership and would take a fifth of the height.
const ANTARCTICA: &str = "010";

const MARKER_RADIUS: f64 = 3.5;

pub const CREDIT: &str = "Natural Earth";

/// A country of `world-countries`: ISO 3166-1 alpha-2 and numeric codes and common name.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Country {
    pub cca2: String,
    #[serde(default)]
    pub ccn3: String,
    pub name: CountryName,
    /// A representative point, `[latitude, longitude]`.
    #[serde(default)]
    pub latlng: Vec<f64>,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct CountryName {
    pub common: String,
}

/// Builds the map from the `countries` object of `countries-110m.json`. Natural Earth keys
/// countries by ISO numeric code; a few disputed areas have none and are matched by name
/// (Kosovo) or drawn as plain land (Northern Cyprus, Somaliland). Countries too small for
/// the 1:110m scale (Cabo Verde, Comoros, Mauritius, Singapore…) get a dot at their
/// `world-countries` position instead.
pub fn build(topology: &Topology, countries: &[Country]) -> Result<MapGeometry, String> {
    let by_numeric: HashMap<&str, &str> = countries
        .iter()
        .filter(|country| !country.ccn3.is_empty())
        .map(|country| (country.ccn3.as_str(), country.cca2.as_str()))
        .collect();
    let by_name: HashMap<&str, &str> = countries
        .iter()
        .map(|country| (country.name.common.as_str(), country.cca2.as_str()))
        .collect();
    let features = topology
        .features("countries")
        .ok_or("no `countries` object")??;

    let mut coded: BTreeMap<String, Vec<Ring>> = BTreeMap::new();
    let mut uncoded: Vec<Ring> = Vec::new();
    for feature in features {
        if feature.id.as_deref() == Some(ANTARCTICA) {
            continue;
        }
        let code = feature
            .id
            .as_deref()
            .and_then(|id| by_numeric.get(id))
            .or_else(|| feature.name.as_deref().and_then(|name| by_name.get(name)));
        let rings = feature
            .polygons
            .iter()
            .flatten()
            .flat_map(|ring| split_at_antimeridian(ring))
            .map(|ring| ring.into_iter().map(equal_earth).collect::<Ring>());
        match code {
            Some(code) => coded.entry(code.to_string()).or_default().extend(rings),
            None => uncoded.extend(rings),
        }
    }
    let extent = bounds(coded.values().chain([&uncoded]).flatten().flatten())
        .ok_or("the topology holds no country")?;
    let [x0, y0, x1, y1] = extent;
    let height = ((WIDTH - 2.0 * PADDING) * (y1 - y0) / (x1 - x0) + 2.0 * PADDING).ceil();
    let fit = Fit::new(extent, [0.0, 0.0, WIDTH, height], PADDING);
    let write = |rings: &[Ring]| {
        let mut writer = PathWriter::new(0.0);
        for ring in rings {
            let ring: Ring = ring.iter().map(|&point| fit.apply(point)).collect();
            writer.ring(&ring);
        }
        writer.finish()
    };
    let shapes = coded
        .iter()
        .map(|(code, rings)| Shape {
            code: code.clone(),
            d: write(rings),
        })
        .collect();
    let markers = countries
        .iter()
        .filter(|country| !coded.contains_key(&country.cca2) && country.cca2 != "AQ")
        .filter_map(|country| match country.latlng[..] {
            [latitude, longitude, ..] => Some(Shape {
                code: country.cca2.clone(),
                d: dot(fit.apply(equal_earth([longitude, latitude])), MARKER_RADIUS),
            }),
            _ => None,
        })
        .collect();
    Ok(MapGeometry {
        width: WIDTH,
        height,
        shapes,
        markers,
        background: write(&uncoded),
        frames: String::new(),
        credit: CREDIT.to_string(),
    })
}
