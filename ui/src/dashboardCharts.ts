// The dashboard's charts: only the ECharts parts they use are registered (bars, one custom series for the
// ± SD whiskers, grid, tooltip, legend, the canvas renderer), which keeps the bundle small. The option
// builders are pure functions of the dashboard's figures, so they are tested without a canvas.
import { use } from 'echarts/core'
import { BarChart, CustomChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import type { ComposeOption } from 'echarts/core'
import type { BarSeriesOption, CustomSeriesOption } from 'echarts/charts'
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components'
import type { CustomSeriesRenderItem } from 'echarts'
import VChart from 'vue-echarts'
import type { Bin, ExpertLeniency, TargetCoverage } from './bindings'

use([BarChart, CustomChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export default VChart

export type ChartOption = ComposeOption<
  BarSeriesOption | CustomSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>

/** A quantity as people read it: whole numbers without decimals, others with up to 6 ("—" for none). */
export function formatNumber(x: number | null): string {
  if (x === null) return '—'
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(6)))
}

const COVERAGE_COLOURS = { under: '#e6a23c', covered: '#67c23a', over: '#f56c6c' } as const

/**
 * Target coverage: per target a plan bar (dark up to min, light from min to max, stacked) beside the
 * committed bar, coloured by its status.
 */
export function coverageBars(
  targets: TargetCoverage[],
  names: { min: string; range: string; committed: string },
): ChartOption {
  return {
    grid: { left: 48, right: 16, top: 40, bottom: 32 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: targets.map((t) => t.code) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: names.min, type: 'bar', stack: 'plan', data: targets.map((t) => t.min), itemStyle: { color: '#5470c6' } },
      {
        name: names.range,
        type: 'bar',
        stack: 'plan',
        data: targets.map((t) => t.max - t.min),
        itemStyle: { color: '#b6c5ec' },
      },
      {
        name: names.committed,
        type: 'bar',
        data: targets.map((t) => ({ value: t.committed, itemStyle: { color: COVERAGE_COLOURS[t.status] } })),
        // The legend's swatch: neutral, since each bar takes its status's colour.
        itemStyle: { color: '#909399' },
        label: { show: true, position: 'top' },
      },
    ],
  }
}

/** The distribution of sheet totals: one bar per 10-point bin, bars touching as a histogram's do. */
export function histogramBars(bins: Bin[], name: string): ChartOption {
  return {
    grid: { left: 40, right: 16, top: 16, bottom: 32 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: bins.map((b) => `${b.from}–${b.to}`) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name, type: 'bar', barCategoryGap: '4%', data: bins.map((b) => b.count), itemStyle: { color: '#5470c6' } }],
  }
}

/** [expert index, mean, mean − SD, mean + SD]: one whisker's data (no SD draws the dot alone). */
type Whisker = [number, number, number, number]

/**
 * Draws a dot at the mean and a horizontal line over ± SD on the expert's row, shifted by `offset` bands
 * (negative: up) so the expert's and the panel's sit one above the other.
 */
function whisker(offset: number, colour: string): CustomSeriesRenderItem {
  return (_params, api) => {
    const i = api.value(0) as number
    const [x, y] = api.coord([api.value(1), i])
    const lo = api.coord([api.value(2), i])[0]
    const hi = api.coord([api.value(3), i])[0]
    const band = (api.size?.([0, 1]) as number[])[1]
    // In pixels, bounded: with one or two experts a band is most of the chart's height.
    const cy = y + Math.sign(offset) * Math.min(Math.abs(offset) * band, 8)
    const w = Math.min(band * 0.1, 5)
    const stroke = { stroke: colour, lineWidth: 2 }
    return {
      type: 'group',
      children: [
        { type: 'line', shape: { x1: lo, y1: cy, x2: hi, y2: cy }, style: stroke },
        { type: 'line', shape: { x1: lo, y1: cy - w, x2: lo, y2: cy + w }, style: stroke },
        { type: 'line', shape: { x1: hi, y1: cy - w, x2: hi, y2: cy + w }, style: stroke },
        { type: 'circle', shape: { cx: x, cy, r: 5 }, style: { fill: colour } },
      ],
    }
  }
}

/** The two whisker series of the leniency chart, as data (tested without a canvas). */
export function leniencyData(experts: ExpertLeniency[]): { expert: Whisker[]; panel: Whisker[] } {
  const w = (i: number, mean: number, sd: number | null): Whisker => [i, mean, mean - (sd ?? 0), mean + (sd ?? 0)]
  return {
    // f64 crosses as `number | null` (NaN would be null); a mean always exists for an expert with sheets.
    expert: experts.flatMap((e, i) => (e.mean === null ? [] : [w(i, e.mean, e.sd)])),
    panel: experts.flatMap((e, i) => (e.panel_mean === null ? [] : [w(i, e.panel_mean, e.panel_sd)])),
  }
}

/** The leniency chart's height for `n` experts: a 36-pixel row each, so a large panel stays legible. */
export function leniencyHeight(n: number): number {
  return Math.max(200, 72 + 36 * n)
}

/**
 * Per expert (a row each, down the vertical axis in their order, the first at the top): their mean ± SD
 * above the panel's mean ± SD over the same items, along a horizontal value axis — horizontal so that a
 * panel of many experts keeps readable labels. The PDF reports draw the same (lixiang-pdf `chart::leniency_svg`).
 */
export function leniencyWhiskers(experts: ExpertLeniency[], names: { expert: string; panel: string }): ChartOption {
  const data = leniencyData(experts)
  const series = (name: string, d: Whisker[], offset: number, colour: string): CustomSeriesOption => ({
    name,
    type: 'custom',
    renderItem: whisker(offset, colour),
    encode: { y: 0, x: [1, 2, 3] },
    itemStyle: { color: colour },
    data: d,
  })
  return {
    grid: { left: 88, right: 24, top: 40, bottom: 32 },
    legend: { top: 0 },
    tooltip: { trigger: 'item' },
    yAxis: { type: 'category', data: experts.map((e) => e.expert), inverse: true },
    // Fitted to the data with a margin below, and not past 100 unless a whisker reaches beyond it
    // (lixiang-pdf `chart::leniency_axis` fits the PDF's the same way).
    xAxis: {
      type: 'value',
      min: (v: { min: number }) => Math.max(0, Math.floor((v.min - 5) / 10) * 10),
      max: (v: { max: number }) => (v.max > 100 ? Math.ceil(v.max) : 100),
    },
    series: [series(names.expert, data.expert, -0.15, '#5470c6'), series(names.panel, data.panel, 0.15, '#91cc75')],
  }
}
