// End-to-end: an expert scores in the real window and the office ranks in another.
// Prepared with the `lixiang` command (separate workspaces exchanging real packages): the office
// publishes the ZX06 demo call, an institute submits, the office accepts it, imports 12 sample experts and
// assigns one expert to the application (k = 1: the only outside-Xizang industry user); the expert's key
// card is attached and the packet exported. In the expert's window the packet is imported through the
// import button (the office's fingerprint confirmed), the application is read beside the sheet, the scores
// are typed (the band text follows), the sheet is sealed after the confirmation and its receipt shown, and
// the return is saved through the save dialog. The office imports the return; in its window the ranking
// shows the item with the expert's total, and the receipt the office holds is the one the expert saw.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { answerFileDialog, fakeViewer, withUnlockedApp, driverForFile, lixiang, confirmSender } from './webdriver.mjs'

// Before the driver starts: the app inherits the PATH with the stand-in viewer first.
const viewer = fakeViewer()
driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-review-'))
const dirs = { office: join(root, 'office'), institute: join(root, 'institute'), expert: join(root, 'expert') }
const PASS = { office: 'office passphrase 2027', institute: 'institute passphrase 2027', expert: 'expert passphrase 2027' }
const cli = (who, ...args) => lixiang(dirs[who], PASS[who], ...args)
const input = (id) => `input[data-testid="${id}"], [data-testid="${id}"] input, textarea[data-testid="${id}"], [data-testid="${id}"] textarea`

let callCode
let number
let packetFile
let officeFingerprint
let returnFile
let receipt
let total

const withApp = (who, name, body) => withUnlockedApp(dirs[who], PASS[who], name, body)

before(() => {
  const o = JSON.parse(cli('office', 'init', '--role', 'office', '--name', '西藏自治区科学技术厅', '--json'))
  officeFingerprint = o.fingerprint
  callCode = JSON.parse(cli('office', 'call', 'create', '--demo', 'ZX06', '--json')).code
  cli('office', 'call', 'publish', callCode)
  const callPkg = join(root, 'call.lxpkg')
  cli('office', 'call', 'export', callCode, '--out', callPkg)

  const i = JSON.parse(cli('institute', 'init', '--role', 'applicant', '--name', '西藏自治区农牧科学院', '--json'))
  cli('institute', 'package', 'import', callPkg, '--trust-fingerprint', o.fingerprint)
  const opensAt = JSON.parse(cli('institute', 'call', 'show', callCode)).opens_at
  const id = JSON.parse(cli('institute', 'application', 'new', '--demo', '--json', '--call', callCode)).id
  const sub = join(root, 'submission.lxpkg')
  cli('institute', 'application', 'submit', id, '--at', opensAt, '--out', sub)
  cli('office', 'package', 'import', sub, '--trust-fingerprint', i.fingerprint)
  number = JSON.parse(cli('office', 'application', 'received', '--json')).applications[0].number
  cli('office', 'check', number, '--decide', 'accept', '--at', opensAt, '--out', join(root, 'result.lxpkg'))

  const sheet = join(root, 'experts.xlsx')
  cli('office', 'expert', 'template', '--out', sheet, '--sample', '12')
  cli('office', 'expert', 'import', '--confirm', sheet)
  const run = JSON.parse(cli('office', 'assign', '--call', callCode, '--round', '1', '--per-item', '1', '--json')).run
  assert.equal(run.outcome.status, 'assigned')
  const chosen = run.outcome.pairs[0].expert

  const e = JSON.parse(cli('expert', 'init', '--role', 'expert', '--name', '甘肃高原种业专家', '--json'))
  const card = join(root, 'expert-card.lxpkg')
  cli('expert', 'key', 'export', '--out', card)
  cli('office', 'package', 'import', card, '--trust-fingerprint', e.fingerprint)
  cli('office', 'expert', 'key', chosen, '--key', JSON.parse(cli('expert', 'key', 'show', '--json')).key_id)
  const written = JSON.parse(cli('office', 'packet', 'export', '--call', callCode, '--round', '1', '--expert', chosen, '--out', join(root, 'packet.lxpkg'), '--json'))
  assert.equal(written.packets.length, 1)
  packetFile = written.packets[0].path
})

test('the expert imports the packet, reads the application, scores, seals and returns it in the window', async () => {
  returnFile = join(root, 'return.lxpkg')
  await withApp('expert', 'review-expert', async (s) => {
    await s.click(await s.find('[data-testid="nav-review"]'))
    await s.find('[data-testid="review-empty"]')
    await s.click(await s.find('[data-testid="topbar-import"]'))
    await answerFileDialog(s, '选择要导入的文件包', packetFile)
    const shown = await s.waitFor('the trust dialog', async () => {
      const g = await s.texts('[data-testid="trust-fingerprint"] [data-testid="fp-group"]')
      return g.length === 6 ? g : null
    }, 30000)
    assert.deepEqual(shown, officeFingerprint.split(' '), 'the office fingerprint to compare')
    await confirmSender(s)

    // The packet's one application: read beside its sheet.
    await s.click(await s.find('[data-testid="nav-contacts"]'))
    await s.click(await s.find('[data-testid="nav-review"]'))
    await s.find(`[data-testid="review-item-${number}"]`, 30000)
    const title = await s.waitFor('the application', async () => (await s.texts('[data-testid="reading-title"]'))[0], 30000)
    assert.ok(title.length > 4, title)
    assert.match((await s.texts('[data-testid="reading-applicant"]'))[0], /示例/)
    assert.equal((await s.texts('[data-testid="sheet-status"]'))[0], '待评')

    // Scores typed per criterion: each at its maximum less 2 (half a point off the first).
    const criteria = await s.execute(
      `return [...document.querySelectorAll('[data-testid^="score-"]')].map((e) => e.dataset.testid.slice(6)).filter((v, i, a) => a.indexOf(v) === i)`,
    )
    assert.ok(criteria.length >= 3, `criteria: ${criteria}`)
    const maxes = await s.execute(
      `return [...document.querySelectorAll('.criterion .max')].map((e) => Number(e.textContent.match(/(\\d+) 分/)[1]))`,
    )
    total = 0
    for (const [i, c] of criteria.entries()) {
      const v = maxes[i] - 2 - (i === 0 ? 0.5 : 0)
      total += v
      const field = await s.find(input(`score-${c}`))
      await s.clear(field)
      await s.type(field, String(v))
    }
    // The band of the typed score is shown under it.
    await s.waitFor('the band text', async () => ((await s.texts(`[data-testid="band-${criteria[0]}"]`))[0] ?? '').includes('：'))
    await s.type(await s.find(input('sheet-strengths')), '技术路线清晰，示范基础好')
    await s.type(await s.find(input('sheet-weaknesses')), '推广规模偏小')
    await s.click(await s.find('[data-testid="grade-B"]'))
    await s.waitFor('the total and no problem left', async () => {
      const t = (await s.texts('[data-testid="sheet-total"]'))[0] ?? ''
      return t.includes(String(total)) && (await s.findAll('[data-testid="sheet-problems"]')).length === 0
    }, 15000)

    await s.clickSettled('[data-testid="sheet-seal"]')
    await s.clickSettled('.el-message-box__btns .el-button--primary')
    const hash = await s.waitFor('the receipt', async () => {
      const h = (await s.texts('[data-testid="seal-receipt-hash"]'))[0]
      return h && h.replace(/\s/g, '').length === 64 ? h.replace(/\s/g, '') : null
    }, 15000)
    receipt = hash
    await s.screenshot('review-sealed')
    await s.clickSettled('[data-testid="seal-receipt-ok"]')
    await s.waitFor('the sealed status', async () => (await s.texts('[data-testid="sheet-status"]'))[0] === '已封存')

    // The sealed sheet printed: the PDF carries the receipt the window showed.
    const sheetPdf = join(root, 'sheet.pdf')
    await s.clickSettled('[data-testid="sheet-print"]')
    await answerFileDialog(s, '保存评分表 PDF', sheetPdf, { save: true })
    await s.waitFor('the PDF', async () => existsSync(sheetPdf), 30000)
    const printed = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', sheetPdf, '-'], { encoding: 'utf8' })
    assert.ok(printed.replace(/\s/g, '').includes(receipt), `the receipt is on the printed sheet:\n${printed}`)
    await s.waitFor('the viewer opened the sheet', () => viewer.opened().includes(sheetPdf), 15000)
    assert.deepEqual(viewer.opened(), [sheetPdf])

    await s.clickSettled('[data-testid="review-return"]')
    await answerFileDialog(s, '保存评审结果文件包', returnFile, { save: true })
    await s.waitFor('the return written', async () => (await s.findAll('[data-testid="review-unsent"]')).length === 0, 30000)

    // The paper score-sheet template of the packet, through the save dialog: a real xlsx.
    const paper = join(root, 'paper.xlsx')
    await s.clickSettled('[data-testid="paper-template"]')
    await answerFileDialog(s, '保存纸质评分表', paper, { save: true })
    await s.waitFor('the template', async () => existsSync(paper), 30000)
    assert.equal(readFileSync(paper).subarray(0, 2).toString(), 'PK')
  })
  assert.ok(existsSync(returnFile), 'the return was saved where the dialog said')
  const shown = JSON.parse(cli('expert', 'review', 'list', '--json')).packets[0]
  assert.equal(shown.sealed, 1)
})

test('the office imports the return and ranks the round in the window with the receipt the expert saw', async () => {
  assert.ok(receipt, 'the expert test ran first')
  cli('office', 'package', 'import', returnFile)
  const received = execFileSync('sqlite3', [join(dirs.office, 'lixiang.db'), 'SELECT receipt_sha256 FROM review_sheet_received'], { encoding: 'utf8' }).trim()
  assert.equal(received, receipt, 'the office holds the sheet the expert sealed')

  await withApp('office', 'review-office', async (s) => {
    await s.click(await s.find('[data-testid="nav-results"]'))
    await s.clickSettled('[data-testid="results-refresh"]')
    const progress = await s.waitFor('the progress', async () => (await s.texts('[data-testid="results-progress"]'))[0], 30000)
    assert.match(progress, /已收评分表 1\/1/)
    const mean = await s.waitFor('the ranking', async () => (await s.texts('[data-testid="rank-mean"]'))[0], 30000)
    assert.equal(Number(mean), total, 'the mean of one sheet is its total')
    await s.screenshot('review-ranking')
    // The ranking workbook through the save dialog: a real xlsx (a zip) where the dialog said.
    const book = join(root, 'ranking.xlsx')
    await s.clickSettled('[data-testid="ranking-export"]')
    await answerFileDialog(s, '保存排名表', book, { save: true })
    await s.waitFor('the workbook', async () => existsSync(book), 30000)
    assert.equal(readFileSync(book).subarray(0, 2).toString(), 'PK')
    // The ranking report (PDF with its charts, drawn in Rust) through the save dialog.
    const report = join(root, 'ranking.pdf')
    await s.clickSettled('[data-testid="ranking-report"]')
    await answerFileDialog(s, '保存排名报告', report, { save: true })
    await s.waitFor('the ranking report', async () => existsSync(report) && readFileSync(report).length > 1000, 60000)
    const reportText = execFileSync('pdftotext', ['-layout', report, '-'], { encoding: 'utf8' })
    assert.ok(reportText.includes(number) && reportText.includes('专家评分尺度'), reportText)

    // 立项决定: the recommendation list from the funding line, then the 公示 (the final decision waits for it).
    await s.clickSettled('[data-testid="decisions-recommend"]')
    const listed = await s.waitFor('the recommendation list', async () => {
      const rows = await s.texts('[data-testid="decisions-table"] .el-table__body tr')
      return rows.length ? rows : null
    }, 30000)
    assert.ok(listed[0].includes(number), listed[0])
    await s.clickSettled('[data-testid="decisions-publicity"]')
    const dates = await s.waitFor('the notice period', async () => (await s.texts('[data-testid="decisions-publicity-dates"]'))[0], 30000)
    assert.match(dates, /^公示期：\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}$/)
    await s.screenshot('review-decisions')
    // The 公示 notice as PDF through the save dialog: the listed item's number in its text.
    const notice = join(root, 'notice.pdf')
    await s.clickSettled('[data-testid="export-publicity-pdf"]')
    await answerFileDialog(s, '保存公示名单', notice, { save: true })
    await s.waitFor('the notice', async () => existsSync(notice) && readFileSync(notice).length > 1000, 60000)
    const text = execFileSync('pdftotext', ['-layout', notice, '-'], { encoding: 'utf8' })
    assert.ok(text.includes(number) && text.includes('拟立项项目公示'), text)
    // Each export was handed to the system's viewer: exactly the saved paths, in order.
    await s.waitFor('the viewer opened the notice', () => viewer.opened().includes(notice), 15000)
    assert.deepEqual(viewer.opened().slice(-3), [book, report, notice])
  })
})
