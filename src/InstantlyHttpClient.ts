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
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Fiber from "effect/Fiber"
import * as GlobalValue from "effect/GlobalValue"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { Agent, type Dispatcher, errors as UndiciErrors } from "undici"
import { BodyIn, ResponseTooLarge, WholeBody } from "./internal/bufferedResponse.js"
import { positiveMillis, shown } from "./internal/clientConfig.js"
import * as Deadline from "./internal/deadline.js"
import { isTracing } from "./internal/tracing.js"

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
 * undici `ClientDestroyedError`, code `UND_ERR_DESTROYED`) rather than holding the scope open. An
 * option that cannot make sense (`connections` not a positive integer, a duration that is not
 * positive and finite) is a defect (`IllegalArgumentException`) naming it and the value given.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const dispatcher = (options: Options = {}): Effect.Effect<Dispatcher, never, Scope.Scope> =>
  Effect.suspend(() => {
    const connections = options.connections ?? defaultOptions.connections
    if (!Number.isInteger(connections) || connections <= 0) {
      return invalidOption(`connections must be a positive integer, got ${shown(connections)}`)
    }
    const keepAliveTimeout = positiveMillis(options.keepAliveTimeout ?? defaultOptions.keepAliveTimeout)
    if (Either.isLeft(keepAliveTimeout)) return invalidOption(`keepAliveTimeout ${keepAliveTimeout.left}`)
    const connectTimeout = positiveMillis(options.connectTimeout ?? defaultOptions.connectTimeout)
    if (Either.isLeft(connectTimeout)) return invalidOption(`connectTimeout ${connectTimeout.left}`)
    return Effect.acquireRelease(
      Effect.sync(() =>
        new Agent({
          connections,
          keepAliveTimeout: keepAliveTimeout.right,
          connect: { timeout: connectTimeout.right }
        })
      ),
      (agent) => Effect.promise(() => agent.destroy())
    )
  })

const invalidOption = (message: string) =>
  Effect.die(new Cause.IllegalArgumentException(`InstantlyHttpClient: ${message}`))

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
 * - No timeouts of its own once connected: bound a request with `Effect.timeout`. Under `InstantlyClient`
 *   its per-attempt `timeout` is a timer here, one per request, that aborts the request (no fiber).
 * - Telemetry: with a tracer installed (other than Effect's default one, whose spans nobody reads),
 *   the platform's `http.client` span and W3C trace headers, as `HttpClient.make` makes them; without
 *   one, neither, and no `AbortController` per request either.
 * - The body, once read whole, is kept: it can be read again, in any form (text as UTF-8 without a
 *   byte order mark, as `fetch` decodes it).
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
export const make = (dispatcher: Dispatcher): HttpClient.HttpClient => {
  // With a tracer: the platform's own client, for its span, trace headers and interruptible responses.
  const traced = HttpClient.make((request, url, signal, fiber) =>
    dispatch(dispatcher, request, url, signal, false, fiber)
  )
  return Deadline.markTransport(HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (effect) =>
      Effect.flatMap(
        effect,
        (request) =>
          Effect.withFiberRuntime((fiber) =>
            isTracing(fiber) && !fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)(request)
              ? traced.execute(request)
              : untraced(dispatcher, request, fiber)
          )
      ),
    Effect.succeed
  ))
}

/**
 * A layer of `HttpClient` over an undici `Agent` with `options`, destroyed when the layer is released
 * (see `dispatcher`). An option that cannot make sense is a defect naming it when the layer is built.
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

/** The platform's `AbortController`s of requests sent under `HttpClient.withScope` (the platform's own map). */
const scopedRequests = GlobalValue.globalValue(
  "@effect/platform/HttpClient/scopedRequests",
  () => new WeakMap<HttpClientRequest.HttpClientRequest, AbortController>()
)

/**
 * A request without the platform's span: what `HttpClient.make` does with tracing off, without its
 * `AbortController` and response wrapper (the exchange aborts itself when its fiber is interrupted,
 * before the response or while its body is read), unless the request is scoped (`HttpClient.withScope`),
 * whose scope then aborts it.
 */
const untraced = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  fiber: Fiber.RuntimeFiber<unknown, unknown>
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> => {
  const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
  if (Either.isLeft(url)) {
    return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
  }
  const scoped = scopedRequests.get(request)
  return dispatch(dispatcher, request, url.right, scoped?.signal, scoped === undefined, fiber)
}

/**
 * Sends `request` to `url` with its body as undici takes it. `signal` (the platform's or a scope's)
 * aborts it; `abortOnInterrupt`: so does interrupting a read of its body. The deadline `fiber` offered
 * for it, if any, arms its timer.
 */
const dispatch = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: AbortSignal | undefined,
  abortOnInterrupt: boolean,
  fiber: Fiber.RuntimeFiber<unknown, unknown>
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> => {
  const deadline = Deadline.take(fiber)
  const target: Target = {
    dispatcher,
    origin: url.origin,
    path: url.pathname + url.search,
    signal,
    abortOnInterrupt,
    deadline
  }
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return send(target, request, null)
    case "Uint8Array":
      return send(target, request, body.body)
    case "Raw":
      return send(target, request, body.body as Body)
    case "FormData": {
      // Encoded by the platform's own `Response`, whose `FormData` this is (Node's built-in undici).
      const encoded = new Response(body.formData)
      return send(
        target,
        HttpClientRequest.setHeader(request, "content-type", encoded.headers.get("content-type")!),
        encoded.body as unknown as Body
      )
    }
    case "Stream":
      return Effect.flatMap(
        Stream.toAsyncIterableEffect(body.stream),
        (iterable) => send(target, request, iterable as unknown as Body)
      )
  }
}

/** Where a request goes and what may end it early. */
interface Target {
  readonly dispatcher: Dispatcher
  readonly origin: string
  readonly path: string
  readonly signal: AbortSignal | undefined
  readonly abortOnInterrupt: boolean
  readonly deadline: Deadline.Deadline | undefined
}

/** Unread body bytes beyond which the socket is paused until the body is read. */
const highWaterMark = 64 * 1024

const send = (
  target: Target,
  request: HttpClientRequest.HttpClientRequest,
  body: Body
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async((resume) => {
    const exchange = new Exchange(request, target, resume)
    target.dispatcher.dispatch({
      origin: target.origin,
      path: target.path,
      method: request.method,
      headers: request.headers,
      body,
      // No undici timers: the deadline (InstantlyClient's `timeout`) is one timer of ours, or none.
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
  /** Why it was aborted before undici started it (then `onRequestStart` aborts it with that). */
  abortedWith: Error | undefined = undefined
  response: UndiciResponse | undefined = undefined
  chunks: Array<Buffer> = []
  size = 0
  /** Set once the whole body is wanted (text, json, ...): no pausing then. */
  collecting = false
  /** The most body bytes collected before the request is aborted with `ResponseTooLarge`. */
  limit = Infinity
  error: unknown = undefined
  /** Readers waiting for chunks, the end or a failure. */
  waiters: Array<() => void> | undefined = undefined

  /** Cancels the deadline's timer. */
  cancelTimer: () => void = noop

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly target: Target,
    readonly resume: (
      effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>
    ) => void
  ) {
    const { deadline, signal } = target
    if (signal !== undefined) {
      if (signal.aborted) this.abortedWith = new UndiciErrors.RequestAbortedError()
      else signal.addEventListener("abort", this.onAbort)
    }
    if (deadline !== undefined) {
      this.cancelTimer = Deadline.startTimer(
        deadline.clock,
        deadline.at - deadline.clock.unsafeCurrentTimeMillis(),
        () => this.abort(new Deadline.DeadlineExceeded(deadline))
      )
    }
  }

  readonly onAbort = () => this.abort()

  /**
   * Aborts the request (interruption, the signal, or with `DeadlineExceeded` when the deadline passes).
   * A request undici has not started yet fails at once, with `reason` as the cause.
   */
  abort(reason: Error = new UndiciErrors.RequestAbortedError()) {
    if (this.state === Ended || this.state === Failed) return
    if (this.controller !== undefined) return this.controller.abort(reason)
    this.abortedWith ??= reason
    this.onResponseError(undefined, reason)
  }

  onRequestStart(controller: Dispatcher.DispatchController) {
    this.controller = controller
    if (this.abortedWith !== undefined) controller.abort(this.abortedWith)
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
    // Over the limit: stop receiving (the socket is closed) and drop what came.
    if (this.size > this.limit) {
      this.chunks = []
      return this.abort(new ResponseTooLarge(this.limit))
    }
    if (this.size >= highWaterMark && !this.collecting) controller.pause()
    this.wake()
  }

  onResponseEnd() {
    this.state = Ended
    this.settle()
    this.wake()
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error) {
    if (this.state === Ended || this.state === Failed) return
    const received = this.state === Receiving
    this.state = Failed
    this.error = error
    this.settle()
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

  /** The exchange is over: no timer, no listener. */
  settle() {
    this.cancelTimer()
    this.target.signal?.removeEventListener("abort", this.onAbort)
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

/** UTF-8 without a leading byte order mark, as `fetch` (and `BufferedResponse`) decode a body. */
const utf8 = new TextDecoder()

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
  private decoded: string | undefined = undefined
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
    return this.bytesUpTo(Infinity)
  }

  /**
   * The whole body, read once and kept; over `maxBytes` (by its `content-length`, at once, or as it
   * comes), the request is aborted and the read fails with `ResponseTooLarge` as the cause.
   */
  bytesUpTo(maxBytes: number): Effect.Effect<Buffer, HttpClientError.ResponseError> {
    return Effect.suspend(() => {
      if (this.collected !== undefined) return Effect.succeed(this.collected)
      if (this.streamed) return Effect.fail(failure(this, undefined, "the body was already read as a stream"))
      const exchange = this.exchange
      if (maxBytes < exchange.limit) {
        exchange.limit = maxBytes
        const declared = Number(this.rawHeaders["content-length"] ?? 0)
        if (declared > maxBytes || exchange.size > maxBytes) {
          exchange.chunks = []
          if (exchange.state === Ended) return Effect.fail(failure(this, new ResponseTooLarge(maxBytes)))
          exchange.abort(new ResponseTooLarge(maxBytes))
        }
      }
      exchange.collecting = true
      if (exchange.controller?.paused) exchange.controller.resume()
      return Effect.async<Buffer, HttpClientError.ResponseError>((resume) => {
        let cancel: Effect.Effect<void> | undefined
        const check = (): void => {
          if (exchange.state === Ended) resume(Effect.succeed(this.collect()))
          else if (exchange.state === Failed) resume(Effect.fail(failure(this, exchange.error)))
          else cancel = exchange.wait(check)
        }
        check()
        if (cancel === undefined) return
        // Interrupted while the body comes: stop waiting, and abort the request unless the caller's
        // signal governs it (the platform's wrapper with a tracer, or a scope).
        return exchange.target.abortOnInterrupt ? Effect.zipRight(cancel, Effect.sync(() => exchange.abort())) : cancel
      })
    })
  }

  /**
   * Completes once the whole body is in, every form then served from memory; over `maxBytes` the request
   * is aborted (see `bufferedResponse.ts`).
   */
  [WholeBody](maxBytes: number): Effect.Effect<void, HttpClientError.ResponseError> {
    return Effect.asVoid(this.bytesUpTo(maxBytes))
  }

  /** Whether the whole body is in memory (see `bufferedResponse.ts`). */
  get [BodyIn](): boolean {
    return this.collected !== undefined
  }

  private collect(): Buffer {
    if (this.collected !== undefined) return this.collected
    const chunks = this.exchange.take()
    return this.collected = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return decodeWith(this, (bytes) => this.decoded ??= utf8.decode(bytes))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return decodeWith(this, (bytes) => {
      const text = this.decoded ??= utf8.decode(bytes)
      return text === "" ? null : JSON.parse(text) as unknown
    })
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
      if (this.collected !== undefined) return Stream.succeed(this.collected)
      if (this.exchange.collecting || this.streamed) {
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
      const stream = Stream.repeatEffectChunkOption(pull)
      // Ended early (interrupted, or not read to the end): the rest of the body is not wanted.
      return exchange.target.abortOnInterrupt ? Stream.ensuring(stream, Effect.sync(() => exchange.abort())) : stream
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

const noop = (): void => {}
