// Formatting rules shared by the screens.

/** A target's range as people read it: "10–15", or "1" when min = max. */
export function formatRange(min: number, max: number): string {
  return min === max ? `${min}` : `${min}–${max}`
}
