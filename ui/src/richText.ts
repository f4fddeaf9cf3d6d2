// The restricted rich text of long sections (see crates/lixiang-core/src/application/text.rs): runs of
// text with bold, italic and super- or subscript only. The editor shows runs as HTML in editable
// blocks and reads them back from the DOM; anything else a paste or the browser brings (fonts, colours,
// links, line breaks) is dropped here, so what is saved is what the printed 申报书 and experts show.
import type { Block, RichText, Script, Span } from './bindings'

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** One run as HTML: the marks as <b>, <i>, <sup>, <sub>. */
function spanHtml(s: Span): string {
  let h = escapeHtml(s.text)
  if (s.script === 'super') h = `<sup>${h}</sup>`
  if (s.script === 'sub') h = `<sub>${h}</sub>`
  if (s.italic) h = `<i>${h}</i>`
  if (s.bold) h = `<b>${h}</b>`
  return h
}

export function spansToHtml(spans: readonly Span[]): string {
  return spans.map(spanHtml).join('')
}

interface Marks {
  bold: boolean
  italic: boolean
  script: Script
}

function plainSpan(text: string, m: Marks): Span {
  // Unset marks are left out, as the Rust side serialises them (one run, one form).
  const s: Span = { text }
  if (m.bold) s.bold = true
  if (m.italic) s.italic = true
  if (m.script !== 'normal') s.script = m.script
  return s
}

function sameMarks(a: Span, b: Span): boolean {
  return !!a.bold === !!b.bold && !!a.italic === !!b.italic && (a.script ?? 'normal') === (b.script ?? 'normal')
}

function isBoldStyle(el: HTMLElement): boolean {
  const w = el.style?.fontWeight
  return w === 'bold' || (!!w && Number(w) >= 600)
}

/** The runs of a DOM node's content: only the four marks survive; line breaks become spaces. */
export function domToSpans(root: Node): Span[] {
  const out: Span[] = []
  const walk = (node: Node, m: Marks) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = (node.textContent ?? '').replace(/[\r\n\t]+/g, ' ')
      if (text) out.push(plainSpan(text, m))
      return
    }
    if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return
    const el = node as HTMLElement
    const tag = node.nodeType === Node.ELEMENT_NODE ? el.tagName.toLowerCase() : ''
    if (tag === 'br') {
      out.push(plainSpan(' ', m))
      return
    }
    if (tag === 'script' || tag === 'style') return
    const next: Marks = {
      bold: m.bold || tag === 'b' || tag === 'strong' || (tag !== '' && isBoldStyle(el)),
      italic: m.italic || tag === 'i' || tag === 'em' || (tag !== '' && el.style?.fontStyle === 'italic'),
      script: tag === 'sup' ? 'super' : tag === 'sub' ? 'sub' : m.script,
    }
    node.childNodes.forEach((c) => walk(c, next))
  }
  walk(root, { bold: false, italic: false, script: 'normal' })
  return normalizeSpans(out)
}

/** Adjacent runs with the same marks merged, empty runs dropped, a trailing run of only spaces dropped. */
export function normalizeSpans(spans: readonly Span[]): Span[] {
  const out: Span[] = []
  for (const s of spans) {
    if (!s.text) continue
    const last = out[out.length - 1]
    if (last && sameMarks(last, s)) last.text += s.text
    else out.push({ ...s })
  }
  // A browser keeps a trailing <br> in an edited block: not part of the text.
  const last = out[out.length - 1]
  if (last && last.text.trim() === '') out.pop()
  return out
}

/** Characters without whitespace (字符数，不计空格), as calls set their limits and Rust counts them. */
export function charCount(text: RichText | undefined): number {
  if (!text) return 0
  let n = 0
  const count = (spans: readonly Span[]) => {
    for (const s of spans) for (const c of s.text) if (!/\s/u.test(c)) n++
  }
  for (const b of text.blocks) {
    if (b.type === 'paragraph') count(b.spans)
    else if (b.type === 'list') b.items.forEach(count)
    else if (b.type === 'table') b.rows.forEach((r) => r.forEach(count))
    else count(b.caption)
  }
  return n
}

export const paragraph = (text = ''): Block => ({ type: 'paragraph', spans: text ? [{ text }] : [] })
export const list = (ordered: boolean): Block => ({ type: 'list', ordered, items: [[]] })
export const table = (rows = 2, cols = 3): Block => ({
  type: 'table',
  rows: Array.from({ length: rows }, () => Array.from({ length: cols }, () => [] as Span[])),
})

/** Plain text pasted into a section: each non-empty line a paragraph. */
export function textToParagraphs(text: string): Block[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => paragraph(l))
}
