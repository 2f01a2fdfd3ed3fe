/**
 * A fast `HttpClient` for Node.js, over undici's `Dispatcher.dispatch`: the transport to use under
 * `InstantlyClient` (or any other code that needs an `HttpClient`) on Node. It is built on
 * `HttpClient.make`, so the platform's `http.client` span and W3C trace propagation apply as with
 * `NodeHttpClient` and `FetchHttpClient`, which keep working unchanged.
 *
 * @since 0.2.0
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { Agent, type Dispatcher, errors as UndiciErrors } from "undici"

/**
 * Options of `InstantlyHttpClient.layerWith`, all with defaults (`defaultOptions`).
 *
 * @since 0.2.0
 * @category Models
 */
export interface Options {
  /** The most sockets open at once to one origin (scheme, host and port); more requests queue. Default 100. */
  readonly connections?: number | undefined
  /**
   * How long an idle socket is kept for reuse, default 4 seconds. A server's `Keep-Alive: timeout=...`
   * hint takes precedence (up to 10 minutes), as undici does.
   */
  readonly keepAliveTimeout?: Duration.DurationInput | undefined
  /** How long opening a connection (TCP, and TLS for `https`) may take, default 10 seconds. */
  readonly connectTimeout?: Duration.DurationInput | undefined
}

/**
 * The options `InstantlyHttpClient.layer` uses.
 *
 * @since 0.2.0
 * @category Constants
 */
export const defaultOptions: {
  readonly connections: number
  readonly keepAliveTimeout: Duration.Duration
  readonly connectTimeout: Duration.Duration
} = {
  connections: 100,
  keepAliveTimeout: Duration.seconds(4),
  connectTimeout: Duration.seconds(10)
}

/**
 * An undici `Agent` (one connection pool per origin) with `options`, destroyed when `scope` closes:
 * requests still in flight then fail at once with a `RequestError` (`"Transport"`, its `cause` an
 * undici `ClientDestroyedError`, code `UND_ERR_DESTROYED`) rather than holding the scope open.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const dispatcher = (options: Options = {}): Effect.Effect<Dispatcher, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() =>
      new Agent({
        connections: options.connections ?? defaultOptions.connections,
        keepAliveTimeout: Duration.toMillis(options.keepAliveTimeout ?? defaultOptions.keepAliveTimeout),
        connect: { timeout: Duration.toMillis(options.connectTimeout ?? defaultOptions.connectTimeout) }
      })
    ),
    (agent) => Effect.promise(() => agent.destroy())
  )

/**
 * An `HttpClient` that sends its requests through `dispatcher` (any undici `Dispatcher`: an `Agent`, a
 * `Pool`, a `ProxyAgent`, a `MockAgent`). The caller owns the dispatcher and closes it.
 *
 * - Request bodies: empty, `Uint8Array`, raw (a string, `Buffer`, Node `Readable` or async iterable),
 *   `FormData` and `Stream`.
 * - Interrupting a request aborts it (its socket is closed, not returned to the pool), before or after
 *   the response headers came.
 * - Failures: `RequestError` when no response came (`"Transport"`: connection refused or reset, DNS,
 *   connect timeout; `"Encode"`: headers or a body undici refuses to send), `ResponseError` with
 *   `"Decode"` when the body breaks off. The `cause` is undici's or Node's error, with its `code`
 *   (`ECONNREFUSED`, `UND_ERR_SOCKET`, `UND_ERR_CONNECT_TIMEOUT`, ...).
 * - No timeouts of its own once connected: bound a request with `Effect.timeout` (or `InstantlyClient`'s
 *   `timeout` option).
 *
 * @example
 * ```ts
 * import { HttpClientRequest } from "@effect/platform"
 * import { Effect } from "effect"
 * import { InstantlyHttpClient } from "effect-instantly/node"
 *
 * const status = Effect.gen(function*() {
 *   const agent = yield* InstantlyHttpClient.dispatcher({ connections: 10 })
 *   const client = InstantlyHttpClient.make(agent)
 *   const response = yield* client.execute(HttpClientRequest.get("https://api.instantly.ai/"))
 *   return response.status
 * }).pipe(Effect.scoped)
 * ```
 *
 * @since 0.2.0
 * @category Constructors
 */
export const make = (dispatcher: Dispatcher): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) => {
    const path = url.pathname + url.search
    const body = request.body
    switch (body._tag) {
      case "Empty":
        return send(dispatcher, request, url.origin, path, signal, null)
      case "Uint8Array":
        return send(dispatcher, request, url.origin, path, signal, body.body)
      case "Raw":
        return send(dispatcher, request, url.origin, path, signal, body.body as Body)
      case "FormData": {
        // Encoded by the platform's own `Response`, whose `FormData` this is (Node's built-in undici).
        const encoded = new Response(body.formData)
        return send(
          dispatcher,
          HttpClientRequest.setHeader(request, "content-type", encoded.headers.get("content-type")!),
          url.origin,
          path,
          signal,
          encoded.body as unknown as Body
        )
      }
      case "Stream":
        return Effect.flatMap(
          Stream.toAsyncIterableEffect(body.stream),
          (iterable) => send(dispatcher, request, url.origin, path, signal, iterable as unknown as Body)
        )
    }
  })

/**
 * A layer of `HttpClient` over an undici `Agent` with `options`, destroyed when the layer is released
 * (see `dispatcher`).
 *
 * @example
 * ```ts
 * import { Layer, Redacted } from "effect"
 * import { InstantlyClient, Leads } from "effect-instantly"
 * import { InstantlyHttpClient } from "effect-instantly/node"
 *
 * const InstantlyLive = Leads.Default.pipe(
 *   Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make("my-key") })),
 *   Layer.provide(InstantlyHttpClient.layerWith({ connections: 20, keepAliveTimeout: "10 seconds" }))
 * )
 * ```
 *
 * @since 0.2.0
 * @category Layers
 */
export const layerWith = (options: Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, Effect.map(dispatcher(options), make))

/**
 * A layer of `HttpClient` over an undici `Agent` with the `defaultOptions`, destroyed when the layer
 * is released (see `dispatcher`).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { InstantlyClient, Leads } from "effect-instantly"
 * import { InstantlyHttpClient } from "effect-instantly/node"
 *
 * const InstantlyLive = Leads.Default.pipe(
 *   Layer.provide(InstantlyClient.layerConfig()),
 *   Layer.provide(InstantlyHttpClient.layer)
 * )
 * ```
 *
 * @since 0.2.0
 * @category Layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith({})

// -----------------------------------------------------------------------------
// Internals
// -----------------------------------------------------------------------------

/** What undici sends as a request body. */
type Body = Exclude<Dispatcher.DispatchOptions["body"], undefined>

/** Unread body bytes beyond which the socket is paused until the body is read. */
const highWaterMark = 64 * 1024

const send = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  origin: string,
  path: string,
  signal: AbortSignal,
  body: Body
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async((resume) => {
    const exchange = new Exchange(request, signal, resume)
    dispatcher.dispatch({
      origin,
      path,
      method: request.method,
      headers: request.headers,
      body,
      // No timers per request: timeouts are the caller's (Effect.timeout, InstantlyClient's `timeout`).
      headersTimeout: 0,
      bodyTimeout: 0
    }, exchange)
    return Effect.sync(() => exchange.abort())
  })

/** Where an exchange is: no response yet, receiving the body, done, or failed. */
const Waiting = 0
const Receiving = 1
const Ended = 2
const Failed = 3
type State = typeof Waiting | typeof Receiving | typeof Ended | typeof Failed

/**
 * One request and its response: undici's handler, and the response body's buffer. Chunks are kept
 * until the body is read; past `highWaterMark` unread bytes the socket is paused.
 */
class Exchange implements Dispatcher.DispatchHandler {
  state: State = Waiting
  controller: Dispatcher.DispatchController | undefined = undefined
  aborted = false
  response: UndiciResponse | undefined = undefined
  chunks: Array<Buffer> = []
  size = 0
  /** Set once the whole body is wanted (text, json, ...): no pausing then. */
  collecting = false
  error: unknown = undefined
  /** Readers waiting for chunks, the end or a failure. */
  waiters: Array<() => void> | undefined = undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly signal: AbortSignal,
    readonly resume: (
      effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>
    ) => void
  ) {
    if (signal.aborted) this.aborted = true
    else signal.addEventListener("abort", this.onAbort)
  }

  readonly onAbort = () => this.abort()

  abort() {
    if (this.state === Ended || this.state === Failed) return
    this.aborted = true
    this.controller?.abort(new UndiciErrors.RequestAbortedError())
  }

  onRequestStart(controller: Dispatcher.DispatchController) {
    this.controller = controller
    if (this.aborted) controller.abort(new UndiciErrors.RequestAbortedError())
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | Array<string> | undefined>
  ) {
    if (statusCode < 200) return // 1xx: informational, the response follows
    this.state = Receiving
    this.response = new UndiciResponse(this, statusCode, headers)
    this.resume(Effect.succeed(this.response))
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer) {
    this.chunks.push(chunk)
    this.size += chunk.length
    if (this.size >= highWaterMark && !this.collecting) controller.pause()
    this.wake()
  }

  onResponseEnd() {
    this.state = Ended
    this.signal.removeEventListener("abort", this.onAbort)
    this.wake()
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error) {
    const received = this.state === Receiving
    this.state = Failed
    this.error = error
    this.signal.removeEventListener("abort", this.onAbort)
    if (received) return this.wake()
    this.resume(Effect.fail(
      new HttpClientError.RequestError({
        request: this.request,
        reason: this.controller === undefined && error instanceof UndiciErrors.InvalidArgumentError
          ? "Encode"
          : "Transport",
        cause: error,
        description: error.message
      })
    ))
  }

  wake() {
    const waiters = this.waiters
    if (waiters !== undefined) {
      this.waiters = undefined
      for (const waiter of waiters) waiter()
    }
  }

  /** Calls `waiter` once chunks arrive or the body ends or fails; the effect returned cancels that. */
  wait(waiter: () => void): Effect.Effect<void> {
    ;(this.waiters ??= []).push(waiter)
    return Effect.sync(() => {
      const index = this.waiters?.indexOf(waiter) ?? -1
      if (index >= 0) this.waiters!.splice(index, 1)
    })
  }

  /** Takes the chunks received so far, resuming a paused socket. */
  take(): Array<Buffer> {
    const chunks = this.chunks
    this.chunks = []
    this.size = 0
    if (this.controller?.paused) this.controller.resume()
    return chunks
  }
}

const failure = (response: UndiciResponse, cause: unknown, description?: string) =>
  new HttpClientError.ResponseError({
    request: response.request,
    response,
    reason: "Decode",
    cause,
    ...(description === undefined ? {} : { description })
  })

const decodeWith = <A>(
  response: UndiciResponse,
  f: (bytes: Buffer) => A
): Effect.Effect<A, HttpClientError.ResponseError> =>
  Effect.flatMap(response.bytes, (bytes) =>
    Effect.try({
      try: () => f(bytes),
      catch: (cause) => failure(response, cause)
    }))

/** The response: status and headers at once, the body as it arrives. */
class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private cachedHeaders: Headers.Headers | undefined = undefined
  private cachedCookies: Cookies.Cookies | undefined = undefined
  private collected: Buffer | undefined = undefined
  private streamed = false

  constructor(
    readonly exchange: Exchange,
    readonly status: number,
    readonly rawHeaders: Record<string, string | Array<string> | undefined>
  ) {
    super()
  }

  get request(): HttpClientRequest.HttpClientRequest {
    return this.exchange.request
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(this.rawHeaders)
  }

  get cookies(): Cookies.Cookies {
    if (this.cachedCookies !== undefined) return this.cachedCookies
    const header = this.rawHeaders["set-cookie"]
    return this.cachedCookies = header === undefined
      ? Cookies.empty
      : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  /** The whole body, read once and kept. */
  get bytes(): Effect.Effect<Buffer, HttpClientError.ResponseError> {
    return Effect.suspend(() => {
      if (this.collected !== undefined) return Effect.succeed(this.collected)
      if (this.streamed) return Effect.fail(failure(this, undefined, "the body was already read as a stream"))
      const exchange = this.exchange
      exchange.collecting = true
      if (exchange.controller?.paused) exchange.controller.resume()
      return Effect.async<Buffer, HttpClientError.ResponseError>((resume) => {
        const check = (): Effect.Effect<void> | undefined => {
          if (exchange.state === Ended) resume(Effect.succeed(this.collect()))
          else if (exchange.state === Failed) resume(Effect.fail(failure(this, exchange.error)))
          else return exchange.wait(check)
        }
        return check()
      })
    })
  }

  private collect(): Buffer {
    if (this.collected !== undefined) return this.collected
    const chunks = this.exchange.take()
    return this.collected = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return decodeWith(this, (bytes) => bytes.toString("utf8"))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return decodeWith(this, (bytes) => bytes.length === 0 ? null : JSON.parse(bytes.toString("utf8")) as unknown)
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return decodeWith(
      this,
      (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    )
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return decodeWith(this, (bytes) => UrlParams.fromInput(new URLSearchParams(bytes.toString("utf8"))))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.bytes, (bytes) =>
      Effect.tryPromise({
        try: () => new Response(bytes, { headers: { "content-type": this.headers["content-type"] ?? "" } }).formData(),
        catch: (cause) => failure(this, cause)
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.suspend(() => {
      if (this.collected !== undefined || this.exchange.collecting || this.streamed) {
        return Stream.fail(failure(this, undefined, "the body was already read"))
      }
      this.streamed = true
      const exchange = this.exchange
      const pull: Effect.Effect<Chunk.Chunk<Uint8Array>, Option.Option<HttpClientError.ResponseError>> = Effect
        .suspend(() => {
          if (exchange.chunks.length > 0) return Effect.succeed(Chunk.unsafeFromArray(exchange.take()))
          if (exchange.state === Ended) return Effect.fail(Option.none())
          if (exchange.state === Failed) return Effect.fail(Option.some(failure(this, exchange.error)))
          return Effect.async<Chunk.Chunk<Uint8Array>, Option.Option<HttpClientError.ResponseError>>((resume) =>
            exchange.wait(() => resume(pull))
          )
        })
      return Stream.repeatEffectChunkOption(pull)
    })
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}
