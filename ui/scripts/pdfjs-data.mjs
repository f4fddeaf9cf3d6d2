// Copies pdf.js's character maps and standard fonts from the pinned pdfjs-dist into dist/pdfjs/, after
// `vite build`: the attachment viewer points pdf.js at them (documentOptions in src/pdfView.ts). Without
// them a PDF whose fonts are not embedded (宋体 named through a CMap such as UniGB-UCS2-H) draws no text.
import { cpSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ui = join(dirname(fileURLToPath(import.meta.url)), '..')
const from = join(ui, 'node_modules', 'pdfjs-dist')
const to = join(ui, 'dist', 'pdfjs')
rmSync(to, { recursive: true, force: true })
for (const dir of ['cmaps', 'standard_fonts']) {
  cpSync(join(from, dir), join(to, dir), { recursive: true, filter: (f) => !/(\.md|LICENSE)$/.test(f) })
}
