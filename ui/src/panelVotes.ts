// 会议评审 in the window: the arithmetic the vote entry shows live while the chair's counts are typed.
// The server decides (it recounts and refuses a wrong sum with its message); these only say beforehand
// what it will say, with the same rules (domain.md "会议评审 vote").
import type { PanelItem, PanelView, ShortlistItem } from './bindings'

/** The members present who vote on an item: those present and not stepping out for it. */
export function voters(present: string[], steppingOut: string[]): string[] {
  const out = new Set(steppingOut)
  return [...new Set(present)].filter((m) => !out.has(m))
}

/** The live sum check: the votes typed against the members who vote. */
export function sumCheck(yes: number, no: number, abstain: number, voting: number): { cast: number; voting: number; ok: boolean } {
  const cast = (yes || 0) + (no || 0) + (abstain || 0)
  return { cast, voting, ok: voting > 0 && cast === voting }
}

/** Parses a share such as `2/3` (or `1`); null when unreadable. */
export function parseShare(share: string): { num: number; den: number } | null {
  const [n, d = '1'] = share.split('/')
  const num = Number(n)
  const den = Number(d)
  return Number.isInteger(num) && Number.isInteger(den) && den > 0 ? { num, den } : null
}

/** Whether `yes` recommends out of `voting` at `share`: yes ≥ share × voting, exactly (cross-multiplied). */
export function recommends(yes: number, voting: number, share: string): boolean {
  const s = parseShare(share)
  return !!s && voting > 0 && yes * s.den >= s.num * voting
}

/** The fewest yes votes that recommend out of `voting`: ⌈share × voting⌉. */
export function yesNeeded(voting: number, share: string): number {
  const s = parseShare(share)
  return s ? Math.ceil((s.num * voting) / s.den) : 0
}

/** The panel's items in its discussion order, group by group. */
export function discussionGroups(view: PanelView): { steppingOut: string[]; items: PanelItem[] }[] {
  const byNumber = new Map(view.items.map((i) => [i.number, i]))
  return view.order.map((g) => ({
    steppingOut: g.stepping_out,
    items: g.items.map((n) => byNumber.get(n)).filter((i): i is PanelItem => !!i),
  }))
}

/** The shortlist split where a person reads it: the top of the ranking, then the 非共识 items sent on below the cut. */
export function splitShortlist(items: ShortlistItem[]): { cut: ShortlistItem[]; nonConsensus: ShortlistItem[] } {
  return { cut: items.filter((i) => i.basis === 'cut'), nonConsensus: items.filter((i) => i.basis === 'non_consensus') }
}
