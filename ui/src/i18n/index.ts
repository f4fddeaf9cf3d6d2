// The i18n layer: every string of the UI goes through it. Chinese first, English complete.
//
// The start holds only the Chinese base table (the frame, the catalog, the indicators, the identity
// screens); the English one is loaded before English is first shown (language.ts), and the other screens'
// text (sections.ts) once, right after the first frame, and every route beyond the base screens waits for
// it (router.ts), so no screen ever shows a bare key.
import { createI18n } from 'vue-i18n'
import { compileMessage } from './compile'
import zhCN from './zh-CN'

export type Locale = 'zh-CN' | 'en'
export const LOCALES: Locale[] = ['zh-CN', 'en']

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  // Typed with both languages: the English table is merged in by `loadEnglish` before English is shown.
  messages: { 'zh-CN': zhCN } as Record<Locale, typeof zhCN>,
  // Our own compiler for the messages' one syntax, text and placeholders: vue-i18n's is not in the build.
  messageCompiler: compileMessage,
})

let english: Promise<void> | null = null

/** Adds the English base table, once: most start in Chinese, and it is a tenth of the start's JavaScript. */
export function loadEnglish(): Promise<void> {
  english ??= import('./en').then((m) => i18n.global.mergeLocaleMessage('en', m.default))
  return english
}

let sections: Promise<void> | null = null

/** Adds the other screens' text to both languages, once; later calls share the first load. */
export function loadSections(): Promise<void> {
  sections ??= import('./sections').then((s) => {
    i18n.global.mergeLocaleMessage('zh-CN', s.zh)
    i18n.global.mergeLocaleMessage('en', s.en)
  })
  return sections
}
