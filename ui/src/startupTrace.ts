// The cold-start trace's marks on the UI side: when each step of the start finished, reported to the
// shell with the first painted frame (`startupReady`), which prints them with LIXIANG_TRACE_STARTUP.
import type { StartupMark } from './bindings'

const marks: StartupMark[] = []

/** Notes that a step of the start finished now (wall-clock ms, comparable with the shell's clock). */
export function mark(name: string) {
  marks.push({ name, epoch_ms: performance.timeOrigin + performance.now() })
}

/** The marks so far, with the page's own navigation milestones (fetch of the page, DOM ready). */
export function startupMarks(): StartupMark[] {
  const nav = performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined
  const own: StartupMark[] = [{ name: 'navigation_start', epoch_ms: performance.timeOrigin }]
  if (nav) {
    for (const key of ['responseEnd', 'domInteractive', 'domContentLoadedEventEnd'] as const) {
      if (nav[key] > 0) own.push({ name: key, epoch_ms: performance.timeOrigin + nav[key] })
    }
  }
  for (const paint of performance.getEntriesByType?.('paint') ?? []) {
    own.push({ name: paint.name, epoch_ms: performance.timeOrigin + paint.startTime })
  }
  const firstScreen = (window as unknown as { __lixiangFirstScreenMarks?: StartupMark[] }).__lixiangFirstScreenMarks ?? []
  return [...own, ...firstScreen, ...marks]
}

/**
 * Whether the page showed the first screen rendered ahead (index.html): its own frame is then the
 * first frame with the programme list, and the app's is the one after it took the list over.
 */
export function firstScreenWasShown(): boolean {
  return Boolean((window as unknown as { __lixiangFirstScreenMarks?: unknown }).__lixiangFirstScreenMarks)
}
