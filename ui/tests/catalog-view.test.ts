import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createRouter, createMemoryHistory } from 'vue-router'
import { catalogFixture } from './fixture'

const calls: string[] = []
// What the next "export PDF" command returns; each test sets it.
let exportResult: unknown = { status: 'ok', data: null }
// The marks the view reported with its first frame.
let reportedMarks: { name: string; epoch_ms: number }[] = []
vi.mock('../src/bindings', () => ({
  commands: {
    catalogGet: async () => {
      calls.push('catalogGet')
      return { status: 'ok', data: catalogFixture }
    },
    startupReady: async (marks: { name: string; epoch_ms: number }[]) => {
      calls.push('startupReady')
      reportedMarks = marks
    },
    preferenceSetLanguage: async (lang: string) => {
      calls.push(`preferenceSetLanguage:${lang}`)
      return { status: 'ok', data: null }
    },
    preferenceGetLanguage: async () => ({ status: 'ok', data: 'en' }),
    catalogExportPdf: async () => {
      calls.push('catalogExportPdf')
      return exportResult
    },
  },
}))

const { i18n } = await import('../src/i18n')
const { loadCatalog } = await import('../src/catalog')
const { switchLanguage, restoreLanguage } = await import('../src/language')
const CatalogView = (await import('../src/views/CatalogView.vue')).default

async function mountCatalog() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/catalog/:code?', name: 'catalog', component: CatalogView }],
  })
  await router.push('/catalog')
  const wrapper = mount({ template: '<router-view />' }, { global: { plugins: [router, i18n, ElementPlus] } })
  await router.isReady()
  await flushPromises()
  return { wrapper, router }
}

describe('CatalogView', () => {
  beforeEach(() => {
    calls.length = 0
    i18n.global.locale.value = 'zh-CN'
  })

  it('lists the eight programmes and shows the first one with its targets', async () => {
    await loadCatalog()
    const { wrapper } = await mountCatalog()
    const items = wrapper.findAll('[data-testid="programme-item"]')
    expect(items).toHaveLength(8)
    expect(items[5].text()).toContain('现代农牧业专项')
    expect(wrapper.find('[data-testid="programme-title"]').text()).toBe('平安西藏专项')
  })

  it('shows the selected programme focus and its targets with their ranges', async () => {
    await loadCatalog()
    const { wrapper, router } = await mountCatalog()
    await wrapper.findAll('[data-testid="programme-item"]')[5].trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.params.code).toBe('ZX06')
    expect(wrapper.find('[data-testid="programme-title"]').text()).toBe('现代农牧业专项')
    expect(wrapper.find('[data-testid="programme-focus"]').text()).toContain('重点开展')
    const ranges = wrapper.findAll('[data-testid="target-range"]').map((r) => r.text())
    expect(ranges).toEqual(['10–15', '25–30', '5–10', '1–2'])
  })

  it('reports its first frame with the programme list for the cold-start trace', async () => {
    await loadCatalog()
    await mountCatalog()
    await new Promise((r) => setTimeout(r, 100))
    expect(calls).toContain('startupReady')
    // The steps come in the order they happened, on the page's clock.
    const names = reportedMarks.map((m) => m.name)
    expect(names[0]).toBe('navigation_start')
    expect(names.indexOf('list_rendered')).toBeLessThan(names.indexOf('frame'))
    const times = reportedMarks.map((m) => m.epoch_ms)
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true)
  })
})

describe('catalog PDF export', () => {
  beforeEach(() => {
    calls.length = 0
    i18n.global.locale.value = 'zh-CN'
    document.body.querySelectorAll('.el-message').forEach((m) => m.remove())
  })

  async function clickExport() {
    await loadCatalog()
    const { wrapper } = await mountCatalog()
    await wrapper.find('[data-testid="export-pdf"]').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 50))
    return wrapper
  }
  const messages = () => Array.from(document.body.querySelectorAll('.el-message')).map((m) => m.textContent ?? '')

  it('says where the file was saved and how many pages it has', async () => {
    exportResult = { status: 'ok', data: { path: '/home/u/科技重大专项目录.pdf', pages: 3, opened: true } }
    await clickExport()
    expect(calls).toContain('catalogExportPdf')
    expect(messages().some((m) => m.includes('已保存 /home/u/科技重大专项目录.pdf（3 页）'))).toBe(true)
  })

  it('asks the person to open the file when no viewer could be started', async () => {
    exportResult = { status: 'ok', data: { path: '/tmp/c.pdf', pages: 2, opened: false } }
    await clickExport()
    expect(messages().some((m) => m.includes('未能打开 PDF 阅读器'))).toBe(true)
  })

  it('shows the refusal with its message and says nothing when the dialog is cancelled', async () => {
    exportResult = {
      status: 'error',
      error: { code: 'pdf.missing_glyph', message: '字符 U+E000 无字形，第 1 页' },
    }
    await clickExport()
    expect(messages().some((m) => m.includes('导出 PDF 失败：字符 U+E000 无字形，第 1 页'))).toBe(true)

    document.body.querySelectorAll('.el-message').forEach((m) => m.remove())
    exportResult = { status: 'ok', data: null }
    await clickExport()
    expect(messages()).toEqual([])
  })
})

describe('language', () => {
  it('switching to English relabels the screen and stores the choice', async () => {
    await loadCatalog()
    const { wrapper } = await mountCatalog()
    expect(wrapper.text()).toContain('科技重大专项')
    await switchLanguage('en')
    await flushPromises()
    expect(calls).toContain('preferenceSetLanguage:en')
    expect(wrapper.text()).toContain('Major special projects')
    expect(document.documentElement.lang).toBe('en')
  })

  it('restores the language the workspace remembers', async () => {
    i18n.global.locale.value = 'zh-CN'
    await restoreLanguage()
    expect(i18n.global.locale.value).toBe('en')
  })
})
