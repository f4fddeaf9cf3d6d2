import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { PanelRound, PanelView, Shortlist } from '../src/bindings'
import { discussionGroups, parseShare, recommends, splitShortlist, sumCheck, voters, yesNeeded } from '../src/panelVotes'

describe('the vote arithmetic', () => {
  it('counts the members present and not stepping out as voters', () => {
    expect(voters(['E1', 'E2', 'E3', 'E2'], ['E3', 'E9'])).toEqual(['E1', 'E2'])
    expect(voters([], ['E1'])).toEqual([])
  })

  it('checks that the votes add up to the voters, and nobody to vote is never right', () => {
    expect(sumCheck(4, 1, 1, 6)).toEqual({ cast: 6, voting: 6, ok: true })
    expect(sumCheck(4, 1, 0, 6)).toEqual({ cast: 5, voting: 6, ok: false })
    expect(sumCheck(0, 0, 0, 0).ok).toBe(false)
    // A cleared number field gives null: counted as no votes.
    expect(sumCheck(null as unknown as number, 2, 0, 2)).toEqual({ cast: 2, voting: 2, ok: true })
  })

  it('recommends at the share exactly: 4 of 6 is 2/3, 3 of 5 is short', () => {
    expect(recommends(4, 6, '2/3')).toBe(true)
    expect(recommends(3, 6, '2/3')).toBe(false)
    expect(recommends(3, 5, '2/3')).toBe(false)
    expect(recommends(4, 5, '2/3')).toBe(true)
    expect(recommends(0, 0, '2/3')).toBe(false)
    expect(recommends(1, 2, '1/2')).toBe(true)
    expect(yesNeeded(5, '2/3')).toBe(4)
    expect(yesNeeded(6, '2/3')).toBe(4)
    expect(yesNeeded(7, '2/3')).toBe(5)
    expect(parseShare('x/3')).toBeNull()
    expect(parseShare('1')).toEqual({ num: 1, den: 1 })
  })

  it('groups the items in the discussion order and splits the shortlist at the cut', () => {
    const item = (number: string) => ({ number, title: number, rank: 1, stepping_out: [], vote: null })
    const view: PanelView = {
      call: 'C',
      round: 2,
      share: '2/3',
      members: [],
      items: [item('N1'), item('N2'), item('N3')],
      order: [
        { stepping_out: [], items: ['N3', 'N1'] },
        { stepping_out: ['E2'], items: ['N2'] },
      ],
    }
    expect(discussionGroups(view).map((g) => [g.steppingOut, g.items.map((i) => i.number)])).toEqual([
      [[], ['N3', 'N1']],
      [['E2'], ['N2']],
    ])
    const s = splitShortlist([
      { number: 'A', title: '', rank: 1, score: '90.00', basis: 'cut' },
      { number: 'B', title: '', rank: 4, score: '60.00', basis: 'non_consensus' },
    ])
    expect([s.cut.map((i) => i.number), s.nonConsensus.map((i) => i.number)]).toEqual([['A'], ['B']])
  })
})

const setup: PanelRound = {
  call: '2027-ZX06-01',
  round: 2,
  kind: 'panel_review',
  kind_zh: '会议评审',
  kind_en: 'panel review',
  shortlist_percent: 120,
  places: 2,
  vote: true,
  share: '2/3',
  voting_started: false,
}
const shortlist: Shortlist = {
  call: '2027-ZX06-01',
  round: 2,
  from_round: 1,
  method: 'mean',
  places: 2,
  percent: 100,
  cut: 2,
  items: [
    { number: '2027-ZX06-000001', title: '甲', rank: 1, score: '90.00', basis: 'cut' },
    { number: '2027-ZX06-000002', title: '乙', rank: 2, score: '80.00', basis: 'cut' },
    { number: '2027-ZX06-000004', title: '丁', rank: 4, score: '60.00', basis: 'non_consensus' },
  ],
  made_at: '',
}
const panel: PanelView = {
  call: '2027-ZX06-01',
  round: 2,
  share: '2/3',
  members: [
    { number: 'ZJ000001', name: '白玛' },
    { number: 'ZJ000002', name: '蔡伦' },
    { number: 'ZJ000003', name: '次仁' },
  ],
  items: [
    {
      number: '2027-ZX06-000001',
      title: '甲',
      rank: 1,
      stepping_out: [{ expert: 'ZJ000002', codes: ['declared.by_expert'], reasons_zh: ['与负责人同一课题组'], reasons_en: ['same research group'] }],
      vote: null,
    },
  ],
  order: [{ stepping_out: ['ZJ000002'], items: ['2027-ZX06-000001'] }],
}
const calls: unknown[][] = []
vi.mock('../src/bindings', () => ({
  commands: {
    panelRound: async () => ({ status: 'ok', data: setup }),
    panelShortlistGet: async () => ({ status: 'ok', data: null }),
    panelShortlistPreview: async (...args: unknown[]) => {
      calls.push(['preview', ...args])
      return { status: 'ok', data: shortlist }
    },
    panelGet: async () => ({ status: 'ok', data: panel }),
    panelVote: async (...args: unknown[]) => {
      calls.push(['vote', ...args])
      return { status: 'error', error: { code: 'input.invalid', message: '同意 3 票，应等于到会且无需回避的 2 人' } }
    },
  },
}))

const { i18n } = await import('../src/i18n')
const PanelVotes = (await import('../src/components/results/PanelVotes.vue')).default

describe('PanelVotes', () => {
  it('previews the shortlist with the non-consensus items below the cut, then checks the sum as typed and shows a refusal', async () => {
    const w = mount(PanelVotes, {
      props: { call: 'c', round: 2, method: 'mean' },
      global: { plugins: [ElementPlus, i18n] },
    })
    await flushPromises()
    expect(w.emitted('vote-round')?.[0]).toEqual([true])
    expect(w.find('[data-testid="shortlist-none"]').exists()).toBe(true)
    const vm = w.vm as unknown as { $: { setupState: { percent: number; forms: Record<string, { present: string[]; yes: number; no: number; abstain: number }> } } }
    vm.$.setupState.percent = 100
    await w.find('[data-testid="shortlist-preview"]').trigger('click')
    await flushPromises()
    expect(calls[0]).toEqual(['preview', 'c', 2, 'mean', 100])
    expect(w.findAll('[data-testid="shortlist-number"]').map((e) => e.text())).toEqual(['2027-ZX06-000001', '2027-ZX06-000002'])
    expect(w.findAll('[data-testid="shortlist-nc-number"]').map((e) => e.text())).toEqual(['2027-ZX06-000004'])
    expect(w.find('[data-testid="shortlist-caption"]').text()).toContain('另加非共识项目 1 项')

    // The member stepping out is named with the reason; three present, one steps out: two vote.
    const item = w.find('[data-testid="panel-item-2027-ZX06-000001"]')
    expect(item.find('[data-testid="stepping-out"]').text()).toContain('蔡伦（ZJ000002） — 与负责人同一课题组')
    const form = vm.$.setupState.forms['2027-ZX06-000001']
    expect(form.present).toEqual(['ZJ000001', 'ZJ000002', 'ZJ000003'])
    form.yes = 3
    await w.vm.$nextTick()
    const sum = () => w.find('[data-testid="panel-item-2027-ZX06-000001"] [data-testid="vote-sum"]')
    expect(sum().text()).toBe('已填 3 票 / 应为 2 票')
    expect(sum().classes()).toContain('bad')
    form.yes = 2
    await w.vm.$nextTick()
    expect(sum().classes()).toContain('ok')
    // The server's refusal is shown with its message, and the counts stay as typed.
    form.yes = 3
    await w.vm.$nextTick()
    await w.find('[data-testid="panel-item-2027-ZX06-000001"] [data-testid="vote-record"]').trigger('click')
    await flushPromises()
    expect(calls[1]).toEqual(['vote', 'c', 2, '2027-ZX06-000001', ['ZJ000001', 'ZJ000002', 'ZJ000003'], 3, 0, 0])
    expect(w.find('[data-testid="vote-error"]').text()).toContain('应等于到会且无需回避的 2 人')
    expect(form.yes).toBe(3)
  })
})
