// A small W3C WebDriver client for the end-to-end tests of the real desktop window:
// tauri-driver (port 4444) in front of WebKitWebDriver, under Xvfb. No browser download, no BiDi.
import { execFileSync, spawn } from 'node:child_process'
import { createConnection } from 'node:net'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { after, before } from 'node:test'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const ROOT = resolve(here, '../..')
export const ARTIFACTS = join(here, 'artifacts')
export const APP = resolve(ROOT, process.env.LIXIANG_APP ?? 'target/debug/lixiang-desktop')
/** The `lixiang` command line, built beside the app. */
export const CLI = process.env.LIXIANG_CLI ?? join(dirname(APP), 'lixiang')

/**
 * `lixiang --data-dir DATA_DIR ARGS…` run with `passphrase` (and the fast key derivation of the tests): its
 * output. A failure throws, with what the command printed.
 */
export function lixiang(dataDir, passphrase, ...args) {
  return execFileSync(CLI, ['--data-dir', dataDir, ...args], {
    env: { ...process.env, LIXIANG_PASSPHRASE: passphrase, LIXIANG_KDF: 'test' },
    encoding: 'utf8',
  })
}

/** A selector for the text input of the field `data-testid="id"` (on the input or on Element's wrapper). */
export const input = (id) => `input[data-testid="${id}"], [data-testid="${id}"] input`
const PORT = 4444
const BASE = `http://127.0.0.1:${PORT}`
// How long a new-session request may take before the driver is restarted (lowered to test the restart itself).
const SESSION_TIMEOUT_MS = Number(process.env.LIXIANG_E2E_SESSION_TIMEOUT_MS ?? 60000)
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'

function portOpen(port) {
  return new Promise((ok) => {
    const s = createConnection({ host: '127.0.0.1', port })
    s.once('connect', () => { s.destroy(); ok(true) })
    s.once('error', () => ok(false))
  })
}

let current = null

/** Spawns tauri-driver in its own process group and waits for its port. */
async function spawnDriver() {
  mkdirSync(ARTIFACTS, { recursive: true })
  const log = createWriteStream(join(ARTIFACTS, 'driver.log'), { flags: 'a' })
  // Its own process group, so stopping it also stops the WebKitWebDriver and app it started.
  const driver = spawn('tauri-driver', ['--port', String(PORT), '--native-driver', '/usr/bin/WebKitWebDriver'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  driver.stdout.pipe(log)
  driver.stderr.pipe(log)
  const deadline = Date.now() + 20000
  while (!(await portOpen(PORT))) {
    if (Date.now() > deadline) throw new Error('tauri-driver did not open its port within 20 s')
    if (driver.exitCode !== null) throw new Error(`tauri-driver exited with ${driver.exitCode}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  current = driver
}

/** Stops the running driver's whole process group and waits until its port is free. */
async function killDriver() {
  const driver = current
  current = null
  if (!driver || driver.exitCode !== null) return
  try {
    process.kill(-driver.pid, 'SIGKILL')
  } catch {
    driver.kill('SIGKILL')
  }
  const deadline = Date.now() + 10000
  while ((await portOpen(PORT)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
}

/**
 * A stand-in for the system's viewer: tauri-plugin-opener (the `open` crate) hands a saved report to
 * `xdg-open` first on Linux, found on the PATH the app inherits from tauri-driver (and it from this
 * process). This writes an `xdg-open` script into a temporary directory, put first on the PATH, that
 * appends its argument to a log and exits 0 (success: no other launcher is tried, no real viewer opens).
 * Call it before [`startDriver`]; `opened()` lists the paths the app asked to open, in order.
 */
export function fakeViewer() {
  const dir = mkdtempSync(join(tmpdir(), 'lixiang-e2e-viewer-'))
  const log = join(dir, 'opened.log')
  writeFileSync(join(dir, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n`, { mode: 0o755 })
  process.env.PATH = `${dir}:${process.env.PATH}`
  return {
    opened: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  }
}

/** Starts tauri-driver; refuses to run when the port is taken (a leaked driver breaks every later run). */
export async function startDriver() {
  if (await portOpen(PORT)) throw new Error(`port ${PORT} is in use: another tauri-driver is running; kill it first`)
  await spawnDriver()
  return {
    stop() {
      const driver = current
      current = null
      if (!driver || driver.exitCode !== null) return
      try {
        process.kill(-driver.pid, 'SIGTERM')
      } catch {
        driver.kill('SIGTERM')
      }
    },
  }
}

/** tauri-driver for the tests of the calling file: started before the first, stopped after the last. */
export function driverForFile() {
  let driver
  before(async () => {
    driver = await startDriver()
  })
  after(() => driver?.stop())
}

async function call(method, path, body, signal) {
  const res = await fetch(BASE + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  })
  const json = await res.json().catch(() => ({}))
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json)}`)
  return json.value
}

/** One app process driven through WebDriver. */
export class Session {
  /**
   * Starts the app. WebKitWebDriver now and then never answers a new-session request (the app hangs before its
   * first page under Xvfb; seen once in CI, where the request then waited undici's 300 s). A request that takes
   * longer than 60 s is abandoned, the driver, its WebKitWebDriver and the half-started app are killed, and a
   * fresh driver is asked again, up to three tries in all.
   */
  static async open(args = []) {
    const body = {
      capabilities: {
        alwaysMatch: { browserName: 'wry', 'tauri:options': { application: APP, args } },
      },
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await call('POST', '/session', body, AbortSignal.timeout(SESSION_TIMEOUT_MS))
        return new Session(value.sessionId)
      } catch (e) {
        if (attempt >= 3 || !current) throw e
        console.error(`# new session failed (${e.message}); restarting tauri-driver, try ${attempt + 1} of 3`)
        await killDriver()
        await spawnDriver()
      }
    }
  }

  constructor(id) {
    this.id = id
  }

  async close() {
    await call('DELETE', `/session/${this.id}`).catch(() => {})
  }

  async findAll(css) {
    const els = await call('POST', `/session/${this.id}/elements`, { using: 'css selector', value: css })
    return els.map((e) => e[ELEMENT])
  }

  async text(el) {
    return call('GET', `/session/${this.id}/element/${el}/text`)
  }

  /** Clicks; a click intercepted by a passing overlay (a loading mask fading out) is tried again for 5 s. */
  async click(el) {
    const deadline = Date.now() + 5000
    for (;;) {
      try {
        return await call('POST', `/session/${this.id}/element/${el}/click`, {})
      } catch (e) {
        if (!String(e.message).includes('element click intercepted') || Date.now() > deadline) throw e
        await new Promise((r) => setTimeout(r, 150))
      }
    }
  }

  /** Types `text` into the element as keystrokes (WebDriver "element send keys"). */
  async type(el, text) {
    return call('POST', `/session/${this.id}/element/${el}/value`, { text })
  }

  /**
   * Clicks the element matching `css` once it has stopped moving: a drawer or dialog sliding in moves its
   * buttons, and a click during the animation lands where the button was.
   */
  async clickSettled(css, ms = 15000) {
    const el = await this.find(css, ms)
    const rect = () =>
      this.execute('const r = arguments[0].getBoundingClientRect(); return [r.x, r.y, r.width, r.height].join()', [
        { [ELEMENT]: el },
      ])
    let last = await rect()
    await this.waitFor(`${css} to settle`, async () => {
      await new Promise((r) => setTimeout(r, 150))
      const now = await rect()
      const still = now === last
      last = now
      return still
    }, ms)
    return this.click(el)
  }

  /** A DOM property of the element (`value`, `disabled` …). */
  async property(el, name) {
    return call('GET', `/session/${this.id}/element/${el}/property/${name}`)
  }

  /** Empties an input field the way typing would (an `input` event, so the page's state follows). */
  async clear(el) {
    return this.execute(
      'arguments[0].value = ""; arguments[0].dispatchEvent(new Event("input", { bubbles: true }))',
      [{ [ELEMENT]: el }],
    )
  }

  /** The first element matching `css`, waited for. */
  async find(css, ms = 15000) {
    const [el] = await this.waitFor(css, async () => {
      const els = await this.findAll(css)
      return els.length ? els : null
    }, ms)
    return el
  }

  async execute(script, args = []) {
    return call('POST', `/session/${this.id}/execute/sync`, { script, args })
  }

  /** Waits until `probe` returns a truthy value (checked every 100 ms, at most `ms`). */
  async waitFor(what, probe, ms = 15000) {
    const deadline = Date.now() + ms
    let last
    for (;;) {
      try {
        last = await probe()
        if (last) return last
      } catch (e) {
        last = e
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  /**
   * The rendered texts (innerText) of every element matching `css`, read in the page in one call:
   * WebKitWebDriver's element-text drops the text of some table cells.
   */
  async texts(css) {
    return this.execute(
      'return Array.from(document.querySelectorAll(arguments[0])).map((e) => e.innerText.trim())',
      [css],
    )
  }

  async screenshot(name) {
    try {
      const png = await call('GET', `/session/${this.id}/screenshot`)
      mkdirSync(ARTIFACTS, { recursive: true })
      const file = join(ARTIFACTS, `${name}.png`)
      writeFileSync(file, Buffer.from(png, 'base64'))
      return file
    } catch {
      return null
    }
  }
}

// The system's (GTK) file dialogs are native windows WebDriver cannot reach: the tests drive them as a
// person would, with xdotool, under Xvfb (no window manager, so a dialog is given the X input focus).
const xdotool = (...args) => execFileSync('xdotool', args, { encoding: 'utf8' }).trim()
const pause = (ms) => new Promise((r) => setTimeout(r, ms))

/** The X window ids whose title is `title` (none yet: empty). */
export function windowsNamed(title) {
  try {
    return xdotool('search', '--name', `^${title}$`).split('\n').filter(Boolean)
  } catch {
    return [] // xdotool exits 1 when nothing matches
  }
}

/** Waits for the dialog titled `title`, types `path` into it and accepts; `save` dialogs have the name field focused. */
export async function answerFileDialog(session, title, path, { save = false } = {}) {
  await session.waitFor(`the dialog “${title}”`, async () => {
    const w = windowsNamed(title)
    return w.length ? w : null
  })
  await pause(500)
  // GTK may name more than one X window with the dialog's title (one of them never mapped, which refuses
  // the focus with BadMatch), and a dialog found before it is mapped refuses it too: try each, a while.
  let dialog
  for (let k = 0; !dialog; k++) {
    let refused
    for (const w of windowsNamed(title)) {
      try {
        xdotool('windowfocus', '--sync', w)
        dialog = w
        break
      } catch (e) {
        refused = e
      }
    }
    if (dialog) break
    if (k >= 20) throw refused ?? new Error(`the dialog “${title}” closed`)
    await pause(250)
  }
  // An open dialog takes a typed location after Ctrl+L; a save dialog's name field is focused already.
  xdotool('key', save ? 'ctrl+a' : 'ctrl+l')
  // The location field opens on Ctrl+L; a key typed before it has the focus is lost (the leading /).
  await pause(400)
  xdotool('type', '--delay', '20', path)
  // GTK completes the typed location in the background; Return only acts once it settled.
  await pause(500)
  xdotool('key', 'Return')
  await pause(1000)
  // A second Return only to the dialog itself: once it has closed, the key would go to the app, where it
  // presses the button that opened the dialog again (a stray second dialog).
  if (windowsNamed(title).includes(dialog)) {
    try {
      xdotool('windowfocus', '--sync', dialog)
    } catch {
      return // closed meanwhile
    }
    if (windowsNamed(title).includes(dialog)) xdotool('key', 'Return')
  }
}

/**
 * Types `text` into `el`: WebDriver's "send keys" for the Basic Multilingual Plane, X key events
 * (xdotool, as a keyboard or input method delivers them) for the characters beyond it, such as 𬌗
 * (U+2C317), which WebKitWebDriver drops. xdotool types a character by remapping a spare keycode, which
 * races with the app reading the keymap when characters follow fast: it gets one character at a time.
 */
export async function typeAsKeyboard(session, el, text) {
  const segments = text.match(/[\u{10000}-\u{10FFFF}]|[^\u{10000}-\u{10FFFF}]+/gu) ?? []
  for (const seg of segments) {
    if (seg.codePointAt(0) < 0x10000) {
      await session.type(el, seg)
      continue
    }
    const [win] = windowsNamed('立项 Lixiang')
    if (!win) throw new Error('the app window is not on the X display')
    xdotool('windowfocus', '--sync', win)
    await pause(300)
    xdotool('type', '--delay', '150', seg)
    await pause(400)
  }
}

/**
 * Opens the app on `dataDir` and runs `body` with the session; on a failure a screenshot of the window and
 * one of the whole X display (native dialogs are not in WebDriver's) are attached to the error
 * (artifacts/`name`-…). The session is closed either way.
 */
export async function withApp(dataDir, name, body) {
  const s = await Session.open(['--data-dir', dataDir])
  try {
    await body(s)
  } catch (e) {
    const shot = await s.screenshot(name)
    if (shot) e.message += `\n(screenshot: ${shot})`
    try {
      const screen = join(ARTIFACTS, `${name}-screen.png`)
      execFileSync('/usr/bin/import', ['-window', 'root', screen])
      e.message += `\n(screen: ${screen})`
    } catch {
      // no display tool: the WebDriver screenshot will do
    }
    throw e
  } finally {
    await s.close()
  }
}

/** [`withApp`] on a workspace with an identity: the window opens on the unlock screen, unlocked with `passphrase`. */
export async function withUnlockedApp(dataDir, passphrase, name, body) {
  return withApp(dataDir, name, async (s) => {
    const field = await s.find('input[data-testid="unlock-passphrase"], [data-testid="unlock-passphrase"] input', 30000)
    await s.type(field, passphrase)
    await s.click(await s.find('[data-testid="unlock-submit"]'))
    await s.waitFor('the catalog', async () => (await s.findAll('[data-testid="programme-item"]')).length === 8, 30000)
    await body(s)
  })
}

/**
 * Confirms the unknown sender of the trust dialog and waits until that import has ended: the dialog closes
 * at once and the import goes on in the page, so a closed dialog alone does not say the files are in.
 */
export async function confirmSender(session, ms = 30000) {
  await session.click(await session.find('[data-testid="trust-confirm"]'))
  await session.waitFor('the import to end and the trust dialog to close', () =>
    session.execute(
      `return [...document.querySelectorAll('[data-testid="trust-dialog"]')].every((e) => e.getClientRects().length === 0) &&
        document.querySelector('[data-testid="topbar-import"]')?.getAttribute('aria-busy') !== 'true'`,
    ),
  ms)
}

/** Chooses `text` in the Element Plus select dropdown that is open (the visible one), and waits for it to close. */
export async function chooseOption(session, text) {
  await session.waitFor(`the option “${text}”`, () =>
    session.execute(
      `const o = [...document.querySelectorAll('.el-select-dropdown__item')].find((e) => e.offsetParent && e.textContent.trim() === arguments[0]); if (o) o.click(); return !!o`,
      [text],
    ),
  )
  // The dropdown fades out: until it is gone its options are still visible, and the next choice would land here.
  await session.waitFor('the dropdown closed', () =>
    session.execute(`return ![...document.querySelectorAll('.el-select-dropdown__item')].some((e) => e.offsetParent)`),
  )
}
