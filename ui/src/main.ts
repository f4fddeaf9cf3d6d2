import { computed, createApp } from 'vue'
import { provideGlobalConfig } from 'element-plus'
// Element Plus styles come with each component that is imported (vite.config.ts, elementPlusStyles). The
// first frame imports none: it takes Element's variables and its button look (App.vue, CatalogView.vue).
import 'element-plus/theme-chalk/base.css'
import 'element-plus/theme-chalk/el-button.css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { i18n, loadSections } from './i18n'
import { elementLocale, restoreLanguage } from './language'
import { loadCatalog } from './catalog'
import { loadIdentity } from './identity'
import { mark } from './startupTrace'

// Every imported module has been fetched and run by now.
mark('modules_loaded')

async function start() {
  // Both reads go out at once; the first frame is painted in the remembered language.
  const catalogLoad = loadCatalog()
  const identityLoad = loadIdentity()
  await restoreLanguage()
  mark('language')
  // A workspace with an identity opens on the unlock screen; one without shows the catalog, with a
  // banner offering to create the identity (a fresh install can be looked around first).
  const status = await identityLoad
  mark('identity')
  if (status?.identity && !status.unlocked) {
    await router.replace({ path: '/unlock', query: { next: '/catalog' } })
  }
  const app = createApp(App).use(i18n).use(router)
  // One render with the screen in it: the first route resolved (the catalog's view is in this chunk) and
  // the catalog read, rather than the frame first and the screen in a second pass.
  await Promise.all([router.isReady(), catalogLoad])
  mark('route')
  // Element Plus's language, for every component in every screen (what ElConfigProvider did, without a
  // component on the first frame). Components are imported where they are used, so each and its styles
  // come with the screen that needs it.
  provideGlobalConfig(computed(() => ({ locale: elementLocale.value })), app, true)
  app.mount('#app')
  mark('mounted')
  // The other screens' text, once the first frame is on screen (two frames: painted, then presented).
  requestAnimationFrame(() => requestAnimationFrame(() => void loadSections()))
}

void start()
