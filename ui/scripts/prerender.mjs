// Renders the first screen ahead (src/prerender.ts, built for Node by `vite build --ssr` into dist-ssr/)
// in each language and puts it into dist/index.html, after `vite build`: a <template
// data-first-screen="LOCALE"> per language right after <div id="app">, which the page's script shows
// before the modules have loaded (index.html). The catalog is the seeded one, as the workspace holds it
// (prerender/catalog.json, written by `export-bindings` and checked current by the Rust tests).
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ui = join(dirname(fileURLToPath(import.meta.url)), '..')
const server = join(ui, 'dist-ssr')
const { renderFirstScreen } = await import(pathToFileURL(join(server, 'prerender.js')).href)
const catalog = JSON.parse(readFileSync(join(ui, 'prerender', 'catalog.json'), 'utf8'))

const screens = []
for (const locale of ['zh-CN', 'en']) {
  const html = await renderFirstScreen(locale, catalog)
  if (!html.includes('data-testid="programme-item"')) throw new Error(`prerender: the ${locale} first screen has no programme list`)
  screens.push(`<template data-first-screen="${locale}">${html}</template>`)
}

const page = join(ui, 'dist', 'index.html')
const before = readFileSync(page, 'utf8')
const slot = '<div id="app"></div>'
if (before.split(slot).length !== 2) throw new Error(`prerender: ${page} must hold exactly one ${slot}`)
// The entry module is started by the page once the first screen is painted (or at once when it shows
// none): preloaded, not run as soon as fetched.
const entry = /<script type="module" crossorigin src="(\.\/assets\/index-[^"]+\.js)"><\/script>/
if (!entry.test(before)) throw new Error(`prerender: no entry module <script> in ${page}`)
const after = before
  .replace(entry, '<link rel="modulepreload" crossorigin href="$1" data-entry>')
  .replace(slot, slot + '\n    ' + screens.join('\n    '))
writeFileSync(page, after)
rmSync(server, { recursive: true, force: true })
console.log(`prerender: first screen (${screens.length} languages) written into ${page}`)
