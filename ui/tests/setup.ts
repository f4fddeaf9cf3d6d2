// jsdom lacks ResizeObserver, which Element Plus tables use.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
;(globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver ??= ResizeObserverStub

// The screens' text beyond the base tables, as the router loads it before showing any such screen, and
// the English base table, as switching to English loads it (tests set the locale directly).
import { loadEnglish, loadSections } from '../src/i18n'
await Promise.all([loadSections(), loadEnglish()])
