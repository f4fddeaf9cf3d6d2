// The first screen rendered ahead, at build time (scripts/prerender.mjs): the frame and the catalog of a
// fresh workspace — no identity yet, the plan's catalog as seeded — in each language. The page
// (index.html) shows it as soon as its start reads say the workspace is in that state, before the
// modules have loaded, and main.ts then takes it over (hydrates) instead of drawing it again.
//
// It is the same App, router and i18n as the window's, so the markup is the one the window's first
// render makes (tests/first-screen.test.ts holds the two to each other).
import { createSSRApp } from 'vue'
import { renderToString } from 'vue/server-renderer'
import App from './App.vue'
import { router } from './router'
import { i18n, loadEnglish, type Locale } from './i18n'
import { catalog } from './catalog'
import { setIdentityStatus } from './identity'
import type { Catalog } from './bindings'

/** The identity's status in a workspace that has none, as `identity_get` answers it. */
export const NO_IDENTITY = { identity: null, unlocked: false, idle_lock_minutes: 0 }

/** The markup of `#app`'s children on the first screen of a fresh workspace shown in `locale`. */
export async function renderFirstScreen(locale: Locale, seeded: Catalog): Promise<string> {
  if (locale === 'en') await loadEnglish()
  i18n.global.locale.value = locale
  catalog.value = seeded
  setIdentityStatus(NO_IDENTITY)
  const app = createSSRApp(App).use(i18n).use(router)
  await router.push('/catalog')
  await router.isReady()
  return renderToString(app)
}
