import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'

const stored: string[] = []
vi.mock('../src/bindings', () => ({
  commands: {
    preferenceSetLanguage: async (lang: string) => {
      stored.push(lang)
      return { status: 'ok', data: null }
    },
  },
}))

const { i18n } = await import('../src/i18n')
const LanguageSwitch = (await import('../src/components/LanguageSwitch.vue')).default

function mountSwitch() {
  return mount(LanguageSwitch, { global: { plugins: [i18n] }, attachTo: document.body })
}
const checked = (w: ReturnType<typeof mountSwitch>) =>
  w.findAll('[role="radio"]').map((b) => `${b.text()}:${b.attributes('aria-checked')}`)

describe('the language switch in the top bar', () => {
  beforeEach(() => {
    stored.length = 0
    i18n.global.locale.value = 'zh-CN'
  })

  it('is a labelled radio group showing the current language', () => {
    const w = mountSwitch()
    expect(w.get('[role="radiogroup"]').attributes('aria-label')).toBe('界面语言')
    expect(checked(w)).toEqual(['中文:true', 'English:false'])
    // Only the checked option is in the tab order, as in any radio group.
    expect(w.findAll('[role="radio"]').map((b) => b.attributes('tabindex'))).toEqual(['0', '-1'])
    w.unmount()
  })

  it('a click switches the language and stores the choice; clicking the current one stores nothing', async () => {
    const w = mountSwitch()
    await w.get('[data-testid="lang-zh"]').trigger('click')
    expect(stored).toEqual([])
    await w.get('[data-testid="lang-en"]').trigger('click')
    await flushPromises()
    expect(stored).toEqual(['en'])
    expect(i18n.global.locale.value).toBe('en')
    expect(checked(w)).toEqual(['中文:false', 'English:true'])
    expect(w.get('[role="radiogroup"]').attributes('aria-label')).toBe('Language')
    w.unmount()
  })

  it('arrow keys move the choice', async () => {
    const w = mountSwitch()
    await w.get('[role="radiogroup"]').trigger('keydown', { key: 'ArrowRight' })
    await flushPromises()
    expect(i18n.global.locale.value).toBe('en')
    await w.get('[role="radiogroup"]').trigger('keydown', { key: 'ArrowLeft' })
    await flushPromises()
    expect(i18n.global.locale.value).toBe('zh-CN')
    expect(stored).toEqual(['en', 'zh-CN'])
    w.unmount()
  })
})
