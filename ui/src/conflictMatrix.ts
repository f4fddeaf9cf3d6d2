// The conflicts matrix (回避矩阵) of a call: applications as rows, experts as columns, and in each cell the
// strongest conflict of the pair. Only applications and experts with at least one conflict are shown: a call has
// hundreds of each and the officer reads the matrix for the pairs that matter. Pure, so it is tested on its own.
import type { ConflictView } from './bindings'

export type Severity = 'hard' | 'declared' | 'soft' | 'possible'

/** Strongest first: a pair with a hard and a soft conflict is shown as hard. */
export const SEVERITY_ORDER: Severity[] = ['hard', 'declared', 'soft', 'possible']

export interface MatrixCell {
  severity: Severity
  /** Every conflict of the pair, strongest first. */
  conflicts: ConflictView[]
  /** The officer allowed the pair's soft conflicts (and it has no stronger one). */
  overridden: boolean
}

export interface ConflictMatrix {
  /** 申报编号, sorted. */
  rows: string[]
  /** Expert numbers with their names, sorted by number. */
  columns: { number: string; name: string }[]
  /** `cells[row][expert]`; a missing entry is a pair without a conflict. */
  cells: Record<string, Record<string, MatrixCell>>
  /** How many pairs of each severity (by their strongest conflict). */
  counts: Record<Severity, number>
}

const rank = (s: string) => {
  const i = SEVERITY_ORDER.indexOf(s as Severity)
  return i < 0 ? SEVERITY_ORDER.length : i
}

export function conflictMatrix(conflicts: ConflictView[]): ConflictMatrix {
  const rows = new Set<string>()
  const names = new Map<string, string>()
  const cells: Record<string, Record<string, MatrixCell>> = {}
  for (const c of conflicts) {
    rows.add(c.application)
    names.set(c.expert, c.expert_name)
    const row = (cells[c.application] ??= {})
    const cell = row[c.expert]
    if (!cell) {
      row[c.expert] = { severity: c.severity as Severity, conflicts: [c], overridden: false }
    } else {
      cell.conflicts.push(c)
      if (rank(c.severity) < rank(cell.severity)) cell.severity = c.severity as Severity
    }
  }
  const counts: Record<Severity, number> = { hard: 0, declared: 0, soft: 0, possible: 0 }
  for (const row of Object.values(cells)) {
    for (const cell of Object.values(row)) {
      cell.conflicts.sort((a, b) => rank(a.severity) - rank(b.severity))
      const soft = cell.conflicts.filter((c) => c.severity === 'soft')
      cell.overridden = cell.severity === 'soft' && soft.every((c) => c.override_reason !== null)
      counts[cell.severity] += 1
    }
  }
  return {
    rows: [...rows].sort(),
    columns: [...names.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([number, name]) => ({ number, name })),
    cells,
    counts,
  }
}
