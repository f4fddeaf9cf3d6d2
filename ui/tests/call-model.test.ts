import { describe, expect, it } from 'vitest'
import {
  roundKindsFor,
  addBand,
  bandCoverage,
  beijingToMoment,
  moveRound,
  planVersion,
  newCriterion,
  newVerdictItem,
  pointsToHalves,
  setWeight,
  weightSum,
  type Criterion,
  type Round,
  fenToWan,
  fieldArea,
  fieldLabel,
  fromForm,
  toForm,
  wanTextToFen,
  type Call,
} from '../src/components/calldesk/callModel'

// The shape `lixiang call show` prints (the ZX06 demo call, shortened).
const call = (): Call => ({
  id: '01a0f6b5-ba60-736f-8580-28d6099950d8',
  revision: 1,
  status: { state: 'draft' },
  code: '2027-ZX06-01',
  programme: 'ZX06',
  title: { zh: '高产优质青稞新品种选育与绿色栽培技术', en: 'Breeding of highland barley' },
  year: 2027,
  mode: { kind: 'open_competition', two_stage: false },
  category: 'tech_innovation',
  management: 'platform',
  opens_at: '2026-11-02T09:00:00+08:00',
  closes_at: '2027-01-15T17:30:00+08:00',
  funding_per_project: 150_000_000,
  funding_total: 750_000_000,
  places: 5,
  period: { start: '2027-03-01', end: '2030-12-31' },
  budget: { schema: { code: 'xizang-provincial-2017', version: 1 }, pure_theory: false },
  sections: [{ code: 'rationale', name: { zh: '立项依据', en: 'Rationale' }, required: true, max_chars: 8000, blind_reviewable: true }],
  attachments: [
    { code: 'signed_pages', name: { zh: '签字盖章页扫描件', en: 'Scan' }, required: true, max_bytes: 20_971_520, formats: ['pdf', 'jpg'] },
    { code: 'odd', name: { zh: '其他', en: 'Other' }, required: false, max_bytes: 1_000_000, formats: ['pdf'] },
  ],
  eligibility: {
    unit_registered_by: '2025-12-31',
    leader_max_age: 55,
    leader_min_title: 'associate_senior',
    leader_min_degree: null,
    max_concurrent_projects: 2,
    xizang_unit_required: true,
  },
  core_indicators: [
    { code: 'I1', name: { zh: '青稞新品种（系）', en: 'Varieties' }, unit: '个', target: 2, direction: 'at_least', locked: false, plan_target: 'ZX06-T1' },
  ],
  review_plan: {
    version: 1,
    rounds: [
      {
        kind: 'mail_review',
        experts: 5,
        blind: false,
        form: { kind: 'scored', criteria: [] },
        trimming: true,
        trimming_min: 5,
        non_consensus: 20,
        vote_share: { num: 2, den: 3 },
        shortlist_percent: 120,
        industry_user_min: { num: 1, den: 3 },
      },
    ],
  },
})

const race = (): Call => ({
  ...call(),
  mode: {
    kind: 'challenge',
    task: { zh: '研制风力发电机组', en: 'Build wind turbines' },
    end_user: { name: '示范企业', credit_code: '91540100MA6T01015X' },
    contest: {
      kind: 'race',
      teams: 3,
      first_tranche: 300_000_000,
      milestones: [
        { code: 'M1', name: { zh: '样机设计', en: 'Design' }, due: '2028-06-30', indicators: ['I1'], tranche: 300_000_000 },
        { code: 'M2', name: { zh: '并网运行', en: 'Grid' }, due: '2029-06-30', indicators: ['I1'], tranche: 400_000_000 },
      ],
    },
  },
})

describe('money in 万元 and times in Beijing time', () => {
  it('shows fen as 万元 without trailing zeros and reads typed amounts back exactly', () => {
    expect(fenToWan(150_000_000)).toBe('150')
    expect(fenToWan(1_234_500)).toBe('1.2345')
    expect(fenToWan(1)).toBe('0.000001')
    expect(wanTextToFen('150')).toBe(150_000_000)
    expect(wanTextToFen('１２.５')).toBe(12_500_000)
    expect(wanTextToFen('1,200')).toBe(1_200_000_000)
    expect(wanTextToFen('1.2345678')).toBeNull()
    expect(wanTextToFen('一百')).toBeNull()
    expect(wanTextToFen('')).toBeNull()
  })

  it('reads a Beijing time as RFC 3339 with +08:00 and refuses what is not a real time', () => {
    expect(beijingToMoment('2027-01-15 17:30')).toBe('2027-01-15T17:30:00+08:00')
    expect(beijingToMoment(' 2027-01-15T08:05 ')).toBe('2027-01-15T08:05:00+08:00')
    expect(beijingToMoment('2027-02-29 10:00')).toBeNull()
    expect(beijingToMoment('2027-01-15 24:00')).toBeNull()
    expect(beijingToMoment('2027-01-15')).toBeNull()
  })
})

describe('the call form', () => {
  it('gives back the very call it was made from when nothing is edited', () => {
    for (const c of [call(), race()]) {
      const form = toForm(c)
      expect(form.perProjectWan).toBe('150')
      expect(form.closesAt).toBe('2027-01-15 17:30')
      expect(form.schema).toBe('xizang-provincial-2017@1')
      const back = fromForm(form)
      expect(back.problems).toEqual([])
      expect(back.call).toEqual(c)
    }
    expect(toForm(race()).milestones.map((m) => m.tranche_wan)).toEqual(['300', '400'])
  })

  it('writes what was typed: amounts as fen, times with +08:00, sizes in bytes, file types plain', () => {
    const form = toForm(call())
    form.call.title.zh = '青稞新品种选育（修订）'
    form.perProjectWan = '200'
    form.totalWan = '1,000.5'
    form.closesAt = '2027-02-01 12:00'
    form.attachments[0].max_mb = '5'
    form.attachments[0].formats = [' .PDF', '', 'Jpg ']
    form.schema = 'central-2021@1'
    form.call.eligibility.unit_registered_by = ''
    form.call.core_indicators[0].plan_target = ' '
    const { call: c, problems } = fromForm(form)
    expect(problems).toEqual([])
    expect(c.title.zh).toBe('青稞新品种选育（修订）')
    expect([c.funding_per_project, c.funding_total]).toEqual([200_000_000, 1_000_500_000])
    expect(c.closes_at).toBe('2027-02-01T12:00:00+08:00')
    expect(c.opens_at).toBe('2026-11-02T09:00:00+08:00')
    expect(c.attachments[0]).toMatchObject({ max_bytes: 5 * 1024 * 1024, formats: ['pdf', 'jpg'] })
    expect(c.attachments[0]).not.toHaveProperty('max_mb')
    expect(c.budget.schema).toEqual({ code: 'central-2021', version: 1 })
    expect(c.eligibility.unit_registered_by).toBeNull()
    expect(c.core_indicators[0].plan_target).toBeNull()
    expect(form.call.funding_per_project, 'the form itself is not changed').toBe(150_000_000)
  })

  it('names each field it cannot read, by the path the core uses', () => {
    const form = toForm(race())
    form.totalWan = '七百五十'
    form.opensAt = '2026-11-02'
    form.attachments[1].max_mb = 'big'
    form.milestones[1].tranche_wan = '4oo'
    form.firstTrancheWan = ''
    expect(fromForm(form).problems).toEqual([
      { field: 'opens_at', kind: 'moment' },
      { field: 'funding_total', kind: 'money' },
      { field: 'attachments[1].max_bytes', kind: 'size' },
      { field: 'mode.contest.first_tranche', kind: 'money' },
      { field: 'mode.contest.milestones[1].tranche', kind: 'money' },
    ])
  })

  it('keeps milestones added and removed as rows, with their tranches', () => {
    const form = toForm(race())
    form.milestones.splice(0, 1)
    form.milestones[0].tranche_wan = '700'
    const c = fromForm(form).call
    expect(c.mode.kind === 'challenge' && c.mode.contest.kind === 'race' && c.mode.contest.milestones).toEqual([
      { code: 'M2', name: { zh: '并网运行', en: 'Grid' }, due: '2029-06-30', indicators: ['I1'], tranche: 700_000_000 },
    ])
  })

  it('reads a bounty’s reward in 万元 and a directed call’s units as typed', () => {
    const bounty: Call = {
      ...call(),
      mode: {
        kind: 'challenge',
        task: { zh: '卤水提锂中试', en: 'Lithium pilot' },
        end_user: { name: '示例企业', credit_code: '91540000MA6T020264' },
        contest: { kind: 'bounty', reward: 300_000_000, split: [{ label: { zh: '揭榜团队', en: 'Team' }, when: 'acceptance', percent: 100 }] },
      },
    }
    const form = toForm(bounty)
    expect(form.rewardWan).toBe('300')
    form.rewardWan = '350.5'
    const c = fromForm(form).call
    expect(c.mode.kind === 'challenge' && c.mode.contest.kind === 'bounty' && c.mode.contest.reward).toBe(350_500_000)
    form.rewardWan = '三百'
    expect(fromForm(form).problems).toEqual([{ field: 'mode.contest.reward', kind: 'money' }])

    const directed: Call = { ...call(), mode: { kind: 'directed_commission', units: [{ name: '研究中心', credit_code: '12540000456004042Y' }] } }
    const d = toForm(directed)
    if (d.call.mode.kind === 'directed_commission') d.call.mode.units.push({ name: '第二家', credit_code: '' })
    expect(fromForm(d).call.mode).toEqual({
      kind: 'directed_commission',
      units: [
        { name: '研究中心', credit_code: '12540000456004042Y' },
        { name: '第二家', credit_code: '' },
      ],
    })
    expect(directed.mode.kind === 'directed_commission' && directed.mode.units.length, 'the source is not changed').toBe(1)
  })

  it('saves a changed review plan as the next version of the revision before, once', () => {
    const before = call().review_plan
    const form = toForm(call(), { version: before.version, rounds_json: JSON.stringify(before.rounds) })
    expect(fromForm(form).call.review_plan.version).toBe(1)
    form.call.review_plan.rounds[0].experts = 7
    form.call.review_plan.rounds[0].shortlist_percent = '' as unknown as null
    const c = fromForm(form).call
    expect(c.review_plan.version).toBe(2)
    expect(c.review_plan.rounds[0]).toMatchObject({ experts: 7, shortlist_percent: null })
    expect(fromForm(form).call.review_plan.version, 'saving again is still version 2').toBe(2)
    // A first revision (no revision before) keeps the version it has, one set by hand included.
    const first = toForm(call())
    first.call.review_plan.version = 4
    first.call.review_plan.rounds[0].experts = 9
    expect(fromForm(first).call.review_plan.version).toBe(4)
  })

  it('sends a problem to the tab of its field', () => {
    expect(fieldArea('closes_at')).toBe('basics')
    expect(fieldArea('mode.contest.milestones[1].due')).toBe('mode')
    expect(fieldArea('attachments[0].max_bytes')).toBe('materials')
    expect(fieldArea('eligibility.leader_max_age')).toBe('eligibility')
    expect(fieldArea('core_indicators[0].target')).toBe('indicators')
    expect(fieldArea('review_plan.rounds')).toBe('review')
  })

  it('names a problem’s field by its label, or its table and row', () => {
    expect(fieldLabel('closes_at')).toEqual({ key: 'f.closesAt' })
    expect(fieldLabel('mode.end_user.credit_code')).toEqual({ key: 'f.creditCode' })
    expect(fieldLabel('attachments[0].max_bytes')).toEqual({ key: 'f.attachments', row: 1 })
    expect(fieldLabel('mode.contest.milestones[1].due')).toEqual({ key: 'f.milestones', row: 2 })
    expect(fieldLabel('mode.units[2].credit_code')).toEqual({ key: 'f.units', row: 3 })
    expect(fieldLabel('review_plan.version')).toEqual({ key: 'tabs.review' })
  })
})

// The tech-innovation template's first criterion: 25 points in three bands (halves: 40–50, 25–39, 0–24).
const need = (): Criterion => ({
  id: 'need',
  name: { zh: '行业需求与应用前景', en: 'Industry need' },
  weight: 25,
  bands: [
    { low: 40, high: 50, text: { zh: '切中行业急需', en: 'Urgent need' } },
    { low: 25, high: 39, text: { zh: '有明确需求', en: 'Clear need' } },
    { low: 0, high: 24, text: { zh: '需求不明确', en: 'Unclear need' } },
  ],
})

describe('the review plan edited by hand', () => {
  it('adds the maximum points up as the core does', () => {
    const five = [25, 25, 20, 20, 10].map((weight) => ({ ...need(), weight }))
    expect(weightSum(five)).toBe(100)
    expect(weightSum(five.slice(0, 4))).toBe(90)
    expect(weightSum([{ ...need(), weight: NaN }])).toBe(0)
  })

  it('marks band coverage the way the core checks it, naming the field to fix', () => {
    expect(bandCoverage(need())).toBeNull()
    const c = need()
    c.bands[1].high = 38 // 19 instead of 19.5: a gap
    expect(bandCoverage(c)).toEqual({ kind: 'gap', field: 'bands[1].high', band: 1 })
    c.bands[1].high = 41 // 20.5: into the band above
    expect(bandCoverage(c)?.kind).toBe('overlap')
    const top = need()
    top.weight = 30
    expect(bandCoverage(top)).toEqual({ kind: 'top', field: 'bands[0].high', band: 0 })
    const inverted = need()
    inverted.bands[0].low = 51
    expect(bandCoverage(inverted)).toEqual({ kind: 'inverted', field: 'bands[0].low', band: 0 })
    const short = need()
    short.bands[2].low = 2
    expect(bandCoverage(short)).toEqual({ kind: 'short', field: 'bands[2].low', band: 2 })
    const extra = need()
    extra.bands.push({ low: 0, high: 0, text: { zh: '', en: '' } })
    expect(bandCoverage(extra)).toEqual({ kind: 'extra', field: 'bands[3]', band: 3 })
    expect(bandCoverage({ ...need(), bands: [] })?.field).toBe('bands')
  })

  it('moves the top band with the maximum points, so raising 20 to 30 keeps the bands whole', () => {
    const c = need()
    setWeight(c, 30)
    expect([c.weight, c.bands[0].high, c.bands[0].low]).toEqual([30, 60, 40])
    expect(bandCoverage(c)).toBeNull()
    // A top band that did not start at the maximum is left alone (the core names it).
    c.bands[0].high = 58
    setWeight(c, 35)
    expect([c.weight, c.bands[0].high]).toEqual([35, 58])
    setWeight(c, null)
    expect(c.weight).toBe(0)
  })

  it('adds a band at the bottom without breaking the coverage, and new rows with free ids', () => {
    const c = need()
    addBand(c)
    expect(c.bands.slice(2)).toEqual([
      { low: 12, high: 24, text: { zh: '需求不明确', en: 'Unclear need' } },
      { low: 0, high: 11, text: { zh: '', en: '' } },
    ])
    expect(bandCoverage(c)).toBeNull()
    const fresh = newCriterion([need(), { ...need(), id: 'c2' }])
    expect(fresh.id).toBe('c3')
    expect(bandCoverage(fresh)).toBeNull()
    expect(fresh.name.zh).toBe('')
    const bare: Criterion = { ...fresh, bands: [] }
    addBand(bare)
    expect(bandCoverage(bare)).toBeNull()
    expect(newVerdictItem([{ id: 'item1', name: { zh: 'a', en: 'a' } }]).id).toBe('item2')
    expect(pointsToHalves(12.5)).toBe(25)
    expect(pointsToHalves(null)).toBe(0)
  })

  it('offers only the round kinds the call’s mode has: 可行性论证 for 定向委托 alone, 验收 for 揭榜挂帅', () => {
    expect(roundKindsFor('directed_commission')).toEqual(['feasibility'])
    expect(roundKindsFor('open_competition')).toEqual(['mail_review', 'panel_review', 'defence', 'site_visit'])
    expect(roundKindsFor('challenge')).toContain('acceptance')
    expect(roundKindsFor('challenge')).not.toContain('feasibility')
    expect(roundKindsFor('open_competition')).not.toContain('acceptance')
  })

  it('moves rounds up and down, nothing past the ends; a moved plan is the next version', () => {
    // A later revision's draft, compared with the plan of the revision before (version 1).
    const before = call().review_plan
    const form = toForm(call(), { version: before.version, rounds_json: JSON.stringify(before.rounds) })
    const rounds = form.call.review_plan.rounds
    rounds.push({ ...rounds[0], kind: 'defence' } as Round)
    moveRound(rounds, 1, -1)
    expect(rounds.map((r) => r.kind)).toEqual(['defence', 'mail_review'])
    moveRound(rounds, 0, -1)
    moveRound(rounds, 1, 1)
    expect(rounds.map((r) => r.kind)).toEqual(['defence', 'mail_review'])
    expect(planVersion(form)).toBe(2)
    expect(fromForm(form).call.review_plan.version).toBe(2)
    moveRound(rounds, 0, 1)
    rounds.pop()
    expect(planVersion(form), 'back as loaded: the same version').toBe(1)
  })

  it('numbers a changed plan once against the revision before, however often the draft is saved and opened', () => {
    const before = call().review_plan
    const baseline = { version: before.version, rounds_json: JSON.stringify(before.rounds) }
    const form = toForm(call(), baseline)
    form.call.review_plan.rounds[0].experts += 2
    expect(planVersion(form)).toBe(before.version + 1)
    // Saved as version 2, then opened again (the stored draft now says 2) and edited once more: still 2.
    const saved = fromForm(form).call
    expect(saved.review_plan.version).toBe(before.version + 1)
    const again = toForm(saved, baseline)
    again.call.review_plan.rounds[0].experts += 1
    expect(planVersion(again)).toBe(before.version + 1)
    // Undone back to the revision before's plan (keys in another order): its version again.
    again.call.review_plan.rounds[0] = JSON.parse(JSON.stringify(before.rounds[0]), (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    )
    expect(planVersion(again)).toBe(before.version)
  })

  it("keeps a first revision's plan version however it is edited (no expert has been given it)", () => {
    const form = toForm(call())
    form.call.review_plan.rounds.pop()
    expect(planVersion(form)).toBe(call().review_plan.version)
  })
})
