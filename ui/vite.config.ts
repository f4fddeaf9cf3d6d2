/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

/**
 * Element Plus styles on demand: a module that imports `ElTableColumn` (or the `vLoading` directive) from
 * 'element-plus' also imports that component's stylesheet, so a view's styles arrive with its lazy chunk
 * and the first frame parses only the styles the start screen uses (the whole sheet is 365 KB). What
 * unplugin-element-plus does, without the dependencies it brings.
 */
export function elementPlusStyles(): Plugin {
  const named = /import\s*\{([^}]*)\}\s*from\s*['"]element-plus['"]/g
  const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()
  return {
    name: 'lixiang:element-plus-styles',
    enforce: 'post',
    async transform(code, id) {
      const file = id.split('?')[0]
      if (id.includes('node_modules') || !/\.(vue|ts)$/.test(file) || (id.includes('?') && !id.includes('type=script'))) return
      const styles = new Set<string>()
      for (const m of code.matchAll(named)) {
        for (const part of m[1].split(',')) {
          const name = part.trim().split(/\s+as\s+/)[0].replace(/^type\s+/, '')
          const base = /^El[A-Z]/.test(name) ? name.slice(2) : /^v[A-Z]/.test(name) ? name.slice(1) : ''
          if (!base) continue
          // Only components that have a stylesheet of their own (ElButtonGroup's is ElButton's).
          const style = `element-plus/es/components/${kebab(base)}/style/css`
          if (await this.resolve(style, id)) styles.add(style)
        }
      }
      if (styles.size === 0) return
      return { code: [...styles].map((s) => `import '${s}';`).join('\n') + '\n' + code, map: null }
    },
  }
}

export default defineConfig({
  plugins: [vue(), elementPlusStyles()],
  // Tauri serves the built files itself; relative paths keep them working under its protocol.
  base: './',
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: 'safari15', chunkSizeWarningLimit: 2000 },
  // The build for Node that renders the first screen ahead (src/prerender.ts): everything bundled, so
  // that Element's stylesheet imports are dropped rather than loaded by Node.
  ssr: { noExternal: true },
  // Compile-time switches of Vue and vue-i18n: the Options API, the legacy i18n API, the globally installed
  // <i18n-t> (BudgetTable imports I18nT itself), the devtools hooks and vue-i18n's message compiler (the
  // messages are compiled by src/i18n/compile.ts) are unused, so they stay out of the start's JavaScript
  // (LIXIANG_TRACE_STARTUP).
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./tests/setup.ts'],
    server: { deps: { inline: ['element-plus'] } },
  },
})
