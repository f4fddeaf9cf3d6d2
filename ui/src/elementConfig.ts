// Element Plus's language for every component in every screen (what ElConfigProvider did), provided
// after the first frame: the catalog has no Element component, and Element's configuration and locales
// are then not in the first load (main.ts).
import { computed, type App } from 'vue'
import { provideGlobalConfig } from 'element-plus/es/components/config-provider/src/hooks/use-global-config.mjs'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import enLocale from 'element-plus/es/locale/lang/en'
import { i18n } from './i18n'

/** Element's locale follows the interface language, now and after every switch. */
export function provideElementConfig(app: App) {
  provideGlobalConfig(computed(() => ({ locale: i18n.global.locale.value === 'en' ? enLocale : zhCn })), app, true)
}
