// Texts of the conflicts matrix (回避矩阵). Chinese and English side by side, merged into zh-CN.ts and en.ts under
// `conflictMatrix`. The marks are one character each so the grid stays narrow.
export const zh = {
  list: '列表',
  matrix: '矩阵',
  corner: '申报编号／专家',
  marks: { hard: '必', declared: '声', soft: '软', possible: '疑', overridden: '允' },
  overriddenLegend: '已例外允许',
}

export const en: typeof zh = {
  list: 'List',
  matrix: 'Matrix',
  corner: 'Application / expert',
  marks: { hard: 'H', declared: 'D', soft: 'S', possible: 'P', overridden: 'A' },
  overriddenLegend: 'allowed by override',
}
