// The appeal (申诉) against 不予受理 in the office's window: the application is refused at formal check (set
// up through the CLI, the institute's submission imported by the office), then in 形式审查 the officer logs
// the appeal (登记申诉…), grants it (申诉成立) with a reason, and — the decision buttons back — accepts the same
// version, saving the new result package through the save dialog. The institute imports both results by the
// CLI and shows the newest: accepted, after an appeal, with the granted appeal's answer. A second application,
// refused and appealed through the CLI, is upheld (维持原决定) in the window: the answer is saved through the
// save dialog and the institute's CLI import shows 维持原决定 with the reason, the refusal unchanged; the
// appeal's record names the answer's package and writes it again, byte for byte.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { answerFileDialog, withUnlockedApp, driverForFile, input, CLI, lixiang } from './webdriver.mjs'

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex')

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-appeal-'))
const dirs = { scratch: join(root, 'scratch'), office: join(root, 'office'), institute: join(root, 'institute') }
const PASS = { office: 'office passphrase 2027', institute: 'institute passphrase 2027' }
const cli = (who, ...args) => lixiang(dirs[who], PASS[who] ?? 'scratch passphrase', ...args)
const textarea = (id) => `textarea[data-testid="${id}"], [data-testid="${id}"] textarea`
/** A moment `days` from now as calls write it, in +08:00. */
const moment = (days) => new Date(Date.now() + days * 86400e3 + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00'

let number
let appId
const result1 = join(root, 'result-1.lxpkg')

before(() => {
  // The demo 现代农牧业 call, open from yesterday for a month whatever day the test runs.
  cli('scratch', 'init', '--role', 'office', '--name', '草稿')
  cli('scratch', 'call', 'create', '--demo', 'ZX06')
  const demo = JSON.parse(cli('scratch', 'call', 'show', '2027-ZX06-01', '--json'))
  demo.opens_at = moment(-1)
  demo.closes_at = moment(30)
  const callJson = join(root, 'call.json')
  writeFileSync(callJson, JSON.stringify(demo))

  cli('office', 'init', '--role', 'office', '--name', '西藏自治区科学技术厅')
  cli('office', 'call', 'create', '--from', callJson)
  cli('office', 'call', 'publish', demo.code)
  const callPkg = join(root, 'call.lxpkg')
  cli('office', 'call', 'export', demo.code, '--out', callPkg)
  const office = JSON.parse(cli('office', 'key', 'show', '--json'))
  cli('institute', 'init', '--role', 'applicant', '--name', '西藏自治区农牧科学院')
  cli('institute', 'package', 'import', callPkg, '--trust-fingerprint', office.fingerprint)
  appId = JSON.parse(cli('institute', 'application', 'new', '--call', demo.code, '--demo', '--json')).id
  const sub = join(root, 'submission.lxpkg')
  cli('institute', 'application', 'submit', appId, '--out', sub)
  const institute = JSON.parse(cli('institute', 'key', 'show', '--json'))
  cli('office', 'package', 'import', sub, '--trust-fingerprint', institute.fingerprint)
  number = JSON.parse(cli('office', 'application', 'received', '--json')).applications[0].number
  cli('office', 'check', number, '--decide', 'reject', '--reason', '缺少盖章的承诺书', '--out', result1)
})

test('the officer logs an appeal against 不予受理, grants it and accepts the same version in 形式审查', async () => {
  const result2 = join(root, 'result-2.lxpkg')
  await withUnlockedApp(dirs.office, PASS.office, 'appeal', async (s) => {
    await s.click(await s.find('[data-testid="nav-received"]'))
    await s.waitFor('the refused application', async () => (await s.texts('[data-testid="received-status"]'))[0] === '不予受理', 30000)
    await s.click(await s.find('[data-testid="received-number"]'))
    await s.waitFor('the recorded refusal', async () => /不予受理/.test((await s.texts('[data-testid="formal-recorded"]'))[0] ?? ''), 30000)
    assert.equal((await s.findAll('[data-testid="formal-record"]')).length, 0, 'no decision while the refusal stands')

    // 登记申诉…: who appealed and how, and what it says (received today, the default).
    await s.clickSettled('[data-testid="appeal-register"]')
    await s.type(await s.find(input('appeal-from')), '申报单位来函（挂号信）')
    await s.type(await s.find(textarea('appeal-body')), '承诺书已作为附件第 3 项提交，请复核')
    await s.clickSettled('[data-testid="appeal-record"]')
    await s.waitFor('the open appeal', async () => (await s.texts('[data-testid="appeal-status"]'))[0] === '待处理', 15000)
    assert.equal((await s.texts('[data-testid="appeal-text"]'))[0], '承诺书已作为附件第 3 项提交，请复核')

    // 申诉成立 with a reason: the decision buttons are back.
    await s.clickSettled('[data-testid="appeal-grant"]')
    await s.type(await s.find(textarea('appeal-resolve-reason')), '承诺书在附件中，原决定有误')
    await s.clickSettled('[data-testid="appeal-confirm"]')
    await s.waitFor('the granted appeal', async () => (await s.texts('[data-testid="appeal-status"]'))[0] === '申诉成立', 15000)
    await s.screenshot('appeal-granted')

    // The same version accepted: a new result package through the save dialog.
    await s.clickSettled('[data-testid="formal-record"]')
    await answerFileDialog(s, '保存形式审查结果文件包', result2, { save: true })
    await s.waitFor('the decision after the appeal', async () => /通过/.test((await s.texts('[data-testid="formal-recorded"]'))[0] ?? ''), 30000)
    assert.equal((await s.findAll('[data-testid="formal-after-appeal"]')).length, 1)
    // 审查经过: the refusal with its granted appeal stays on record above the decision that followed it.
    await s.waitFor('the history', async () => (await s.texts('[data-testid="formal-history-step"]')).length === 2, 15000)
    const steps = await s.texts('[data-testid="formal-history-step"]')
    assert.match(steps[0], /决定 1[\s\S]*不予受理[\s\S]*申诉成立/)
    assert.match(steps[1], /决定 2[\s\S]*通过/)
    await s.screenshot('appeal-history')
    await s.execute('document.querySelector(\'[data-testid="formal-panel"] .el-drawer__close-btn\')?.click()')
    await s.waitFor('the status in the list', async () => (await s.texts('[data-testid="received-status"]'))[0] === '形式审查通过', 15000)
  })
  assert.ok(existsSync(result2))
  const report = JSON.parse(cli('office', 'check', number, '--json'))
  assert.equal(report.decision.seq, 2)
  assert.equal(report.decision.after_appeal, true)
  assert.deepEqual(report.history[0].steps.map((x) => [x.decision.decision, x.appeal?.outcome ?? null]), [['reject', 'granted'], ['accept', null]])
  assert.equal(report.appeal, null, 'the new decision has no appeal of its own')
  cli('office', 'audit', 'verify')

  // The institute: the refusal, then the newer decision on the same version.
  cli('institute', 'package', 'import', result1)
  cli('institute', 'package', 'import', result2)
  const status = JSON.parse(cli('institute', 'application', 'status', appId, '--json'))
  assert.equal(status.state, 'accepted')
  assert.equal(status.after_appeal, true)
  assert.equal(status.appeal?.outcome, 'granted')
  assert.equal(status.appeal?.reason, '承诺书在附件中，原决定有误')
})

test('the officer upholds an appeal in 形式审查 and the answer reaches the institute as a package', async () => {
  // A second application, refused and appealed through the CLI.
  const id2 = JSON.parse(cli('institute', 'application', 'new', '--call', '2027-ZX06-01', '--demo', '--title', '高寒牧区饲草申诉测试', '--json')).id
  const sub2 = join(root, 'submission-2.lxpkg')
  cli('institute', 'application', 'submit', id2, '--out', sub2)
  cli('office', 'package', 'import', sub2)
  const number2 = JSON.parse(cli('office', 'application', 'received', '--json')).applications.find((a) => a.application_id === id2).number
  const refusal = join(root, 'refusal-2.lxpkg')
  cli('office', 'check', number2, '--decide', 'reject', '--reason', '不属于本专项支持方向', '--out', refusal)
  const today = JSON.parse(cli('office', 'check', number2, '--json')).decision.decided_at
  const day = new Date(Date.parse(today) + 8 * 3600e3).toISOString().slice(0, 10)
  cli('office', 'check', number2, '--appeal', '--received', day, '--from', '项目负责人当面递交', '--text', '研究内容属于支持方向')
  const answer = join(root, 'answer-2.lxpkg')
  const answerAgain = join(root, 'answer-2-again.lxpkg')

  await withUnlockedApp(dirs.office, PASS.office, 'appeal-upheld', async (s) => {
    await s.click(await s.find('[data-testid="nav-received"]'))
    await s.waitFor('the second application', async () => (await s.texts('[data-testid="received-number"]')).includes(number2), 30000)
    await s.execute(
      '[...document.querySelectorAll(\'[data-testid="received-number"]\')].find((e) => e.textContent.trim() === arguments[0])?.click()',
      [number2],
    )
    await s.waitFor('the open appeal', async () => (await s.texts('[data-testid="appeal-status"]'))[0] === '待处理', 30000)

    // 维持原决定 with a reason: the answer is saved through the save dialog.
    await s.clickSettled('[data-testid="appeal-uphold"]')
    await s.type(await s.find(textarea('appeal-resolve-reason')), '研究内容不在本专项指南方向之内')
    await s.clickSettled('[data-testid="appeal-confirm"]')
    await answerFileDialog(s, '保存申诉结果文件包（交给申报单位）', answer, { save: true })
    await s.waitFor('the upheld appeal', async () => (await s.texts('[data-testid="appeal-status"]'))[0] === '维持原决定', 30000)
    assert.match((await s.texts('[data-testid="formal-recorded"]'))[0] ?? '', /不予受理/, 'the refusal stands')
    // The record names the answer's package, and writes it again byte for byte.
    const named = await s.waitFor('the answer package named', async () => (await s.texts('[data-testid="appeal-answer-file"]'))[0], 30000)
    assert.ok(existsSync(answer), 'the answer was saved where the dialog was answered')
    assert.match(named, /answer-2\.lxpkg/)
    assert.ok(named.includes(sha256(answer)), `the record shows the file's SHA-256: ${named}`)
    await s.screenshot('appeal-upheld')
    await s.clickSettled('[data-testid="appeal-answer-resend"]')
    await answerFileDialog(s, '重新导出申诉结果文件包（交给申报单位）', answerAgain, { save: true })
    await s.waitFor('the answer written again', async () => existsSync(answerAgain), 30000)
  })
  assert.ok(readFileSync(answerAgain).equals(readFileSync(answer)), 'written again byte for byte')
  assert.match(cli('office', 'check', number2), /申诉结果文件包：answer-2\.lxpkg/)
  const report = JSON.parse(cli('office', 'check', number2, '--json'))
  assert.equal(report.appeal.outcome, 'upheld')
  assert.equal(report.decision.seq, 1)
  cli('office', 'audit', 'verify')

  // The institute imports the refusal, then the answer: 维持原决定 with the reason, still 不予受理.
  cli('institute', 'package', 'import', refusal)
  cli('institute', 'package', 'import', answer)
  const status = JSON.parse(cli('institute', 'application', 'status', id2, '--json'))
  assert.equal(status.state, 'not_accepted')
  assert.equal(status.result.seq, 1)
  assert.equal(status.appeal.outcome, 'upheld')
  assert.equal(status.appeal.reason, '研究内容不在本专项指南方向之内')
  assert.match(cli('institute', 'application', 'status', id2), /申诉结果：维持原决定（研究内容不在本专项指南方向之内）/)
  const again = JSON.parse(cli('institute', 'package', 'import', answer, '--json'))
  assert.equal(again.results[0].outcome, 'already_imported')
  cli('institute', 'audit', 'verify')
})
