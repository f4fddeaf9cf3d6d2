import { describe, expect, it } from 'vitest'
import { reactive } from 'vue'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { Criterion, Round } from '../src/components/calldesk/callModel'

const { i18n } = await import('../src/i18n')
const RoundFormEditor = (await import('../src/components/calldesk/RoundFormEditor.vue')).default

const text = (zh: string) => ({ zh, en: '' })
const criterion = (id: string, weight: number): Criterion => ({
  id,
  name: text(`指标${id}`),
  weight,
  bands: [
    { low: weight, high: weight * 2, text: text('高') },
    { low: 0, high: weight - 1, text: text('低') },
  ],
})
const round = (form: Round['form']): Round => ({
  kind: 'defence',
  experts: 7,
  blind: false,
  form,
  trimming: true,
  trimming_min: 5,
  non_consensus: 20,
  vote_share: { num: 2, den: 3 },
  shortlist_percent: null,
  industry_user_min: { num: 1, den: 3 },
})

function mountRound(r: Round, errors: Record<string, string> = {}, readonly = false) {
  i18n.global.locale.value = 'zh-CN'
  return mount(RoundFormEditor, {
    props: { round: r, index: 1, readonly, errors, indicators: [{ code: 'I1', name: text('亩产'), unit: 'kg', target: 400, direction: 'at_least', locked: true, plan_target: null }] },
    global: { plugins: [ElementPlus, i18n] },
  })
}

describe('RoundFormEditor', { timeout: 30000 }, () => {
  it('shows the weight sum and coverage live, and the core’s messages beside the fields they name', async () => {
    // Reactive, as the editor's form is.
    const r = reactive(round({ kind: 'scored', template: null, criteria: [criterion('a', 60), criterion('b', 30)] }))
    const w = mountRound(r, {
      'review_plan.rounds[1].form.criteria': '各评分指标满分合计为 90，应为 100',
      'review_plan.rounds[1].form.criteria[1].bands[1].high': '第 2 档与上一档之间有空缺',
    })
    expect(w.find('[data-testid="round-1-weight-sum"]').text()).toContain('合计 90 分')
    expect(w.find('[data-testid="round-1-criteria-error"]').text()).toBe('各评分指标满分合计为 90，应为 100')
    const cell = w.find('[data-field="review_plan.rounds[1].form.criteria[1].bands[1].high"]').element.closest('td')
    expect(cell?.querySelector('.field-error')?.textContent).toBe('第 2 档与上一档之间有空缺')
    expect(w.findAll('[data-testid="round-1-coverage"]').map((c) => c.text())).toEqual(['分档由高到低覆盖 0–60 分', '分档由高到低覆盖 0–30 分'])

    await w.find('[data-testid="criterion-add"]').trigger('click')
    expect(w.find('[data-testid="round-1-weight-sum"]').text()).toContain('合计 100 分')
    expect(r.form.kind === 'scored' && r.form.criteria[2].id).toBe('c3')

    // A gap made in the model is marked at once (the refusal itself waits for the core).
    if (r.form.kind === 'scored') r.form.criteria[0].bands[1].high = 50
    await w.vm.$nextTick()
    expect(w.findAll('[data-testid="round-1-coverage"]')[0].text()).toContain('第 2 档与上一档之间有空缺')
    w.unmount()
  })

  it('gives verdicts from the core indicators or from items written here; read-only offers no buttons', async () => {
    const r = reactive(round({ kind: 'verdicts', template: null, scale: 'acceptance', items: [], per_core_indicator: true }))
    const w = mountRound(r)
    expect(w.text()).toContain('达到')
    expect(w.text()).toContain('I1 亩产')
    expect(w.find('table.items').exists()).toBe(false)
    if (r.form.kind === 'verdicts') r.form.per_core_indicator = false
    await w.vm.$nextTick()
    await w.find('[data-testid="item-add"]').trigger('click')
    expect(r.form.kind === 'verdicts' && r.form.items).toEqual([{ id: 'item1', name: { zh: '', en: '' } }])
    w.unmount()

    const ro = mountRound(round({ kind: 'scored', template: null, criteria: [criterion('a', 100)] }), {}, true)
    expect(ro.findAll('[data-testid="criterion-add"], [data-testid="band-add"], [data-testid="criterion-remove"]').length).toBe(0)
    ro.unmount()
  })
})
