// The call (指南/榜单) as the office's editor holds it. The core's `Call` crosses IPC as JSON text (the
// shape `lixiang call show` prints, see src-tauri/src/calls.rs), typed here by hand to mirror it. The
// editor binds most fields straight to a copy of the call; what people type differently from how it is
// stored gets a text of its own in the form: money in 万元 (stored as fen), times in Beijing time
// (stored as RFC 3339 with offset), attachment sizes in MB (stored in bytes). `fromForm` turns the form
// back into a call, or names each field it cannot read; the core's checks (`call_save`) do the rest.
import { wanToFen } from '../../agreementForm'
import { formatMoment } from '../../format'

export interface Bilingual {
  zh: string
  en: string
}
export interface Unit {
  name: string
  credit_code: string
}
export interface Milestone {
  code: string
  name: Bilingual
  due: string
  indicators: string[]
  tranche: number
}
export interface Payout {
  label: Bilingual
  when: 'agreement' | 'acceptance'
  percent: number
}
export type Contest =
  | { kind: 'single' }
  | { kind: 'race'; teams: number; first_tranche: number; milestones: Milestone[] }
  | { kind: 'bounty'; reward: number; split: Payout[] }
export type Mode =
  | { kind: 'open_competition'; two_stage: boolean }
  | { kind: 'challenge'; task: Bilingual; end_user: Unit; contest: Contest }
  | { kind: 'directed_commission'; units: Unit[] }
export interface SectionRule {
  code: string
  name: Bilingual
  required: boolean
  max_chars: number | null
  blind_reviewable: boolean
}
export interface AttachmentRule {
  code: string
  name: Bilingual
  required: boolean
  max_bytes: number
  formats: string[]
}
export type Title = 'intermediate' | 'associate_senior' | 'senior'
export type Degree = 'bachelor' | 'master' | 'doctor'
export interface Eligibility {
  unit_registered_by: string | null
  leader_max_age: number | null
  leader_min_title: Title | null
  leader_min_degree: Degree | null
  max_concurrent_projects: number | null
  xizang_unit_required: boolean
}
export interface CoreIndicator {
  code: string
  name: Bilingual
  unit: string
  target: number
  direction: 'at_least' | 'at_most'
  locked: boolean
  plan_target: string | null
}
export interface Ratio {
  num: number
  den: number
}
/** A criterion's anchored band: `low` and `high` in half points (the core's `HalfPoints`: 25 points = 50). */
export interface Band {
  low: number
  high: number
  text: Bilingual
}
/** A criterion of a scored form: `weight` is its maximum points; the weights of a form sum to 100. */
export interface Criterion {
  id: string
  name: Bilingual
  weight: number
  /** From the highest band down, covering 0 … weight without gaps or overlaps. */
  bands: Band[]
}
export interface TemplateRef {
  code: string
  version: number
}
export interface VerdictItem {
  id: string
  name: Bilingual
}
export type RoundKind = 'mail_review' | 'panel_review' | 'defence' | 'site_visit' | 'feasibility' | 'acceptance'
/**
 * The kinds of round a call of this mode may have, as the core's `RoundKind::for_mode` (whose check
 * refuses any other, naming the round): 可行性论证 only for 定向委托, which has no other; 验收 only for 揭榜挂帅.
 */
export function roundKindsFor(mode: Mode['kind']): RoundKind[] {
  if (mode === 'directed_commission') return ['feasibility']
  const kinds: RoundKind[] = ['mail_review', 'panel_review', 'defence', 'site_visit']
  return mode === 'challenge' ? [...kinds, 'acceptance'] : kinds
}
/** The one form of a round, as the core's `Form` serialises (tagged by `kind`). */
export type RoundForm =
  | { kind: 'scored'; template?: TemplateRef | null; criteria: Criterion[] }
  | { kind: 'vote' }
  | {
      kind: 'verdicts'
      template?: TemplateRef | null
      scale: 'feasibility' | 'acceptance'
      items: VerdictItem[]
      /** The items are the call's core indicators (验收), taken when the packet is made. */
      per_core_indicator: boolean
    }
export interface Round {
  kind: RoundKind
  experts: number
  blind: boolean
  form: RoundForm
  trimming: boolean
  trimming_min: number
  non_consensus: number
  vote_share: Ratio
  shortlist_percent: number | null
  industry_user_min: Ratio | null
}
export interface Call {
  id: string
  revision: number
  status: { state: 'draft' } | { state: 'published'; at: string }
  code: string
  programme: string
  title: Bilingual
  year: number
  mode: Mode
  category: 'basic_research' | 'tech_innovation' | 'transfer'
  management: string | null
  opens_at: string
  closes_at: string
  funding_per_project: number
  funding_total: number
  places: number
  period: { start: string; end: string }
  budget: { schema: { code: string; version: number }; pure_theory: boolean }
  sections: SectionRule[]
  attachments: AttachmentRule[]
  eligibility: Eligibility
  core_indicators: CoreIndicator[]
  review_plan: { version: number; rounds: Round[] }
}

/** A milestone row as typed: its tranche in 万元. */
export type MilestoneRow = Milestone & { tranche_wan: string }
/** An attachment rule as typed: its size limit in MB. */
export type AttachmentRow = AttachmentRule & { max_mb: string }

export interface CallForm {
  /** The call, edited in place for every field typed as stored; milestones and attachments as rows. */
  call: Call
  milestones: MilestoneRow[]
  attachments: AttachmentRow[]
  opensAt: string
  closesAt: string
  perProjectWan: string
  totalWan: string
  firstTrancheWan: string
  rewardWan: string
  /** The schema picked, `code@version`. */
  schema: string
  /**
   * The review plan of the revision before (published): rounds as JSON text and version. A plan that
   * differs from it is saved as its next version, one that does not as its version; `null` for a first
   * revision, whose plan keeps its version (nobody has been given it yet).
   */
  planBaseline: { rounds: string; version: number } | null
}

/** A field the form could not read, by the call's path (`funding_total`, `mode.contest.milestones[1].tranche`). */
export interface FormProblem {
  field: string
  kind: 'money' | 'moment' | 'size'
}

const MB = 1024 * 1024
const FEN_PER_WAN = 1_000_000

/** Fen as 万元 text without trailing zeros (150000000 → "150", 1234500 → "1.2345"). */
export function fenToWan(fen: number): string {
  const whole = Math.floor(fen / FEN_PER_WAN)
  const frac = String(fen % FEN_PER_WAN).padStart(6, '0').replace(/0+$/, '')
  return frac ? `${whole}.${frac}` : `${whole}`
}

/** 万元 text as fen (a number: exact up to 9 × 10⁹ 万元), or null when not an amount. */
export function wanTextToFen(text: string): number | null {
  const fen = wanToFen(text)
  return fen === null || fen > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(fen)
}

/** "YYYY-MM-DD HH:mm" in Beijing time as RFC 3339 with +08:00, or null when not such a time. */
export function beijingToMoment(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec((text ?? '').normalize('NFKC').trim())
  if (!m) return null
  const [y, mo, d, h, mi] = m.slice(1).map(Number)
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi))
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59) return null
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`
}

function sizeToMb(bytes: number): string {
  const mb = bytes / MB
  return Number.isInteger(mb) ? `${mb}` : mb.toFixed(2)
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T

/**
 * The form of a call, to edit; `previous` is the review plan of the revision before (the editor's
 * `CallDoc.previous_plan`), `null` for a first revision.
 */
export function toForm(source: Call, previous: { version: number; rounds_json: string } | null = null): CallForm {
  const call = clone(source)
  const contest = call.mode.kind === 'challenge' ? call.mode.contest : null
  return {
    call,
    milestones:
      contest?.kind === 'race' ? contest.milestones.map((m) => ({ ...m, tranche_wan: fenToWan(m.tranche) })) : [],
    attachments: call.attachments.map((a) => ({ ...a, max_mb: sizeToMb(a.max_bytes) })),
    opensAt: formatMoment(call.opens_at),
    closesAt: formatMoment(call.closes_at),
    perProjectWan: fenToWan(call.funding_per_project),
    totalWan: fenToWan(call.funding_total),
    firstTrancheWan: contest?.kind === 'race' ? fenToWan(contest.first_tranche) : '',
    rewardWan: contest?.kind === 'bounty' ? fenToWan(contest.reward) : '',
    schema: `${call.budget.schema.code}@${call.budget.schema.version}`,
    planBaseline: previous ? { rounds: normalRounds(JSON.parse(previous.rounds_json)), version: previous.version } : null,
  }
}

/** Rounds as comparable text: keys sorted, so a criterion added in the editor compares by its content. */
function normalRounds(rounds: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
          )
        : v
  return JSON.stringify(sorted(rounds))
}

/**
 * The plan version the form will be saved as: for a later revision, the previous revision's version, or
 * the next one once the rounds differ from its rounds (however many times the draft is saved and opened
 * again); for a first revision, the version it has.
 */
export function planVersion(form: CallForm): number {
  const plan = form.call.review_plan
  const base = form.planBaseline
  if (!base) return plan.version
  return normalRounds(plan.rounds) === base.rounds ? base.version : base.version + 1
}

/** The call the form says, or every field it cannot read. A time left as shown keeps its stored form. */
export function fromForm(form: CallForm): { call: Call; problems: FormProblem[] } {
  const call = clone(form.call)
  const problems: FormProblem[] = []
  const money = (text: string, field: string, set: (fen: number) => void) => {
    const fen = wanTextToFen(text)
    if (fen === null) problems.push({ field, kind: 'money' })
    else set(fen)
  }
  const moment = (text: string, stored: string, field: string, set: (m: string) => void) => {
    if (text.trim() === formatMoment(stored)) return
    const m = beijingToMoment(text)
    if (m === null) problems.push({ field, kind: 'moment' })
    else set(m)
  }
  moment(form.opensAt, form.call.opens_at, 'opens_at', (m) => (call.opens_at = m))
  moment(form.closesAt, form.call.closes_at, 'closes_at', (m) => (call.closes_at = m))
  money(form.perProjectWan, 'funding_per_project', (f) => (call.funding_per_project = f))
  money(form.totalWan, 'funding_total', (f) => (call.funding_total = f))
  const [code, version] = form.schema.split('@')
  call.budget.schema = { code, version: Number(version) }
  call.attachments = form.attachments.map(({ max_mb, ...rule }, i) => {
    // A size left as shown keeps its exact bytes (a limit that is not a whole MB is shown rounded).
    const typed = String(max_mb).normalize('NFKC').trim()
    const mb = Number(typed)
    if (typed !== sizeToMb(rule.max_bytes)) {
      if (!typed || !Number.isFinite(mb) || mb < 0) problems.push({ field: `attachments[${i}].max_bytes`, kind: 'size' })
      else rule.max_bytes = Math.round(mb * MB)
    }
    rule.formats = rule.formats.map((f) => f.trim().toLowerCase().replace(/^\./, '')).filter(Boolean)
    return rule
  })
  if (call.mode.kind === 'challenge') {
    const contest = call.mode.contest
    if (contest.kind === 'race') {
      money(form.firstTrancheWan, 'mode.contest.first_tranche', (f) => (contest.first_tranche = f))
      contest.milestones = form.milestones.map(({ tranche_wan, ...m }, i) => {
        money(tranche_wan, `mode.contest.milestones[${i}].tranche`, (f) => (m.tranche = f))
        return m
      })
    } else if (contest.kind === 'bounty') {
      money(form.rewardWan, 'mode.contest.reward', (f) => (contest.reward = f))
    }
  }
  // Experts' forms are tied to the plan's version: a plan changed since it was loaded is the next version
  // (a revision whose plan changed without a new version is refused by the core, naming review_plan.version).
  call.review_plan.version = planVersion(form)
  for (const r of call.review_plan.rounds) {
    if ((r.shortlist_percent as unknown) === '' || r.shortlist_percent === undefined) r.shortlist_percent = null
  }
  const e = call.eligibility
  for (const k of ['leader_max_age', 'max_concurrent_projects'] as const) {
    if (e[k] === undefined || (e[k] as unknown) === '') e[k] = null
  }
  if (!e.unit_registered_by?.trim()) e.unit_registered_by = null
  if (!e.leader_min_title) e.leader_min_title = null
  if (!e.leader_min_degree) e.leader_min_degree = null
  for (const ind of call.core_indicators) {
    if (!ind.plan_target?.trim()) ind.plan_target = null
  }
  return { call, problems }
}

/** A new, empty row of each table. */
export const newRow = {
  section: (): SectionRule => ({ code: '', name: { zh: '', en: '' }, required: true, max_chars: 3000, blind_reviewable: false }),
  attachment: (): AttachmentRow => ({
    code: '',
    name: { zh: '', en: '' },
    required: false,
    max_bytes: 20 * MB,
    max_mb: '20',
    formats: ['pdf'],
  }),
  indicator: (locked: boolean): CoreIndicator => ({
    code: '',
    name: { zh: '', en: '' },
    unit: '',
    target: 0,
    direction: 'at_least',
    locked,
    plan_target: null,
  }),
  unit: (): Unit => ({ name: '', credit_code: '' }),
  milestone: (): MilestoneRow => ({
    code: '',
    name: { zh: '', en: '' },
    due: '',
    indicators: [],
    tranche: 0,
    tranche_wan: '0',
  }),
  payout: (): Payout => ({ label: { zh: '', en: '' }, when: 'acceptance', percent: 0 }),
}

/** The sum of a scored form's maximum points (must be 100). */
export function weightSum(criteria: readonly Criterion[]): number {
  return criteria.reduce((sum, c) => sum + (Number.isFinite(c.weight) ? c.weight : 0), 0)
}

/** Half points as points people type (41 → 20.5). */
export const halvesToPoints = (halves: number): number => halves / 2
/** Points typed (step 0.5) as half points; an empty field is 0. */
export const pointsToHalves = (points: number | null | undefined): number =>
  points === null || points === undefined || !Number.isFinite(points) ? 0 : Math.max(0, Math.round(points * 2))

/**
 * Whether the bands of a criterion cover 0 … weight from the top down without gaps or overlaps, the way the
 * core checks it (`call/check.rs` band_gap), for the live mark beside the bands: `null` when they do, else
 * what is wrong and the field under the criterion to fix (`bands[1].high`). The refusal itself is the core's.
 */
export function bandCoverage(
  c: Criterion,
): { kind: 'none' | 'top' | 'overlap' | 'gap' | 'inverted' | 'extra' | 'short'; field: string; band: number } | null {
  if (!c.bands.length) return { kind: 'none', field: 'bands', band: 0 }
  let expected = c.weight * 2
  for (let k = 0; k < c.bands.length; k++) {
    const b = c.bands[k]
    if (b.high !== expected) {
      const kind = k === 0 ? 'top' : b.high > expected ? 'overlap' : 'gap'
      return { kind, field: `bands[${k}].high`, band: k }
    }
    if (b.low > b.high) return { kind: 'inverted', field: `bands[${k}].low`, band: k }
    if (b.low === 0) return k + 1 === c.bands.length ? null : { kind: 'extra', field: `bands[${k + 1}]`, band: k + 1 }
    expected = b.low - 1
  }
  return { kind: 'short', field: `bands[${c.bands.length - 1}].low`, band: c.bands.length - 1 }
}

/** The first id `stem1`, `stem2` … that none of `taken` uses. */
function freeId(stem: string, taken: readonly { id: string }[]): string {
  const ids = new Set(taken.map((x) => x.id))
  let n = taken.length + 1
  while (ids.has(`${stem}${n}`)) n++
  return `${stem}${n}`
}

/** A new criterion of 10 points with one band over all of it, its name and description still to write. */
export function newCriterion(criteria: readonly Criterion[]): Criterion {
  return { id: freeId('c', criteria), name: { zh: '', en: '' }, weight: 10, bands: [{ low: 0, high: 20, text: { zh: '', en: '' } }] }
}

/** A new verdict item, its name still to write. */
export function newVerdictItem(items: readonly VerdictItem[]): VerdictItem {
  return { id: freeId('item', items), name: { zh: '', en: '' } }
}

/**
 * Changes a criterion's maximum points; the top band follows when it started at the old maximum (its low
 * end stays), so raising 20 to 30 keeps the bands covering 0 … 30.
 */
export function setWeight(c: Criterion, weight: number | null | undefined): void {
  const w = weight === null || weight === undefined || !Number.isFinite(weight) ? 0 : Math.max(0, Math.round(weight))
  if (c.bands.length && c.bands[0].high === c.weight * 2) c.bands[0].high = w * 2
  c.weight = w
}

/**
 * Adds a band at the bottom: below the lowest one when that stops above 0, else by splitting the lowest in
 * two, so bands that covered 0 … weight still do.
 */
export function addBand(c: Criterion): void {
  const text = { zh: '', en: '' }
  const last = c.bands[c.bands.length - 1]
  if (!last) c.bands.push({ low: 0, high: c.weight * 2, text })
  else if (last.low > 0) c.bands.push({ low: 0, high: last.low - 1, text })
  else {
    const mid = Math.ceil(last.high / 2)
    last.low = mid
    c.bands.push({ low: 0, high: Math.max(0, mid - 1), text })
  }
}

/** Moves the round at `i` one place up (-1) or down (+1); nothing at the ends. */
export function moveRound(rounds: Round[], i: number, delta: -1 | 1): void {
  const j = i + delta
  if (i < 0 || i >= rounds.length || j < 0 || j >= rounds.length) return
  const [r] = rounds.splice(i, 1)
  rounds.splice(j, 0, r)
}

/** The top-level part of a problem's field path (`mode.contest.milestones[1].due` → `mode`), to find its tab. */
export function fieldArea(field: string): 'basics' | 'mode' | 'materials' | 'eligibility' | 'indicators' | 'review' {
  const head = field.split(/[.[]/)[0]
  if (head === 'mode') return 'mode'
  if (head === 'sections' || head === 'attachments') return 'materials'
  if (head === 'eligibility') return 'eligibility'
  if (head === 'core_indicators') return 'indicators'
  if (head === 'review_plan') return 'review'
  return 'basics'
}

// Field paths of the call (the core's `Problem.field`) to the label the form shows (keys under `calldesk.`).
const LABELS: Record<string, string> = {
  'title.zh': 'f.titleZh',
  'title.en': 'f.titleEn',
  code: 'f.code',
  programme: 'f.programme',
  year: 'f.year',
  category: 'f.category',
  opens_at: 'f.opensAt',
  closes_at: 'f.closesAt',
  funding_per_project: 'f.perProject',
  funding_total: 'f.total',
  places: 'f.places',
  'period.start': 'f.periodStart',
  'period.end': 'f.periodEnd',
  'budget.schema': 'f.schema',
  'budget.pure_theory': 'f.pureTheory',
  'eligibility.unit_registered_by': 'f.registeredBy',
  'eligibility.leader_max_age': 'f.maxAge',
  'eligibility.leader_min_title': 'f.minTitle',
  'eligibility.leader_min_degree': 'f.minDegree',
  'eligibility.max_concurrent_projects': 'f.maxProjects',
  'mode.task.zh': 'f.task',
  'mode.end_user.name': 'f.endUser',
  'mode.end_user.credit_code': 'f.creditCode',
  'mode.contest.teams': 'f.teams',
  'mode.contest.first_tranche': 'f.firstTranche',
  'mode.contest.milestones': 'f.milestones',
  'mode.contest.reward': 'f.reward',
  'mode.contest.split': 'f.split',
  'mode.units': 'f.units',
  sections: 'f.sections',
  attachments: 'f.attachments',
  core_indicators: 'tabs.indicators',
}
const TABLES: Record<string, string> = {
  sections: 'f.sections',
  attachments: 'f.attachments',
  core_indicators: 'tabs.indicators',
  'mode.units': 'f.units',
  'mode.contest.milestones': 'f.milestones',
  'mode.contest.split': 'f.split',
  'review_plan.rounds': 'tabs.review',
}

/**
 * How a problem names its field: the field's own label, or its table's with the row counted from 1
 * (`attachments[0].max_bytes` → attachments, row 1), or else its tab's.
 */
export function fieldLabel(field: string): { key: string; row?: number } {
  if (LABELS[field]) return { key: LABELS[field] }
  const row = /^(.*?)\[(\d+)\]/.exec(field)
  if (row && TABLES[row[1]]) return { key: TABLES[row[1]], row: Number(row[2]) + 1 }
  return { key: `tabs.${fieldArea(field)}` }
}
