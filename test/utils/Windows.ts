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

/**
 * The most intervals `[start, end]` (milliseconds) that meet any one window `[t, t + window)`: how
 * many requests a server could count in one window if each reached it at any instant between its
 * grant (`start`) and its answer (`end`).
 */
export const maxMeeting = (
  intervals: ReadonlyArray<{ readonly start: number; readonly end: number }>,
  window: number
): number => {
  let most = 0
  // A busiest window can always be slid right until it starts at the end of one of the intervals it meets.
  for (const { end: from } of intervals) {
    let meeting = 0
    for (const { end, start } of intervals) if (start < from + window && end >= from) meeting++
    most = Math.max(most, meeting)
  }
  return most
}
