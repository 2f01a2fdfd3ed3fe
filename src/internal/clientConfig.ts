/**
 * Checks of the client's configuration, run when its layer is built: the API key must be sendable
 * in a header, and the base URL must be an absolute `http:` or `https:` URL; and of the options of
 * one call, run before anything is sent.
 *
 * @since 0.2.0
 * @internal
 */
import * as UrlParams from "@effect/platform/UrlParams"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type { Priority } from "../RateLimiter.js"
import * as RetryPolicy from "../RetryPolicy.js"

/**
 * Instantly's API server, the default base URL.
 *
 * @since 0.2.0
 * @internal
 */
export const defaultBaseUrl = "https://api.instantly.ai"

/**
 * The key with surrounding whitespace (a trailing `\n` from a file or a `.env`) trimmed, or why it
 * cannot be sent: empty, or holding a character a header cannot carry (control characters, line
 * breaks, non-ASCII). The message never shows the key.
 *
 * @since 0.2.0
 * @internal
 */
export const checkApiKey = (key: string): Either.Either<string, string> => {
  const trimmed = key.trim()
  if (trimmed === "") return Either.left("is empty")
  if (/^bearer\s/i.test(trimmed)) return Either.left("starts with \"Bearer \": give the key alone, the client adds it")
  // Visible ASCII, and spaces and tabs inside: what an HTTP field value can carry (RFC 9110, 5.5).
  const bad = /[^\x20-\x7e\t]/.exec(trimmed)
  if (bad === null) return Either.right(trimmed)
  const code = bad[0].codePointAt(0)!
  const what = code < 0x20 || code === 0x7f
    ? `a control character (U+${code.toString(16).toUpperCase().padStart(4, "0")})`
    : "a non-ASCII character"
  return Either.left(`holds ${what} at position ${bad.index + 1}, which cannot be sent in an HTTP header`)
}

/**
 * Where requests go: the base URL with no trailing slash, and the query parameters to add to every
 * request (a proxy's `?tenant=a`).
 *
 * @since 0.2.0
 * @internal
 */
export interface BaseUrl {
  readonly url: string
  readonly urlParams: UrlParams.UrlParams
}

/**
 * Reads a base URL: empty means the default; it must be an absolute `http:` or `https:` URL without
 * credentials or a fragment; a path already ending in `/api/v2` (as several clients write it) is
 * taken back to its root, since every request path starts with `/api/v2`; a query string is kept for
 * every request. Answers why it is unusable otherwise.
 *
 * @since 0.2.0
 * @internal
 */
export const parseBaseUrl = (input: string | undefined): Either.Either<BaseUrl, string> => {
  const text = (input ?? "").trim()
  if (text === "") return Either.right({ url: defaultBaseUrl, urlParams: UrlParams.empty })
  const example = `, e.g. ${defaultBaseUrl}`
  const shown = text.includes("@") ? "" : ` (got "${text}")`
  // `127.0.0.1:4010` or `localhost:4010`: a host and port without a scheme.
  const hint = /^[\w.-]+:\d+(\/|$)/.test(text) ? `; did you mean http://${text}?` : example
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return Either.left(`must be an absolute http: or https: URL${shown}${hint}`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Either.left(`must be an absolute http: or https: URL${shown}${hint}`)
  }
  if (url.port === "0") return Either.left(`must not have port 0, which no server listens on${shown}`)
  if (url.username !== "" || url.password !== "") {
    return Either.left("must not carry credentials (user:password@): the API key goes in INSTANTLY_API_KEY")
  }
  if (url.hash !== "" || text.includes("#")) return Either.left(`must not have a fragment (#...)${shown}`)
  const path = url.pathname.replace(/\/+$/, "").replace(/(\/api\/v2)+$/i, "")
  return Either.right({
    url: `${url.origin}${path}`,
    urlParams: UrlParams.fromInput(url.searchParams)
  })
}

/**
 * How a value is shown in a message saying it is unusable: strings quoted, everything else as
 * `String` shows it (`NaN`, `-1`, `[object Object]`).
 *
 * @since 0.2.0
 * @internal
 */
export const shown = (value: unknown): string => typeof value === "string" ? JSON.stringify(value) : String(value)

/**
 * `input` in milliseconds when it is a positive, finite `DurationInput`; else why not (`Duration.decode`
 * reads a negative number or `NaN` as zero, and throws on a string it cannot read).
 *
 * @since 0.2.0
 * @internal
 */
export const positiveMillis = (input: unknown): Either.Either<number, string> => {
  const millis = Option.map(Duration.decodeUnknown(input), Duration.toMillis)
  return Option.isSome(millis) && millis.value > 0 && Number.isFinite(millis.value)
    ? Either.right(millis.value)
    : Either.left(
      `must be a positive, finite duration (e.g. "5 seconds" or 5000 for milliseconds), got ${shown(input)}`
    )
}

/**
 * The per-call options, checked: the call's timeout in milliseconds (if any), its retry options (if
 * any) and its priority (if any).
 *
 * @since 0.2.0
 * @internal
 */
export interface CheckedRequestOptions {
  readonly timeoutMillis: number | undefined
  readonly retry: RetryPolicy.RetryOptions | false | undefined
  readonly priority: Priority | undefined
}

/**
 * Checks per-call options (`RequestOptions`) before anything is sent: `timeout` a positive, finite
 * duration, `retry` `false` or options `RetryPolicy.validate` takes, `priority` `"interactive"` or
 * `"background"`. Answers why not otherwise, naming the option.
 *
 * @since 0.2.0
 * @internal
 */
export const checkRequestOptions = (options: {
  readonly timeout?: unknown
  readonly retry?: unknown
  readonly priority?: unknown
}): Either.Either<CheckedRequestOptions, string> => {
  if (typeof options !== "object" || options === null) {
    return Either.left(`options must be an object (timeout, retry, priority), got ${shown(options)}`)
  }
  const { priority, retry, timeout } = options
  let timeoutMillis: number | undefined
  if (timeout !== undefined) {
    const millis = positiveMillis(timeout)
    if (Either.isLeft(millis)) return Either.left(`timeout ${millis.left}`)
    timeoutMillis = millis.right
  }
  if (retry !== undefined && retry !== false) {
    if (typeof retry !== "object" || retry === null) {
      return Either.left(`retry must be false or retry options ({ maxRetries, ... }), got ${shown(retry)}`)
    }
    const policy = RetryPolicy.validate(retry)
    if (Either.isLeft(policy)) return Either.left(policy.left)
  }
  if (priority !== undefined && priority !== "interactive" && priority !== "background") {
    return Either.left(`priority must be "interactive" or "background", got ${shown(priority)}`)
  }
  return Either.right({
    timeoutMillis,
    retry: retry as RetryPolicy.RetryOptions | false | undefined,
    priority: priority as Priority | undefined
  })
}
