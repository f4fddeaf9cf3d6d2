// Texts of the application editor's table-like parts (团队, 考核指标, 经费预算): Chinese and English side by
// side, merged into zh-CN.ts and en.ts under `forms`. The i18n test checks both have the same keys.
export const zh = {
  budget: { title: '经费预算' },
}

export const en: typeof zh = {
  budget: { title: 'Budget' },
}
