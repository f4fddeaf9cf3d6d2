// Importing package files: one job at a time, with progress from Rust's typed events, the outcome of
// each file, and trust on first use — a file from an unknown sender is imported only after the person
// compared the sender's fingerprint (one question per sender) and confirmed.
import { markRaw, reactive, watch } from 'vue'
import { preloadToast, toast } from './toast'
import { commands, events, type FileImport, type UnknownSender } from './bindings'
import { i18n } from './i18n'
import { identityStatus, loadIdentity } from './identity'
import { loadContacts } from './contacts'

/** A sender to ask about, and the files of this import that came from it. */
export interface TrustRequest {
  sender: UnknownSender
  files: string[]
}

export const importJob = reactive({
  running: false,
  done: 0,
  /** Packages written into the database so far (the writing follows the reading by a batch). */
  written: 0,
  total: 0,
  file: '',
  /** The outcome of each file of the last import, in order. */
  results: [] as FileImport[],
  /** The sender the person is being asked about now. */
  trust: null as TrustRequest | null,
  queue: [] as TrustRequest[],
})

const t = (key: string, args: Record<string, unknown> = {}) => i18n.global.t(key, args)

/**
 * Calls `reload` each time an import ends, for a screen that lists what a package may bring (calls,
 * packets, applications, results): the import started from the top bar goes on while the person stays
 * on that screen. Called in a component's setup, so that it stops with the component.
 */
export function reloadAfterImports(reload: () => unknown): void {
  watch(
    () => importJob.running,
    (running, was) => {
      if (was && !running) void reload()
    },
  )
}

/** The unknown senders among `results`, each with its files, in the order they first appear. */
export function trustRequests(results: FileImport[]): TrustRequest[] {
  const bySender = new Map<string, TrustRequest>()
  for (const r of results) {
    const s = r.unknown_sender
    if (!s) continue
    const req = bySender.get(s.fingerprint) ?? { sender: s, files: [] }
    req.files.push(r.file)
    bySender.set(s.fingerprint, req)
  }
  return [...bySender.values()]
}

/** How many outcomes the last import's table lists: a table of a thousand rows holds the window for seconds, of 200 for a third of one. */
export const RESULT_ROWS = 50

/**
 * The outcomes the table lists: those not imported first (what the person has to act on), then the
 * imported ones, in file order within each, at most `max`.
 */
export function listedResults(results: FileImport[], max = RESULT_ROWS): FileImport[] {
  const imported = (r: FileImport) => r.outcome?.outcome === 'imported'
  return [...results.filter((r) => !imported(r)), ...results.filter(imported)].slice(0, max)
}

/**
 * Runs one import call with progress; `null` when the whole call was refused (said in a message). The
 * job stays running on an answer: the caller ends it with the outcomes in place (`finish`), so that the
 * frame that takes the progress line away draws the new outcomes, not the ones before.
 */
async function run(paths: string[], fingerprint: string | null): Promise<FileImport[] | null> {
  // The summary's message box, loaded while the import runs rather than in the frame that ends it.
  preloadToast()
  importJob.running = true
  importJob.done = 0
  importJob.written = 0
  importJob.total = paths.length
  importJob.file = ''
  const unlisten = await events.importProgress.listen((e) => {
    importJob.done = e.payload.done
    importJob.written = e.payload.written
    importJob.total = e.payload.total
    importJob.file = e.payload.file
  })
  try {
    const r = await commands.packageImport(paths, fingerprint)
    if (r.status === 'error') {
      importJob.running = false
      void toast('error', `${t('import.failed')}：${r.error.message}`, true)
      return null
    }
    return r.data
  } catch (e) {
    importJob.running = false
    throw e
  } finally {
    unlisten()
  }
}

/** Ends a job that ran, with its outcomes. Not made deeply reactive: a thousand outcomes are replaced
 * whole, never edited in place. */
function finish(results: FileImport[]) {
  importJob.results = markRaw(results)
  importJob.running = false
}

/** Imports `paths` (files or folders); asks about unknown senders one after the other. */
export async function importPaths(paths: string[]): Promise<void> {
  if (paths.length === 0 || importJob.running || importJob.trust) return
  if (!identityStatus.value) await loadIdentity()
  if (!identityStatus.value?.identity) {
    void toast('warning', t('import.needIdentity'))
    return
  }
  importJob.results = []
  const results = await run(paths, null)
  if (!results) return
  finish(results)
  importJob.queue = trustRequests(results)
  await next()
}

/** Asks about the next unknown sender, or ends the job with its summary. */
async function next(): Promise<void> {
  importJob.trust = importJob.queue.shift() ?? null
  if (importJob.trust) return
  const imported = importJob.results.filter((r) => r.outcome?.outcome === 'imported').length
  const already = importJob.results.filter((r) => r.outcome?.outcome === 'already_imported').length
  const refused = importJob.results.filter((r) => r.error).length
  const message = t('import.summary', { imported, already, refused })
  // The outcomes' table, the summary and the contacts each in a frame of their own: drawn together at
  // the end of a large import they held one frame for over 100 ms (tests/e2e/measure-import.mjs).
  await nextFrame()
  if (refused > 0) void toast('warning', message, true)
  else void toast('success', message)
  await nextFrame()
  await loadContacts()
}

/** Resolves once the next frame is drawn (at once where there are no frames, as in unit tests). */
function nextFrame(): Promise<void> {
  if (typeof requestAnimationFrame !== 'function') return Promise.resolve()
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
}

/**
 * The person compared the fingerprint and it matched: imports that sender's files trusting it. The
 * question is answered, so its dialog closes and the import shows its progress in the page, as any other:
 * kept open over a 1,000-file import, the dialog (its dimmed backdrop over the whole window, a spinning
 * button) was redrawn every frame, the import took half as long again and frames were held past 100 ms
 * (tests/e2e/measure-import.mjs).
 */
export async function confirmTrust(): Promise<void> {
  const req = importJob.trust
  if (!req || importJob.running) return
  importJob.trust = null
  const results = await run(req.files, req.sender.fingerprint)
  if (results) {
    const byFile = new Map(results.map((r) => [r.file, r]))
    finish(importJob.results.map((r) => byFile.get(r.file) ?? r))
  }
  await next()
}

/** The person did not confirm: that sender's files stay refused (nothing of them was written). */
export async function cancelTrust(): Promise<void> {
  if (!importJob.trust) return
  await next()
}

/** Asks for package files with the system's open dialog, then imports them. */
export async function chooseAndImport(): Promise<void> {
  const r = await commands.packageChooseFiles()
  if (r.status === 'error') {
    void toast('error', `${t('import.failed')}：${r.error.message}`, true)
  } else if (r.data && r.data.length > 0) {
    await importPaths(r.data)
  }
}

/** Imports files dropped anywhere on the window; `onDrop` runs first (e.g. to show the packages view). */
export async function listenForDrops(onDrop: () => void): Promise<() => void> {
  // Loaded here, after the first frame: the webview and window classes are a fair part of the
  // start's JavaScript and nothing before a drop needs them (LIXIANG_TRACE_STARTUP).
  const { getCurrentWebview } = await import('@tauri-apps/api/webview')
  return getCurrentWebview().onDragDropEvent((e) => {
    if (e.payload.type !== 'drop' || e.payload.paths.length === 0) return
    onDrop()
    void importPaths(e.payload.paths)
  })
}
