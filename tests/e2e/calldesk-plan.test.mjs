// The office edits a call's review plan in the window: on a draft from the ZX06 demo (公开竞争, 技术创新:
// 通讯评审 then 会议评审) it adds a 答辩 round, which starts from the tech-innovation rubric (5 criteria,
// 100 points); removing a criterion leaves 90, and the core's refusal stands beside the weights; a band
// that leaves a gap is named beside its own field; raising a criterion from 20 to 30 (its top band follows)
// makes 100 again. The 会议评审 round is removed, the rounds are moved and moved back, and the call is
// published (a first revision keeps plan version 1); the real command line shows the stored plan with the
// round and its criteria. Revision 2's plan, changed, is version 2 — and still 2 after the draft is saved,
// opened again and changed again. Then a draft saves itself: after an edit the window shows 已自动保存 and leaving does not ask;
// leaving right after an edit saves it on the way out; and with the app killed right after the next edit
// has been saved automatically, the restarted app (and the command line) has it; and an edit made just
// before the window is closed is written before it goes. A first draft changes its selection mode:
// 公开竞争 → 定向委托 (one feasibility round, only 可行性论证 offered, the units to fill in) → 揭榜挂帅 (core
// indicators locked, 验收 offered), as the command line confirms.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Session, withUnlockedApp, driverForFile, input, lixiang } from './webdriver.mjs'

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-calldesk-plan-'))
const dirs = { office: join(root, 'office'), autosave: join(root, 'autosave'), mode: join(root, 'mode') }
const PASS = 'office passphrase 2027'
const cli = (who, ...args) => lixiang(dirs[who], PASS, ...args)
const field = (path) => `input[data-field="${path}"], [data-field="${path}"] input`

before(() => {
  cli('office', 'init', '--role', 'office', '--name', '西藏自治区科学技术厅')
  cli('autosave', 'init', '--role', 'office', '--name', '西藏自治区科学技术厅')
  cli('mode', 'init', '--role', 'office', '--name', '西藏自治区科学技术厅')
})

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

/** A new draft for ZX06 from its own demo, opened in the editor; its code. */
/**
 * The app on `dataDir`, unlocked. Not through withUnlockedApp: these tests end the app themselves (killed,
 * or its window closed) and close the session after.
 */
async function openUnlocked(dataDir) {
  const s = await Session.open(['--data-dir', dataDir])
  await s.type(await s.find(input('unlock-passphrase'), 30000), PASS)
  await s.click(await s.find('[data-testid="unlock-submit"]'))
  return s
}

/** Opens the draft listed in 指南/榜单 and waits until its title field shows `title`, as saved; the field. */
async function openSavedDraft(s, title) {
  await s.click(await s.find('[data-testid="call-open"]'))
  const field = await s.find(input('call-title-zh'), 30000)
  await s.waitFor(`the saved title “${title}”`, async () => (await s.property(field, 'value')) === title, 15000)
  return field
}

async function newDraft(s) {
  await s.click(await s.find('[data-testid="nav-calls"]'))
  await s.click(await s.find('[data-testid="call-new"]'))
  await pick(s, '[data-testid="call-new-dialog"] [data-testid="call-new-programme"]', "(t) => t.startsWith('ZX06 ')")
  await s.clickSettled('[data-testid="call-new-create"]')
  return s.waitFor('the editor', async () => (await s.texts('[data-testid="call-editor-code"]'))[0], 30000)
}

/** Replaces what the number or text field at `css` holds with `text`, typed, and leaves it (Tab). */
async function retype(s, css, text) {
  const el = await s.find(css)
  await s.clear(el)
  await s.type(el, `${text}\uE004`)
}

/** The n-th (from 0) element matching `css`, clicked; then the visible confirmation's 确定 when it asks. */
async function clickNth(s, css, n, { confirm = false } = {}) {
  const els = await s.findAll(css)
  assert.ok(els.length > n, `${css}: ${els.length} found, wanted #${n}`)
  await s.click(els[n])
  if (confirm) {
    await s.waitFor('the confirmation', () =>
      s.execute(
        `const b = [...document.querySelectorAll('.el-popconfirm .el-button--primary')].find((e) => e.offsetParent); if (b) b.click(); return !!b`,
      ),
    )
  }
}

/** The message shown beside the input of `path` in the plan (the `.field-error` of its cell or label). */
const besideField = (s, path) =>
  s.execute(
    `const i = document.querySelector(arguments[0]); const box = i && i.closest('td, label'); const e = box && box.querySelector('.field-error'); return e ? e.innerText.trim() : null`,
    [`[data-testid^="round-form-"] [data-field="${path}"]`],
  )

const roundKinds = (s) =>
  s.execute(`return [...document.querySelectorAll('[data-testid="plan-round-kind"]')].map((e) => e.dataset.kind)`)

async function saveByKeyboard(s) {
  await s.type(await s.find(field('review_plan.rounds[0].experts')), '\uE009s\uE000')
}

test('the office adds a 答辩 round, edits its rubric to the core’s satisfaction, removes a round and publishes', async () => {
  let code, stored
  await withUnlockedApp(dirs.office, PASS, 'calldesk-plan', async (s) => {
    code = await newDraft(s)
    assert.equal(code, '2027-ZX06-01')
    await s.click(await s.find('#tab-review'))
    assert.deepEqual(await roundKinds(s), ['mail_review', 'panel_review'])

    // 答辩, from the category's template: the tech-innovation rubric, 5 criteria adding up to 100.
    await pick(s, '[data-testid="round-add-kind"]', "(t) => t === '答辩'")
    await s.click(await s.find('[data-testid="round-add"]'))
    await s.find('[data-testid="round-form-2"]', 15000)
    assert.deepEqual(await roundKinds(s), ['mail_review', 'panel_review', 'defence'])
    assert.equal((await s.texts('[data-testid="plan-version"]'))[0], '评审计划第 1 版', 'a first revision keeps its plan version')
    const r2 = '[data-testid="round-form-2"]'
    assert.equal((await s.findAll(`${r2} [data-testid="round-2-criterion"]`)).length, 5)
    assert.match((await s.texts('[data-testid="round-2-weight-sum"]'))[0], /合计 100 分/)

    // The last criterion (10 points) removed: 90, shown at once; the core's refusal beside the weights.
    await clickNth(s, `${r2} [data-testid="criterion-remove"]`, 4, { confirm: true })
    await s.waitFor('the sum 90', async () => /合计 90 分/.test((await s.texts('[data-testid="round-2-weight-sum"]'))[0]))
    await saveByKeyboard(s)
    const refusal = await s.waitFor('the refusal beside the weights', async () => (await s.texts('[data-testid="round-2-criteria-error"]'))[0], 30000)
    assert.match(refusal, /满分合计为 90，应为 100/)
    const listed = await s.execute(
      `return [...document.querySelectorAll('[data-testid="call-problem"]')].map((e) => [e.dataset.field, e.dataset.code, e.querySelector('[data-testid="call-problem-field"]').innerText.trim()])`,
    )
    assert.ok(
      listed.some(([f, c, label]) => f === 'review_plan.rounds[2].form.criteria' && c === 'call.review.weights_not_100' && label === '评审计划 第 3 轮'),
      JSON.stringify(listed),
    )
    // Saved as edited all the same: a draft may be wrong for a while.
    const draft = JSON.parse(cli('office', 'call', 'show', code))
    assert.equal(draft.review_plan.rounds[2].form.criteria.length, 4)

    // A gap between bands (the second band of the first criterion ends at 19, not 19.5), named beside it.
    const high = 'review_plan.rounds[2].form.criteria[0].bands[1].high'
    await retype(s, field(high), '19')
    await s.waitFor('the live mark', async () => (await s.texts('[data-testid="round-2-coverage"]'))[0].includes('空缺'))
    await saveByKeyboard(s)
    const gap = await s.waitFor('the gap beside its field', () => besideField(s, high), 30000)
    assert.match(gap, /第 2 档的上限 19 分与上一档之间有空缺/)
    await retype(s, field(high), '19.5')

    // 20 → 30 for the fourth criterion: its top band follows, the weights add up to 100 again.
    await retype(s, field('review_plan.rounds[2].form.criteria[3].weight'), '30')
    await s.waitFor('the sum 100', async () => /合计 100 分/.test((await s.texts('[data-testid="round-2-weight-sum"]'))[0]))
    await s.screenshot('calldesk-plan-rubric')

    // The 会议评审 round removed; the rounds moved and moved back.
    await clickNth(s, '[data-testid="round-remove"]', 1, { confirm: true })
    await s.waitFor('two rounds', async () => (await roundKinds(s)).join() === 'mail_review,defence')
    await clickNth(s, '[data-testid="round-up"]', 1)
    await s.waitFor('moved up', async () => (await roundKinds(s)).join() === 'defence,mail_review')
    await clickNth(s, '[data-testid="round-down"]', 0)
    await s.waitFor('moved back', async () => (await roundKinds(s)).join() === 'mail_review,defence')

    await s.click(await s.find('[data-testid="call-publish"]'))
    await s.clickSettled('.el-message-box__btns .el-button--primary')
    await s.waitFor('published', async () => (await s.texts('[data-testid="call-editor-status"]'))[0] === '已发布', 30000)
    assert.equal((await s.findAll('[data-testid="round-add"], [data-testid="criterion-add"], [data-testid="round-remove"]')).length, 0, 'read-only once published')
    stored = JSON.parse(cli('office', 'call', 'show', code))

    // Revision 2: its plan changed against r1's is r1's next version, and stays so when the draft is saved,
    // opened again and changed again.
    await s.clickSettled('[data-testid="call-revise"]')
    await s.waitFor('revision 2', async () => (await s.texts('[data-testid="call-editor-status"]'))[0] === '草稿', 30000)
    await s.click(await s.find('#tab-review'))
    assert.equal((await s.texts('[data-testid="plan-version"]'))[0], '评审计划第 1 版', 'unchanged: r1’s version')
    await clickNth(s, '[data-testid="round-remove"]', 1, { confirm: true })
    await s.waitFor('one round', async () => (await roundKinds(s)).join() === 'mail_review')
    assert.equal((await s.texts('[data-testid="plan-version"]'))[0], '评审计划第 2 版', 'a changed plan is the next version')
    await s.waitFor('the autosave', async () => (await s.findAll('[data-testid="call-autosaved"]')).length > 0, 15000)
    await s.click(await s.find('[data-testid="nav-calls"]'))
    await s.click(await s.find('[data-testid="call-open"]', 15000))
    await s.click(await s.find('#tab-review', 30000))
    await s.waitFor('the saved plan', async () => (await roundKinds(s)).join() === 'mail_review')
    await pick(s, '[data-testid="round-add-kind"]', "(t) => t === '答辩'")
    await s.click(await s.find('[data-testid="round-add"]'))
    await s.waitFor('two rounds again', async () => (await roundKinds(s)).join() === 'mail_review,defence')
    assert.equal((await s.texts('[data-testid="plan-version"]'))[0], '评审计划第 2 版', 'still r1’s next version, not 3')
    await s.waitFor('the autosave', async () => (await s.findAll('[data-testid="call-autosaved"]')).length > 0, 15000)
  })

  // The stored plans, as the command line reads them: r1 as published, the draft r2 at version 2.
  assert.equal(stored.status.state, 'published')
  assert.equal(stored.review_plan.version, 1, 'a first revision keeps its plan version')
  const draft = JSON.parse(cli('office', 'call', 'show', code))
  assert.deepEqual([draft.revision, draft.status.state, draft.review_plan.version], [2, 'draft', 2])
  assert.deepEqual(stored.review_plan.rounds.map((r) => r.kind), ['mail_review', 'defence'])
  const defence = stored.review_plan.rounds[1]
  assert.equal(defence.experts, 7)
  assert.equal(defence.form.kind, 'scored')
  assert.deepEqual(defence.form.criteria.map((c) => c.weight), [25, 25, 20, 30])
  assert.deepEqual(defence.form.criteria.map((c) => c.id), ['need', 'innovation', 'feasibility', 'benefit'])
  assert.deepEqual(defence.form.criteria[3].bands[0], { ...defence.form.criteria[3].bands[0], low: 32, high: 60 })
  assert.equal(defence.form.criteria[0].bands[1].high, 39)
})

test('a draft call saves itself: no prompt on leaving once saved, and an edit survives the app being killed', async () => {
  const TITLE = '高产优质青稞新品种选育（自动保存）'
  const TITLE2 = '高产优质青稞新品种选育（被强行关闭前）'
  let code
  await withUnlockedApp(dirs.autosave, PASS, 'calldesk-autosave', async (s) => {
    code = await newDraft(s)
    const title = await s.find(input('call-title-zh'))
    await s.clear(title)
    await s.type(title, TITLE)
    await s.waitFor('unsaved', async () => (await s.findAll('[data-testid="call-unsaved"]')).length > 0, 5000)
    const shown = await s.waitFor('the autosave', async () => (await s.texts('[data-testid="call-autosaved"]'))[0], 15000)
    assert.match(shown, /^已自动保存 \d{2}:\d{2}:\d{2}$/)
    assert.equal(JSON.parse(cli('autosave', 'call', 'show', code)).title.zh, TITLE)
    // Everything is saved: leaving does not ask.
    const noPrompt = async () =>
      assert.equal(await s.execute(`return [...document.querySelectorAll('.el-message-box')].some((e) => e.offsetParent)`), false)
    await s.click(await s.find('[data-testid="nav-calls"]'))
    await s.find('[data-testid="calls-table"]', 15000)
    await noPrompt()
    // Leaving right after an edit, before the autosave's pause, saves it on the way out without asking.
    const again = await openSavedDraft(s, TITLE)
    await s.type(again, '（离开前）')
    await s.click(await s.find('[data-testid="nav-calls"]'))
    await s.find('[data-testid="calls-table"]', 15000)
    await noPrompt()
    assert.equal(JSON.parse(cli('autosave', 'call', 'show', code)).title.zh, `${TITLE}（离开前）`)
  })

  const s = await openUnlocked(dirs.autosave)
  try {
    await s.click(await s.find('[data-testid="nav-calls"]'))
    const title = await openSavedDraft(s, `${TITLE}（离开前）`)
    await s.clear(title)
    await s.type(title, TITLE2)
    await s.waitFor('the autosave', async () => (await s.findAll('[data-testid="call-autosaved"]')).length > 0, 15000)
    // No goodbye: the process is killed as a power cut would (by its pid: a pattern could also match the
    // WebDriver processes that started it).
    const pids = execFileSync('pgrep', ['-f', `lixiang-desktop --data-dir ${dirs.autosave}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
    assert.equal(pids.length, 1, `one app process for the workspace: ${pids}`)
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL')
  } finally {
    await s.close()
  }

  assert.equal(JSON.parse(cli('autosave', 'call', 'show', code)).title.zh, TITLE2)
  await withUnlockedApp(dirs.autosave, PASS, 'calldesk-autosave-after-kill', async (s) => {
    await s.click(await s.find('[data-testid="nav-calls"]'))
    await openSavedDraft(s, TITLE2) // the edit made before the kill
    assert.equal((await s.texts('[data-testid="call-editor-status"]'))[0], '草稿')
  })
  const check = execFileSync('sqlite3', [join(dirs.autosave, 'lixiang.db'), 'PRAGMA integrity_check'], { encoding: 'utf8' })
  assert.equal(check.trim(), 'ok')

  // The window closed (as its close button does) right after an edit, inside the autosave's pause: the
  // draft is written before the window goes.
  const TITLE3 = '高产优质青稞新品种选育（关闭窗口前）'
  const c = await openUnlocked(dirs.autosave)
  try {
    await c.click(await c.find('[data-testid="nav-calls"]'))
    const title = await openSavedDraft(c, TITLE2)
    await c.clear(title)
    await c.type(title, TITLE3)
    // The window may be gone before the script's answer comes back.
    await c.execute(`window.__TAURI_INTERNALS__.invoke('plugin:window|close', { label: 'main' })`).catch(() => {})
    const running = () => {
      try {
        return execFileSync('pgrep', ['-f', `lixiang-desktop --data-dir ${dirs.autosave}`], { encoding: 'utf8' }).trim() !== ''
      } catch {
        return false // pgrep exits 1 when nothing matches
      }
    }
    for (let i = 0; running() && i < 100; i++) await new Promise((r) => setTimeout(r, 100))
    assert.equal(running(), false, 'the app quit with its window')
  } finally {
    await c.close()
  }
  assert.equal(JSON.parse(cli('autosave', 'call', 'show', code)).title.zh, TITLE3, 'written before the window closed')
})

/** The round kinds the add-round select offers, as shown. */
async function offeredKinds(s) {
  await s.click(await s.find('[data-testid="round-add-kind"]'))
  const texts = await s.waitFor('the options', async () => {
    const t = await s.execute(
      `return [...document.querySelectorAll('.el-select-dropdown__item')].filter((e) => e.offsetParent).map((e) => e.textContent.trim())`,
    )
    return t.length ? t : null
  })
  await s.click(await s.find('[data-testid="round-add-kind"]'))
  // The dropdown fades out; a click on the select before it is gone would find it still open.
  await s.waitFor('the options closed', () =>
    s.execute(`return ![...document.querySelectorAll('.el-select-dropdown__item')].some((e) => e.offsetParent)`),
  )
  return texts
}

/**
 * Clicks the mode button, confirms the change and waits until the change is over: the button is active as
 * soon as the changed call is loaded, but the draft is then saved again before the window says it changed
 * (`已改为“…”`), and a step taken in between would race that save.
 */
async function changeMode(s, mode) {
  const names = { directed_commission: '定向委托', challenge: '揭榜挂帅', open_competition: '公开竞争' }
  await s.click(await s.find('#tab-mode'))
  await s.click(await s.find(`[data-testid="call-mode-${mode}"]`))
  await s.clickSettled('.el-message-box__btns .el-button--primary')
  await s.waitFor(`the mode ${mode}`, () =>
    s.execute(
      `return !!document.querySelector('[data-testid="call-mode-${mode}"].is-active') &&
        [...document.querySelectorAll('.el-message--success')].some((m) => m.textContent.includes('已改为“' + arguments[0] + '”'))`,
      [names[mode]],
    ),
  30000)
}

test('a first draft changes its selection mode, and the plan and the rules follow', async () => {
  await withUnlockedApp(dirs.mode, PASS, 'calldesk-mode', async (s) => {
    const code = await newDraft(s)
    await s.click(await s.find('#tab-review'))
    assert.deepEqual(await offeredKinds(s), ['通讯评审', '会议评审', '答辩', '现场考察'])

    await changeMode(s, 'directed_commission')
    let stored = JSON.parse(cli('mode', 'call', 'show', code))
    assert.equal(stored.mode.kind, 'directed_commission')
    assert.equal(stored.places, 1)
    assert.deepEqual(stored.review_plan.rounds.map((r) => r.kind), ['feasibility'])
    // The designated unit is to be filled in: named beside its field.
    await s.waitFor('the unit named as missing', async () =>
      (await s.execute(`return [...document.querySelectorAll('[data-testid="call-problem"]')].map((e) => e.dataset.field)`)).some((f) =>
        f.startsWith('mode.units'),
      ),
    30000)
    await s.click(await s.find('#tab-review'))
    assert.deepEqual(await roundKinds(s), ['feasibility'])
    assert.deepEqual(await offeredKinds(s), ['可行性论证'])

    await changeMode(s, 'challenge')
    stored = JSON.parse(cli('mode', 'call', 'show', code))
    assert.equal(stored.mode.kind, 'challenge')
    assert.ok(stored.core_indicators.length > 0 && stored.core_indicators.every((i) => i.locked), JSON.stringify(stored.core_indicators))
    assert.ok(stored.attachments.some((a) => a.code === 'pledge'))
    await s.click(await s.find('#tab-review'))
    assert.ok((await offeredKinds(s)).includes('验收'))
    assert.ok(!(await offeredKinds(s)).includes('可行性论证'))
  })
})
