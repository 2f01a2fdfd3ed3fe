/**
 * The sliding-window bookkeeping shared by the client's rate limiter (which waits for a slot) and the
 * emulator's (which rejects): per limit, the times of the last `limit` slots taken, in a ring.
 *
 * @since 0.1.0
 * @internal
 */

/**
 * One limit's ring: the last `times.length` slot times, the oldest at `next`.
 *
 * @since 0.1.0
 * @internal
 */
export interface Ring {
  readonly times: Float64Array
  /** The window, in milliseconds. */
  readonly window: number
  next: number
}

/**
 * Throws unless `limit` is a positive integer and `window` a finite positive number of milliseconds.
 *
 * @since 0.2.0
 * @internal
 */
export const checkLimit = (limit: number, window: number): void => {
  if (!Number.isInteger(limit) || limit < 1 || !(window > 0) || !Number.isFinite(window)) {
    throw new Error(`RateLimiter: a limit needs a positive integer limit and a finite positive window`)
  }
}

/**
 * A ring for at most `limit` slots in any `window` milliseconds.
 *
 * @since 0.1.0
 * @internal
 */
export const makeRing = (limit: number, window: number): Ring => {
  checkLimit(limit, window)
  return { times: new Float64Array(limit).fill(-Infinity), window, next: 0 }
}

/**
 * The first instant at or after `from` at which every ring has room: when the slot `limit` slots
 * back is a whole window old (exact over any sliding window, O(1) per limit).
 *
 * @since 0.1.0
 * @internal
 */
export const earliest = (rings: ReadonlyArray<Ring>, from: number): number => {
  let slot = from
  for (const ring of rings) slot = Math.max(slot, ring.times[ring.next]! + ring.window)
  return slot
}

/**
 * Records a slot taken at `slot` in every ring (slots must be recorded in ascending order).
 *
 * @since 0.1.0
 * @internal
 */
export const record = (rings: ReadonlyArray<Ring>, slot: number): void => {
  for (const ring of rings) {
    ring.times[ring.next] = slot
    ring.next = ring.next + 1 === ring.times.length ? 0 : ring.next + 1
  }
}

/**
 * The index of the `back`-th newest slot of a ring (0: the newest).
 *
 * @since 0.1.0
 * @internal
 */
export const newest = (ring: Ring, back: number): number => {
  const length = ring.times.length
  return (ring.next - 1 - back + 2 * length) % length
}

/**
 * The first instant at which one more slot fits in a ring of recorded ends while `inFlight` slots are
 * still out (each of which may count at any moment): when the `(limit - inFlight)`-th newest end is a
 * whole window old; `Infinity` when `inFlight` alone fills the limit.
 *
 * @since 0.2.0
 * @internal
 */
export const freeAt = (ring: Ring, inFlight: number): number => {
  const back = ring.times.length - inFlight - 1
  return back < 0 ? Infinity : ring.times[newest(ring, back)]! + ring.window
}

/**
 * Moves every recorded time of a ring by `delta` milliseconds (after the clock stepped).
 *
 * @since 0.2.0
 * @internal
 */
export const shift = (ring: Ring, delta: number): void => {
  for (let i = 0; i < ring.times.length; i++) ring.times[i] = ring.times[i]! + delta
}
