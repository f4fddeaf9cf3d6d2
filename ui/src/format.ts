// Formatting rules shared by the screens.

/** A target's range as people read it: "10–15", or "1" when min = max. */
export function formatRange(min: number, max: number): string {
  return min === max ? `${min}` : `${min}–${max}`
}

/** A fingerprint as the 6 groups of 5 digits people read out ("12345 67890 …" → ["12345", "67890", …]). */
export function fingerprintGroups(fingerprint: string): string[] {
  const digits = fingerprint.replace(/\D/g, '')
  const groups: string[] = []
  for (let i = 0; i < digits.length; i += 5) groups.push(digits.slice(i, i + 5))
  return groups
}

/** An RFC 3339 moment as a date and time in Asia/Shanghai: "2026-11-29 14:03". */
export function formatMoment(rfc3339: string | null | undefined): string {
  if (!rfc3339) return ''
  const d = new Date(rfc3339)
  if (Number.isNaN(d.getTime())) return rfc3339
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}

/** A size in bytes as people read it: "820 B", "12.4 KB", "3.2 MB". */
export function formatBytes(n: number | null): string {
  if (n === null) return ''
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / (1024 * 1024)).toFixed(1)} MB`
}

/** A SHA-256 in groups of 8 hex digits, to read out and compare. */
export function hashGroups(sha256: string): string[] {
  return sha256.match(/.{1,8}/g) ?? []
}
