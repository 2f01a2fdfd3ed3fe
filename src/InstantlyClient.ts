/**
 * The transport policy of effect-instantly: base URL, authentication, headers, retries, the
 * per-attempt timeout, the client-side rate limiter, and turning every response into a decoded
 * value or a tagged error.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Tracer from "effect/Tracer"
import {
  describeResponseParseError,
  fromStatus,
  InstantlyDecodeError,
  type InstantlyHttpError,
  InstantlyTransportError,
  type RequestInfo,
  statusText,
  withAttempts
} from "./InstantlyError.js"
import * as Recording from "./internal/metrics.js"
import { timeoutFail } from "./internal/timeout.js"
import * as RateLimiter from "./RateLimiter.js"
import * as RetryPolicy from "./RetryPolicy.js"
import { version } from "./version.js"

/**
 * Instantly's API server, the default `baseUrl`.
 *
 * @since 0.1.0
 * @category Constants
 */
export const defaultBaseUrl = "https://api.instantly.ai"

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
  /** The workspace's API key, sent as `Authorization: Bearer <key>`; never logged. */
  readonly apiKey: Redacted.Redacted<string>
  /** Where the API is, default `https://api.instantly.ai`; request paths are appended to it. */
  readonly baseUrl?: string | undefined
  /** A last word on the `HttpClient`, e.g. to add logging or a proxy, applied after ours. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /** Retries of transient failures (`defaultRetryOptions` unless set); `false` turns them off. */
  readonly retry?: RetryPolicy.RetryOptions | false | undefined
  /** How long one attempt may take before it fails as a `"Timeout"`, default 30 s; `false` for no limit. */
  readonly timeout?: Duration.DurationInput | false | undefined
  /** The client-side rate limiter (`defaultRateLimits` unless set); `false` turns it off. */
  readonly rateLimit?: RateLimiter.RateLimitOptions | false | undefined
}

/**
 * How long one attempt may take by default.
 *
 * @since 0.1.0
 * @category Constants
 */
export const defaultTimeout: Duration.Duration = Duration.seconds(30)

/**
 * Options of `InstantlyClient.layerConfig`: the key and base URL as `Config`s (by default
 * `INSTANTLY_API_KEY` and `INSTANTLY_BASE_URL`), the other options as plain values.
 *
 * @since 0.1.0
 * @category Models
 */
export interface InstantlyClientConfigOptions extends Omit<InstantlyClientOptions, "apiKey" | "baseUrl"> {
  readonly apiKey?: Config.Config<Redacted.Redacted<string>> | undefined
  readonly baseUrl?: Config.Config<string | undefined> | undefined
}

const defaultBaseUrlConfig: Config.Config<string | undefined> = Config.string("INSTANTLY_BASE_URL").pipe(
  Config.option,
  Config.map(Option.getOrUndefined)
)

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
 * What a request can fail with once it has been sent.
 *
 * @since 0.1.0
 * @category Errors
 */
export type InstantlyRequestError = InstantlyHttpError | InstantlyTransportError | InstantlyDecodeError

/**
 * The service: the configured `HttpClient` and `execute`, which sends a request and decodes its answer.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Service {
  /** The platform client with base URL, auth and JSON headers applied. */
  readonly httpClient: HttpClient.HttpClient
  /** Sends the request; a 2xx is decoded with `response`, anything else becomes a tagged error. */
  readonly execute: <A, I>(request: InstantlyRequest<A, I>) => Effect.Effect<A, InstantlyRequestError>
}

const decoders = new WeakMap<Schema.Schema.Any, (json: unknown) => Effect.Effect<unknown, ParseResult.ParseError>>()
const decoderFor = <A, I>(schema: Schema.Schema<A, I>): (json: unknown) => Effect.Effect<A, ParseResult.ParseError> => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    decoder = Schema.decodeUnknown(schema, { errors: "all" })
    decoders.set(schema, decoder)
  }
  return decoder as (json: unknown) => Effect.Effect<A, ParseResult.ParseError>
}

const notJson: unique symbol = Symbol("notJson")
const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body)
  } catch {
    return notJson
  }
}

const fromClientError = (info: RequestInfo) => (error: HttpClientError.HttpClientError): InstantlyTransportError =>
  new InstantlyTransportError({
    ...info,
    reason: error._tag === "RequestError" ? error.reason : "Transport",
    message: error.message
  })

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
  Effect.flatMap(
    Effect.mapError(response.text, fromClientError(info)),
    (body): Effect.Effect<A, InstantlyRequestError> => {
      const status = response.status
      if (status >= 200 && status < 300) {
        const json = parseJson(body)
        if (json === notJson) {
          const message = body === "" ? "body is empty" : `body is not JSON (${body.length} characters)`
          return Effect.fail(new InstantlyDecodeError({ ...info, status, message }))
        }
        return Effect.mapError(
          decoderFor(schema)(json),
          (error) => new InstantlyDecodeError({ ...info, status, message: describeResponseParseError(error) })
        )
      }
      return Effect.flatMap(
        Clock.currentTimeMillis,
        (now) => Effect.fail(fromStatus({ ...info, status, body, headers: response.headers, now, secret }))
      )
    }
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
   * Builds the service from the `HttpClient` in the context.
   *
   * @since 0.1.0
   */
  static readonly make = (options: InstantlyClientOptions): Effect.Effect<Service, never, HttpClient.HttpClient> =>
    make(options)

  /**
   * A layer of the service from plain options.
   *
   * @since 0.1.0
   */
  static readonly layer = (
    options: InstantlyClientOptions
  ): Layer.Layer<InstantlyClient, never, HttpClient.HttpClient> => Layer.effect(InstantlyClient, make(options))

  /**
   * A layer of the service from `Config`: `INSTANTLY_API_KEY` (required, redacted) and
   * `INSTANTLY_BASE_URL` (optional), unless other configs are passed.
   *
   * @since 0.1.0
   */
  static readonly layerConfig = (
    options: InstantlyClientConfigOptions = {}
  ): Layer.Layer<InstantlyClient, ConfigError.ConfigError, HttpClient.HttpClient> => {
    const { apiKey = Config.redacted("INSTANTLY_API_KEY"), baseUrl = defaultBaseUrlConfig, ...rest } = options
    return Layer.effect(
      InstantlyClient,
      Effect.flatMap(Config.all({ apiKey, baseUrl }), (config) => make({ ...rest, ...config }))
    )
  }
}

/**
 * Builds the service from the `HttpClient` in the context.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: InstantlyClientOptions): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const baseUrl = (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, "")
    const httpClient = (yield* HttpClient.HttpClient).pipe(
      HttpClient.mapRequest((request) =>
        request.pipe(
          HttpClientRequest.prependUrl(baseUrl),
          HttpClientRequest.bearerToken(options.apiKey),
          HttpClientRequest.acceptJson,
          HttpClientRequest.setHeader("user-agent", userAgent)
        )
      ),
      options.transformClient ?? ((client) => client)
    )
    const timed = withTimeout(
      options.timeout === false ? Duration.infinity : Duration.decode(options.timeout ?? defaultTimeout)
    )
    const limiter = options.rateLimit === false
      ? undefined
      : options.rateLimit?.limiter ?? (yield* RateLimiter.make(options.rateLimit))
    const secret = Redacted.value(options.apiKey)
    const policy = options.retry === false ? undefined : RetryPolicy.make(options.retry)
    // How long a 429 pauses the limiter: the same policy's numbers even when retries are off.
    const pausePolicy = policy ?? RetryPolicy.make()

    const execute = <A, I>(request: InstantlyRequest<A, I>): Effect.Effect<A, InstantlyRequestError> => {
      const info: RequestInfo = { method: request.request.method, path: request.request.url }
      const send = (n: number) =>
        withAttemptSpan(request.operation, n, (span, onStatus) =>
          httpClient.execute(request.request).pipe(
            Effect.mapError(fromClientError(info)),
            Effect.flatMap((response) => {
              onStatus(response.status)
              return handleResponse(response, request.response, info, secret)
            }),
            timed(info, span)
          ))
      const attempt = limiter === undefined
        ? send
        : (n: number) => rateLimited(limiter, request.operation, send(n), pausePolicy, n)
      return policy === undefined ? attempt(1) : retrying(policy, request.operation, attempt)
    }

    return { httpClient, execute } satisfies Service
  })

/**
 * Runs an attempt under its span, failing it as a `"Timeout"` transport error when it takes longer
 * than `timeout`.
 */
const withTimeout = (
  timeout: Duration.Duration
): (
  info: RequestInfo,
  span: Tracer.Span
) => <A, E>(self: Effect.Effect<A, E>) => Effect.Effect<A, E | InstantlyTransportError> => {
  if (!Duration.isFinite(timeout)) return (_, span) => Effect.withParentSpan(span)
  const millis = Duration.toMillis(timeout)
  const message = `No response within ${Duration.format(timeout)}`
  return (info, span) =>
    timeoutFail(millis, () => new InstantlyTransportError({ ...info, reason: "Timeout", message }), span)
}

/**
 * Waits for a slot in the rate limiter (recording any wait) before `self` is sent; a 429 pauses the
 * whole limiter, retries or not, for the server's `Retry-After` (at most `maxRetryAfter`) or else the
 * backoff delay of attempt `n`, so no fiber of this client hammers a workspace that is limited.
 */
const rateLimited = <A>(
  limiter: RateLimiter.RateLimiter,
  operation: string,
  self: Effect.Effect<A, InstantlyRequestError>,
  policy: RetryPolicy.RetryPolicy,
  n: number
): Effect.Effect<A, InstantlyRequestError> =>
  Effect.flatMap(limiter.acquire, (waited) => {
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
  })

/** The status class of an attempt's outcome, as the `instantly_requests_total` metric tags it. */
const statusClass = (status: number, exit: Exit.Exit<unknown, InstantlyRequestError>): string => {
  if (status > 0) return `${Math.floor(status / 100)}xx`
  if (Exit.isSuccess(exit)) return "2xx"
  const error = Option.getOrUndefined(Cause.failureOption(exit.cause))
  if (error === undefined) return "interrupted"
  return error._tag === "InstantlyTransportError" && error.reason === "Timeout" ? "timeout" : "transport"
}

/**
 * Runs attempt number `n` in a span `InstantlyClient.attempt` carrying the operation, the attempt
 * number and the response status (or `error.type` when no response came), and records its metrics.
 * `attempt` gets the span, to run under it, and a callback for the status once a response came.
 */
const withAttemptSpan = <A>(
  operation: string,
  n: number,
  attempt: (span: Tracer.Span, onStatus: (status: number) => void) => Effect.Effect<A, InstantlyRequestError>
): Effect.Effect<A, InstantlyRequestError> =>
  Effect.clockWith((clock) =>
    Effect.useSpan(
      "InstantlyClient.attempt",
      {
        kind: "client",
        captureStackTrace: false,
        attributes: { "instantly.operation": operation, "instantly.attempt": n }
      },
      (span) => {
        const start = clock.unsafeCurrentTimeMillis()
        let status = 0
        const onStatus = (received: number) => {
          status = received
          span.attribute("http.response.status_code", received)
        }
        return Effect.onExit(attempt(span, onStatus), (exit) => {
          const outcome = statusClass(status, exit)
          if (status === 0) span.attribute("error.type", outcome)
          return Recording.recordRequest(operation, outcome, clock.unsafeCurrentTimeMillis() - start)
        })
      }
    )
  )

/** What a retry log line says about the failure, e.g. `503 Service Unavailable` or `timeout`. */
const describeFailure = (error: InstantlyRequestError, reason: string): string =>
  error._tag === "InstantlyTransportError" ? reason : `${reason} ${statusText(Number(reason))}`

/**
 * Runs `attempt(1)`, and again after a delay while it fails with a retryable error and retries are
 * left. The error returned carries the number of attempts made.
 */
const retrying = <A>(
  policy: RetryPolicy.RetryPolicy,
  operation: string,
  attempt: (n: number) => Effect.Effect<A, InstantlyRequestError>
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
      )
    })
  return loop(1)
}
