import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { HeldSummary, SchemaDetail } from '../src/bindings'

const central: HeldSummary = {
  code: 'central-2021',
  version: 1,
  name_zh: '中央财政科研项目经费（2021年改革）',
  name_en: 'Central research project funding (2021 reform)',
  sha256: 'a'.repeat(64),
  origin: 'shipped',
}
const pilot: HeldSummary = { ...central, code: 'pilot-2027', name_zh: '试点经费规则', sha256: 'b'.repeat(64), origin: 'own' }
const carried: HeldSummary = {
  ...central,
  code: 'xz-2026',
  name_zh: '自治区规则',
  sha256: 'c'.repeat(64),
  origin: { package: '0190a1b2-pkg' },
}

const detail: SchemaDetail = {
  code: 'pilot-2027',
  version: 1,
  name: { zh: '试点经费规则', en: 'Pilot rules' },
  source: '试点文件',
  sha256: 'b'.repeat(64),
  origin: 'own',
  categories: [
    { code: 'direct', name: { zh: '直接费用', en: 'Direct costs' }, kind: 'direct', parent: null, depth: 0, leaf: false, equipment: false, equipment_purchase: false },
    { code: 'equipment_purchase', name: { zh: '设备购置费', en: 'Equipment purchase' }, kind: 'direct', parent: 'direct', depth: 1, leaf: true, equipment: true, equipment_purchase: true },
    { code: 'indirect', name: { zh: '间接费用', en: 'Indirect costs' }, kind: 'indirect', parent: null, depth: 0, leaf: true, equipment: false, equipment_purchase: false },
  ],
  tiers: [
    { from_wan: '0.0000', up_to_wan: '500.0000', rate_percent: 17 },
    { from_wan: '500.0000', up_to_wan: null, rate_percent: 13 },
  ],
  pure_theory_percent: null,
  equipment_detail_threshold_wan: '80.0000',
  challenge_fixed_funding: true,
  challenge_negative_list: [{ zh: '不得用于偿还债务', en: 'Not for repaying debts' }],
}

const held: HeldSummary[] = [central, carried]
const calls: string[] = []
let importAnswer: unknown = null
vi.mock('../src/bindings', () => ({
  commands: {
    budgetSchemasList: async () => ({ status: 'ok', data: [...held] }),
    budgetSchemaGet: async (code: string, version: number) => {
      calls.push(`get ${code} ${version}`)
      return { status: 'ok', data: detail }
    },
    budgetSchemaImport: async () => {
      calls.push('import')
      const a = importAnswer as { status: string; data?: { added: boolean } }
      if (a.status === 'ok' && a.data?.added) held.push(pilot)
      return a
    },
  },
}))

const { i18n } = await import('../src/i18n')
const BudgetSchemas = (await import('../src/components/BudgetSchemas.vue')).default

async function mountIt(canAdd: boolean, locale: 'zh-CN' | 'en' = 'zh-CN') {
  i18n.global.locale.value = locale
  const w = mount(BudgetSchemas, { props: { canAdd }, global: { plugins: [ElementPlus, i18n] }, attachTo: document.body })
  await flushPromises()
  return w
}

const texts = (w: Awaited<ReturnType<typeof mountIt>>, id: string) =>
  w.findAll(`[data-testid="${id}"]`).map((e) => e.text())

describe('BudgetSchemas', { timeout: 30000 }, () => {
  it('lists the held schemas with their origin, and an applicant cannot add one', async () => {
    const w = await mountIt(false)
    expect(texts(w, 'schema-code')).toEqual(['central-2021', 'xz-2026'])
    expect(texts(w, 'schema-origin')).toEqual(['程序自带', '随文件包 0190a1b2-pkg'])
    expect(w.find('[data-testid="schema-add"]').exists()).toBe(false)
    w.unmount()
    const en = await mountIt(false, 'en')
    expect(texts(en, 'schema-origin')).toEqual(['shipped', 'with package 0190a1b2-pkg'])
    en.unmount()
  })

  it('shows a refusal as the core words it, and lists a schema once added', async () => {
    const w = await mountIt(true)
    importAnswer = {
      status: 'error',
      error: { code: 'budget.schema_conflict', message: '文件 pilot.toml：pilot-2027 v1 本机已有另一内容' },
    }
    await w.find('[data-testid="schema-add"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="schema-refusal"]').text()).toContain('文件 pilot.toml：pilot-2027 v1 本机已有另一内容')
    expect(texts(w, 'schema-code')).toEqual(['central-2021', 'xz-2026'])

    importAnswer = { status: 'ok', data: null } // cancelled: nothing changes
    await w.find('[data-testid="schema-add"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="schema-refusal"]').exists()).toBe(true)

    importAnswer = { status: 'ok', data: { code: 'pilot-2027', version: 1, sha256: 'b'.repeat(64), added: true } }
    await w.find('[data-testid="schema-add"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="schema-refusal"]').exists()).toBe(false)
    expect(texts(w, 'schema-code')).toEqual(['central-2021', 'xz-2026', 'pilot-2027'])
    expect(texts(w, 'schema-origin')[2]).toBe('本机添加')
    expect(calls.filter((c) => c === 'import')).toHaveLength(3)
    w.unmount()
  })

  it('opens a schema to its tiers, threshold, fixed funding and categories', async () => {
    const w = await mountIt(false)
    const openButtons = w.findAll('[data-testid="schema-open"]')
    const codes = texts(w, 'schema-code')
    const last = codes[codes.length - 1]
    await openButtons[openButtons.length - 1].trigger('click')
    await flushPromises()
    expect(calls).toContain(`get ${last} 1`)
    const dialog = document.querySelector('[data-testid="schema-detail"]')!
    const tiers = Array.from(dialog.querySelectorAll('[data-testid="schema-tiers"] tbody tr')).map((r) =>
      r.textContent!.replace(/\s+/g, ''),
    )
    expect(tiers).toEqual(['500.0000万元及以下部分17%', '500.0000万元以上部分13%'])
    expect(dialog.textContent).toContain('单价 80.0000 万元及以上的设备须单列测算依据')
    expect(dialog.querySelector('[data-testid="schema-fixed-funding"]')!.textContent!.trim()).toBe(
      '申请的财政资金须等于榜单的固定资助额度',
    )
    expect(dialog.textContent).toContain('不得用于偿还债务')
    const cats = dialog.querySelector('[data-testid="schema-categories"]')!.textContent!
    expect(cats).toContain('设备购置（从间接费用基数中扣除）')
    expect(cats).toContain('间接费用')
    w.unmount()
  })
})
