import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { clampPage, fitWidth, isPdf, previewable, stepZoom, toBytes, ZOOMS } from '../src/pdfView'

const asked: unknown[][] = []
vi.mock('../src/bindings', () => ({
  commands: {
    reviewAttachment: async (...args: unknown[]) => {
      asked.push(args)
      return { status: 'error', error: { code: 'reading.item_withdrawn', message: '申报书 2027-ZX06-000001 的附件「a」无法打开：已回避' } }
    },
  },
}))

describe('the PDF viewer rules', () => {
  it('takes the bytes as either IPC path delivers them', () => {
    const raw = new Uint8Array([37, 80, 68, 70, 45]).buffer
    expect([...toBytes(raw)]).toEqual([37, 80, 68, 70, 45])
    expect([...toBytes([37, 80, 68, 70, 45])]).toEqual([37, 80, 68, 70, 45])
  })

  it('previews PDFs only, by their listed type and their first bytes', () => {
    expect(previewable('application/pdf', '申报书.pdf')).toBe(true)
    expect(previewable('application/octet-stream', 'scan.PDF')).toBe(true)
    expect(previewable('image/png', '技术路线图.png')).toBe(false)
    expect(previewable('application/octet-stream', 'data.xlsx')).toBe(false)
    expect(isPdf(new TextEncoder().encode('%PDF-1.7\n…'))).toBe(true)
    expect(isPdf(new TextEncoder().encode('\n\n%PDF-1.4'))).toBe(true)
    expect(isPdf(new TextEncoder().encode('PK\u0003\u0004'))).toBe(false)
  })

  it('zooms in steps, fits the width within them and keeps page numbers in range', () => {
    expect(stepZoom(1, 1)).toBe(1.25)
    expect(stepZoom(1, -1)).toBe(0.75)
    expect(stepZoom(1.1, -1)).toBe(1)
    expect(stepZoom(ZOOMS[ZOOMS.length - 1], 1)).toBe(ZOOMS[ZOOMS.length - 1])
    expect(stepZoom(ZOOMS[0], -1)).toBe(ZOOMS[0])
    expect(fitWidth(595, 893)).toBe(1.5)
    expect(fitWidth(595, 100)).toBe(ZOOMS[0])
    expect(fitWidth(0, 800)).toBe(1)
    expect(clampPage(0, 3)).toBe(1)
    expect(clampPage(7, 3)).toBe(3)
    expect(clampPage(2.4, 3)).toBe(2)
    expect(clampPage(Number.NaN, 3)).toBe(1)
  })
})

describe('the attachment viewer', () => {
  it('names an attachment that is not a PDF with its size and hash, without reading its bytes', async () => {
    const { default: AttachmentViewer } = await import('../src/components/review/AttachmentViewer.vue')
    const { i18n } = await import('../src/i18n')
    const sha = 'ab'.repeat(32)
    const w = mount(AttachmentViewer, {
      props: { packetId: 'p', number: '2027-ZX06-000001', attachment: { name: '技术路线图.png', sha256: sha, size: 2048, media_type: 'image/png' } },
      global: { plugins: [ElementPlus, i18n] },
      attachTo: document.body,
    })
    await flushPromises()
    const box = document.querySelector('[data-testid="viewer-no-preview"]')
    expect(box?.textContent).toContain('技术路线图.png')
    expect(box?.textContent).toContain('2.0 KB')
    expect(document.querySelector('[data-testid="viewer-hash"]')?.textContent?.replace(/\s/g, '')).toBe(sha)
    expect(asked).toEqual([])
    w.unmount()
  })

  it('shows the refusal of a PDF it may no longer read', async () => {
    const { default: AttachmentViewer } = await import('../src/components/review/AttachmentViewer.vue')
    const { i18n } = await import('../src/i18n')
    const w = mount(AttachmentViewer, {
      props: { packetId: 'p', number: '2027-ZX06-000001', attachment: { name: 'a.pdf', sha256: 'cd'.repeat(32), size: 10, media_type: 'application/pdf' } },
      global: { plugins: [ElementPlus, i18n] },
      attachTo: document.body,
    })
    await flushPromises()
    expect(asked).toEqual([['p', '2027-ZX06-000001', 'cd'.repeat(32)]])
    expect(document.querySelector('[data-testid="viewer-error"]')?.textContent).toContain('已回避')
    w.unmount()
  })
})

describe('what pdf.js is given', () => {
  it('points at the character maps and standard fonts beside the page, packed, fetched on the main thread', async () => {
    const { documentOptions } = await import('../src/pdfView')
    const bytes = new Uint8Array([37, 80, 68, 70])
    const o = documentOptions(bytes, 'tauri://localhost/index.html#/review')
    expect(o.data).toBe(bytes)
    expect(o.cMapUrl).toBe('tauri://localhost/pdfjs/cmaps/')
    expect(o.standardFontDataUrl).toBe('tauri://localhost/pdfjs/standard_fonts/')
    expect(o.cMapPacked).toBe(true)
    expect(o.useWorkerFetch).toBe(false)
  })
})
