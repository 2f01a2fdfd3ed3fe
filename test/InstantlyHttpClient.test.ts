/**
 * `InstantlyHttpClient` over real loopback sockets: bodies and headers both ways, status codes,
 * streaming, cancellation, connection reuse, failures with their undici/Node cause, tracing, and the
 * layer closing its sockets.
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { buffered } from "../src/internal/bufferedResponse.js"
import * as Deadline from "../src/internal/deadline.js"
import { InstantlyHttpClient } from "../src/node.js"
import { withDefaultTracerSpansCounted, withRecordedSpans } from "./utils/Spans.js"

/** What the server saw of one request. */
interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly body: string
  /** Whether the socket that carried it has closed. */
  readonly socketClosed: () => boolean
}

/**
 * A `node:http` server on a free loopback port for the scope's lifetime: it reads each request's body,
 * records it, then hands it to `handler`. `connections` counts the sockets it accepted.
 */
const serve = (handler: (request: IncomingMessage, response: ServerResponse, seen: Seen) => void) => {
  const seen: Array<Seen> = []
  return Effect.map(
    Effect.acquireRelease(
      Effect.async<Server>((resume) => {
        const server = createServer((request, response) => {
          const chunks: Array<Buffer> = []
          request.on("data", (chunk: Buffer) => chunks.push(chunk))
          let socketClosed = false
          request.socket.on("close", () => socketClosed = true)
          request.on("end", () => {
            const entry = {
              socketClosed: () => socketClosed,
              method: request.method!,
              url: request.url!,
              headers: request.headers,
              body: Buffer.concat(chunks).toString()
            }
            seen.push(entry)
            handler(request, response, entry)
          })
        })
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    ),
    (server) => {
      let connections = 0
      server.on("connection", () => connections++)
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        connections: () => connections
      }
    }
  )
}

/** Answers every request with the JSON `{ ok: true }`. */
const answerJson = (_: IncomingMessage, response: ServerResponse) => {
  response.writeHead(200, { "content-type": "application/json" })
  response.end("{\"ok\":true}")
}

/** The client, over an undici agent that lives as long as the test's scope. */
const client = Effect.map(Layer.build(InstantlyHttpClient.layer), Context.get(HttpClient.HttpClient))

/** Waits, polling on the live clock, until `condition` holds. */
const poll = (condition: () => boolean): Effect.Effect<void> =>
  Effect.suspend(() => condition() ? Effect.void : Effect.zipRight(Effect.sleep("5 millis"), poll(condition)))

/** Waits until `condition` holds; after 3 s the test fails, saying what it waited for. */
const until = (condition: () => boolean, what = "a condition"): Effect.Effect<void> =>
  poll(condition).pipe(
    Effect.timeoutFail({ duration: "3 seconds", onTimeout: () => new Error(`still waiting for ${what} after 3 s`) }),
    Effect.orDie
  )

/** Answers the headers and a first piece of the body, and never the rest. */
const headersOnly = (response: ServerResponse) => {
  response.writeHead(200, { "content-type": "text/plain" })
  response.write("partial")
}

/** Starts reading the body at `url`, then interrupts the read once the body has begun. */
const interruptMidBody = (http: HttpClient.HttpClient, url: string) =>
  Effect.gen(function*() {
    const response = yield* http.get(url)
    const reading = yield* Effect.fork(response.text)
    yield* Effect.sleep("20 millis")
    yield* Fiber.interrupt(reading)
  })

describe("InstantlyHttpClient over loopback sockets", () => {
  it.scoped("GET: method, path, query and headers reach the server; status, headers and cookies come back", () =>
    Effect.gen(function*() {
      const server = yield* serve((_, response) => {
        response.setHeader("X-Answer", "42")
        response.setHeader("Set-Cookie", ["a=1; Path=/", "b=2; Path=/"])
        response.setHeader("content-type", "application/json")
        response.end("{\"hello\":\"world\"}")
      })
      const http = yield* client
      const response = yield* http.execute(
        HttpClientRequest.get(`${server.url}/api/v2/leads/1`, {
          urlParams: { limit: "10" },
          headers: { "X-Custom": "yes", authorization: "Bearer secret" }
        })
      )
      expect(response.status).toBe(200)
      expect(Headers.isHeaders(response.headers)).toBe(true)
      expect(response.headers["x-answer"]).toBe("42")
      expect(response.headers["set-cookie"]).toBe("a=1; Path=/, b=2; Path=/")
      expect(Object.fromEntries(Object.entries(response.cookies.cookies).map(([k, c]) => [k, c.value]))).toEqual({
        a: "1",
        b: "2"
      })
      expect(yield* response.json).toEqual({ hello: "world" })
      expect(server.seen).toMatchObject([{
        method: "GET",
        url: "/api/v2/leads/1?limit=10",
        headers: { "x-custom": "yes", authorization: "Bearer secret" },
        body: ""
      }])
      expect(server.seen[0]!.headers["content-length"]).toBeUndefined()
    }))

  it.scoped("POST: every body kind arrives whole, with its content type and length", () =>
    Effect.gen(function*() {
      const server = yield* serve((_, response, seen) => {
        response.setHeader("content-type", "text/plain")
        response.end(`${seen.headers["content-type"]}|${seen.headers["content-length"]}|${seen.body}`)
      })
      const http = yield* client
      const post = HttpClientRequest.post(`${server.url}/echo`)
      const echo = (request: HttpClientRequest.HttpClientRequest) =>
        Effect.flatMap(http.execute(request), (response) => response.text)
      expect(yield* echo(HttpClientRequest.bodyUnsafeJson(post, { id: "é" }))).toBe(
        "application/json|11|{\"id\":\"é\"}"
      )
      expect(yield* echo(HttpClientRequest.bodyUint8Array(post, new Uint8Array([104, 105]), "application/x-hi")))
        .toBe("application/x-hi|2|hi")
      expect(yield* echo(HttpClientRequest.setBody(post, HttpBody.raw("raw text", { contentType: "text/plain" }))))
        .toBe("text/plain|8|raw text")
      expect(yield* echo(post)).toBe("undefined|0|")
      const streamed = yield* echo(
        HttpClientRequest.bodyStream(post, Stream.make("one ", "two ", "three").pipe(Stream.encodeText), {
          contentType: "text/plain"
        })
      )
      expect(streamed).toBe("text/plain|undefined|one two three")
      expect(server.seen.at(-1)!.headers["transfer-encoding"]).toBe("chunked")
      const form = new FormData()
      form.append("field", "value")
      const [contentType, , multipart] = (yield* echo(HttpClientRequest.bodyFormData(post, form))).split("|")
      expect(contentType).toMatch(/^multipart\/form-data; boundary=/)
      const received = yield* Effect.promise(() =>
        new Response(multipart, { headers: { "content-type": contentType! } }).formData()
      )
      expect([...received.entries()]).toEqual([["field", "value"]])
    }))

  it.scoped("status codes come back as responses, error bodies readable; 204 has an empty body", () =>
    Effect.gen(function*() {
      const server = yield* serve((request, response) => {
        const status = Number(request.url!.slice(1))
        response.writeHead(status, status === 204 ? {} : { "content-type": "application/json" })
        response.end(status === 204 ? undefined : JSON.stringify({ statusCode: status }))
      })
      const http = yield* client
      for (const status of [201, 400, 404, 429, 500, 503]) {
        const response = yield* http.get(`${server.url}/${status}`)
        expect(response.status).toBe(status)
        expect(yield* response.json).toEqual({ statusCode: status })
      }
      const empty = yield* http.get(`${server.url}/204`)
      expect(empty.status).toBe(204)
      expect(yield* empty.text).toBe("")
      expect(yield* empty.json).toBeNull()
      const emptyStream = yield* http.get(`${server.url}/204`)
      expect(Chunk.toReadonlyArray(yield* Stream.runCollect(emptyStream.stream))).toEqual([])
    }))

  it.scoped("a chunked response is streamed as it arrives, and a large one arrives whole", () =>
    Effect.gen(function*() {
      const firstSeen = yield* Deferred.make<void>()
      const big = Buffer.alloc(3 * 1024 * 1024, "abcdefgh")
      const server = yield* serve((request, response) => {
        if (request.url === "/big") return response.end(big)
        response.writeHead(200, { "content-type": "text/plain" })
        response.write("first;")
        // The rest is only sent once the client has seen the first chunk: a client that waited for the
        // whole body would never get it.
        Effect.runFork(Effect.andThen(Deferred.await(firstSeen), () => response.end("second")))
      })
      const http = yield* client
      const response = yield* http.get(`${server.url}/chunked`)
      const chunks = yield* response.stream.pipe(
        Stream.decodeText(),
        Stream.tap((chunk) => chunk === "first;" ? Deferred.succeed(firstSeen, undefined) : Effect.void),
        Stream.runCollect
      )
      expect(Chunk.toReadonlyArray(chunks).join("")).toBe("first;second")
      expect(Chunk.head(chunks)).toEqual(Option.some("first;"))

      const bigResponse = yield* http.get(`${server.url}/big`)
      const bytes = yield* Stream.runFold(bigResponse.stream, 0, (n, chunk) => n + chunk.length)
      expect(bytes).toBe(big.length)
      const asText = yield* Effect.flatMap(http.get(`${server.url}/big`), (r) => r.text)
      expect(asText).toBe(big.toString())
    }))

  it.live("interrupting a request aborts it: the server sees its socket close, before or during the body", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* serve((request, response) => {
        if (request.url === "/headers-only") headersOnly(response) // else: never answers
      })
      const http = yield* client
      const waiting = yield* Effect.fork(http.get(`${server.url}/never`))
      yield* until(() => server.seen.length === 1)
      yield* Fiber.interrupt(waiting)
      yield* until(() => server.seen[0]!.socketClosed(), "the server to see its socket close")

      yield* interruptMidBody(http, `${server.url}/headers-only`)
      yield* until(() => server.seen[1]!.socketClosed(), "the server to see its socket close")
    })))

  it.live("with a tracer installed, interrupting aborts too (the platform's own response wrapper then)", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* serve((_, response) => headersOnly(response))
      const http = yield* client
      yield* withRecordedSpans(interruptMidBody(http, `${server.url}/headers-only`))
      yield* until(() => server.seen[0]!.socketClosed(), "the server to see its socket close")
    })))

  it.live("a deadline the fiber offered aborts the request with DeadlineExceeded, before or during the body", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* serve((request, response) => {
        if (request.url === "/headers-only") headersOnly(response) // else: never answers
      })
      const http = yield* client
      const deadline = Effect.map(Clock.currentTimeMillis, (now) => ({
        at: now + 50,
        clock: Clock.make(),
        message: "No response within 50ms"
      }))
      const offered = <A, E>(self: Effect.Effect<A, E>) =>
        Effect.flatMap(deadline, (d) =>
          Effect.withFiberRuntime<A, E>((fiber) => {
            Deadline.offer(fiber, d)
            return self
          }))
      const before = yield* Effect.flip(offered(http.get(`${server.url}/never`)))
      expect(before).toBeInstanceOf(HttpClientError.RequestError)
      expect(before).toMatchObject({
        reason: "Transport",
        cause: { name: "DeadlineExceeded", message: "No response within 50ms" }
      })
      expect(before.cause).toBeInstanceOf(Deadline.DeadlineExceeded)
      const during = yield* Effect.flip(offered(Effect.flatMap(http.get(`${server.url}/headers-only`), (r) => r.text)))
      expect(during).toBeInstanceOf(HttpClientError.ResponseError)
      expect(during.cause).toBeInstanceOf(Deadline.DeadlineExceeded)
      yield* until(() => server.seen.length === 2 && server.seen.every((seen) => seen.socketClosed()))
      // Taken by the transport: the next request of the fiber has no deadline.
      expect(yield* Effect.flatMap(http.get(`${server.url}/headers-only`), (r) => Effect.succeed(r.status))).toBe(200)
    })))

  it.scoped("a body read whole is kept: buffered() hands the response back as it is, and every form reads it again", () =>
    Effect.gen(function*() {
      const server = yield* serve((_, response) => {
        response.writeHead(200, { "content-type": "application/json" })
        response.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("{\"ok\":true}")]))
      })
      const http = yield* client
      const response = yield* http.get(`${server.url}/kept`)
      const kept = yield* buffered(response)
      expect(kept).toBe(response)
      expect(yield* kept.text).toBe("{\"ok\":true}")
      expect(yield* kept.json).toEqual({ ok: true })
      expect(yield* kept.text).toBe("{\"ok\":true}")
      expect(new Uint8Array(yield* kept.arrayBuffer)).toHaveLength(14)
      const streamed = Chunk.toReadonlyArray(yield* Stream.runCollect(kept.stream))
      expect(Buffer.concat(streamed).subarray(3).toString()).toBe("{\"ok\":true}")
    }))

  it.scoped("without a tracer of its own: no span made with Effect's default tracer, no traceparent sent", () =>
    Effect.gen(function*() {
      const server = yield* serve(answerJson)
      const http = yield* client
      const [, spans] = yield* withDefaultTracerSpansCounted(
        Effect.flatMap(http.get(`${server.url}/plain`), (r) => r.json)
      )
      expect(spans).toBe(0)
      expect(server.seen[0]!.headers["traceparent"]).toBeUndefined()
    }))

  it.scoped("connection refused: RequestError Transport, with Node's ECONNREFUSED as the cause", () =>
    Effect.gen(function*() {
      const url = yield* Effect.scoped(Effect.map(serve(answerJson), (server) => server.url)) // now closed
      const error = yield* Effect.flip(Effect.flatMap(client, (http) => http.get(`${url}/x`)))
      expect(error).toBeInstanceOf(HttpClientError.RequestError)
      expect(error).toMatchObject({ _tag: "RequestError", reason: "Transport", cause: { code: "ECONNREFUSED" } })
      expect(error.message).toContain("ECONNREFUSED")
    }))

  it.scoped("a server that resets mid-body: ResponseError Decode, with undici's socket error as the cause", () =>
    Effect.gen(function*() {
      const server = yield* serve((_, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": "100" })
        response.write("{\"id\":", () => response.socket!.destroy())
      })
      const http = yield* client
      const response = yield* http.get(`${server.url}/x`)
      expect(response.status).toBe(200)
      const error = yield* Effect.flip(response.text)
      expect(error).toBeInstanceOf(HttpClientError.ResponseError)
      expect(error).toMatchObject({ _tag: "ResponseError", reason: "Decode", cause: { code: "UND_ERR_SOCKET" } })
      const again = yield* http.get(`${server.url}/y`)
      const streamed = yield* Effect.flip(Stream.runDrain(again.stream))
      expect(streamed).toMatchObject({ _tag: "ResponseError", reason: "Decode", cause: { code: "UND_ERR_SOCKET" } })
    }))

  // undici waits one event-loop turn before it reuses a socket (pipelining 1), so requests sent back to
  // back alternate between two keep-alive sockets, as they do over undici.request.
  it.scoped("sequential requests reuse their connections", () =>
    Effect.gen(function*() {
      const server = yield* serve(answerJson)
      const http = yield* client
      for (let i = 0; i < 20; i++) {
        const response = yield* http.post(`${server.url}/remove`, { body: HttpBody.text(`{"n":${i}}`) })
        expect(yield* response.json).toEqual({ ok: true })
      }
      expect(server.seen).toHaveLength(20)
      expect(server.connections()).toBeLessThanOrEqual(2)
    }))

  it.scoped("with a tracer installed: an http.client span, and its traceparent sent to the server", () =>
    Effect.gen(function*() {
      const server = yield* serve(answerJson)
      const http = yield* client
      const [, spans] = yield* withRecordedSpans(
        Effect.withSpan(Effect.flatMap(http.get(`${server.url}/traced`), (r) => r.json), "caller")
      )
      const span = spans.find((s) => s.name === "http.client GET")
      expect(span?.attributes.get("http.request.method")).toBe("GET")
      expect(span?.attributes.get("http.response.status_code")).toBe(200)
      expect(span?.attributes.get("url.full")).toBe(`${server.url}/traced`)
      expect(server.seen[0]!.headers["traceparent"]).toBe(`00-${span!.traceId}-${span!.spanId}-01`)
      expect(Option.map(span!.parent, (parent) => parent.spanId)).toEqual(
        Option.some(spans.find((s) => s.name === "caller")!.spanId)
      )
    }))

  it.live("releasing the layer destroys its sockets: a request in flight fails at once with UND_ERR_DESTROYED", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* serve(() => {}) // never answers
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(InstantlyHttpClient.layer, scope)
      const http = yield* Effect.provide(HttpClient.HttpClient, context)
      const inFlight = yield* Effect.fork(http.get(`${server.url}/hang`))
      yield* until(() => server.seen.length === 1)
      yield* Scope.close(scope, Exit.void)
      const exit = yield* Fiber.await(inFlight)
      expect(exit).toMatchObject({
        _tag: "Failure",
        cause: { error: { _tag: "RequestError", reason: "Transport", cause: { code: "UND_ERR_DESTROYED" } } }
      })
      yield* until(() => server.seen[0]!.socketClosed(), "the server to see its socket close")
    })))

  it.scoped("headers or a body undici refuses to send: RequestError Encode, nothing sent", () =>
    Effect.gen(function*() {
      const server = yield* serve(answerJson)
      const http = yield* client
      const badHeader = yield* Effect.flip(http.get(`${server.url}/x`, { headers: { "x-bad": "line\nbreak" } }))
      expect(badHeader).toMatchObject({ reason: "Encode", cause: { code: "UND_ERR_INVALID_ARG" } })
      const badBody = yield* Effect.flip(http.execute(
        HttpClientRequest.setBody(HttpClientRequest.post(`${server.url}/x`), HttpBody.raw(42))
      ))
      expect(badBody).toMatchObject({ reason: "Encode", cause: { code: "UND_ERR_INVALID_ARG" } })
      expect(server.seen).toEqual([])
    }))
})

describe("InstantlyHttpClient.layerWith: options checked when the layer is built", () => {
  const defect = (options: InstantlyHttpClient.Options) =>
    Effect.map(Effect.exit(Effect.scoped(Layer.build(InstantlyHttpClient.layerWith(options)))), (exit) => {
      expect(Exit.isFailure(exit) && exit.cause._tag === "Die").toBe(true)
      return String(Exit.isFailure(exit) && exit.cause._tag === "Die" ? exit.cause.defect : "")
    })
  const invalid: ReadonlyArray<readonly [InstantlyHttpClient.Options, string]> = [
    [{ connections: -1 }, "InstantlyHttpClient: connections must be a positive integer, got -1"],
    [{ connections: 0 }, "connections must be a positive integer, got 0"],
    [{ connections: 1.5 }, "connections must be a positive integer, got 1.5"],
    [{ connections: Number.NaN }, "connections must be a positive integer, got NaN"],
    [{ keepAliveTimeout: 0 }, "keepAliveTimeout must be a positive, finite duration"],
    [{ keepAliveTimeout: "-1 seconds" }, "keepAliveTimeout must be a positive, finite duration"],
    [
      { connectTimeout: -5 },
      "connectTimeout must be a positive, finite duration (e.g. \"5 seconds\" or 5000 for milliseconds), got -5"
    ],
    [{ connectTimeout: 0 }, "connectTimeout must be a positive, finite duration"],
    [{ connectTimeout: Number.NaN }, "connectTimeout must be a positive, finite duration"],
    [
      { connectTimeout: "bogus" as never },
      "connectTimeout must be a positive, finite duration (e.g. \"5 seconds\" or 5000 for milliseconds), got \"bogus\""
    ]
  ]
  for (const [options, message] of invalid) {
    it.effect(`${JSON.stringify(options, (_, value) => Number.isNaN(value) ? "NaN" : value)}: a defect naming it`, () =>
      Effect.map(defect(options), (defect) => {
        expect(defect).toContain("IllegalArgumentException")
        expect(defect).toContain(message)
      }))
  }

  it.scoped("valid options build a working client", () =>
    Effect.gen(function*() {
      const server = yield* serve(answerJson)
      const http = yield* Effect.map(
        Layer.build(
          InstantlyHttpClient.layerWith({ connections: 1, keepAliveTimeout: 500, connectTimeout: "1 second" })
        ),
        Context.get(HttpClient.HttpClient)
      )
      expect(yield* Effect.flatMap(http.get(`${server.url}/x`), (response) => response.json)).toEqual({ ok: true })
    }))
})
