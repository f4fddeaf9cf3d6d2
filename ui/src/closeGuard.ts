// Edits that must be written before the window closes. The editors save a draft a moment after the last
// keystroke (the application editor after 0.6 s, the call editor after 2 s); a window closed inside that
// moment would lose the last edit. An editor registers how to write what it holds; when the window is
// asked to close (its close button, the system, Ctrl+Q), every registered editor writes first, then the
// window closes. A write that hangs does not keep the window open: it is given at most WAIT_MS.
const flushers = new Set<() => Promise<unknown>>()
const WAIT_MS = 3000
let listening: Promise<void> | null = null

/** Registers `flush` until the returned function is called (when the editor unmounts). */
export function flushOnClose(flush: () => Promise<unknown>): () => void {
  flushers.add(flush)
  listening ??= listen()
  return () => flushers.delete(flush)
}

/** Writes what every registered editor holds, within WAIT_MS. */
export async function flushAll(): Promise<void> {
  const all = Promise.allSettled([...flushers].map((f) => f()))
  await Promise.race([all, new Promise((r) => setTimeout(r, WAIT_MS))])
}

async function listen(): Promise<void> {
  try {
    const { getCurrentWindow } = await import('@tauri-apps/api/window')
    // Tauri closes the window once the handler returns (the window's own listener destroys it).
    await getCurrentWindow().onCloseRequested(() => flushAll())
  } catch {
    // Not in the app's window (unit tests): nothing to listen to.
  }
}
