// End-to-end: the office's list (申报受理) over more applications than its first page. A workspace seeded
// with 640 received applications by `lixiang bench list --keep` (the list benchmark's synthetic office) is
// opened in the real window: the count shows all 640 while the table holds the first page of 100; scrolled
// to its end the table fetches the next page (500), and once more the rest; a search then starts again from
// its own first page with its own count, which the command line's list agrees with.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDriver, withApp, CLI } from './webdriver.mjs'

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-pages-'))
const office = join(root, 'office')
const SEEDED = 640

let driver
before(async () => {
  execFileSync(CLI, ['bench', 'list', '--count', String(SEEDED), '--runs', '1', '--keep', office], { stdio: 'ignore' })
  driver = await startDriver()
})
after(() => driver?.stop())

const loaded = (s) => s.execute('return Number(document.querySelector(\'[data-testid="received-rows"]\')?.dataset.loaded ?? -1)')
const count = async (s) => (await s.texts('[data-testid="received-count"]'))[0] ?? ''
/** Scrolls the table to its end with the mouse wheel: the virtual grid listens for wheel events on its window, the wrapper's first child. */
const scrollToEnd = (s) =>
  s.execute(`const body = document.querySelector('[data-testid="received-table"] .el-table-v2__main .el-table-v2__body > :first-child')
    body.dispatchEvent(new WheelEvent('wheel', { deltaY: 1e6, bubbles: true, cancelable: true }))`)

test('the list shows the whole count and fetches further pages as the table is scrolled to its end', async () => {
  const searched = JSON.parse(execFileSync(CLI, ['--data-dir', office, 'application', 'received', '--search', '牦牛', '--json']).toString())
  await withApp(office, 'received-pages', async (s) => {
    await s.execute('location.hash = "#/received"')
    await s.waitFor('the whole count', async () => (await count(s)).includes(String(SEEDED)), 30000)
    assert.equal(await loaded(s), 100, 'the first page only')
    await scrollToEnd(s)
    await s.waitFor('the second page', async () => (await loaded(s)) === 600, 15000)
    await scrollToEnd(s)
    await s.waitFor('the rest', async () => (await loaded(s)) === SEEDED, 15000)
    assert.ok((await count(s)).includes(String(SEEDED)), 'the count stays the list’s total')

    const field = await s.find('input[data-testid="received-search"], [data-testid="received-search"] input')
    await s.type(field, '牦牛')
    const n = searched.applications.length
    await s.waitFor('the search’s count', async () => (await count(s)).includes(`${n} `), 15000)
    assert.equal(await loaded(s), Math.min(n, 100), 'a new query starts from its own first page')
  })
})
