// End-to-end: 揭榜挂帅 (a 悬赏 bounty) in the office's real window, under 评审结果.
// Prepared with the `lixiang` command (separate workspaces exchanging real packages): the office publishes
// the ZX08 demo 榜单; an institute answers it with three applications; two experts per item (of twelve
// sample experts) score them, first to third. The office imports the returns.
// In the window: the automatic 挂帅 choice is the first; the officer picks the second instead — the button
// stays disabled until a reason is typed —, and the recorded reason is shown; `decide show` reads the
// second on the list with that reason and the first dropped as the displaced automatic choice. The 公示 and
// the final decision are made by the command line (the 公示 from the day the agreement is signed, the final
// decision dated after it). Back in the window: the bounty's
// acceptance is recorded with every core indicator 达到 and a supporting file chosen in the GTK file
// chooser, then the reward paid; `milestone show` reads the acceptance, its file and every part paid.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { answerFileDialog, withUnlockedApp, driverForFile, lixiang } from './webdriver.mjs'

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-bounty-'))
const dir = (who) => join(root, who)
const PASS = 'bounty passphrase 2027'
const cli = (who, ...args) => lixiang(dir(who), PASS, ...args)
const json = (who, ...args) => JSON.parse(cli(who, ...args, '--json'))
/** A date `days` from today, YYYY-MM-DD. */
const day = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10)

let callCode
/** The three 申报编号 in the order received (and ranked). */
let numbers = []
const SHARES = [0.9, 0.8, 0.7]
const REASON = '发榜方现场核验后认为乙团队工程化条件更成熟'

before(() => {
  const o = json('office', 'init', '--role', 'office', '--name', '科技厅')
  callCode = json('office', 'call', 'create', '--demo', 'ZX08').code
  cli('office', 'call', 'publish', callCode)
  const callPkg = join(root, 'call.lxpkg')
  cli('office', 'call', 'export', callCode, '--out', callPkg)
  const opensAt = JSON.parse(cli('office', 'call', 'show', callCode)).opens_at

  const made = json('institute', 'init', '--role', 'applicant', '--name', '盐湖研究所')
  cli('institute', 'package', 'import', callPkg, '--trust-fingerprint', o.fingerprint)
  for (const [k, title] of ['甲团队：吸附法提锂', '乙团队：膜法提锂', '丙团队：萃取法提锂'].entries()) {
    const id = json('institute', 'application', 'new', '--demo', '--call', callCode, '--title', title).id
    const sub = join(root, `sub-${k}.lxpkg`)
    cli('institute', 'application', 'submit', id, '--at', opensAt, '--out', sub)
    cli('office', 'package', 'import', sub, '--trust-fingerprint', made.fingerprint)
  }
  numbers = json('office', 'application', 'received').applications.map((a) => a.number).sort()
  assert.equal(numbers.length, 3)
  for (const n of numbers) cli('office', 'check', n, '--decide', 'accept', '--at', opensAt, '--out', join(root, `check-${n}.lxpkg`))

  const sheet = join(root, 'experts.xlsx')
  cli('office', 'expert', 'template', '--out', sheet, '--sample', '12')
  cli('office', 'expert', 'import', '--confirm', sheet)
  const run = json('office', 'assign', '--call', callCode, '--round', '1', '--per-item', '2').run
  assert.equal(run.outcome.status, 'assigned')
  const experts = [...new Set(run.outcome.pairs.map((p) => p.expert))].sort()
  for (const e of experts) {
    const ew = json(e, 'init', '--role', 'expert', '--name', `专家${e}`)
    const card = join(root, `card-${e}.lxpkg`)
    cli(e, 'key', 'export', '--out', card)
    cli('office', 'package', 'import', card, '--trust-fingerprint', ew.fingerprint)
    cli('office', 'expert', 'key', e, '--key', json(e, 'key', 'show').key_id)
  }
  for (const e of experts) {
    const packetFile = join(root, `packet-${e}.lxpkg`)
    cli('office', 'packet', 'export', '--call', callCode, '--round', '1', '--expert', e, '--out', packetFile)
    cli(e, 'package', 'import', packetFile, '--trust-fingerprint', o.fingerprint)
    const packet = json(e, 'review', 'list').packets[0].packet_id
    const shown = json(e, 'review', 'show', '--packet', packet)
    for (const s of shown.sheets) {
      const share = SHARES[numbers.indexOf(s.number)]
      const scores = shown.form.criteria.flatMap((c) => ['--score', `${c.id}=${Math.floor(c.weight * share)}`])
      cli(e, 'review', 'score', '--packet', packet, '--item', s.number, ...scores, '--grade', 'B', '--strengths', '技术路线清晰', '--weaknesses', '验证规模偏小')
      cli(e, 'review', 'seal', '--packet', packet, '--item', s.number)
    }
    const ret = join(root, `return-${e}.lxpkg`)
    cli(e, 'review', 'return', '--packet', packet, '--out', ret)
    cli('office', 'package', 'import', ret)
  }
  const ranked = json('office', 'rank', '--call', callCode, '--round', '1')
  assert.deepEqual(ranked.items.map((r) => r.item), numbers)
})

test('the office picks another team than the automatic choice with a reason, then records the acceptance and pays the bounty in the window', async () => {
  assert.equal(numbers.length, 3, 'the set-up ran')
  const [first, second] = numbers

  await withUnlockedApp(dir('office'), PASS, 'bounty-override', async (s) => {
    await s.click(await s.find('[data-testid="nav-results"]'))
    await s.find('[data-testid="challenge-override"]', 30000)
    const automatic = await s.waitFor('the automatic choice', async () => (await s.texts('[data-testid="override-automatic"]'))[0], 30000)
    assert.ok(automatic.includes(first), automatic)
    const pick = '[data-testid="override-pick"]'
    assert.equal(await s.property(await s.find(pick), 'disabled'), true, 'no team, no reason: disabled')
    await s.click(await s.find(`[data-testid="override-team-${second}"] .el-checkbox`))
    assert.equal(await s.property(await s.find(pick), 'disabled'), true, 'a team but no reason: still disabled')
    await s.type(await s.find('[data-testid="challenge-override"] textarea'), REASON)
    await s.waitFor('the button enabled', async () => !(await s.property(await s.find(pick), 'disabled')), 5000)
    await s.screenshot('bounty-override-typed')
    await s.clickSettled(pick)
    const recorded = await s.waitFor('the recorded reason', async () => (await s.texts('[data-testid="override-reason"]'))[0], 30000)
    assert.equal(recorded, REASON)
    const selected = await s.waitFor('the selection', async () => (await s.texts('[data-testid="challenge-selected"]'))[0], 30000)
    assert.equal(selected, `挂帅团队：${second}`)
    await s.screenshot('bounty-override-recorded')
  })

  // The list: the second with the reason; the first dropped as the displaced automatic choice.
  const list = json('office', 'decide', 'show', '--call', callCode, '--round', '1')
  assert.deepEqual(list.items.map((i) => [i.number, i.basis, i.reason]), [[second, 'selected', REASON]])
  const displaced = list.dropped.find((d) => d.number === first)
  assert.ok(displaced.reason.includes('项目办改选') && displaced.reason.includes(REASON), displaced.reason)

  // The agreement (任务书) with the selected team, then the 公示 and the final decision by
  // the command line.
  const scan = join(root, 'agreement.pdf')
  writeFileSync(scan, '%PDF-1.4 signed agreement')
  const today = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10)
  cli('office', 'decide', 'agreement', '--call', callCode, '--item', second, '--number', 'RWS-2027-ZX08-1', '--signed', today, '--file', scan)
  // The 公示 cannot start before the agreement was signed (today); the final decision is dated after its 7 days.
  cli('office', 'decide', 'publicity', '--call', callCode, '--round', '1', '--start', today, '--days', '7')
  const results = join(root, 'results')
  mkdirSync(results, { recursive: true })
  const finals = json('office', 'decide', 'final', '--call', callCode, '--round', '1', '--at', `${day(9)}T09:00:00+08:00`, '--out-dir', results)
  assert.deepEqual(finals.items.filter((f) => f.funded).map((f) => f.number), [second])

  const support = join(root, 'acceptance-report.pdf')
  writeFileSync(support, '%PDF-1.4 acceptance report')
  await withUnlockedApp(dir('office'), PASS, 'bounty-accept', async (s) => {
    await s.click(await s.find('[data-testid="nav-results"]'))
    await s.find('[data-testid="bounty-accept"]', 30000)
    // 达到 for every core indicator (the first radio of each group).
    const groups = await s.findAll('[data-testid="bounty-accept"] .el-radio-group')
    assert.ok(groups.length >= 1)
    for (let k = 1; k <= groups.length; k++) {
      await s.click(await s.find(`[data-testid="bounty-accept"] .verdict:nth-of-type(${k}) .el-radio:first-child`))
    }
    await s.type(await s.find('[data-testid="bounty-accept"] > .el-input input'), '现场验收')
    const accept = await s.find('[data-testid="bounty-accept"] .el-button:not([data-testid])')
    await s.click(accept)
    await answerFileDialog(s, '选择验收支撑材料', support)
    await s.waitFor('the acceptance listed', async () => (await s.texts('[data-testid="challenge-panel"] li')).some((t) => t.includes('#')), 30000)
    await s.clickSettled('[data-testid="bounty-pay"]')
    await s.waitFor('every part paid', async () => {
      const rows = await s.texts('[data-testid="bounty-parts"] .el-table__body tr')
      return rows.length > 0 && rows.every((r) => r.includes('已兑付'))
    }, 30000)
    await s.execute(`document.querySelector('[data-testid="bounty-parts"]').scrollIntoView()`)
    await s.screenshot('bounty-paid')
  })

  const bounty = json('office', 'milestone', 'show', '--call', callCode).bounty
  assert.equal(bounty.winner, second)
  assert.equal(bounty.acceptances.length, 1)
  assert.equal(bounty.acceptances[0].all_met, true)
  assert.equal(bounty.acceptances[0].files[0].name, 'acceptance-report.pdf')
  assert.ok(bounty.parts.every((p) => p.state === 'paid'), JSON.stringify(bounty.parts))
  cli('office', 'audit', 'verify')
})
