import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createRouter, createMemoryHistory } from 'vue-router'

// Every command call, with its arguments; each test sets what the commands answer.
const calls: [string, unknown[]][] = []
const answers: Record<string, (...args: unknown[]) => unknown> = {}
const call = (name: string) => async (...args: unknown[]) => {
  calls.push([name, args])
  return answers[name]?.(...args) ?? { status: 'ok', data: null }
}
let dropHandler: ((e: { payload: { type: string; paths?: string[] } }) => void) | null = null

vi.mock('../src/bindings', () => ({
  commands: new Proxy({}, { get: (_t, name: string) => call(name) }),
  events: {
    importProgress: { listen: async () => () => {} },
    keysLocked: { listen: async () => () => {} },
    autoBackupDone: { listen: async () => () => {} },
    autoBackupFailed: { listen: async () => () => {} },
  },
}))
vi.mock('@tauri-apps/api/webview', () => ({
  getCurrentWebview: () => ({
    onDragDropEvent: async (h: typeof dropHandler) => {
      dropHandler = h
      return () => {}
    },
  }),
}))

const { i18n } = await import('../src/i18n')
const { identityStatus } = await import('../src/identity')
const { importJob, importPaths, listenForDrops } = await import('../src/importJob')
const IdentitySetupView = (await import('../src/views/IdentitySetupView.vue')).default
const UnlockView = (await import('../src/views/UnlockView.vue')).default
const TrustDialog = (await import('../src/components/TrustDialog.vue')).default
const ContactsView = (await import('../src/views/ContactsView.vue')).default

const FP = '12345 67890 13579 24680 11223 34455'
const INFO = { role: 'office', name: '科技厅', key_id: '0123456789abcdef', fingerprint: FP, created_at: '2026-11-29T06:00:00Z', revoked_at: null }
const ok = (data: unknown) => ({ status: 'ok', data })

async function mountAt(path: string, component: unknown) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/identity/new', component: IdentitySetupView },
      { path: '/unlock', component: UnlockView },
      { path: '/contacts', component: ContactsView },
      { path: '/catalog', component: { template: '<p>catalog</p>' } },
    ],
  })
  await router.push(path)
  const wrapper = mount(
    { components: { TrustDialog }, template: '<div><router-view /><TrustDialog /></div>' },
    { global: { plugins: [router, i18n, ElementPlus] }, attachTo: document.body },
  )
  await router.isReady()
  await flushPromises()
  void component
  return { wrapper, router }
}

/** The native input of an Element Plus field, whether the test id sits on it or on its wrapper. */
const field = (w: VueWrapper, id: string) => w.find(`input[data-testid="${id}"], [data-testid="${id}"] input`)
const settle = async () => {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 20))
  await flushPromises()
}
const groups = (w: VueWrapper, id: string) => w.findAll(`[data-testid="${id}"] [data-testid="fp-group"]`).map((g) => g.text())

beforeEach(() => {
  calls.length = 0
  for (const k of Object.keys(answers)) delete answers[k]
  // Unless a test says otherwise, Rust reports the status the test set, and no contacts.
  answers.identityGet = () => ok(identityStatus.value)
  answers.contactsList = () => ok([])
  answers.autoBackupGet = () => ok({ folder: null, keep: 7, last: null })
  i18n.global.locale.value = 'zh-CN'
  identityStatus.value = null
  Object.assign(importJob, { running: false, results: [], trust: null, queue: [] })
  document.body.querySelectorAll('.el-message').forEach((m) => m.remove())
})

describe('first run: creating the identity', () => {
  it('creates it with the role, name and passphrase, then shows the fingerprint groups and the recovery passphrase once', async () => {
    answers.identityCreate = () => ok({ info: INFO, recovery_passphrase: 'alpha-bravo-charlie-delta-echo-foxtrot' })
    answers.identityGet = () => ok({ identity: INFO, unlocked: true, idle_lock_minutes: 30 })
    const { wrapper, router } = await mountAt('/identity/new', IdentitySetupView)
    await field(wrapper, 'setup-name').setValue('科技厅')
    await field(wrapper, 'setup-passphrase').setValue('青稞牦牛 correct horse')
    await field(wrapper, 'setup-again').setValue('青稞牦牛 correct horse')
    await wrapper.find('[data-testid="setup-submit"]').trigger('click')
    await settle()

    expect(calls.find(([n]) => n === 'identityCreate')?.[1]).toEqual(['office', '科技厅', '青稞牦牛 correct horse'])
    expect(groups(wrapper, 'created-fingerprint')).toEqual(['12345', '67890', '13579', '24680', '11223', '34455'])
    expect(wrapper.find('[data-testid="recovery-passphrase"]').text()).toBe('alpha-bravo-charlie-delta-echo-foxtrot')
    expect(wrapper.text()).toContain('恢复口令只显示这一次')

    // "Done" only once the person says the recovery passphrase is written down.
    const done = wrapper.find('[data-testid="setup-done"]')
    expect(done.attributes('disabled')).toBeDefined()
    await field(wrapper, 'recovery-confirm').setValue(true)
    expect(wrapper.find('[data-testid="setup-done"]').attributes('disabled')).toBeUndefined()
    await wrapper.find('[data-testid="setup-done"]').trigger('click')
    await settle()
    expect(router.currentRoute.value.path).toBe('/contacts')
    wrapper.unmount()
  })

  it('refuses a short or mistyped passphrase next to the field without calling Rust', async () => {
    const { wrapper } = await mountAt('/identity/new', IdentitySetupView)
    await field(wrapper, 'setup-name').setValue('科技厅')
    await field(wrapper, 'setup-passphrase').setValue('short')
    await field(wrapper, 'setup-again').setValue('shorter')
    expect(wrapper.find('[data-testid="setup-strength"]').text()).toContain('强度：弱')
    await wrapper.find('[data-testid="setup-submit"]').trigger('click')
    await settle()
    expect(calls.some(([n]) => n === 'identityCreate')).toBe(false)
    // Both passphrase fields are marked, the name is not.
    const marked = wrapper.findAll('.el-form-item').map((i) => i.classes().includes('is-error'))
    expect(marked).toEqual([false, false, true, true, false])
    expect((field(wrapper, 'setup-name').element as HTMLInputElement).value).toBe('科技厅')
    wrapper.unmount()
  })

  it("shows Rust's refusal and keeps what was typed", async () => {
    answers.identityCreate = () => ({
      status: 'error',
      error: { code: 'identity.exists', message: '此工作区已有身份（密钥 0123456789abcdef），不能再创建一个。' },
    })
    const { wrapper } = await mountAt('/identity/new', IdentitySetupView)
    await wrapper.find('[data-testid="role-expert"]').trigger('click')
    await field(wrapper, 'setup-name').setValue('扎西')
    await field(wrapper, 'setup-passphrase').setValue('a long passphrase')
    await field(wrapper, 'setup-again').setValue('a long passphrase')
    await wrapper.find('[data-testid="setup-submit"]').trigger('click')
    await settle()
    expect(calls.find(([n]) => n === 'identityCreate')?.[1]?.[0]).toBe('expert')
    expect(wrapper.find('[data-testid="setup-error"]').text()).toContain('此工作区已有身份')
    expect((field(wrapper, 'setup-name').element as HTMLInputElement).value).toBe('扎西')
    wrapper.unmount()
  })
})

describe('unlock at opening', () => {
  it('a wrong passphrase shows the message and stays; the right one goes on', async () => {
    identityStatus.value = { identity: INFO as never, unlocked: false, idle_lock_minutes: 30 }
    answers.identityUnlock = (p) =>
      p === 'the right one'
        ? ok({ identity: INFO, unlocked: true, idle_lock_minutes: 30 })
        : { status: 'error', error: { code: 'identity.wrong_passphrase', message: '口令不正确，密钥未解锁。请重新输入。' } }
    const { wrapper, router } = await mountAt('/unlock?next=/contacts', UnlockView)
    expect(wrapper.find('[data-testid="unlock-who"]').text()).toContain('科技厅')

    await field(wrapper, 'unlock-passphrase').setValue('a wrong one')
    await wrapper.find('[data-testid="unlock-submit"]').trigger('click')
    await settle()
    expect(wrapper.find('[data-testid="unlock-error"]').text()).toContain('口令不正确')
    expect(router.currentRoute.value.path).toBe('/unlock')
    expect(identityStatus.value?.unlocked).toBe(false)
    expect((field(wrapper, 'unlock-passphrase').element as HTMLInputElement).value).toBe('a wrong one')

    await field(wrapper, 'unlock-passphrase').setValue('the right one')
    await wrapper.find('[data-testid="unlock-submit"]').trigger('click')
    await settle()
    expect(calls.filter(([n]) => n === 'identityUnlock').map(([, a]) => a[0])).toEqual(['a wrong one', 'the right one'])
    expect(router.currentRoute.value.path).toBe('/contacts')
    expect(identityStatus.value?.unlocked).toBe(true)
    wrapper.unmount()
  })
})

describe('import with trust on first use', () => {
  const FILE = '/tmp/in/key-card-0123456789abcdef.lxpkg'
  const unknown = {
    file: FILE,
    outcome: null,
    error: { code: 'package.sender_unknown', message: '文件包来自尚未信任的发送方' },
    unknown_sender: { key_id: '0123456789abcdef', fingerprint: FP, kind: 'key_card' },
    message: '文件包来自尚未信任的发送方',
  }
  const imported = {
    file: FILE,
    outcome: { outcome: 'imported', package_id: 'p1', kind: 'key_card', sender_key_id: '0123456789abcdef', summary_zh: '已导入 科技厅 的密钥卡', summary_en: 'imported' },
    error: null,
    unknown_sender: null,
    message: '已导入 科技厅 的密钥卡',
  }

  beforeEach(() => {
    identityStatus.value = { identity: INFO as never, unlocked: true, idle_lock_minutes: 30 }
    answers.packageImport = (_paths, fp) => ok([fp ? imported : unknown])
    answers.contactsList = () => ok([])
  })

  it('shows the sender fingerprint in 6 groups; confirming imports again with that fingerprint', async () => {
    const { wrapper } = await mountAt('/contacts', null)
    await importPaths([FILE])
    await settle()
    expect(wrapper.find('[data-testid="trust-dialog"]').exists()).toBe(true)
    expect(groups(wrapper, 'trust-fingerprint')).toEqual(['12345', '67890', '13579', '24680', '11223', '34455'])
    expect(wrapper.find('[data-testid="trust-intro"]').text()).toContain('密钥卡')
    expect(wrapper.text()).toContain('请通过电话与发送方核对')

    await wrapper.find('[data-testid="trust-confirm"]').trigger('click')
    await settle()
    const imports = calls.filter(([n]) => n === 'packageImport').map(([, a]) => a)
    expect(imports).toEqual([[[FILE], null], [[FILE], FP]])
    expect(importJob.trust).toBeNull()
    expect(importJob.results.map((r) => r.message)).toEqual(['已导入 科技厅 的密钥卡'])
    expect(calls.some(([n]) => n === 'contactsList')).toBe(true)
    expect(document.body.textContent).toContain('导入 1 份，已导入过 0 份，拒收 0 份')
    wrapper.unmount()
  })

  it('cancelling imports nothing more and keeps the refusal', async () => {
    const { wrapper } = await mountAt('/contacts', null)
    await importPaths([FILE])
    await settle()
    await wrapper.find('[data-testid="trust-cancel"]').trigger('click')
    await settle()
    expect(calls.filter(([n]) => n === 'packageImport')).toHaveLength(1)
    expect(importJob.trust).toBeNull()
    expect(importJob.results[0].error?.code).toBe('package.sender_unknown')
    expect(document.body.textContent).toContain('拒收 1 份')
    wrapper.unmount()
  })

  it('files dropped on the window are imported', async () => {
    let shown = false
    await listenForDrops(() => (shown = true))
    dropHandler?.({ payload: { type: 'over' } })
    expect(calls.some(([n]) => n === 'packageImport')).toBe(false)
    dropHandler?.({ payload: { type: 'drop', paths: [FILE, '/tmp/in/folder'] } })
    await settle()
    expect(shown).toBe(true)
    expect(calls.find(([n]) => n === 'packageImport')?.[1]).toEqual([[FILE, '/tmp/in/folder'], null])
  })

  it('a workspace without an identity asks for one first', async () => {
    identityStatus.value = { identity: null, unlocked: false, idle_lock_minutes: 30 }
    await importPaths([FILE])
    await settle()
    expect(calls.some(([n]) => n === 'packageImport')).toBe(false)
    expect(document.body.textContent).toContain('导入文件包前，请先创建本工作区的身份')
  })
})

describe('the identity card', () => {
  it('exports the key card when unlocked, and shows why not when the keys locked meanwhile', async () => {
    identityStatus.value = { identity: INFO as never, unlocked: true, idle_lock_minutes: 30 }
    answers.identityGet = () => ok(identityStatus.value)
    answers.contactsList = () => ok([{ key_id: 'fedcba9876543210', role: 'expert', name: '扎西', fingerprint: FP, trusted_how: 'fingerprint', trusted_at: '2026-11-29T06:00:00Z', revoked_at: null, revocation_package: null }])
    answers.keyCardExport = () => ok({ path: '/home/u/key-card-0123456789abcdef.lxpkg', package_id: 'p', file_sha256: 'h' })
    const { wrapper } = await mountAt('/contacts', null)
    expect(wrapper.find('[data-testid="identity-name"]').text()).toBe('科技厅')
    expect(groups(wrapper, 'identity-fingerprint')).toHaveLength(6)
    expect(wrapper.findAll('[data-testid="contact-name"]').map((c) => c.text())).toEqual(['扎西'])
    expect(wrapper.text()).toContain('2026-11-29 14:00')

    await wrapper.find('[data-testid="export-key-card"]').trigger('click')
    await settle()
    expect(document.body.textContent).toContain('已保存密钥卡 /home/u/key-card-0123456789abcdef.lxpkg')

    answers.keyCardExport = () => ({ status: 'error', error: { code: 'identity.locked', message: '密钥已锁定，请输入口令解锁后再试。' } })
    answers.identityGet = () => ok({ identity: INFO, unlocked: false, idle_lock_minutes: 30 })
    await wrapper.find('[data-testid="export-key-card"]').trigger('click')
    await settle()
    expect(document.body.textContent).toContain('导出密钥卡失败：密钥已锁定')
    expect(wrapper.find('[data-testid="identity-lock-state"]').text()).toBe('已锁定')
    wrapper.unmount()
  })
})
