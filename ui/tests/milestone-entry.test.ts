import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { CoreIndicatorLine, MilestonePanel, ResultLine, TeamLine } from '../src/bindings'
import { checkRow, checkValue, milestoneIndicators, parseQuantity, recordedResult, valuesToSend } from '../src/milestoneEntry'

const altitude: CoreIndicatorLine = {
  code: 'I1',
  name: { zh: '适用海拔', en: 'Altitude' },
  unit: 'm',
  target: '≥ 4500',
  target_value: '4500',
  at_least: true,
}
const capacity: CoreIndicatorLine = {
  code: 'I2',
  name: { zh: '单机容量', en: 'Unit capacity' },
  unit: 'MW',
  target: '≥ 3.5',
  target_value: '3.5',
  at_least: true,
}
const energy: CoreIndicatorLine = {
  code: 'I3',
  name: { zh: '综合能耗', en: 'Energy use' },
  unit: 'kWh',
  target: '≤ 1.6',
  target_value: '1.6',
  at_least: false,
}

describe('a typed milestone value', () => {
  it('reads as the core reads a quantity: full-width digits, spaces and thousands commas tolerated', () => {
    expect(parseQuantity('4600')).toEqual({ value: 4600 })
    expect(parseQuantity(' ４，６００ ')).toEqual({ value: 4600 })
    expect(parseQuantity('4,550.50')).toEqual({ value: 4550.5 })
    expect(parseQuantity('-0.25')).toEqual({ value: -0.25 })
    // Trailing zeros are not decimals.
    expect(parseQuantity('3.5000000')).toEqual({ value: 3.5 })
    expect(parseQuantity('')).toEqual({ error: 'empty' })
    expect(parseQuantity('   ')).toEqual({ error: 'empty' })
    expect(parseQuantity('约 4600')).toEqual({ error: 'not_a_number' })
    expect(parseQuantity('1.2.3')).toEqual({ error: 'not_a_number' })
    expect(parseQuantity('.5')).toEqual({ error: 'not_a_number' })
    expect(parseQuantity('1e3')).toEqual({ error: 'not_a_number' })
    expect(parseQuantity('0.1234567')).toEqual({ error: 'too_many_decimals' })
  })

  it('meets its indicator by the indicator’s direction, the target itself included', () => {
    expect(checkValue(altitude, '4600')).toBe('met')
    expect(checkValue(altitude, '4500')).toBe('met')
    expect(checkValue(altitude, '4499.9')).toBe('not_met')
    expect(checkValue(energy, '1.6')).toBe('met')
    expect(checkValue(energy, '1.61')).toBe('not_met')
    expect(checkValue(energy, '0.9')).toBe('met')
    expect(checkValue(capacity, '')).toBe('empty')
    expect(checkValue(capacity, 'x')).toBe('invalid')
  })

  it('makes a row recordable only when every examined value is a number, met or not', () => {
    const ix = [altitude, capacity]
    expect(checkRow(ix, { I1: '4600' })).toEqual({ checks: { I1: 'met', I2: 'empty' }, ready: false, allMet: false })
    expect(checkRow(ix, { I1: '4600', I2: 'abc' }).ready).toBe(false)
    expect(checkRow(ix, { I1: '4300', I2: '3.5' })).toEqual({ checks: { I1: 'not_met', I2: 'met' }, ready: true, allMet: false })
    expect(checkRow(ix, { I1: '4600', I2: '3.5' }).allMet).toBe(true)
    expect(checkRow([], {}).ready).toBe(false)
  })

  it('sends the milestone’s indicators in its order, trimmed, and finds a recorded result', () => {
    expect(milestoneIndicators(['I2', 'I1', 'I9'], [altitude, capacity, energy]).map((i) => i.code)).toEqual(['I2', 'I1'])
    expect(valuesToSend(['I1', 'I2'], { I2: ' 3.5 ', I1: '4600' })).toEqual([['I1', '4600'], ['I2', '3.5']])
    const r: ResultLine = { milestone: 'M1', number: 'A', report_name: 'r.pdf', report_sha256: 'ab'.repeat(32), values: [] }
    expect(recordedResult([r], 'M1', 'A')).toBe(r)
    expect(recordedResult([r], 'M2', 'A')).toBeNull()
  })
})

const sent: unknown[][] = []
let refuse = false
vi.mock('../src/bindings', () => ({
  commands: {
    milestoneRecord: async (...args: unknown[]) => {
      sent.push(args)
      if (refuse) return { status: 'error', error: { code: 'challenge.team_not_running', message: '团队 B 已于里程碑 M1 终止或并入其他团队' } }
      return { status: 'ok', data: { contest: 'race' } }
    },
  },
}))

const { i18n } = await import('../src/i18n')
const MilestoneEntry = (await import('../src/components/results/MilestoneEntry.vue')).default

const milestone: MilestonePanel = { code: 'M1', name: { zh: '样机', en: 'Prototype' }, due: '2028-06-30', indicators: ['I1', 'I2'], tranche_wan: '300.00' }
const team = (number: string): TeamLine => ({
  number,
  status: 'running',
  at: null,
  into: null,
  released_wan: '0.00',
  cancelled_wan: '0.00',
  planned_wan: '0.00',
  increases_wan: '0.00',
  added_members: [],
})

/** An ElInput's native field, whichever element carries the test id. */
const field = (code: string) => `input[data-testid="entry-${code}"], [data-testid="entry-${code}"] input`

function mountIt() {
  return mount(MilestoneEntry, {
    props: { call: 'C', milestone, indicators: [altitude, capacity, energy], running: [team('A'), team('B')], results: [] },
    global: { plugins: [ElementPlus, i18n] },
  })
}

describe('the milestone entry', () => {
  it('shows 达到 / 未达到 per value as it is typed, and records a full row through the core’s command', async () => {
    sent.length = 0
    refuse = false
    const w = mountIt()
    const row = w.find('tr[data-team="A"]')
    const button = row.find('[data-testid="entry-record"]')
    expect(button.attributes('disabled')).toBeDefined()
    await row.find(field('I1')).setValue('4600')
    expect(row.find('[data-testid="entry-check-I1"]').text()).toBe('达到')
    expect(row.find('[data-testid="entry-check-I2"]').text()).toBe('待填')
    await row.find(field('I2')).setValue('3.2')
    expect(row.find('[data-testid="entry-check-I2"]').text()).toBe('未达到')
    await row.find(field('I2')).setValue('三点五')
    expect(row.find('[data-testid="entry-check-I2"]').text()).toBe('不是数值')
    expect(row.find('[data-testid="entry-record"]').attributes('disabled')).toBeDefined()
    await row.find(field('I2')).setValue('3.5')
    // The other team's row is its own.
    expect(w.find('tr[data-team="B"] [data-testid="entry-check-I1"]').text()).toBe('待填')
    await row.find('[data-testid="entry-record"]').trigger('click')
    await flushPromises()
    expect(sent).toEqual([['C', 'M1', 'A', [['I1', '4600'], ['I2', '3.5']], '']])
    expect(w.emitted('recorded')).toHaveLength(1)
  })

  it('shows a refusal beside its row with the core’s message, and emits nothing', async () => {
    sent.length = 0
    refuse = true
    const w = mountIt()
    const row = w.find('tr[data-team="B"]')
    await row.find(field('I1')).setValue('4300')
    await row.find(field('I2')).setValue('3.5')
    await row.find('[data-testid="entry-record"]').trigger('click')
    await flushPromises()
    expect(sent).toHaveLength(1)
    expect(row.find('[data-testid="entry-error"]').text()).toContain('已于里程碑 M1 终止')
    expect(w.emitted('recorded')).toBeUndefined()
  })
})
