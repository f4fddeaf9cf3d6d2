// 赛马 milestone results typed in the window: what the entry shows live while the officer types each
// team's measured values. The core decides (it parses and compares again when the result is recorded,
// and refuses with its message); these only say beforehand what it will record, with the same rules:
// a value reads as the core's `Quantity` does (full-width digits and spaces tolerated, thousands
// commas dropped, at most 6 decimals) and meets its indicator by the indicator's direction (≥ or ≤).
import type { CoreIndicatorLine, ResultLine } from './bindings'

/** The most decimals a quantity may have (the core's `Quantity::MAX_DECIMALS`). */
export const MAX_DECIMALS = 6

/**
 * A typed value as the number the core compares, or why it is not one. The division of the exact
 * decimal digits by a power of ten is the core's `Quantity::to_f64`, so a value on the target compares
 * equal on both sides.
 */
export function parseQuantity(text: string): { value: number } | { error: 'empty' | 'not_a_number' | 'too_many_decimals' } {
  const s = [...text.normalize('NFKD')]
    .filter((c) => !/\s/u.test(c))
    .join('')
    .normalize('NFC')
    .replace(/[,，]/g, '')
  if (!s) return { error: 'empty' }
  const negative = s.startsWith('-')
  const body = negative ? s.slice(1) : s
  const [int, frac = '', extra] = body.split('.')
  if (extra !== undefined || !/^[0-9]+$/.test(int) || !/^[0-9]*$/.test(frac)) return { error: 'not_a_number' }
  const kept = frac.replace(/0+$/, '')
  if (kept.length > MAX_DECIMALS) return { error: 'too_many_decimals' }
  const magnitude = Number(`${int}${kept}`)
  if (!Number.isSafeInteger(magnitude)) return { error: 'not_a_number' }
  const mantissa = negative ? -magnitude : magnitude
  return { value: mantissa / 10 ** kept.length }
}

/** One value's state as typed: nothing yet, not a number, or met / not met. */
export type ValueCheck = 'empty' | 'invalid' | 'met' | 'not_met'

/** Whether `text` meets the indicator, as the core will judge it once recorded. */
export function checkValue(indicator: Pick<CoreIndicatorLine, 'target_value' | 'at_least'>, text: string): ValueCheck {
  const q = parseQuantity(text ?? '')
  if ('error' in q) return q.error === 'empty' ? 'empty' : 'invalid'
  const target = parseQuantity(indicator.target_value)
  if ('error' in target) return 'invalid'
  const met = indicator.at_least ? q.value >= target.value : q.value <= target.value
  return met ? 'met' : 'not_met'
}

/** A team's row: each indicator's check, whether it can be recorded (every value a number), and whether all are met. */
export function checkRow(
  indicators: Pick<CoreIndicatorLine, 'code' | 'target_value' | 'at_least'>[],
  values: Record<string, string>,
): { checks: Record<string, ValueCheck>; ready: boolean; allMet: boolean } {
  const checks: Record<string, ValueCheck> = {}
  for (const i of indicators) checks[i.code] = checkValue(i, values[i.code] ?? '')
  const states = Object.values(checks)
  return {
    checks,
    ready: states.length > 0 && states.every((c) => c === 'met' || c === 'not_met'),
    allMet: states.length > 0 && states.every((c) => c === 'met'),
  }
}

/** The indicators a milestone examines, in the milestone's order, with what the call says of each. */
export function milestoneIndicators(codes: string[], all: CoreIndicatorLine[]): CoreIndicatorLine[] {
  return codes.map((code) => all.find((i) => i.code === code)).filter((i): i is CoreIndicatorLine => !!i)
}

/** The result already recorded for a team at a milestone, if any (it may be recorded again before the gate). */
export function recordedResult(results: ResultLine[], milestone: string, team: string): ResultLine | null {
  return results.find((r) => r.milestone === milestone && r.number === team) ?? null
}

/** The (code, value) pairs sent to the core, in the milestone's order. */
export function valuesToSend(codes: string[], values: Record<string, string>): [string, string][] {
  return codes.map((code) => [code, (values[code] ?? '').trim()])
}
