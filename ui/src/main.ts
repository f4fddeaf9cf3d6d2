import { createApp } from 'vue'
import {
  ElAlert,
  ElConfigProvider,
  ElEmpty,
  ElTag,
} from 'element-plus'
// Element Plus styles come with each component that is imported (vite.config.ts, elementPlusStyles).
import './style.css'
import App from './App.vue'
import { router } from './router'
import { i18n, loadSections } from './i18n'
import { restoreLanguage } from './language'
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
  // The few components templates use without importing them. Everything else (ElTable, ElMenu, …) is
  // imported where it is used, so it and its styles come with the screen that needs them.
  for (const c of [ElAlert, ElConfigProvider, ElEmpty, ElTag]) {
    app.use(c)
  }
  app.mount('#app')
  mark('mounted')
  // The other screens' text, once the first frame is on screen (two frames: painted, then presented).
  requestAnimationFrame(() => requestAnimationFrame(() => void loadSections()))
}

void start()
