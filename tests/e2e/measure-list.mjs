// Measures the office's list in the real window (issue 5's figure "keystroke to repaint over 3,000
// applications"): not a test — it prints figures. Seed a workspace first, then run under Xvfb:
//
//   target/release/lixiang bench list --count 3000 --runs 3 --keep /tmp/bench3000
//   LIXIANG_APP=target/release/lixiang-desktop xvfb-run -a node tests/e2e/measure-list.mjs /tmp/bench3000
//
// Each "keystroke" sets the search field's text and fires its input event at t0; t1 is the first
// animation frame after the list shows that query's rows (the count's data-gen changes with them).
import { startDriver, Session } from './webdriver.mjs'

const dir = process.argv[2]
if (!dir) throw new Error('usage: node tests/e2e/measure-list.mjs WORKSPACE_DIR')
const typed = ['牦', '牦牛', '', 'x', 'xz', 'xzm', 'xzmn', '', '青', '青稞', '', '2027', '2027-ZX06-0001', '']

const driver = await startDriver()
const s = await Session.open(['--data-dir', dir])
try {
  await s.execute('location.hash = "#/received"')
  await s.waitFor('3,000 rows', async () => /3000/.test((await s.texts('[data-testid="received-count"]'))[0] ?? ''), 60000)
  const figures = []
  for (const text of typed) {
    await s.execute(
      `const count = document.querySelector('[data-testid="received-count"]')
       const before = count.dataset.gen
       window.__lx = { t0: performance.now(), t1: 0 }
       const obs = new MutationObserver(() => {
         if (count.dataset.gen === before) return
         obs.disconnect()
         requestAnimationFrame(() => { window.__lx.t1 = performance.now() })
       })
       obs.observe(count, { attributes: true, attributeFilter: ['data-gen'] })
       const input = document.querySelector('input[data-testid="received-search"], [data-testid="received-search"] input')
       input.value = arguments[0]
       input.dispatchEvent(new Event('input', { bubbles: true }))`,
      [text],
    )
    const ms = await s.waitFor(`rows for “${text}”`, () => s.execute('return window.__lx.t1 && window.__lx.t1 - window.__lx.t0'), 30000)
    const rows = (await s.texts('[data-testid="received-count"]'))[0]
    const query = await s.execute('return Number(document.querySelector(\'[data-testid="received-count"]\').dataset.ms)')
    figures.push({ typed: text || '(cleared)', keystroke_to_repaint_ms: Math.round(ms * 10) / 10, round_trip_ms: query, rows })
  }
  console.table(figures)
  const sorted = figures.map((f) => f.keystroke_to_repaint_ms).sort((a, b) => a - b)
  console.log(`median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted[sorted.length - 1]} ms over ${sorted.length} keystrokes`)
} finally {
  await s.close()
  driver.stop()
}
