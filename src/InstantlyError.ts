/**
 * The tagged errors of effect-instantly and the one table that maps an HTTP
 * status to them.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { parseHttpDate } from "./internal/httpDate.js"

/**
 * Where an HTTP error happened: shared by every error that got a response.
 *
 * @since 0.1.0
 * @category Errors
 * @internal
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
 * 404 from Instantly's API: the resource does not exist in this workspace. For the lead operations
 * that is the lead (`"Resource not found"`), or for `moveToSubsequence` possibly the subsequence
 * (`"Subsequence not found"`): `message` tells which. A 404 that says the route itself does not
 * exist is `InstantlyRouteNotFoundError` instead, never this.
 *
 * @since 0.1.0
 * @category Errors
 */
export class InstantlyNotFoundError extends Schema.TaggedError<InstantlyNotFoundError>()(
  "InstantlyNotFoundError",
  HttpErrorFields
) {}

/**
 * 404 that is not about a resource: the server has no such route (Fastify's
 * `Route POST:/api/v2/api/v2/... not found`), or the 404 is not Instantly's error envelope
 * (`{ statusCode: 404, error, message }`) at all: a proxy's, a gateway's or a web server's answer. Almost always a wrong `baseUrl`. Never retried, and deliberately not
 * `InstantlyNotFoundError`, so that code treating "not found" as "the lead is already gone" does not
 * report success for a request that never reached the API.
 *
 * @since 0.2.0
 * @category Errors
 */
export class InstantlyRouteNotFoundError extends Schema.TaggedError<InstantlyRouteNotFoundError>()(
  "InstantlyRouteNotFoundError",
  HttpErrorFields
) {}

/**
 * 3xx: the server answered with a redirect, which the client does not follow (a POST must not turn
 * into a GET somewhere else, and the key must not travel to another host). Usually a `baseUrl` with
 * `http:` instead of `https:` or an outdated host. `location` is where it pointed. Never retried.
 *
 * @since 0.2.0
 * @category Errors
 */
export class InstantlyRedirectError extends Schema.TaggedError<InstantlyRedirectError>()(
  "InstantlyRedirectError",
  {
    ...HttpErrorFields,
    /** The `Location` the server pointed to, when it sent one. */
    location: Schema.optional(Schema.String)
  }
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
 * No usable response: connection refused or reset, DNS failure, a body cut off, or a timeout. `code`
 * is the underlying error's code when it had one (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`,
 * undici's `UND_ERR_*`, ...), so a refused connection and a DNS failure can be told apart.
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
    attempts: Schema.optionalWith(Schema.Number, { default: () => 1 }),
    /** The code of the error underneath (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`, ...), when it had one. */
    code: Schema.optional(Schema.String)
  }
) {}

/**
 * A 2xx whose body is not JSON or does not match the schema, or whose body could not be read at all
 * because something else (e.g. a `transformClient` tap) had already consumed it. `message` names the
 * fields that failed, or quotes the short error string of a 200 whose body is an error object
 * (`{"error":"ACC_AUTH_ERROR"}`); the body itself is not kept. Never retried.
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
 * What a request can fail with once it has been sent.
 *
 * @since 0.1.0
 * @category Errors
 */
export type InstantlyRequestError = InstantlyHttpError | InstantlyTransportError | InstantlyDecodeError

/**
 * An error that came with an HTTP response status outside 2xx.
 *
 * @since 0.1.0
 * @category Errors
 */
export type InstantlyHttpError =
  | InstantlyRedirectError
  | InstantlyAuthError
  | InstantlyPaymentRequiredError
  | InstantlyNotFoundError
  | InstantlyRouteNotFoundError
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
const LenientErrorBody = Schema.Struct({
  message: Schema.optional(Schema.Unknown),
  error: Schema.optional(Schema.Unknown)
})
const isErrorBody = Schema.is(LenientErrorBody)

const statusTexts: Record<number, string> = {
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
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
 * The longest message taken from a server, in characters; the rest is cut and counted, so a huge
 * body never becomes a huge error message in logs and traces.
 *
 * @since 0.2.0
 * @category Constants
 * @internal
 */
export const maxServerMessageLength = 300

/**
 * Server text made safe to carry in an error message: on one line, control characters removed,
 * `secret` (the API key) replaced by `<redacted>`, and at most `max` characters (the rest counted).
 *
 * @example
 * ```ts
 * import { boundedMessage } from "effect-instantly"
 *
 * boundedMessage("error code:\r\n 1010") // "error code: 1010"
 * boundedMessage("x".repeat(1000), { max: 10 }) // "xxxxxxxxxx… (990 more characters)"
 * ```
 *
 * @since 0.2.0
 * @category Utils
 * @internal
 */
export const boundedMessage = (
  text: string,
  options: { readonly max?: number | undefined; readonly secret?: string | undefined } = {}
): string => {
  const max = options.max ?? maxServerMessageLength
  const secret = options.secret
  // A secret too short to be a real key would only mangle words (a test's key "k" in "key").
  const scrubbed = secret !== undefined && secret.length >= minSecretLength
    ? text.replaceAll(secret, "<redacted>")
    : text
  // Clean only what can be shown: a 4 MiB message costs no more than a short one.
  const head = scrubbed.length > max * 4 ? scrubbed.slice(0, max * 4) : scrubbed
  const line = head.replace(/[\p{Cc}\p{Cf}\s]+/gu, " ").trim()
  if (line.length <= max && head.length === scrubbed.length) return line
  const shown = line.slice(0, max).trimEnd()
  return `${shown}… (${scrubbed.length - shown.length} more characters)`
}

/** No API key is shorter; a shorter secret is not scrubbed from messages. */
const minSecretLength = 8

/**
 * Text without the UTF-8 byte order mark a few servers and proxies put before a JSON body.
 *
 * @since 0.2.0
 * @category Utils
 * @internal
 */
export const stripBom = (text: string): string => text.charCodeAt(0) === 0xfeff ? text.slice(1) : text

const notJson: unique symbol = Symbol("notJson")
/** Parses JSON, or answers `notJson` (the body is then described, never echoed). */
const parseJsonBody = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return notJson
  }
}

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined

/** The `message`, else `error`, of a JSON error body: Instantly's envelope or a bare `{message}` / `{error}`. */
const serverMessage = (json: unknown): string | undefined =>
  isErrorBody(json) && json !== null && !Array.isArray(json)
    ? nonEmpty(json.message) ?? nonEmpty(json.error)
    : undefined

/**
 * A block by Instantly's edge (Cloudflare) rather than an answer of the API: `server: cloudflare` or a
 * `cf-ray` header, and a body such as `error code: 1010`. Answers the Cloudflare error code.
 */
const edgeBlock = (headers: Headers.Headers, body: string): string | undefined => {
  const fromCloudflare = headers["cf-ray"] !== undefined || /cloudflare/i.test(headers["server"] ?? "")
  return fromCloudflare ? /^\s*error code:\s*(\d{3,5})\s*$/i.exec(body)?.[1] : undefined
}

/**
 * The human message of an error answer, at most `maxServerMessageLength` characters on one line: the
 * JSON body's `message`, else its `error`; for a body that is not JSON, the status text and the body's
 * first characters as a clue (`Forbidden: <html>...`), or, for a block by Instantly's edge (Cloudflare,
 * `error code: 1010`), a message saying so; else the status text.
 *
 * @since 0.1.0
 * @category Utils
 * @internal
 */
export const messageFromBody = (
  status: number,
  body: string,
  headers: Headers.Headers = Headers.empty,
  secret?: string
): string => {
  const text = stripBom(body)
  const json = parseJsonBody(text)
  if (json !== notJson) return boundedMessage(serverMessage(json) ?? statusText(status), { secret })
  const edge = edgeBlock(headers, text)
  if (edge === "1015") {
    return `${statusText(status)}: rate limited by Instantly's edge (Cloudflare error 1015) before the request ` +
      `reached the API`
  }
  if (edge !== undefined) {
    return `${statusText(status)}: blocked by Instantly's edge (Cloudflare error ${edge}) before the request ` +
      `reached the API, so the key was not checked; Cloudflare blocks some non-browser clients by IP address, ` +
      `User-Agent or request pattern`
  }
  return text.trim() === ""
    ? statusText(status)
    : boundedMessage(`${statusText(status)}: ${text}`, { secret })
}

/** The delay of a `Retry-After`-like header in seconds (`1.5` allowed), or `undefined`. */
const deltaSeconds = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : undefined
}

/** The server's `Date`, against which its other dates are measured; else our clock's `now`. */
const serverNow = (headers: Headers.Headers, now: number): number => {
  const date = headers["date"]
  return (date === undefined ? undefined : parseHttpDate(date, now)) ?? now
}

/**
 * How long the server asked us to wait: `retry-after-ms` (milliseconds), else `Retry-After` as delta
 * seconds or an HTTP date in one of RFC 9110's three forms (IMF-fixdate, RFC 850, asctime, all GMT),
 * measured against the response's `Date` when it has one (so a skewed local clock does not matter),
 * else against `now` (epoch milliseconds). Anything else is ignored (`None`): no lenient date parsing.
 * Never negative.
 *
 * @since 0.1.0
 * @category Utils
 */
export const parseRetryAfter = (headers: Headers.Headers, now: number): Option.Option<Duration.Duration> => {
  const ms = headers["retry-after-ms"]
  const millis = ms === undefined ? undefined : deltaSeconds(ms)
  if (millis !== undefined) return Option.some(Duration.millis(millis))
  const header = headers["retry-after"]
  if (header === undefined) return Option.none()
  const seconds = deltaSeconds(header)
  if (seconds !== undefined) return Option.some(Duration.seconds(seconds))
  const date = parseHttpDate(header, now)
  return date === undefined
    ? Option.none()
    : Option.some(Duration.millis(Math.max(0, date - serverNow(headers, now))))
}

/**
 * Epoch values of `X-RateLimit-Reset` are told from deltas by size: no sane delta is this many seconds
 * (about 31 years), and no epoch time since 2001 is below it.
 */
const epochSecondsThreshold = 1e9
const epochMillisThreshold = 1e12

/**
 * When the limit resets, from `X-RateLimit-Reset` (or `RateLimit-Reset`), which Instantly does not
 * document but several of its integrations read: either epoch seconds (or milliseconds) or seconds
 * until the reset, told apart by size. Read only when `X-RateLimit-Remaining` (if sent) is `0`; an
 * epoch time is measured against the response's `Date` when it has one, else `now`. Never negative.
 *
 * @since 0.2.0
 * @category Utils
 */
export const parseRateLimitReset = (headers: Headers.Headers, now: number): Option.Option<Duration.Duration> => {
  const remaining = headers["x-ratelimit-remaining"] ?? headers["ratelimit-remaining"]
  if (remaining !== undefined && remaining.trim() !== "0") return Option.none()
  const value = deltaSeconds(headers["x-ratelimit-reset"] ?? headers["ratelimit-reset"])
  if (value === undefined) return Option.none()
  if (value < epochSecondsThreshold) return Option.some(Duration.seconds(value))
  const reset = value < epochMillisThreshold ? value * 1_000 : value
  return Option.some(Duration.millis(Math.max(0, reset - serverNow(headers, now))))
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

/** Fastify's answer for a path it has no route for: `Route POST:/api/v2/api/v2/... not found`. */
const routeNotFound = /^route [a-z]+:\S* not found$/i

/**
 * Instantly's own 404 for a resource: its envelope, `{ statusCode: 404, error, message }`. Anything else
 * (a proxy's or a gateway's 404, `{}`, a problem document, HTML) did not come from the API's handlers.
 */
const isInstantlyNotFound = (json: unknown, message: string): boolean =>
  typeof json === "object" && json !== null && !Array.isArray(json) &&
  (json as { statusCode?: unknown }).statusCode === 404 &&
  typeof (json as { message?: unknown }).message === "string" &&
  !routeNotFound.test(message)

/**
 * The one status table: maps a non-2xx response to its tagged error.
 *
 * | status | error |
 * |---|---|
 * | 3xx | `InstantlyRedirectError` (not followed) |
 * | 401, 403 | `InstantlyAuthError` |
 * | 402 | `InstantlyPaymentRequiredError` |
 * | 404 in Instantly's envelope (`statusCode: 404`), about a resource | `InstantlyNotFoundError` |
 * | any other 404: no such route, or not Instantly's envelope | `InstantlyRouteNotFoundError` |
 * | 429 | `InstantlyRateLimitError` (`retryAfter` from `Retry-After`, else `X-RateLimit-Reset`) |
 * | other 4xx (and 1xx) | `InstantlyBadRequestError` |
 * | 5xx | `InstantlyServerError` (`retryAfter` as for 429) |
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
  const fields = { ...rest, message: messageFromBody(options.status, body, headers, secret) }
  const status = options.status
  const waitFor = () =>
    status === 429 || status === 503
      ? Option.orElse(parseRetryAfter(headers, now), () => parseRateLimitReset(headers, now))
      : parseRetryAfter(headers, now)
  if (status >= 300 && status < 400) {
    const location = headers["location"]
    return new InstantlyRedirectError({
      ...fields,
      message: `${fields.message}: the client does not follow redirects; check baseUrl` +
        (location === undefined ? "" : ` (it pointed to ${boundedMessage(location, { max: 200, secret })})`),
      ...(location === undefined ? {} : { location: boundedMessage(location, { max: 2_000, secret }) })
    })
  }
  if (status === 401 || status === 403) return new InstantlyAuthError(fields)
  if (status === 402) return new InstantlyPaymentRequiredError(fields)
  if (status === 404) {
    return isInstantlyNotFound(parseJsonBody(stripBom(body)), fields.message)
      ? new InstantlyNotFoundError(fields)
      : new InstantlyRouteNotFoundError(fields)
  }
  if (status === 429) return new InstantlyRateLimitError({ ...fields, retryAfter: waitFor() })
  if (status >= 500) return new InstantlyServerError({ ...fields, retryAfter: waitFor() })
  return new InstantlyBadRequestError(fields)
}

/**
 * Parses a 2xx body as JSON (after any byte order mark), or answers why it is not JSON, never quoting it.
 *
 * @since 0.2.0
 * @category Utils
 * @internal
 */
export const parseBody = (body: string): { readonly json: unknown } | { readonly problem: string } => {
  const text = stripBom(body)
  const json = parseJsonBody(text)
  if (json !== notJson) return { json }
  return { problem: text.trim() === "" ? "body is empty" : `body is not JSON (${body.length} characters)` }
}

/**
 * What a 2xx body that failed its schema was: for an error object such as `{"error":"ACC_AUTH_ERROR"}`
 * (some Instantly endpoints answer errors with a 200), its short error string; else the paths that
 * failed and how (see `describeResponseParseError`).
 *
 * @since 0.2.0
 * @category Utils
 * @internal
 */
export const describeDecodeFailure = (json: unknown, error: ParseResult.ParseError, secret?: string): string => {
  const message = serverMessage(json)
  return message !== undefined && typeof json === "object" && json !== null && !("id" in json)
    ? `body is an error object, not the expected answer: ${boundedMessage(message, { max: 120, secret })}`
    : describeResponseParseError(error)
}

/**
 * Describes a `ParseError` as `path: problem` lines, so an input error names the field that failed
 * (with the value the caller passed) without repeating the whole document.
 *
 * @since 0.1.0
 * @category Utils
 * @internal
 */
export const describeParseError = (error: ParseResult.ParseError): string => {
  // One problem per path: an optional field's schema also reports "Expected undefined", which says nothing.
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    path: issue.path.join("."),
    message: issue.message
  }))
  // A union's member that failed deeper (`ids.0`, the array of ids) is the one that matched the shape:
  // what its other members say of the whole (`ids: Expected undefined`) is left out.
  const within = (path: string, parent: string) => parent === "" ? path !== "" : path.startsWith(`${parent}.`)
  const problems = new Map<string, string>()
  for (const { message, path } of issues) {
    if (problems.has(path) || issues.some((other) => within(other.path, path))) continue
    problems.set(path, path === "" ? message : `${path}: ${message}`)
  }
  return Array.from(problems.values()).slice(0, 5).join("; ")
}

/**
 * Describes a `ParseError` of a response body by the paths that failed and how, never the values
 * found there (a lead's fields are personal data and must not reach logs through an error message).
 *
 * @since 0.1.0
 * @category Utils
 * @internal
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
 * @internal
 */
export const withAttempts = <E extends { readonly _tag: string; readonly message: string }>(
  error: E,
  attempts: number
): E => {
  if (!("attempts" in error) || error.attempts === attempts) return error
  const Class = error.constructor as new(fields: E) => E
  return new Class({ ...error, message: error.message, attempts })
}
