/**
 * Which failed requests are retried, and after how long: exponential backoff with jitter, or what
 * the server asked for in `Retry-After`.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
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
 * when the client is built, not a silent misbehaviour later.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: RetryOptions = {}): RetryPolicy => {
  const millis = (name: string, input: Duration.DurationInput): number => {
    const value = Duration.toMillis(input)
    if (!(value >= 0) || !Number.isFinite(value)) invalid(name, "a finite, non-negative duration")
    return value
  }
  const maxRetries = options.maxRetries ?? defaultRetryOptions.maxRetries
  if (!Number.isInteger(maxRetries) || maxRetries < 0) invalid("maxRetries", "a non-negative integer")
  const jitter = options.jitter ?? defaultRetryOptions.jitter
  if (!(jitter >= 0 && jitter <= 1)) invalid("jitter", "a fraction from 0 to 1")
  return {
    maxRetries,
    baseDelayMillis: millis("baseDelay", options.baseDelay ?? defaultRetryOptions.baseDelay),
    maxDelayMillis: millis("maxDelay", options.maxDelay ?? defaultRetryOptions.maxDelay),
    jitter,
    maxRetryAfterMillis: millis("maxRetryAfter", options.maxRetryAfter ?? defaultRetryOptions.maxRetryAfter)
  }
}

const invalid = (name: string, expected: string): never => {
  throw new Error(`RetryPolicy: retry.${name} must be ${expected}`)
}

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
