// End-to-end: the real desktop window on a fresh data directory shows the plan's catalog, switches to
// English, remembers it across restarts, and a second fresh data directory starts in Chinese again.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Session, driverForFile } from './webdriver.mjs'

driverForFile()

/** Runs `body` in a fresh app session on `dataDir`; on failure saves a screenshot named after the test. */
async function withApp(dataDir, name, body) {
  const s = await Session.open(['--data-dir', dataDir])
  try {
    await body(s)
  } catch (e) {
    const shot = await s.screenshot(name)
    if (shot) e.message += `\n(screenshot: ${shot})`
    throw e
  } finally {
    await s.close()
  }
}

const PROGRAMMES = [
  '平安西藏专项', '乡村振兴专项', '生态文明专项', '人口健康专项',
  '清洁能源专项', '现代农牧业专项', '藏文化传承保护专项', '矿产资源专项',
]

const first = join(mkdtempSync(join(tmpdir(), 'lixiang-e2e-')), 'workspace')
const second = join(mkdtempSync(join(tmpdir(), 'lixiang-e2e-')), 'workspace')

test('a fresh data dir opens in Chinese with all eight programmes; 现代农牧业专项 shows its four targets', async () => {
  await withApp(first, 'catalog', async (s) => {
    const items = await s.waitFor('eight programmes', async () => {
      const names = await s.texts('[data-testid="programme-item"] .name')
      return names.length === 8 ? names : null
    })
    assert.deepEqual(items, PROGRAMMES)
    assert.equal((await s.texts('[data-testid="nav-catalog"]'))[0], '规划')
    // A fresh workspace opens on the first screen rendered ahead (in the built page), which the app then
    // took over: the click below may come before it did, and is made again then.
    assert.deepEqual(
      await s.execute('return (window.__lixiangFirstScreenMarks || []).map((m) => m.name).slice(0, 1)'),
      ['first_screen_shown'],
    )
    await s.waitFor('the app took the first screen over as it was', async () =>
      s.execute('return window.__lixiangFirstScreenTakenOver === undefined ? null : window.__lixiangFirstScreenTakenOver'),
    )

    const [zx06] = await s.findAll('[data-testid="programme-item"][data-code="ZX06"]')
    await s.click(zx06)
    await s.waitFor('ZX06 selected', async () => (await s.texts('[data-testid="programme-title"]'))[0] === '现代农牧业专项')
    const ranges = await s.waitFor('four targets', async () => {
      const r = await s.texts('[data-testid="target-range"]')
      return r.length === 4 ? r : null
    })
    assert.deepEqual(ranges, ['10–15', '25–30', '5–10', '1–2'])
    const rows = await s.texts('[data-testid="target-table"] tbody tr')
    assert.match(rows[0], /培育作物和畜牧新品种（系）/)
    assert.match(rows[0], /个/)
    assert.match(rows[3], /打造一流实验室、技术创新中心/)
    assert.match(rows[3], /家/)
    assert.match((await s.texts('[data-testid="programme-focus"]'))[0], /青稞、牦牛、藏羊/)
  })
  assert.ok(existsSync(join(first, 'lixiang.db')), 'the workspace database is in the data dir')
  assert.ok(existsSync(join(first, 'webview')), "the webview's profile is in the data dir")
})

test('the switch to English changes the labels and is remembered across a restart', async () => {
  await withApp(first, 'switch-language', async (s) => {
    await s.waitFor('the rail in Chinese', async () => (await s.texts('[data-testid="nav-catalog"]'))[0] === '规划')
    const [en] = await s.findAll('[data-testid="lang-en"]')
    await s.click(en)
    await s.waitFor('the rail in English', async () => (await s.texts('[data-testid="nav-catalog"]'))[0] === 'Catalog')
    assert.equal((await s.texts('[data-testid="nav-indicators"]'))[0], 'Plan indicators')
    assert.match((await s.texts('.programme-list h2'))[0], /Major special projects/)
  })
  await withApp(first, 'restart-english', async (s) => {
    await s.waitFor('the programme list', async () => (await s.findAll('[data-testid="programme-item"]')).length === 8)
    assert.equal((await s.texts('[data-testid="nav-catalog"]'))[0], 'Catalog')
    assert.equal(await s.execute('return document.querySelector("template[data-first-screen=en]") && window.__lixiangFirstScreenMarks ? document.documentElement.lang : null'), 'en')
  })
})

test('a second fresh data dir starts in Chinese again', async () => {
  await withApp(second, 'second-fresh', async (s) => {
    await s.waitFor('the programme list', async () => (await s.findAll('[data-testid="programme-item"]')).length === 8)
    assert.equal((await s.texts('[data-testid="nav-catalog"]'))[0], '规划')
  })
})

test('the 专栏1 page shows the eight plan indicators as printed', async () => {
  await withApp(second, 'indicators', async (s) => {
    const [nav] = await s.waitFor('the rail', async () => {
      const n = await s.findAll('[data-testid="nav-indicators"]')
      return n.length ? n : null
    })
    await s.click(nav)
    const rows = await s.waitFor('eight rows', async () => {
      const r = await s.texts('[data-testid="indicator-table"] tbody tr')
      return r.length === 8 ? r : null
    })
    assert.match(rows[0], /研发经费投入年均增长率（%）/)
    assert.match(rows[0], /4\.4亿元/)
    assert.match(rows[0], /≥10/)
    assert.match(rows[4], /1751\*/)
    assert.match(rows[4], /\[2449\]/)
    assert.match((await s.texts('[data-testid="indicator-notes"]'))[0], /2019年数据/)
  })
})

test('nothing leaves the machine: the page and everything it refers to come from the app itself', async () => {
  await withApp(second, 'offline', async (s) => {
    await s.waitFor('the programme list', async () => (await s.findAll('[data-testid="programme-item"]')).length === 8)
    // The app running, not only the first screen rendered ahead: the workspace's name is the app's.
    await s.find('[data-testid="workspace-name"]')
    // WebKitGTK keeps no resource timing for custom protocols, so the references are read instead: every
    // src/href in the document and every url(…) in its style sheets (fonts, images), resolved.
    const urls = await s.execute(`
      const out = [location.href]
      for (const el of document.querySelectorAll('[src], link[href]')) out.push(el.src || el.href)
      for (const sheet of document.styleSheets) {
        let rules = []
        try { rules = Array.from(sheet.cssRules) } catch { out.push('unreadable sheet ' + sheet.href) }
        for (const r of rules) for (const m of r.cssText.matchAll(/url\\(["']?([^"')]+)/g)) out.push(new URL(m[1], sheet.href || location.href).href)
      }
      return out`)
    assert.ok(urls.some((u) => u.endsWith('.js')), `the app's script is among the references: ${urls}`)
    // tauri:// serves the embedded UI; data: is inline. Nothing from the network (no CDN font, no telemetry).
    for (const u of urls) assert.match(u, /^(tauri:\/\/localhost\/|tauri:\/\/localhost#|data:)/, u)
  })
})
