//! Charts drawn in Rust as SVG for the reports (issue 8: "the PDF report draws the same data, chart types
//! and axes in Rust (SVG), not screenshots"): the distribution of sheet totals as bars over ten 10-point
//! bins, and each expert's leniency as mean ± SD beside the panel's mean on a 0–100 axis — the window's
//! two score charts. Labels are digits and expert numbers only, drawn in the documents' font; every
//! figure is also printed in a table under its chart.

use lixiang_core::report::dashboard::{Bin, ExpertLeniency};
use std::fmt::Write;

const FONT: &str = "Noto Sans CJK SC";
const BAR: &str = "#4C78A8";
const PANEL: &str = "#E45756";
const AXIS: &str = "#555555";
const GRID: &str = "#DDDDDD";

/// A step for about five ticks up to `max` (1, 2, 5, 10, 20 …).
fn tick_step(max: u32) -> u32 {
    let mut step = 1;
    for s in [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] {
        step = s;
        if max.div_ceil(s) <= 5 {
            break;
        }
    }
    step
}

fn text(svg: &mut String, x: f64, y: f64, anchor: &str, label: &str) {
    let _ = write!(
        svg,
        r#"<text x="{x:.1}" y="{y:.1}" font-family="{FONT}" font-size="9" fill="{AXIS}" text-anchor="{anchor}">{label}</text>"#
    );
}

/// The histogram of sheet totals: one bar per bin, x from 0 to 100 in steps of 10, y the count.
pub fn histogram_svg(bins: &[Bin]) -> String {
    let (w, h) = (480.0, 200.0);
    let (left, right, top, bottom) = (36.0, 10.0, 10.0, 28.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let step = tick_step(max);
    let top_tick = max.div_ceil(step) * step;
    let y_of = |v: f64| top + plot_h - v / f64::from(top_tick) * plot_h;
    let mut svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#);
    let mut t = 0;
    while t <= top_tick {
        let y = y_of(f64::from(t));
        let _ = write!(
            svg,
            r#"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{GRID}" stroke-width="0.5"/>"#,
            w - right
        );
        text(&mut svg, left - 4.0, y + 3.0, "end", &t.to_string());
        t += step;
    }
    let bw = plot_w / bins.len().max(1) as f64;
    for (i, b) in bins.iter().enumerate() {
        let x = left + bw * i as f64;
        if b.count > 0 {
            let y = y_of(f64::from(b.count));
            let _ = write!(
                svg,
                r#"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{BAR}"/>"#,
                x + 2.0,
                bw - 4.0,
                top + plot_h - y
            );
        }
        text(&mut svg, x, h - bottom + 12.0, "middle", &b.from.to_string());
    }
    text(&mut svg, left + plot_w, h - bottom + 12.0, "middle", "100");
    let _ = write!(
        svg,
        r#"<line x1="{left}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="{AXIS}" stroke-width="0.8"/><line x1="{left}" y1="{top}" x2="{left}" y2="{0:.1}" stroke="{AXIS}" stroke-width="0.8"/></svg>"#,
        top + plot_h,
        w - right
    );
    svg
}

/// Each expert's mean ± SD (a dot on a whisker) beside the panel's mean on the same items (a red tick),
/// on a 0–100 axis; one row per expert, by expert number.
pub fn leniency_svg(experts: &[ExpertLeniency]) -> String {
    let row = 20.0;
    let (left, right, top, bottom) = (70.0, 12.0, 8.0, 24.0);
    let w = 480.0;
    let h = top + bottom + row * experts.len().max(1) as f64;
    let plot_w = w - left - right;
    let x_of = |v: f64| left + v.clamp(0.0, 100.0) / 100.0 * plot_w;
    let mut svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#);
    for t in (0..=100).step_by(20) {
        let x = x_of(f64::from(t));
        let _ = write!(
            svg,
            r#"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{:.1}" stroke="{GRID}" stroke-width="0.5"/>"#,
            h - bottom
        );
        text(&mut svg, x, h - bottom + 12.0, "middle", &t.to_string());
    }
    for (i, e) in experts.iter().enumerate() {
        let y = top + row * (i as f64 + 0.5);
        text(&mut svg, left - 6.0, y + 3.0, "end", &e.expert);
        if let Some(sd) = e.sd {
            let _ = write!(
                svg,
                r#"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{BAR}" stroke-width="1.2"/>"#,
                x_of(e.mean - sd),
                x_of(e.mean + sd)
            );
        }
        let _ = write!(svg, r#"<circle cx="{:.1}" cy="{y:.1}" r="3.2" fill="{BAR}"/>"#, x_of(e.mean));
        if let Some(p) = e.panel_mean {
            let x = x_of(p);
            let _ = write!(
                svg,
                r#"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{PANEL}" stroke-width="2"/>"#,
                y - 6.0,
                y + 6.0
            );
        }
    }
    let _ = write!(
        svg,
        r#"<line x1="{left}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="{AXIS}" stroke-width="0.8"/></svg>"#,
        h - bottom,
        w - right
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_few_and_round() {
        assert_eq!(tick_step(1), 1);
        assert_eq!(tick_step(5), 1);
        assert_eq!(tick_step(6), 2);
        assert_eq!(tick_step(23), 5);
        assert_eq!(tick_step(240), 50);
    }

    #[test]
    fn a_bar_per_nonempty_bin_and_a_dot_per_expert() {
        let bins: Vec<Bin> = (0..10)
            .map(|i| Bin { from: i * 10, to: i * 10 + 10, count: [0, 0, 0, 0, 0, 0, 1, 3, 2, 0][i as usize] })
            .collect();
        let svg = histogram_svg(&bins);
        assert_eq!(svg.matches("<rect").count(), 3);
        let e = |n: &str, mean, sd, panel| ExpertLeniency {
            expert: n.into(),
            sheets: 3,
            mean,
            sd,
            compared: 3,
            panel_mean: panel,
            panel_sd: None,
            difference: panel.map(|p: f64| mean - p),
        };
        let svg = leniency_svg(&[e("ZJ000001", 80.0, Some(5.0), Some(75.0)), e("ZJ000002", 70.0, None, None)]);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("ZJ000002"));
    }
}
