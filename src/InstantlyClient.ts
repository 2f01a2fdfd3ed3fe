/**
 * The transport policy of effect-instantly: base URL, authentication, headers, and turning
 * every response into a decoded value or a tagged error.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import {
  describeParseError,
  fromStatus,
  InstantlyDecodeError,
  type InstantlyHttpError,
  InstantlyTransportError,
  type RequestInfo
} from "./InstantlyError.js"
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
}

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

const decoders = new WeakMap<Schema.Schema.Any, (body: string) => Effect.Effect<unknown, ParseResult.ParseError>>()
const decoderFor = <A, I>(schema: Schema.Schema<A, I>): (body: string) => Effect.Effect<A, ParseResult.ParseError> => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    decoder = Schema.decodeUnknown(Schema.parseJson(schema))
    decoders.set(schema, decoder)
  }
  return decoder as (body: string) => Effect.Effect<A, ParseResult.ParseError>
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
  info: RequestInfo
): Effect.Effect<A, InstantlyRequestError> =>
  Effect.flatMap(
    Effect.mapError(response.text, fromClientError(info)),
    (body): Effect.Effect<A, InstantlyRequestError> => {
      const status = response.status
      if (status >= 200 && status < 300) {
        return Effect.mapError(
          decoderFor(schema)(body),
          (error) => new InstantlyDecodeError({ ...info, status, message: describeParseError(error) })
        )
      }
      return Effect.flatMap(
        Clock.currentTimeMillis,
        (now) => Effect.fail(fromStatus({ ...info, status, body, headers: response.headers, now }))
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

    const execute = <A, I>(request: InstantlyRequest<A, I>): Effect.Effect<A, InstantlyRequestError> => {
      const info: RequestInfo = { method: request.request.method, path: request.request.url }
      return httpClient.execute(request.request).pipe(
        Effect.mapError(fromClientError(info)),
        Effect.flatMap((response) => handleResponse(response, request.response, info))
      )
    }

    return { httpClient, execute } satisfies Service
  })
