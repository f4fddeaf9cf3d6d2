// End-to-end: 定向委托 in the office's real window, under 评审结果.
// Prepared with the `lixiang` command as crates/lixiang-cli/tests/directed.rs does (separate workspaces
// exchanging real packages): the office publishes the ZX02 demo call narrowed to two invited units; each
// unit submits its implementation plan from a laptop of its own; the office accepts both; three experts
// return their 可行性论证 verdicts with opinions — plan 1 passes, the third expert wanting its budget revised;
// plan 2's technical route fails with two of the three.
// In the window: both plans with the verdict counts per item and the three experts' opinions; the panel's
// consolidated opinion recorded for each (修改后通过 with its changes; 不通过); plan 2 cannot be selected; plan
// 1 is selected with a reason; 立项决定 is made, its result packages written into a new folder named in a
// save dialog. `directed show` reads the same back.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { answerFileDialog, withUnlockedApp, driverForFile, lixiang } from './webdriver.mjs'

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-directed-'))
const dir = (who) => join(root, who)
// The folder the window is told to make for the result packages (it does not exist yet).
const results = join(root, 'results')
const PASS = 'directed passphrase 2027'
const cli = (who, ...args) => lixiang(dir(who), PASS, ...args)
const json = (who, ...args) => JSON.parse(cli(who, ...args, '--json'))
/** An Element Plus textarea: the test id lands on the textarea itself. */
const area = (id) => `textarea[data-testid="${id}"], [data-testid="${id}"] textarea`

let callCode
/** The two plans' 申报编号, unit 1's first. */
let plans = []
/** The three experts, in number order. */
let experts = []

before(() => {
  const o = json('office', 'init', '--role', 'office', '--name', '科技厅')
  callCode = json('office', 'call', 'create', '--demo', 'ZX02').code
  const call = JSON.parse(cli('office', 'call', 'show', callCode))
  assert.equal(call.mode.kind, 'directed_commission')
  call.mode.units = call.mode.units.slice(0, 2)
  writeFileSync(join(root, 'call.json'), JSON.stringify(call))
  cli('office', 'call', 'create', '--from', join(root, 'call.json'))
  cli('office', 'call', 'publish', callCode)
  cli('office', 'call', 'export', callCode, '--out', join(root, 'call.lxpkg'))

  // Each invited unit writes its plan on its own laptop; the office receives and accepts both.
  for (const k of [1, 2]) {
    const who = `unit-${k}`
    const made = json(who, 'init', '--role', 'applicant', '--name', `受邀单位${k}`)
    cli(who, 'package', 'import', join(root, 'call.lxpkg'), '--trust-fingerprint', o.fingerprint)
    const opensAt = JSON.parse(cli(who, 'call', 'show', callCode)).opens_at
    const id = json(who, 'application', 'new', '--demo', '--call', callCode, '--unit', String(k)).id
    const sub = join(root, `sub-${k}.lxpkg`)
    cli(who, 'application', 'submit', id, '--at', opensAt, '--out', sub)
    cli('office', 'package', 'import', sub, '--trust-fingerprint', made.fingerprint)
    const number = `${callCode.slice(0, 4)}-ZX02-${String(k).padStart(6, '0')}`
    cli('office', 'check', number, '--decide', 'accept', '--at', opensAt, '--out', join(root, `formal-${k}.lxpkg`))
    plans.push(number)
  }

  // Three experts, each on a laptop of its own, assigned to both plans.
  const sheet = join(root, 'experts.xlsx')
  cli('office', 'expert', 'template', '--out', sheet, '--sample', '3')
  cli('office', 'expert', 'import', '--confirm', sheet)
  const run = json('office', 'assign', '--call', callCode, '--round', '1', '--per-item', '3').run
  assert.equal(run.outcome.status, 'assigned')
  experts = [...new Set(run.outcome.pairs.map((p) => p.expert))].sort()
  assert.equal(experts.length, 3)
  for (const e of experts) {
    const ew = json(e, 'init', '--role', 'expert', '--name', `专家${e}`)
    const card = join(root, `card-${e}.lxpkg`)
    cli(e, 'key', 'export', '--out', card)
    cli('office', 'package', 'import', card, '--trust-fingerprint', ew.fingerprint)
    cli('office', 'expert', 'key', e, '--key', json(e, 'key', 'show').key_id)
  }
  mkdirSync(join(root, 'packets'))
  const written = json('office', 'packet', 'export', '--call', callCode, '--round', '1', '--all', '--out-dir', join(root, 'packets'))
  for (const [k, e] of experts.entries()) {
    const file = written.packets.find((p) => p.expert_number === e).path
    cli(e, 'package', 'import', file, '--trust-fingerprint', o.fingerprint)
    const packet = json(e, 'review', 'list').packets[0].packet_id
    const shown = json(e, 'review', 'show', '--packet', packet)
    assert.equal(shown.form.kind, 'verdicts')
    for (const plan of plans) {
      const verdicts = shown.form.items.flatMap((i) => {
        let v = 'pass'
        if (plan === plans[0] && i.id === 'budget' && k === 2) v = 'pass_after_revision'
        if (plan === plans[1] && i.id === 'route' && k < 2) v = 'fail'
        return ['--verdict', `${i.id}=${v}`]
      })
      cli(e, 'review', 'score', '--packet', packet, '--item', plan, ...verdicts, '--opinion', `论证意见${k}：${plan}`)
      cli(e, 'review', 'seal', '--packet', packet, '--item', plan)
    }
    const ret = join(root, `return-${k}.lxpkg`)
    cli(e, 'review', 'return', '--packet', packet, '--out', ret)
    cli('office', 'package', 'import', ret)
  }
})

const CHANGES = '压缩设备购置费，补充示范村（镇）遴选标准'
const REASON = '可行性论证修改后通过，示范基础扎实'

test('the office reads the verdicts, records the panel opinions and selects a plan with a reason in the window', async () => {
  assert.equal(plans.length, 2, 'the set-up ran')
  const [p1, p2] = plans
  const plan = (n) => `[data-testid="directed-plan-${n}"]`
  await withUnlockedApp(dir('office'), PASS, 'directed-office', async (s) => {
    const count = async (n, item, v) => (await s.texts(`${plan(n)} [data-testid="count-${item}-${v}"]`))[0]
    await s.click(await s.find('[data-testid="nav-results"]'))
    await s.find(plan(p2), 30000)
    assert.match((await s.texts('[data-testid="directed-mode"]'))[0], /受邀单位（2 家）/)
    // No ranking for a directed call.
    assert.equal((await s.findAll('[data-testid="ranking-table"]')).length, 0)
    // The verdict counts per item of the form.
    assert.deepEqual([await count(p1, 'budget', 'pass'), await count(p1, 'budget', 'pass_after_revision'), await count(p1, 'budget', 'fail')], ['2', '1', '0'])
    assert.deepEqual([await count(p1, 'route', 'pass'), await count(p1, 'route', 'fail')], ['3', '0'])
    assert.deepEqual([await count(p2, 'route', 'pass'), await count(p2, 'route', 'fail')], ['1', '2'])
    // Every expert's opinion, by expert number (the office only).
    await s.execute(`document.querySelectorAll('.opinions').forEach((d) => { d.open = true })`)
    for (const n of plans) {
      const opinions = await s.texts(`${plan(n)} .opinions p`)
      assert.deepEqual(opinions, experts.map((e, k) => `${e}：论证意见${k}：${n}`))
    }
    await s.screenshot('directed-plans')

    // The panel's consolidated opinions.
    const verdict = (n, label) =>
      s.execute(
        `[...document.querySelectorAll('[data-testid="panel-verdict-${n}"] .el-radio')].find((r) => r.textContent.trim() === arguments[0]).click()`,
        [label],
      )
    await verdict(p1, '修改后通过')
    await s.type(await s.find(area(`panel-opinion-${p1}`)), '目标明确，技术路线可行，团队具备实施能力')
    await s.type(await s.find(area(`panel-changes-${p1}`)), CHANGES)
    await s.clickSettled(`[data-testid="panel-record-${p1}"]`)
    await s.waitFor('plan 1 recorded', async () => (await s.texts(`[data-testid="panel-recorded-${p1}"]`))[0] === '修改后通过', 30000)
    await verdict(p2, '不通过')
    await s.type(await s.find(area(`panel-opinion-${p2}`)), '技术路线不成熟，示范内容与任务不符')
    await s.clickSettled(`[data-testid="panel-record-${p2}"]`)
    await s.waitFor('plan 2 recorded', async () => (await s.texts(`[data-testid="panel-recorded-${p2}"]`))[0] === '不通过', 30000)

    // The plan rated 不通过 cannot be selected; plan 1 is, with a reason.
    assert.equal(await s.property(await s.find(`[data-testid="directed-select-${p2}"]`), 'disabled'), true)
    await s.clickSettled(`[data-testid="directed-select-${p1}"]`)
    const confirm = await s.find('[data-testid="directed-select-confirm"]')
    assert.equal(await s.property(confirm, 'disabled'), true, 'no selection without a reason')
    await s.type(await s.find(area('directed-select-reason')), REASON)
    await s.clickSettled('[data-testid="directed-select-confirm"]')
    const selection = await s.waitFor('the selection', async () => (await s.texts('[data-testid="directed-selection"]'))[0], 30000)
    assert.equal(selection, `选定：${p1}（${REASON}）`)
    await s.waitFor('the dialog closed', async () => !(await s.execute(`return [...document.querySelectorAll('.el-dialog')].some((d) => d.offsetParent)`)))
    await s.execute(`document.querySelector('[data-testid="directed-selection"]').scrollIntoView()`)
    await s.screenshot('directed-selected')

    // 立项决定 in the window: every plan decided, the result packages written into a new folder the
    // officer names in a save dialog.
    await s.clickSettled('[data-testid="directed-final"]')
    await answerFileDialog(s, '立项结果文件包：输入新文件夹的名称', results, { save: true })
    const decided = await s.waitFor('both plans decided', async () => {
      const tags = await s.texts('[data-testid="directed-decided"]')
      return tags.length === 2 ? tags : null
    }, 60000)
    assert.deepEqual(decided, ['立项', '不予立项'])
    assert.equal((await s.findAll('[data-testid="directed-final"]')).length, 0, 'decided once')
  })

  const shown = json('office', 'directed', 'show', '--call', callCode)
  assert.equal(shown.selection.number, p1)
  assert.equal(shown.selection.reason, REASON)
  const [v1, v2] = shown.plans
  assert.deepEqual([v1.number, v1.panel.verdict, v1.panel.changes, v1.selected], [p1, 'pass_after_revision', CHANGES, true])
  assert.deepEqual([v2.number, v2.panel.verdict, v2.selected], [p2, 'fail', false])
  assert.deepEqual([v1.decided?.funded, v2.decided?.funded], [true, false])
  const written = readdirSync(results)
  assert.equal(written.filter((f) => f.endsWith('.lxpkg')).length, 2, `a result package per plan: ${written}`)
  cli('office', 'audit', 'verify')
})
