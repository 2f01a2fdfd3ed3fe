/**
 * The transport policy of effect-instantly: base URL, authentication, headers, retries, the
 * per-attempt timeout, the client-side rate limiter, and turning every response into a decoded
 * value or a tagged error.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Tracer from "effect/Tracer"
import {
  boundedMessage,
  describeDecodeFailure,
  fromStatus,
  InstantlyDecodeError,
  type InstantlyRequestError,
  InstantlyTransportError,
  parseBody,
  type RequestInfo,
  statusText,
  withAttempts
} from "./InstantlyError.js"
import { buffered, isBuffered, ResponseTooLarge } from "./internal/bufferedResponse.js"
import * as ClientConfig from "./internal/clientConfig.js"
import * as Deadline from "./internal/deadline.js"
import * as FastDecoder from "./internal/fastDecoder.js"
import * as Recording from "./internal/metrics.js"
import { timeoutFail } from "./internal/timeout.js"
import * as Tracing from "./internal/tracing.js"
import * as RateLimiter from "./RateLimiter.js"
import * as RetryPolicy from "./RetryPolicy.js"
import { version } from "./version.js"

export {
  /**
   * What a request can fail with once it has been sent (defined with the errors).
   *
   * @since 0.1.0
   * @category Errors
   */
  type InstantlyRequestError
} from "./InstantlyError.js"

/**
 * Instantly's API server, the default `baseUrl`.
 *
 * @since 0.1.0
 * @category Constants
 */
export const defaultBaseUrl: string = ClientConfig.defaultBaseUrl

/**
 * The `User-Agent` sent with every request.
 *
 * @since 0.1.0
 * @category Constants
 */
export const userAgent = `effect-instantly/${version}`

/**
 * Options of `InstantlyClient.layer` and `InstantlyClient.make`.
 *
 * @since 0.1.0
 * @category Models
 */
export interface InstantlyClientOptions {
  /**
   * The workspace's API key, sent as `Authorization: Bearer <key>`; never logged. Surrounding
   * whitespace is trimmed; an empty key, or one with a character a header cannot carry, is a defect
   * when the client is built.
   */
  readonly apiKey: Redacted.Redacted<string>
  /**
   * Where the API is: an absolute `http:` or `https:` URL, default `https://api.instantly.ai` (also when
   * empty). Request paths (`/api/v2/...`) are appended to it, so a trailing `/api/v2` is dropped; a query
   * string (a proxy's `?tenant=a`) is added to every request. A URL with credentials or a fragment, or
   * not absolute, is a defect when the client is built.
   */
  readonly baseUrl?: string | undefined
  /** A last word on the `HttpClient`, e.g. to add logging or a proxy, applied after ours. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /** Retries of transient failures (`defaultRetryOptions` unless set); `false` turns them off. */
  readonly retry?: RetryPolicy.RetryOptions | false | undefined
  /**
   * How long one attempt may take before it fails as a `"Timeout"`, default 30 s; `false` for no limit.
   * Anything but a positive duration is a defect when the client is built.
   */
  readonly timeout?: Duration.DurationInput | false | undefined
  /**
   * The client-side rate limiter: `false` turns it off; `{ limiter }` uses that one; `{ limits }` builds
   * one of its own. Unset, the client uses a `RateLimiter.RateLimiter` from the context if there is one
   * (shared by every client built there), else builds its own at `defaultRateLimits`.
   */
  readonly rateLimit?: RateLimiter.RateLimitOptions | false | undefined
  /**
   * The most bytes of a response body the client reads, default `defaultMaxResponseBytes` (16 MiB). A
   * larger body is not read further: the request is aborted and the call fails with
   * `InstantlyDecodeError` ("response body larger than N bytes"), not retried. Anything but a positive
   * integer is a defect when the client is built.
   */
  readonly maxResponseBytes?: number | undefined
}

/**
 * How much of a response body the client reads by default: 16 MiB. The largest answer an operation
 * expects is a page of 100 leads (`listLeads`), about 250 KB with typical leads (2.4 KB each); this
 * leaves room for leads with large custom variables (`payload`) while a runaway body cannot exhaust memory.
 *
 * @since 0.2.0
 * @category Constants
 */
export const defaultMaxResponseBytes: number = 16 * 1024 * 1024

/**
 * How long one attempt may take by default.
 *
 * @since 0.1.0
 * @category Constants
 */
export const defaultTimeout: Duration.Duration = Duration.seconds(30)

/**
 * Options of `InstantlyClient.layerConfig`: the key and base URL as `Config`s (by default
 * `INSTANTLY_API_KEY` and `INSTANTLY_BASE_URL`), the other options as plain values. Both are checked
 * as for `InstantlyClient.layer`, but a bad value is a `ConfigError` naming the variable.
 *
 * @since 0.1.0
 * @category Models
 */
export interface InstantlyClientConfigOptions extends Omit<InstantlyClientOptions, "apiKey" | "baseUrl"> {
  readonly apiKey?: Config.Config<Redacted.Redacted<string>> | undefined
  readonly baseUrl?: Config.Config<string | undefined> | undefined
}

/** `INSTANTLY_API_KEY`, saying plainly when it is not set. */
const defaultApiKeyConfig: Config.Config<Redacted.Redacted<string>> = Config.string("INSTANTLY_API_KEY").pipe(
  Config.option,
  Config.mapOrFail(Option.match({
    onNone: () =>
      Either.left(ConfigError.MissingData(
        ["INSTANTLY_API_KEY"],
        "INSTANTLY_API_KEY is not set: set it to an API key of your Instantly workspace"
      )),
    onSome: (key) => Either.right(Redacted.make(key))
  }))
)

const defaultBaseUrlConfig: Config.Config<string | undefined> = Config.string("INSTANTLY_BASE_URL").pipe(
  Config.option,
  Config.map(Option.getOrUndefined)
)

/**
 * The API key checked (see `checkApiKey`) and trimmed, or a `ConfigError` at `path` that never shows
 * it. Errors of a config built from several are reported at no path, so the default one names its own.
 */
const validApiKey = (config: Config.Config<Redacted.Redacted<string>>, path: ReadonlyArray<string>) =>
  Config.mapOrFail(config, (key) =>
    Either.match(ClientConfig.checkApiKey(Redacted.value(key)), {
      onLeft: (problem) => Either.left(ConfigError.InvalidData([...path], `${path[0] ?? "the API key"} ${problem}`)),
      onRight: (trimmed) => Either.right(Redacted.make(trimmed))
    }))

/** The base URL checked (see `parseBaseUrl`), or a `ConfigError` at `path` saying what is wrong with it. */
const validBaseUrl = (config: Config.Config<string | undefined>, path: ReadonlyArray<string>) =>
  Config.mapOrFail(config, (url) =>
    Either.mapLeft(
      ClientConfig.parseBaseUrl(url),
      (problem) => ConfigError.InvalidData([...path], `${path[0] ?? "the base URL"} ${problem}`)
    ))

/**
 * One call to the API: the request (a path relative to the base URL) and the schema of a 2xx body.
 *
 * @since 0.1.0
 * @category Models
 */
export interface InstantlyRequest<A, I> {
  /** The operation's name, used in errors, spans and metrics, e.g. `"removeFromSubsequence"`. */
  readonly operation: string
  readonly request: HttpClientRequest.HttpClientRequest
  readonly response: Schema.Schema<A, I>
}

/**
 * Options of one call, over the client's own: what a request handler needs to bound a call.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Leads } from "effect-instantly"
 *
 * // A webhook handler that must answer within 5 s, whatever Retry-After Instantly sends.
 * const handle = (leadId: string) =>
 *   Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId, { timeout: "5 seconds" }))
 * ```
 *
 * @since 0.2.0
 * @category Models
 */
export interface RequestOptions {
  /**
   * The longest the whole call may take: every attempt, the waits between them and the wait for a
   * rate limiter slot. When it is over, the call fails with `InstantlyTransportError` (`reason:
   * "Timeout"`); a retry whose wait would end after it is not waited for: the call fails at once with
   * the error that would have been retried. Unset: no bound beyond the client's per-attempt timeout
   * and retries.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /** Retries of this call: `false` for one attempt, else these options over the client's. */
  readonly retry?: RetryPolicy.RetryOptions | false | undefined
  /** The rate limiter's lane: `"interactive"` (the default) or `"background"` (bulk work). */
  readonly priority?: RateLimiter.Priority | undefined
}

/**
 * The service: the configured `HttpClient` and `execute`, which sends a request and decodes its answer.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Service {
  /** The platform client with base URL, auth and JSON headers applied. */
  readonly httpClient: HttpClient.HttpClient
  /**
   * Sends the request under the client's policy (and `options` over it); a 2xx is decoded with
   * `response`, anything else becomes a tagged error.
   */
  readonly execute: <A, I>(
    request: InstantlyRequest<A, I>,
    options?: RequestOptions
  ) => Effect.Effect<A, InstantlyRequestError>
}

const decoders = new WeakMap<Schema.Schema.Any, (json: unknown) => Effect.Effect<unknown, ParseResult.ParseError>>()

/**
 * The decoder of a response schema, made once per schema: the fast decoder compiled from it (see
 * `internal/fastDecoder.ts`: the same value, about 20 times faster for a `Lead`), falling back to the
 * schema itself for anything it does not take, so failures are the schema's, word for word.
 */
const decoderFor = <A, I>(schema: Schema.Schema<A, I>): (json: unknown) => Effect.Effect<A, ParseResult.ParseError> => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    const slow = Schema.decodeUnknown(schema, { errors: "all" })
    const fast = FastDecoder.compile(schema)
    decoder = fast === undefined ? slow : (json) => {
      const value = fast(json)
      return value === FastDecoder.Invalid ? slow(json) : Effect.succeed(value)
    }
    decoders.set(schema, decoder)
  }
  return decoder as (json: unknown) => Effect.Effect<A, ParseResult.ParseError>
}

/** The first string `code` along an error's causes (`ECONNREFUSED`, `UND_ERR_SOCKET`, ...), and its message. */
const underlying = (cause: unknown): { readonly code?: string; readonly detail?: string } => {
  let detail: string | undefined
  let current = cause
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    const { code, message, errors } = current as { code?: unknown; message?: unknown; errors?: unknown }
    if (detail === undefined && typeof message === "string" && message !== "") detail = message
    if (typeof code === "string" && code !== "") {
      return { code, ...(typeof message === "string" && message !== "" ? { detail: message } : {}) }
    }
    // An AggregateError (every address of a host refused) carries its errors in `errors`.
    current = (current as { cause?: unknown }).cause ?? (Array.isArray(errors) ? errors[0] : undefined)
  }
  return detail === undefined ? {} : { detail }
}

/** The body was read already (a `transformClient` tap, say): a web `Response` then throws a `TypeError`. */
const bodyUnusable = (cause: unknown): boolean =>
  cause instanceof TypeError && /unusable|disturbed|locked|already (been )?(read|used|consumed)/i.test(cause.message)

const bodyAlreadyRead = "the response body could not be read: something else (a transformClient?) consumed it first"

/**
 * The tagged error of a failure of the platform's client: a body something else consumed is a
 * decode error (another attempt cannot help); anything else a transport error, keeping the
 * underlying code in `code` and in the message.
 */
const fromClientError = (info: RequestInfo, secret?: string) =>
(
  error: HttpClientError.HttpClientError
): InstantlyTransportError | InstantlyDecodeError => {
  if (error._tag === "ResponseError" && bodyUnusable(error.cause)) {
    return new InstantlyDecodeError({ ...info, status: error.response.status, message: bodyAlreadyRead })
  }
  // The transport kept the attempt's deadline and aborted the request when it passed.
  if (error._tag === "ResponseError" && error.cause instanceof ResponseTooLarge) {
    return new InstantlyDecodeError({
      ...info,
      status: error.response.status,
      message: `response body larger than ${error.cause.maxBytes} bytes (maxResponseBytes): not read further, ` +
        "the request was aborted"
    })
  }
  if (error.cause instanceof Deadline.DeadlineExceeded) {
    return new InstantlyTransportError({ ...info, reason: "Timeout", message: error.cause.message })
  }
  // Raised about a response whose body was already in: by a `transformClient`, not by the network.
  if (error._tag === "ResponseError" && isBuffered(error.response)) {
    return new InstantlyDecodeError({
      ...info,
      status: error.response.status,
      message: boundedMessage(`a transformClient failed on the response: ${error.message}`, { secret })
    })
  }
  const reason = error._tag === "RequestError" ? error.reason : "Transport"
  const { code, detail } = underlying(error.cause)
  const described = detail === undefined ? error.message : `${reason} error: ${detail}`
  const message = code === undefined || described.includes(code) ? described : `${described} (${code})`
  return new InstantlyTransportError({
    ...info,
    reason,
    message: boundedMessage(message, { secret }),
    ...(code === undefined ? {} : { code })
  })
}

/**
 * Reads a response's body as text: a transport error if the connection fails meanwhile, a decode
 * error if something else consumed it first.
 */
const readText = (
  response: HttpClientResponse.HttpClientResponse,
  info: RequestInfo,
  secret?: string
): Effect.Effect<string, InstantlyTransportError | InstantlyDecodeError> =>
  Effect.mapError(response.text, fromClientError(info, secret))

/** Turns a response whose body has been read into the decoded value (2xx) or the tagged error for its status. */
const interpret = <A, I>(
  response: HttpClientResponse.HttpClientResponse,
  body: string,
  schema: Schema.Schema<A, I>,
  info: RequestInfo,
  secret?: string
): Effect.Effect<A, InstantlyRequestError> => {
  const status = response.status
  if (status >= 200 && status < 300) {
    const parsed = parseBody(body)
    if ("problem" in parsed) return Effect.fail(new InstantlyDecodeError({ ...info, status, message: parsed.problem }))
    return Effect.mapError(
      decoderFor(schema)(parsed.json),
      (error) =>
        new InstantlyDecodeError({ ...info, status, message: describeDecodeFailure(parsed.json, error, secret) })
    )
  }
  return Effect.flatMap(
    Clock.currentTimeMillis,
    (now) => Effect.fail(fromStatus({ ...info, status, body, headers: response.headers, now, secret }))
  )
}

/**
 * Reads a response into the decoded value (2xx) or the tagged error for its status.
 *
 * @since 0.1.0
 * @category Utils
 */
export const handleResponse = <A, I>(
  response: HttpClientResponse.HttpClientResponse,
  schema: Schema.Schema<A, I>,
  info: RequestInfo,
  secret?: string
): Effect.Effect<A, InstantlyRequestError> =>
  Effect.flatMap(readText(response, info, secret), (body) => interpret(response, body, schema, info, secret))

/**
 * Redirects are never followed: `fetch` (under `FetchHttpClient`) follows them by default, turning a POST
 * into a GET to the `Location` that "succeeds" without removing anything. The other transports do not
 * follow them; a 3xx becomes `InstantlyRedirectError`.
 */
const manualRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.contextWithEffect((context: Context.Context<never>) => {
    const init: globalThis.RequestInit = Context.getOrElse(context, FetchHttpClient.RequestInit, () => ({}))
    return init.redirect === "manual"
      ? effect
      : Effect.provideService(effect, FetchHttpClient.RequestInit, { ...init, redirect: "manual" })
  })

/** Adds `authorization` to the header names the platform redacts in its spans, whatever the app set. */
const redactAuthorization = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> =>
  names.some((name) => typeof name === "string" && name.toLowerCase() === "authorization")
    ? names
    : [...names, "authorization"]

const always = () => true

/**
 * The platform's `http.client` span of a request: with a tracer installed, recorded with `authorization`
 * redacted whatever the app's redacted names; without one, not made at all, by a transport that decides
 * so itself (`spansItself`: `InstantlyHttpClient`) or else by turning it off for this request.
 */
const platformSpan = (spansItself: boolean) =>
<E, R>(
  response: Effect.Effect<HttpClientResponse.HttpClientResponse, E, R>
): Effect.Effect<HttpClientResponse.HttpClientResponse, E, R> =>
  Effect.withFiberRuntime((fiber) =>
    Tracing.isTracing(fiber)
      ? Effect.locallyWith(response, Headers.currentRedactedNames, redactAuthorization)
      : spansItself
      ? response
      : Effect.locally(response, HttpClient.currentTracerDisabledWhen, always)
  )

/**
 * The service tag. Build it with `InstantlyClient.layer({ apiKey })` or `InstantlyClient.layerConfig()`;
 * both need an `HttpClient` (e.g. `FetchHttpClient.layer`, `NodeHttpClient.layerUndici`, or a mock).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer, Redacted } from "effect"
 * import { InstantlyClient, Leads } from "effect-instantly"
 *
 * const InstantlyLive = Leads.Default.pipe(
 *   Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make("my-key") })),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category Tags
 */
export class InstantlyClient extends Context.Tag("effect-instantly/InstantlyClient")<InstantlyClient, Service>() {
  /**
   * Builds the service from the `HttpClient` in the context; an unusable `apiKey` or `baseUrl` is a
   * defect (`IllegalArgumentException`) naming the option, never showing the key.
   *
   * @since 0.1.0
   */
  static readonly make = (options: InstantlyClientOptions): Effect.Effect<Service, never, HttpClient.HttpClient> =>
    make(options)

  /**
   * A layer of the service from plain options; an unusable `apiKey` or `baseUrl` is a defect when
   * the layer is built (see `make`).
   *
   * @since 0.1.0
   */
  static readonly layer = (
    options: InstantlyClientOptions
  ): Layer.Layer<InstantlyClient, never, HttpClient.HttpClient> => Layer.effect(InstantlyClient, make(options))

  /**
   * A layer of the service from `Config`: `INSTANTLY_API_KEY` (required, redacted) and
   * `INSTANTLY_BASE_URL` (optional; empty means the default), unless other configs are passed. A key
   * or URL that is missing or unusable fails the layer with a `ConfigError` naming the variable.
   *
   * @since 0.1.0
   */
  static readonly layerConfig = (
    options: InstantlyClientConfigOptions = {}
  ): Layer.Layer<InstantlyClient, ConfigError.ConfigError, HttpClient.HttpClient> => {
    const { apiKey, baseUrl, ...rest } = options
    const configs = {
      apiKey: apiKey === undefined
        ? validApiKey(defaultApiKeyConfig, ["INSTANTLY_API_KEY"])
        : validApiKey(apiKey, []),
      baseUrl: baseUrl === undefined
        ? validBaseUrl(defaultBaseUrlConfig, ["INSTANTLY_BASE_URL"])
        : validBaseUrl(baseUrl, [])
    }
    return Layer.effect(
      InstantlyClient,
      Effect.flatMap(
        Config.all(configs),
        (config) => makeWith(config.apiKey, config.baseUrl, rest)
      )
    )
  }
}

/**
 * Builds the service from the `HttpClient` in the context. An unusable `apiKey` (empty, or with a
 * character a header cannot carry) or `baseUrl` (not an absolute `http:`/`https:` URL, or with
 * credentials or a fragment) is a defect naming the option; the key is never shown.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: InstantlyClientOptions): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.suspend(() => {
    const apiKey = ClientConfig.checkApiKey(Redacted.value(options.apiKey))
    if (Either.isLeft(apiKey)) return invalidOption(`apiKey ${apiKey.left}`)
    const baseUrl = ClientConfig.parseBaseUrl(options.baseUrl)
    if (Either.isLeft(baseUrl)) return invalidOption(`baseUrl ${baseUrl.left}`)
    return makeWith(Redacted.make(apiKey.right), baseUrl.right, options)
  })

const invalidOption = (message: string) => Effect.die(new Cause.IllegalArgumentException(`InstantlyClient: ${message}`))

/** Builds the service from a checked key and base URL. */
const makeWith = (
  apiKey: Redacted.Redacted<string>,
  baseUrl: ClientConfig.BaseUrl,
  options: Omit<InstantlyClientOptions, "apiKey" | "baseUrl">
): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    if (options.timeout !== undefined && options.timeout !== false) {
      // A zero or negative timeout (`Duration.decode` reads -1 and NaN as zero) would fail every attempt.
      const timeout = ClientConfig.positiveMillis(options.timeout)
      if (Either.isLeft(timeout)) return yield* invalidOption(`timeout ${timeout.left}`)
    }
    const maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes
    if (!Number.isInteger(maxResponseBytes) || maxResponseBytes <= 0) {
      return yield* invalidOption(
        `maxResponseBytes must be a positive integer (bytes), got ${ClientConfig.shown(maxResponseBytes)}`
      )
    }
    const hasUrlParams = baseUrl.urlParams.length > 0
    const transport = yield* HttpClient.HttpClient
    // InstantlyHttpClient: no platform span without a tracer, and the per-attempt deadline kept in the
    // transport; unless a transformClient stands between, whose own waits the deadline must bound too.
    const ownTransport = Deadline.isTransport(transport)
    // Authorization, Accept and User-Agent in one step (one new request and header set, not three).
    const headers = {
      authorization: `Bearer ${Redacted.value(apiKey)}`,
      accept: "application/json",
      "user-agent": userAgent
    }
    const base = transport.pipe(
      // undici's dispatch never follows a redirect; fetch is told not to.
      HttpClient.transformResponse(
        ownTransport ? platformSpan(true) : (effect) => manualRedirects(platformSpan(false)(effect))
      ),
      HttpClient.mapRequest((request) => {
        const sent = HttpClientRequest.setHeaders(HttpClientRequest.prependUrl(request, baseUrl.url), headers)
        return hasUrlParams
          ? HttpClientRequest.setUrlParams(sent, UrlParams.appendAll(baseUrl.urlParams, sent.urlParams))
          : sent
      })
    )
    const transformClient = options.transformClient ?? ((client: HttpClient.HttpClient) => client)
    const httpClient = transformClient(base)
    // Operations read the body before `transformClient` sees the response, so a tap that reads it
    // (in any form, on any transport) leaves it readable for decoding.
    const sending = transformClient(
      HttpClient.transformResponse(base, Effect.flatMap((response) => buffered(response, maxResponseBytes)))
    )
    const timed = withTimeout(
      options.timeout === false ? Duration.infinity : Duration.decode(options.timeout ?? defaultTimeout),
      ownTransport && options.transformClient === undefined
    )
    const limiter = options.rateLimit === false
      ? undefined
      : options.rateLimit?.limiter ??
        (options.rateLimit?.limits === undefined
          ? Option.getOrUndefined(yield* Effect.serviceOption(RateLimiter.RateLimiter))
          : undefined) ??
        (yield* RateLimiter.make(options.rateLimit))
    const secret = Redacted.value(apiKey)
    const retryOptions = options.retry === false ? undefined : options.retry ?? {}
    const policy = retryOptions === undefined ? undefined : RetryPolicy.make(retryOptions)
    // How long a 429 pauses the limiter: the same policy's numbers even when retries are off.
    const pausePolicy = policy ?? RetryPolicy.make()

    const execute = <A, I>(
      request: InstantlyRequest<A, I>,
      callOptions?: RequestOptions
    ): Effect.Effect<A, InstantlyRequestError> => {
      let checked: ClientConfig.CheckedRequestOptions | undefined
      if (callOptions !== undefined) {
        // The operations check these first, failing with `InstantlyInvalidInputError`; a direct caller's bad
        // option is a defect, but never a request sent.
        const options = ClientConfig.checkRequestOptions(callOptions)
        if (Either.isLeft(options)) {
          return Effect.die(new Cause.IllegalArgumentException(`InstantlyClient.execute: ${options.left}`))
        }
        checked = options.right
      }
      const info: RequestInfo = { method: request.request.method, path: request.request.url }
      const toError = fromClientError(info, secret)
      let attempts = 0
      const send = (n: number) =>
        withAttemptSpan(request.operation, n, timed(info), (onStatus) => {
          attempts = n
          return sending.execute(request.request).pipe(
            // A `transformClient` that judged the status (`HttpClient.filterStatusOk`): the answer is what
            // it would have been without it, the tagged error of that status.
            Effect.catchIf(
              (error) => error._tag === "ResponseError" && error.reason === "StatusCode" && isBuffered(error.response),
              (error) => Effect.succeed((error as HttpClientError.ResponseError).response)
            ),
            Effect.mapError(toError),
            // The status counts once the body is in: an attempt that times out reading it is a timeout.
            Effect.flatMap((response) =>
              Effect.matchEffect(readText(response, info, secret), {
                onFailure: (error) => {
                  if (error._tag === "InstantlyDecodeError") onStatus(response.status)
                  return Effect.fail(error)
                },
                onSuccess: (body) => {
                  onStatus(response.status)
                  return interpret(response, body, request.response, info, secret)
                }
              })
            )
          )
        })
      const priority = checked?.priority
      const acquireOptions = priority === undefined ? undefined : { priority }
      const callPolicy = checked?.retry === undefined
        ? policy
        : checked.retry === false
        ? undefined
        : RetryPolicy.make({ ...retryOptions, ...checked.retry })
      /** The attempts, each in a slot of the limiter (if any), retried by the call's policy (if any). */
      const run = (sendOne: (n: number) => Effect.Effect<A, InstantlyRequestError>, deadline?: number) => {
        const attempt = limiter === undefined
          ? sendOne
          : (n: number) => rateLimited(limiter, acquireOptions, request.operation, sendOne(n), pausePolicy, n)
        return callPolicy === undefined ? attempt(1) : retrying(callPolicy, request.operation, attempt, deadline)
      }
      const timeoutMillis = checked?.timeoutMillis
      if (timeoutMillis === undefined) return run(send)
      const callTimeout = () =>
        new InstantlyTransportError({
          ...info,
          reason: "Timeout",
          message: `No answer within ${Duration.format(Duration.millis(timeoutMillis))} (the call's timeout)` +
            (attempts === 0 ? "; nothing was sent: the rate limiter held the call back" : ""),
          attempts
        })
      return Effect.flatMap(Clock.currentTimeMillis, (start) => {
        const deadline = start + timeoutMillis
        // No attempt starts once the call's time is up (its slot came just then, say): nothing more is
        // sent, and the call's timer, due now, answers with the attempts made.
        const sendInTime = (n: number) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) => now >= deadline ? Effect.never : send(n))
        return run(sendInTime, deadline).pipe(timeoutFail(timeoutMillis, callTimeout))
      })
    }

    return { httpClient, execute } satisfies Service
  })

/**
 * How one attempt is bounded and placed: run `self` under `span` (when tracing), failing it as a
 * `"Timeout"` transport error when it takes longer than `timeout`. `fiber` runs the attempt, which
 * started at `now` on `clock`.
 */
type Timing = (info: RequestInfo) => <A, E>(
  self: Effect.Effect<A, E>,
  span: Tracer.Span | undefined,
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  clock: Clock.Clock,
  now: number
) => Effect.Effect<A, E | InstantlyTransportError>

/**
 * The per-attempt timeout: none when `timeout` is infinite; a deadline the transport keeps when it can
 * (`inTransport`: one timer per request, no fiber; the attempt's end withdraws it), else `timeoutFail`
 * (the attempt in a fiber of its own, interrupted when the time is up).
 */
const withTimeout = (timeout: Duration.Duration, inTransport: boolean): Timing => {
  const underSpan = <A, E>(self: Effect.Effect<A, E>, span: Tracer.Span | undefined) =>
    span === undefined ? self : Effect.withParentSpan(self, span)
  if (!Duration.isFinite(timeout)) return () => underSpan
  const millis = Duration.toMillis(timeout)
  const message = `No response within ${Duration.format(timeout)}`
  if (inTransport) {
    return () => (self, span, fiber, clock, now) => {
      Deadline.offer(fiber, { at: now + millis, clock, message })
      return underSpan(self, span)
    }
  }
  return (info) => {
    const onTimeout = () => new InstantlyTransportError({ ...info, reason: "Timeout", message })
    return (self, span) => timeoutFail(millis, onTimeout, span)(self)
  }
}

/**
 * Sends `self` in a slot of the rate limiter (recording any wait), holding the slot until the answer
 * is in; a 429 pauses the whole limiter, retries or not, for the server's `Retry-After` (at most
 * `maxRetryAfter`) or else the backoff delay of attempt `n`, so no fiber of this client hammers a
 * workspace that is limited.
 */
const rateLimited = <A>(
  limiter: RateLimiter.RateLimiter,
  acquireOptions: RateLimiter.AcquireOptions | undefined,
  operation: string,
  self: Effect.Effect<A, InstantlyRequestError>,
  policy: RetryPolicy.RetryPolicy,
  n: number
): Effect.Effect<A, InstantlyRequestError> =>
  Effect.scoped(Effect.flatMap(limiter.acquire(acquireOptions), (waited) => {
    const millis = Duration.toMillis(waited)
    const send = millis === 0 ? self : Effect.zipRight(Recording.recordRateLimiterWait(operation, millis), self)
    return Effect.tapError(send, (error) => {
      if (error._tag !== "InstantlyRateLimitError") return Effect.void
      const retryAfter = RetryPolicy.retryAfterMillis(error)
      const pause = retryAfter === undefined
        ? RetryPolicy.backoffMillis(policy, n, 0)
        : Math.min(retryAfter, policy.maxRetryAfterMillis)
      return limiter.pause(Duration.millis(pause))
    })
  }))

/** The status class of an attempt's outcome, as the `instantly_requests_total` metric tags it. */
const statusClass = (status: number, exit: Exit.Exit<unknown, InstantlyRequestError>): string => {
  if (status > 0) return `${Math.floor(status / 100)}xx`
  if (Exit.isSuccess(exit)) return "2xx"
  const error = Option.getOrUndefined(Cause.failureOption(exit.cause))
  if (error === undefined) return "interrupted"
  return error._tag === "InstantlyTransportError" && error.reason === "Timeout" ? "timeout" : "transport"
}

/**
 * Runs attempt number `n`, bounded by `timing`, and records its metrics; when tracing, in a span
 * `InstantlyClient.attempt` carrying the operation, the attempt number and the response status (or
 * `error.type` when no response came). `attempt` gets a callback for the status once a response came.
 */
const withAttemptSpan = <A>(
  operation: string,
  n: number,
  timing: ReturnType<Timing>,
  attempt: (onStatus: (status: number) => void) => Effect.Effect<A, InstantlyRequestError>
): Effect.Effect<A, InstantlyRequestError> =>
  Tracing.useSpan(
    "InstantlyClient.attempt",
    { kind: "client", attributes: { "instantly.operation": operation, "instantly.attempt": n } },
    (span) =>
      Effect.withFiberRuntime((fiber) => {
        const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
        const start = clock.unsafeCurrentTimeMillis()
        let status = 0
        const onStatus = (received: number) => {
          status = received
          span?.attribute("http.response.status_code", received)
        }
        return Effect.onExit(timing(attempt(onStatus), span, fiber, clock, start), (exit) => {
          Deadline.withdraw(fiber)
          const outcome = statusClass(status, exit)
          if (status === 0) span?.attribute("error.type", outcome)
          return Recording.recordRequest(operation, outcome, clock.unsafeCurrentTimeMillis() - start)
        })
      })
  )

/** What a retry log line says about the failure, e.g. `503 Service Unavailable` or `timeout`. */
const describeFailure = (error: InstantlyRequestError, reason: string): string =>
  error._tag === "InstantlyTransportError" ? reason : `${reason} ${statusText(Number(reason))}`

/**
 * Runs `attempt(1)`, and again after a delay while it fails with a retryable error and retries are
 * left, and the delay ends before `deadline` (epoch milliseconds on the clock), if any. The error
 * returned carries the number of attempts made.
 */
const retrying = <A>(
  policy: RetryPolicy.RetryPolicy,
  operation: string,
  attempt: (n: number) => Effect.Effect<A, InstantlyRequestError>,
  deadline?: number
): Effect.Effect<A, InstantlyRequestError> => {
  const loop = (n: number): Effect.Effect<A, InstantlyRequestError> =>
    Effect.catchAll(attempt(n), (error) => {
      const reason = RetryPolicy.retryReason(error)
      const retryAfter = RetryPolicy.retryAfterMillis(error)
      if (reason === undefined || n > policy.maxRetries || (retryAfter ?? 0) > policy.maxRetryAfterMillis) {
        return Effect.fail(withAttempts(error, n))
      }
      return Effect.randomWith((random) => random.next).pipe(
        Effect.flatMap((random) => {
          const delay = retryAfter ?? RetryPolicy.backoffMillis(policy, n, random)
          const why = retryAfter === undefined ? "backoff" : "Retry-After"
          return Effect.flatMap(Clock.currentTimeMillis, (now) => {
            if (deadline !== undefined && now + delay >= deadline) return Effect.fail(withAttempts(error, n))
            return Effect.logDebug(
              `effect-instantly: ${operation} failed with ${describeFailure(error, reason)}; ` +
                `attempt ${n + 1} of ${policy.maxRetries + 1} in ${delay} ms (${why})`
            ).pipe(
              Effect.annotateLogs({
                "instantly.operation": operation,
                "instantly.retry_reason": reason,
                "instantly.delay_ms": delay
              }),
              Effect.zipRight(Recording.recordRetry(operation, reason)),
              Effect.zipRight(Effect.sleep(Duration.millis(delay))),
              Effect.zipRight(loop(n + 1))
            )
          })
        })
      )
    })
  return loop(1)
}
