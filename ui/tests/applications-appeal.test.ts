// 我的申报 shows the office's answer to an appeal under the state it concerns: 维持原决定 with the reason under a
// 不予受理 that stands, 申诉成立 with the reason under the decision made again — Chinese first, English too.
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { AppealAnswerView, MyApplication } from '../src/bindings'

function answer(outcome: AppealAnswerView['outcome'], reason: string): AppealAnswerView {
  return {
    version: 1,
    decision_seq: 1,
    outcome,
    reason,
    received_on: '2027-03-25',
    resolved_at: '2027-03-26T01:00:00Z',
    zh: '',
    en: '',
  }
}

function row(id: string, state: string, appeal: AppealAnswerView | null): MyApplication {
  return {
    id,
    call_id: 'c',
    call_code: '2027-ZX06-01',
    title: `申报书 ${id}`,
    saved_at: '2027-03-01T01:00:00Z',
    state,
    version: 1,
    sha256: 'ab'.repeat(32),
    number: `2027-ZX06-00000${id}`,
    after_appeal: appeal?.outcome === 'granted',
    appeal,
  }
}

vi.mock('../src/bindings', () => ({
  commands: {
    applicationsMine: async () => ({
      status: 'ok',
      data: [
        row('1', 'not_accepted', answer('upheld', '不属于本专项支持方向')),
        row('2', 'accepted', answer('granted', '承诺书在附件中')),
        row('3', 'submitted', null),
      ],
    }),
  },
}))

const { i18n } = await import('../src/i18n')
const ApplicationsView = (await import('../src/views/ApplicationsView.vue')).default

async function mountView(locale: 'zh-CN' | 'en') {
  i18n.global.locale.value = locale
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: ApplicationsView }] })
  await router.push('/')
  const w = mount({ template: '<router-view />' }, { global: { plugins: [router, i18n, ElementPlus] } })
  await router.isReady()
  await flushPromises()
  return w
}

describe('ApplicationsView: the answer to an appeal', () => {
  it('shows 维持原决定 and 申诉成立 with their reasons, and nothing where no appeal was answered', async () => {
    const w = await mountView('zh-CN')
    const answers = w.findAll('[data-testid="app-appeal"]').map((a) => a.text())
    expect(answers).toEqual(['申诉结果：维持原决定（不属于本专项支持方向）', '申诉结果：申诉成立（承诺书在附件中）'])
    w.unmount()
  })

  it('says the same in English', async () => {
    const w = await mountView('en')
    const answers = w.findAll('[data-testid="app-appeal"]').map((a) => a.text())
    expect(answers[0]).toBe('Appeal: upheld, the decision stands (不属于本专项支持方向)')
    expect(answers[1]).toBe('Appeal: granted (承诺书在附件中)')
    w.unmount()
    i18n.global.locale.value = 'zh-CN'
  })
})
