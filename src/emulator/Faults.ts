/**
 * Fault injection, decided per request from a seed and the request's arrival number, so a run of N
 * requests always injects the same faults.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Random from "./Random.js"

/**
 * Which faults to inject and how often. Shares are fractions of all requests (`0.1` = 10%) and
 * together may not exceed 1; latency is drawn independently of them.
 *
 * @since 0.1.0
 * @category Models
 */
export interface FaultOptions {
  /** The seed of every draw (default 0). */
  readonly seed?: number | undefined
  /** Delays a `share` of requests (default all) by a time between `min` (default 0) and `max`. */
  readonly latency?: {
    readonly share?: number | undefined
    readonly min?: Duration.DurationInput | undefined
    readonly max: Duration.DurationInput
  } | undefined
  /** Share answered 500, 502 or 503 (one third each, on average) before reaching the workspace. */
  readonly serverError?: number | undefined
  /** Share whose connection is closed without an answer, before reaching the workspace. */
  readonly dropConnection?: number | undefined
  /** Share whose 200 answer is cut in the middle of its JSON (the operation did happen). */
  readonly truncatedBody?: number | undefined
  /** Share whose 200 answer is replaced by a body that is not JSON (the operation did happen). */
  readonly nonJsonBody?: number | undefined
  /** Share answered with a 200 whose body starts and never ends, before reaching the workspace. */
  readonly neverEnds?: number | undefined
}

/**
 * The fault decided for one request.
 *
 * @since 0.1.0
 * @category Models
 */
export type Fault =
  | { readonly _tag: "None" }
  | { readonly _tag: "ServerError"; readonly status: 500 | 502 | 503 }
  | { readonly _tag: "DropConnection" }
  | { readonly _tag: "TruncatedBody" }
  | { readonly _tag: "NonJsonBody" }
  | { readonly _tag: "NeverEnds" }

/**
 * What happens to one request: its added delay and its fault.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Plan {
  readonly delay: Duration.Duration
  readonly fault: Fault
}

/**
 * Decides the plan of the request with arrival number `index`; a pure function of the options and `index`.
 *
 * @since 0.1.0
 * @category Models
 */
export type Planner = (index: number) => Plan

const serverErrorStatuses = [500, 502, 503] as const

/**
 * Checks the options and builds the planner, or says what is wrong with them.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const makePlanner = (options: FaultOptions): Either.Either<Planner, string> => {
  const shares = [
    ["serverError", options.serverError],
    ["dropConnection", options.dropConnection],
    ["truncatedBody", options.truncatedBody],
    ["nonJsonBody", options.nonJsonBody],
    ["neverEnds", options.neverEnds],
    ["latency.share", options.latency?.share]
  ] as const
  for (const [name, share] of shares) {
    if (share !== undefined && !(share >= 0 && share <= 1)) {
      return Either.left(`faults.${name} must be between 0 and 1, got ${share}`)
    }
  }
  const total = shares.slice(0, 5).reduce((sum, [, share]) => sum + (share ?? 0), 0)
  if (total > 1 + 1e-9) {
    const names = shares.slice(0, 5).map(([name]) => name).join(", ")
    return Either.left(`faults: the shares of ${names} add up to ${total}, more than 1`)
  }
  const min = Duration.toMillis(options.latency?.min ?? 0)
  const max = options.latency === undefined ? 0 : Duration.toMillis(options.latency.max)
  if (!(min >= 0 && max >= min && Number.isFinite(max))) {
    return Either.left(`faults.latency needs 0 <= min <= max < Infinity, got ${min} ms and ${max} ms`)
  }

  const seed = options.seed ?? 0
  const latencyShare = options.latency?.share ?? 1
  const kinds: ReadonlyArray<readonly [number, (index: number) => Fault]> = [
    [options.serverError ?? 0, (index) => ({
      _tag: "ServerError",
      status: serverErrorStatuses[Random.hash(seed, index, 3) % serverErrorStatuses.length]!
    })],
    [options.dropConnection ?? 0, () => ({ _tag: "DropConnection" })],
    [options.truncatedBody ?? 0, () => ({ _tag: "TruncatedBody" })],
    [options.nonJsonBody ?? 0, () => ({ _tag: "NonJsonBody" })],
    [options.neverEnds ?? 0, () => ({ _tag: "NeverEnds" })]
  ]

  return Either.right((index) => {
    const delay = max > 0 && Random.unit(seed, index, 1) < latencyShare
      ? Duration.millis(Math.round(min + Random.unit(seed, index, 2) * (max - min)))
      : Duration.zero
    let draw = Random.unit(seed, index, 0)
    for (const [share, fault] of kinds) {
      if (draw < share) return { delay, fault: fault(index) }
      draw -= share
    }
    return { delay, fault: { _tag: "None" } }
  })
}
