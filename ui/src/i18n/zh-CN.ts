// 中文（默认）界面文字。每个键在 en.ts 中都必须有对应的英文（由单元测试检查）。
export default {
  app: { name: '立项', full: '立项 · 科技项目申报与评审' },
  nav: { catalog: '规划', indicators: '规划指标' },
  topbar: {
    workspace: '工作区',
    noIdentity: '尚未设置身份',
    language: '界面语言',
  },
  catalog: {
    programmes: '科技重大专项',
    source: '出处',
    focus: '重点方向',
    targets: '量化目标',
    targetCount: '{n} 项目标',
    empty: '尚无专项 — 工作区的规划目录为空',
    exportPdf: '导出目录 PDF',
    pdfSaved: '已保存 {path}（{pages} 页）',
    pdfNotOpened: '已保存 {path}（{pages} 页）；未能打开 PDF 阅读器，请自行打开该文件',
    pdfFailed: '导出 PDF 失败',
  },
  col: {
    code: '代码',
    indicator: '指标',
    range: '目标值',
    unit: '单位',
    seq: '序号',
    y2020: '2020年',
    y2025: '2025年',
    change: '年均/累计',
    attribute: '属性',
  },
  indicators: {
    title: '“十四五”时期科技创新发展目标（专栏1）',
    yearly: '年均',
    cumulative: '累计',
    notes: '注',
    dataYear: '{year}年数据',
  },
  error: {
    workspace: '无法打开工作区',
    loading: '正在读取规划目录…',
  },
}
