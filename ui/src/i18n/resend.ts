// Texts of writing a recorded result package again (形式审查 and 立项 results). Chinese and English side by side,
// merged into zh-CN.ts and en.ts under `resend`.
export const zh = {
  formal: '重新导出结果文件包…',
  round: '重新导出立项结果文件包…',
  hint: '与首次导出的文件逐字节相同；申请单位重复导入时只会提示“已导入”。不记录新的决定。',
  doneOne: '已重新导出：{path}（SHA-256 {hash}）',
  doneMany: '已重新导出 {n} 个结果文件包到 {dir}',
}

export const en: typeof zh = {
  formal: 'Export the result package again…',
  round: 'Export the result packages again…',
  hint: 'Byte for byte the same as the first copy; an applicant who imports it twice is told it was already imported. No new decision is recorded.',
  doneOne: 'Written again: {path} (SHA-256 {hash})',
  doneMany: '{n} result packages written again to {dir}',
}
