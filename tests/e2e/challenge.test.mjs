// End-to-end: 揭榜挂帅 (a 赛马 race) in the office's real window, under 评审结果.
// Prepared with the `lixiang` command as crates/lixiang-cli/tests/challenge.rs does (separate workspaces
// exchanging real packages): the office publishes the ZX05 demo 榜单; an early institute answers revision 1
// (单机容量 ≥ 3 MW, it promises 3 MW); the office raises the locked 单机容量 (I2) target to 3.5 MW in revision 2,
// which three teams of another institute answer; two experts per item (of twelve sample experts) score
// them, the early one best. The office imports the returns.
// In the window: the core-indicator gate shows the early item out, naming I2, although it ranks first; the
// officer selects the 挂帅 teams (the three others), which `decide show` reads as the round's list, basis
// `selected`. The 公示 button is disabled, naming the three teams without an agreement (任务书); the first
// team's is recorded in the window (number typed, today's date and the call's first tranche prefilled, the
// signed scan chosen in the file dialog), annulled with a reason and recorded again, the two others' by the
// command line. The 公示 (from today, when the agreements were signed) and the final decision (dated after
// the 公示's days) are made by the command line; back in the window, the three teams' M1 results are typed row by row (达到 / 未达到
// shown as each value is typed, each row recorded with the team's report chosen in the file dialog), then
// the M1 gate is decided — the first team continues, the other two are terminated — and the tranche
// ledger shown is the one `milestone show` reads.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { answerFileDialog, withUnlockedApp, chooseOption, driverForFile, lixiang } from './webdriver.mjs'

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-challenge-'))
const dir = (who) => join(root, who)
const PASS = 'challenge passphrase 2027'
const cli = (who, ...args) => lixiang(dir(who), PASS, ...args)
const json = (who, ...args) => JSON.parse(cli(who, ...args, '--json'))

/** 万元 as the core writes them (`format_wan`): 1,250.0000. */
const wan = (fen) => `${Math.trunc(fen / 1e6).toLocaleString('en-US')}.${String((fen % 1e6) / 100).padStart(4, '0')}`
/** Today in Beijing time (the day the window's selection is dated), YYYY-MM-DD. */
const beijingToday = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10)
/** A date `days` from today, YYYY-MM-DD. */
const day = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10)

let callCode
/** The four 申报编号 in the order received: the early one (revision 1), then teams A, B, C. */
let numbers = []
/** Each item's share of the maxima (every expert alike): the early one is scored best. */
const SHARES = [0.9, 0.8, 0.7, 0.6]

before(() => {
  const o = json('office', 'init', '--role', 'office', '--name', '科技厅')
  callCode = json('office', 'call', 'create', '--demo', 'ZX05').code
  cli('office', 'call', 'publish', callCode)
  cli('office', 'call', 'export', callCode, '--out', join(root, 'call.lxpkg'))
  const opensAt = JSON.parse(cli('office', 'call', 'show', callCode)).opens_at

  // An institute submits against revision 1 (单机容量 ≥ 3 MW, promising 3 MW), from a laptop of its own.
  const apply = (who, pkg, titles) => {
    const made = json(who, 'init', '--role', 'applicant', '--name', who)
    cli(who, 'package', 'import', pkg, '--trust-fingerprint', o.fingerprint)
    for (const [k, title] of titles.entries()) {
      const id = json(who, 'application', 'new', '--demo', '--call', callCode, '--title', title).id
      const sub = join(root, `sub-${who}-${k}.lxpkg`)
      cli(who, 'application', 'submit', id, '--at', opensAt, '--out', sub)
      cli('office', 'package', 'import', sub, '--trust-fingerprint', made.fingerprint)
    }
  }
  apply('early', join(root, 'call.lxpkg'), ['早期方案：3 兆瓦机组'])

  // Revision 2 raises the locked 单机容量 target to 3.5 MW; three teams answer it.
  cli('office', 'call', 'revise', callCode)
  const rev = JSON.parse(cli('office', 'call', 'show', callCode))
  assert.equal(rev.revision, 2)
  rev.core_indicators.find((c) => c.code === 'I2').target = 3.5
  writeFileSync(join(root, 'rev2.json'), JSON.stringify(rev))
  cli('office', 'call', 'create', '--from', join(root, 'rev2.json'))
  cli('office', 'call', 'publish', callCode)
  cli('office', 'call', 'export', callCode, '--out', join(root, 'call-r2.lxpkg'))
  apply('teams', join(root, 'call-r2.lxpkg'), ['甲团队：高海拔 3.5 兆瓦机组', '乙团队：高原型 3.5 兆瓦机组', '丙团队：抗寒 3.5 兆瓦机组'])

  numbers = json('office', 'application', 'received').applications.map((a) => a.number).sort()
  assert.equal(numbers.length, 4)
  for (const n of numbers) cli('office', 'check', n, '--decide', 'accept', '--at', opensAt, '--out', join(root, `check-${n}.lxpkg`))

  // Two experts per item (of twelve), each on a laptop of its own, score them.
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
  assert.deepEqual(ranked.items.map((r) => r.item), numbers, 'the early item ranks first')
})

test('the office sees the core-indicator gate, selects the race teams and decides a milestone gate in the window', async () => {
  assert.equal(numbers.length, 4, 'the set-up ran')
  const [early, a, b, c] = numbers
  const scan = join(root, 'agreement-a.pdf')
  writeFileSync(scan, '%PDF-1.4 signed agreement')

  await withUnlockedApp(dir('office'), PASS, 'challenge-select', async (s) => {
    await s.click(await s.find('[data-testid="nav-results"]'))
    await s.find('[data-testid="challenge-panel"]', 30000)
    // The early item, first in the ranking, is out of the gate, with the indicator named.
    const out = await s.waitFor('the items out', async () => {
      const t = await s.texts('[data-testid="challenge-out"] li')
      return t.length ? t : null
    }, 30000)
    assert.equal(out.length, 1, out.join('\n'))
    assert.ok(out[0].includes(early) && out[0].includes('I2') && out[0].includes('3.5'), out[0])
    assert.match((await s.texts('[data-testid="challenge-panel"] h2'))[0], /赛马/)
    await s.screenshot('challenge-gate')

    await s.clickSettled('[data-testid="challenge-select"]')
    const selected = await s.waitFor('the selection', async () => (await s.texts('[data-testid="challenge-selected"]'))[0], 30000)
    assert.equal(selected, `挂帅团队：${[a, b, c].join('、')}`)
    await s.screenshot('challenge-selected')

    // The 公示 waits for the three agreements: the button is disabled and says which teams.
    const blocked = () => s.texts('[data-testid="decisions-publicity-blocked"]').then((t) => t[0] ?? '')
    const waits = await s.waitFor('the 公示 blocked', async () => ((await blocked()).includes(c) ? blocked() : null), 30000)
    assert.ok([a, b, c].every((n) => waits.includes(n)), waits)
    assert.equal(await s.property(await s.find('[data-testid="decisions-publicity"]'), 'disabled'), true)

    // Team A's agreement in the window: date and funding prefilled, the scan from the file dialog.
    const line = `[data-testid="challenge-agreements"] [data-team="${a}"]`
    await s.clickSettled(`${line} [data-testid="agreement-open"]`)
    const input = (id) => s.find(`${line} input[data-testid="${id}"], ${line} [data-testid="${id}"] input`)
    assert.equal(await s.property(await input('agreement-signed'), 'value'), beijingToday())
    assert.equal(await s.property(await input('agreement-funding'), 'value'), '300.0000')
    assert.equal(await s.property(await s.find(`${line} [data-testid="agreement-submit"]`), 'disabled'), true, 'no number yet')
    await s.type(await input('agreement-number'), 'RWS-2027-ZX05-A')
    await s.waitFor('the submit enabled', async () => !(await s.property(await s.find(`${line} [data-testid="agreement-submit"]`), 'disabled')), 5000)
    await s.clickSettled(`${line} [data-testid="agreement-submit"]`)
    await answerFileDialog(s, '选择签字盖章的任务书扫描件（PDF）', scan)
    const shownA = await s.waitFor('the recorded agreement', async () => (await s.texts(`${line} [data-testid="agreement-recorded"]`))[0], 30000)
    assert.ok(shownA.includes('RWS-2027-ZX05-A') && shownA.includes('300.0000') && shownA.includes('agreement-a.pdf'), shownA)
    const left = await s.waitFor('B and C still missing', async () => {
      const t = await blocked()
      return t && !t.includes(a) ? t : null
    }, 30000)
    assert.ok(left.includes(b) && left.includes(c), left)
    await s.screenshot('challenge-agreement')

    // Recorded with the wrong scan, say: annulled in the window with a reason (the confirm button waits for
    // one), which puts A back among the teams the 公示 waits for; then recorded again.
    await s.clickSettled(`${line} [data-testid="agreement-annul"]`)
    const confirm = `${line} [data-testid="agreement-annul-confirm"]`
    assert.equal(await s.property(await s.find(confirm), 'disabled'), true, 'no reason yet')
    await s.type(await input('agreement-annul-reason'), '扫描件有误，重新登记')
    await s.waitFor('the annul enabled', async () => !(await s.property(await s.find(confirm), 'disabled')), 5000)
    await s.clickSettled(confirm)
    await s.waitFor('A waited for again', async () => ((await blocked()).includes(a) ? true : null), 30000)
    await s.clickSettled(`${line} [data-testid="agreement-open"]`)
    await s.type(await input('agreement-number'), 'RWS-2027-ZX05-A')
    await s.waitFor('the submit enabled again', async () => !(await s.property(await s.find(`${line} [data-testid="agreement-submit"]`), 'disabled')), 5000)
    await s.clickSettled(`${line} [data-testid="agreement-submit"]`)
    await answerFileDialog(s, '选择签字盖章的任务书扫描件（PDF）', scan)
    await s.waitFor('A recorded again', async () => (await s.texts(`${line} [data-testid="agreement-recorded"]`))[0], 30000)
  })
  const recordedA = json('office', 'milestone', 'show', '--call', callCode).agreements
  assert.deepEqual(recordedA.map((x) => [x.number, x.agreement_no, x.signed_on]), [[a, 'RWS-2027-ZX05-A', beijingToday()]])
  for (const n of [b, c]) {
    cli('office', 'decide', 'agreement', '--call', callCode, '--item', n, '--number', `RWS-2027-ZX05-${n.slice(-1)}`, '--signed', beijingToday(), '--file', scan)
  }

  // The selection is the round's list, read by the command line.
  const list = json('office', 'decide', 'show', '--call', callCode, '--round', '1')
  assert.deepEqual(list.items.map((i) => [i.number, i.basis]), [[a, 'selected'], [b, 'selected'], [c, 'selected']])

  // The 公示 (over already) and the final decision, then the three teams' M1 results.
  // The 公示 starts once the agreements are signed (today), so the final decision is dated after its 7 days.
  cli('office', 'decide', 'publicity', '--call', callCode, '--round', '1', '--start', beijingToday(), '--days', '7')
  const results = join(root, 'results')
  execFileSync('mkdir', ['-p', results])
  const finals = json('office', 'decide', 'final', '--call', callCode, '--round', '1', '--at', `${day(9)}T09:00:00+08:00`, '--out-dir', results)
  assert.deepEqual(finals.items.filter((f) => f.funded).map((f) => f.number), [a, b, c])
  const report = join(root, 'M1-report.pdf')
  writeFileSync(report, '%PDF-1.4 milestone report')
  const atM1 = json('office', 'milestone', 'show', '--call', callCode).race.state
  assert.equal(atM1.next, 'M1')
  const typed = { [a]: '4,600', [b]: '4550', [c]: '4300' }

  await withUnlockedApp(dir('office'), PASS, 'challenge-gate', async (s) => {
    await s.click(await s.find('[data-testid="nav-results"]'))
    const ledger = () => s.texts('[data-testid="race-ledger"]').then((t) => t[0] ?? '')
    const shown = await s.waitFor('the ledger', ledger, 30000)
    assert.ok(shown.includes(`累计拨付 ${wan(atM1.released_fen)} 万元`), shown)
    assert.match((await s.texts('[data-testid="race-next"]'))[0], /M1/)
    // The three teams' M1 results, typed row by row from their reports: 达到 / 未达到 shows as each value
    // is typed (C's altitude is short of ≥ 4500), and each row is recorded with the team's report file.
    const entry = (n) => `[data-testid="race-entry"] tr[data-team="${n}"]`
    const field = (n, code) => `${entry(n)} input[data-testid="entry-${code}"], ${entry(n)} [data-testid="entry-${code}"] input`
    const check = (n, code) => s.texts(`${entry(n)} [data-testid="entry-check-${code}"]`).then((t) => t[0])
    // The tag follows the field on the page's next render: wait for it, then say what it showed.
    const shows = async (n, code, want) => {
      await s.waitFor(`${n} ${code} ${want}`, async () => (await check(n, code)) === want, 5000).catch(() => {})
      assert.equal(await check(n, code), want, `${n} ${code}`)
    }
    await s.find('[data-testid="race-entry"]', 30000)
    for (const n of [a, b, c]) {
      await shows(n, 'I1', '待填')
      await s.type(await s.find(field(n, 'I1')), typed[n])
      await shows(n, 'I1', n === c ? '未达到' : '达到')
      await s.type(await s.find(field(n, 'I2')), n === b ? '3.4' : '3.5')
      await shows(n, 'I2', n === b ? '未达到' : '达到')
      if (n === b) {
        // A slip corrected before recording: the check follows the field.
        const i2 = await s.find(field(n, 'I2'))
        await s.clear(i2)
        await shows(n, 'I2', '待填')
        await s.type(i2, '3.5')
        await shows(n, 'I2', '达到')
      }
      await s.clickSettled(`${entry(n)} [data-testid="entry-record"]`)
      await answerFileDialog(s, '选择团队的里程碑报告', report)
      await s.waitFor(`${n} recorded`, async () => (await s.texts(`${entry(n)} [data-testid="entry-recorded"]`)).length > 0, 30000)
    }
    const recorded = json('office', 'milestone', 'show', '--call', callCode).race.results
    const byTeam = Object.fromEntries(
      recorded.map((r) => [r.number, `${r.milestone} ${r.report_name} ${r.achieved.map((v) => `${v.indicator}=${v.value}:${v.met}`).join(' ')}`]),
    )
    assert.deepEqual(byTeam, {
      [a]: 'M1 M1-report.pdf I1=4600:true I2=3.5:true',
      [b]: 'M1 M1-report.pdf I1=4550:true I2=3.5:true',
      [c]: 'M1 M1-report.pdf I1=4300:false I2=3.5:true',
    })
    await s.screenshot('challenge-results-typed')
    await s.find('[data-testid="race-gate"]', 30000)
    // B and C terminated, A continues (the default); the reason typed.
    const row = (k) => `[data-testid="race-gate"] > .form:nth-child(${k + 2})`
    assert.deepEqual(await s.texts('[data-testid="race-gate"] > .form .team'), [a, b, c])
    for (const k of [1, 2]) {
      await s.click(await s.find(`${row(k)} .el-select__wrapper`))
      await chooseOption(s, '终止')
    }
    assert.deepEqual(await s.texts('[data-testid="race-gate"] > .form .el-select'), ['继续', '终止', '终止'])
    const reason = await s.find('[data-testid="race-gate"] .form:last-child input')
    await s.type(reason, '乙、丙团队适用海拔或单机容量未达到')
    await s.clickSettled('[data-testid="race-gate"] .form:last-child .el-button--primary')
    await s.waitFor('M2 next', async () => /M2/.test((await s.texts('[data-testid="race-next"]'))[0] ?? ''), 30000)
    const atM2 = json('office', 'milestone', 'show', '--call', callCode).race.state
    const status = Object.fromEntries(atM2.teams.map((t) => [t.number, t.status]))
    assert.deepEqual(status, { [a]: 'running', [b]: 'terminated', [c]: 'terminated' })
    assert.equal(atM2.next, 'M2')
    assert.ok(atM2.cancelled_fen > 0, 'the terminated teams’ later tranches are cancelled')
    const text = await ledger()
    assert.ok(
      text.includes(`累计拨付 ${wan(atM2.released_fen)} 万元`) &&
        text.includes(`已取消 ${wan(atM2.cancelled_fen)} 万元`) &&
        text.includes(`待拨付 ${wan(atM2.planned_fen)} 万元`) &&
        text.includes(`上限 ${wan(atM2.cap_fen)} 万元`),
      `${text} against ${JSON.stringify(atM2)}`,
    )
    // The decided gate reads in words, and the next gate's reason starts empty.
    const decided = await s.waitFor('the decided gate', async () => (await s.texts('[data-testid="race-gate-decided"]'))[0], 15000)
    assert.ok(decided.includes(`${a} 继续`) && decided.includes(`${b} 终止`) && !/continue|terminate/.test(decided), decided)
    const nextReason = await s.find('[data-testid="race-gate"] .form:last-child input')
    assert.equal(await s.property(nextReason, 'value'), '', 'M2 starts without M1’s reason')
    const rows = await s.texts('[data-testid="race-teams"] .el-table__body tr')
    assert.ok(rows.find((r) => r.includes(b)).includes('终止') && rows.find((r) => r.includes(a)).includes('在研'), rows.join('\n'))
    await s.execute(`document.querySelector('[data-testid="race-ledger"]').scrollIntoView()`)
    await s.screenshot('challenge-gate-decided')
  })
  const gates = json('office', 'milestone', 'show', '--call', callCode).race.gates
  assert.equal(gates.length, 1)
  cli('office', 'audit', 'verify')
})
