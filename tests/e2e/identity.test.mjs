// End-to-end: trust between laptops in the real window. A fresh workspace gets its identity in the
// window (role, a Chinese name, the passphrase twice), shows the fingerprint in 6 groups and the
// recovery passphrase once; reopened, it asks for the passphrase (a wrong one is refused and the screen
// stays). Then the key card of another workspace, made with the `lixiang` command, is imported through
// the import button's system (GTK) open dialog, driven with xdotool as a person would type a path: the
// trust dialog shows the sender's fingerprint groups, the test compares them with the CLI's, confirms,
// and the sender is listed as a contact.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { withApp, driverForFile, input, CLI } from './webdriver.mjs'

driverForFile()

const xdotool = (...args) => execFileSync('xdotool', args, { encoding: 'utf8' }).trim()
const root = mkdtempSync(join(tmpdir(), 'lixiang-e2e-identity-'))
const mine = join(root, 'mine')
const PASSPHRASE = '雅鲁藏布 river 2027'
const NAME = '西藏自治区农牧科学院'

/** The native input of an Element Plus field, whether the test id sits on it or on its wrapper. */


/** The X window ids whose title is `title` (none yet: empty). */
function windowsNamed(title) {
  try {
    return xdotool('search', '--name', `^${title}$`).split('\n').filter(Boolean)
  } catch {
    return []
  }
}

const groupsOf = (s, testid) => s.texts(`[data-testid="${testid}"] [data-testid="fp-group"]`)

test('a fresh workspace gets its identity in the window: fingerprint in 6 groups, recovery passphrase once', async () => {
  await withApp(mine, 'identity-create', async (s) => {
    // The catalog stays the opening screen; the banner offers the identity.
    await s.waitFor('the programme list', async () => (await s.findAll('[data-testid="programme-item"]')).length === 8)
    await s.click(await s.find('[data-testid="create-identity"]'))

    await s.click(await s.find('[data-testid="role-applicant"]'))
    const name = await s.find(input('setup-name'))
    await s.type(name, NAME)
    assert.equal(await s.property(name, 'value'), NAME, 'the Chinese name reads back exactly')
    await s.type(await s.find(input('setup-passphrase')), PASSPHRASE)
    await s.type(await s.find(input('setup-again')), PASSPHRASE)
    await s.click(await s.find('[data-testid="setup-submit"]'))

    const groups = await s.waitFor('the fingerprint groups', async () => {
      const g = await groupsOf(s, 'created-fingerprint')
      return g.length === 6 ? g : null
    }, 30000)
    for (const g of groups) assert.match(g, /^\d{5}$/)
    const recovery = (await s.texts('[data-testid="recovery-passphrase"]'))[0]
    assert.ok(recovery.length >= 20, `a recovery passphrase is shown: ${recovery}`)
    assert.match((await s.texts('.identity-setup .page-title'))[0], new RegExp(NAME))
    await s.screenshot('identity-created')

    const done = await s.find('[data-testid="setup-done"]')
    assert.equal(await s.property(done, 'disabled'), true, '"done" waits for the confirmation')
    await s.click(await s.find('[data-testid="recovery-confirm"]'))
    await s.waitFor('"done" enabled', async () => !(await s.property(done, 'disabled')))
    await s.click(done)

    // The contacts view shows the identity card, unlocked.
    await s.waitFor('the identity card', async () => (await s.texts('[data-testid="identity-name"]'))[0] === NAME)
    assert.deepEqual(await groupsOf(s, 'identity-fingerprint'), groups)
    assert.equal((await s.texts('[data-testid="identity-lock-state"]'))[0], '已解锁')
    assert.equal((await s.texts('[data-testid="identity-banner"]')).length, 0, 'no banner once there is an identity')
  })
})

test('reopened, the workspace asks for the passphrase: a wrong one is refused and the screen stays', async () => {
  await withApp(mine, 'identity-unlock', async (s) => {
    const field = await s.find(input('unlock-passphrase'))
    assert.match((await s.texts('[data-testid="unlock-who"]'))[0], new RegExp(NAME))
    await s.type(field, 'not the passphrase')
    await s.click(await s.find('[data-testid="unlock-submit"]'))
    const message = await s.waitFor('the refusal', async () => (await s.texts('[data-testid="unlock-error"]'))[0], 30000)
    assert.match(message, /口令不正确/)
    assert.equal(await s.execute('return location.hash'), '#/unlock?next=/catalog')

    // The refused passphrase stays in the field: empty it and type the right one.
    assert.equal(await s.property(field, 'value'), 'not the passphrase', 'the typed text is kept')
    await s.clear(field)
    await s.type(field, PASSPHRASE)
    await s.click(await s.find('[data-testid="unlock-submit"]'))
    await s.waitFor('the catalog', async () => (await s.findAll('[data-testid="programme-item"]')).length === 8, 30000)
    assert.equal((await s.texts('[data-testid="topbar-lock-state"]'))[0], '已解锁')
  })
})

test("another workspace's key card, imported through the open dialog, is trusted after the fingerprint check", async () => {
  // The sender: a second workspace made with the command line.
  const theirs = join(root, 'theirs')
  const card = join(root, 'key-card-office.lxpkg')
  const env = { ...process.env, LIXIANG_PASSPHRASE: 'their passphrase 123', LIXIANG_KDF: 'test' }
  const cli = (...args) => execFileSync(CLI, ['--data-dir', theirs, ...args], { env, encoding: 'utf8' })
  cli('init', '--role', 'office', '--name', '科技厅')
  cli('key', 'export', '--out', card)
  const sender = JSON.parse(cli('key', 'show', '--json'))
  const expected = sender.fingerprint.split(' ')
  assert.equal(expected.length, 6)

  await withApp(mine, 'identity-import', async (s) => {
    // Importing a public key card needs no unlocked keys: browse on without unlocking.
    await s.click(await s.find('[data-testid="unlock-later"]'))
    await s.click(await s.find('[data-testid="nav-contacts"]'))
    await s.click(await s.find('[data-testid="import-button"]'))

    const [dialog] = await s.waitFor('the open dialog', async () => {
      const w = windowsNamed('选择要导入的文件包')
      return w.length ? w : null
    })
    // No window manager under Xvfb: give the dialog the X input focus, open its location field
    // (Ctrl+L), type the path as a person would, and accept.
    await new Promise((r) => setTimeout(r, 500))
    xdotool('windowfocus', '--sync', dialog)
    xdotool('key', 'ctrl+l')
    xdotool('type', '--delay', '20', card)
    // GTK completes the typed location in the background; Return only opens once it settled.
    await new Promise((r) => setTimeout(r, 500))
    xdotool('key', 'Return')
    await new Promise((r) => setTimeout(r, 1000))
    if (windowsNamed('选择要导入的文件包').length) xdotool('key', 'Return')

    const shown = await s.waitFor('the trust dialog with 6 groups', async () => {
      const g = await groupsOf(s, 'trust-fingerprint')
      return g.length === 6 ? g : null
    }, 30000)
    assert.deepEqual(shown, expected, 'the dialog shows the fingerprint the sender reads out')
    assert.match((await s.texts('[data-testid="trust-intro"]'))[0], /密钥卡/)
    await s.screenshot('identity-trust-dialog')
    await s.click(await s.find('[data-testid="trust-confirm"]'))

    await s.waitFor('the contact', async () => (await s.texts('[data-testid="contact-name"]')).includes('科技厅'), 30000)
    assert.deepEqual(await s.texts('[data-testid="contact-fingerprint"]'), [sender.fingerprint])
    const results = await s.texts('[data-testid="import-results"] tbody tr')
    assert.equal(results.length, 1)
    assert.match(results[0], /已导入/)
    assert.match(results[0], /已导入 科技厅 的密钥卡/)
    await s.waitFor('the trust dialog to close', () =>
      s.execute(`return [...document.querySelectorAll('[data-testid="trust-dialog"]')].every((e) => e.getClientRects().length === 0)`))
    await s.screenshot('identity-contacts')
  })

  // The CLI sees the same contact in that workspace (one source of truth).
  const again = execFileSync(CLI, ['--data-dir', mine, 'package', 'import', card, '--json'], { env, encoding: 'utf8' })
  assert.equal(JSON.parse(again).results[0].outcome, 'already_imported')
})
