// End-to-end: the catalog saved as PDF from the real window. The button opens the system's (GTK) save
// dialog, which WebDriver cannot reach, so the test types the path into it as a person would (xdotool on
// the same X display), then reads the written PDF back with pdftotext and pdffonts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Session, driverForFile } from './webdriver.mjs'

driverForFile()

const xdotool = (...args) => execFileSync('xdotool', args, { encoding: 'utf8' }).trim()

/** The X window ids whose title is `title` (none yet: empty). */
function windowsNamed(title) {
  try {
    return xdotool('search', '--name', `^${title}$`).split('\n').filter(Boolean)
  } catch {
    return [] // xdotool exits 1 when nothing matches
  }
}

test('保存目录 PDF: the save dialog writes the catalog PDF with every programme, fonts embedded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lixiang-e2e-pdf-'))
  const out = join(dir, 'catalog-e2e.pdf')
  const s = await Session.open(['--data-dir', join(dir, 'workspace')])
  try {
    await s.waitFor('the programme list', async () => (await s.findAll('[data-testid="programme-item"]')).length === 8)
    const [button] = await s.findAll('[data-testid="export-pdf"]')
    await s.click(button)

    const [dialog] = await s.waitFor('the save dialog', async () => {
      const w = windowsNamed('保存目录 PDF')
      return w.length ? w : null
    })
    // The name field has the focus inside the dialog; a full path typed there is where GTK saves.
    // Xvfb runs no window manager, so the dialog is given the X input focus directly (not "activated"),
    // and the keys go through XTEST like a keyboard's.
    await new Promise((r) => setTimeout(r, 500))
    xdotool('windowfocus', '--sync', dialog)
    xdotool('key', 'ctrl+a')
    xdotool('type', '--delay', '20', out)
    xdotool('key', 'Return')

    const message = await s.waitFor('the saved message', async () => {
      const m = await s.texts('.el-message')
      return m.find((t) => t.includes(out)) ?? null
    }, 60000)
    assert.match(message, /已保存 .*catalog-e2e\.pdf（\d+ 页）/)
  } catch (e) {
    const shot = await s.screenshot('catalog-pdf')
    if (shot) e.message += `\n(screenshot: ${shot})`
    throw e
  } finally {
    await s.close()
  }

  assert.ok(existsSync(out), `the PDF is at ${out}`)
  const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' })
  for (const name of ['平安西藏专项', '现代农牧业专项', '藏文化传承保护专项', '矿产资源专项']) {
    assert.ok(text.includes(name), `the PDF names ${name}`)
  }
  assert.match(text, /培育作物和畜牧新品种（系）/)
  const fonts = execFileSync('pdffonts', [out], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean)
  assert.ok(fonts.length > 0, 'the PDF lists its fonts')
  for (const line of fonts) assert.match(line, /\byes\s+yes\b/, `font embedded and subset: ${line}`)
})
