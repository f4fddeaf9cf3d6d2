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
vi.mock('../src/bindings', () => ({
  commands: new Proxy({}, { get: (_t, name: string) => call(name) }),
  events: { keysLocked: { listen: async () => () => {} } },
}))

const { i18n } = await import('../src/i18n')
const { identityStatus } = await import('../src/identity')
const { checkChange, checkRecover, checkRevoke, normaliseRecovery } = await import('../src/keyAdmin')
const KeyAdminActions = (await import('../src/components/KeyAdminActions.vue')).default

const INFO = { role: 'expert' as const, name: '专家甲', key_id: '0123456789abcdef', fingerprint: '12345 67890 13579 24680 11223 34455', created_at: '2026-11-29T06:00:00Z', revoked_at: null }
const ok = (data: unknown) => ({ status: 'ok', data })
const RECOVERY = '7K3QX-M0D2R-ABCDE-FGHJK-MNPQR-STVWX'

const settle = async () => {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 20))
  await flushPromises()
}
function typeInto(dialog: string, testid: string, value: string) {
  const el = (document.body.querySelector(`[data-testid="${dialog}"] [data-testid="${testid}"] input`) ??
    document.body.querySelector(`[data-testid="${dialog}"] input[data-testid="${testid}"]`)) as HTMLInputElement
  el.value = value
  el.dispatchEvent(new Event('input'))
}
const click = (testid: string) => (document.body.querySelector(`[data-testid="${testid}"]`) as HTMLElement).click()
const dialogText = (testid: string) => document.body.querySelector(`[data-testid="${testid}"]`)?.textContent ?? ''
const sent = (name: string) => calls.filter(([n]) => n === name)

async function mountActions(): Promise<VueWrapper> {
  const wrapper = mount(KeyAdminActions, { global: { plugins: [i18n, ElementPlus] }, attachTo: document.body })
  await settle()
  return wrapper
}

beforeEach(() => {
  calls.length = 0
  for (const k of Object.keys(answers)) delete answers[k]
  i18n.global.locale.value = 'zh-CN'
  identityStatus.value = { identity: INFO, unlocked: true, idle_lock_minutes: 30 }
  answers.identityGet = () => ok(identityStatus.value)
  document.body.innerHTML = ''
})

describe('key administration checks', () => {
  it('a change needs the current passphrase and a new one of 8 characters typed twice, not the same', () => {
    expect(checkChange({ old: '', next: 'short', again: 'short' })).toEqual({ old: 'errOldMissing', next: 'errTooShort' })
    expect(checkChange({ old: 'old passphrase', next: 'new passphrase', again: 'new passphrasf' })).toEqual({ again: 'errMismatch' })
    expect(checkChange({ old: 'same passphrase', next: 'same passphrase', again: 'same passphrase' })).toEqual({ next: 'errSame' })
    expect(checkChange({ old: 'old passphrase', next: '八个汉字的新口令', again: '八个汉字的新口令' })).toEqual({})
  })

  it('a recovery passphrase is read as the core reads it: case, spaces and dashes free, O as 0, I and L as 1', () => {
    expect(normaliseRecovery(RECOVERY)).toBe(RECOVERY)
    expect(normaliseRecovery('7k3qx m0d2r abcde fghjk mnpqr stvwx')).toBe(RECOVERY)
    expect(normaliseRecovery('7K3QXMOD2RABCDEFGHJKMNPQRSTVWX')).toBe(RECOVERY)
    expect(normaliseRecovery('IL000-00000-00000-00000-00000-00000')).toBe('11000-00000-00000-00000-00000-00000')
    expect(normaliseRecovery('7K3QX-M0D2R-ABCDE-FGHJK-MNPQR')).toBeNull()
    expect(normaliseRecovery('7K3QX-M0D2R-ABCDE-FGHJK-MNPQR-STVWU')).toBeNull()
    expect(checkRecover({ recovery: 'nope', next: 'new passphrase', again: 'new passphrase' })).toEqual({ recovery: 'errRecoveryShape' })
    expect(checkRecover({ recovery: RECOVERY, next: 'new passphrase', again: 'other passphrase' })).toEqual({ again: 'errMismatch' })
  })

  it('a revocation needs a reason and the confirmation ticked', () => {
    expect(checkRevoke({ reason: '  ', confirmed: false })).toEqual({ reason: 'errReasonMissing', confirmed: 'errNotConfirmed' })
    expect(checkRevoke({ reason: '笔记本电脑丢失', confirmed: true })).toEqual({})
  })
})

describe('key administration dialogs', () => {
  it('更改口令 refuses a mismatch without asking Rust, then sends the current and new passphrase', async () => {
    answers.identityChangePassphrase = () => ok({ identity: INFO, unlocked: true, idle_lock_minutes: 30 })
    const wrapper = await mountActions()
    await wrapper.find('[data-testid="key-change"]').trigger('click')
    await settle()
    typeInto('key-change-dialog', 'key-old', 'old passphrase')
    typeInto('key-change-dialog', 'key-new', 'new passphrase')
    typeInto('key-change-dialog', 'key-again', 'new passphrasf')
    await settle()
    click('key-change-save')
    await settle()
    expect(dialogText('key-change-dialog')).toContain('两次输入的新口令不一致')
    expect(sent('identityChangePassphrase')).toHaveLength(0)
    typeInto('key-change-dialog', 'key-again', 'new passphrase')
    await settle()
    click('key-change-save')
    await settle()
    expect(sent('identityChangePassphrase')[0][1]).toEqual(['old passphrase', 'new passphrase'])
    expect(document.body.textContent).toContain('口令已更改')
    wrapper.unmount()
  })

  it('更改口令 marks the current passphrase when Rust says it is wrong', async () => {
    answers.identityChangePassphrase = () => ({
      status: 'error',
      error: { code: 'identity.wrong_passphrase', message: '口令不正确，密钥未解锁。' },
    })
    const wrapper = await mountActions()
    await wrapper.find('[data-testid="key-change"]').trigger('click')
    await settle()
    typeInto('key-change-dialog', 'key-old', 'not the passphrase')
    typeInto('key-change-dialog', 'key-new', 'new passphrase')
    typeInto('key-change-dialog', 'key-again', 'new passphrase')
    await settle()
    click('key-change-save')
    await settle()
    expect(dialogText('key-change-dialog')).toContain('当前口令不正确')
    wrapper.unmount()
  })

  it('用恢复口令重设 works while locked and sends the recovery passphrase as the core reads it', async () => {
    identityStatus.value = { identity: INFO, unlocked: false, idle_lock_minutes: 30 }
    answers.identityRecover = () => ok({ identity: INFO, unlocked: true, idle_lock_minutes: 30 })
    const wrapper = await mountActions()
    expect(wrapper.find('[data-testid="key-revoke"]').attributes('disabled')).toBeDefined()
    await wrapper.find('[data-testid="key-recover"]').trigger('click')
    await settle()
    typeInto('key-recover-dialog', 'key-recovery', 'abc')
    typeInto('key-recover-dialog', 'key-new', 'new passphrase')
    typeInto('key-recover-dialog', 'key-again', 'new passphrase')
    await settle()
    click('key-recover-save')
    await settle()
    expect(dialogText('key-recover-dialog')).toContain('恢复口令应为 30 个字符')
    expect(sent('identityRecover')).toHaveLength(0)
    typeInto('key-recover-dialog', 'key-recovery', '7k3qx m0d2r abcde fghjk mnpqr stvwx')
    await settle()
    click('key-recover-save')
    await settle()
    expect(sent('identityRecover')[0][1]).toEqual([RECOVERY, 'new passphrase'])
    expect(identityStatus.value?.unlocked).toBe(true)
    wrapper.unmount()
  })

  it('吊销密钥 says what it means and needs a reason and the tick before the save dialog', async () => {
    answers.identityRevoke = () => ok({ path: '/media/usb/revocation-0123456789abcdef.lxpkg', package_id: 'p', file_sha256: 'ab' })
    const wrapper = await mountActions()
    await wrapper.find('[data-testid="key-revoke"]').trigger('click')
    await settle()
    expect(dialogText('key-revoke-dialog')).toContain('不能撤销')
    click('key-revoke-save')
    await settle()
    expect(dialogText('key-revoke-dialog')).toContain('请填写吊销原因')
    expect(dialogText('key-revoke-dialog')).toContain('请勾选确认')
    expect(sent('identityRevoke')).toHaveLength(0)
    typeInto('key-revoke-dialog', 'key-revoke-reason', '笔记本电脑丢失')
    ;(document.body.querySelector('[data-testid="key-revoke-dialog"] .el-checkbox input') as HTMLInputElement).click()
    await settle()
    click('key-revoke-save')
    await settle()
    expect(sent('identityRevoke')[0][1]).toEqual(['笔记本电脑丢失'])
    expect(document.body.textContent).toContain('吊销证书已保存到 /media/usb/revocation-0123456789abcdef.lxpkg')
    wrapper.unmount()
  })
})
