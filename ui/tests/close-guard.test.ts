import { describe, expect, it, vi } from 'vitest'
import { flushAll, flushOnClose } from '../src/closeGuard'

describe('the close guard', () => {
  it('writes what every registered editor holds before the window closes, and forgets an unmounted one', async () => {
    const written: string[] = []
    const stopA = flushOnClose(async () => {
      await new Promise((r) => setTimeout(r, 10))
      written.push('call')
    })
    const stopB = flushOnClose(async () => void written.push('application'))
    stopB()
    await flushAll()
    expect(written).toEqual(['call'])
    stopA()
  })

  it('does not keep the window open for a write that hangs', async () => {
    vi.useFakeTimers()
    try {
      const stop = flushOnClose(() => new Promise(() => {}))
      let done = false
      const closing = flushAll().then(() => (done = true))
      await vi.advanceTimersByTimeAsync(2900)
      expect(done).toBe(false)
      await vi.advanceTimersByTimeAsync(200)
      await closing
      expect(done).toBe(true)
      stop()
    } finally {
      vi.useRealTimers()
    }
  })
})
