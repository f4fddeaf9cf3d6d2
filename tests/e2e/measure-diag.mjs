// Measures an import in the real window (issue 5's figures "the window's longest frame gap during the
// import under 100 ms and progress at least every 500 ms"): not a test — it prints figures. Generate the
// packages and an office that has not imported them, then run under Xvfb:
//
//   target/release/lixiang bench import --count 1000 --keep /tmp/import1000
//   LIXIANG_APP=target/release/lixiang-desktop xvfb-run -a node tests/e2e/measure-import.mjs /tmp/import1000
//
// The folder is dropped on the window (the drag-and-drop event the webview sends, with the folder's
// path), the sender is confirmed in the trust dialog, and from that click to the summary the page
// records every animation frame and every change of the progress line.
import { startDriver, Session } from './webdriver.mjs'
import { join } from 'node:path'
import { spawn } from 'node:child_process'

const dir = process.argv[2]
if (!dir) throw new Error('usage: node tests/e2e/measure-import.mjs KEPT_DIR')
const driver = await startDriver()
const s = await Session.open(['--data-dir', join(dir, 'office')])
try {
  await s.type(await s.find('input[data-testid="unlock-passphrase"], [data-testid="unlock-passphrase"] input', 30000), 'bench passphrase')
  await s.click(await s.find('[data-testid="unlock-submit"]'))
  await s.find('[data-testid="nav-contacts"]', 30000)
  // The drop, as the webview reports one: the folder's path.
  await s.execute(
    `window.__TAURI_INTERNALS__.invoke('plugin:event|emit', { event: 'tauri://drag-drop', payload: { paths: [arguments[0]], position: { x: 10, y: 10 } } })`,
    [join(dir, 'inbox')],
  )
  await s.find('[data-testid="trust-confirm"]', 120000)
  if (process.env.PERF) { spawn('perf', ['record', '-a', '-F', '1999', '-g', '-o', '/tmp/perf.data', '--', 'sleep', '0.6'], { stdio: 'ignore' }); await new Promise(r => setTimeout(r, 250)) }
  await s.execute(`
    const m = { frames: [], progress: [], t0: performance.now(), done: false }
    window.__m = m
    const tick = (t) => { m.frames.push(t); if (!m.done) requestAnimationFrame(tick) }
    m.timers = []; const iv = setInterval(() => { m.timers.push(performance.now()); if (m.done) clearInterval(iv) }, 5)
    m.muts = []
    requestAnimationFrame(tick)
    new MutationObserver(() => { m.muts.push(performance.now());
      const p = document.querySelector('[data-testid="import-progress"]')
      const text = p ? p.textContent.trim() : ''
      if (text && text !== m.last) { m.last = text; m.progress.push(performance.now()) }
      if (!p && m.progress.length && !m.done) { m.done = true; m.t1 = performance.now() }
    }).observe(document.body, { subtree: true, childList: true, characterData: true })
    document.querySelector('[data-testid="trust-confirm"]').click()`)
  const m = await s.waitFor('the import done', () => s.execute('return window.__m.done ? window.__m : null'), 600000)
  const gaps = m.frames.slice(1).map((t, i) => t - m.frames[i])
  const steps = [m.progress[0] - m.t0, ...m.progress.slice(1).map((t, i) => t - m.progress[i]), m.t1 - m.progress.at(-1)]
  const max = (xs) => Math.max(...xs)
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const summary = await s.waitFor('the summary', async () => (await s.texts('.el-message'))[0], 30000)
  console.log(JSON.stringify({
    import_s: Math.round(m.t1 - m.t0) / 1000,
    frames: m.frames.length,
    longest_frame_gap_ms: Math.round(max(gaps)),
    median_frame_gap_ms: Math.round(median(gaps) * 10) / 10,
    progress_updates: m.progress.length,
    longest_progress_interval_ms: Math.round(max(steps)),
    median_progress_interval_ms: Math.round(median(steps)),
    summary,
    // Where the long gaps are, in ms from the click: [start, length] of every frame gap over 100 ms.
    long_gaps: gaps.map((g, i) => [Math.round(m.frames[i] - m.t0), Math.round(g)]).filter(([, g]) => g > 100),
    timer_gaps: m.timers.slice(1).map((t, i) => [Math.round(m.timers[i] - m.t0), Math.round(t - m.timers[i])]).filter(([, g]) => g > 40),
    muts_early: m.muts.filter(t => t - m.t0 < 400).map(t => Math.round(t - m.t0)),
    frames_early: m.frames.filter(t => t - m.t0 < 400).map(t => Math.round(t - m.t0)),
    progress_at: m.progress.map((t) => Math.round(t - m.t0)),
  }))
} finally {
  await s.close()
  driver.stop()
}
