// What the key administration dialogs check before asking Rust (which checks again and has the last
// word): each function returns the i18n keys (under `keyAdmin.`) of what is wrong, field by field.

export type Problems = Partial<Record<string, string>>

/** The shortest passphrase the core accepts. */
export const MIN_PASSPHRASE = 8

function newTwice(problems: Problems, next: string, again: string) {
  if ([...next].length < MIN_PASSPHRASE) problems.next = 'errTooShort'
  else if (next !== again) problems.again = 'errMismatch'
}

/** 更改口令: the current passphrase, and a new one typed twice that differs from it. */
export function checkChange(f: { old: string; next: string; again: string }): Problems {
  const problems: Problems = {}
  if (f.old.length === 0) problems.old = 'errOldMissing'
  newTwice(problems, f.next, f.again)
  if (!problems.next && !problems.again && f.old.length > 0 && f.old === f.next) problems.next = 'errSame'
  return problems
}

/** A recovery passphrase as typed back, the way the core reads it: case, spaces and dashes ignored,
 * O read as 0 and I/L as 1; `null` unless it is 30 characters of the recovery alphabet. */
export function normaliseRecovery(typed: string): string | null {
  const chars = [...typed]
    .filter((c) => !/\s/.test(c) && c !== '-')
    .map((c) => c.toUpperCase())
    .map((c) => (c === 'O' ? '0' : c === 'I' || c === 'L' ? '1' : c))
    .join('')
  if (!/^[0-9A-HJKMNP-TV-Z]{30}$/.test(chars)) return null
  return chars.match(/.{5}/g)!.join('-')
}

/** 用恢复口令重设: a recovery passphrase of the right shape, and a new passphrase typed twice. */
export function checkRecover(f: { recovery: string; next: string; again: string }): Problems {
  const problems: Problems = {}
  if (normaliseRecovery(f.recovery) === null) problems.recovery = 'errRecoveryShape'
  newTwice(problems, f.next, f.again)
  return problems
}

/** 吊销密钥: a reason, and the box ticked that says what revoking means. */
export function checkRevoke(f: { reason: string; confirmed: boolean }): Problems {
  const problems: Problems = {}
  if (f.reason.trim().length === 0) problems.reason = 'errReasonMissing'
  if (!f.confirmed) problems.confirmed = 'errNotConfirmed'
  return problems
}

export const isClean = (p: Problems) => Object.keys(p).length === 0
