// End-to-end: editing an expert of the pool and a call's industry-user definition in the office's real window.
// Prepared with the `lixiang` command: an office with the ZX06 demo call published and 12 sample experts imported.
// In 专家库, 编辑 on one expert opens the entry form pre-filled with that expert's values, the document number
// shown but fixed; a bad yearly cap is named under its field and nothing is written; corrected, the new unit
// and title are saved and `lixiang expert list --json` reads them back (one audit event, the chain verifies).
// In 评审分配 → 分配设置, 医疗 is added to the unit types that make an industry-user expert, with a reason, and
// `lixiang assign settings --json` reads the call's definition back.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { withUnlockedApp, driverForFile, lixiang, CLI } from './webdriver.mjs'

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-experts-'))
const office = join(root, 'office')
const PASS = 'office passphrase 2027'
const cli = (...args) => lixiang(office, PASS, ...args)
const json = (...args) => JSON.parse(cli(...args, '--json'))
const pool = () => json('expert', 'list').experts

let callCode
before(() => {
  json('init', '--role', 'office', '--name', '西藏自治区科学技术厅')
  callCode = json('call', 'create', '--demo', 'ZX06').code
  cli('call', 'publish', callCode)
  const sheet = join(root, 'experts.xlsx')
  cli('expert', 'template', '--out', sheet, '--sample', '12')
  cli('expert', 'import', '--confirm', sheet)
})

test('an expert edited in the window, and the call’s industry-user definition, read back by the CLI', async () => {
  const before = pool().find((e) => e.name === '扎西次仁')
  assert.ok(before, 'the sample pool holds 扎西次仁')

  await withUnlockedApp(office, PASS, 'experts-edit', async (s) => {
    await s.click(await s.find('[data-testid="nav-experts"]'))
    await s.waitFor('the pool', async () => (await s.texts('[data-testid="expert-name"]')).length === 12, 30000)
    // 编辑 on 扎西次仁's row.
    const clicked = await s.execute(
      `const tr = [...document.querySelectorAll('[data-testid="experts-table"] .el-table__body tr')].find((r) => r.textContent.includes(arguments[0]));
       const b = tr && tr.querySelector('[data-testid="expert-edit"]'); if (b) b.click(); return !!b`,
      ['扎西次仁'],
    )
    assert.ok(clicked, 'the row has an 编辑 button')
    const value = (header) =>
      s.execute(
        `const e = document.querySelector('[data-testid="expert-entry"] [data-field="' + arguments[0] + '"] input, [data-testid="expert-entry"] [data-field="' + arguments[0] + '"] textarea'); return e ? e.value : null`,
        [header],
      )
    // Pre-filled with the expert's current values; the document number shown but not editable.
    await s.waitFor('the form pre-filled', async () => (await value('工作单位')) === before.unit, 15000)
    assert.equal(await value('姓名'), '扎西次仁')
    assert.equal(await value('证件号码'), before.document.number)
    const fixed = await s.execute(
      `return document.querySelector('[data-testid="expert-entry"] [data-field="证件号码"] input').disabled`,
    )
    assert.equal(fixed, true, 'the document number cannot be typed over')
    const title = await s.texts('[data-testid="expert-entry"] .el-dialog__title')
    assert.match(title[0], /编辑专家 扎西次仁（ZJ\d{6}）/)

    const field = async (header, text) => {
      const el = await s.find(`[data-testid="expert-entry"] [data-field="${header}"] input`)
      await s.clear(el)
      await s.type(el, text)
    }
    // A bad yearly cap: named under its field, nothing written.
    await field('工作单位', '西藏自治区农牧科学院青稞研究所（示例）')
    await field('职称', '教授级高级工程师')
    await field('年度评审上限', '二十')
    await s.clickSettled('[data-testid="entry-save"]')
    const capError = await s.waitFor('the cap problem under its field', async () =>
      (await s.texts('[data-field="年度评审上限"] .el-form-item__error'))[0],
    )
    assert.match(capError, /非负整数/)
    assert.equal(pool().find((e) => e.number === before.number).unit, before.unit, 'nothing written')
    // Corrected: saved, the dialog closes and the list shows the new unit.
    await field('年度评审上限', '15')
    await s.waitFor('the problem cleared as it is typed', async () =>
      (await s.texts('[data-field="年度评审上限"] .el-form-item__error')).length === 0,
    )
    await s.clickSettled('[data-testid="entry-save"]')
    await s.waitFor('the list with the new unit', async () =>
      (await s.texts('[data-testid="experts-table"] .el-table__body tr')).some((r) => r.includes('青稞研究所')),
    30000)
    await s.screenshot('experts-edited')

    // 分配设置: hospitals count as industry users too for this call.
    await s.click(await s.find('[data-testid="nav-assignment"]'))
    await s.clickSettled('[data-testid="assignment-settings-open"]')
    const unitTypes = '[data-testid="assignment-settings"] [data-field="industry-unit-types"]'
    await s.waitFor('the current definition', async () => (await s.texts(`${unitTypes} .el-tag`)).some((t) => t.includes('企业')), 15000)
    const anyOpen = () => s.execute('return [...document.querySelectorAll(".el-select-dropdown__item")].some((e) => e.offsetParent)')
    for (let attempt = 1; !(await anyOpen()); attempt++) {
      if (attempt > 5) throw new Error('the unit-type list did not open')
      await s.click(await s.find(`${unitTypes} .el-select__wrapper`))
      await s.waitFor('the unit-type list', anyOpen, 2000).catch(() => false)
    }
    await s.waitFor('医疗 chosen', () =>
      s.execute(
        `const o = [...document.querySelectorAll('.el-select-dropdown__item')].find((e) => e.offsetParent && e.textContent.trim() === '医疗'); if (o) o.click(); return !!o`,
      ),
    )
    await s.waitFor('医疗 among the tags', async () => (await s.texts(`${unitTypes} .el-tag`)).some((t) => t.includes('医疗')))
    await s.click(await s.find('[data-testid="assignment-settings"] .hint'))
    await s.type(await s.find('input[data-testid="settings-reason"], [data-testid="settings-reason"] input'), '本批项目面向医疗机构应用')
    await s.clickSettled('[data-testid="settings-save"]')
    await s.waitFor('the new definition in the summary', async () =>
      /产业用户 产业\/企业\/医疗/.test((await s.texts('[data-testid="assignment-settings-summary"]'))[0] ?? ''),
    30000)
  })

  const after = pool().find((e) => e.number === before.number)
  assert.equal(after.unit, '西藏自治区农牧科学院青稞研究所(示例)', 'stored as the template reads it (NFKC)')
  assert.equal(after.title, '教授级高级工程师')
  assert.equal(after.yearly_cap, 15)
  assert.equal(after.document.number, before.document.number)
  assert.equal(after.name, before.name)
  cli('audit', 'verify')
  const settings = json('assign', 'settings', '--call', callCode).settings
  assert.deepEqual(settings.industry_user, { categories: ['产业'], unit_types: ['企业', '医疗'] })
})
