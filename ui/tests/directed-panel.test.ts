import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { Consolidation, PlanView } from '../src/bindings'

function plan(number: string, verdict: string | null, counts: [number, number, number]): PlanView {
  return {
    number,
    title: `方案 ${number}`,
    unit: '示例单位',
    requested_fen: 50000000,
    requested_wan: '500.0000',
    assigned: 3,
    sheets: 3,
    conflicts: 0,
    outstanding: 0,
    awaited: [],
    counts: [{ item: 'route', name_zh: '技术路线', name_en: 'Route', pass: counts[0], pass_after_revision: counts[1], fail: counts[2] }],
    opinions: [{ expert_number: 'ZJ000001', verdicts: [], opinion: '路线可行', receipt_sha256: 'r', sealed_at: 't' }],
    declared: [],
    sheets_sha256: 'h',
    panel: verdict
      ? { call_id: 'c', round: 1, number, verdict, opinion: '综合意见', changes: null, sheets: 3, sheets_sha256: 'h', awaited: '[]', proceed_reason: null, recorded_at: 't' }
      : null,
    selected: false,
    decided: null,
  }
}

const fixture: Consolidation = {
  call: '2027-ZX02-01',
  call_id: 'c',
  round: 1,
  units: ['甲单位', '乙单位'],
  designated: false,
  funding_total_wan: '500.0000',
  funding_total_fen: 50000000,
  plans: [plan('2027-ZX02-000001', null, [2, 1, 0]), plan('2027-ZX02-000002', 'fail', [1, 0, 2])],
  selection: null,
  decided: false,
}

const sent: unknown[][] = []
let directed = true
vi.mock('../src/bindings', () => ({
  commands: {
    directedGet: async () =>
      directed
        ? { status: 'ok', data: fixture }
        : { status: 'error', error: { code: 'directed.not_directed', message: '不是定向委托' } },
    directedPanel: async (...args: unknown[]) => {
      sent.push(args)
      return { status: 'ok', data: fixture }
    },
  },
}))

const { i18n } = await import('../src/i18n')
const DirectedPanel = (await import('../src/components/results/DirectedPanel.vue')).default

function mountPanel() {
  return mount(DirectedPanel, { props: { call: 'c' }, global: { plugins: [ElementPlus, i18n] } })
}

describe('DirectedPanel', () => {
  it('shows the verdict counts per item and offers no selection of a plan rated 不通过', async () => {
    directed = true
    const w = mountPanel()
    await flushPromises()
    expect(w.find('[data-testid="directed-panel"]').exists()).toBe(true)
    const first = w.find('[data-testid="directed-plan-2027-ZX02-000001"]')
    expect(first.find('[data-testid="count-route-pass"]').text()).toBe('2')
    expect(first.find('[data-testid="count-route-pass_after_revision"]').text()).toBe('1')
    const failed = w.find('[data-testid="directed-select-2027-ZX02-000002"]')
    expect(failed.attributes('disabled')).toBeDefined()
    // No panel opinion on the first plan yet: it cannot be selected either.
    expect(w.find('[data-testid="directed-select-2027-ZX02-000001"]').attributes('disabled')).toBeDefined()
  })

  it('sends the changes only with 修改后通过', async () => {
    directed = true
    sent.length = 0
    const w = mountPanel()
    await flushPromises()
    const vm = w.vm as unknown as { $: { setupState: { forms: Record<string, { verdict: string; opinion: string; changes: string; proceed: string }> } } }
    const form = vm.$.setupState.forms['2027-ZX02-000001']
    Object.assign(form, { verdict: 'pass', opinion: '可行', changes: '不应发送' })
    await w.vm.$nextTick()
    await w.find('[data-testid="panel-record-2027-ZX02-000001"]').trigger('click')
    await flushPromises()
    expect(sent[0]).toEqual(['c', '2027-ZX02-000001', 'pass', '可行', null, null])
    // The recorded state came back (the fixture has no panel opinion): the form is read from it again.
    Object.assign(vm.$.setupState.forms['2027-ZX02-000001'], { verdict: 'pass_after_revision', opinion: '可行', changes: '压缩预算' })
    await w.vm.$nextTick()
    await w.find('[data-testid="panel-record-2027-ZX02-000001"]').trigger('click')
    await flushPromises()
    expect(sent[1]).toEqual(['c', '2027-ZX02-000001', 'pass_after_revision', '可行', '压缩预算', null])
  })

  it('shows nothing for a call in another mode', async () => {
    directed = false
    const w = mountPanel()
    await flushPromises()
    expect(w.find('[data-testid="directed-panel"]').exists()).toBe(false)
  })
})
