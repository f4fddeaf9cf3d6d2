import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElSelect } from 'element-plus'
import type { DecisionsView } from '../src/bindings'

function decisions(finals = false): DecisionsView {
  return {
    method: 'mean',
    items: [
      { number: '2027-ZX06-000001', title: '高原青稞新品种', rank: 1, score: '85.00', requested_wan: '300.0000', added: false, voted: false, reason: null, votes: null },
      { number: '2027-ZX06-000002', title: '牦牛良种扩繁', rank: 2, score: '80.00', requested_wan: '200.0000', added: false, voted: false, reason: null, votes: null },
    ],
    dropped: [],
    recommended_wan: '500.0000',
    budget_wan: '600.0000',
    publicity: ['2027-06-02', '2027-06-08'],
    objections: [
      { id: 1, number: '2027-ZX06-000001', received_on: '2027-06-03', summary: '【某单位，来信】负责人在研项目超限', resolution: null, resolution_reason: null },
      { id: 2, number: '2027-ZX06-000002', received_on: '2027-06-04', summary: '示范基地不在申报地区', resolution: 'dismissed', resolution_reason: '经核查属实在地区内' },
    ],
    finals: finals ? [{ number: '2027-ZX06-000001', funded: true, amount_wan: '300.0000', reason: '立项' }] : [],
  }
}

const sent: { command: string; args: unknown[] }[] = []
vi.mock('../src/bindings', () => ({
  commands: {
    decisionsObjection: async (...args: unknown[]) => {
      sent.push({ command: 'objection', args })
      return { status: 'ok', data: decisions() }
    },
    decisionsResolve: async (...args: unknown[]) => {
      sent.push({ command: 'resolve', args })
      return { status: 'ok', data: decisions() }
    },
  },
}))

const { i18n } = await import('../src/i18n')
const Objections = (await import('../src/components/results/Objections.vue')).default

function mountLog(finals = false) {
  i18n.global.locale.value = 'zh-CN'
  return mount(Objections, {
    props: { call: '2027-ZX06-01', round: 1, decisions: decisions(finals) },
    global: { plugins: [ElementPlus, i18n] },
    attachTo: document.body,
  })
}

describe('Objections', { timeout: 30000 }, () => {
  it('lists each objection with its status and offers 处理 only for the open one', async () => {
    const w = mountLog()
    await flushPromises()
    expect(w.findAll('[data-testid="objection-status"]').map((e) => e.text())).toEqual(['未处理', '异议不成立'])
    expect(w.findAll('[data-testid="objection-resolve"]')).toHaveLength(1)
    expect(w.find('[data-testid="objections-table"]').text()).toContain('经核查属实在地区内')
    w.unmount()
  })

  it('logs an objection with who raised it leading the summary, and hands the new log up', async () => {
    sent.length = 0
    const w = mountLog()
    await flushPromises()
    w.findComponent(ElSelect).vm.$emit('update:modelValue', '2027-ZX06-000002')
    await w.find('input[data-testid="objection-source"]').setValue('某农牧合作社，电话')
    await w.find('input[data-testid="objection-date"]').setValue('2027-06-05')
    await w.find('textarea[data-testid="objection-summary"]').setValue('  示范规模与实际不符 ')
    await w.find('[data-testid="objection-record"]').trigger('click')
    await flushPromises()
    expect(sent).toEqual([
      { command: 'objection', args: ['2027-ZX06-01', 1, '2027-ZX06-000002', '2027-06-05', '【某农牧合作社，电话】示范规模与实际不符'] },
    ])
    expect(w.emitted('changed')).toHaveLength(1)
    w.unmount()
  })

  it('resolves the open objection as upheld with its reason', async () => {
    sent.length = 0
    const w = mountLog()
    await flushPromises()
    await w.find('[data-testid="objection-resolve"]').trigger('click')
    await flushPromises()
    const confirm = document.querySelector('[data-testid="resolve-confirm"]') as HTMLButtonElement
    expect(confirm.disabled).toBe(true)
    ;(document.querySelector('[data-testid="resolve-upheld"] input') as HTMLInputElement).click()
    const reason = document.querySelector('textarea[data-testid="resolve-reason"]') as HTMLTextAreaElement
    reason.value = '经核查，在研项目超限属实'
    reason.dispatchEvent(new Event('input'))
    await flushPromises()
    confirm.click()
    await flushPromises()
    expect(sent).toEqual([{ command: 'resolve', args: ['2027-ZX06-01', 1, 1, true, '经核查，在研项目超限属实'] }])
    expect(w.emitted('changed')).toHaveLength(1)
    w.unmount()
  })

  it('is read only once the round is decided', async () => {
    const w = mountLog(true)
    await flushPromises()
    expect(w.find('[data-testid="objection-form"]').exists()).toBe(false)
    expect(w.findAll('[data-testid="objection-resolve"]')).toHaveLength(0)
    expect(w.text()).toContain('已作出立项决定')
    w.unmount()
  })
})
