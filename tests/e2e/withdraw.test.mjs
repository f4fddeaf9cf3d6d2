// End-to-end: two buttons that send a package again, in the real window. Set up with the `lixiang` command:
// an office publishes a 现代农牧业 call open around today, an institute submits the demo application, the
// office receives it and accepts it at formal check, writing the result package. In the office's window,
// 形式审查 → 重新导出结果文件包… writes the recorded result again through the save dialog: the same bytes as
// the first copy. In the institute's window (the result imported), 撤回… asks for a reason, withdraws and
// saves the withdrawal notice; the list shows 已撤回 and offers the notice again. The office imports the
// notice with the command line and lists the application as withdrawn.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { answerFileDialog, withUnlockedApp, driverForFile, lixiang } from './webdriver.mjs'

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-withdraw-'))
const dirs = { scratch: join(root, 'scratch'), office: join(root, 'office'), institute: join(root, 'institute') }
const PASS = { office: 'office passphrase 2027', institute: 'institute passphrase 2027' }
const cli = (who, ...args) => lixiang(dirs[who], PASS[who] ?? 'scratch passphrase', ...args)
/** A moment `days` from now as calls write it, in +08:00. */
const moment = (days) => new Date(Date.now() + days * 86400e3 + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00'
const withApp = (who, name, body) => withUnlockedApp(dirs[who], PASS[who], name, body)
const waitForFile = (s, file) => s.waitFor(`the file ${file}`, async () => existsSync(file), 30000)

const result = join(root, 'result.lxpkg')
let number
let applicationId

before(() => {
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
  const id = JSON.parse(cli('institute', 'application', 'new', '--call', demo.code, '--demo', '--json')).id
  applicationId = id
  const submission = join(root, 'submission.lxpkg')
  cli('institute', 'application', 'submit', id, '--out', submission)
  const institute = JSON.parse(cli('institute', 'key', 'show', '--json'))
  cli('office', 'package', 'import', submission, '--trust-fingerprint', institute.fingerprint)
  number = JSON.parse(cli('office', 'application', 'received', '--json')).applications[0].number
  cli('office', 'check', number, '--decide', 'accept', '--out', result)
})

test('the office writes the recorded formal-check result again from the window, byte for byte', async () => {
  const again = join(root, 'result-again.lxpkg')
  await withApp('office', 'withdraw-resend', async (s) => {
    await s.click(await s.find('[data-testid="nav-received"]'))
    await s.click(await s.find('[data-testid="received-number"]'))
    await s.waitFor('the recorded decision', async () => /通过/.test((await s.texts('[data-testid="formal-recorded"]'))[0] ?? ''), 30000)
    await s.clickSettled('[data-testid="formal-resend"]')
    await answerFileDialog(s, '重新导出形式审查结果文件包', again, { save: true })
    await waitForFile(s, again)
    await s.waitFor('the confirmation', async () => (await s.texts('.el-message')).some((m) => m.includes('已重新导出')), 30000)
    await s.screenshot('withdraw-resent')
  })
  assert.deepEqual(readFileSync(again), readFileSync(result), 'the kept result package, written again unchanged')
})

test('the institute withdraws in the window and saves the notice; the office lists the application as withdrawn', async () => {
  cli('institute', 'package', 'import', result)
  const notice = join(root, 'withdrawal.lxpkg')
  await withApp('institute', 'withdraw-notice', async (s) => {
    await s.click(await s.find('[data-testid="nav-applications"]'))
    await s.waitFor('the accepted application', async () => (await s.texts('[data-testid="app-state"]'))[0] === '形式审查通过', 30000)
    await s.clickSettled('[data-testid="app-withdraw"]')
    // The reason is required: confirming an empty one is refused in the box.
    await s.clickSettled('.el-message-box__btns .el-button--primary')
    await s.waitFor('the reason asked for', async () => (await s.texts('.el-message-box__errormsg')).some((m) => m.trim().length > 0))
    await s.type(await s.find('.el-message-box__input input'), '项目负责人工作调动')
    await s.clickSettled('.el-message-box__btns .el-button--primary')
    await answerFileDialog(s, '保存撤回通知文件包（交给受理机构）', notice, { save: true })
    await waitForFile(s, notice)
    await s.waitFor('the withdrawn state', async () => (await s.texts('[data-testid="app-state"]'))[0] === '已撤回', 30000)
    await s.find('[data-testid="app-withdrawal-notice"]')
    await s.screenshot('withdraw-withdrawn')
  })
  cli('office', 'package', 'import', notice)
  const withdrawn = JSON.parse(cli('office', 'application', 'received', '--status', 'withdrawn', '--json')).applications
  assert.deepEqual(withdrawn.map((a) => a.number), [number])
  assert.equal(JSON.parse(cli('institute', 'application', 'status', applicationId, '--json')).state, 'withdrawn')
})
