// The in-app PDF viewer's rules, apart from the component: the bytes as the IPC delivers them, whether
// they are a PDF at all, the zoom steps, and pdf.js loaded only when a PDF is opened (its 1 MB stays out
// of the start-up bundle). Attachments are rendered from memory: nothing here writes a file, creates a
// download or an object URL another program could open.

/** The IPC delivers raw bytes as an ArrayBuffer (custom protocol) or as number[] (postMessage fallback). */
export function toBytes(data: ArrayBuffer | number[]): Uint8Array {
  return data instanceof ArrayBuffer ? new Uint8Array(data) : Uint8Array.from(data)
}

/** Whether an attachment may be previewed: listed as a PDF (the type sniffed when it was attached). */
export function previewable(mediaType: string, name: string): boolean {
  return mediaType === 'application/pdf' || (mediaType === 'application/octet-stream' && /\.pdf$/i.test(name))
}

/** Whether the bytes begin as a PDF does (`%PDF-`, possibly after a little junk, as readers allow). */
export function isPdf(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024))
  return head.includes('%PDF-')
}

/** The zoom steps offered (1 = 100 %, a PDF point drawn as one CSS pixel). */
export const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const

/** The next zoom step up (`dir` = 1) or down (-1) from `z`, staying within the steps. */
export function stepZoom(z: number, dir: 1 | -1): number {
  if (dir > 0) return ZOOMS.find((s) => s > z + 1e-6) ?? ZOOMS[ZOOMS.length - 1]
  return [...ZOOMS].reverse().find((s) => s < z - 1e-6) ?? ZOOMS[0]
}

/** The zoom at which a page `pageWidth` points wide fills `available` CSS pixels, within the steps' range. */
export function fitWidth(pageWidth: number, available: number): number {
  if (pageWidth <= 0 || available <= 0) return 1
  const z = available / pageWidth
  return Math.min(ZOOMS[ZOOMS.length - 1], Math.max(ZOOMS[0], Math.floor(z * 100) / 100))
}

/** A page number typed by the person, kept within 1…pages. */
export function clampPage(n: number, pages: number): number {
  if (!Number.isFinite(n) || pages < 1) return 1
  return Math.min(pages, Math.max(1, Math.round(n)))
}

/**
 * What pdf.js is given besides the bytes: where the app's copies of its character maps and standard
 * fonts are (ui/scripts/pdfjs-data.mjs copies them to `pdfjs/` beside the page at build). A PDF that
 * names a font without embedding it — a Chinese one in 宋体 (STSong-Light, UniGB-UCS2-H), or Times —
 * can only be drawn with them. They are fetched on the main thread from the app's own assets
 * (`connect-src 'self'`).
 */
export function documentOptions(data: Uint8Array, base: string = document.baseURI) {
  return {
    data,
    cMapUrl: new URL('pdfjs/cmaps/', base).href,
    cMapPacked: true,
    standardFontDataUrl: new URL('pdfjs/standard_fonts/', base).href,
    useWorkerFetch: false,
  }
}

/**
 * pdf.js, loaded on first use. The legacy build: it carries its own polyfills for what the webview
 * (WebKitGTK) may lack. The worker is served from the app's own assets (the CSP allows 'self' only);
 * where the webview refuses a module worker, pdf.js falls back to parsing on the main thread.
 */
export async function pdfjs() {
  const [lib, worker] = await Promise.all([
    import('pdfjs-dist/legacy/build/pdf.mjs'),
    import('pdfjs-dist/legacy/build/pdf.worker.min.mjs?url'),
  ])
  if (!lib.GlobalWorkerOptions.workerSrc) lib.GlobalWorkerOptions.workerSrc = worker.default
  return lib
}
