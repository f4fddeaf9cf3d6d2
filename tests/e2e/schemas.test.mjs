// The budget schemas (经费预算规则) in the office's window: on 指南 / 榜单 → 经费预算规则 the office sees the
// shipped schemas, tries to add a file that reuses the shipped central schema's code and version with
// another rate (refused, the message naming the file), a file missing its Chinese name (refused, naming
// the field), then a schema of its own, which is listed as 本机添加 with the hash the command line prints
// and opens to its 17 % first tier.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { answerFileDialog, withUnlockedApp, driverForFile, lixiang } from './webdriver.mjs'

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-schemas-'))
const office = join(root, 'office')
const PASS = 'office passphrase 2027'
const cli = (...args) => lixiang(office, PASS, ...args)

const central = readFileSync(fileURLToPath(new URL('../../seeds/budget/central-2021.toml', import.meta.url)), 'utf8')
const files = {
  conflicting: join(root, 'central-edited.toml'),
  unnamed: join(root, 'unnamed.toml'),
  pilot: join(root, 'pilot-2027.toml'),
}

before(() => {
  cli('init', '--role', 'office', '--name', '科技厅')
  writeFileSync(files.conflicting, central.replace('rate_percent = 30', 'rate_percent = 35'))
  writeFileSync(files.unnamed, central.replace('code = "central-2021"', 'code = "unnamed-2027"').replace(/^name_zh = .*$/m, ''))
  writeFileSync(
    files.pilot,
    central
      .replace('code = "central-2021"', 'code = "pilot-2027"')
      .replace('name_zh = "中央财政科研项目经费（2021年改革）"', 'name_zh = "试点经费规则（2027）"')
      .replace('rate_percent = 30', 'rate_percent = 17'),
  )
})

test('the office adds a budget schema file in the window and sees it listed; refusals are shown', async () => {
  await withUnlockedApp(office, PASS, 'schemas', async (s) => {
    await s.click(await s.find('[data-testid="nav-calls"]'))
    await s.click(await s.find('#tab-schemas'))
    const codes = () => s.texts('[data-testid="schema-code"]')
    await s.waitFor('the shipped schemas', async () => (await codes()).includes('central-2021'), 30000)
    assert.deepEqual(await codes(), ['central-2021', 'xizang-provincial-2017'])

    const refusal = async (file) => {
      await s.click(await s.find('[data-testid="schema-add"]'))
      await answerFileDialog(s, '选择经费预算规则文件', file)
      return s.waitFor('the refusal', async () => (await s.texts('[data-testid="schema-refusal"]'))[0], 30000)
    }
    const conflict = await refusal(files.conflicting)
    assert.ok(conflict.includes('central-edited.toml') && conflict.includes('central-2021'), conflict)
    const unnamed = await refusal(files.unnamed)
    assert.ok(unnamed.includes('unnamed.toml') && unnamed.includes('name_zh'), unnamed)
    assert.deepEqual(await codes(), ['central-2021', 'xizang-provincial-2017'], 'nothing added')

    await s.click(await s.find('[data-testid="schema-add"]'))
    await answerFileDialog(s, '选择经费预算规则文件', files.pilot)
    await s.waitFor('the added schema', async () => (await codes()).includes('pilot-2027'), 30000)
    assert.deepEqual(await s.texts('[data-testid="schema-origin"]'), ['程序自带', '程序自带', '本机添加'])
    assert.equal((await s.findAll('[data-testid="schema-refusal"]')).length, 0)
    await s.screenshot('schemas-listed')

    const open = await s.findAll('[data-testid="schema-open"]')
    await s.click(open[2])
    const sha = await s.waitFor('the schema opened', async () => (await s.texts('[data-testid="schema-sha256"]'))[0], 30000)
    const rates = await s.texts('[data-testid="schema-detail"] [data-testid="tier-rate"]')
    assert.deepEqual(rates, ['17%', '25%', '20%'])
    await s.screenshot('schemas-opened')

    // The command line holds the same schema, with the same hash, added here.
    const held = JSON.parse(cli('budget', 'list', '--json')).budget_schemas.find((x) => x.code === 'pilot-2027')
    assert.equal(held.sha256, sha)
    assert.equal(held.origin, 'own')
  })
})
