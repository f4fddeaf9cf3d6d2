import { describe, expect, it } from 'vitest'
import type { FileImport } from '../src/bindings'
import { listedResults } from '../src/importJob'

const imported = (file: string) => ({ file, outcome: { outcome: 'imported' } }) as unknown as FileImport
const refused = (file: string) => ({ file, outcome: null, error: { code: 'x', message: 'no' } }) as unknown as FileImport

describe('the last import’s table', () => {
  it('lists what was not imported first, then the imported, in file order, at most the limit', () => {
    const results = [imported('a'), refused('b'), imported('c'), refused('d'), imported('e')]
    expect(listedResults(results).map((r) => r.file)).toEqual(['b', 'd', 'a', 'c', 'e'])
    expect(listedResults(results, 3).map((r) => r.file)).toEqual(['b', 'd', 'a'])
    const many = Array.from({ length: 1000 }, (_, k) => imported(`f${k}`))
    expect(listedResults(many)).toHaveLength(50)
  })
})
