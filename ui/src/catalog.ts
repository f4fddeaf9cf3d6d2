// The catalog as the window shows it: read once from the workspace, shared by the screens.
// SQLite is the truth; this is only the view's copy.
import { ref } from 'vue'
import { commands, type Catalog, type IpcError } from './bindings'
import { early } from './boot'

export const catalog = ref<Catalog | null>(null)
export const catalogError = ref<IpcError | null>(null)

let pending: Promise<void> | null = null

/** Loads the catalog once; later calls share the first load. */
export function loadCatalog(): Promise<void> {
  pending ??= early('catalog_get', commands.catalogGet).then((r) => {
    if (r.status === 'ok') catalog.value = r.data
    else catalogError.value = r.error
  })
  return pending
}
