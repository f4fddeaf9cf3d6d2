// End-to-end: the identity card's key administration in the real window. A workspace made with the
// `lixiang` command is unlocked in the window with its passphrase; on 联系人与文件包 the person opens
// 更改口令, types a mismatched new passphrase (refused in the dialog, nothing changed), then the
// current one and the new one twice; the window says so and the keys stay unlocked. Locked and
// reopened, the window unlocks with the new passphrase, and the command line agrees: the old one no
// longer opens the keys, the new one does.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { withUnlockedApp, driverForFile, CLI } from './webdriver.mjs'

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-keys-'))
const ws = join(root, 'ws')
const OLD = '拉萨 old passphrase 2027'
const NEW = '日喀则 new passphrase 2028'

/** The native input of an Element Plus field inside the dialog `dialog`. */
const input = (dialog, id) =>
  `[data-testid="${dialog}"] input[data-testid="${id}"], [data-testid="${dialog}"] [data-testid="${id}"] input`

const cli = (passphrase, ...args) =>
  spawnSync(CLI, ['--data-dir', ws, ...args], {
    env: { ...process.env, LIXIANG_PASSPHRASE: passphrase, LIXIANG_KDF: 'test' },
    encoding: 'utf8',
  })

test('the passphrase is changed in the window, and the window and the CLI then unlock with the new one only', async () => {
  execFileSync(CLI, ['--data-dir', ws, 'init', '--role', 'expert', '--name', '专家甲'], {
    env: { ...process.env, LIXIANG_PASSPHRASE: OLD, LIXIANG_KDF: 'test' },
  })

  await withUnlockedApp(ws, OLD, 'keys-change', async (s) => {
    await s.click(await s.find('[data-testid="nav-contacts"]'))
    await s.waitFor('the identity card', async () => (await s.texts('[data-testid="identity-name"]'))[0] === '专家甲')
    await s.click(await s.find('[data-testid="key-change"]'))
    await s.type(await s.find(input('key-change-dialog', 'key-old')), OLD)
    await s.type(await s.find(input('key-change-dialog', 'key-new')), NEW)
    await s.type(await s.find(input('key-change-dialog', 'key-again')), `${NEW}x`)
    await s.click(await s.find('[data-testid="key-change-save"]'))
    const mismatch = await s.waitFor('the mismatch', async () => (await s.texts('[data-testid="key-error-again"]'))[0])
    assert.match(mismatch, /两次输入的新口令不一致/)

    const again = await s.find(input('key-change-dialog', 'key-again'))
    await s.clear(again)
    await s.type(again, NEW)
    await s.click(await s.find('[data-testid="key-change-save"]'))
    await s.waitFor('the confirmation', async () => (await s.texts('.el-message')).some((m) => m.includes('口令已更改')), 30000)
    assert.equal((await s.texts('[data-testid="identity-lock-state"]'))[0], '已解锁')
    await s.screenshot('keys-changed')
    await s.click(await s.find('[data-testid="lock"]'))
    await s.waitFor('locked', async () => (await s.texts('[data-testid="identity-lock-state"]'))[0] === '已锁定')
  })

  // Reopened: the new passphrase unlocks the window (withUnlockedApp waits for the catalog).
  await withUnlockedApp(ws, NEW, 'keys-new-unlock', async (s) => {
    assert.equal((await s.texts('[data-testid="topbar-lock-state"]'))[0], '已解锁')
  })

  // The command line agrees: signing (a backup) works with the new passphrase only.
  const withOld = cli(OLD, 'backup', '--out', join(root, 'old.lxpkg'))
  assert.notEqual(withOld.status, 0)
  assert.match(withOld.stderr, /identity\.wrong_passphrase/)
  const withNew = cli(NEW, 'backup', '--out', join(root, 'new.lxpkg'))
  assert.equal(withNew.status, 0, withNew.stderr)
})
