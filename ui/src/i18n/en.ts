// English interface text. Every key here mirrors zh-CN.ts (checked by a unit test).
import type zh from './zh-CN'

const en: typeof zh = {
  app: { name: 'Lixiang', full: 'Lixiang · S&T project applications and review' },
  nav: { catalog: 'Catalog', indicators: 'Plan indicators' },
  topbar: {
    workspace: 'Workspace',
    noIdentity: 'No identity yet',
    language: 'Language',
  },
  catalog: {
    programmes: 'Major special projects',
    source: 'Source',
    focus: 'Focus',
    targets: 'Quantified targets',
    targetCount: '{n} targets',
    empty: "No programmes yet — the workspace's catalog is empty",
    exportPdf: 'Export catalog as PDF',
    pdfSaved: 'Saved {path} ({pages} pages)',
    pdfNotOpened: 'Saved {path} ({pages} pages); no PDF viewer could be started, open the file yourself',
    pdfFailed: 'PDF export failed',
  },
  col: {
    code: 'Code',
    indicator: 'Indicator',
    range: 'Target',
    unit: 'Unit',
    seq: 'No.',
    y2020: '2020',
    y2025: '2025',
    change: 'Yearly / cumulative',
    attribute: 'Attribute',
  },
  indicators: {
    title: '14th Five-Year S&T innovation targets (专栏1)',
    yearly: 'yearly average',
    cumulative: 'cumulative',
    notes: 'Notes',
    dataYear: '{year} data',
  },
  error: {
    workspace: 'Cannot open the workspace',
    loading: 'Reading the catalog…',
  },
}

export default en
