import { createApp, createSSRApp, type App as VueApp } from 'vue'
// Element Plus styles come with each component that is imported (vite.config.ts, elementPlusStyles). The
// first frame imports none: it takes Element's variables and its button look (App.vue, CatalogView.vue).
import 'element-plus/theme-chalk/base.css'
import 'element-plus/theme-chalk/el-button.css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { i18n, loadSections } from './i18n'
import { restoreLanguage } from './language'
import { loadCatalog } from './catalog'
import { loadIdentity } from './identity'
import { mark } from './startupTrace'
import { firstScreenShown, replayFirstScreenClicks } from './boot'

// Every imported module has been fetched and run by now.
mark('modules_loaded')

/** Screens without any Element Plus component: they open without Element's configuration. */
const ELEMENT_FREE = new Set(['catalog'])
let elementConfig: Promise<void> | undefined
/** Element's configuration (its language) for the app, loaded and provided once. */
const provideElement = (app: VueApp) =>
  (elementConfig ??= import('./elementConfig').then((m) => m.provideElementConfig(app)))

async function start() {
  // Both reads go out at once; the first frame is painted in the remembered language.
  const catalogLoad = loadCatalog()
  const identityLoad = loadIdentity()
  await restoreLanguage()
  mark('language')
  const status = await identityLoad
  mark('identity')
  // Where the page already shows the first screen rendered ahead (index.html, decided on the same two
  // reads), the app takes its markup over (hydrates) rather than drawing the screen again.
  const hydrate = Boolean(await firstScreenShown())
  const app = hydrate ? createSSRApp(App) : createApp(App)
  // Every screen with Element components waits for its configuration, so that each component is
  // created with the interface's language (the catalog, the first frame, does not).
  router.beforeEach(async (to) => {
    if (!ELEMENT_FREE.has(String(to.name))) await provideElement(app)
  })
  // A workspace with an identity opens on the unlock screen; one without shows the catalog, with a
  // banner offering to create the identity (a fresh install can be looked around first).
  if (status?.identity && !status.unlocked) {
    await router.replace({ path: '/unlock', query: { next: '/catalog' } })
  }
  app.use(i18n).use(router)
  // One render with the screen in it: the first route resolved (the catalog's view is in this chunk) and
  // the catalog read, rather than the frame first and the screen in a second pass.
  await Promise.all([router.isReady(), catalogLoad])
  mark('route')
  const root = document.getElementById('app')!
  const shown = hydrate ? root.innerHTML : ''
  app.mount(root)
  mark('mounted')
  if (hydrate) {
    // Taken over as it was: the app's first render is the markup rendered ahead (a difference, which
    // hydration mends, would mean the two disagree: said here, and checked by the end-to-end tests).
    const same = root.innerHTML === shown
    ;(window as unknown as { __lixiangFirstScreenTakenOver?: boolean }).__lixiangFirstScreenTakenOver = same
    if (!same) console.warn('the first screen rendered ahead differed from the app’s first render')
    replayFirstScreenClicks()
  }
  // The other screens' text and Element's configuration, once the first frame is on screen (two frames:
  // painted, then presented), in a task after that frame's callbacks, so that nothing runs ahead of them
  // in it. Components are imported where they are used, so each and its styles come with the screen that
  // needs it.
  requestAnimationFrame(() =>
    requestAnimationFrame(() =>
      setTimeout(() => {
        void loadSections()
        void provideElement(app)
      }, 0),
    ),
  )
}

void start()
