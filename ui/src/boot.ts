// The reads the page's inline script (index.html, `data-boot`) sent before the modules ran: each handed
// out once, to the first asker; any later read, and every read where the page was not started that way
// (tests), asks the command itself.

type Sent = Record<string, Promise<unknown> | undefined>

/** The answer of `command` that the page's start already asked for, else `ask()` now. */
export function early<R>(command: 'preference_get_language' | 'identity_get' | 'catalog_get', ask: () => Promise<R>): Promise<R> {
  const sent = (window as unknown as { __lixiangBoot?: Sent }).__lixiangBoot
  const answer = sent?.[command]
  if (!answer) return ask()
  sent[command] = undefined
  return answer as Promise<R>
}

/**
 * Which first screen rendered ahead the page is showing (its locale), once the page's script decided
 * (index.html, `data-first-screen`); null when it shows none and the app draws its own.
 */
export function firstScreenShown(): Promise<string | null> {
  const shown = (window as unknown as { __lixiangFirstScreen?: Promise<string | null> }).__lixiangFirstScreen
  return shown ?? Promise.resolve(null)
}

/**
 * Once the app has taken the first screen over: the clicks made on it before (kept by the page's
 * script, not acted on) are made again on the same elements, now the app's.
 */
export function replayFirstScreenClicks(): void {
  const page = window as unknown as { __lixiangFirstScreenClicks?: EventTarget[] }
  const clicks = page.__lixiangFirstScreenClicks ?? []
  page.__lixiangFirstScreenClicks = undefined
  for (const target of clicks) {
    if (target instanceof HTMLElement && target.isConnected) target.click()
  }
}
