import { describe, expect, it } from 'vitest'
// The inline script of the page, as it runs before the modules.
import INDEX_HTML from '../index.html?raw'
const BOOT_JS = /<script data-boot>([\s\S]*?)<\/script>/.exec(INDEX_HTML)![1]
import { early } from '../src/boot'

type Boot = Record<string, Promise<unknown> | undefined>
const win = window as unknown as { __TAURI_INTERNALS__?: unknown; __lixiangBoot?: Boot }

/** Runs the page's inline start script as the page does, with `invoke` answering as given. */
function runBootScript(invoke: (command: string) => Promise<unknown>): string[] {
  const sent: string[] = []
  win.__TAURI_INTERNALS__ = { invoke: (c: string) => (sent.push(c), invoke(c)) }
  new Function(BOOT_JS)()
  delete win.__TAURI_INTERNALS__
  return sent
}

describe('the start’s early reads', () => {
  it('are sent before the modules run and handed out once, in the bindings’ shape, then asked again', async () => {
    const sent = runBootScript(async (c) => {
      if (c === 'identity_get') throw { code: 'workspace.unavailable', message: '工作区不可用' }
      return c === 'preference_get_language' ? 'en' : { programmes: [] }
    })
    expect(sent).toEqual(['preference_get_language', 'identity_get', 'catalog_get'])
    const asked: string[] = []
    const ask = (name: string, data: unknown) => async () => (asked.push(name), { status: 'ok' as const, data })
    expect(await early('preference_get_language', ask('language', 'zh-CN'))).toEqual({ status: 'ok', data: 'en' })
    expect(await early('identity_get', ask('identity', null))).toEqual({
      status: 'error',
      error: { code: 'workspace.unavailable', message: '工作区不可用' },
    })
    expect(await early('catalog_get', ask('catalog', null))).toEqual({ status: 'ok', data: { programmes: [] } })
    expect(asked).toEqual([])
    // A second read is the workspace's answer now, not the start's.
    expect(await early('identity_get', ask('identity', { identity: null }))).toEqual({ status: 'ok', data: { identity: null } })
    expect(asked).toEqual(['identity'])
    delete win.__lixiangBoot
  })

  it('sends nothing where there is no Tauri, and every read asks its command', async () => {
    new Function(BOOT_JS)()
    expect(win.__lixiangBoot).toBeUndefined()
    expect(await early('catalog_get', async () => ({ status: 'ok' as const, data: 1 }))).toEqual({ status: 'ok', data: 1 })
  })
})
