import { describe, expect, it, vi } from 'vitest'
import zhBase from '../src/i18n/zh-CN'
import enBase from '../src/i18n/en'
import * as sections from '../src/i18n/sections'

const zh = { ...zhBase, ...sections.zh }
const en = { ...enBase, ...sections.en }

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

function leaves(o: object): string[] {
  return Object.values(o).flatMap((v) => (typeof v === 'object' && v !== null ? leaves(v) : [String(v)]))
}

describe('i18n', () => {
  it('has the same keys in Chinese and English', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort())
  })

  it('has no empty text, and English text has no Chinese except quoted plan terms', () => {
    for (const s of [...leaves(zh), ...leaves(en)]) expect(s.trim()).not.toBe('')
    for (const s of leaves(en)) expect(s.replace(/专栏\d+/g, '')).not.toMatch(/[\u4e00-\u9fff]/)
  })

  it('opens the base screens without the sections, and loads them before any other screen', async () => {
    // Fresh instances of the i18n layer and the router (setup.ts loaded the sections into the shared one).
    vi.resetModules()
    const fresh = await import('../src/i18n')
    const { router: freshRouter } = await import('../src/router')
    const held = (locale: 'zh-CN' | 'en') => fresh.i18n.global.getLocaleMessage(locale) as Record<string, unknown>
    const has = (section: string, locale: 'zh-CN' | 'en' = 'zh-CN') => section in held(locale)
    expect(has('catalog')).toBe(true)
    for (const name of Object.keys(sections.zh)) expect(has(name), `${name} is not in the base tables`).toBe(false)
    expect(fresh.i18n.global.t('catalog.programmes')).not.toBe('catalog.programmes')
    await freshRouter.push('/indicators')
    expect(has('calldesk')).toBe(false)
    await freshRouter.push('/calls')
    expect(freshRouter.currentRoute.value.name).toBe('calls')
    for (const name of Object.keys(sections.zh)) {
      expect(has(name)).toBe(true)
      expect(has(name, 'en')).toBe(true)
    }
  }, 60000)
})
