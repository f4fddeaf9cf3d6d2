import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'

// Every command call, with its arguments; each test sets what the commands answer.
const calls: [string, unknown[]][] = []
const answers: Record<string, (...args: unknown[]) => unknown> = {}
const call = (name: string) => async (...args: unknown[]) => {
  calls.push([name, args])
  return answers[name]?.(...args) ?? { status: 'ok', data: null }
}
const listeners: Record<string, (e: { payload: unknown }) => void> = {}
const event = (name: string) => ({
  listen: async (h: (e: { payload: unknown }) => void) => {
    listeners[name] = h
    return () => {}
  },
})

vi.mock('../src/bindings', () => ({
  commands: new Proxy({}, { get: (_t, name: string) => call(name) }),
  events: {
    importProgress: event('importProgress'),
    keysLocked: event('keysLocked'),
    autoBackupDone: event('autoBackupDone'),
    autoBackupFailed: event('autoBackupFailed'),
  },
}))

const { i18n } = await import('../src/i18n')
const { identityStatus } = await import('../src/identity')
const BackupCard = (await import('../src/components/BackupCard.vue')).default

const INFO = { role: 'applicant' as const, name: '研究所', key_id: '0123456789abcdef', fingerprint: '12345 67890 13579 24680 11223 34455', created_at: '2026-11-29T06:00:00Z', revoked_at: null }
const ok = (data: unknown) => ({ status: 'ok', data })
const OFF = { folder: null, keep: 7, last: null }
const LOCKED = {
  code: 'identity.locked',
  message: '密钥已锁定（手动锁定，或 30 分钟未使用后自动锁定）。请输入口令解锁后再试。',
}

const settle = async () => {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 20))
  await flushPromises()
}
// Dialogs are appended to the body: find their inputs there.
function typeInto(testid: string, value: string) {
  const el = (document.body.querySelector(`[data-testid="${testid}"] input`) ??
    document.body.querySelector(`input[data-testid="${testid}"]`)) as HTMLInputElement
  el.value = value
  el.dispatchEvent(new Event('input'))
}
const clickIn = (testid: string) => (document.body.querySelector(`[data-testid="${testid}"]`) as HTMLElement).click()
const messages = () => [...document.body.querySelectorAll('.el-message')].map((m) => m.textContent ?? '')

async function mountCard(): Promise<VueWrapper> {
  const wrapper = mount(BackupCard, { global: { plugins: [i18n, ElementPlus] }, attachTo: document.body })
  await settle()
  return wrapper
}

beforeEach(() => {
  calls.length = 0
  for (const k of Object.keys(answers)) delete answers[k]
  answers.autoBackupGet = () => ok(OFF)
  answers.identityGet = () => ok(identityStatus.value)
  i18n.global.locale.value = 'zh-CN'
  identityStatus.value = { identity: INFO, unlocked: true, idle_lock_minutes: 30 }
  document.body.querySelectorAll('.el-message').forEach((m) => m.remove())
})

describe('备份与恢复 card', () => {
  it('backs up now and says where the file went', async () => {
    answers.backupNow = () =>
      ok({ path: '/media/usb/lixiang-backup-20261129-1500.lxpkg', package_id: 'p', file_sha256: 'ab', bytes: '4096', audit_events: 12, blobs: 2 })
    const wrapper = await mountCard()
    expect(wrapper.find('[data-testid="auto-folder"]').text()).toBe('未开启')
    expect(wrapper.find('[data-testid="auto-last"]').text()).toBe('尚无')
    await wrapper.find('[data-testid="backup-now"]').trigger('click')
    await settle()
    expect(calls.some(([n]) => n === 'backupNow')).toBe(true)
    expect(messages().join()).toContain('已保存备份 /media/usb/lixiang-backup-20261129-1500.lxpkg')
    wrapper.unmount()
  })

  it("shows Rust's refusal when the keys locked meanwhile, and reloads the lock state", async () => {
    answers.backupNow = () => ({ status: 'error', error: LOCKED })
    const wrapper = await mountCard()
    identityStatus.value = { identity: INFO, unlocked: false, idle_lock_minutes: 30 }
    await wrapper.find('[data-testid="backup-now"]').trigger('click')
    await settle()
    expect(messages().join()).toContain(`备份失败：${LOCKED.message}`)
    expect(calls.some(([n]) => n === 'identityGet')).toBe(true)
    expect(wrapper.text()).toContain('备份需要先解锁密钥')
    wrapper.unmount()
  })

  it('saves the automatic backup folder and the number kept, and shows the last time', async () => {
    answers.autoBackupChooseFolder = () => ok('/media/usb/立项备份')
    answers.autoBackupSet = (folder, keep) => ok({ folder, keep, last: null })
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="auto-choose"]').trigger('click')
    await settle()
    expect(calls.find(([n]) => n === 'autoBackupSet')?.[1]).toEqual(['/media/usb/立项备份', 7])
    expect(wrapper.find('[data-testid="auto-folder"]').text()).toBe('/media/usb/立项备份')
    expect(messages().join()).toContain('已保存自动备份设置')

    // A different number kept, saved with the same folder.
    const input = wrapper.find('[data-testid="auto-keep"] input')
    await input.setValue('3')
    await input.trigger('change')
    await settle()
    await wrapper.find('[data-testid="auto-save"]').trigger('click')
    await settle()
    expect(calls.filter(([n]) => n === 'autoBackupSet').pop()?.[1]).toEqual(['/media/usb/立项备份', 3])

    // The background backup ran: the card reloads the settings and shows its time (Beijing time).
    answers.autoBackupGet = () => ok({ folder: '/media/usb/立项备份', keep: 3, last: '2026-11-29T07:00:00Z' })
    listeners.autoBackupDone({ payload: { path: '/media/usb/立项备份/lixiang-auto-20261129.lxpkg', pruned: [], at: '2026-11-29T07:00:00Z' } })
    await settle()
    expect(wrapper.find('[data-testid="auto-last"]').text()).toContain('2026-11-29 15:00')
    wrapper.unmount()
  })

  it("shows Rust's refusal of the settings", async () => {
    answers.autoBackupChooseFolder = () => ok('/gone')
    answers.autoBackupSet = () => ({ status: 'error', error: { code: 'input.invalid', message: '/gone：不是已存在的文件夹' } })
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="auto-choose"]').trigger('click')
    await settle()
    expect(messages().join()).toContain('自动备份设置失败：/gone：不是已存在的文件夹')
    expect(wrapper.find('[data-testid="auto-folder"]').text()).toBe('未开启')
    wrapper.unmount()
  })

  it('after a restore, tells how to open the restored workspace', async () => {
    answers.restoreFromFile = () =>
      ok({ dir: '/home/me/立项 恢复', identity_key_id: INFO.key_id, audit_events: 13, blobs: 2, backup_created_at: '2026-11-29T07:00:00Z' })
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="restore"]').trigger('click')
    await settle()
    // The passphrase first (the backup is encrypted): an empty one is not sent.
    clickIn('restore-continue')
    await settle()
    expect(calls.some(([n]) => n === 'restoreFromFile')).toBe(false)
    expect(document.body.textContent).toContain('请输入口令')
    typeInto('restore-passphrase', 'correct horse')
    await settle()
    clickIn('restore-continue')
    await settle()
    expect(calls.find(([n]) => n === 'restoreFromFile')?.[1]).toEqual(['correct horse'])
    const cmd = wrapper.find('[data-testid="restored-command"]').text()
    expect(cmd).toContain('lixiang --data-dir "/home/me/立项 恢复"')
    expect(cmd).toContain('./scripts/run --data-dir "/home/me/立项 恢复"')
    expect(wrapper.text()).toContain('已恢复到 /home/me/立项 恢复')
    wrapper.unmount()
  })

  it('after a restore, 打开恢复的工作区 switches the running app to it and reloads the identity', async () => {
    answers.restoreFromFile = () =>
      ok({ dir: '/home/me/恢复', identity_key_id: INFO.key_id, audit_events: 13, blobs: 2, backup_created_at: '2026-11-29T07:00:00Z' })
    answers.workspaceOpenRestored = () => ok(null)
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="restore"]').trigger('click')
    await settle()
    typeInto('restore-passphrase', 'correct horse')
    await settle()
    clickIn('restore-continue')
    await settle()
    calls.length = 0
    await wrapper.find('[data-testid="open-restored"]').trigger('click')
    await settle()
    expect(calls.find(([n]) => n === 'workspaceOpenRestored')?.[1]).toEqual(['/home/me/恢复'])
    expect(calls.some(([n]) => n === 'identityGet')).toBe(true)
    expect(messages().join()).toContain('已切换到恢复的工作区 /home/me/恢复')
    expect(wrapper.find('[data-testid="restored"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('shows a failed restore with the reason Rust gave', async () => {
    answers.restoreFromFile = () => ({
      status: 'error',
      error: { code: 'input.invalid', message: '/tmp/x：目标目录不是空的：请恢复到新目录 / the target directory is not empty: restore into a new one' },
    })
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="restore"]').trigger('click')
    await settle()
    typeInto('restore-passphrase', 'correct horse')
    await settle()
    clickIn('restore-continue')
    await settle()
    expect(messages().join()).toContain('恢复失败：/tmp/x：目标目录不是空的')
    expect(wrapper.find('[data-testid="restored"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
