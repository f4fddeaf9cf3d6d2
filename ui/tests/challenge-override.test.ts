import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { ChoiceTeam, SelectionChoice } from '../src/bindings'

function team(number: string, rank: number, eligible: boolean): ChoiceTeam {
  return {
    number,
    title: `团队 ${number}`,
    rank,
    score: (90 - rank * 5).toFixed(2),
    eligible,
    misses: eligible ? [] : [{ zh: 'I3 综合能耗：承诺 1.8 kWh，要求 ≤ 1.6 kWh', en: 'I3 energy use: promises 1.8 kWh, requires ≤ 1.6 kWh' }],
    automatic: rank === 2,
    selected: false,
  }
}

const fixture: SelectionChoice = {
  call: '2027-ZX08-01',
  round: 1,
  method: 'mean',
  seats: 1,
  automatic: ['2027-ZX08-000003'],
  selected: [],
  overridden: false,
  reason: null,
  frozen: false,
  teams: [team('2027-ZX08-000001', 1, false), team('2027-ZX08-000003', 2, true), team('2027-ZX08-000002', 3, true)],
}

const sent: unknown[][] = []
vi.mock('../src/bindings', () => ({
  commands: {
    challengeChoiceGet: async () => ({ status: 'ok', data: fixture }),
    challengeOverride: async (...args: unknown[]) => {
      sent.push(args)
      const [, , choose, reason] = args as [string, string, string[], string]
      return {
        status: 'ok',
        data: {
          ...fixture,
          selected: choose,
          overridden: true,
          reason,
          teams: fixture.teams.map((x) => ({ ...x, selected: choose.includes(x.number) })),
        },
      }
    },
  },
}))

const { i18n } = await import('../src/i18n')
const ChallengeOverride = (await import('../src/components/results/ChallengeOverride.vue')).default

function mountIt() {
  return mount(ChallengeOverride, {
    props: { call: '2027-ZX08-01', method: 'mean' },
    global: { plugins: [ElementPlus, i18n] },
  })
}

describe('ChallengeOverride', () => {
  it('shows the automatic choice and never lets a team below a core indicator be ticked', async () => {
    const w = mountIt()
    await flushPromises()
    expect(w.find('[data-testid="override-automatic"]').text()).toContain('2027-ZX08-000003')
    const out = w.find('[data-testid="override-team-2027-ZX08-000001"]')
    expect(out.find('input[type="checkbox"]').attributes('disabled')).toBeDefined()
    expect(out.find('[data-testid="override-out"]').text()).toContain('I3')
    const eligible = w.find('[data-testid="override-team-2027-ZX08-000002"]')
    expect(eligible.find('input[type="checkbox"]').attributes('disabled')).toBeUndefined()
  })

  it('needs a team and a reason, then sends them and shows the recorded reason', async () => {
    sent.length = 0
    const w = mountIt()
    await flushPromises()
    const button = () => w.find('[data-testid="override-pick"]')
    expect(button().attributes('disabled')).toBeDefined()
    await w.find('[data-testid="override-team-2027-ZX08-000002"] input[type="checkbox"]').setValue(true)
    // A team but no reason yet: still refused.
    expect(button().attributes('disabled')).toBeDefined()
    await w.find('textarea').setValue('发榜方核验后认为该团队工程化条件更成熟')
    expect(button().attributes('disabled')).toBeUndefined()
    await button().trigger('click')
    await flushPromises()
    expect(sent).toEqual([['2027-ZX08-01', 'mean', ['2027-ZX08-000002'], '发榜方核验后认为该团队工程化条件更成熟']])
    expect(w.find('[data-testid="override-reason"]').text()).toBe('发榜方核验后认为该团队工程化条件更成熟')
    expect(w.find('[data-testid="override-recorded"]').text()).toContain('2027-ZX08-000002')
    expect(w.emitted('changed')).toHaveLength(1)
  })
})
