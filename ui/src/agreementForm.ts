// The agreement (任务书/协议) of a selected 揭榜挂帅 team, typed in the window before the 公示: which
// teams still need one, the form prefilled (today, the call's fixed funding), and what the form says
// before the core is asked. The core decides (it refuses a funding other than the call's, a date before
// the selection, a file that is not a PDF, naming both amounts or the team); these checks only keep the
// button honest and say the same thing earlier.
import type { AgreementView, ChallengePanel } from './bindings'

/** The fen in one 万元 (the core's `FEN_PER_WAN`). */
const FEN_PER_WAN = 1_000_000n

export interface AgreementDraft {
  number: string
  signedOn: string
  fundingWan: string
}

export type AgreementProblem = 'number_missing' | 'date_invalid' | 'funding_invalid' | 'funding_differs'

/** The selected teams without a recorded agreement, in the selection's order. */
export function pendingTeams(panel: Pick<ChallengePanel, 'selected' | 'agreements'>): string[] {
  const done = new Set(panel.agreements.map((a) => a.number))
  return panel.selected.filter((n) => !done.has(n))
}

/** The recorded agreement of `team`, if any. */
export function agreementOf(panel: Pick<ChallengePanel, 'agreements'>, team: string): AgreementView | null {
  return panel.agreements.find((a) => a.number === team) ?? null
}

/** A fresh form: no number yet, signed today, the call's fixed funding. */
export function newDraft(fixedWan: string, today: string): AgreementDraft {
  return { number: '', signedOn: today, fundingWan: fixedWan }
}

/** An amount in 万元 as exact fen (full-width digits and spaces tolerated), or null when not an amount. */
export function wanToFen(text: string): bigint | null {
  const s = [...(text ?? '').normalize('NFKC')].filter((c) => !/\s/u.test(c)).join('').replace(/[,，]/g, '')
  const m = /^([0-9]+)(?:\.([0-9]{0,6}))?$/.exec(s)
  if (!m) return null
  const frac = (m[2] ?? '').padEnd(6, '0')
  return BigInt(m[1]) * FEN_PER_WAN + BigInt(frac)
}

/** A real calendar date `YYYY-MM-DD`. */
export function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '')
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

/** What is wrong with the form, in field order; empty when it can be sent. */
export function checkDraft(draft: AgreementDraft, fixedWan: string): AgreementProblem[] {
  const problems: AgreementProblem[] = []
  if (!draft.number.trim()) problems.push('number_missing')
  if (!isDate(draft.signedOn.trim())) problems.push('date_invalid')
  const funding = wanToFen(draft.fundingWan)
  if (funding === null || funding === 0n) problems.push('funding_invalid')
  else if (funding !== wanToFen(fixedWan)) problems.push('funding_differs')
  return problems
}

/** Today in Beijing time (the office's calendar), `YYYY-MM-DD`. */
export function todayInBeijing(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}
