//! Choropleth maps as SVG: one link per area that has a figure, coloured by class, a legend
//! drawn in the image, and the area's name and count shown on hover and on keyboard focus.

use super::{MapGeometry, Shape};
use std::collections::HashMap;
use std::fmt::Write;

/// One area's figure for a choropleth.
#[derive(Debug, Clone)]
pub struct AreaFigure<'a> {
    /// ISO 3166-1 alpha-2 code on the world map, INSEE code on the France maps.
    pub code: &'a str,
    /// The whole text shown for the area, already translated and formatted by the caller:
    /// “Sénégal : 42 partenariats”. It is the link's accessible name, its tooltip and the
    /// label shown on hover and focus.
    pub label: &'a str,
    pub count: u64,
    pub href: String,
    /// The area the page is about, outlined and marked `aria-current`.
    pub selected: bool,
}

/// The texts and form of a choropleth; every text comes translated from the caller.
#[derive(Debug, Clone)]
pub struct ChoroplethOptions<'a> {
    /// Prefix of the element ids (`{id}-title`, `{id}-desc`), unique in the page.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// Heading of the legend, e.g. “Nombre de partenariats”.
    pub legend_caption: &'a str,
    /// Legend text of the grey areas, e.g. “Aucun partenariat”.
    pub no_partnership: &'a str,
    /// A document of its own, for `<object>` or `<iframe>` (XML declaration, namespace and
    /// its own `<style>`), rather than an `<svg>` element inlined in a page, which takes its
    /// style from the page: see [`CHOROPLETH_CSS`]. Either way the drawing has no fixed size
    /// and fills the width it is given: see [`document_size`] for its aspect ratio.
    pub standalone: bool,
}

/// Sequential classes, light to dark. Each keeps a contrast of at least 3:1 with the area
/// borders (WCAG 1.4.11), checked by a test.
const PALETTE: [&str; 5] = ["#cfe1f3", "#a3c8e8", "#74aad8", "#4a89c5", "#2b6cb0"];
/// Areas with no partnership, or with no figure at all.
const EMPTY: &str = "#e6e6e6";
const BORDER: &str = "#1a1a1a";
const BORDER_WIDTH: &str = ".5";
const SELECTED_WIDTH: &str = "2.5";
const TEXT: &str = "#1a1a1a";
const FONT: &str = "system-ui,-apple-system,'Segoe UI',Roboto,sans-serif";
/// Height of the band under the map holding the hover label, the legend and the credit.
const BAND: f64 = 100.0;

/// The rules that show an area's label while it is hovered or focused; inline maps need
/// them in the page's stylesheet, standalone maps carry them.
pub const CHOROPLETH_CSS: &str =
    ".atlas-map a:hover path,.atlas-map a:focus path{stroke:#000;stroke-width:3}\
.atlas-map a:focus{outline:none}\
.atlas-map a:hover .tip,.atlas-map a:focus .tip{display:inline}\
.atlas-map:has(a:hover) a:focus:not(:hover) .tip{display:none}";

/// Draws `geometry` with `figures`. Areas without a figure are drawn grey and inert; figures
/// for codes the map does not know are ignored (a country too small for the map and absent
/// from its dots, an old département code).
pub fn choropleth_svg(
    geometry: &MapGeometry,
    figures: &[AreaFigure],
    opts: &ChoroplethOptions,
) -> String {
    let by_code: HashMap<&str, &AreaFigure> =
        figures.iter().map(|figure| (figure.code, figure)).collect();
    let [width, height] = document_size(geometry);
    let id = escape(opts.id);
    let mut svg = String::with_capacity(64 * 1024);
    if opts.standalone {
        svg.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        // No width or height: the drawing scales to the frame that holds it.
        svg.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" ");
    } else {
        svg.push_str("<svg ");
    }
    let _ = write!(
        svg,
        "viewBox=\"0 0 {w} {h}\" class=\"atlas-map\" aria-labelledby=\"{id}-title\" \
         aria-describedby=\"{id}-desc\" font-family=\"{FONT}\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>",
        w = number(width),
        h = number(height),
        title = escape(opts.title),
        desc = escape(opts.description),
    );
    if opts.standalone {
        let _ = write!(svg, "<style>{CHOROPLETH_CSS}</style>");
    }
    let _ = write!(
        svg,
        "<g stroke=\"{BORDER}\" stroke-width=\"{BORDER_WIDTH}\" stroke-linejoin=\"round\" \
         fill-rule=\"evenodd\" fill=\"{EMPTY}\">"
    );
    if !geometry.background.is_empty() {
        let _ = write!(svg, "<path d=\"{}\"/>", geometry.background);
    }
    let tip_y = number(geometry.height + 24.0);
    let mut linked: Vec<(&Shape, &AreaFigure)> = Vec::new();
    for shape in &geometry.shapes {
        match by_code.get(shape.code.as_str()) {
            Some(figure) => linked.push((shape, figure)),
            None => {
                let _ = write!(svg, "<path d=\"{}\"/>", shape.d);
            }
        }
    }
    // Dots stand for areas too small to draw, and only where there is something to show.
    for marker in &geometry.markers {
        if let Some(figure) = by_code.get(marker.code.as_str()) {
            linked.push((marker, figure));
        }
    }
    // Classes from the figures drawn, so that the legend describes the map.
    let classes = Classes::new(linked.iter().map(|(_, figure)| figure.count));
    // The selected areas last, so that no neighbour covers their outline.
    linked.sort_by_key(|(_, figure)| figure.selected);
    for (shape, figure) in linked {
        let fill = classes.colour(figure.count);
        let label = escape(figure.label);
        let _ = write!(
            svg,
            "<a href=\"{href}\" target=\"_top\"{current}><title>{label}</title>\
             <path d=\"{d}\" fill=\"{fill}\"{outline}/>\
             <text class=\"tip\" x=\"8\" y=\"{tip_y}\" display=\"none\" stroke=\"none\" \
             fill=\"{TEXT}\" font-size=\"15\" font-weight=\"bold\">{label}</text></a>",
            href = escape(&figure.href),
            current = if figure.selected {
                " aria-current=\"true\""
            } else {
                ""
            },
            d = shape.d,
            outline = if figure.selected {
                format!(" class=\"selected\" stroke=\"#000\" stroke-width=\"{SELECTED_WIDTH}\"")
            } else {
                String::new()
            },
        );
    }
    svg.push_str("</g>");
    if !geometry.frames.is_empty() {
        let _ = write!(
            svg,
            "<path d=\"{}\" fill=\"none\" stroke=\"#767676\" stroke-width=\"1\"/>",
            geometry.frames
        );
    }
    legend(&mut svg, geometry, &classes, opts);
    svg.push_str("</svg>");
    svg
}

/// The size of the drawing [`choropleth_svg`] makes of `geometry`, legend included, in SVG
/// user units: the aspect ratio to give the `<iframe>` or `<object>` that shows it.
pub fn document_size(geometry: &MapGeometry) -> [f64; 2] {
    [geometry.width, geometry.height + BAND]
}

/// The legend under the map: its caption, then a swatch and range per class after the grey
/// swatch, then the data credit on its own line.
fn legend(svg: &mut String, geometry: &MapGeometry, classes: &Classes, opts: &ChoroplethOptions) {
    let top = geometry.height;
    let _ = write!(
        svg,
        "<g font-size=\"13\" fill=\"{TEXT}\"><text x=\"8\" y=\"{y}\">{caption}</text>",
        y = number(top + 48.0),
        caption = escape(opts.legend_caption),
    );
    let mut entries = vec![(EMPTY, opts.no_partnership.to_string())];
    entries.extend(classes.ranges().into_iter().map(|(colour, (low, high))| {
        if low == high {
            (colour, low.to_string())
        } else {
            (colour, format!("{low}–{high}"))
        }
    }));
    let mut x = 8.0;
    for (colour, text) in entries {
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{colour}\" \
             stroke=\"{BORDER}\" stroke-width=\"{BORDER_WIDTH}\"/>\
             <text x=\"{tx}\" y=\"{ty}\">{text}</text>",
            x = number(x),
            y = number(top + 58.0),
            tx = number(x + 19.0),
            ty = number(top + 70.0),
            text = escape(&text),
        );
        // Text width estimated at 0.6 em a character: no font metrics on the server.
        x += 19.0 + 13.0 * 0.6 * text.chars().count() as f64 + 16.0;
    }
    let _ = write!(
        svg,
        "<text x=\"{x}\" y=\"{y}\" font-size=\"10\" fill=\"#595959\" \
         text-anchor=\"end\">{credit}</text></g>",
        x = number(geometry.width - 8.0),
        y = number(top + 92.0),
        credit = escape(&geometry.credit),
    );
}

/// Class boundaries on a logarithmic scale between the smallest and largest positive count,
/// rounded to 1-2-3-5 steps so the legend reads “3–9, 10–29”: counts of partnerships run
/// from one to a few hundred and a linear scale would put almost every area in the first
/// class. Never more classes than distinct counts.
#[derive(Debug, Clone, PartialEq)]
struct Classes {
    /// The lowest count of each class, ascending; the first is the smallest count.
    lows: Vec<u64>,
    max: u64,
}

impl Classes {
    fn new(counts: impl IntoIterator<Item = u64>) -> Classes {
        let mut positive: Vec<u64> = counts.into_iter().filter(|&count| count > 0).collect();
        positive.sort_unstable();
        positive.dedup();
        let (Some(&min), Some(&max)) = (positive.first(), positive.last()) else {
            return Classes {
                lows: Vec::new(),
                max: 0,
            };
        };
        let wanted = positive.len().min(PALETTE.len());
        let mut lows = vec![min];
        let ratio = max as f64 / min as f64;
        for step in 1..wanted {
            let target = min as f64 * ratio.powf(step as f64 / wanted as f64);
            let low = nice(target);
            if low > *lows.last().unwrap_or(&0) && low <= max {
                lows.push(low);
            }
        }
        Classes { lows, max }
    }

    /// The class of a count: `None` for zero.
    fn class(&self, count: u64) -> Option<usize> {
        if count == 0 {
            return None;
        }
        self.lows.iter().rposition(|&low| count >= low).or(Some(0))
    }

    fn colour(&self, count: u64) -> &'static str {
        match self.class(count) {
            None => EMPTY,
            Some(class) => PALETTE[self.palette_index(class)],
        }
    }

    /// Spreads fewer classes over the whole palette, so two classes are light and dark.
    fn palette_index(&self, class: usize) -> usize {
        match self.lows.len() {
            0 | 1 => PALETTE.len() / 2,
            n => (class * (PALETTE.len() - 1) + (n - 1) / 2) / (n - 1),
        }
    }

    /// Each class's colour and inclusive range of counts.
    fn ranges(&self) -> Vec<(&'static str, (u64, u64))> {
        self.lows
            .iter()
            .enumerate()
            .map(|(class, &low)| {
                let high = self.lows.get(class + 1).map_or(self.max, |next| next - 1);
                (PALETTE[self.palette_index(class)], (low, high))
            })
            .collect()
    }
}

/// The 1-2-3-5 step nearest to `value` on a logarithmic scale.
fn nice(value: f64) -> u64 {
    let mut best = 1u64;
    let mut decade = 1u64;
    while decade as f64 <= value * 10.0 {
        for step in [1, 2, 3, 5] {
            let candidate = step * decade;
            if (candidate as f64 / value).ln().abs() < (best as f64 / value).ln().abs() {
                best = candidate;
            }
        }
        decade = decade.saturating_mul(10);
    }
    best
}

/// A coordinate with at most one decimal.
fn number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// Text for XML character data and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            // Control characters other than tab and newlines are not allowed in XML 1.0.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let value = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
            if value <= 0.039_28 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn every_fill_contrasts_with_the_borders() {
        for fill in PALETTE.iter().chain([&EMPTY]) {
            let ratio = contrast(fill, BORDER);
            assert!(ratio >= 3.0, "{fill} against {BORDER}: {ratio:.2}");
        }
        // Classes go from light to dark.
        for pair in PALETTE.windows(2) {
            assert!(luminance(pair[0]) > luminance(pair[1]), "{pair:?}");
        }
        assert!(contrast(TEXT, "#ffffff") >= 4.5);
        assert!(contrast("#595959", "#ffffff") >= 4.5);
    }

    #[test]
    fn log_classes_with_round_bounds() {
        let classes = Classes::new([0, 1, 1, 2, 4, 7, 12, 40, 120, 300]);
        assert_eq!(classes.lows, vec![1, 3, 10, 30, 100]);
        let ranges: Vec<(u64, u64)> = classes.ranges().into_iter().map(|(_, r)| r).collect();
        assert_eq!(ranges, vec![(1, 2), (3, 9), (10, 29), (30, 99), (100, 300)]);
        assert_eq!(classes.class(0), None);
        assert_eq!(classes.class(2), Some(0));
        assert_eq!(classes.class(300), Some(4));
        assert_eq!(classes.colour(0), EMPTY);
        assert_eq!(classes.colour(300), PALETTE[4]);
    }

    #[test]
    fn few_distinct_counts_give_few_classes_spread_over_the_palette() {
        let classes = Classes::new([1, 1, 5]);
        assert_eq!(classes.lows, vec![1, 2]);
        assert_eq!(classes.colour(1), PALETTE[0]);
        assert_eq!(classes.colour(5), PALETTE[4]);
        let single = Classes::new([4, 4]);
        assert_eq!(single.ranges(), vec![(PALETTE[2], (4, 4))]);
        assert!(Classes::new([0, 0]).ranges().is_empty());
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice(1.4), 1);
        assert_eq!(nice(3.1), 3);
        assert_eq!(nice(9.8), 10);
        assert_eq!(nice(31.0), 30);
        assert_eq!(nice(96.0), 100);
        assert_eq!(nice(400.0), 500);
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("Côte d'Ivoire <b>&\"x\"\u{1}"),
            "Côte d&apos;Ivoire &lt;b&gt;&amp;&quot;x&quot;"
        );
        assert_eq!(number(12.0), "12");
        assert_eq!(number(12.345), "12.3");
    }
}
