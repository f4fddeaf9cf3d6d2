import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { Dashboard, PipelineStage, ProgrammeCoverage } from '../src/bindings'
import { catalogFixture } from './fixture'

// jsdom has no canvas: the chart component is replaced by a stub that shows which option it was given.
vi.mock('vue-echarts', () => ({
  default: defineComponent({
    props: { option: { type: Object, required: true } },
    setup: (props) => () => h('div', { class: 'vchart-stub', 'data-series': (props.option.series as unknown[]).length }),
  }),
}))

const STAGES: PipelineStage[] = [
  'received',
  'returned',
  'not_accepted',
  'accepted',
  'in_review',
  'recommended',
  'funded',
  'not_funded',
  'withdrawn',
]

function fixture(approved: boolean): Dashboard {
  const programmes: ProgrammeCoverage[] = catalogFixture.programmes.map((p) => ({
    code: p.code,
    name: p.name,
    short_name: p.short_name,
    targets: p.targets.map((t) => ({
      code: t.code,
      indicator: t.indicator,
      min: t.min,
      max: t.max,
      unit: t.unit,
      printed: t.printed,
      committed: 0,
      status: 'under' as const,
      contributions: [],
    })),
    pipeline: STAGES.map((stage) => ({ stage, count: 0 })),
    applications: 0,
    approved: 0,
    excluded: [],
  }))
  if (approved) {
    const zx06 = programmes[5]
    zx06.approved = 1
    zx06.applications = 1
    zx06.pipeline[6].count = 1
    zx06.targets[0] = {
      ...zx06.targets[0],
      committed: 12,
      status: 'covered',
      contributions: [
        {
          number: '2027-ZX06-000001',
          title: '青稞新品种选育',
          call: '2027-ZX06-01',
          indicator: 'K1',
          indicator_name: '新品种',
          value: 12,
          unit: '个',
        },
      ],
    }
    zx06.excluded = [
      {
        number: '2027-ZX06-000001',
        indicator: 'K2',
        indicator_name: '新产品',
        plan_target: 'ZX06-T3',
        value: 3,
        unit: '台',
        reason: 'unit_mismatch',
      },
    ]
  }
  return {
    programmes,
    plan_indicators: catalogFixture.plan_indicators,
    plan_footnotes: catalogFixture.plan_footnotes,
    approved: approved ? 1 : 0,
    notice_zh: '“承诺值”不是实际完成值。',
    notice_en: 'Committed is not achieved.',
    pipeline_note_zh: '草稿在申报单位。',
    pipeline_note_en: 'Drafts stay with applicants.',
    rounds: approved
      ? [
          {
            call: '2027-ZX06-01',
            programme: 'ZX06',
            round: 1,
            kind: 'mail_review',
            kind_zh: '通讯评审',
            kind_en: 'mail review',
            sheets: 3,
            mean: 80,
            sd: 10,
            bins: Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, count: i >= 7 ? 1 : 0 })),
            experts: [
              { expert: 'ZJ000001', sheets: 2, mean: 85, sd: 7.07, compared: 2, panel_mean: 72.5, panel_sd: 5.77, difference: 12.5 },
              { expert: 'ZJ000002', sheets: 1, mean: 70, sd: null, compared: 0, panel_mean: null, panel_sd: null, difference: null },
            ],
          },
        ]
      : [],
  }
}

let current: Dashboard = fixture(false)
const exported: (string | null)[] = []
vi.mock('../src/bindings', () => ({
  commands: {
    dashboardGet: async () => ({ status: 'ok', data: current }),
    dashboardExport: async (programme: string | null) => {
      exported.push(programme)
      return { status: 'ok', data: { path: '/tmp/规划监测报告.pdf', opened: true } }
    },
  },
}))

const { i18n } = await import('../src/i18n')
const DashboardView = (await import('../src/views/DashboardView.vue')).default
const { coverageBars, leniencyData, leniencyHeight, leniencyWhiskers, formatNumber } = await import('../src/dashboardCharts')

async function mountView(d: Dashboard) {
  current = d
  i18n.global.locale.value = 'zh-CN'
  const wrapper = mount(DashboardView, { global: { plugins: [i18n, ElementPlus] } })
  await flushPromises()
  return wrapper
}

// Mounting five Element Plus tables takes seconds on a busy 2-core machine.
describe('DashboardView', { timeout: 30000 }, () => {
  it('shows the eight programmes, the notice, and says what to do while nothing is approved or scored', async () => {
    const w = await mountView(fixture(false))
    expect(w.findAll('[data-testid="dashboard-programme"]')).toHaveLength(8)
    expect(w.find('[data-testid="dashboard-notice"]').text()).toContain('不是实际完成值')
    expect(w.find('[data-testid="dashboard-no-approved"]').text()).toContain('立项决定后这里显示承诺的指标')
    expect(w.find('[data-testid="dashboard-no-scores"]').exists()).toBe(true)
    expect(w.findAll('[data-testid="plan-indicators"] tbody tr').length).toBe(catalogFixture.plan_indicators.length)
  })

  it('opens on the programme with an approved project, with its figures in the table under the chart', async () => {
    const w = await mountView(fixture(true))
    expect(w.find('[data-testid="dashboard-no-approved"]').exists()).toBe(false)
    expect(w.find('[data-testid="coverage-chart"]').exists()).toBe(true)
    const committed = w.findAll('[data-testid="coverage-committed"]').map((e) => e.text())
    expect(committed[0]).toBe('12个')
    expect(w.findAll('[data-testid="coverage-status"]')[0].text()).toBe('已覆盖')
    expect(w.find('[data-testid="coverage-table"]').text()).toContain('2027-ZX06-000001 K1 12个')
    expect(w.find('[data-testid="coverage-excluded"]').text()).toContain('单位与规划目标不一致')
    expect(w.find('[data-testid="dashboard-pipeline"]').text()).toContain('立项 1')
    expect(w.findAll('[data-testid="histogram-table"] tbody tr')).toHaveLength(10)
    const lenient = w.findAll('[data-testid="leniency-table"] tbody tr').map((r) => r.text())
    expect(lenient[0]).toContain('+12.50')
    expect(lenient[1]).toContain('—')
  })

  it('exports the whole dashboard as PDF from the toolbar and says where it was saved', async () => {
    const w = await mountView(fixture(true))
    const button = w.find('[data-testid="dashboard-export-pdf"]')
    expect(button.text()).toBe('导出PDF')
    exported.length = 0
    await button.trigger('click')
    await flushPromises()
    expect(exported).toEqual([null])
    expect(document.body.textContent).toContain('规划监测报告已保存：/tmp/规划监测报告.pdf')
  })
})

describe('dashboard charts', () => {
  it('stacks the plan range from min to max beside the committed value', () => {
    const d = fixture(true)
    const option = coverageBars(d.programmes[5].targets, { min: 'min', range: 'range', committed: 'committed' })
    const series = option.series as { data: unknown[] }[]
    const targets = d.programmes[5].targets
    expect(series[0].data).toEqual(targets.map((t) => t.min))
    expect(series[1].data).toEqual(targets.map((t) => t.max - t.min))
    expect((series[2].data[0] as { value: number }).value).toBe(12)
  })

  it('draws each expert ± SD and the panel only where there is one', () => {
    const d = leniencyData(fixture(true).rounds[0].experts)
    expect(d.expert).toEqual([
      [0, 85, 85 - 7.07, 85 + 7.07],
      [1, 70, 70, 70],
    ])
    expect(d.panel).toEqual([[0, 72.5, 72.5 - 5.77, 72.5 + 5.77]])
  })

  it('lays the leniency chart out as the PDF does: experts down the vertical axis, totals along a fitted horizontal one', () => {
    const experts = fixture(true).rounds[0].experts
    const option = leniencyWhiskers(experts, { expert: 'e', panel: 'p' })
    const y = option.yAxis as { type: string; data: string[]; inverse: boolean }
    const x = option.xAxis as { type: string; min: (v: { min: number }) => number; max: (v: { max: number }) => number }
    expect(y.type).toBe('category')
    expect(y.data).toEqual(experts.map((e) => e.expert))
    expect(y.inverse).toBe(true)
    expect(x.type).toBe('value')
    // lixiang-pdf chart::leniency_axis: 5 below the lowest end, down to a ten; 100 unless beyond it.
    expect([x.min({ min: 66.7 }), x.max({ max: 92.07 })]).toEqual([60, 100])
    expect([x.min({ min: 3 }), x.max({ max: 101.2 })]).toEqual([0, 102])
    const series = option.series as { encode: { x: number[]; y: number } }[]
    expect(series.map((s) => s.encode)).toEqual([
      { y: 0, x: [1, 2, 3] },
      { y: 0, x: [1, 2, 3] },
    ])
    expect(leniencyHeight(30)).toBeGreaterThan(leniencyHeight(2))
  })

  it('prints quantities without trailing zeros', () => {
    expect([formatNumber(12), formatNumber(2.5), formatNumber(0.1 + 0.2)]).toEqual(['12', '2.5', '0.3'])
  })
})
