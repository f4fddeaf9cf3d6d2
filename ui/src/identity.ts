// The workspace's identity as the window shows it (who, and whether the keys are unlocked), shared by
// the frame and the screens. The keys themselves never leave Rust; this is only their status.
import { ref } from 'vue'
import { commands, events, type IdentityStatus } from './bindings'
import { early } from './boot'

export const identityStatus = ref<IdentityStatus | null>(null)

/** Reads the identity's status from the workspace (the first time, as the page's start read it). */
export async function loadIdentity(): Promise<IdentityStatus | null> {
  const r = await early('identity_get', commands.identityGet)
  if (r.status === 'ok') identityStatus.value = r.data
  return identityStatus.value
}

export function setIdentityStatus(s: IdentityStatus) {
  identityStatus.value = s
}

/** Keeps the status current when the keys lock themselves after the idle time; `onLocked` says so. */
export async function watchIdleLock(onLocked: (minutes: number) => void): Promise<() => void> {
  return events.keysLocked.listen((e) => {
    if (identityStatus.value) identityStatus.value = { ...identityStatus.value, unlocked: false }
    onLocked(e.payload.idle_minutes)
  })
}
