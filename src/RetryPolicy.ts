/**
 * Which failed requests are retried, and after how long: exponential backoff with jitter, or what
 * the server asked for in `Retry-After`.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type { InstantlyRequestError } from "./InstantlyError.js"

/**
 * Options of the retry policy (`retry` on `InstantlyClient.layer`).
 *
 * @since 0.1.0
 * @category Models
 */
export interface RetryOptions {
  /** How many times a failed request is sent again, default 4 (5 attempts in all). */
  readonly maxRetries?: number | undefined
  /** The backoff before the first retry, default 500 ms; it doubles on each retry. */
  readonly baseDelay?: Duration.DurationInput | undefined
  /** The longest backoff, default 30 s. */
  readonly maxDelay?: Duration.DurationInput | undefined
  /** Up to this fraction is taken off each backoff at random, default 0.25, so fibers do not retry in lockstep. */
  readonly jitter?: number | undefined
  /** The longest `Retry-After` waited for, default 60 s; a server asking for more fails the call at once. */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
}

/**
 * The defaults of every retry option.
 *
 * @since 0.1.0
 * @category Constants
 */
export const defaultRetryOptions = {
  maxRetries: 4,
  baseDelay: Duration.millis(500),
  maxDelay: Duration.seconds(30),
  jitter: 0.25,
  maxRetryAfter: Duration.seconds(60)
} as const

/**
 * The retry options with every default filled in, in milliseconds.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RetryPolicy {
  readonly maxRetries: number
  readonly baseDelayMillis: number
  readonly maxDelayMillis: number
  readonly jitter: number
  readonly maxRetryAfterMillis: number
}

/**
 * Fills in the defaults of `options`. An option that cannot make sense (a negative or fractional
 * `maxRetries`, a negative or infinite delay, a `jitter` outside 0 to 1) throws, naming it: a defect
 * when the client is built, not a silent misbehaviour later. `validate` says so without throwing.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: RetryOptions = {}): RetryPolicy =>
  Either.getOrThrowWith(validate(options), (problem) => new Error(`RetryPolicy: ${problem}`))

/**
 * Fills in the defaults of `options`, or says which option cannot make sense and why (e.g.
 * `retry.jitter must be a fraction from 0 to 1, got 5`): a negative or fractional `maxRetries`, a
 * delay that is negative, infinite or not a duration, a `jitter` outside 0 to 1.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const validate = (options: RetryOptions = {}): Either.Either<RetryPolicy, string> => {
  const maxRetries = options.maxRetries ?? defaultRetryOptions.maxRetries
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    return invalid("maxRetries", "a non-negative integer", maxRetries)
  }
  const jitter = options.jitter ?? defaultRetryOptions.jitter
  if (typeof jitter !== "number" || !(jitter >= 0 && jitter <= 1)) {
    return invalid("jitter", "a fraction from 0 to 1", jitter)
  }
  const delays = {
    baseDelay: options.baseDelay ?? defaultRetryOptions.baseDelay,
    maxDelay: options.maxDelay ?? defaultRetryOptions.maxDelay,
    maxRetryAfter: options.maxRetryAfter ?? defaultRetryOptions.maxRetryAfter
  }
  const millis: Record<string, number> = {}
  for (const [name, input] of Object.entries(delays)) {
    // `Duration.decode` reads a negative number or NaN as zero: those are refused here.
    const value = typeof input === "number" && !(input >= 0)
      ? undefined
      : Option.getOrUndefined(Option.map(Duration.decodeUnknown(input), Duration.toMillis))
    if (value === undefined || !Number.isFinite(value)) return invalid(name, "a finite, non-negative duration", input)
    millis[name] = value
  }
  return Either.right({
    maxRetries,
    baseDelayMillis: millis["baseDelay"]!,
    maxDelayMillis: millis["maxDelay"]!,
    jitter,
    maxRetryAfterMillis: millis["maxRetryAfter"]!
  })
}

const invalid = (name: string, expected: string, actual: unknown): Either.Either<never, string> =>
  Either.left(
    `retry.${name} must be ${expected}, got ${typeof actual === "string" ? JSON.stringify(actual) : String(actual)}`
  )

/**
 * The statuses worth another attempt: 408, 429, 500, 502, 503, 504.
 *
 * @since 0.1.0
 * @category Constants
 */
export const retryableStatuses: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

/**
 * Why `error` is worth another attempt (`"429"`, `"503"`, `"timeout"`, `"transport"`, ...), or
 * `undefined` when it is not: other statuses, decode errors, a URL or body that cannot be sent.
 *
 * @since 0.1.0
 * @category Utils
 */
export const retryReason = (error: InstantlyRequestError): string | undefined => {
  switch (error._tag) {
    case "InstantlyTransportError":
      return error.reason === "Timeout" ? "timeout" : error.reason === "Transport" ? "transport" : undefined
    case "InstantlyDecodeError":
      return undefined
    default:
      return retryableStatuses.has(error.status) ? String(error.status) : undefined
  }
}

/**
 * How long the server asked to wait, in milliseconds, when it said (429 and 5xx only).
 *
 * @since 0.1.0
 * @category Utils
 */
export const retryAfterMillis = (error: InstantlyRequestError): number | undefined =>
  error._tag === "InstantlyRateLimitError" || error._tag === "InstantlyServerError"
    ? Option.getOrUndefined(Option.map(error.retryAfter, Duration.toMillis))
    : undefined

/**
 * The backoff before retry number `retry` (1 for the first): `baseDelay * 2^(retry - 1)`, at most
 * `maxDelay`, less up to `jitter` of it as `random` (in [0, 1)) says.
 *
 * @since 0.1.0
 * @category Utils
 */
export const backoffMillis = (policy: RetryPolicy, retry: number, random: number): number => {
  const nominal = Math.min(policy.maxDelayMillis, policy.baseDelayMillis * 2 ** (retry - 1))
  return Math.round(nominal * (1 - policy.jitter * random))
}
