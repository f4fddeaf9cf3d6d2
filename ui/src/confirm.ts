// The one question asked before a step that cannot be taken back (publishing a revision, changing a
// draft's mode, sealing a sheet, removing contents) or before leaving unsaved work: Element's message box
// with the warning look, answered as a boolean — closing it or pressing Esc is "no".
import { ElMessageBox } from 'element-plus'

/** Asks `message` under `title`; true only when the person chose `yes`. */
export async function confirmed(message: string, title: string, buttons?: { yes: string; no: string }): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, title, {
      type: 'warning',
      ...(buttons ? { confirmButtonText: buttons.yes, cancelButtonText: buttons.no } : {}),
    })
    return true
  } catch {
    return false
  }
}
