// The UI language: applied to vue-i18n (and so to Element Plus, elementConfig.ts), and remembered in the
// workspace.
import { i18n, loadEnglish, type Locale } from './i18n'
import { commands } from './bindings'
import { early } from './boot'

/** Shows the interface in `locale`, its base table loaded first (English is not in the start's). */
export async function applyLocale(locale: Locale): Promise<void> {
  if (locale === 'en') await loadEnglish()
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
}

/** Switches the language now and stores the choice in the workspace database. */
export async function switchLanguage(locale: Locale): Promise<void> {
  await applyLocale(locale)
  await commands.preferenceSetLanguage(locale)
}

/** Applies the language remembered in the workspace (Chinese when none is). */
export async function restoreLanguage(): Promise<void> {
  const r = await early('preference_get_language', commands.preferenceGetLanguage)
  await applyLocale(r.status === 'ok' ? r.data : 'zh-CN')
}
