// No Element Plus component is registered globally (main.ts: the first frame must not load any), so a
// template that uses <el-tag> without importing ElTag renders an unknown element, silently. Every
// Element component a template names is imported by its file.
import { describe, expect, it } from 'vitest'

const sources = import.meta.glob('../src/**/*.vue', { query: '?raw', import: 'default', eager: true }) as Record<string, string>

const pascal = (kebab: string) => kebab.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase())

describe('Element Plus components', () => {
  it('are imported by every file whose template uses them', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20)
    const missing: string[] = []
    for (const [file, text] of Object.entries(sources)) {
      const at = text.indexOf('<template>')
      const [script, template] = [text.slice(0, at), text.slice(at)]
      for (const [, tag] of template.matchAll(/<(el-[a-z0-9-]+)/g)) {
        if (!new RegExp(`\\b${pascal(tag)}\\b`).test(script)) missing.push(`${file}: <${tag}>`)
      }
    }
    expect([...new Set(missing)]).toEqual([])
  })
})
