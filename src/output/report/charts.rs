//! The report's bar charts as SVG, drawn with plotters: one bar per label (a bar of zero
//! height included, so that every chart has as many bars as it has labels), an optional
//! dashed marker line (the 90% execution line), and grouped pairs for budget vs executed.
//! Text is left to the page's Chinese font stack: the SVG names no font of its own.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The fill of single bars, and of the budget bars of a pair; the page's browser test counts
/// bars by these colours.
pub const BAR: RGBColor = RGBColor(0x3A, 0x6E, 0xA5);
/// The fill of the executed bars of a pair.
pub const BAR_EXECUTED: RGBColor = RGBColor(0xE0, 0x8E, 0x2B);
const MARKER: RGBColor = RGBColor(0xC0, 0x39, 0x2B);
const FONT: &str = "sans-serif";

/// A drawn chart and the number of bars in it.
pub struct Chart {
    pub svg: String,
    pub bars: usize,
}

/// One series of bars: a label and a value each.
pub struct Bars<'a> {
    pub labels: &'a [String],
    pub values: &'a [f64],
    /// A dashed vertical line between bars, at this position on the axis (bar `i` spans
    /// `i..i+1`): the 90% line of the execution-rate histogram.
    pub marker: Option<(f64, &'a str)>,
}

/// The width a chart needs for `count` bars of `slot` pixels, within bounds.
fn width_for(count: usize, slot: u32) -> u32 {
    let count = u32::try_from(count).unwrap_or(u32::MAX);
    count
        .saturating_mul(slot)
        .saturating_add(90)
        .clamp(320, 900)
}

/// Bars, one per label, in one colour.
pub fn bars(bars: &Bars) -> Chart {
    let pairs: Vec<(f64, Option<f64>)> = bars.values.iter().map(|v| (*v, None)).collect();
    draw(bars.labels, &pairs, bars.marker, 56, 240)
}

/// A pair of bars per label: budget then executed (万元).
pub fn pairs(labels: &[String], budget: &[f64], executed: &[f64]) -> Chart {
    let pairs: Vec<(f64, Option<f64>)> = budget
        .iter()
        .zip(executed)
        .map(|(b, e)| (*b, Some(*e)))
        .collect();
    draw(labels, &pairs, None, 48, 200)
}

fn draw(
    labels: &[String],
    values: &[(f64, Option<f64>)],
    marker: Option<(f64, &str)>,
    slot: u32,
    height: u32,
) -> Chart {
    let mut svg = String::new();
    let size = (width_for(values.len(), slot), height);
    let drawn = plot(&mut svg, size, labels, values, marker);
    let bars = values
        .iter()
        .map(|(_, second)| 1 + usize::from(second.is_some()))
        .sum();
    match drawn {
        Ok(()) => Chart { svg, bars },
        // Plotters fails only on a backend error, which an in-memory SVG does not have;
        // a chart that could not be drawn is left out rather than stopping the report.
        Err(_) => Chart {
            svg: String::new(),
            bars: 0,
        },
    }
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

fn plot(
    svg: &mut String,
    size: (u32, u32),
    labels: &[String],
    values: &[(f64, Option<f64>)],
    marker: Option<(f64, &str)>,
) -> DrawResult {
    let root = SVGBackend::with_string(svg, size).into_drawing_area();
    root.fill(&WHITE)?;
    let top = values
        .iter()
        .map(|(a, b)| a.max(b.unwrap_or(0.0)))
        .fold(0.0_f64, f64::max);
    // Headroom above the tallest bar for its value label; a flat chart still has an axis.
    let top = if top > 0.0 { top * 1.15 } else { 1.0 };
    let count = values.len().max(1);
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .x_label_area_size(44)
        .y_label_area_size(48)
        .build_cartesian_2d(0.0..count as f64, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .x_labels(0)
        .y_labels(5)
        .label_style((FONT, 12))
        .draw()?;
    let plotting = chart.plotting_area();
    let label_style =
        TextStyle::from((FONT, 12).into_font()).pos(Pos::new(HPos::Center, VPos::Top));
    let value_style =
        TextStyle::from((FONT, 11).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom));
    for (i, (first, second)) in values.iter().enumerate() {
        let left = i as f64 + 0.15;
        let right = i as f64 + 0.85;
        let split = second.map_or(right, |_| i as f64 + 0.5);
        plotting.draw(&Rectangle::new(
            [(left, 0.0), (split, *first)],
            BAR.filled(),
        ))?;
        if let Some(second) = second {
            plotting.draw(&Rectangle::new(
                [(split, 0.0), (right, *second)],
                BAR_EXECUTED.filled(),
            ))?;
        } else if *first > 0.0 {
            plotting.draw(&Text::new(
                format_value(*first),
                (i as f64 + 0.5, *first),
                value_style.clone(),
            ))?;
        }
        if let Some(label) = labels.get(i) {
            // Every other label a line lower, so that long neighbours do not overlap.
            let (x, y) = plotting.map_coordinate(&(i as f64 + 0.5, 0.0));
            let y = if i % 2 == 0 { y + 4 } else { y + 20 };
            root.draw(&Text::new(label.clone(), (x, y), label_style.clone()))?;
        }
    }
    if let Some((at, text)) = marker {
        plotting.draw(&PathElement::new(
            vec![(at, 0.0), (at, top)],
            MARKER.stroke_width(2),
        ))?;
        let (x, y) = plotting.map_coordinate(&(at, top));
        root.draw(&Text::new(
            text.to_string(),
            (x + 4, y + 2),
            TextStyle::from((FONT, 12).into_font()).color(&MARKER),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// A bar's value label: whole numbers as they are, others to one place.
fn format_value(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("第{i}组")).collect()
    }

    fn fills(svg: &str, color: RGBColor) -> usize {
        let RGBColor(r, g, b) = color;
        svg.matches(&format!("fill=\"#{r:02X}{g:02X}{b:02X}\""))
            .count()
    }

    #[test]
    fn every_label_has_a_bar_even_at_zero() {
        let chart = bars(&Bars {
            labels: &labels(4),
            values: &[3.0, 0.0, 1.0, 0.0],
            marker: None,
        });
        assert_eq!(chart.bars, 4);
        assert_eq!(fills(&chart.svg, BAR), 4);
        assert!(chart.svg.contains("第3组"));
    }

    #[test]
    fn pairs_draw_two_bars_per_label_and_the_marker_its_text() {
        let chart = pairs(&labels(3), &[10.0, 20.0, 5.0], &[8.56, 20.0, 0.0]);
        assert_eq!(chart.bars, 6);
        assert_eq!(fills(&chart.svg, BAR), 3);
        assert_eq!(fills(&chart.svg, BAR_EXECUTED), 3);
        let marked = bars(&Bars {
            labels: &labels(2),
            values: &[1.0, 2.0],
            marker: Some((1.0, "90%")),
        });
        assert!(marked.svg.contains("90%"));
    }
}
