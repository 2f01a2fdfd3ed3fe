/**
 * The per-attempt deadline, handed from `InstantlyClient` to a transport that keeps it itself
 * (`InstantlyHttpClient`): the transport arms one timer per request and, when it fires, aborts the
 * request with `DeadlineExceeded` as the cause, which the client turns into its `"Timeout"` error. No
 * fiber per attempt, no `FiberRef` to set (setting one copies the fiber's whole map of them).
 *
 * The hand-over is keyed by the fiber: the client offers the deadline just before it sends, the
 * transport takes it when it dispatches the request (in the same fiber), and the client withdraws it
 * when the attempt ends, taken or not, so it never reaches another request.
 *
 * @since 0.2.0
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberId from "effect/FiberId"

/**
 * When an attempt must have its whole answer, on `clock`'s time (epoch milliseconds), and what the
 * timeout error says.
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface Deadline {
  readonly at: number
  readonly clock: Clock.Clock
  readonly message: string
}

/**
 * The cause a transport aborts a request with when its deadline passes.
 *
 * @since 0.2.0
 * @category Errors
 * @internal
 */
export class DeadlineExceeded extends Error {
  readonly deadline: Deadline
  constructor(deadline: Deadline) {
    super(deadline.message)
    this.name = "DeadlineExceeded"
    this.deadline = deadline
  }
}

/** The deadline offered for the request each fiber is about to send. */
const offered = new WeakMap<object, Deadline>()

/**
 * Offers `deadline` to the transport of the request `fiber` sends next.
 *
 * @since 0.2.0
 * @category Hand-over
 * @internal
 */
export const offer = (fiber: object, deadline: Deadline): void => {
  offered.set(fiber, deadline)
}

/**
 * Takes the deadline offered by `fiber`, if any (the transport, when it dispatches).
 *
 * @since 0.2.0
 * @category Hand-over
 * @internal
 */
export const take = (fiber: object): Deadline | undefined => {
  const deadline = offered.get(fiber)
  if (deadline !== undefined) offered.delete(fiber)
  return deadline
}

/**
 * Withdraws what `fiber` offered and no transport took (the attempt is over).
 *
 * @since 0.2.0
 * @category Hand-over
 * @internal
 */
export const withdraw = (fiber: object): void => {
  offered.delete(fiber)
}

/** The `HttpClient`s that take the deadline offered (see `markTransport`). */
const transports = new WeakSet<object>()

/**
 * Marks `client` as a transport that takes the offered deadline of every request it sends.
 *
 * @since 0.2.0
 * @category Hand-over
 * @internal
 */
export const markTransport = <A extends object>(client: A): A => {
  transports.add(client)
  return client
}

/**
 * Whether `client` takes the offered deadline of every request it sends.
 *
 * @since 0.2.0
 * @category Hand-over
 * @internal
 */
export const isTransport = (client: object): boolean => transports.has(client)

/** The class of the live clock: its timers can be plain `setTimeout`s. */
const LiveClock = Clock.make().constructor

/** Longest delay `setTimeout` keeps (about 24.8 days); a longer one never fires, as in `Clock`. */
const maxTimerMillis = 2 ** 31 - 1

/**
 * Calls `onFire` after `millis` on `clock`'s time; answers a function that cancels it. On the live
 * clock a plain `setTimeout`; on another (`TestClock`) a sleep on that clock in a fiber of its own.
 *
 * @since 0.2.0
 * @category Timers
 * @internal
 */
export const startTimer = (clock: Clock.Clock, millis: number, onFire: () => void): () => void => {
  if (clock instanceof LiveClock) {
    if (millis > maxTimerMillis) return noop
    const timer = setTimeout(onFire, Math.max(0, millis))
    return () => clearTimeout(timer)
  }
  const fiber = Effect.runFork(Effect.andThen(clock.sleep(Duration.millis(Math.max(0, millis))), Effect.sync(onFire)))
  return () => fiber.unsafeInterruptAsFork(FiberId.none)
}

const noop = (): void => {}
