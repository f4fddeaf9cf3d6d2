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
