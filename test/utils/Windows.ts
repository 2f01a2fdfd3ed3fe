/**
 * Sliding-window counts, to check a rate limit over every window rather than clock-aligned ones.
 */

/** The most instants of `times` (milliseconds) that fall in any half-open window `[t, t + window)`. */
export const maxInWindow = (times: ReadonlyArray<number>, window: number): number => {
  const sorted = [...times].sort((a, b) => a - b)
  let most = 0
  let first = 0
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= window) first++
    most = Math.max(most, last - first + 1)
  }
  return most
}
