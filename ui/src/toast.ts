// Messages (ElMessage) for the modules of the first frame — the frame, the catalog, the import job —
// loaded when the first message is shown rather than at start: ElMessage brings ElBadge and both their
// styles (LIXIANG_TRACE_STARTUP). The screens loaded later import ElMessage themselves.
import type { MessageOptions } from 'element-plus'

type Kind = 'success' | 'warning' | 'error' | 'info'

/**
 * Loads the message box ahead, without showing anything: for a step that ends with a message (an import)
 * so that the frame that ends it does not also load and style ElMessage.
 */
export function preloadToast(): void {
  void import('./toastImpl')
}

/** Shows a message of `kind`; `sticky` ones stay, with a close button, until the person closes them. */
export async function toast(kind: Kind, message: string, sticky = false): Promise<void> {
  const { ElMessage } = await import('./toastImpl')
  const options: MessageOptions = sticky ? { message, duration: 0, showClose: true } : { message, showClose: true }
  ElMessage[kind](options)
}
