// End-to-end: 会议评审 in the office's real window, and the recommendation list read from its votes.
// Prepared with the `lixiang` command (separate workspaces exchanging real packages): the office publishes
// the ZX06 demo call with two places; an institute submits four
// applications (the demo content under four titles); the office accepts them, imports 12 sample experts and
// assigns two per application; each assigned expert imports the packet on a laptop of its own, scores,
// seals and returns it — the fourth application split (80% against 40%: 非共识), the others agreed. The
// office imports the returns: round 1 ranks 1, 2, 3, 4 with the fourth flagged. One expert of the first
// declared a conflict with it instead of scoring it; pinned to the second in round 2, it sits on the panel
// and steps out for the first.
// In the window (评审结果, round 2 = 会议评审): the shortlist is previewed at the plan's 120% (⌈2.4⌉ = 3 and
// the 非共识 fourth below the cut), then at 100% (the first two and the fourth) and made; the panel is
// assigned by the command line; the chair's votes are typed — a wrong sum shown live and refused by the
// server with its message, then the first and the fourth voted through and the second voted down — and
// the results read back. Then 立项决定 makes the list from the votes: the first and the fourth (which round
// 1's funding line would not have taken), each marked 表决通过, as `decide show` confirms.
// Then the 公示 of that list (started by the command line on a past date: the e2e cannot wait its days, and
// the window starts a 公示 today), and in the window: an objection against the fourth logged under 公示异议
// (its item, who raised it, the day, what it says), the final decision refused while it is open, the
// objection resolved (不成立); the final decisions made in the window, their result packages written into a
// new folder named in a save dialog; and in 申报受理 the first and the fourth read 立项, the second and the
// third 不予立项, and the status filter narrows to them.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { answerFileDialog, chooseOption, withUnlockedApp, driverForFile, input, lixiang } from './webdriver.mjs'

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-panel-'))
const dir = (who) => join(root, who)
const PASS = 'panel passphrase 2027'
const cli = (who, ...args) => lixiang(dir(who), PASS, ...args)
const json = (who, ...args) => JSON.parse(cli(who, ...args, '--json'))

let callCode
/** The expert who declares a conflict with the first application in round 1, and why. */
let declarer
const DECLARED = '与项目负责人近三年有合作'
/** The four 申报编号 in round 1's ranking order. */
let numbers = []
/** Each item's share of the maxima, per expert (first, second). */
const SHARES = [
  [0.9, 0.9],
  [0.8, 0.8],
  [0.7, 0.7],
  [0.8, 0.4],
]

before(() => {
  const o = json('office', 'init', '--role', 'office', '--name', '西藏自治区科学技术厅')
  callCode = json('office', 'call', 'create', '--demo', 'ZX06').code
  const call = JSON.parse(cli('office', 'call', 'show', callCode))
  // Two places: the plan's 120% shortlist takes ⌈2.4⌉ = 3.
  call.places = 2
  const draft = join(root, 'call.json')
  writeFileSync(draft, JSON.stringify(call))
  cli('office', 'call', 'create', '--from', draft)
  cli('office', 'call', 'publish', callCode)
  const callPkg = join(root, 'call.lxpkg')
  cli('office', 'call', 'export', callCode, '--out', callPkg)

  const i = json('institute', 'init', '--role', 'applicant', '--name', '西藏自治区农牧科学院')
  cli('institute', 'package', 'import', callPkg, '--trust-fingerprint', o.fingerprint)
  const opensAt = JSON.parse(cli('institute', 'call', 'show', callCode)).opens_at
  for (const [k, title] of ['青稞高产示范', '牦牛良种繁育', '饲草轮作技术', '高原藜麦引种'].entries()) {
    const id = json('institute', 'application', 'new', '--demo', '--call', callCode, '--title', title).id
    const sub = join(root, `submission-${k}.lxpkg`)
    cli('institute', 'application', 'submit', id, '--at', opensAt, '--out', sub)
    cli('office', 'package', 'import', sub, '--trust-fingerprint', i.fingerprint)
  }
  const received = json('office', 'application', 'received').applications.map((a) => a.number).sort()
  assert.equal(received.length, 4)
  for (const n of received) cli('office', 'check', n, '--decide', 'accept', '--at', opensAt, '--out', join(root, `check-${n}.lxpkg`))

  // Round 1 (通讯评审): two experts per application, each on a laptop of its own.
  const sheet = join(root, 'experts.xlsx')
  cli('office', 'expert', 'template', '--out', sheet, '--sample', '12')
  cli('office', 'expert', 'import', '--confirm', sheet)
  const run = json('office', 'assign', '--call', callCode, '--round', '1', '--per-item', '2').run
  assert.equal(run.outcome.status, 'assigned')
  const experts = [...new Set(run.outcome.pairs.map((p) => p.expert))].sort()
  // Per item, its two experts in number order: the first gives the first share, the second the second.
  const byItem = new Map(received.map((n) => [n, run.outcome.pairs.filter((p) => p.item === n).map((p) => p.expert).sort()]))
  // The first item's first expert declares a conflict with it instead of scoring it (the other's 90% stands).
  declarer = byItem.get(received[0])[0]
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
      if (e === declarer && s.number === received[0]) {
        cli(e, 'review', 'conflict', '--packet', packet, '--item', s.number, '--reason', DECLARED)
        continue
      }
      const k = received.indexOf(s.number)
      const share = SHARES[k][byItem.get(s.number).indexOf(e)]
      const scores = shown.form.criteria.flatMap((c) => ['--score', `${c.id}=${Math.floor(c.weight * share)}`])
      cli(e, 'review', 'score', '--packet', packet, '--item', s.number, ...scores, '--grade', 'B', '--strengths', '路线清晰', '--weaknesses', '规模偏小')
      cli(e, 'review', 'seal', '--packet', packet, '--item', s.number)
    }
    const ret = join(root, `return-${e}.lxpkg`)
    cli(e, 'review', 'return', '--packet', packet, '--out', ret)
    cli('office', 'package', 'import', ret)
  }
  const ranked = json('office', 'rank', '--call', callCode, '--round', '1')
  numbers = ranked.items.map((r) => r.item)
  assert.deepEqual(numbers, received, 'round 1 ranks the four in the order of their shares')
})

/** Types `value` into an Element Plus number field and leaves it (Tab), so its model takes the value. */
async function setNumber(s, el, value) {
  await s.clear(el)
  await s.type(el, `${value}\uE004`)
}

test('the office makes the shortlist, records the panel votes and makes the list from them in the window', async () => {
  assert.equal(numbers.length, 4, 'the set-up ran')
  await withUnlockedApp(dir('office'), PASS, 'panel-office', async (s) => {
    await s.click(await s.find('[data-testid="nav-results"]'))
    await setNumber(s, await s.find('.results-view .toolbar .el-input-number input'), 2)

    // The plan's 120% of two places: ⌈2.4⌉ = 3, and the 非共识 fourth below the cut.
    await s.find('[data-testid="shortlist-none"]', 30000)
    await s.clickSettled('[data-testid="shortlist-preview"]')
    const cut = () => s.texts('[data-testid="shortlist-table"] [data-testid="shortlist-number"]')
    const below = () => s.texts('[data-testid="shortlist-nc-table"] [data-testid="shortlist-nc-number"]')
    await s.waitFor('the preview at 120%', async () => (await cut()).length === 3, 30000)
    assert.deepEqual(await cut(), numbers.slice(0, 3))
    assert.deepEqual(await below(), [numbers[3]])
    // At 100%: the first two, and still the 非共识 fourth.
    await setNumber(s, await s.find(input('shortlist-percent')), 100)
    await s.clickSettled('[data-testid="shortlist-preview"]')
    await s.waitFor('the preview at 100%', async () => (await cut()).length === 2, 30000)
    assert.deepEqual(await cut(), numbers.slice(0, 2))
    assert.deepEqual(await below(), [numbers[3]])
    assert.match((await s.texts('[data-testid="shortlist-caption"]'))[0], /预览/)
    await s.clickSettled('[data-testid="shortlist-make"]')
    await s.waitFor('the shortlist made', async () => /已形成/.test((await s.texts('[data-testid="shortlist-caption"]'))[0] ?? ''), 30000)
    // The panel cannot sit before its members are assigned, and the window says so.
    await s.find('[data-testid="panel-error"]', 30000)
    await s.screenshot('panel-shortlist')

    // The members are assigned to the shortlisted items (the command line, on the same workspace); the
    // expert who declared a conflict with the first sits on the panel for the second.
    cli('office', 'assign', 'pin', '--call', callCode, '--round', '2', '--expert', declarer, '--item', numbers[1], '--reason', '熟悉该领域')
    const run = json('office', 'assign', '--call', callCode, '--round', '2', '--per-item', '2').run
    assert.equal(run.outcome.status, 'assigned')
    const panel = json('office', 'panel', 'show', '--call', callCode, '--round', '2')
    assert.deepEqual(panel.items.map((i) => i.number), [numbers[0], numbers[1], numbers[3]], 'the shortlist made at 100%')
    const first = panel.items.find((i) => i.number === numbers[0])
    assert.deepEqual(first.stepping_out.map((x) => x.expert), [declarer], 'the declared conflict steps out of the first')
    const voters = (n) => {
      const out = panel.items.find((i) => i.number === n).stepping_out.map((x) => x.expert)
      return panel.members.filter((m) => !out.includes(m.number)).length
    }
    await s.clickSettled('[data-testid="results-refresh"]')
    await s.find(`[data-testid="panel-item-${numbers[0]}"]`, 30000)
    // Items in the discussion order, each with every member present by default.
    const order = panel.order.flatMap((g) => g.items)
    const shownOrder = await s.execute(
      `return [...document.querySelectorAll('[data-testid^="panel-item-"]')].map((e) => e.dataset.testid.slice(11))`,
    )
    assert.deepEqual(shownOrder, order)
    // Whoever steps out is named under the item, with the reason (the declared one, as the expert wrote it).
    assert.match((await s.texts(`[data-testid="panel-item-${numbers[0]}"] [data-testid="stepping-out"]`))[0], new RegExp(DECLARED))
    for (const i of panel.items) {
      const text = (await s.texts(`[data-testid="panel-item-${i.number}"] [data-testid="stepping-out"]`)).join(' ')
      for (const x of i.stepping_out) assert.ok(text.includes(x.expert) && text.includes(x.reasons_zh[0]), text)
    }

    const item = (n) => `[data-testid="panel-item-${n}"]`
    const vote = async (n, yes, no) => {
      await setNumber(s, await s.find(`${item(n)} [data-testid="vote-yes"] input`), yes)
      await setNumber(s, await s.find(`${item(n)} [data-testid="vote-no"] input`), no)
    }
    const result = async (n) => (await s.texts(`${item(n)} [data-testid="vote-result"]`))[0]

    // The second: one vote too many — the sum is shown wrong as typed, and the server refuses it.
    const v1 = voters(numbers[1])
    await vote(numbers[1], v1 + 1, 0)
    const sum = await s.waitFor('the live sum', async () => {
      const t = (await s.texts(`${item(numbers[1])} [data-testid="vote-sum"]`))[0]
      return t?.includes(`已填 ${v1 + 1} 票`) ? t : null
    })
    assert.ok(sum.includes(`应为 ${v1} 票`), sum)
    assert.ok(await s.execute(`return document.querySelector('${item(numbers[1])} [data-testid="vote-sum"]').classList.contains('bad')`))
    await s.clickSettled(`${item(numbers[1])} [data-testid="vote-record"]`)
    const refusal = await s.waitFor('the refusal', async () => (await s.texts(`${item(numbers[1])} [data-testid="vote-error"]`))[0], 30000)
    assert.match(refusal, new RegExp(`应等于到会且无需回避的 ${v1} 人`))
    assert.equal(await result(numbers[1]), '未表决')
    // Then voted down.
    await vote(numbers[1], 0, v1)
    await s.clickSettled(`${item(numbers[1])} [data-testid="vote-record"]`)
    await s.waitFor('the second voted down', async () => (await result(numbers[1])) === '未通过', 30000)

    // No list while the others have no vote: the refusal names them.
    await s.clickSettled('[data-testid="decisions-recommend"]')
    const missing = await s.waitFor('the refusal of the list', async () => (await s.texts('.el-message--error'))[0], 30000)
    assert.ok(missing.includes(numbers[0]) && missing.includes(numbers[3]) && !missing.includes(numbers[1]), missing)
    await s.execute(`document.querySelectorAll('.el-message__closeBtn').forEach((b) => b.click())`)

    // The first and the 非共识 fourth voted through, unanimously.
    for (const n of [numbers[0], numbers[3]]) {
      await vote(n, voters(n), 0)
      await s.clickSettled(`${item(n)} [data-testid="vote-record"]`)
      await s.waitFor(`${n} voted through`, async () => (await result(n)) === '通过', 30000)
    }
    assert.match((await s.texts('[data-testid="panel-result"]'))[0], /2 项通过，1 项未通过，0 项未表决/)
    assert.ok((await s.findAll('[data-testid="shortlist-frozen"]')).length === 1, 'votes freeze the shortlist')

    // 立项决定: the list from the votes — the first and the fourth, which round 1's line would not have taken.
    await s.clickSettled('[data-testid="decisions-recommend"]')
    const listed = await s.waitFor('the recommendation list', async () => {
      const rows = await s.texts('[data-testid="decisions-table"] .el-table__body tr')
      return rows.length === 2 ? rows : null
    }, 30000)
    assert.ok(listed[0].includes(numbers[0]) && listed[0].includes('表决通过'), listed[0])
    assert.ok(listed[1].includes(numbers[3]) && listed[1].includes('表决通过'), listed[1])
    await s.execute(`document.querySelector('[data-testid="decisions-table"]').scrollIntoView()`)
    await s.screenshot('panel-list')
  })
  const shown = json('office', 'decide', 'show', '--call', callCode, '--round', '2')
  assert.deepEqual(shown.items.map((i) => [i.number, i.basis]), [[numbers[0], 'voted'], [numbers[3], 'voted']])
  assert.equal(shown.items[1].rank, 4, 'ranked fourth in round 1')
  cli('office', 'audit', 'verify')
})

/** The date `days` from today in Beijing time (the office's calendar), YYYY-MM-DD. */
const beijingDay = (days) => new Date(Date.now() + 8 * 3600000 + days * 86400000).toISOString().slice(0, 10)

test('the 公示 of the voted list: an objection logged and resolved in the window, the final decisions, and 立项 in 申报受理', async () => {
  const listed = json('office', 'decide', 'show', '--call', callCode, '--round', '2').items.map((i) => i.number)
  assert.deepEqual(listed, [numbers[0], numbers[3]], 'the first test made the list')
  // A 7-day 公示 that began ten days ago: over now, so the window may decide once the objection is resolved.
  const start = beijingDay(-10)
  cli('office', 'decide', 'publicity', '--call', callCode, '--round', '2', '--start', start, '--days', '7')
  // The folder the window is told to make for the result packages (it does not exist yet).
  const results = join(root, 'results')
  const received = beijingDay(-8)

  await withUnlockedApp(dir('office'), PASS, 'panel-decisions', async (s) => {
    await s.click(await s.find('[data-testid="nav-results"]'))
    await setNumber(s, await s.find('.results-view .toolbar .el-input-number input'), 2)
    const dates = await s.waitFor('the notice period', async () => (await s.texts('[data-testid="decisions-publicity-dates"]'))[0], 30000)
    assert.equal(dates, `公示期：${start} 至 ${beijingDay(-4)}`)
    assert.equal((await s.texts('[data-testid="objections-none"]')).length, 1, 'no objection yet')

    // 登记异议: the fourth, who raised it and how, the day it came, what it says.
    await s.execute(`document.querySelector('[data-testid="objections"]').scrollIntoView()`)
    await s.clickSettled('[data-testid="objection-item"]')
    const label = await s.waitFor('the fourth in the choices', () =>
      s.execute(
        `return [...document.querySelectorAll('.el-select-dropdown__item')].map((e) => e.textContent.trim()).find((t) => t.startsWith(arguments[0]))`,
        [numbers[3]],
      ),
    )
    await chooseOption(s, label)
    await s.type(await s.find(input('objection-source')), '拉萨某农牧合作社，来信')
    const date = await s.find(input('objection-date'))
    await s.clear(date)
    await s.type(date, received)
    await s.type(await s.find('textarea[data-testid="objection-summary"]'), '示范基地不在申报地区')
    await s.clickSettled('[data-testid="objection-record"]')
    await s.waitFor('the objection logged', async () => (await s.texts('[data-testid="objection-status"]'))[0] === '未处理', 30000)
    const row = (await s.texts('[data-testid="objections-table"] .el-table__body tr'))[0]
    for (const want of [numbers[3], received, '【拉萨某农牧合作社，来信】示范基地不在申报地区']) assert.ok(row.includes(want), `${want} in ${row}`)

    // The final decision waits for it: refused, with the core's message naming what to do.
    await s.clickSettled('[data-testid="decisions-final"]')
    const refusal = await s.waitFor('the refusal', async () => (await s.texts('.el-message--error'))[0], 30000)
    assert.match(refusal, /异议/)
    await s.execute(`document.querySelectorAll('.el-message__closeBtn').forEach((b) => b.click())`)

    // 处理: not founded, with the reason.
    await s.clickSettled('[data-testid="objection-resolve"]')
    await s.clickSettled('[data-testid="resolve-dismissed"]')
    await s.type(await s.find('textarea[data-testid="resolve-reason"]'), '经核查，示范基地在申报地区内')
    await s.clickSettled('[data-testid="resolve-confirm"]')
    await s.waitFor('the objection resolved', async () => (await s.texts('[data-testid="objection-status"]'))[0] === '异议不成立', 30000)
    assert.ok((await s.texts('[data-testid="objections-table"]'))[0].includes('经核查，示范基地在申报地区内'))
    assert.equal((await s.findAll('[data-testid="objection-resolve"]')).length, 0)
    await s.screenshot('panel-objections')

    // 最终决定 in the window: the result packages go into a new folder the officer names (a save dialog).
    await s.clickSettled('[data-testid="decisions-final"]')
    await answerFileDialog(s, '立项结果文件包：输入新文件夹的名称', results, { save: true })
    await s.waitFor('the decisions recorded', async () => (await s.texts('[data-testid="finals-table"] .el-table__body tr')).length > 0, 60000)
    const decidedNow = json('office', 'decide', 'show', '--call', callCode, '--round', '2')
    assert.deepEqual(decidedNow.finals.filter((i) => i.funded).map((i) => i.number).sort(), [numbers[0], numbers[3]].sort(), JSON.stringify(decidedNow.finals))
    await s.clickSettled('[data-testid="results-refresh"]')
    const finals = await s.waitFor('the final decisions', async () => {
      const rows = await s.texts('[data-testid="finals-table"] .el-table__body tr')
      return rows.length ? rows : null
    }, 30000)
    const funded = finals.filter((r) => r.includes('立项') && !r.includes('不予立项'))
    assert.deepEqual(funded.map((r) => numbers.find((n) => r.includes(n))), [numbers[0], numbers[3]], finals.join('\n'))
    assert.equal((await s.findAll('[data-testid="objection-form"]')).length, 0, 'the log is read only once decided')

    // 申报受理: the decided applications read 立项 / 不予立项, and the filter narrows to them.
    await s.click(await s.find('[data-testid="nav-received"]'))
    const statuses = async () =>
      Object.fromEntries(
        await s.execute(
          `return [...document.querySelectorAll('[data-testid="received-number"]')].map((a) => [a.textContent.trim(), a.closest('.el-table-v2__row').querySelector('[data-testid="received-status"]').textContent.trim()])`,
        ),
      )
    const shown = await s.waitFor('the four in the list', async () => {
      const m = await statuses()
      return Object.keys(m).length === 4 ? m : null
    }, 30000)
    assert.equal(shown[numbers[0]], '立项')
    assert.equal(shown[numbers[3]], '立项')
    assert.equal(shown[numbers[1]], '不予立项', 'voted down')
    assert.equal(shown[numbers[2]], '不予立项', 'not shortlisted')
    await s.clickSettled('[data-testid="received-status-filter"]')
    await chooseOption(s, '立项')
    await s.waitFor('only the funded two', async () => {
      const m = await statuses()
      return Object.keys(m).length === 2 && m[numbers[0]] === '立项' && m[numbers[3]] === '立项'
    }, 30000)
    await s.screenshot('panel-received-funded')
  })
  const decided = json('office', 'decide', 'show', '--call', callCode, '--round', '2')
  assert.deepEqual(decided.objections.map((o) => [o.number, o.resolution]), [[numbers[3], 'dismissed']])
  const written = readdirSync(results)
  assert.ok(written.length >= 2 && written.every((f) => f.endsWith('.lxpkg')), `a result package per decided applicant: ${written}`)
  assert.deepEqual(
    json('office', 'application', 'received', '--status', 'funded').applications.map((a) => a.number).sort(),
    [numbers[0], numbers[3]].sort(),
  )
  cli('office', 'audit', 'verify')
})
