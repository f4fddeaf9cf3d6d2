import { describe, expect, it } from 'vitest'
import { charCount, domToSpans, normalizeSpans, spansToHtml, textToParagraphs } from '../src/richText'
import type { RichText, Span } from '../src/bindings'

const dom = (html: string) => {
  const d = document.createElement('div')
  d.innerHTML = html
  return d
}

describe('restricted rich text', () => {
  it('reads the four marks back from the HTML it writes', () => {
    const spans: Span[] = [
      { text: '面积约 1.2×10' },
      { text: '4', script: 'super' },
      { text: ' km，CO' },
      { text: '2', script: 'sub' },
      { text: ' 排放' },
      { text: '关键', bold: true },
      { text: 'in situ', italic: true },
      { text: '<不是标签>' },
    ]
    expect(domToSpans(dom(spansToHtml(spans)))).toEqual(spans)
  })

  it('keeps only bold, italic, super- and subscript from pasted HTML', () => {
    const pasted = dom(
      '<span style="font-family: SimSun; color: red">红色</span><strong>粗</strong><em>斜</em>' +
        '<a href="x">链接</a><span style="font-weight: 700">也粗</span><br>下一行<script>alert(1)</script>',
    )
    expect(domToSpans(pasted)).toEqual([
      { text: '红色' },
      { text: '粗', bold: true },
      { text: '斜', italic: true },
      { text: '链接' },
      { text: '也粗', bold: true },
      { text: ' 下一行' },
    ])
  })

  it('merges runs with the same marks and drops a trailing blank run', () => {
    expect(normalizeSpans([{ text: 'a' }, { text: 'b' }, { text: 'c', bold: true }, { text: ' ' }])).toEqual([
      { text: 'ab' },
      { text: 'c', bold: true },
    ])
  })

  it('counts characters without whitespace, a character outside the BMP as one', () => {
    const t: RichText = {
      blocks: [
        { type: 'paragraph', spans: [{ text: '𬌗 齿 ab' }] },
        { type: 'list', ordered: false, items: [[{ text: '一 二' }]] },
        { type: 'table', rows: [[[{ text: '格' }], [{ text: '子' }]]] },
        { type: 'image', sha256: 'x', caption: [{ text: '图 1' }] },
      ],
    }
    expect(charCount(t)).toBe(4 + 2 + 2 + 2)
  })

  it('turns pasted plain text into one paragraph per non-empty line', () => {
    expect(textToParagraphs('第一段\r\n\r\n 第二段 \n')).toEqual([
      { type: 'paragraph', spans: [{ text: '第一段' }] },
      { type: 'paragraph', spans: [{ text: '第二段' }] },
    ])
  })
})
