// The UI language: applied to vue-i18n and Element Plus at once, and remembered in the workspace.
import { computed } from 'vue'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import enLocale from 'element-plus/es/locale/lang/en'
import { i18n, type Locale } from './i18n'
import { commands } from './bindings'

export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? enLocale : zhCn))

export function applyLocale(locale: Locale) {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
}

/** Switches the language now and stores the choice in the workspace database. */
export async function switchLanguage(locale: Locale): Promise<void> {
  applyLocale(locale)
  await commands.preferenceSetLanguage(locale)
}

/** Applies the language remembered in the workspace (Chinese when none is). */
export async function restoreLanguage(): Promise<void> {
  const r = await commands.preferenceGetLanguage()
  applyLocale(r.status === 'ok' ? r.data : 'zh-CN')
}
