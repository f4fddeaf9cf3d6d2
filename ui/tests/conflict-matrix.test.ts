import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { ConflictView } from '../src/bindings'
import { conflictMatrix } from '../src/conflictMatrix'
import ConflictMatrixTable from '../src/components/experts/ConflictMatrix.vue'
import { i18n } from '../src/i18n'

const c = (application: string, expert: string, severity: string, code: string, override_reason: string | null = null): ConflictView => ({
  application,
  expert,
  expert_name: `专家${expert.slice(-1)}`,
  severity,
  code,
  detail: { zh: `${code} 的说明`, en: `${code} detail` },
  override_reason,
})

const CONFLICTS = [
  c('2027-ZX06-000002', 'ZJ000003', 'soft', 'soft.collaboration', '唯一的区外专家'),
  c('2027-ZX06-000001', 'ZJ000002', 'soft', 'soft.same_department'),
  c('2027-ZX06-000001', 'ZJ000002', 'hard', 'hard.same_unit'),
  c('2027-ZX06-000001', 'ZJ000001', 'possible', 'possible.name_only'),
  c('2027-ZX06-000002', 'ZJ000001', 'declared', 'declared.by_expert'),
]

describe('the conflicts matrix', () => {
  it('has a row per application and a column per expert with a conflict, each cell its strongest conflict', () => {
    const m = conflictMatrix(CONFLICTS)
    expect(m.rows).toEqual(['2027-ZX06-000001', '2027-ZX06-000002'])
    expect(m.columns.map((x) => x.number)).toEqual(['ZJ000001', 'ZJ000002', 'ZJ000003'])
    const both = m.cells['2027-ZX06-000001']['ZJ000002']
    expect(both.severity).toBe('hard')
    expect(both.conflicts.map((x) => x.code)).toEqual(['hard.same_unit', 'soft.same_department'])
    expect(both.overridden).toBe(false)
    expect(m.cells['2027-ZX06-000002']['ZJ000003'].overridden).toBe(true)
    expect(m.cells['2027-ZX06-000001']['ZJ000003']).toBeUndefined()
    expect(m.counts).toEqual({ hard: 1, declared: 1, soft: 1, possible: 1 })
  })

  it('is empty without conflicts', () => {
    const m = conflictMatrix([])
    expect(m.rows).toEqual([])
    expect(m.columns).toEqual([])
  })

  it('draws each cell with its mark and the reasons as its title', () => {
    i18n.global.locale.value = 'zh-CN'
    const w = mount(ConflictMatrixTable, { props: { conflicts: CONFLICTS }, global: { plugins: [ElementPlus, i18n] } })
    const cells = w.findAll('[data-testid="matrix-cell"]')
    expect(cells.map((x) => x.text())).toEqual(['疑', '必', '声', '允'])
    expect(cells[1].attributes('title')).toContain('hard.same_unit 的说明')
    expect(w.findAll('[data-testid="matrix-row"]').map((r) => r.find('th').text())).toEqual(['2027-ZX06-000001', '2027-ZX06-000002'])
  })
})
