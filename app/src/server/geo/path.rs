//! Projections and the writing of SVG path data.

use super::topojson::Ring;

/// The Equal Earth projection (Šavrič, Patterson & Jenny, 2018): equal-area, so a large
/// country does not look more important than it is, and its outline is pleasant to read.
/// Takes degrees, returns unitless `[x, y]` with y growing northwards.
pub fn equal_earth([longitude, latitude]: [f64; 2]) -> [f64; 2] {
    const A1: f64 = 1.340_264;
    const A2: f64 = -0.081_106;
    const A3: f64 = 0.000_893;
    const A4: f64 = 0.003_796;
    let m = 3f64.sqrt() / 2.0;
    let lambda = longitude.to_radians();
    let theta = (m * latitude.to_radians().sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = lambda * theta.cos() / (m * (A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    [x, y]
}

/// Cuts a ring of longitude/latitude points that crosses the antimeridian into its eastern
/// and western parts. Natural Earth's rings are spherical: an edge from 179° to -179° is two
/// degrees long, which drawn flat would be a stroke across the whole map (Fiji, Chukotka).
/// A ring that goes round a pole is returned whole.
pub fn split_at_antimeridian(ring: &[[f64; 2]]) -> Vec<Ring> {
    let mut unwrapped: Ring = Vec::with_capacity(ring.len());
    let mut shift = 0.0;
    let mut crossed = false;
    for (index, &[longitude, latitude]) in ring.iter().chain(ring.first()).enumerate() {
        if let Some(&[previous, _]) = index.checked_sub(1).and_then(|i| ring.get(i)) {
            if longitude - previous > 180.0 {
                shift -= 360.0;
                crossed = true;
            } else if longitude - previous < -180.0 {
                shift += 360.0;
                crossed = true;
            }
        }
        if index < ring.len() {
            unwrapped.push([longitude + shift, latitude]);
        }
    }
    if !crossed || shift != 0.0 {
        return vec![ring.to_vec()];
    }
    // The unwrapped ring straddles +180° or -180°; each side of that meridian is one part,
    // the part beyond it brought back by a turn of the globe.
    let meridian = if unwrapped.iter().any(|&[x, _]| x > 180.0) {
        180.0
    } else {
        -180.0
    };
    let turn = -meridian * 2.0;
    let below = clip_at(&unwrapped, meridian, |x| x <= meridian);
    let above = clip_at(&unwrapped, meridian, |x| x >= meridian);
    let (inside, mut beyond) = if meridian > 0.0 {
        (below, above)
    } else {
        (above, below)
    };
    for point in &mut beyond {
        point[0] += turn;
    }
    [inside, beyond]
        .into_iter()
        .filter(|part| part.len() >= 3)
        .collect()
}

/// The part of a ring on one side of the meridian `x` (Sutherland–Hodgman with one edge).
fn clip_at(ring: &[[f64; 2]], x: f64, inside: impl Fn(f64) -> bool) -> Ring {
    let mut clipped = Vec::with_capacity(ring.len() + 2);
    let crossing = |[x0, y0]: [f64; 2], [x1, y1]: [f64; 2]| {
        let t = (x - x0) / (x1 - x0);
        [x, y0 + t * (y1 - y0)]
    };
    for (index, &current) in ring.iter().enumerate() {
        let previous = ring[(index + ring.len() - 1) % ring.len()];
        match (inside(previous[0]), inside(current[0])) {
            (true, true) => clipped.push(current),
            (false, true) => {
                clipped.push(crossing(previous, current));
                clipped.push(current);
            }
            (true, false) => clipped.push(crossing(previous, current)),
            (false, false) => {}
        }
    }
    clipped
}

/// The smallest axis-aligned box holding some points: `[min_x, min_y, max_x, max_y]`.
pub fn bounds<'a>(points: impl IntoIterator<Item = &'a [f64; 2]>) -> Option<[f64; 4]> {
    points.into_iter().fold(None, |acc, &[x, y]| {
        Some(match acc {
            None => [x, y, x, y],
            Some([x0, y0, x1, y1]) => [x0.min(x), y0.min(y), x1.max(x), y1.max(y)],
        })
    })
}

/// Maps projected coordinates (y northwards) into a box of the SVG canvas (y downwards),
/// keeping the aspect ratio and centring the drawing in the box.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    scale: f64,
    offset: [f64; 2],
    top: f64,
}

impl Fit {
    /// Fits `bounds` inside `[left, top, width, height]` minus `padding` on every side.
    pub fn new(bounds: [f64; 4], [left, top, width, height]: [f64; 4], padding: f64) -> Fit {
        let [x0, y0, x1, y1] = bounds;
        let (inner_width, inner_height) = (width - 2.0 * padding, height - 2.0 * padding);
        let span_x = (x1 - x0).max(f64::EPSILON);
        let span_y = (y1 - y0).max(f64::EPSILON);
        let scale = (inner_width / span_x).min(inner_height / span_y);
        let offset_x = left + padding + (inner_width - span_x * scale) / 2.0;
        let offset_y = top + padding + (inner_height - span_y * scale) / 2.0;
        Fit {
            scale,
            offset: [offset_x - x0 * scale, offset_y],
            top: y1,
        }
    }

    pub fn apply(&self, [x, y]: [f64; 2]) -> [f64; 2] {
        [
            self.offset[0] + x * self.scale,
            self.offset[1] + (self.top - y) * self.scale,
        ]
    }
}

/// Writes rings as compact SVG path data: the first point of each ring absolute, the others
/// relative, all rounded to a tenth of a unit. Rounding is done on absolute positions and the
/// relative steps are differences of rounded values, so errors never add up along a ring.
#[derive(Debug, Default)]
pub struct PathWriter {
    d: String,
    /// Points closer than this to the last kept point are dropped: a light simplification
    /// that keeps every ring's shape at the scale the map is drawn.
    min_step: f64,
}

impl PathWriter {
    pub fn new(min_step: f64) -> PathWriter {
        PathWriter {
            d: String::new(),
            min_step,
        }
    }

    pub fn ring(&mut self, ring: &[[f64; 2]]) {
        let mut kept: Vec<[i64; 2]> = Vec::with_capacity(ring.len());
        let mut last_exact: Option<[f64; 2]> = None;
        for &[x, y] in ring {
            if let Some([lx, ly]) = last_exact {
                if (x - lx).hypot(y - ly) < self.min_step {
                    continue;
                }
            }
            let tenths = [(x * 10.0).round() as i64, (y * 10.0).round() as i64];
            if kept.last() != Some(&tenths) {
                kept.push(tenths);
                last_exact = Some([x, y]);
            }
        }
        while kept.len() > 1 && kept.first() == kept.last() {
            kept.pop();
        }
        if kept.len() < 3 {
            return;
        }
        self.d.push('M');
        push_tenths(&mut self.d, kept[0][0], true);
        push_tenths(&mut self.d, kept[0][1], false);
        self.d.push('l');
        let mut first = true;
        for pair in kept.windows(2) {
            push_tenths(&mut self.d, pair[1][0] - pair[0][0], first);
            push_tenths(&mut self.d, pair[1][1] - pair[0][1], false);
            first = false;
        }
        self.d.push('z');
    }

    pub fn rings<'a>(&mut self, rings: impl IntoIterator<Item = &'a Ring>) {
        for ring in rings {
            self.ring(ring);
        }
    }

    pub fn finish(self) -> String {
        self.d
    }
}

/// A disc of radius `r` centred on `[x, y]`, as two half-circle arcs.
pub fn dot([x, y]: [f64; 2], r: f64) -> String {
    let tenths = |value: f64| (value * 10.0).round() as i64;
    let mut d = String::from("M");
    push_tenths(&mut d, tenths(x - r), true);
    push_tenths(&mut d, tenths(y), false);
    for dx in [2.0 * r, -2.0 * r] {
        d.push('a');
        push_tenths(&mut d, tenths(r), true);
        push_tenths(&mut d, tenths(r), false);
        d.push_str(" 0 1 0");
        push_tenths(&mut d, tenths(dx), false);
        d.push_str(" 0");
    }
    d.push('z');
    d
}

/// Appends a number given in tenths: `15` as `1.5`, `-5` as `-.5`, `20` as `2`. A space
/// separates it from the previous number unless the minus sign already does.
fn push_tenths(d: &mut String, tenths: i64, after_command: bool) {
    if !after_command && tenths >= 0 {
        d.push(' ');
    }
    if tenths < 0 {
        d.push('-');
    }
    let magnitude = tenths.unsigned_abs();
    let (units, tenth) = (magnitude / 10, magnitude % 10);
    if tenth == 0 {
        d.push_str(&units.to_string());
    } else {
        if units != 0 {
            d.push_str(&units.to_string());
        }
        d.push('.');
        d.push(char::from(b'0' + tenth as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_earth_matches_reference_values() {
        assert_eq!(equal_earth([0.0, 0.0]), [0.0, 0.0]);
        // d3-geo-projection's geoEqualEarth at scale 1: the poles and the antimeridian.
        let [_, y] = equal_earth([0.0, 90.0]);
        assert!((y - 1.317_362).abs() < 1e-5, "{y}");
        let [x, _] = equal_earth([180.0, 0.0]);
        assert!((x - 2.706_629).abs() < 1e-5, "{x}");
        let [x, y] = equal_earth([-10.0, -45.0]);
        assert!(x < 0.0 && y < 0.0);
    }

    #[test]
    fn rings_across_the_antimeridian_are_cut_in_two() {
        // A square from 178°E to 178°W.
        let ring = [[178.0, 0.0], [-178.0, 0.0], [-178.0, 2.0], [178.0, 2.0]];
        let parts = split_at_antimeridian(&ring);
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert_eq!(bounds(&parts[0]), Some([178.0, 0.0, 180.0, 2.0]));
        assert_eq!(bounds(&parts[1]), Some([-180.0, 0.0, -178.0, 2.0]));
        // Rings that do not cross are untouched.
        let ring = [[10.0, 0.0], [20.0, 0.0], [20.0, 5.0]];
        assert_eq!(split_at_antimeridian(&ring), vec![ring.to_vec()]);
        let ring = [[-179.0, 0.0], [-170.0, 0.0], [-170.0, 5.0], [-180.0, 5.0]];
        assert_eq!(split_at_antimeridian(&ring), vec![ring.to_vec()]);
    }

    #[test]
    fn fit_flips_y_and_centres() {
        let fit = Fit::new([0.0, 0.0, 2.0, 1.0], [0.0, 0.0, 100.0, 100.0], 0.0);
        assert_eq!(fit.apply([0.0, 1.0]), [0.0, 25.0]);
        assert_eq!(fit.apply([2.0, 0.0]), [100.0, 75.0]);
    }

    #[test]
    fn path_data_is_relative_rounded_and_drift_free() {
        let mut writer = PathWriter::new(0.0);
        writer.ring(&[[1.04, 2.0], [1.56, 2.0], [1.56, 0.5], [1.04, 2.0]]);
        // A degenerate ring is dropped.
        writer.ring(&[[0.0, 0.0], [0.01, 0.0]]);
        assert_eq!(writer.finish(), "M1 2l.6 0 0-1.5z");
        assert_eq!(
            dot([10.0, 5.0], 1.5),
            "M8.5 5a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0z"
        );
    }
}
