import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createRouter, createMemoryHistory } from 'vue-router'
import { catalogFixture } from './fixture'

const calls: string[] = []
vi.mock('../src/bindings', () => ({
  commands: {
    catalogGet: async () => {
      calls.push('catalogGet')
      return { status: 'ok', data: catalogFixture }
    },
    startupReady: async () => {
      calls.push('startupReady')
    },
    preferenceSetLanguage: async (lang: string) => {
      calls.push(`preferenceSetLanguage:${lang}`)
      return { status: 'ok', data: null }
    },
    preferenceGetLanguage: async () => ({ status: 'ok', data: 'en' }),
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
