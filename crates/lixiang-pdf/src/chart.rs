//! Charts drawn in Rust as SVG for the reports (issue 8: "the PDF report draws the same data, chart types
//! and axes in Rust (SVG), not screenshots"): the distribution of sheet totals as bars over ten 10-point
//! bins, and each expert's leniency as mean ± SD beside the panel's mean ± SD, experts down the vertical
//! axis and the totals along a fitted horizontal one — the window's two score charts; and a programme's target coverage, the window's coverage chart
//! (`ui/src/dashboardCharts.ts`, `coverageBars`): per target the plan's bar (dark up to min, light from
//! min to max) beside the committed bar in its status's colour with its value on top, on one value axis
//! from 0. Labels are digits, codes and the legend's names, drawn in the documents' font; every figure is
//! also printed in a table under its chart.

use lixiang_core::report::dashboard::{Bin, Coverage, ExpertLeniency, TargetCoverage};
use std::fmt::Write;

const FONT: &str = "Noto Sans CJK SC";
const BAR: &str = "#4C78A8";
const AXIS: &str = "#555555";
const GRID: &str = "#DDDDDD";
/// The window's colours (dashboardCharts.ts): the plan's min, its range, and committed by status.
const PLAN_MIN: &str = "#5470c6";
const PLAN_RANGE: &str = "#b6c5ec";
const LEGEND_COMMITTED: &str = "#909399";

fn status_colour(s: Coverage) -> &'static str {
    match s {
        Coverage::Under => "#e6a23c",
        Coverage::Covered => "#67c23a",
        Coverage::Over => "#f56c6c",
    }
}

/// A quantity as people read it (as the window's `formatNumber`): whole numbers without decimals,
/// others with up to 6.
pub fn quantity(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.6}").trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Escapes text for SVG (codes and names come from the catalog).
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

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

/// The leniency chart's legend names, in the document's language (the window's `expertSeries` and
/// `panelSeries`).
pub struct LeniencyNames<'a> {
    pub expert: &'a str,
    pub panel: &'a str,
}

/// The legend's names in `lang`, the window's words (ui/src/i18n/dashboard.ts).
pub fn leniency_names(lang: lixiang_core::Lang) -> LeniencyNames<'static> {
    LeniencyNames {
        expert: lang.pick("专家均值 ± 标准差", "Expert mean ± SD"),
        panel: lang.pick("同组均值 ± 标准差", "Panel mean ± SD"),
    }
}

/// The window's whisker colours (dashboardCharts.ts `leniencyWhiskers`): the expert's, the panel's.
const EXPERT_WHISKER: &str = "#5470c6";
const PANEL_WHISKER: &str = "#91cc75";

/// The value axis of the leniency chart, as the window fits it: from 5 below the lowest whisker end
/// rounded down to a ten (not below 0) to 100, or past 100 only when a whisker reaches beyond it.
pub fn leniency_axis(experts: &[ExpertLeniency]) -> (f64, f64) {
    let ends = experts.iter().flat_map(|e| {
        let mine = [e.mean - e.sd.unwrap_or(0.0), e.mean + e.sd.unwrap_or(0.0)];
        let panel = e.panel_mean.map(|p| [p - e.panel_sd.unwrap_or(0.0), p + e.panel_sd.unwrap_or(0.0)]);
        mine.into_iter().chain(panel.into_iter().flatten())
    });
    let (lo, hi) = ends.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !lo.is_finite() {
        return (0.0, 100.0);
    }
    let min = (((lo - 5.0) / 10.0).floor() * 10.0).max(0.0);
    let max = if hi > 100.0 { hi.ceil() } else { 100.0 };
    (min, max)
}

/// Per expert (a row each, experts on the vertical axis in their order, the first at the top as the
/// window draws them): their mean ± SD (a dot on a horizontal whisker, blue) above the panel's mean ± SD
/// over the same items (green), on the window's fitted value axis ([`leniency_axis`]) with the legend at
/// the top — the window's chart type and axes.
pub fn leniency_svg(experts: &[ExpertLeniency], names: &LeniencyNames<'_>) -> String {
    let row = 24.0;
    let (left, right, top, bottom) = (70.0, 12.0, 26.0, 24.0);
    let w = 480.0;
    let h = top + bottom + row * experts.len().max(1) as f64;
    let plot_w = w - left - right;
    let (min, max) = leniency_axis(experts);
    let x_of = |v: f64| left + (v.clamp(min, max) - min) / (max - min) * plot_w;
    let mut svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#);
    // The legend: a dot and a name per series, centred at the top as ECharts puts it.
    let legend = [(EXPERT_WHISKER, names.expert), (PANEL_WHISKER, names.panel)];
    let widths: Vec<f64> = legend.iter().map(|(_, n)| 14.0 + 9.0 * n.chars().count() as f64 + 14.0).collect();
    let mut x = (w - widths.iter().sum::<f64>()) / 2.0;
    for ((colour, name), lw) in legend.iter().zip(&widths) {
        let _ = write!(svg, r#"<circle cx="{:.1}" cy="10.5" r="4" fill="{colour}"/>"#, x + 5.0);
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="14" font-family="{FONT}" font-size="9" fill="{AXIS}" text-anchor="start">{}</text>"#,
            x + 14.0,
            escape(name)
        );
        x += lw;
    }
    let step = if max - min > 60.0 { 20.0 } else { 10.0 };
    let mut t = (min / step).ceil() * step;
    while t <= max + 1e-9 {
        let x = x_of(t);
        let _ = write!(
            svg,
            r#"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{:.1}" stroke="{GRID}" stroke-width="0.5"/>"#,
            h - bottom
        );
        text(&mut svg, x, h - bottom + 12.0, "middle", &quantity(t));
        t += step;
    }
    let whisker = |svg: &mut String, y: f64, mean: f64, sd: Option<f64>, colour: &str| {
        if let Some(sd) = sd {
            let (lo, hi) = (x_of(mean - sd), x_of(mean + sd));
            let _ = write!(
                svg,
                r#"<line x1="{lo:.1}" y1="{y:.1}" x2="{hi:.1}" y2="{y:.1}" stroke="{colour}" stroke-width="1.2"/><line x1="{lo:.1}" y1="{:.1}" x2="{lo:.1}" y2="{:.1}" stroke="{colour}" stroke-width="1.2"/><line x1="{hi:.1}" y1="{:.1}" x2="{hi:.1}" y2="{:.1}" stroke="{colour}" stroke-width="1.2"/>"#,
                y - 3.0,
                y + 3.0,
                y - 3.0,
                y + 3.0
            );
        }
        let _ = write!(svg, r#"<circle cx="{:.1}" cy="{y:.1}" r="3.2" fill="{colour}"/>"#, x_of(mean));
    };
    for (i, e) in experts.iter().enumerate() {
        let y = top + row * (i as f64 + 0.5);
        text(&mut svg, left - 6.0, y + 3.0, "end", &escape(&e.expert));
        whisker(&mut svg, y - 4.5, e.mean, e.sd, EXPERT_WHISKER);
        if let Some(p) = e.panel_mean {
            whisker(&mut svg, y + 4.5, p, e.panel_sd, PANEL_WHISKER);
        }
    }
    let _ = write!(
        svg,
        r#"<line x1="{left}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="{AXIS}" stroke-width="0.8"/><line x1="{left}" y1="{top}" x2="{left}" y2="{0:.1}" stroke="{AXIS}" stroke-width="0.8"/></svg>"#,
        h - bottom,
        w - right
    );
    svg
}

/// The legend's names, in the document's language.
pub struct CoverageNames<'a> {
    pub min: &'a str,
    pub range: &'a str,
    pub committed: &'a str,
}

/// A programme's target coverage: per target (x, by code) the plan's stacked bar — min dark, max − min
/// light — beside the committed bar coloured by its status with its value on top; y from 0 to a round
/// top above every max and every committed sum; the legend at the top.
pub fn coverage_svg(targets: &[TargetCoverage], names: &CoverageNames<'_>) -> String {
    let (w, h) = (480.0, 220.0);
    let (left, right, top, bottom) = (40.0, 10.0, 30.0, 28.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let highest = targets.iter().map(|t| f64::from(t.max).max(t.committed)).fold(1.0, f64::max);
    let max = highest.ceil() as u32;
    let step = tick_step(max);
    let top_tick = max.div_ceil(step) * step;
    let y_of = |v: f64| top + plot_h - v.max(0.0) / f64::from(top_tick) * plot_h;
    let mut svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#);
    // The legend: a swatch and a name per series, centred at the top as ECharts puts it.
    let legend = [(PLAN_MIN, names.min), (PLAN_RANGE, names.range), (LEGEND_COMMITTED, names.committed)];
    let widths: Vec<f64> = legend.iter().map(|(_, n)| 18.0 + 9.0 * n.chars().count() as f64 + 14.0).collect();
    let mut x = (w - widths.iter().sum::<f64>()) / 2.0;
    for ((colour, name), lw) in legend.iter().zip(&widths) {
        let _ = write!(svg, r#"<rect x="{x:.1}" y="6" width="14" height="9" rx="2" fill="{colour}"/>"#);
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="14" font-family="{FONT}" font-size="9" fill="{AXIS}" text-anchor="start">{}</text>"#,
            x + 18.0,
            escape(name)
        );
        x += lw;
    }
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
    let band = plot_w / targets.len().max(1) as f64;
    let bw = (band * 0.3).min(36.0);
    let base = top + plot_h;
    for (i, tg) in targets.iter().enumerate() {
        let centre = left + band * (i as f64 + 0.5);
        let plan_x = centre - bw - 1.5;
        let min_y = y_of(f64::from(tg.min));
        let max_y = y_of(f64::from(tg.max));
        if tg.min > 0 {
            let _ = write!(
                svg,
                r#"<rect x="{plan_x:.1}" y="{min_y:.1}" width="{bw:.1}" height="{:.1}" fill="{PLAN_MIN}"/>"#,
                base - min_y
            );
        }
        if tg.max > tg.min {
            let _ = write!(
                svg,
                r#"<rect x="{plan_x:.1}" y="{max_y:.1}" width="{bw:.1}" height="{:.1}" fill="{PLAN_RANGE}"/>"#,
                min_y - max_y
            );
        }
        let c_x = centre + 1.5;
        let c_y = y_of(tg.committed);
        if tg.committed > 0.0 {
            let _ = write!(
                svg,
                r#"<rect x="{c_x:.1}" y="{c_y:.1}" width="{bw:.1}" height="{:.1}" fill="{}"/>"#,
                base - c_y,
                status_colour(tg.status)
            );
        }
        text(&mut svg, c_x + bw / 2.0, c_y - 3.0, "middle", &quantity(tg.committed));
        text(&mut svg, centre, h - bottom + 12.0, "middle", &escape(&tg.code));
    }
    let _ = write!(
        svg,
        r#"<line x1="{left}" y1="{base:.1}" x2="{:.1}" y2="{base:.1}" stroke="{AXIS}" stroke-width="0.8"/><line x1="{left}" y1="{top}" x2="{left}" y2="{base:.1}" stroke="{AXIS}" stroke-width="0.8"/></svg>"#,
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
        let names = LeniencyNames { expert: "专家均值 ± 标准差", panel: "同组均值 ± 标准差" };
        let experts = [e("ZJ000001", 80.0, Some(5.0), Some(75.0)), e("ZJ000002", 70.0, None, None)];
        let svg = leniency_svg(&experts, &names);
        // Two legend dots, two expert dots, one panel dot (the second expert has no panel).
        assert_eq!(svg.matches("<circle").count(), 5);
        assert_eq!(svg.matches(r##"fill="#91cc75""##).count(), 2);
        assert!(svg.contains("ZJ000002") && svg.contains("同组均值 ± 标准差"));
        // The window's fitted axis: 5 below the lowest end (70) rounded down to a ten, up to 100.
        assert_eq!(leniency_axis(&experts), (60.0, 100.0));
        // Rows run down the page in the experts' order: the first expert's label above the second's.
        let y = |n: &str| svg.find(n).unwrap();
        assert!(y("ZJ000001") < y("ZJ000002"));
    }

    fn target(code: &str, min: u32, max: u32, committed: f64) -> TargetCoverage {
        TargetCoverage {
            code: code.into(),
            indicator: "培育作物和畜牧新品种（系）".into(),
            min,
            max,
            unit: "个".into(),
            printed: format!("{min}-{max}个"),
            committed,
            status: Coverage::of(committed, min, max),
            contributions: vec![],
        }
    }

    #[test]
    fn coverage_bars_stack_the_plan_and_colour_committed_by_status() {
        let names = CoverageNames { min: "规划下限", range: "规划区间（至上限）", committed: "承诺值" };
        let svg = coverage_svg(
            &[target("ZX06-T1", 10, 15, 2.0), target("ZX06-T2", 25, 30, 27.5), target("ZX06-T4", 1, 2, 0.0)],
            &names,
        );
        // Three swatches; per target a min bar and a range bar; committed bars where something was.
        assert_eq!(svg.matches(&format!(r#"fill="{PLAN_MIN}""#)).count(), 1 + 3);
        assert_eq!(svg.matches(&format!(r#"fill="{PLAN_RANGE}""#)).count(), 1 + 3);
        assert_eq!(svg.matches(r##"fill="#e6a23c""##).count(), 1, "T1 under");
        assert_eq!(svg.matches(r##"fill="#67c23a""##).count(), 1, "T2 covered");
        for label in [">2<", ">27.5<", ">0<", ">ZX06-T4<", ">规划区间（至上限）<", ">30<"] {
            assert!(svg.contains(label), "{label} in {svg}");
        }
        // The axis reaches above the highest bar: 30 in steps of 10.
        assert!(!svg.contains(">40<"));
        let over = coverage_svg(&[target("ZX01-T1", 1, 1, 3.0)], &names);
        assert!(over.contains(r##"fill="#f56c6c""##), "over the plan");
        assert_eq!(
            over.matches(&format!(r#"fill="{PLAN_RANGE}""#)).count(),
            1,
            "a single number: its swatch, no range bar"
        );
    }
}
