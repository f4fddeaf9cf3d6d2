// The UI language: applied to vue-i18n (and so to Element Plus, elementConfig.ts), and remembered in the
// workspace.
import { i18n, type Locale } from './i18n'
import { commands } from './bindings'

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
