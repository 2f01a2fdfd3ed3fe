/**
 * The queue of requests waiting for a rate limiter slot, shared by the in-process limiter and the one
 * kept in Redis: two first-come-first-served lanes (interactive before background), removal in O(1)
 * when a waiter is interrupted, and wake-ups that are never lost.
 *
 * @since 0.2.0
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { Priority } from "../RateLimiter.js"

/**
 * A request waiting for its slot, in a doubly linked queue (removal on interrupt is O(1)).
 *
 * @since 0.2.0
 * @internal
 */
export interface Waiter {
  prev: Waiter | undefined
  next: Waiter | undefined
  queued: boolean
  /** Resumes the waiter while it is suspended. */
  resume: (() => void) | undefined
  /** Set when woken while not suspended, so that a wake-up is never lost. */
  woken: boolean
}

/**
 * A FIFO queue of waiters.
 *
 * @since 0.2.0
 * @internal
 */
export class Lane {
  head: Waiter | undefined = undefined
  tail: Waiter | undefined = undefined
  push(waiter: Waiter): void {
    waiter.prev = this.tail
    if (this.tail === undefined) this.head = waiter
    else this.tail.next = waiter
    this.tail = waiter
    waiter.queued = true
  }
  remove(waiter: Waiter): void {
    if (!waiter.queued) return
    if (waiter.prev === undefined) this.head = waiter.next
    else waiter.prev.next = waiter.next
    if (waiter.next === undefined) this.tail = waiter.prev
    else waiter.next.prev = waiter.prev
    waiter.prev = waiter.next = undefined
    waiter.queued = false
  }
}

/**
 * The two lanes of a limiter: every interactive waiter is served before any background one.
 *
 * @since 0.2.0
 * @internal
 */
export type Lanes = Readonly<Record<Priority, Lane>>

/**
 * Two empty lanes.
 *
 * @since 0.2.0
 * @internal
 */
export const makeLanes = (): Lanes => ({ interactive: new Lane(), background: new Lane() })

/**
 * The waiter to serve next: the first interactive one, else the first background one.
 *
 * @since 0.2.0
 * @internal
 */
export const first = (lanes: Lanes): Waiter | undefined => lanes.interactive.head ?? lanes.background.head

/**
 * A new waiter, not yet in a lane.
 *
 * @since 0.2.0
 * @internal
 */
export const makeWaiter = (): Waiter => ({
  prev: undefined,
  next: undefined,
  queued: false,
  resume: undefined,
  woken: false
})

/**
 * Wakes a waiter to look again: at once if it is suspended, else as soon as it suspends.
 *
 * @since 0.2.0
 * @internal
 */
export const wake = (waiter: Waiter | undefined): void => {
  if (waiter === undefined) return
  const resume = waiter.resume
  if (resume === undefined) {
    waiter.woken = true
    return
  }
  waiter.resume = undefined
  resume()
}

/**
 * Suspends until woken, or until `millis` have passed when that is finite.
 *
 * @since 0.2.0
 * @internal
 */
export const suspend = (waiter: Waiter, millis: number): Effect.Effect<void> => {
  const woken = Effect.async<void>((resume) => {
    if (waiter.woken) {
      waiter.woken = false
      return resume(Effect.void)
    }
    waiter.resume = () => resume(Effect.void)
    return Effect.sync(() => void (waiter.resume = undefined))
  })
  return Number.isFinite(millis) ? Effect.race(Effect.sleep(Duration.millis(millis)), woken) : woken
}

/**
 * Takes an interrupted waiter out of its lane; if it was the one to serve next, the next one looks
 * again, so that it does not wait for a turn that will never come.
 *
 * @since 0.2.0
 * @internal
 */
export const leave = (lanes: Lanes, lane: Lane, waiter: Waiter): void => {
  const wasFirst = first(lanes) === waiter
  lane.remove(waiter)
  if (wasFirst) wake(first(lanes))
}
