import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

// The import call answers when the test says so; every call is kept with its arguments.
const imports: { paths: string[]; fingerprint: string | null; answer: (data: unknown) => void }[] = []
vi.mock('../src/bindings', () => ({
  commands: new Proxy(
    {},
    {
      get: (_t, name: string) =>
        name === 'packageImport'
          ? (paths: string[], fingerprint: string | null) =>
              new Promise((resolve) => imports.push({ paths, fingerprint, answer: (data) => resolve({ status: 'ok', data }) }))
          : async () => ({ status: 'ok', data: [] }),
    },
  ),
  events: { importProgress: { listen: async () => () => {} } },
}))

const { i18n } = await import('../src/i18n')
const { importJob, confirmTrust, reloadAfterImports } = await import('../src/importJob')
const TrustDialog = (await import('../src/components/TrustDialog.vue')).default

const SENDER = { kind: 'submission', key_id: '0123456789abcdef', fingerprint: '12345 67890 13579 24680 11223 34455' }
const refused = (file: string) => ({ file, outcome: null, error: { code: 'package.sender_unknown', message: '未知发送方' }, unknown_sender: SENDER, message: '' })
const imported = (file: string) => ({ file, outcome: { outcome: 'imported' }, error: null, unknown_sender: null, message: '已导入' })

describe('confirming an unknown sender', () => {
  it('closes the question and imports that sender’s files with its fingerprint, the progress in the page', async () => {
    i18n.global.locale.value = 'zh-CN'
    const files = ['/in/a.lxpkg', '/in/b.lxpkg']
    Object.assign(importJob, { results: files.map(refused), trust: { sender: SENDER, files }, queue: [], running: false })
    const w = mount({ components: { TrustDialog }, template: '<TrustDialog v-if="job.trust" />', setup: () => ({ job: importJob }) }, {
      global: { plugins: [ElementPlus, i18n] },
      attachTo: document.body,
    })
    await flushPromises()
    expect(document.body.querySelector('[data-testid="trust-dialog"]')).not.toBeNull()

    const done = confirmTrust()
    await flushPromises()
    // While the files are imported the question is gone (its backdrop redrawn every frame held the window).
    expect(importJob.running).toBe(true)
    expect(importJob.trust).toBeNull()
    expect(document.body.querySelector('[data-testid="trust-dialog"]')).toBeNull()
    expect(imports).toHaveLength(1)
    expect(imports[0].paths).toEqual(files)
    expect(imports[0].fingerprint).toBe(SENDER.fingerprint)

    // A second confirmation while it runs starts nothing.
    await confirmTrust()
    expect(imports).toHaveLength(1)

    imports[0].answer(files.map(imported))
    await done
    expect(importJob.running).toBe(false)
    expect(importJob.results.map((r) => r.outcome?.outcome)).toEqual(['imported', 'imported'])
    w.unmount()
  })
})

describe('a screen that lists what packages bring', () => {
  it('reloads once when an import ends, not while it runs, and no more once it is closed', async () => {
    imports.length = 0
    const files = ['/in/packet.lxpkg']
    Object.assign(importJob, { results: files.map(refused), trust: { sender: SENDER, files }, queue: [], running: false })
    const reload = vi.fn()
    const Screen = { template: '<p />', setup: () => reloadAfterImports(reload) }
    const w = mount(Screen)

    const done = confirmTrust()
    await flushPromises()
    expect(importJob.running).toBe(true)
    expect(reload).not.toHaveBeenCalled()
    imports[0].answer(files.map(imported))
    await done
    await flushPromises()
    expect(reload).toHaveBeenCalledTimes(1)

    // Closed, the screen is not reloaded by the next import.
    w.unmount()
    Object.assign(importJob, { results: files.map(refused), trust: { sender: SENDER, files }, queue: [], running: false })
    const again = confirmTrust()
    await flushPromises()
    imports[1].answer(files.map(imported))
    await again
    await flushPromises()
    expect(reload).toHaveBeenCalledTimes(1)
  })
})
