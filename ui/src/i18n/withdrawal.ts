// Texts of withdrawing an application (撤回) and its notice for the office. Chinese and English side by side,
// merged into zh-CN.ts and en.ts under `withdrawal`.
export const zh = {
  withdraw: '撤回…',
  notice: '导出撤回通知…',
  title: '撤回申报书',
  confirm: '撤回后此申报书不能再提交。请写明撤回理由；随后保存撤回通知文件包，交给受理机构导入。',
  reason: '撤回理由',
  reasonRequired: '请写明撤回理由',
  ok: '撤回并保存通知',
  cancel: '取消',
  saved: '已撤回，撤回通知已保存：{path}。请交给受理机构导入。',
  notSaved: '已撤回，但未保存撤回通知：可随时用“导出撤回通知…”再保存。',
}

export const en: typeof zh = {
  withdraw: 'Withdraw…',
  notice: 'Export the withdrawal notice…',
  title: 'Withdraw the application',
  confirm:
    'A withdrawn application cannot be submitted again. Give the reason; then save the withdrawal notice and give it to the office to import.',
  reason: 'Reason',
  reasonRequired: 'Give the reason for the withdrawal',
  ok: 'Withdraw and save the notice',
  cancel: 'Cancel',
  saved: 'Withdrawn; the notice was saved to {path}. Give it to the office to import.',
  notSaved: 'Withdrawn, but the notice was not saved: save it any time with "Export the withdrawal notice…".',
}
