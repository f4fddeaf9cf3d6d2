import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { AppealView, DecisionView, FormalReport, VersionHistory } from '../src/bindings'

const NUMBER = '2027-ZX06-000001'

function appeal(outcome: AppealView['outcome'], reason: string | null = null): AppealView {
  return {
    number: NUMBER,
    application_id: 'a',
    version: 1,
    decision_seq: 1,
    received_on: '2027-03-25',
    appellant: '申报单位来函',
    text: '承诺书已作为附件提交',
    logged_at: '2027-03-25T01:00:00Z',
    outcome,
    reason,
    resolved_at: outcome ? '2027-03-26T01:00:00Z' : null,
    answer: outcome === 'upheld' ? { package_id: 'p', file_name: '申诉结果-2027-ZX06-000001.lxpkg', file_sha256: 'ab'.repeat(32) } : null,
  }
}

function decisionView(seq: number, decision: 'accept' | 'reject', decidedAt: string): DecisionView {
  return {
    version: 1,
    seq,
    after_appeal: seq > 1,
    number: NUMBER,
    decision,
    reasons: decision === 'reject' ? ['缺少盖章的承诺书'] : [],
    fix_by: null,
    decided_at: decidedAt,
  }
}

/** The whole way of version 1 for each state: the refusal with its appeal, then (accepted) decision 2. */
function history(state: 'rejected' | 'open' | 'granted' | 'upheld' | 'accepted'): VersionHistory[] {
  const refusal = decisionView(1, 'reject', '2027-03-20T01:00:00Z')
  const appealOf: Record<typeof state, AppealView | null> = {
    rejected: null,
    open: appeal(null),
    granted: appeal('granted', '承诺书在附件中'),
    upheld: appeal('upheld', '不属于支持方向'),
    accepted: appeal('granted', '承诺书在附件中'),
  }
  const steps = [{ decision: refusal, appeal: appealOf[state] }]
  if (state === 'accepted') steps.push({ decision: decisionView(2, 'accept', '2027-03-27T01:00:00Z'), appeal: null })
  return [{ version: 1, steps }]
}

function report(state: 'rejected' | 'open' | 'granted' | 'upheld' | 'accepted'): FormalReport {
  const decision = state === 'accepted' ? 'accept' : 'reject'
  return {
    number: NUMBER,
    application_id: 'a',
    version: 1,
    sha256: 'f'.repeat(64),
    title: '高原青稞新品种选育',
    applicant_name: '农牧科学院',
    call_code: '2027-ZX06-01',
    received_at: '2027-03-01T01:00:00Z',
    checked_at: '2027-03-27T01:00:00Z',
    problems: [],
    errors: 0,
    limits: [],
    duplicates: [],
    decision: {
      version: 1,
      seq: state === 'accepted' ? 2 : 1,
      after_appeal: state === 'accepted',
      number: NUMBER,
      decision,
      reasons: decision === 'reject' ? ['缺少盖章的承诺书'] : [],
      fix_by: null,
      decided_at: '2027-03-20T01:00:00Z',
    },
    decidable: state === 'granted',
    appeal:
      state === 'open' ? appeal(null) : state === 'granted' ? appeal('granted', '承诺书在附件中') : state === 'upheld' ? appeal('upheld', '不属于支持方向') : null,
    appealable: state === 'rejected',
    history: history(state),
  }
}

const sent: { command: string; args: unknown[] }[] = []
/** What resolving as upheld answers: the core's refusal, the save dialog cancelled, or the answer saved. */
let upheldAnswer: 'error' | 'cancel' | 'saved' = 'error'
const ANSWER = { number: NUMBER, package_id: 'p', path: '/tmp/申诉结果.lxpkg', file_sha256: 'ab'.repeat(32), sealed_now: true }
let opened: Parameters<typeof report>[0] = 'rejected'
vi.mock('../src/bindings', () => ({
  commands: {
    formalReport: async () => ({ status: 'ok', data: report(opened) }),
    formalAppealLog: async (...args: unknown[]) => {
      sent.push({ command: 'log', args })
      return { status: 'ok', data: report('open') }
    },
    formalAppealResend: async (...args: unknown[]) => {
      sent.push({ command: 'resend', args })
      return { status: 'ok', data: { ...ANSWER, path: '/tmp/再次导出.lxpkg', sealed_now: false } }
    },
    formalAppealResolve: async (...args: unknown[]) => {
      sent.push({ command: 'resolve', args })
      if (args[1] === 'granted') return { status: 'ok', data: { report: report('granted'), package: null } }
      if (upheldAnswer === 'cancel') return { status: 'ok', data: null }
      if (upheldAnswer === 'saved') return { status: 'ok', data: { report: report('upheld'), package: ANSWER } }
      return { status: 'error', error: { code: 'appeal.already_resolved', message: '申报书 2027-ZX06-000001 的申诉已处理' } }
    },
  },
}))

const { i18n } = await import('../src/i18n')
const FormalAppeal = (await import('../src/components/FormalAppeal.vue')).default
const FormalCheckPanel = (await import('../src/components/FormalCheckPanel.vue')).default

function mountAppeal(state: Parameters<typeof report>[0], locale: 'zh-CN' | 'en' = 'zh-CN') {
  i18n.global.locale.value = locale
  return mount(FormalAppeal, {
    props: { report: report(state) },
    global: { plugins: [ElementPlus, i18n] },
    attachTo: document.body,
  })
}

describe('FormalAppeal', { timeout: 30000 }, () => {
  it('offers 登记申诉 only for a refusal that stands, and nothing for an accepted application', async () => {
    const w = mountAppeal('rejected')
    expect(w.find('[data-testid="appeal-register"]').text()).toBe('登记申诉…')
    w.unmount()
    const accepted = mountAppeal('accepted')
    expect(accepted.find('[data-testid="appeal"]').exists()).toBe(false)
    accepted.unmount()
  })

  it('logs an appeal with its date, who appealed and the text, and hands the new report up', async () => {
    sent.length = 0
    const w = mountAppeal('rejected')
    await w.find('[data-testid="appeal-register"]').trigger('click')
    await w.find('input[data-testid="appeal-date"]').setValue('2027-03-25')
    await w.find('input[data-testid="appeal-from"]').setValue(' 申报单位来函 ')
    await w.find('textarea[data-testid="appeal-body"]').setValue('承诺书已作为附件提交')
    await w.find('[data-testid="appeal-record"]').trigger('click')
    await flushPromises()
    expect(sent).toEqual([{ command: 'log', args: [NUMBER, '2027-03-25', '申报单位来函', '承诺书已作为附件提交'] }])
    const changed = w.emitted('changed') as FormalReport[][]
    expect(changed[0][0].appeal?.outcome).toBeNull()
    w.unmount()
  })

  it('shows the open appeal with 维持 and 申诉成立, and grants it with a reason', async () => {
    sent.length = 0
    const w = mountAppeal('open')
    expect(w.find('[data-testid="appeal-status"]').text()).toBe('待处理')
    expect(w.find('[data-testid="appeal-text"]').text()).toBe('承诺书已作为附件提交')
    expect(w.find('[data-testid="appeal-register"]').exists()).toBe(false)
    await w.find('[data-testid="appeal-grant"]').trigger('click')
    await flushPromises()
    const confirm = document.querySelector('[data-testid="appeal-confirm"]') as HTMLButtonElement
    expect(confirm.disabled).toBe(true)
    const reason = document.querySelector('textarea[data-testid="appeal-resolve-reason"]') as HTMLTextAreaElement
    reason.value = '承诺书在附件中'
    reason.dispatchEvent(new Event('input'))
    await flushPromises()
    confirm.click()
    await flushPromises()
    expect(sent).toEqual([{ command: 'resolve', args: [NUMBER, 'granted', '承诺书在附件中'] }])
    const changed = w.emitted('changed') as FormalReport[][]
    expect(changed[0][0].decidable).toBe(true)
    w.unmount()
  })

  it('shows a refusal of the core and hands nothing up', async () => {
    sent.length = 0
    const w = mountAppeal('open')
    await w.find('[data-testid="appeal-uphold"]').trigger('click')
    await flushPromises()
    const reason = document.querySelector('textarea[data-testid="appeal-resolve-reason"]') as HTMLTextAreaElement
    reason.value = '不属于支持方向'
    reason.dispatchEvent(new Event('input'))
    await flushPromises()
    ;(document.querySelector('[data-testid="appeal-confirm"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(sent[0].args[1]).toBe('upheld')
    expect(w.emitted('changed')).toBeUndefined()
    expect(document.body.textContent).toContain('申诉已处理')
    w.unmount()
  })

  it('upholds through the save dialog: cancelled hands nothing up, saved hands the report up and names the file', async () => {
    const uphold = async (w: ReturnType<typeof mountAppeal>) => {
      await w.find('[data-testid="appeal-uphold"]').trigger('click')
      await flushPromises()
      expect(document.body.textContent).toContain('保存申诉结果文件包')
      const reason = document.querySelector('textarea[data-testid="appeal-resolve-reason"]') as HTMLTextAreaElement
      reason.value = '不属于支持方向'
      reason.dispatchEvent(new Event('input'))
      await flushPromises()
      ;(document.querySelector('[data-testid="appeal-confirm"]') as HTMLButtonElement).click()
      await flushPromises()
    }
    sent.length = 0
    upheldAnswer = 'cancel'
    const cancelled = mountAppeal('open')
    await uphold(cancelled)
    expect(cancelled.emitted('changed')).toBeUndefined()
    expect(document.body.textContent).toContain('未保存申诉结果文件包')
    cancelled.unmount()
    upheldAnswer = 'saved'
    const w = mountAppeal('open')
    await uphold(w)
    const changed = w.emitted('changed') as FormalReport[][]
    expect(changed[0][0].appeal?.outcome).toBe('upheld')
    expect(document.body.textContent).toContain('/tmp/申诉结果.lxpkg')
    w.unmount()
    upheldAnswer = 'error'
  })

  it('shows a resolved appeal read only, in English too', async () => {
    const w = mountAppeal('upheld', 'en')
    expect(w.find('[data-testid="appeal-status"]').text()).toBe('Upheld (decision stands)')
    expect(w.find('[data-testid="appeal-reason"]').text()).toContain('不属于支持方向')
    expect(w.find('[data-testid="appeal-uphold"]').exists()).toBe(false)
    expect(w.find('[data-testid="appeal-answer-file"]').text()).toBe(`Answer package: 申诉结果-2027-ZX06-000001.lxpkg · SHA-256 ${'ab'.repeat(32)}`)
    w.unmount()
  })

  it('names an upheld answer’s package and writes it again; a granted appeal has none', async () => {
    const w = mountAppeal('upheld')
    expect(w.find('[data-testid="appeal-answer-file"]').text()).toContain('申诉结果文件包：申诉结果-2027-ZX06-000001.lxpkg')
    sent.length = 0
    await w.find('[data-testid="appeal-answer-resend"]').trigger('click')
    await flushPromises()
    expect(sent).toEqual([{ command: 'resend', args: [NUMBER] }])
    expect(document.body.textContent).toContain('申诉结果文件包已再次写出：/tmp/再次导出.lxpkg')
    w.unmount()
    const granted = mountAppeal('granted')
    expect(granted.find('[data-testid="appeal-answer"]').exists()).toBe(false)
    granted.unmount()
  })
})

describe('FormalCheckPanel with an appeal', { timeout: 30000 }, () => {
  it('offers the decision buttons again once the appeal is granted', async () => {
    i18n.global.locale.value = 'zh-CN'
    const w = mount(FormalCheckPanel, {
      props: { number: NUMBER },
      global: { plugins: [ElementPlus, i18n] },
      attachTo: document.body,
    })
    await flushPromises()
    expect(document.querySelector('[data-testid="formal-record"]')).toBeNull()
    expect(document.querySelector('[data-testid="appeal-register"]')).not.toBeNull()
    w.findComponent(FormalAppeal).vm.$emit('changed', report('granted'))
    await flushPromises()
    expect(document.querySelector('[data-testid="formal-record"]')).not.toBeNull()
    expect(document.querySelector('[data-testid="appeal-status"]')?.textContent).toBe('申诉成立')
    expect(w.emitted('decided')).toHaveLength(1)
    w.unmount()
  })
})

describe('FormalCheckPanel history', { timeout: 30000 }, () => {
  // The drawer is teleported to the body and outlives an unmounted panel's closing animation.
  beforeEach(() => {
    document.body.innerHTML = ''
  })

  function mountPanel(state: Parameters<typeof report>[0], locale: 'zh-CN' | 'en' = 'zh-CN') {
    opened = state
    i18n.global.locale.value = locale
    return mount(FormalCheckPanel, {
      props: { number: NUMBER },
      global: { plugins: [ElementPlus, i18n] },
      attachTo: document.body,
    })
  }

  it('shows every decision of the version with its appeal once it was decided again, in order', async () => {
    const w = mountPanel('accepted')
    await flushPromises()
    const steps = [...document.querySelectorAll('[data-testid="formal-history-step"]')].map((e) => e.textContent ?? '')
    expect(steps).toHaveLength(2)
    expect(steps[0]).toContain('决定 1')
    expect(steps[0]).toContain('不予受理')
    expect(steps[0]).toContain('缺少盖章的承诺书')
    const appeals = document.querySelectorAll('[data-testid="formal-history-appeal"]')
    expect(appeals).toHaveLength(1)
    expect(appeals[0].textContent).toContain('2027-03-25 收到')
    expect(appeals[0].textContent).toContain('申诉成立')
    expect(appeals[0].textContent).toContain('承诺书在附件中')
    expect(steps[1]).toContain('决定 2')
    expect(steps[1]).toContain('通过')
    expect(steps[1]).not.toContain('申诉')
    // The newest decision's own appeal box is empty (decision 2 was not appealed): only the history keeps it.
    expect(document.querySelector('[data-testid="appeal"]')).toBeNull()
    w.unmount()
    opened = 'rejected'
  })

  it('shows no history for a single decision without an appeal, and names the decision date for the appeal', async () => {
    const w = mountPanel('rejected')
    await flushPromises()
    expect(document.querySelector('[data-testid="formal-history"]')).toBeNull()
    ;(document.querySelector('[data-testid="appeal-register"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(document.querySelector('[data-testid="appeal-date-hint"]')?.textContent).toContain('2027-03-20')
    w.unmount()
  })

  it('shows an open appeal in the history in English', async () => {
    const w = mountPanel('open', 'en')
    await flushPromises()
    const appealLine = document.querySelector('[data-testid="formal-history-appeal"]')?.textContent ?? ''
    expect(appealLine).toContain('received on 2027-03-25')
    expect(appealLine).toContain('Open')
    expect(document.querySelector('[data-testid="formal-history-decision"]')?.textContent).toContain('Decision 1')
    w.unmount()
    opened = 'rejected'
  })
})
