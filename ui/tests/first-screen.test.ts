import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSSRApp } from 'vue'
import { flushPromises } from '@vue/test-utils'
import seeded from '../prerender/catalog.json'
// The page's two inline scripts, as they run before the modules.
import INDEX_HTML from '../index.html?raw'
const BOOT_JS = /<script data-boot>([\s\S]*?)<\/script>/.exec(INDEX_HTML)![1]
const FIRST_SCREEN_JS = /<script data-first-screen>([\s\S]*?)<\/script>/.exec(INDEX_HTML)![1]

vi.mock('../src/bindings', () => ({
  commands: {
    workspaceInfo: async () => ({ status: 'ok', data: { name: 'ws', dir: '/data/ws' } }),
    startupReady: async () => undefined,
  },
  events: { keysLocked: { listen: async () => () => undefined } },
}))
vi.mock('@tauri-apps/api/webview', () => ({
  getCurrentWebview: () => ({ onDragDropEvent: async () => () => undefined }),
}))

const { renderFirstScreen } = await import('../src/prerender')
const { replayFirstScreenClicks } = await import('../src/boot')
const { router } = await import('../src/router')
const { i18n } = await import('../src/i18n')
const App = (await import('../src/App.vue')).default
type Catalog = Parameters<typeof renderFirstScreen>[1]

describe('the first screen rendered ahead', () => {
  for (const [locale, title] of [
    ['zh-CN', '平安西藏专项'],
    ['en', '平安西藏专项'],
  ] as const) {
    it(`is the markup the window's first render makes in ${locale}, so the app takes it over without a change`, async () => {
      const html = await renderFirstScreen(locale, seeded as Catalog)
      expect(html).toContain('data-testid="identity-banner"')
      expect(html.match(/data-testid="programme-item"/g)).toHaveLength(8)
      const root = document.createElement('div')
      root.innerHTML = html
      document.body.appendChild(root)
      const list = root.querySelector('.programme-list')
      const complaints: string[] = []
      const spies = (['warn', 'error'] as const).map((level) =>
        vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void complaints.push(args.map(String).join(' '))),
      )
      try {
        createSSRApp(App).use(i18n).use(router).mount(root)
        await flushPromises()
      } finally {
        spies.forEach((s) => s.mockRestore())
      }
      expect(complaints).toEqual([])
      // The same elements, taken over rather than drawn again, and live: the workspace's name comes in,
      // and choosing a programme shows it.
      expect(root.querySelector('.programme-list')).toBe(list)
      expect(root.querySelector('[data-testid="workspace-name"]')?.textContent).toContain('ws')
      expect(root.querySelector('[data-testid="programme-title"]')?.textContent).toBe(title)
      ;(root.querySelector('[data-code="ZX06"]') as HTMLElement).click()
      await flushPromises()
      expect(root.querySelector('[data-testid="programme-title"]')?.textContent).toBe('现代农牧业专项')
      root.remove()
    })
  }
})

type Answer = { status: 'ok'; data: unknown } | { status: 'error'; error: unknown }
const win = window as unknown as {
  __TAURI_INTERNALS__?: unknown
  __lixiangBoot?: unknown
  __lixiangFirstScreen?: Promise<string | null>
  __lixiangFirstScreenMarks?: { name: string }[]
}

/** The page as built: the entry preloaded, #app empty, a first screen per language; then its scripts. */
function startPage(answers: Record<string, Answer>, { hash = '', built = true } = {}) {
  document.head.innerHTML = built ? '<link rel="modulepreload" crossorigin href="./assets/index-x.js" data-entry>' : ''
  document.body.innerHTML =
    '<div id="app"></div><template data-first-screen="zh-CN"><p>中文首屏</p></template>' +
    '<template data-first-screen="en"><p>English first screen</p></template>'
  window.location.hash = hash
  win.__TAURI_INTERNALS__ = {
    invoke: async (c: string) => {
      const a = answers[c] ?? { status: 'ok', data: null }
      if (a.status === 'error') throw a.error
      return a.data
    },
  }
  new Function(BOOT_JS)()
  new Function(FIRST_SCREEN_JS)()
}
const entryScripts = () => [...document.head.querySelectorAll('script[type="module"]')].map((s) => (s as HTMLScriptElement).src)
const twoFrames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
const fresh = (language: string): Record<string, Answer> => ({
  preference_get_language: { status: 'ok', data: language },
  identity_get: { status: 'ok', data: { identity: null, unlocked: false, idle_lock_minutes: 15 } },
})

describe('the page’s first-screen script', () => {
  beforeEach(() => {
    delete win.__lixiangFirstScreen
    delete win.__lixiangFirstScreenMarks
  })
  afterEach(() => {
    delete win.__TAURI_INTERNALS__
    delete win.__lixiangBoot
    window.location.hash = ''
  })

  it('shows the first screen of the remembered language in a fresh workspace, and starts the app after its frame', async () => {
    startPage(fresh('zh-CN'))
    expect(await win.__lixiangFirstScreen).toBe('zh-CN')
    expect(document.getElementById('app')!.textContent).toBe('中文首屏')
    expect(win.__lixiangFirstScreenMarks!.map((m) => m.name)).toEqual(['first_screen_shown'])
    expect(entryScripts()).toEqual([])
    await twoFrames()
    await twoFrames()
    expect(win.__lixiangFirstScreenMarks!.map((m) => m.name)).toEqual(['first_screen_shown', 'frame'])
    expect(entryScripts()).toEqual([new URL('./assets/index-x.js', document.baseURI).href])

    // A click before the app took over is kept, not acted on; once it has, it is made again.
    const shown = document.querySelector('#app p') as HTMLElement
    const reached: string[] = []
    document.body.addEventListener('click', () => reached.push('before'))
    const click = new MouseEvent('click', { bubbles: true, cancelable: true })
    shown.dispatchEvent(click)
    expect(click.defaultPrevented).toBe(true)
    expect(reached).toEqual([])
    shown.addEventListener('click', () => reached.push('the app'))
    replayFirstScreenClicks()
    expect(reached).toEqual(['the app', 'before'])
    shown.click()
    expect(reached).toEqual(['the app', 'before', 'the app', 'before'])
    replayFirstScreenClicks()
    expect(reached).toHaveLength(4)

    startPage(fresh('en'))
    expect(await win.__lixiangFirstScreen).toBe('en')
    expect(document.getElementById('app')!.textContent).toBe('English first screen')
    expect(document.documentElement.lang).toBe('en')
    // Its frame, and so its start, before the next test's page.
    await twoFrames()
    await twoFrames()
    expect(entryScripts()).toHaveLength(1)
  })

  it('shows nothing and starts the app at once where the first screen would be wrong', async () => {
    const withIdentity = fresh('zh-CN')
    withIdentity.identity_get = { status: 'ok', data: { identity: { name: '张三' }, unlocked: false, idle_lock_minutes: 15 } }
    const failed = fresh('zh-CN')
    failed.identity_get = { status: 'error', error: { code: 'workspace.unavailable', message: '工作区不可用' } }
    for (const answers of [withIdentity, failed]) {
      startPage(answers)
      expect(await win.__lixiangFirstScreen).toBeNull()
      expect(document.getElementById('app')!.childNodes).toHaveLength(0)
      expect(entryScripts()).toHaveLength(1)
    }
    // A reload on another screen: no question asked, the app started.
    delete win.__lixiangFirstScreen
    startPage(fresh('zh-CN'), { hash: '#/calls' })
    expect(win.__lixiangFirstScreen).toBeUndefined()
    expect(document.getElementById('app')!.childNodes).toHaveLength(0)
    expect(entryScripts()).toHaveLength(1)
  })

  it('starts the app even when no frame comes (a window not shown)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    const frames = vi.spyOn(window, 'requestAnimationFrame').mockImplementation(() => 0)
    try {
      startPage(fresh('zh-CN'))
      expect(await win.__lixiangFirstScreen).toBe('zh-CN')
      expect(entryScripts()).toEqual([])
      vi.advanceTimersByTime(499)
      expect(entryScripts()).toEqual([])
      vi.advanceTimersByTime(1)
      expect(entryScripts()).toHaveLength(1)
      expect(win.__lixiangFirstScreenMarks!.map((m) => m.name)).toEqual(['first_screen_shown'])
    } finally {
      frames.mockRestore()
      vi.useRealTimers()
    }
  })

  it('starts nothing itself where the page loads its modules (not built: the dev server, the tests)', async () => {
    startPage({ ...fresh('zh-CN'), identity_get: { status: 'ok', data: { identity: { name: '张三' } } } }, { built: false })
    expect(await win.__lixiangFirstScreen).toBeNull()
    expect(entryScripts()).toEqual([])
  })
})
