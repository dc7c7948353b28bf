//! Bar charts drawn as SVG on the server: a title and a description the screen reader
//! announces, and the same figures in a table behind each chart.

use leptos::prelude::*;

/// One bar: its label and value, and the value as text.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
    pub href: Option<String>,
}

const ROW: f64 = 22.0;
const LABEL_WIDTH: f64 = 210.0;
const BAR_WIDTH: f64 = 330.0;
const VALUE_WIDTH: f64 = 110.0;

/// Keeps a label inside its column.
fn clip(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let cut: String = label.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// A horizontal bar chart with its data table.
#[component]
pub fn BarChart(
    /// Unique within the page, for the ARIA references.
    id: &'static str,
    title: String,
    description: String,
    /// Headers of the table's two columns.
    label_header: String,
    value_header: String,
    /// Text of the "see the figures" disclosure.
    table_summary: String,
    bars: Vec<Bar>,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = (bars.len() as f64 * ROW).max(ROW);
    let width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
    let title_id = format!("{id}-titre");
    let desc_id = format!("{id}-desc");
    let svg_title_id = format!("{id}-titre-svg");
    let svg_labels = format!("{svg_title_id} {desc_id}");
    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = i as f64 * ROW;
            let w = if max > 0.0 {
                (bar.value / max * BAR_WIDTH).max(if bar.value > 0.0 { 1.0 } else { 0.0 })
            } else {
                0.0
            };
            view! {
                <g>
                    <text x=LABEL_WIDTH - 8.0 y=y + ROW * 0.68 text-anchor="end" class="chart-label">
                        {clip(&bar.label, 32)}
                    </text>
                    <rect x=LABEL_WIDTH y=y + 3.0 width=w height=ROW - 6.0 class="chart-bar"></rect>
                    <text x=LABEL_WIDTH + w + 6.0 y=y + ROW * 0.68 class="chart-value">{bar.text.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let table_rows = bars
        .into_iter()
        .map(|bar| {
            let label = match bar.href {
                Some(href) => view! { <a href=href>{bar.label}</a> }.into_any(),
                None => bar.label.into_any(),
            };
            view! { <tr><th scope="row">{label}</th><td class="num">{bar.text}</td></tr> }
        })
        .collect_view();
    view! {
        <figure class="chart" aria-labelledby=title_id.clone()>
            <figcaption id=title_id.clone()>{title.clone()}</figcaption>
            <svg
                viewBox=format!("0 0 {width} {height}")
                width="100%"
                role="img"
                aria-labelledby=svg_labels
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=svg_title_id>{title}</title>
                <desc id=desc_id>{description}</desc>
                {rows}
            </svg>
            <details>
                <summary>{table_summary}</summary>
                <table class="data">
                    <thead><tr><th scope="col">{label_header}</th><th scope="col">{value_header}</th></tr></thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </details>
        </figure>
    }
}
