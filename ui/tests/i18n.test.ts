import { describe, expect, it, vi } from 'vitest'
import zhBase from '../src/i18n/zh-CN'
import enBase from '../src/i18n/en'
import * as sections from '../src/i18n/sections'
import { compileMessage, messageSyntaxProblem } from '../src/i18n/compile'
import { baseCompile } from '@intlify/message-compiler'
import { compile as vueI18nCompile, createMessageContext } from '@intlify/core-base'

const zh = { ...zhBase, ...sections.zh }
const en = { ...enBase, ...sections.en }

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

function entries(o: object, prefix = ''): [string, string][] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? entries(v, `${prefix}${k}.`) : [[`${prefix}${k}`, String(v)] as [string, string]],
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

  it('writes every message in the syntax its compiler reads: text and {name} or {0} placeholders', () => {
    for (const [locale, table] of [['zh-CN', zh], ['en', en]] as const) {
      for (const [key, text] of entries(table)) expect(messageSyntaxProblem(text), `${locale} ${key}: ${text}`).toBeNull()
    }
    expect(messageSyntaxProblem('已导入 {n} 个，{ file } 与 {0}')).toBeNull()
    expect(messageSyntaxProblem('邮箱 a@b.cn')).toMatch(/@/)
    expect(messageSyntaxProblem('一个 | 多个')).toMatch(/\|/)
    expect(messageSyntaxProblem('{n 个')).toMatch(/brace/)
  })

  it('compiles every message to what vue-i18n’s own compiler makes of it, as text and as parts', () => {
    let placeholders = 0
    for (const [key, text] of [...entries(zh), ...entries(en)]) {
      const names = [...text.matchAll(/\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g)].map((m) => m[1])
      placeholders += names.length
      const named = Object.fromEntries(names.map((n, i) => [n, `«${n}${i}»`]))
      const list = ['«0»', '«1»', '«2»']
      const theirs = vueI18nCompile(baseCompile(text, { jit: true, location: false }).ast, { key, locale: 'zh-CN' } as never)
      const ours = compileMessage(text)
      for (const type of ['text', 'vnode'] as const) {
        // As <i18n-t> renders: the parts kept apart (a placeholder may be a slot's nodes).
        const normalize = type === 'text' ? undefined : (parts: unknown[]) => parts
        const ctx = () => createMessageContext({ named, list, ...(normalize ? { processor: { normalize, interpolate: (v: unknown) => v, type } } : {}) } as never)
        expect(ours(ctx() as never), `${key}: ${text}`).toEqual(theirs(ctx() as never))
      }
    }
    expect(placeholders).toBeGreaterThan(100)
  })

  it('fills placeholders through t(), by name and by position, and a message with none as it is', async () => {
    const { i18n } = await import('../src/i18n')
    i18n.global.locale.value = 'zh-CN'
    expect(i18n.global.t('import.progress', { done: 3, written: 2, total: 9, file: 'a.lxpkg' })).toBe('正在导入：已读取 3/9，已写入 2：a.lxpkg')
    expect(compileMessage('{0} 与 {1}')(createMessageContext({ list: ['甲', '乙'] }) as never)).toBe('甲 与 乙')
    expect(i18n.global.t('catalog.programmes')).toBe(zh.catalog.programmes)
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
