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
 * The key of what a transport's response that keeps its body has (`InstantlyHttpClient`'s): given
 * `maxBytes`, an effect that completes once the whole body is in memory (failing as a read of it would),
 * after which the response serves it to any number of readers, in any form, as `BufferedResponse` does
 * (text decoded as UTF-8 without a byte order mark). Over `maxBytes` the transport stops receiving,
 * aborts the request and fails with `ResponseTooLarge` as the cause.
 *
 * @since 0.2.0
 * @category Symbols
 * @internal
 */
export const WholeBody: unique symbol = Symbol.for("effect-instantly/internal/bufferedResponse/WholeBody")

/**
 * The cause of the `ResponseError` of a body larger than the client reads (`maxResponseBytes`).
 *
 * @since 0.2.0
 * @category Errors
 * @internal
 */
export class ResponseTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`response body larger than ${maxBytes} bytes`)
    this.name = "ResponseTooLarge"
  }
}

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
  readonly [WholeBody]: (maxBytes: number) => Effect.Effect<void, HttpClientError.ResponseError>
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
 * waited for: no copy. A body over `maxBytes` is not read further: the read fails with a
 * `ResponseError` (`"Decode"`) whose cause is `ResponseTooLarge`, having ended the body's stream (which
 * aborts the request on the platform's clients), or, for a transport that keeps the body, having had
 * it stop receiving.
 *
 * @since 0.2.0
 * @internal
 */
export const buffered = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number = Infinity
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.ResponseError> => {
  if (response instanceof BufferedResponse) return Effect.succeed(response)
  if (keepsBody(response)) return Effect.as(response[WholeBody](maxBytes), response)
  if (maxBytes === Infinity || (declaredLength(response) ?? Infinity) <= maxBytes) {
    return Effect.map(response.arrayBuffer, (body) => new BufferedResponse(response, new Uint8Array(body)))
  }
  return Effect.map(readUpTo(response, maxBytes), (body) => new BufferedResponse(response, body))
}

/**
 * The length an uncompressed body declares in `content-length`, if it does. The transport delivers no
 * more than that (HTTP/1.1 framing), so a body declared within the cap is read whole at once.
 */
const declaredLength = (response: HttpClientResponse.HttpClientResponse): number | undefined => {
  const encoding = response.headers["content-encoding"]
  const length = response.headers["content-length"]
  return (encoding === undefined || encoding === "identity") && length !== undefined && /^\d+$/.test(length)
    ? Number(length)
    : undefined
}

/**
 * The body of `response`, read as a stream, chunk by chunk, failing as soon as it is over `maxBytes`
 * (at once when an uncompressed body says so in `content-length`): the stream then ends, and the
 * platform's clients abort the request.
 */
const readUpTo = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<Uint8Array, HttpClientError.ResponseError> =>
  Effect.suspend(() => {
    const declared = declaredLength(response) ?? 0
    const tooLarge = () =>
      new HttpClientError.ResponseError({
        request: response.request,
        response,
        reason: "Decode",
        cause: new ResponseTooLarge(maxBytes),
        description: `response body larger than ${maxBytes} bytes`
      })
    const chunks: Array<Uint8Array> = []
    let size = 0
    const read = Stream.runForEachChunk(response.stream, (chunk) => {
      for (const bytes of chunk) {
        size += bytes.length
        if (size > maxBytes || declared > maxBytes) return Effect.fail(tooLarge())
        chunks.push(bytes)
      }
      return Effect.void
    })
    return read.pipe(
      // `fromWeb` has no stream for a response without a body: that is an empty body.
      Effect.catchIf((error) => error.reason === "EmptyBody", () => Effect.void),
      Effect.map(() => {
        if (chunks.length === 1) return chunks[0]!
        const body = new Uint8Array(size)
        let offset = 0
        for (const bytes of chunks) {
          body.set(bytes, offset)
          offset += bytes.length
        }
        return body
      })
    )
  })
