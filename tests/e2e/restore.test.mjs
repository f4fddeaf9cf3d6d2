// End-to-end: a backup restored in the real window and opened there. Workspace A (科技厅甲, an office) is
// backed up with the `lixiang` command. The window runs on another workspace B (专家乙); on 联系人与文件包
// the person chooses 从备份恢复, types A's passphrase, picks the backup file and names a new folder. The
// window says what was restored; 打开恢复的工作区 switches the running app to it with the keys locked, so it
// asks for the restored identity's passphrase, and then shows A's identity. The command line agrees: the
// restored folder holds A's key and verifies, and B is untouched.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { answerFileDialog, withUnlockedApp, driverForFile, CLI } from './webdriver.mjs'

driverForFile()

const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-restore-'))
const wsA = join(root, 'office-a')
const wsB = join(root, 'expert-b')
const restored = join(root, 'restored-a')
const backupFile = join(root, 'a-backup.lxpkg')
const PASS_A = '拉萨 office passphrase A'
const PASS_B = '林芝 expert passphrase B'

const cli = (dir, passphrase, ...args) => {
  const out = spawnSync(CLI, ['--data-dir', dir, ...args], {
    env: { ...process.env, LIXIANG_PASSPHRASE: passphrase, LIXIANG_KDF: 'test' },
    encoding: 'utf8',
  })
  assert.equal(out.status, 0, `lixiang ${args.join(' ')}: ${out.stderr}`)
  return out.stdout
}

test('a backup is restored in the window and the window switches to the restored workspace', async () => {
  cli(wsA, PASS_A, 'init', '--role', 'office', '--name', '科技厅甲')
  cli(wsA, PASS_A, 'call', 'create', '--demo', 'ZX06')
  cli(wsA, PASS_A, 'backup', '--out', backupFile)
  const keyA = JSON.parse(cli(wsA, PASS_A, 'key', 'show', '--json')).key_id
  execFileSync(CLI, ['--data-dir', wsB, 'init', '--role', 'expert', '--name', '专家乙'], {
    env: { ...process.env, LIXIANG_PASSPHRASE: PASS_B, LIXIANG_KDF: 'test' },
  })

  await withUnlockedApp(wsB, PASS_B, 'restore-switch', async (s) => {
    await s.click(await s.find('[data-testid="nav-contacts"]'))
    await s.waitFor('the identity card', async () => (await s.texts('[data-testid="identity-name"]'))[0] === '专家乙')
    await s.click(await s.find('[data-testid="restore"]'))
    await s.type(
      await s.find('[data-testid="restore-passphrase-dialog"] input[data-testid="restore-passphrase"], [data-testid="restore-passphrase"] input'),
      PASS_A,
    )
    await s.click(await s.find('[data-testid="restore-continue"]'))
    await answerFileDialog(s, '选择备份文件', backupFile)
    await answerFileDialog(s, '恢复为新的工作区：输入新文件夹的名称', restored, { save: true })
    const title = await s.waitFor('the restored summary', async () => (await s.texts('[data-testid="restored"] .el-alert__title'))[0], 60000)
    assert.ok(title.includes(restored), title)
    assert.ok((await s.texts('[data-testid="restored-command"]'))[0].includes(restored))
    await s.screenshot('restore-restored')

    await s.click(await s.find('[data-testid="open-restored"]'))
    await s.waitFor('the switch', async () => (await s.texts('.el-message')).some((m) => m.includes('已切换到恢复的工作区')), 30000)
    // The keys are locked: the window asks for the restored identity's passphrase, not B's.
    const field = await s.find('input[data-testid="unlock-passphrase"], [data-testid="unlock-passphrase"] input', 30000)
    await s.type(field, PASS_A)
    await s.click(await s.find('[data-testid="unlock-submit"]'))
    await s.waitFor('the restored identity', async () => (await s.texts('[data-testid="identity-name"]'))[0] === '科技厅甲', 30000)
    assert.equal((await s.texts('[data-testid="identity-lock-state"]'))[0], '已解锁')
    await s.screenshot('restore-switched')
  })

  // The restored folder is A's workspace: A's key, a chain that verifies, the call it held.
  assert.ok(existsSync(join(restored, 'lixiang.db')))
  assert.equal(JSON.parse(cli(restored, PASS_A, 'key', 'show', '--json')).key_id, keyA)
  cli(restored, PASS_A, 'audit', 'verify')
  assert.match(cli(restored, PASS_A, 'call', 'list'), /ZX06|专项/)
  // B kept its own identity.
  assert.equal(JSON.parse(cli(wsB, PASS_B, 'key', 'show', '--json')).name, '专家乙')
})
