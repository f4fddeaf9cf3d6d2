import { describe, expect, it } from 'vitest'
import { formatRange } from '../src/format'

describe('formatRange', () => {
  it('shows a range with an en dash', () => expect(formatRange(10, 15)).toBe('10–15'))
  it('shows a single number when min equals max', () => expect(formatRange(1, 1)).toBe('1'))
})
