import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { reactive } from 'vue'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus, { ElOption, ElSelect } from 'element-plus'
import type { AmountsView, ApplicationForm, EditorContext, FormCheck, MemberForm, ProblemView } from '../src/bindings'
import { i18n } from '../src/i18n'
import BudgetTable from '../src/components/editor/BudgetTable.vue'
import TeamForm from '../src/components/editor/TeamForm.vue'
import IndicatorsForm from '../src/components/editor/IndicatorsForm.vue'

// Element Plus tables of inputs and selects are slow to render in jsdom, the more so on a busy machine.
vi.setConfig({ testTimeout: 30_000 })

const bi = (zh: string, en: string) => ({ zh, en })
const amounts = (fiscal: string, self_raised: string, total: string): AmountsView => ({ fiscal, self_raised, total })

function contextFixture(): EditorContext {
  return {
    call_id: 'call-1',
    call_code: '2027-ZX06-01',
    call_revision: 1,
    call_title: bi('高原作物新品种选育', 'Breeding of highland crops'),
    programme: 'ZX06',
    programme_name: '现代农牧业专项',
    mode: bi('公开竞争', 'Open competition'),
    category: bi('重点研发', 'Key R&D'),
    basic_research: false,
    closes_at: '2027-03-31T17:00:00+08:00',
    period_start: '2027-01-01',
    period_end: '2028-12-31',
    funding_per_project: '300.0000',
    sections: [],
    attachments: [],
    budget_schema: bi('省级科技计划经费', 'Provincial S&T budget'),
    budget_rows: [
      { code: 'direct', name: bi('直接费用', 'Direct costs'), kind: 'direct', depth: 0, leaf: false, equipment: false },
      { code: 'equipment', name: bi('设备费', 'Equipment'), kind: 'direct', depth: 1, leaf: true, equipment: true },
      { code: 'labour', name: bi('劳务费', 'Labour'), kind: 'direct', depth: 1, leaf: true, equipment: false },
      { code: 'indirect', name: bi('间接费用', 'Indirect costs'), kind: 'indirect', depth: 0, leaf: true, equipment: false },
    ],
    core_indicators: [
      { code: 'C1', name: bi('青稞亩产', 'Barley yield'), unit: 'kg', target: '450', direction: 'at_least', locked: true },
    ],
    plan_targets: [
      { code: 'ZX06-T1', indicator: '培育作物和畜牧新品种（系）', unit: '个', printed: '10-15个' },
      { code: 'ZX06-T2', indicator: '研制绿色种养殖技术', unit: '项', printed: '25-30项' },
      { code: 'ZX06-T3', indicator: '开发特色资源健康产品', unit: '个', printed: '5-10个' },
    ],
    pledges: [],
    race_milestones: [],
    max_representative_works: 5,
    max_avoided_experts: 3,
  }
}

function member(over: Partial<MemberForm> = {}): MemberForm {
  return {
    name: '卓玛',
    document: 'resident_id',
    id_number: '540102198513010021',
    birth_date: '1985-13-01',
    unit_credit_code: '12540000MB0000001X',
    department: '作物所',
    title: 'senior',
    title_name: '研究员',
    degree: 'doctor',
    role: 'leader',
    months: '24',
    ...over,
  }
}

function formFixture(): ApplicationForm {
  return {
    form_version: 1,
    id: 'app-1',
    call_id: 'call-1',
    call_revision: 1,
    programme: 'ZX06',
    stage: 'full',
    pre_application: null,
    title: '青稞新品种选育',
    keywords: [],
    discipline: '',
    period_start: '2027-01-01',
    period_end: '2028-12-31',
    applicant: { name: '西藏自治区农牧科学院', credit_code: '12540000MB0000001X', registered_on: '', region: '' },
    partners: [{ name: '西藏大学', credit_code: '12540000MB0000002Y' }],
    team: [member()],
    sections: {},
    indicators: [
      {
        id: 'K1', name: '发表论文', kind: 'paper', unit: '个', baseline: '0', target: '5',
        direction: 'at_least', plan_target: null, core_indicator: null,
      },
      {
        id: 'K2', name: '培育新品种', kind: 'variety', unit: '个', baseline: '0', target: '2',
        direction: 'at_least', plan_target: null, core_indicator: null,
      },
    ],
    milestones: [],
    budget: {
      schema: { code: 'provincial', version: 1 },
      years: [2027, 2028],
      lines: {},
      requested: { fiscal: '', self_raised: '' },
      equipment: [],
    },
    representative_works: [],
    attachments: [],
    avoid_experts: [],
    pledges: {},
  }
}

const problem = (field: string, zh: string, en: string, error = true): ProblemView => ({
  code: 'test.problem',
  field,
  section: 'x',
  error,
  message: bi(zh, en),
})

function checkFixture(problems: ProblemView[] = []): FormCheck {
  return {
    problems,
    by_section: {},
    errors: problems.filter((p) => p.error).length,
    budget: {
      cells: {
        direct: { '2027': amounts('100.0000', '5.0000', '105.0000'), '2028': amounts('80.0000', '0.0000', '80.0000') },
        equipment: { '2027': amounts('60.0000', '5.0000', '65.0000'), '2028': amounts('0.0000', '0.0000', '0.0000') },
        labour: { '2027': amounts('40.0000', '0.0000', '40.0000'), '2028': amounts('80.0000', '0.0000', '80.0000') },
        indirect: { '2027': amounts('30.0000', '0.0000', '30.0000'), '2028': amounts('0.0000', '0.0000', '0.0000') },
      },
      rows: {
        direct: amounts('180.0000', '5.0000', '185.0000'),
        equipment: amounts('60.0000', '5.0000', '65.0000'),
        labour: amounts('120.0000', '0.0000', '120.0000'),
        indirect: amounts('30.0000', '0.0000', '30.0000'),
      },
      years: { '2027': amounts('130.0000', '5.0000', '135.0000'), '2028': amounts('80.0000', '0.0000', '80.0000') },
      direct: amounts('180.0000', '5.0000', '185.0000'),
      indirect: amounts('30.0000', '0.0000', '30.0000'),
      grand: amounts('1,210.0000', '5.0000', '1,215.0000'),
      requested: amounts('210.0000', '5.0000', '215.0000'),
      indirect_cap: '24.0000',
      indirect_over_cap: true,
    },
  }
}

const mounted: VueWrapper[] = []
function mountWith(component: typeof BudgetTable | typeof TeamForm | typeof IndicatorsForm, form: ApplicationForm, check: FormCheck | null = checkFixture()) {
  // The three parts take the same props.
  const w = mount(component as typeof BudgetTable, {
    props: { form, context: contextFixture(), check },
    global: { plugins: [i18n, ElementPlus] },
    attachTo: document.body,
  })
  mounted.push(w)
  return w
}

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
})
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount()
})

describe('BudgetTable', () => {
  it('writes a typed cell into the form, creating the nested objects', async () => {
    const form = reactive(formFixture())
    const w = mountWith(BudgetTable, form)
    await flushPromises()
    await w.find('[data-testid="budget-cell-labour-2027-fiscal"]').setValue('12.5')
    expect(form.budget.lines.labour['2027']).toEqual({ fiscal: '12.5', self_raised: '' })
    await w.find('[data-testid="budget-cell-labour-2027-self_raised"]').setValue('')
    expect(form.budget.lines.labour['2027'].self_raised).toBe('')
    await w.find('[data-testid="budget-cell-indirect-2028-self_raised"]').setValue('1,000.25')
    expect(form.budget.lines.indirect['2028'].self_raised).toBe('1,000.25')
    expect(w.find('input[data-field="budget.lines[indirect][2028].self_raised"]').exists()).toBe(true)
  })

  it('shows what is in the form and keeps it as typed', async () => {
    const form = reactive(formFixture())
    form.budget.lines.labour = { '2028': { fiscal: '80', self_raised: '' } }
    const w = mountWith(BudgetTable, form)
    await flushPromises()
    const input = w.find<HTMLInputElement>('[data-testid="budget-cell-labour-2028-fiscal"]')
    expect(input.element.value).toBe('80')
  })

  it('has no inputs in subtotal rows, which show the figures of the check', async () => {
    const w = mountWith(BudgetTable, reactive(formFixture()))
    await flushPromises()
    const direct = w.find('[data-testid="budget-row-direct"]')
    expect(direct.findAll('input')).toHaveLength(0)
    expect(w.find('[data-testid="budget-sub-direct-2027-fiscal"]').text()).toBe('100.0000')
    expect(w.find('[data-testid="budget-row-direct-total"]').text()).toBe('185.0000')
    expect(w.find('[data-testid="budget-row-labour"]').findAll('input')).toHaveLength(4)
  })

  it('shows the totals from the check: grand total, direct, indirect and its cap marked over', async () => {
    const w = mountWith(BudgetTable, reactive(formFixture()))
    await flushPromises()
    expect(w.find('[data-testid="budget-total-grand"]').text()).toBe('1,215.0000')
    expect(w.find('[data-testid="budget-total-direct"]').text()).toBe('185.0000')
    expect(w.find('[data-testid="budget-total-indirect"]').text()).toBe('30.0000')
    const cap = w.find('[data-testid="budget-indirect-cap"]')
    expect(cap.text()).toBe('24.0000')
    expect(cap.classes()).toContain('over')
    expect(w.find('[data-testid="budget-total-indirect"]').classes()).toContain('over')
    expect(w.find('[data-testid="budget-year-2027-total"]').text()).toBe('135.0000')
    expect(w.find('[data-testid="budget-requested-total"]').text()).toBe('215.0000')
  })

  it('does not mark the cap when the indirect costs are within it', async () => {
    const check = checkFixture()
    check.budget.indirect_over_cap = false
    const w = mountWith(BudgetTable, reactive(formFixture()), check)
    await flushPromises()
    expect(w.find('[data-testid="budget-indirect-cap"]').classes()).not.toContain('over')
  })

  it('moves down the same column on Enter, skipping subtotal rows', async () => {
    const w = mountWith(BudgetTable, reactive(formFixture()))
    await flushPromises()
    const cell = (code: string, year: string, src: string) =>
      w.find<HTMLInputElement>(`[data-testid="budget-cell-${code}-${year}-${src}"]`)
    cell('equipment', '2028', 'self_raised').element.focus()
    await cell('equipment', '2028', 'self_raised').trigger('keydown', { key: 'Enter' })
    expect(document.activeElement).toBe(cell('labour', '2028', 'self_raised').element)
    await cell('labour', '2028', 'self_raised').trigger('keydown', { key: 'Enter' })
    expect(document.activeElement).toBe(cell('indirect', '2028', 'self_raised').element)
    // The last row: focus stays.
    await cell('indirect', '2028', 'self_raised').trigger('keydown', { key: 'Enter' })
    expect(document.activeElement).toBe(cell('indirect', '2028', 'self_raised').element)
    await cell('indirect', '2028', 'self_raised').trigger('keydown', { key: 'Enter', shiftKey: true })
    expect(document.activeElement).toBe(cell('labour', '2028', 'self_raised').element)
  })

  it('orders the cells for Tab: row by row, each year fiscal then self-raised', async () => {
    const w = mountWith(BudgetTable, reactive(formFixture()))
    await flushPromises()
    const order = w
      .findAll('input[data-field^="budget.lines["]')
      .map((i) => i.attributes('data-testid'))
      .slice(0, 5)
    expect(order).toEqual([
      'budget-cell-equipment-2027-fiscal',
      'budget-cell-equipment-2027-self_raised',
      'budget-cell-equipment-2028-fiscal',
      'budget-cell-equipment-2028-self_raised',
      'budget-cell-labour-2027-fiscal',
    ])
  })

  it('marks a cell with a problem and lists row and total problems', async () => {
    const check = checkFixture([
      problem('budget.lines[labour][2027]', '预算年度超出执行期', 'The year is outside the period'),
      problem('budget.lines[indirect]', '间接费用超过上限', 'Indirect costs exceed the cap'),
      problem('budget.requested.fiscal', '申请财政经费应等于预算合计', 'The fiscal funding requested must equal the total'),
    ])
    const w = mountWith(BudgetTable, reactive(formFixture()), check)
    await flushPromises()
    const td = w.find('[data-testid="budget-cell-labour-2027-fiscal"]').element.closest('td')!
    expect(td.classList.contains('cell-error')).toBe(true)
    expect(td.getAttribute('title')).toBe('预算年度超出执行期')
    expect(w.find('[data-testid="budget-row-indirect"]').classes()).toContain('row-error')
    const listed = w.find('[data-testid="budget-problems"]').text()
    expect(listed).toContain('预算年度超出执行期')
    expect(listed).toContain('间接费用超过上限')
    expect(w.find('[data-testid="budget-requested-fiscal-error"]').text()).toBe('申请财政经费应等于预算合计')
  })

  it('writes the requested funding and adds and removes equipment lines', async () => {
    const form = reactive(formFixture())
    const w = mountWith(BudgetTable, form)
    await flushPromises()
    await w.find('[data-testid="budget-requested-fiscal"]').setValue('210')
    expect(form.budget.requested.fiscal).toBe('210')
    await w.find('[data-testid="equipment-add"]').trigger('click')
    await flushPromises()
    // The only equipment category is chosen already.
    expect(form.budget.equipment).toEqual([{ category: 'equipment', name: '', unit_price: '', quantity: '1', estimate: '' }])
    await w.find('[data-testid="equipment-0-unit_price"]').setValue('55')
    expect(form.budget.equipment[0].unit_price).toBe('55')
    expect(w.find('[data-testid="equipment-0-estimate"]').attributes('data-field')).toBe('budget.equipment[0].estimate')
    form.budget.equipment[0].unit_price = ''
    await flushPromises()
    await w.find('[data-testid="equipment-0-remove"]').trigger('click')
    expect(form.budget.equipment).toEqual([])
  })

  it('shows nothing but the inputs before the first check', async () => {
    const w = mountWith(BudgetTable, reactive(formFixture()), null)
    await flushPromises()
    expect(w.find('[data-testid="budget-total-grand"]').text()).toBe('')
    expect(w.find('[data-testid="budget-cell-labour-2027-fiscal"]').exists()).toBe(true)
  })
})

describe('TeamForm', () => {
  it('adds a member and removes it, but never the last one', async () => {
    const form = reactive(formFixture())
    const w = mountWith(TeamForm, form)
    await flushPromises()
    expect(w.find('[data-testid="team-0-name"]').attributes('data-field')).toBe('team[0].name')
    expect(w.find('[data-testid="team-0-remove"]').attributes('disabled')).toBeDefined()
    expect(w.find('[data-testid="team-0-title"]').text()).toContain('正高级')
    expect(w.find('[data-testid="team-0-role"]').text()).toContain('项目负责人')

    await w.find('[data-testid="team-add"]').trigger('click')
    await flushPromises()
    expect(form.team).toHaveLength(2)
    expect(form.team[1]).toMatchObject({ role: 'backbone', unit_credit_code: '12540000MB0000001X', title: null, degree: null })
    await w.find('[data-testid="team-1-name"]').setValue('次仁')
    expect(form.team[1].name).toBe('次仁')
    form.team[1].name = ''
    await flushPromises()

    await w.find('[data-testid="team-1-remove"]').trigger('click')
    await flushPromises()
    expect(form.team).toHaveLength(1)
    expect(form.team[0].name).toBe('卓玛')
  })

  it('keeps a birth date as typed and shows the problem on it beside the field', async () => {
    const form = reactive(formFixture())
    const check = checkFixture([
      problem('team[0].birth_date', '第 1 位成员的出生日期「1985-13-01」不是日期', 'The birth date of member 1 “1985-13-01” is not a date'),
    ])
    const w = mountWith(TeamForm, form, check)
    await flushPromises()
    expect(w.find<HTMLInputElement>('[data-testid="team-0-birth_date"]').element.value).toBe('1985-13-01')
    expect(w.find('[data-testid="team-0-birth_date-error"]').text()).toBe('第 1 位成员的出生日期「1985-13-01」不是日期')
    // That field is outlined, the others of the row are not, and theirs say nothing.
    expect(w.find('[data-testid="team-0-birth_date"]').element.closest('.has-error')).not.toBeNull()
    expect(w.find('[data-testid="team-0-name"]').element.closest('.has-error')).toBeNull()
    expect(w.findAll('.field-error')).toHaveLength(1)
    i18n.global.locale.value = 'en'
    await flushPromises()
    expect(w.find('[data-testid="team-0-birth_date-error"]').text()).toBe('The birth date of member 1 “1985-13-01” is not a date')
  })

  it('fills an empty birth date from a resident ID', async () => {
    const form = reactive(formFixture())
    form.team[0].birth_date = ''
    form.team[0].id_number = ''
    const w = mountWith(TeamForm, form)
    await flushPromises()
    const id = w.find('[data-testid="team-0-id_number"]')
    await id.setValue('540102198506010021')
    await id.trigger('blur')
    expect(form.team[0].birth_date).toBe('1985-06-01')
  })
})

describe('IndicatorsForm', () => {
  const select = (w: VueWrapper, testid: string) =>
    w.findAllComponents(ElSelect).find((s) => s.attributes('data-testid') === testid)!

  it('offers the plan targets of the row unit only, and none for a paper', async () => {
    const w = mountWith(IndicatorsForm, reactive(formFixture()))
    await flushPromises()
    const variety = select(w, 'indicator-1-plan_target')
    expect(variety.findAllComponents(ElOption).map((o) => o.props('value'))).toEqual(['ZX06-T1', 'ZX06-T3'])
    expect(variety.props('disabled')).toBe(false)
    const paper = select(w, 'indicator-0-plan_target')
    expect(paper.props('disabled')).toBe(true)
    expect(w.find('[data-testid="indicator-0-plan_target"] input').attributes('disabled')).toBeDefined()
  })

  it('follows the unit typed', async () => {
    const form = reactive(formFixture())
    const w = mountWith(IndicatorsForm, form)
    await flushPromises()
    await w.find('[data-testid="indicator-1-unit"]').setValue('项')
    expect(form.indicators[1].unit).toBe('项')
    await flushPromises()
    expect(select(w, 'indicator-1-plan_target').findAllComponents(ElOption).map((o) => o.props('value'))).toEqual(['ZX06-T2'])
  })

  it('adds rows with the next free id and removes them', async () => {
    const form = reactive(formFixture())
    form.indicators[1].id = 'K5'
    const w = mountWith(IndicatorsForm, form)
    await flushPromises()
    await w.find('[data-testid="indicator-add"]').trigger('click')
    await flushPromises()
    expect(form.indicators.map((i) => i.id)).toEqual(['K1', 'K5', 'K6'])
    expect(w.find('[data-testid="indicator-2-name"]').attributes('data-field')).toBe('indicators[2].name')
    await w.find('[data-testid="indicator-2-remove"]').trigger('click')
    await flushPromises()
    expect(form.indicators.map((i) => i.id)).toEqual(['K1', 'K5'])
  })

  it('fills the unit and the direction from a core indicator', async () => {
    const form = reactive(formFixture())
    form.indicators[1].unit = ''
    form.indicators[1].direction = 'at_most'
    const w = mountWith(IndicatorsForm, form)
    await flushPromises()
    select(w, 'indicator-1-core_indicator').vm.$emit('update:modelValue', 'C1')
    await flushPromises()
    expect(form.indicators[1]).toMatchObject({ core_indicator: 'C1', unit: 'kg', direction: 'at_least', name: '培育新品种' })
  })

  it('drops the plan target when the kind becomes one that serves none', async () => {
    const form = reactive(formFixture())
    form.indicators[1].plan_target = 'ZX06-T1'
    const w = mountWith(IndicatorsForm, form)
    await flushPromises()
    select(w, 'indicator-1-kind').vm.$emit('update:modelValue', 'patent')
    await flushPromises()
    expect(form.indicators[1]).toMatchObject({ kind: 'patent', plan_target: null })
  })
})
