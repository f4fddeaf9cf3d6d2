// Shared by the application editor's parts: problems by field, and where a field's input is.
import type { ProblemView } from './bindings'

/** The problems on one field (`team[0].birth_date`), errors first. */
export function problemsOn(problems: readonly ProblemView[] | undefined, field: string): ProblemView[] {
  return (problems ?? []).filter((p) => p.field === field).sort((a, b) => Number(b.error) - Number(a.error))
}

/** The problems on a field or any field under it (`team[0]` covers `team[0].birth_date`). */
export function problemsUnder(problems: readonly ProblemView[] | undefined, prefix: string): ProblemView[] {
  return (problems ?? []).filter(
    (p) => p.field === prefix || p.field.startsWith(`${prefix}.`) || p.field.startsWith(`${prefix}[`),
  )
}

/** The message of the first problem on a field in the UI's language, for an el-form-item's `error`. */
export function fieldError(problems: readonly ProblemView[] | undefined, field: string, locale: string): string {
  const p = problemsOn(problems, field)[0]
  if (!p) return ''
  return locale === 'en' ? p.message.en : p.message.zh
}

/** Moves to a field's input: every input of the editor carries `data-field` with its path. */
export function focusField(field: string): boolean {
  const el = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`)
  if (!el) return false
  el.scrollIntoView({ block: 'center' })
  const input = el.matches('input, textarea, select') ? el : el.querySelector<HTMLElement>('input, textarea, select')
  input?.focus()
  return true
}
