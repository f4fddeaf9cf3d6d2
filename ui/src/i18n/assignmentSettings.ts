// Texts of a call's assignment settings (分配设置). Chinese and English side by side, merged into zh-CN.ts and
// en.ts under `assignmentSettings`.
export const zh = {
  open: '分配设置…',
  title: '本指南的分配设置',
  hint: '本指南的回避清单、分配、固定和例外允许都按这些设置；修改须写明理由，记入审计日志。',
  years: '合作回避年限',
  yearsN: '{n} 年',
  maxLoad: '每位专家每轮上限 L',
  weights: {
    same_code: '学科代码相同',
    same_parent: '同一二级学科',
    same_top: '同一一级学科',
    per_keyword: '每个相同关键词',
    max_keywords: '计分关键词上限（个）',
  },
  industryHint: '产业用户专家：专家类别或单位类型属于下列任一项即算（用于技术创新等轮次的产业专家比例）。',
  industryCategories: '产业用户专家·专家类别',
  industryUnitTypes: '产业用户专家·单位类型',
  industryNone: '（不按此项）',
  reason: '修改理由',
  save: '保存设置',
  summary: '合作回避 {years} 年 · L {load} · 匹配分 {weights} · 产业用户 {industry}',
  saved: '已保存分配设置',
}

export const en: typeof zh = {
  open: 'Settings…',
  title: 'Assignment settings of this call',
  hint: 'The conflicts, runs, pins and overrides of this call all use these settings; a change needs a reason, recorded in the audit log.',
  years: 'Collaboration window',
  yearsN: '{n} years',
  maxLoad: 'Load per expert per round L',
  weights: {
    same_code: 'Same discipline code',
    same_parent: 'Same second-level discipline',
    same_top: 'Same first-level discipline',
    per_keyword: 'Per shared keyword',
    max_keywords: 'Keywords counted at most',
  },
  industryHint: 'Industry-user experts: an expert whose category or unit type is any of these (for the industry-user share of technology-innovation rounds).',
  industryCategories: 'Industry user · categories',
  industryUnitTypes: 'Industry user · unit types',
  industryNone: '(not by this)',
  reason: 'Reason',
  save: 'Save settings',
  summary: 'Collaboration {years} years · L {load} · weights {weights} · industry users {industry}',
  saved: 'Assignment settings saved',
}
