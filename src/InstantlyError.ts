/**
 * The tagged errors of effect-instantly and the one table that maps an HTTP
 * status to them.
 *
 * @since 0.1.0
 */
import type * as Headers from "@effect/platform/Headers"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * Where an HTTP error happened: shared by every error that got a response.
 *
 * @since 0.1.0
 * @category Errors
 */
export const HttpErrorFields = {
  /** The HTTP status code of the response. */
  status: Schema.Number,
  /** The server's `message`, or the status text when the body is not Instantly's envelope. */
  message: Schema.String,
  /** The request method, e.g. `"POST"`. */
  method: Schema.String,
  /** The request path, e.g. `"/api/v2/leads/subsequence/remove"` (no base URL, no query). */
  path: Schema.String,
  /** How many attempts were made before this error was returned (1 when nothing was retried). */
  attempts: Schema.optionalWith(Schema.Number, { default: () => 1 })
}

/**
 * The input failed validation before anything was sent: no request was made.
 *
 * @since 0.1.0
 * @category Errors
 */
export class InstantlyInvalidInputError extends Schema.TaggedError<InstantlyInvalidInputError>()(
  "InstantlyInvalidInputError",
  {
    /** The operation that was called, e.g. `"removeFromSubsequence"`. */
    operation: Schema.String,
    /** Which input failed and why, e.g. `id: Expected UUID, actual "abc"`. */
    message: Schema.String
  }
) {}

/**
 * 401 (key missing, invalid or revoked) or 403 (key lacks the scope): `status` tells which.
 *
 * @since 0.1.0
 * @category Errors
 */
export class InstantlyAuthError extends Schema.TaggedError<InstantlyAuthError>()(
  "InstantlyAuthError",
  HttpErrorFields
) {}

/**
 * 402: the workspace does not have an active paid plan.
 *
 * @since 0.1.0
 * @category Errors
 */
export class InstantlyPaymentRequiredError extends Schema.TaggedError<InstantlyPaymentRequiredError>()(
  "InstantlyPaymentRequiredError",
  HttpErrorFields
) {}

/**
 * 404: the lead (or the route) does not exist in this workspace.
 *
 * @since 0.1.0
 * @category Errors
 */
export class InstantlyNotFoundError extends Schema.TaggedError<InstantlyNotFoundError>()(
  "InstantlyNotFoundError",
  HttpErrorFields
) {}

/**
 * 429: the workspace is over Instantly's rate limit. `retryAfter` is what the server asked
 * for (`retry-after-ms`, or `Retry-After` in seconds or as an HTTP date), when it said.
 *
 * @since 0.1.0
 * @category Errors
 */
export class InstantlyRateLimitError extends Schema.TaggedError<InstantlyRateLimitError>()(
  "InstantlyRateLimitError",
  {
    ...HttpErrorFields,
    /** How long the server asked the client to wait, when it sent a header saying so. */
    retryAfter: Schema.OptionFromSelf(Schema.DurationFromSelf)
  }
) {}

/**
 * Any other 4xx: the request was rejected as it was (400, 405, 409, 413, 422, ...).
 *
 * @since 0.1.0
 * @category Errors
 */
export class InstantlyBadRequestError extends Schema.TaggedError<InstantlyBadRequestError>()(
  "InstantlyBadRequestError",
  HttpErrorFields
) {}

/**
 * 5xx: Instantly failed to answer the request. `retryAfter` is set when a 503 said how long to wait.
 *
 * @since 0.1.0
 * @category Errors
 */
export class InstantlyServerError extends Schema.TaggedError<InstantlyServerError>()(
  "InstantlyServerError",
  {
    ...HttpErrorFields,
    /** How long the server asked the client to wait, when it sent a header saying so. */
    retryAfter: Schema.OptionFromSelf(Schema.DurationFromSelf)
  }
) {}

/**
 * No usable response: connection refused or reset, DNS failure, a body cut off, or a timeout.
 *
 * @since 0.1.0
 * @category Errors
 */
export class InstantlyTransportError extends Schema.TaggedError<InstantlyTransportError>()(
  "InstantlyTransportError",
  {
    /** What went wrong: the request never got a response, or the attempt timed out. */
    reason: Schema.Literal("Transport", "Timeout", "InvalidUrl", "Encode"),
    message: Schema.String,
    method: Schema.String,
    path: Schema.String,
    attempts: Schema.optionalWith(Schema.Number, { default: () => 1 })
  }
) {}

/**
 * A 2xx whose body is not JSON or does not match the schema. `message` names the field that
 * failed; the body itself is not kept.
 *
 * @since 0.1.0
 * @category Errors
 */
export class InstantlyDecodeError extends Schema.TaggedError<InstantlyDecodeError>()(
  "InstantlyDecodeError",
  {
    status: Schema.Number,
    /** The field path and what was wrong with it, e.g. `status_summary: is missing`. */
    message: Schema.String,
    method: Schema.String,
    path: Schema.String,
    /** How many attempts were made before this answer came (1 when nothing was retried). */
    attempts: Schema.optionalWith(Schema.Number, { default: () => 1 })
  }
) {}

/**
 * Every error an Instantly operation can fail with: branch on `_tag` (`Effect.catchTag`).
 *
 * @example
 * ```ts
 * import { Duration, Effect, Option } from "effect"
 * import { Leads } from "effect-instantly"
 *
 * const removeOnce = (id: string) =>
 *   Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(id)).pipe(
 *     Effect.map((lead) => lead.id),
 *     Effect.catchTags({
 *       InstantlyNotFoundError: () => Effect.succeed("already gone"),
 *       InstantlyRateLimitError: (error) =>
 *         Effect.fail(`try again in ${Duration.format(Option.getOrElse(error.retryAfter, () => Duration.seconds(1)))}`)
 *     })
 *   )
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export type InstantlyError =
  | InstantlyInvalidInputError
  | InstantlyHttpError
  | InstantlyTransportError
  | InstantlyDecodeError

/**
 * An error that came with an HTTP response status outside 2xx.
 *
 * @since 0.1.0
 * @category Errors
 */
export type InstantlyHttpError =
  | InstantlyAuthError
  | InstantlyPaymentRequiredError
  | InstantlyNotFoundError
  | InstantlyRateLimitError
  | InstantlyBadRequestError
  | InstantlyServerError

/**
 * Instantly's error body: `{ statusCode, error, message }` on every declared error response.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const ErrorEnvelope = Schema.Struct({
  statusCode: Schema.Number,
  error: Schema.String,
  message: Schema.String
})

/**
 * The parts of an error body we read: some endpoints send `{ message }` or `{ error }` alone.
 */
const LenientErrorBody = Schema.parseJson(Schema.Struct({
  message: Schema.optional(Schema.String),
  error: Schema.optional(Schema.String)
}))
const decodeErrorBody = Schema.decodeUnknownOption(LenientErrorBody)

const statusTexts: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/**
 * The reason phrase of an HTTP status, e.g. `statusText(404) === "Not Found"`.
 *
 * @since 0.1.0
 * @category Utils
 */
export const statusText = (status: number): string => statusTexts[status] ?? `HTTP ${status}`

/**
 * The human message of an error body: the envelope's `message`, else its `error`, else the
 * status text (for an empty, HTML or otherwise foreign body).
 *
 * @since 0.1.0
 * @category Utils
 */
export const messageFromBody = (status: number, body: string): string =>
  Option.match(decodeErrorBody(body), {
    onNone: () => statusText(status),
    onSome: (parsed) => nonEmpty(parsed.message) ?? nonEmpty(parsed.error) ?? statusText(status)
  })

const nonEmpty = (s: string | undefined): string | undefined => s !== undefined && s.trim() !== "" ? s : undefined

/**
 * How long the server asked us to wait: `retry-after-ms` (milliseconds), else `Retry-After` as
 * delta seconds or an HTTP date (relative to `now`, in epoch milliseconds). Never negative.
 *
 * @since 0.1.0
 * @category Utils
 */
export const parseRetryAfter = (headers: Headers.Headers, now: number): Option.Option<Duration.Duration> => {
  const ms = headers["retry-after-ms"]
  if (ms !== undefined) {
    const value = Number(ms)
    if (ms.trim() !== "" && Number.isFinite(value) && value >= 0) return Option.some(Duration.millis(value))
  }
  const header = headers["retry-after"]
  if (header === undefined || header.trim() === "") return Option.none()
  if (/^\s*\d+(\.\d+)?\s*$/.test(header)) return Option.some(Duration.seconds(Number(header)))
  const date = Date.parse(header)
  return Number.isNaN(date) || !/[a-z]/i.test(header)
    ? Option.none()
    : Option.some(Duration.millis(Math.max(0, date - now)))
}

/**
 * Where a failed request was going, carried on every error about it.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RequestInfo {
  readonly method: string
  readonly path: string
}

/**
 * The one status table: maps a non-2xx response to its tagged error.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const fromStatus = (
  options: RequestInfo & {
    readonly status: number
    readonly body: string
    readonly headers: Headers.Headers
    readonly now: number
    /** A secret (the API key) that the server's message must not carry into the error, should it echo it. */
    readonly secret?: string | undefined
  }
): InstantlyHttpError => {
  const { body, headers, now, secret, ...rest } = options
  const message = messageFromBody(options.status, body)
  const fields = { ...rest, message: secret ? message.replaceAll(secret, "<redacted>") : message }
  const status = options.status
  if (status === 401 || status === 403) return new InstantlyAuthError(fields)
  if (status === 402) return new InstantlyPaymentRequiredError(fields)
  if (status === 404) return new InstantlyNotFoundError(fields)
  if (status === 429) return new InstantlyRateLimitError({ ...fields, retryAfter: parseRetryAfter(headers, now) })
  if (status >= 500) return new InstantlyServerError({ ...fields, retryAfter: parseRetryAfter(headers, now) })
  return new InstantlyBadRequestError(fields)
}

/**
 * Describes a `ParseError` as `path: problem` lines, so an input error names the field that failed
 * (with the value the caller passed) without repeating the whole document.
 *
 * @since 0.1.0
 * @category Utils
 */
export const describeParseError = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .slice(0, 5)
    .map((issue) => issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`)
    .join("; ")

/**
 * Describes a `ParseError` of a response body by the paths that failed and how, never the values
 * found there (a lead's fields are personal data and must not reach logs through an error message).
 *
 * @since 0.1.0
 * @category Utils
 */
export const describeResponseParseError = (error: ParseResult.ParseError): string => {
  const problems = new Map<string, string>()
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const path = issue.path.length === 0 ? "body" : issue.path.join(".")
    if (problems.has(path)) continue
    problems.set(path, issue._tag === "Missing" ? "is missing" : "has an unexpected type or value")
  }
  return Array.from(problems, ([path, problem]) => `${path}: ${problem}`).slice(0, 5).join("; ")
}

/**
 * The same error with `attempts` set: how many attempts were made before it was returned.
 *
 * @since 0.1.0
 * @category Utils
 */
export const withAttempts = <E extends { readonly _tag: string; readonly message: string }>(
  error: E,
  attempts: number
): E => {
  if (!("attempts" in error) || error.attempts === attempts) return error
  const Class = error.constructor as new(fields: E) => E
  return new Class({ ...error, message: error.message, attempts })
}
