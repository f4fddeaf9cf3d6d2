import { describe, expect, it } from 'vitest'
import zh from '../src/i18n/zh-CN'
import en from '../src/i18n/en'

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
})
