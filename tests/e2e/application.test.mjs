// End-to-end: an application prepared in the real window and received by the office in another.
// The office (made with the `lixiang` command) publishes a 现代农牧业 call open around today and exports
// it; the institute imports it and starts from the demo draft. In the institute's window the test types a
// Chinese title with 𬌗 and a paragraph into a long section, changes a budget cell and the funding asked and
// sees the totals follow, replaces a required attachment through the system's open dialog (the hash shown is
// the file's), then submits: the summary shows the version hash and the package is saved through the save
// dialog. In the office's window the package is imported through the import button (the institute's
// fingerprint confirmed) and the application is in the received list with the same hash.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { answerFileDialog, chooseOption, Session, withUnlockedApp, typeAsKeyboard, driverForFile, input, lixiang, confirmSender } from './webdriver.mjs'

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-application-'))
const dirs = { scratch: join(root, 'scratch'), office: join(root, 'office'), institute: join(root, 'institute') }
const PASS = { office: 'office passphrase 2027', institute: 'institute passphrase 2027' }
const TITLE = '高原青稞𬌗齿病害绿色防控技术研究'
const PARAGRAPH = '青稞是西藏第一大粮食作物，𬌗齿病害年损失约一成。'

const cli = (who, ...args) => lixiang(dirs[who], PASS[who] ?? 'scratch passphrase', ...args)
/** A resident ID number (GB 11643) from its division, birth date and sequence, with its check character. */
const idNumber = (division, birth, seq) => {
  const body = `${division}${birth}${seq}`
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0)
  return body + '10X98765432'[sum % 11]
}
/**
 * Opens the Element Plus select at `wrapper` and picks `text`. A click that lands while a dialog is still sliding
 * in does not open the list, so the click is tried again until the list shows.
 */
async function openAndChoose(s, wrapper, text) {
  const anyOpen = () => s.execute('return [...document.querySelectorAll(".el-select-dropdown__item")].some((e) => e.offsetParent)')
  for (let attempt = 1; ; attempt++) {
    await s.click(await s.find(wrapper))
    const open = await s.waitFor(`the list at ${wrapper}`, anyOpen, 2000).catch(() => false)
    if (open) break
    if (attempt === 5) throw new Error(`the list at ${wrapper} did not open after ${attempt} clicks`)
  }
  await chooseOption(s, text)
}
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex')
/** A moment `days` from now as calls write it, in +08:00. */
const moment = (days) => new Date(Date.now() + days * 86400e3 + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00'
/** "1,234.5600" → 12345600 (fen / 100: exact integers for comparing). */
const wanUnits = (text) => Math.round(Number(String(text).replace(/[,\s万元]/g, '')) * 10000)

let callCode
let submissionFile
let sealedHash
let instituteFingerprint

const withApp = (who, name, body) => withUnlockedApp(dirs[who], PASS[who], name, body)

before(() => {
  // The demo 现代农牧业 call, open from yesterday for a month whatever day the test runs.
  cli('scratch', 'init', '--role', 'office', '--name', '草稿')
  cli('scratch', 'call', 'create', '--demo', 'ZX06')
  const demo = JSON.parse(cli('scratch', 'call', 'show', '2027-ZX06-01', '--json'))
  demo.opens_at = moment(-1)
  demo.closes_at = moment(30)
  const callJson = join(root, 'call.json')
  writeFileSync(callJson, JSON.stringify(demo))
  callCode = demo.code

  cli('office', 'init', '--role', 'office', '--name', '西藏自治区科学技术厅')
  cli('office', 'call', 'create', '--from', callJson)
  cli('office', 'call', 'publish', callCode)
  const callPkg = join(root, 'call.lxpkg')
  cli('office', 'call', 'export', callCode, '--out', callPkg)
  const office = JSON.parse(cli('office', 'key', 'show', '--json'))

  cli('institute', 'init', '--role', 'applicant', '--name', '西藏自治区农牧科学院')
  cli('institute', 'package', 'import', callPkg, '--trust-fingerprint', office.fingerprint)
  cli('institute', 'application', 'new', '--call', callCode, '--demo')
  instituteFingerprint = JSON.parse(cli('institute', 'key', 'show', '--json')).fingerprint
})

test('the institute fills, attaches and submits an application in the window; the hash is the sealed one', async () => {
  const attachment = join(root, 'signed-pages.pdf')
  writeFileSync(attachment, '%PDF-1.7\n% e2e signed pages\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
  submissionFile = join(root, 'submission.lxpkg')

  await withApp('institute', 'application-editor', async (s) => {
    await s.click(await s.find('[data-testid="nav-applications"]'))
    await s.click(await s.find('[data-testid="app-open"]'))
    await s.find('[data-testid="section-list"]', 30000)

    // 基本信息: the title, typed.
    const title = await s.find(input('basic-title'))
    await s.clear(title)
    await typeAsKeyboard(s, title, TITLE)
    // The X events are still being delivered when xdotool returns: wait for the last one.
    await s.waitFor('the whole title', async () => (await s.property(title, 'value')) === TITLE, 5000).catch(() => {})
    assert.equal(await s.property(title, 'value'), TITLE, 'the title reads back exactly, 𬌗 included')
    await s.waitFor('the heading to follow', async () => (await s.texts('[data-testid="editor-title"]'))[0] === TITLE)

    // 项目组成员: a birth date that is no date is marked on its own field, in red, with what is wrong under
    // it; typed back, the mark goes.
    await s.click(await s.find('[data-testid="section-team"]'))
    const birth = await s.find(input('team-0-birth_date'), 15000)
    const birthBefore = await s.property(birth, 'value')
    await s.clear(birth)
    await s.type(birth, '1985-13-01')
    // The check may first run on the emptied field (请填写…): wait for the one on the date typed.
    await s.waitFor('the problem of 1985-13-01 beside the field', async () =>
      /1985-13-01/.test((await s.texts('[data-testid="team-0-birth_date-error"]'))[0] ?? ''), 15000)
    const outline = (id) =>
      s.execute(`return getComputedStyle(document.querySelector('[data-testid="${id}"]').closest('.el-input').querySelector('.el-input__wrapper')).boxShadow`)
    // Element's danger red (#f56c6c), once the outline's colour transition has run.
    const isRed = (v) => /rgb\(245, 108, 108\)/.test(v) && /inset/.test(v)
    let red = ''
    await s.waitFor('the red outline', async () => isRed((red = await outline('team-0-birth_date'))), 5000).catch(() => {})
    assert.ok(isRed(red), `outlined in red: ${red}`)
    const plain = await outline('team-0-name')
    assert.doesNotMatch(plain, /rgb\(245, 108, 108\)/, `the name beside it is not: ${plain}`)
    await s.clear(birth)
    await s.type(birth, birthBefore)
    await s.waitFor('the mark gone', async () => (await s.findAll('[data-testid="team-0-birth_date-error"]')).length === 0, 15000)

    // A long section: a new paragraph typed at the end.
    await s.click(await s.find('[data-testid="section-rationale"]'))
    const countBefore = (await s.texts('[data-testid="rt-rationale-count"]'))[0]
    await s.click(await s.find('[data-testid="rt-rationale-add-paragraph"]'))
    const blocks = await s.findAll('[data-testid^="rt-rationale-block-"] .rt-editable')
    await typeAsKeyboard(s, blocks[blocks.length - 1], PARAGRAPH)
    await s.waitFor('the count to grow', async () => (await s.texts('[data-testid="rt-rationale-count"]'))[0] !== countBefore)

    // 经费预算: one more 万元 of self-raised funds in a cell and in the funding asked (the fiscal part is
    // at the call's limit already); the grand total follows.
    await s.click(await s.find('[data-testid="section-budget"]'))
    const grandBefore = wanUnits((await s.texts('[data-testid="budget-total-grand"]'))[0])
    const cell = await s.find('input[data-testid^="budget-cell-"][data-testid$="-self_raised"], [data-testid^="budget-cell-"][data-testid$="-self_raised"] input')
    const cellBefore = Number((await s.property(cell, 'value')) || 0)
    await s.clear(cell)
    await s.type(cell, String(cellBefore + 1))
    const requested = await s.find(input('budget-requested-self_raised'))
    const requestedBefore = Number((await s.property(requested, 'value')) || 0)
    await s.clear(requested)
    await s.type(requested, String(requestedBefore + 1))
    await s.waitFor('the grand total to grow by 1 万元', async () =>
      wanUnits((await s.texts('[data-testid="budget-total-grand"]'))[0]) === grandBefore + 10000, 15000)

    // 附件: the signed pages replaced by a file chosen in the open dialog.
    await s.click(await s.find('[data-testid="section-attachments"]'))
    const rule = 'signed_pages'
    await s.find(`[data-testid="att-rule-${rule}"]`)
    const removeButtons = await s.findAll(`[data-testid="att-rule-${rule}"] [data-testid="att-file"] button`)
    for (const b of removeButtons.reverse()) await s.click(b)
    await s.click(await s.find(`[data-testid="att-add-${rule}"]`))
    await answerFileDialog(s, '选择附件文件', attachment)
    const hash = await s.waitFor('the attached file', async () => {
      const h = await s.texts(`[data-testid="att-rule-${rule}"] [data-testid="att-file-hash"]`)
      return h.length === 1 ? h[0] : null
    }, 30000)
    assert.equal(hash, sha256(attachment), 'the hash shown is the file’s SHA-256')

    // Saved and clean.
    await s.waitFor('no errors', async () => (await s.texts('[data-testid="problem-count"]'))[0] === '无错误', 15000)
    await s.waitFor('saved', async () => /^已保存/.test((await s.texts('[data-testid="save-state"]'))[0] ?? ''), 15000)
    await s.screenshot('application-editor')

    // Print the 申报书 through the save dialog: the PDF has the typed title and the 公章 box.
    const printed = join(root, 'application.pdf')
    await s.click(await s.find('[data-testid="editor-print"]'))
    await answerFileDialog(s, '保存申报书 PDF', printed, { save: true })
    await s.waitFor('the PDF', async () => existsSync(printed), 60000)
    await new Promise((r) => setTimeout(r, 500))
    const text = execFileSync('pdftotext', ['-layout', printed, '-'], { encoding: 'utf8' })
    assert.ok(text.replace(/\s/g, '').includes(TITLE), 'the printed title is the typed one, 𬌗 included')
    assert.match(text, /公章/)

    // Submit: the summary's hash, then the package through the save dialog.
    await s.click(await s.find('[data-testid="editor-submit"]'))
    const previewHash = await s.waitFor('the summary', async () =>
      s.execute('const e = document.querySelector(\'[data-testid="preview-hash"]\'); return e && e.dataset.hash'), 15000)
    assert.match(previewHash, /^[0-9a-f]{64}$/)
    await s.clickSettled('[data-testid="submit-confirm"]')
    await answerFileDialog(s, '保存申报文件包', submissionFile, { save: true })
    sealedHash = await s.waitFor('the sealed version', async () =>
      s.execute('const e = document.querySelector(\'[data-testid="submitted-hash"]\'); return e && e.dataset.hash'), 30000)
    assert.equal(sealedHash, previewHash, 'the sealed version has the hash the summary showed')
    await s.screenshot('application-submitted')
  })

  assert.ok(existsSync(submissionFile), 'the package was saved where the dialog said')
  // The command line reads the same workspace: one version, this hash, this title.
  const status = JSON.parse(cli('institute', 'application', 'list', '--json'))
  const draft = status.applications.find((d) => d.title === TITLE)
  assert.ok(draft, `the saved draft has the typed title: ${JSON.stringify(status)}`)
})

test('the office imports the package through the import button and sees it in the received list', async () => {
  assert.ok(sealedHash, 'the submission test ran first')
  await withApp('office', 'application-received', async (s) => {
    await s.click(await s.find('[data-testid="topbar-import"]'))
    await answerFileDialog(s, '选择要导入的文件包', submissionFile)
    const shown = await s.waitFor('the trust dialog', async () => {
      const g = await s.texts('[data-testid="trust-fingerprint"] [data-testid="fp-group"]')
      return g.length === 6 ? g : null
    }, 30000)
    assert.deepEqual(shown, instituteFingerprint.split(' '))
    await confirmSender(s)

    await s.click(await s.find('[data-testid="nav-received"]'))
    const row = await s.waitFor('the received application', async () => {
      const titles = await s.texts('[data-testid="received-title"]')
      return titles.includes(TITLE) ? titles : null
    }, 30000)
    assert.equal(row.length, 1)
    const hash = await s.execute('return document.querySelector(\'[data-testid="received-hash"]\').dataset.hash')
    assert.equal(hash, sealedHash, 'the office sees the hash the institute saw')

    // Search: a two-character word, pinyin initials, and a word that is nowhere.
    const search = await s.find(input('received-search'))
    const titlesFor = async (text, n) => {
      await s.clear(search)
      await s.type(search, text)
      return s.waitFor(`${n} row(s) for “${text}”`, async () => {
        const titles = await s.texts('[data-testid="received-title"]')
        return titles.length === n ? titles : null
      })
    }
    assert.deepEqual(await titlesFor('青稞', 1), [TITLE])
    assert.deepEqual(await titlesFor('gyqk', 1), [TITLE], '高原青稞 by its pinyin initials')
    await titlesFor('牦牛', 0)
    await s.screenshot('application-received')
  })
  const received = JSON.parse(cli('office', 'application', 'received', '--json'))
  const list = received.applications ?? received
  assert.equal(list[0].sha256, sealedHash)
  assert.match(list[0].number, /^2027-ZX06-\d{6}$/)
})

test('the office accepts the application at formal check in the window, imports experts after the row-by-row report and assigns them', async () => {
  assert.ok(sealedHash, 'the submission test ran first')
  const number = JSON.parse(cli('office', 'application', 'received', '--json')).applications[0].number
  const result = join(root, 'result.lxpkg')
  const sheet = join(root, 'experts.xlsx')
  cli('office', 'expert', 'template', '--out', sheet, '--sample', '12')

  await withApp('office', 'experts-assignment', async (s) => {
    // 形式审查 in the window: the rule report, then 通过, recorded and sent as a result package.
    await s.click(await s.find('[data-testid="nav-received"]'))
    await s.click(await s.find('[data-testid="received-number"]'))
    const verdict = await s.waitFor('the rule report', async () => (await s.texts('[data-testid="formal-errors"]'))[0], 30000)
    assert.match(verdict, /未发现错误/)
    await s.clickSettled('[data-testid="formal-record"]')
    await answerFileDialog(s, '保存形式审查结果文件包', result, { save: true })
    await s.waitFor('the recorded decision', async () => /通过/.test((await s.texts('[data-testid="formal-recorded"]'))[0] ?? ''), 30000)
    await s.execute('document.querySelector(\'[data-testid="formal-panel"] .el-drawer__close-btn\')?.click()')
    await s.waitFor('the status in the list', async () => (await s.texts('[data-testid="received-status"]'))[0] === '形式审查通过', 15000)

    await s.click(await s.find('[data-testid="nav-experts"]'))
    await s.find('[data-testid="experts-empty"]')
    await s.click(await s.find('[data-testid="experts-import"]'))
    await answerFileDialog(s, '选择专家表格', sheet)
    // The report comes first; nothing is in the pool until it is confirmed.
    const rows = await s.waitFor('the report', async () => {
      const r = await s.texts('[data-testid="import-rows"] .el-table__body tr')
      return r.length === 12 ? r : null
    }, 30000)
    assert.match(rows[0], /扎西次仁/)
    assert.equal(JSON.parse(cli('office', 'expert', 'list', '--json')).experts.length, 0, 'nothing written before confirming')
    await s.clickSettled('[data-testid="import-confirm"]')
    const names = await s.waitFor('the pool', async () => {
      const n = await s.texts('[data-testid="expert-name"]')
      return n.length === 12 ? n : null
    }, 30000)
    assert.equal(names[0], '陈静', 'pinyin order: chen jing first')
    await s.screenshot('experts-pool')
    await s.execute('document.querySelector(\'[data-testid="import-report"] .el-dialog__headerbtn\')?.click()')

    await s.click(await s.find('[data-testid="nav-assignment"]'))
    await s.click(await s.find('[data-testid="assignment-run"]'))
    const summary = await s.waitFor('the assignment', async () => (await s.texts('[data-testid="assignment-summary"]'))[0], 30000)
    assert.match(summary, /已证明最优/)
    const assigned = await s.texts('[data-testid="assigned-expert"]')
    const k = Number(summary.match(/各分配 (\d+) 位/)[1])
    assert.equal(assigned.length, k, `${k} experts on the one item`)
    assert.ok(assigned.some((a) => a.includes('区外')), 'at least one expert from outside Xizang')
    // The sample experts share no unit, person or relation with the application: no 回避.
    await s.waitFor('the conflicts section', async () => (await s.texts('h3')).some((h) => h === '回避（0 项）'))
    await s.screenshot('assignment')

    // The officer removes the first expert, with a reason: the round is solved again without them.
    const removed = assigned[0]
    await s.clickSettled('[data-testid="pair-remove"]')
    await s.type(await s.find('.el-message-box__input input'), '该专家本轮出差，无法参评')
    await s.clickSettled('.el-message-box__btns .el-button--primary')
    const after = await s.waitFor('the assignment solved again', async () => {
      const now = await s.texts('[data-testid="assigned-expert"]')
      return now.length === k && !now.includes(removed) ? now : null
    }, 30000)
    assert.equal(after.length, k)

    // 手工录入: an expert who collaborated with a team member last year, typed in by hand. A bad credit code is
    // named under its field and nothing is added; corrected, the expert joins the pool.
    const sampleCode = JSON.parse(cli('office', 'expert', 'list', '--json')).experts.find((e) => e.unit.startsWith('中国农业大学'))
      .unit_credit_code
    await s.click(await s.find('[data-testid="nav-experts"]'))
    await s.clickSettled('[data-testid="experts-enter"]')
    await s.find('[data-testid="expert-entry"] .el-form-item', 15000)
    const field = async (header, text) => {
      const el = await s.find(`[data-field="${header}"] input, [data-field="${header}"] textarea`)
      await s.clear(el)
      await s.type(el, text)
    }
    const choose = (header, text) => openAndChoose(s, `[data-field="${header}"] .el-select__wrapper`, text)
    await field('姓名', '罗布')
    await choose('证件类型', '居民身份证')
    await field('证件号码', idNumber('110105', '19700304', '123'))
    await field('工作单位', '中国农业大学')
    await field('统一社会信用代码', '12110000ABCDEFGHIJ')
    await choose('单位类型', '高校')
    await choose('职称级别', '正高')
    await choose('专家类别', '技术')
    await field('学科代码', '21010')
    await field('申报关系', '合作:卓玛（示例）:2026:540102198503171232')
    await s.clickSettled('[data-testid="entry-save"]')
    const codeError = await s.waitFor('the credit code problem under its field', async () =>
      (await s.texts('[data-field="统一社会信用代码"] .el-form-item__error'))[0],
    )
    assert.match(codeError, /不是代码用字/)
    assert.equal(JSON.parse(cli('office', 'expert', 'list', '--json')).experts.length, 12, 'nothing added')
    await field('统一社会信用代码', sampleCode)
    await s.waitFor('the problem cleared as it is typed', async () =>
      (await s.texts('[data-field="统一社会信用代码"] .el-form-item__error')).length === 0,
    )
    await s.clickSettled('[data-testid="entry-save"]')
    await s.waitFor('the pool with the new expert', async () => (await s.texts('[data-testid="expert-name"]')).includes('罗布'), 30000)
    const added = JSON.parse(cli('office', 'expert', 'list', '--json')).experts.find((e) => e.name === '罗布')
    assert.equal(added.region, 'outside', 'the region from the unit’s division code, as a sheet row')

    // The collaboration is a soft conflict (默认回避): allowed by an override with a reason, then withdrawn.
    await s.click(await s.find('[data-testid="nav-assignment"]'))
    await s.click(await s.find('[data-testid="assignment-run"]'))
    await s.waitFor('the soft conflict', async () => (await s.texts('h3')).some((h) => h === '回避（1 项）'), 30000)
    const reasonBox = async (text) => {
      await s.type(await s.find('.el-message-box__input input'), text)
      await s.clickSettled('.el-message-box__btns .el-button--primary')
    }
    await s.clickSettled('[data-testid="conflict-override"]')
    await reasonBox('该方向区外专家仅此一位')
    const allowed = await s.waitFor('the override shown', async () => (await s.texts('[data-testid="conflict-overridden"]'))[0], 30000)
    assert.match(allowed, /已例外允许：该方向区外专家仅此一位/)
    // The same conflict in the matrix: one application × one expert, marked 允 (allowed by override).
    await s.click(await s.find('[data-testid="conflicts-as-matrix"]'))
    const cells = await s.waitFor('the matrix', async () => {
      const c = await s.texts('[data-testid="matrix-cell"]')
      return c.length ? c : null
    })
    assert.deepEqual(cells, ['允'])
    await s.click(await s.find('[data-testid="conflicts-as"] label:first-child'))
    await s.find('[data-testid="conflict-withdraw"]')
    await s.clickSettled('[data-testid="conflict-withdraw"]')
    await reasonBox('合作关系经核实，不宜评审')
    await s.waitFor('the override withdrawn', async () =>
      (await s.findAll('[data-testid="conflict-overridden"]')).length === 0 &&
      (await s.findAll('[data-testid="conflict-override"]')).length === 1,
    30000)
    await s.screenshot('assignment-override-withdrawn')

    // 分配设置: the collaboration window set to 4 years with a reason; the call's runs use it from now on.
    await s.clickSettled('[data-testid="assignment-settings-open"]')
    await openAndChoose(s, '[data-testid="assignment-settings"] .el-form-item .el-select__wrapper', '4 年')
    await s.type(await s.find(input('settings-reason')), '本批专家合作较多，按四年回避')
    await s.clickSettled('[data-testid="settings-save"]')
    await s.waitFor('the new settings shown', async () => /合作回避 4 年/.test((await s.texts('[data-testid="assignment-settings-summary"]'))[0] ?? ''), 30000)
  })
  // The run is in the audit chain, which still verifies.
  cli('office', 'audit', 'verify')
  const stored = JSON.parse(cli('office', 'assign', 'settings', '--call', callCode, '--json'))
  assert.equal(stored.settings.collaboration_years, 4, 'the window stored the call’s settings')
  // The institute imports the result the window wrote: its application is accepted, with its 申报编号.
  cli('institute', 'package', 'import', result)
  const mine = JSON.parse(cli('institute', 'application', 'list', '--json')).applications.find((a) => a.title === TITLE)
  const status = JSON.parse(cli('institute', 'application', 'status', mine.id, '--json'))
  assert.equal(status.state, 'accepted')
  assert.equal(status.number, number)
})

test('a draft saves itself: the app killed right after an edit reopens with the edit', async () => {
  const EDIT = '（第二版）'
  const s = await Session.open(['--data-dir', dirs.institute])
  try {
    await s.type(await s.find(input('unlock-passphrase'), 30000), PASS.institute)
    await s.click(await s.find('[data-testid="unlock-submit"]'))
    await s.click(await s.find('[data-testid="nav-applications"]'))
    await s.click(await s.find('[data-testid="app-open"]'))
    const name = await s.find(input('applicant-name'), 30000)
    await s.type(name, EDIT)
    await s.waitFor('the autosave', async () => /^已保存/.test((await s.texts('[data-testid="save-state"]'))[0] ?? ''), 15000)
    // No goodbye: the process is killed as a power cut would (by its pid: a pattern could also match
    // the WebDriver processes that started it).
    const pids = execFileSync('pgrep', ['-f', `lixiang-desktop --data-dir ${dirs.institute}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
    assert.equal(pids.length, 1, `one app process for the institute: ${pids}`)
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL')
  } finally {
    await s.close()
  }
  await withApp('institute', 'application-after-kill', async (s) => {
    await s.click(await s.find('[data-testid="nav-applications"]'))
    await s.click(await s.find('[data-testid="app-open"]'))
    const name = await s.find(input('applicant-name'), 30000)
    await s.waitFor('the draft', async () => (await s.property(name, 'value')).endsWith(EDIT), 15000)
  })
  // The database is whole after the kill.
  const check = execFileSync('sqlite3', [join(dirs.institute, 'lixiang.db'), 'PRAGMA integrity_check'], { encoding: 'utf8' })
  assert.equal(check.trim(), 'ok')
})
