/**
 * A response whose body has been read into memory once, so that every reader (a `transformClient`
 * tap that logs it, then the client decoding it) can read it again, in any form, on every transport.
 *
 * @since 0.2.0
 * @internal
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Stream from "effect/Stream"

/** UTF-8, dropping a leading byte order mark (as `fetch` does, and Node's stream decoding does not). */
const decoder = new TextDecoder()

class BufferedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  private decoded: string | undefined = undefined

  constructor(readonly original: HttpClientResponse.HttpClientResponse, readonly bytes: Uint8Array) {
    super()
  }

  get request(): HttpClientRequest.HttpClientRequest {
    return this.original.request
  }
  get status() {
    return this.original.status
  }
  get headers() {
    return this.original.headers
  }
  get cookies() {
    return this.original.cookies
  }
  get remoteAddress() {
    return this.original.remoteAddress
  }
  get text(): Effect.Effect<string> {
    return Effect.sync(() => this.decoded ??= decoder.decode(this.bytes))
  }
  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => text === "" ? null : JSON.parse(text) as unknown,
        catch: (cause) => this.error(cause)
      }))
  }
  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }
  get arrayBuffer(): Effect.Effect<ArrayBuffer> {
    return Effect.sync(() => this.bytes.slice().buffer)
  }
  get stream(): Stream.Stream<Uint8Array> {
    return Stream.succeed(this.bytes)
  }
  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => new Response(this.bytes.slice(), { headers: this.headers }).formData(),
      catch: (cause) => this.error(cause)
    })
  }
  private error(cause: unknown) {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }
  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

/**
 * The key of what a transport's response that keeps its body has (`InstantlyHttpClient`'s): an effect
 * that completes once the whole body is in memory (failing as a read of it would), after which the
 * response serves it to any number of readers, in any form, as `BufferedResponse` does (text decoded
 * as UTF-8 without a byte order mark).
 *
 * @since 0.2.0
 * @category Symbols
 * @internal
 */
export const WholeBody: unique symbol = Symbol.for("effect-instantly/internal/bufferedResponse/WholeBody")

/**
 * The key of whether a response that keeps its body has it all in memory (see `KeepsBody`).
 *
 * @since 0.2.0
 * @category Symbols
 * @internal
 */
export const BodyIn: unique symbol = Symbol.for("effect-instantly/internal/bufferedResponse/BodyIn")

/**
 * A response that keeps its whole body once read (see `WholeBody`).
 *
 * @since 0.2.0
 * @category Models
 * @internal
 */
export interface KeepsBody {
  readonly [WholeBody]: Effect.Effect<void, HttpClientError.ResponseError>
  /** Whether the whole body is in memory already. */
  readonly [BodyIn]: boolean
}

const keepsBody = (response: HttpClientResponse.HttpClientResponse): response is
  & HttpClientResponse.HttpClientResponse
  & KeepsBody => WholeBody in response

/**
 * Whether the whole body of `response` is in memory (one `buffered` made, or a transport's that keeps
 * it): an error about it was raised after its body was in (by a `transformClient`), never by the network.
 *
 * @since 0.2.0
 * @internal
 */
export const isBuffered = (response: HttpClientResponse.HttpClientResponse): boolean =>
  response instanceof BufferedResponse || (keepsBody(response) && response[BodyIn])

/**
 * Reads the whole body of `response` (failing as the platform's read does) into a response that
 * serves it to any number of readers. A response that keeps its body itself (`KeepsBody`) is only
 * waited for: no copy.
 *
 * @since 0.2.0
 * @internal
 */
export const buffered = (
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.ResponseError> =>
  response instanceof BufferedResponse
    ? Effect.succeed(response)
    : keepsBody(response)
    ? Effect.as(response[WholeBody], response)
    : Effect.map(response.arrayBuffer, (body) => new BufferedResponse(response, new Uint8Array(body)))
