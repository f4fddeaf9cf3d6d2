// End-to-end: the plan dashboard (规划监测) in the office's real window. Prepared with the `lixiang` command
// (separate workspaces exchanging real packages): the office publishes the ZX06 demo call, an institute
// submits the demo application, the office accepts it, assigns one expert, who scores, seals and returns
// the packet; the office imports the return, makes the recommendation list, runs the 公示 and records the
// final decision (funded). In the office's window the dashboard shows the eight programmes, ZX06-T1 with the
// 2 new varieties (个) the approved application committed, the plan range and committed bars drawn on a
// canvas, the round's one sheet in the score distribution and the expert in the leniency table; 导出PDF saves
// the same figures as a PDF report through the save dialog, read back with pdftotext, and the saved
// path is what the system's viewer was asked to open (a stand-in `xdg-open` first on the PATH).
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { answerFileDialog, fakeViewer, withUnlockedApp, driverForFile, lixiang } from './webdriver.mjs'

// Before the driver starts: the app inherits the PATH with the stand-in viewer first.
const viewer = fakeViewer()
driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-dashboard-'))
const dirs = { office: join(root, 'office'), institute: join(root, 'institute'), expert: join(root, 'expert') }
const PASS = { office: 'office passphrase 2027', institute: 'institute passphrase 2027', expert: 'expert passphrase 2027' }
const cli = (who, ...args) => lixiang(dirs[who], PASS[who], ...args)
const json = (who, ...args) => JSON.parse(cli(who, ...args, '--json'))

let number
let total = 0

before(() => {
  const o = json('office', 'init', '--role', 'office', '--name', '西藏自治区科学技术厅')
  const callCode = json('office', 'call', 'create', '--demo', 'ZX06').code
  cli('office', 'call', 'publish', callCode)
  const callPkg = join(root, 'call.lxpkg')
  cli('office', 'call', 'export', callCode, '--out', callPkg)

  const i = json('institute', 'init', '--role', 'applicant', '--name', '西藏自治区农牧科学院')
  cli('institute', 'package', 'import', callPkg, '--trust-fingerprint', o.fingerprint)
  const opensAt = JSON.parse(cli('institute', 'call', 'show', callCode)).opens_at
  const id = json('institute', 'application', 'new', '--demo', '--call', callCode).id
  const sub = join(root, 'submission.lxpkg')
  cli('institute', 'application', 'submit', id, '--at', opensAt, '--out', sub)
  cli('office', 'package', 'import', sub, '--trust-fingerprint', i.fingerprint)
  number = json('office', 'application', 'received').applications[0].number
  cli('office', 'check', number, '--decide', 'accept', '--at', opensAt, '--out', join(root, 'result.lxpkg'))

  // One expert (k = 1) scores the one application by files only.
  const sheet = join(root, 'experts.xlsx')
  cli('office', 'expert', 'template', '--out', sheet, '--sample', '12')
  cli('office', 'expert', 'import', '--confirm', sheet)
  const run = json('office', 'assign', '--call', callCode, '--round', '1', '--per-item', '1').run
  assert.equal(run.outcome.status, 'assigned')
  const chosen = run.outcome.pairs[0].expert
  const e = json('expert', 'init', '--role', 'expert', '--name', '甘肃高原种业专家')
  const card = join(root, 'expert-card.lxpkg')
  cli('expert', 'key', 'export', '--out', card)
  cli('office', 'package', 'import', card, '--trust-fingerprint', e.fingerprint)
  cli('office', 'expert', 'key', chosen, '--key', json('expert', 'key', 'show').key_id)
  const packetFile = join(root, 'packet.lxpkg')
  cli('office', 'packet', 'export', '--call', callCode, '--round', '1', '--expert', chosen, '--out', packetFile)
  cli('expert', 'package', 'import', packetFile, '--trust-fingerprint', o.fingerprint)
  const packet = json('expert', 'review', 'list').packets[0].packet_id
  const form = json('expert', 'review', 'show', '--packet', packet).form
  const scores = form.criteria.flatMap((c) => {
    const v = Math.floor(c.weight * 0.8)
    total += v
    return ['--score', `${c.id}=${v}`]
  })
  cli('expert', 'review', 'score', '--packet', packet, '--item', number, ...scores, '--grade', 'B', '--strengths', '技术路线清晰', '--weaknesses', '示范规模偏小')
  cli('expert', 'review', 'seal', '--packet', packet, '--item', number)
  const ret = join(root, 'return.lxpkg')
  cli('expert', 'review', 'return', '--packet', packet, '--out', ret)
  cli('office', 'package', 'import', ret)

  // 立项: the list from the funding line, a 7-day 公示 with no objection, then the final decision.
  const round = ['--call', callCode, '--round', '1']
  cli('office', 'decide', 'recommend', ...round, '--at', '2027-06-01T09:00:00+08:00')
  cli('office', 'decide', 'publicity', ...round, '--start', '2027-06-02', '--days', '7', '--at', '2027-06-01T09:00:00+08:00')
  const results = join(root, 'results')
  mkdirSync(results)
  const decided = json('office', 'decide', 'final', ...round, '--out-dir', results, '--at', '2027-06-09T09:00:00+08:00')
  assert.equal(decided.items[0].funded, true)
})

test('the office opens the plan dashboard: eight programmes, ZX06-T1 with what the approved project committed, and the charts', async () => {
  await withUnlockedApp(dirs.office, PASS.office, 'dashboard', async (s) => {
    await s.click(await s.find('[data-testid="nav-dashboard"]'))
    assert.equal((await s.texts('[data-testid="nav-dashboard"]'))[0], '规划监测')
    const programmes = await s.waitFor('the eight programmes', async () => {
      const p = await s.texts('[data-testid="dashboard-programme"]')
      return p.length === 8 ? p : null
    }, 30000)
    assert.equal(programmes[5], 'ZX06 现代农牧业专项')
    assert.match((await s.texts('[data-testid="dashboard-notice"]'))[0], /不是实际完成值/)

    // Opened on ZX06, the programme with the approved project: T1 covered by 2 of 10–15 个, under.
    const committed = await s.waitFor('the committed values', async () => {
      const c = await s.texts('[data-testid="coverage-committed"]')
      return c.length === 4 ? c : null
    })
    assert.equal(committed[0], '2个')
    assert.equal((await s.texts('[data-testid="coverage-status"]'))[0], '未覆盖')
    assert.ok((await s.texts('[data-testid="coverage-table"]'))[0].includes(number), 'the committing project is named')
    assert.match((await s.texts('[data-testid="dashboard-pipeline"]'))[0], /立项 1/)

    // The charts are drawn on canvases (ECharts' canvas renderer), each with its table under it.
    for (const chart of ['coverage-chart', 'histogram-chart', 'leniency-chart']) {
      await s.waitFor(`a canvas in ${chart}`, async () => {
        const size = await s.execute(
          `const c = document.querySelector('[data-testid="${chart}"] canvas'); return c ? c.width * c.height : 0`,
        )
        return size > 0
      }, 15000)
    }
    const bins = await s.texts('[data-testid="histogram-table"] .el-table__body tr')
    assert.equal(bins.length, 10)
    const bin = Math.min(Math.floor(total / 10), 9)
    assert.match(bins[bin], /\s1$/, `the one sheet (${total}) in bin ${bin}: ${bins[bin]}`)
    const experts = await s.texts('[data-testid="leniency-table"] .el-table__body tr')
    assert.equal(experts.length, 1)
    assert.ok(experts[0].includes(total.toFixed(2)), experts[0])
    await s.screenshot('dashboard')
    for (const chart of ['coverage-chart', 'histogram-chart', 'leniency-chart']) {
      await s.execute(`document.querySelector('[data-testid="${chart}"]').scrollIntoView()`)
      await s.waitFor(`${chart} in view`, () =>
        s.execute(`const r = document.querySelector('[data-testid="${chart}"]').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight`))
      await s.screenshot(`dashboard-${chart}`)
    }

    // 导出PDF: the dashboard as a PDF report through the save dialog, then opened; its text read back.
    const pdf = join(root, 'dashboard.pdf')
    await s.execute(`document.querySelector('[data-testid="dashboard-export-pdf"]').scrollIntoView()`)
    await s.clickSettled('[data-testid="dashboard-export-pdf"]')
    await answerFileDialog(s, '保存规划监测报告', pdf, { save: true })
    await s.waitFor('the dashboard PDF', async () => existsSync(pdf) && readFileSync(pdf).length > 1000, 60000)
    // …and handed to the system's viewer: the exact saved path, once.
    await s.waitFor('the viewer opened the PDF', () => viewer.opened().includes(pdf), 15000)
    assert.deepEqual(viewer.opened(), [pdf])
    const text = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
    for (const want of ['科技重大专项规划监测报告', '不是实际完成值', 'ZX06现代农牧业专项', `ZX06-T1培育作物和畜牧新品种（系）10-15个2个未覆盖${number}`, '立项1']) {
      assert.ok(text.includes(want), `${want} in the PDF: ${text.slice(0, 2000)}`)
    }
    assert.ok(text.includes(`${total.toFixed(2)}`), 'the one sheet\'s total in the leniency table')
  })
})
