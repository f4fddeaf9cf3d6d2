// The office's call desk in the window: on a fresh office workspace the officer makes a call from the ZX06
// demo (新建指南), changes its title and funding, saves; a closing time before the opening is listed naming
// the field (申报截止时间) and publication is refused; corrected, the call is published. A new revision
// (新建修订版) moves the deadline, shows what changed against revision 1, and is published as revision 2.
// The real command line then shows the stored call with the edits, the call package is exported through
// the save dialog, and a fresh applicant workspace imports revisions 1 and 2 and, in its own window, sees
// the call read-only with what revision 2 changed.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { answerFileDialog, withUnlockedApp, driverForFile, input, lixiang } from './webdriver.mjs'

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-calldesk-'))
const dirs = { office: join(root, 'office'), institute: join(root, 'institute') }
const PASS = { office: 'office passphrase 2027', institute: 'institute passphrase 2027' }
const cli = (who, ...args) => lixiang(dirs[who], PASS[who], ...args)
const field = (path) => `input[data-field="${path}"], [data-field="${path}"] input`
const TITLE = '高产优质青稞新品种选育（窗口编辑）'
const TITLE_R2 = '高产优质青稞新品种选育与示范（修订）'

before(() => {
  cli('office', 'init', '--role', 'office', '--name', '西藏自治区科学技术厅')
  cli('institute', 'init', '--role', 'applicant', '--name', '西藏自治区农牧科学院')
})

/** Replaces what the text field `id` (or the field at `css`) holds with `text`, typed. */
async function retype(s, id, text, css = input(id)) {
  const el = await s.find(css)
  await s.clear(el)
  await s.type(el, text)
  await s.waitFor(`${id} = ${text}`, async () => (await s.property(el, 'value')) === text, 5000)
}

/** The problems listed, as [field, label] pairs. */
const problems = (s) =>
  s.execute(
    `return [...document.querySelectorAll('[data-testid="call-problem"]')].map((e) => [e.dataset.field, e.querySelector('[data-testid="call-problem-field"]').innerText.trim(), e.innerText.trim()])`,
  )

async function publish(s, revision) {
  await s.click(await s.find('[data-testid="call-publish"]'))
  await s.clickSettled('.el-message-box__btns .el-button--primary')
  await s.waitFor(`revision ${revision} published`, async () => (await s.texts('[data-testid="call-editor-status"]'))[0] === '已发布', 30000)
  assert.equal((await s.texts('[data-testid="call-editor-revision"]'))[0], `第 ${revision} 版`)
}

/** Picks the option of the select at `css` whose text passes `match`. */
async function pick(s, css, match) {
  const select = await s.find(css)
  await s.waitFor(`an option at ${css}`, async () => {
    await s.click(select)
    await new Promise((r) => setTimeout(r, 300))
    return s.execute(
      `const o = [...document.querySelectorAll('.el-select-dropdown__item')].find((e) => e.offsetParent && (${match})(e.textContent.trim())); if (o) o.click(); return !!o`,
    )
  }, 15000)
  await s.waitFor('the dropdown closed', () =>
    s.execute(`return ![...document.querySelectorAll('.el-select-dropdown__item')].some((e) => e.offsetParent)`),
  )
}

test('the office makes, corrects, publishes, revises and exports a call in the window', async () => {
  const pkg = join(root, 'call-r2.lxpkg')
  const pkg1 = join(root, 'call-r1.lxpkg')
  let code
  await withUnlockedApp(dirs.office, PASS.office, 'calldesk', async (s) => {
    await s.click(await s.find('[data-testid="nav-calls"]'))
    await s.click(await s.find('[data-testid="call-new"]'))
    // The programme: ZX06, from the dialog's list (its label starts with the code).
    const select = await s.find('[data-testid="call-new-dialog"] .el-select__wrapper')
    await s.waitFor('the programme list', async () => {
      await s.click(select)
      await new Promise((r) => setTimeout(r, 300))
      return s.execute(
        `const o = [...document.querySelectorAll('.el-select-dropdown__item')].find((e) => e.offsetParent && e.textContent.trim().startsWith('ZX06 ')); if (o) o.click(); return !!o`,
      )
    }, 15000)
    await s.clickSettled('[data-testid="call-new-create"]')

    // The editor of the new draft, revision 1.
    code = await s.waitFor('the editor', async () => (await s.texts('[data-testid="call-editor-code"]'))[0], 30000)
    assert.equal(code, '2027-ZX06-01')
    assert.equal((await s.texts('[data-testid="call-editor-status"]'))[0], '草稿')
    assert.equal(await s.property(await s.find(input('call-per-project')), 'value'), '150')
    await retype(s, 'call-title-zh', TITLE)
    await retype(s, 'call-per-project', '180')
    await retype(s, 'call-total', '900')
    // A closing time before the opening (2026-11-02 09:00).
    await retype(s, 'call-closes-at', '2026-10-01 17:00')
    await s.click(await s.find('[data-testid="call-save"]'))
    const listed = await s.waitFor('the problems', async () => {
      const p = await problems(s)
      return p.length ? p : null
    }, 30000)
    const closing = listed.find(([field]) => field === 'closes_at')
    assert.ok(closing, JSON.stringify(listed))
    assert.equal(closing[1], '申报截止时间')
    // … and beside the field itself.
    await s.waitFor('the field marked', async () => (await s.findAll('.is-error [data-testid="call-closes-at"]')).length > 0, 5000)
    await s.screenshot('calldesk-problems')

    // Saved as typed (a draft may be wrong for a while); publishing is refused and writes nothing.
    const draft = JSON.parse(cli('office', 'call', 'show', code))
    assert.equal(draft.title.zh, TITLE)
    assert.equal(draft.funding_per_project, 180_000_000)
    assert.equal(draft.funding_total, 900_000_000)
    assert.equal(draft.closes_at, '2026-10-01T17:00:00+08:00')
    await s.click(await s.find('[data-testid="call-publish"]'))
    await s.clickSettled('.el-message-box__btns .el-button--primary')
    await new Promise((r) => setTimeout(r, 1500))
    assert.equal((await s.texts('[data-testid="call-editor-status"]'))[0], '草稿')
    assert.deepEqual(JSON.parse(cli('office', 'call', 'show', code)).status, { state: 'draft' })

    // Corrected and published.
    await retype(s, 'call-closes-at', '2027-01-20 17:30')
    await publish(s, 1)
    assert.equal((await s.findAll('[data-testid="call-save"]')).length, 0, 'a published revision is read-only')
    // Revision 1's package, by the command line while the window is open on the same workspace.
    cli('office', 'call', 'export', code, '--out', pkg1)

    // Revision 2: a later deadline and a new title; the changes against revision 1 are listed.
    await s.click(await s.find('[data-testid="call-revise"]'))
    await s.waitFor('revision 2', async () => (await s.texts('[data-testid="call-editor-revision"]'))[0] === '第 2 版', 30000)
    assert.equal((await s.texts('[data-testid="call-editor-status"]'))[0], '草稿')
    await retype(s, 'call-title-zh', TITLE_R2)
    await retype(s, 'call-closes-at', '2027-01-31 17:30')
    // The review plan: 7 experts in the first round (a changed plan is the plan's next version).
    await s.click(await s.find('#tab-review'))
    const experts = await s.find('[data-field="review_plan.rounds[0].experts"] input, input[data-field="review_plan.rounds[0].experts"]')
    await s.clear(experts)
    await s.type(experts, '7\uE004')
    // Saved from the keyboard (Ctrl+S) in the title field.
    await s.click(await s.find('#tab-basics'))
    await s.type(await s.find(input('call-title-zh')), '\uE009s\uE000')
    await s.waitFor('saved', async () => (await s.findAll('[data-testid="call-saved-at"]')).length > 0, 30000)
    await s.click(await s.find('#tab-changes'))
    const changed = await s.waitFor('the changes', async () => {
      const f = await s.execute(`return [...document.querySelectorAll('[data-testid="change-field"]')].map((e) => e.dataset.field)`)
      return f.length ? f : null
    }, 30000)
    assert.ok(changed.includes('closes_at'), JSON.stringify(changed))
    assert.ok(changed.some((f) => f.startsWith('title')), JSON.stringify(changed))
    assert.ok(changed.some((f) => f.startsWith('review_plan')), JSON.stringify(changed))
    assert.ok(!changed.some((f) => f.startsWith('funding')), 'unchanged fields are not listed')
    await s.screenshot('calldesk-changes')
    await publish(s, 2)

    // The package of revision 2, through the save dialog.
    await s.click(await s.find('[data-testid="call-export"]'))
    await answerFileDialog(s, '保存指南文件包', pkg, { save: true })
    await s.waitFor('the package written', async () => existsSync(pkg) && statSync(pkg).size > 0, 30000)
  })

  // The stored call, as the command line reads it: revision 2, published, with the edits.
  const stored = JSON.parse(cli('office', 'call', 'show', code))
  assert.equal(stored.revision, 2)
  assert.equal(stored.status.state, 'published')
  assert.equal(stored.title.zh, TITLE_R2)
  assert.equal(stored.funding_per_project, 180_000_000)
  assert.equal(stored.funding_total, 900_000_000)
  assert.equal(stored.closes_at, '2027-01-31T17:30:00+08:00')
  assert.equal(stored.opens_at, '2026-11-02T09:00:00+08:00', 'a time left as shown keeps its stored form')
  assert.equal(stored.review_plan.rounds[0].experts, 7)
  assert.equal(stored.review_plan.version, 2)

  // A fresh applicant workspace accepts both packages and holds revision 2.
  const office = JSON.parse(cli('office', 'key', 'show', '--json'))
  cli('institute', 'package', 'import', pkg1, '--trust-fingerprint', office.fingerprint)
  cli('institute', 'package', 'import', pkg)
  const received = JSON.parse(cli('institute', 'call', 'show', code))
  assert.equal(received.revision, 2)
  assert.equal(received.title.zh, TITLE_R2)

  // The applicant sees the call read-only, with what revision 2 changed.
  await withUnlockedApp(dirs.institute, PASS.institute, 'calldesk-applicant', async (s) => {
    await s.click(await s.find('[data-testid="nav-calls"]'))
    await s.click(await s.find('[data-testid="call-open"]'))
    await s.waitFor('the call', async () => (await s.texts('[data-testid="call-editor-revision"]'))[0] === '第 2 版', 30000)
    assert.equal((await s.findAll('[data-testid="call-save"], [data-testid="call-revise"], [data-testid="call-new"]')).length, 0)
    assert.equal(await s.property(await s.find(input('call-title-zh')), 'disabled'), true)
    await s.click(await s.find('#tab-changes'))
    const seen = await s.waitFor('the changes', async () => {
      const f = await s.execute(`return [...document.querySelectorAll('[data-testid="change-field"]')].map((e) => e.dataset.field)`)
      return f.length ? f : null
    }, 30000)
    assert.ok(seen.includes('closes_at') && seen.includes('title'), JSON.stringify(seen))
    assert.ok((await s.texts('[data-testid="change-after"]')).includes(TITLE_R2))
  })
})

test('a race (赛马) for ZX06 from the ZX05 demo: tranches that do not add up and a wrong credit code are named, then published', async () => {
  let code
  await withUnlockedApp(dirs.office, PASS.office, 'calldesk-race', async (s) => {
    await s.click(await s.find('[data-testid="nav-calls"]'))
    await s.click(await s.find('[data-testid="call-new"]'))
    await pick(s, '[data-testid="call-new-dialog"] [data-testid="call-new-programme"]', "(t) => t.startsWith('ZX06 ')")
    await pick(s, '[data-testid="call-new-dialog"] [data-testid="call-new-from"]', "(t) => t.includes('赛马')")
    await s.clickSettled('[data-testid="call-new-create"]')
    code = await s.waitFor('the editor', async () => (await s.texts('[data-testid="call-editor-code"]'))[0], 30000)
    assert.equal(code, '2027-ZX06-02', 'the first ZX06 code is taken by the call of the first test')

    await s.click(await s.find('#tab-mode'))
    await retype(s, null, '500', field('mode.contest.milestones[1].tranche'))
    await retype(s, null, '91540100MA6T01015Y', field('mode.end_user.credit_code'))
    await s.click(await s.find('[data-testid="call-save"]'))
    const listed = await s.waitFor('the problems', async () => {
      const p = await problems(s)
      return p.length ? p : null
    }, 30000)
    const byField = Object.fromEntries(listed.map(([f, label]) => [f, label]))
    assert.equal(byField['mode.contest.milestones'], '里程碑', JSON.stringify(listed))
    assert.equal(byField['mode.end_user.credit_code'], '统一社会信用代码', JSON.stringify(listed))
    await s.waitFor('the code marked', async () => (await s.findAll('.is-error [data-field="mode.end_user.credit_code"]')).length > 0, 5000)
    await s.screenshot('calldesk-race-problems')

    // 200 + 300 + 500 = 1000 万元, the funding per project; the credit code with its right check character.
    await retype(s, null, '200', input('call-first-tranche'))
    await retype(s, null, '91540100MA6T01015X', field('mode.end_user.credit_code'))
    await publish(s, 1)
  })
  const stored = JSON.parse(cli('office', 'call', 'show', code))
  assert.equal(stored.programme, 'ZX06')
  assert.equal(stored.mode.contest.kind, 'race')
  assert.equal(stored.mode.contest.first_tranche, 200_000_000)
  assert.deepEqual(stored.mode.contest.milestones.map((m) => m.tranche), [300_000_000, 500_000_000])
  assert.ok(stored.core_indicators.every((i) => i.locked), 'a challenge keeps its indicators locked')
})
