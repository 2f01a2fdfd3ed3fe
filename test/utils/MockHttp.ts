/**
 * A scripted `HttpClient` for tests: records every request and answers from a script, so a test
 * can assert exactly what was sent and how each answer is handled.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** A request as the mock saw it, with its body as text. */
export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  /** When it was sent, in milliseconds by the fiber's clock (`TestClock` in tests). */
  readonly at: number
}

/**
 * One scripted answer: a response (after `delay` ms on the clock, if given; with a body that never
 * ends after its headers if `bodyHangs`), a connection failure (with `cause`, if given), or a response
 * that never comes.
 */
export type Reply =
  | {
    readonly status: number
    readonly json?: unknown
    readonly text?: string
    readonly headers?: Record<string, string>
    /** How long the answer takes, on the fiber's clock (`TestClock` in tests); none by default. */
    readonly delay?: Duration.DurationInput
    /** The headers come, then a body that never ends. */
    readonly bodyHangs?: true
    /** The body as this stream (made for each request), instead of `json` or `text`. */
    readonly body?: () => ReadableStream<Uint8Array>
  }
  | { readonly drop: true; readonly cause?: unknown }
  | { readonly hang: true }

/** What the mock exposes to a test. */
export class MockHttp extends Context.Tag("test/MockHttp")<MockHttp, {
  readonly requests: ReadonlyArray<Recorded>
  /** The indexes of the requests whose `AbortSignal` fired, as a real client would close the socket. */
  readonly aborted: ReadonlyArray<number>
}>() {}

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined => {
  const body = request.body
  switch (body._tag) {
    case "Uint8Array":
      return new TextDecoder().decode(body.body)
    case "Empty":
      return undefined
    default:
      return `<${body._tag} body>`
  }
}

const toResponse = (request: HttpClientRequest.HttpClientRequest, reply: Reply) => {
  if ("drop" in reply) {
    return Effect.fail(
      new HttpClientError.RequestError({
        request,
        reason: "Transport",
        cause: reply.cause ?? new Error("socket hang up")
      })
    )
  }
  if ("hang" in reply) return Effect.never
  const text = reply.text ?? (reply.json === undefined ? "" : JSON.stringify(reply.json))
  const headers = { "content-type": "application/json", ...reply.headers }
  const body = reply.body !== undefined
    ? reply.body()
    : reply.bodyHangs
    ? new ReadableStream({ pull: () => new Promise(() => {}) })
    : text === ""
    ? null
    : text
  const response = Effect.sync(() =>
    HttpClientResponse.fromWeb(request, new Response(body, { status: reply.status, headers }))
  )
  return reply.delay === undefined ? response : Effect.delay(response, reply.delay)
}

/**
 * An `HttpClient` layer answering from `script` (one reply per request, in order; the last
 * reply repeats) or from a function of the request, plus `MockHttp` to read what was sent.
 */
export const layer = (
  script: ReadonlyArray<Reply> | ((request: Recorded, index: number) => Reply)
): Layer.Layer<HttpClient.HttpClient | MockHttp> =>
  Layer.effectContext(Effect.sync(() => {
    const requests: Array<Recorded> = []
    const aborted: Array<number> = []
    const next = (recorded: Recorded): Reply => {
      const index = requests.length - 1
      if (typeof script === "function") return script(recorded, index)
      const reply = script[Math.min(index, script.length - 1)]
      if (reply === undefined) throw new Error("MockHttp: empty script")
      return reply
    }
    const client = HttpClient.make((request, url, signal) =>
      Effect.clockWith((clock) => {
        const recorded: Recorded = {
          method: request.method,
          url: url.toString(),
          headers: { ...request.headers },
          body: bodyText(request),
          at: clock.unsafeCurrentTimeMillis()
        }
        requests.push(recorded)
        const index = requests.length - 1
        signal.addEventListener("abort", () => aborted.push(index), { once: true })
        return toResponse(request, next(recorded))
      })
    )
    return Context.make(HttpClient.HttpClient, client).pipe(Context.add(MockHttp, { requests, aborted }))
  }))
