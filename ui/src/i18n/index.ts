// The i18n layer: every string of the UI goes through it. Chinese first, English complete.
//
// The start holds only the base tables (the frame, the catalog, the indicators, the identity screens);
// the other screens' text (sections.ts) is loaded once, right after the first frame, and every route
// beyond the base screens waits for it (router.ts), so no screen ever shows a bare key.
import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'

export type Locale = 'zh-CN' | 'en'
export const LOCALES: Locale[] = ['zh-CN', 'en']

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

let sections: Promise<void> | null = null

/** Adds the other screens' text to both languages, once; later calls share the first load. */
export function loadSections(): Promise<void> {
  sections ??= import('./sections').then((s) => {
    i18n.global.mergeLocaleMessage('zh-CN', s.zh)
    i18n.global.mergeLocaleMessage('en', s.en)
  })
  return sections
}
