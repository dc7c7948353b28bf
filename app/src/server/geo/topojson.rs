//! A TopoJSON reader for the polygons of `world-atlas`: enough of the format to turn each
//! geometry into rings of longitude/latitude points, nothing more.

use serde::Deserialize;
use std::collections::HashMap;

/// A ring of `[longitude, latitude]` (or projected `[x, y]`) points; the last point need not
/// repeat the first.
pub type Ring = Vec<[f64; 2]>;

#[derive(Debug, Deserialize)]
pub struct Topology {
    #[serde(default)]
    transform: Option<Transform>,
    arcs: Vec<Vec<Vec<f64>>>,
    objects: HashMap<String, Object>,
}

#[derive(Debug, Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Debug, Deserialize)]
struct Object {
    #[serde(default)]
    geometries: Vec<Geometry>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type")]
enum Geometry {
    Polygon {
        arcs: Vec<Vec<i64>>,
        #[serde(flatten)]
        meta: Meta,
    },
    MultiPolygon {
        arcs: Vec<Vec<Vec<i64>>>,
        #[serde(flatten)]
        meta: Meta,
    },
    /// Points, lines and empty geometries draw no area.
    #[serde(other)]
    Other,
}

#[derive(Debug, Default, Deserialize)]
struct Meta {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    properties: Option<HashMap<String, serde_json::Value>>,
}

/// One decoded geometry: its id (ISO 3166 numeric in `world-atlas`), its `name` property and
/// its polygons, each an outer ring followed by its holes.
#[derive(Debug, Clone)]
pub struct Feature {
    pub id: Option<String>,
    pub name: Option<String>,
    pub polygons: Vec<Vec<Ring>>,
}

impl Topology {
    /// The polygon features of the object `name`, or `None` if the topology has no such object.
    /// Arc indexes out of range are an error rather than a panic: the file is outside input.
    pub fn features(&self, name: &str) -> Option<Result<Vec<Feature>, String>> {
        let object = self.objects.get(name)?;
        let arcs = self.decode_arcs();
        let ring = |indexes: &[i64]| -> Result<Ring, String> {
            let mut ring: Ring = Vec::new();
            for &index in indexes {
                // A negative index `~i` is arc `i` walked backwards.
                let (arc, reversed) = if index < 0 {
                    (!index, true)
                } else {
                    (index, false)
                };
                let points = usize::try_from(arc)
                    .ok()
                    .and_then(|arc| arcs.get(arc))
                    .ok_or_else(|| format!("arc {index} does not exist"))?;
                let mut points = points.clone();
                if reversed {
                    points.reverse();
                }
                // Consecutive arcs share their joining point.
                let skip = usize::from(!ring.is_empty());
                ring.extend(points.into_iter().skip(skip));
            }
            Ok(ring)
        };
        let polygon = |rings: &[Vec<i64>]| -> Result<Vec<Ring>, String> {
            rings.iter().map(|indexes| ring(indexes)).collect()
        };
        let features = object
            .geometries
            .iter()
            .filter_map(|geometry| {
                let (meta, polygons) = match geometry {
                    Geometry::Polygon { arcs, meta } => (meta, polygon(arcs).map(|p| vec![p])),
                    Geometry::MultiPolygon { arcs, meta } => (
                        meta,
                        arcs.iter()
                            .map(|rings| polygon(rings))
                            .collect::<Result<Vec<_>, _>>(),
                    ),
                    Geometry::Other => return None,
                };
                Some(polygons.map(|polygons| {
                    Feature {
                        id: meta.id.as_ref().and_then(value_to_string),
                        name: meta
                            .properties
                            .as_ref()
                            .and_then(|properties| properties.get("name"))
                            .and_then(value_to_string),
                        polygons,
                    }
                }))
            })
            .collect();
        Some(features)
    }

    /// Arcs as absolute positions: quantized topologies store each arc as deltas from its
    /// previous point, in integer steps of `transform.scale` from `transform.translate`.
    fn decode_arcs(&self) -> Vec<Ring> {
        self.arcs
            .iter()
            .map(|arc| {
                let positions = arc
                    .iter()
                    .filter(|position| position.len() >= 2)
                    .map(|position| [position[0], position[1]]);
                match &self.transform {
                    Some(transform) => {
                        let (mut x, mut y) = (0.0, 0.0);
                        positions
                            .map(|[dx, dy]| {
                                x += dx;
                                y += dy;
                                [
                                    x * transform.scale[0] + transform.translate[0],
                                    y * transform.scale[1] + transform.translate[1],
                                ]
                            })
                            .collect()
                    }
                    None => positions.collect(),
                }
            })
            .collect()
    }
}

fn value_to_string(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_quantized_delta_arcs_and_reversed_indexes() {
        // Two arcs forming a unit square's outline, the second walked backwards.
        let json = r#"{
            "type": "Topology",
            "transform": {"scale": [0.5, 2], "translate": [10, -1]},
            "arcs": [[[0, 0], [2, 0], [0, 1]], [[0, 0], [0, 1], [2, 0]]],
            "objects": {"shapes": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "id": "042", "properties": {"name": "Square"}, "arcs": [[0, -2]]},
                {"type": "MultiPolygon", "id": 7, "arcs": [[[0, -2]], [[1, -1]]]},
                {"type": "Point", "coordinates": [0, 0]}
            ]}}
        }"#;
        let topology: Topology = serde_json::from_str(json).unwrap();
        let features = topology.features("shapes").unwrap().unwrap();
        assert_eq!(features.len(), 2);
        assert_eq!(features[0].id.as_deref(), Some("042"));
        assert_eq!(features[0].name.as_deref(), Some("Square"));
        assert_eq!(features[1].id.as_deref(), Some("7"));
        assert_eq!(
            features[0].polygons[0][0],
            vec![
                [10.0, -1.0],
                [11.0, -1.0],
                [11.0, 1.0],
                [10.0, 1.0],
                [10.0, -1.0]
            ]
        );
        assert_eq!(features[1].polygons.len(), 2);
        assert!(topology.features("missing").is_none());
    }

    #[test]
    fn an_arc_index_out_of_range_is_an_error() {
        let json = r#"{"type": "Topology", "arcs": [[[0, 0], [1, 1]]],
            "objects": {"x": {"type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "arcs": [[3]]}]}}}"#;
        let topology: Topology = serde_json::from_str(json).unwrap();
        assert!(topology.features("x").unwrap().is_err());
    }
}
