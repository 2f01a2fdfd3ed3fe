/**
 * The per-attempt timeout over `InstantlyHttpClient`, where it is a timer in the transport (no fiber
 * per attempt): over real loopback sockets, an attempt past its deadline is aborted (the server sees
 * its socket close), fails as the same `"Timeout"` transport error as on any other transport, is
 * retried, and counts as a timeout in its span and in `instantly_requests_total`, also when its
 * headers came and its body did not. With a `transformClient`, the timeout bounds its waits too.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Redacted from "effect/Redacted"
import type { ServerResponse } from "node:http"
import { InstantlyClient, type InstantlyClientOptions, Leads } from "../../src/index.js"
import { InstantlyHttpClient } from "../../src/node.js"
import { leadId, seed } from "../utils/Client.js"
import { rawServer } from "../utils/RawServer.js"
import { withRecordedSpans } from "../utils/Spans.js"

/** What the server does with the n-th request: never answer, send headers and stop, or answer the seed. */
type Behaviour = "hang" | "headers" | "ok"

/**
 * A loopback server acting out `script` (the last behaviour repeats), recording for each request
 * whether its socket was closed.
 */
const scripted = (script: ReadonlyArray<Behaviour>) =>
  Effect.suspend(() => {
    const closed: Array<boolean> = []
    return Effect.map(
      rawServer((request, response: ServerResponse) => {
        const index = closed.length
        closed.push(false)
        request.socket.once("close", () => closed[index] = true)
        request.resume()
        const behaviour = script[Math.min(index, script.length - 1)]
        if (behaviour === "hang") return
        response.writeHead(200, { "content-type": "application/json" })
        if (behaviour === "headers") return response.flushHeaders()
        response.end(JSON.stringify(seed))
      }),
      ({ url }) => ({ url, closed })
    )
  })

const leadsAt = (url: string, options: Omit<InstantlyClientOptions, "apiKey" | "baseUrl">) =>
  Leads.Default.pipe(
    Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make("test-key"), baseUrl: url, ...options })),
    Layer.provide(InstantlyHttpClient.layer)
  )

const remove = Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId))

/** Fast retries, so a test waits for its timeouts only. */
const quickRetry = { baseDelay: "10 millis", jitter: 0 } as const

describe("the per-attempt timeout as a timer in InstantlyHttpClient", () => {
  it.live("no answer: the attempt is aborted, fails as a Timeout with the usual message, and is not left open", () =>
    Effect.gen(function*() {
      const server = yield* scripted(["hang"])
      const error = yield* Effect.flip(
        Effect.provide(remove, leadsAt(server.url, { timeout: "150 millis", retry: false }))
      )
      expect(error).toMatchObject({
        _tag: "InstantlyTransportError",
        reason: "Timeout",
        message: "No response within 150ms",
        attempts: 1
      })
      expect(error).not.toHaveProperty("code")
      yield* Effect.sleep("100 millis")
      expect(server.closed).toEqual([true])
    }).pipe(Effect.scoped))

  it.live("a timed-out attempt is retried like any timeout: the next one answers", () =>
    Effect.gen(function*() {
      const server = yield* scripted(["hang", "headers", "ok"])
      const lead = yield* Effect.provide(remove, leadsAt(server.url, { timeout: "150 millis", retry: quickRetry }))
      expect(lead.id).toBe(seed.id)
      expect(server.closed.slice(0, 2)).toEqual([true, true])
    }).pipe(Effect.scoped))

  it.live("headers and no body: a timeout in the attempt's span and in the metrics, never a 2xx", () =>
    Effect.gen(function*() {
      const server = yield* scripted(["headers", "ok"])
      const [, spans] = yield* withRecordedSpans(
        Effect.provide(
          Effect.tagMetrics(remove, "test", "transport-deadline"),
          leadsAt(server.url, { timeout: "150 millis", retry: quickRetry })
        )
      )
      const attempts = spans.filter((span) => span.name === "InstantlyClient.attempt")
      expect(attempts.map((span) => [
        span.attributes.get("http.response.status_code"),
        span.attributes.get("error.type")
      ])).toEqual([[undefined, "timeout"], [200, undefined]])
      const counted = (yield* Metric.snapshot).filter((pair) =>
        pair.metricKey.name === "instantly_requests_total" &&
        pair.metricKey.tags.some((tag) => tag.key === "test" && tag.value === "transport-deadline")
      )
      const byClass = Object.fromEntries(counted.map((pair) => [
        pair.metricKey.tags.find((tag) => tag.key === "status_class")!.value,
        (pair.metricState as unknown as { count: number }).count
      ]))
      expect(byClass).toEqual({ timeout: 1, "2xx": 1 })
    }).pipe(Effect.scoped))

  it.live("with a transformClient, the timeout bounds its waits too", () =>
    Effect.gen(function*() {
      const server = yield* scripted(["ok"])
      const error = yield* Effect.flip(Effect.provide(
        remove,
        leadsAt(server.url, {
          timeout: "150 millis",
          retry: false,
          transformClient: HttpClient.tap(() => Effect.never)
        })
      ))
      expect(error).toMatchObject({
        _tag: "InstantlyTransportError",
        reason: "Timeout",
        message: "No response within 150ms"
      })
    }).pipe(Effect.scoped))

  it.live("an answer in time leaves no timer behind: the deadline of a finished attempt aborts nothing", () =>
    Effect.gen(function*() {
      const server = yield* scripted(["ok"])
      const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length
      const [before, after, closed] = yield* Effect.gen(function*() {
        yield* remove // the first request opens the connection and starts the pool's own timers
        const before = timers()
        yield* remove
        const after = timers()
        yield* Effect.sleep("200 millis")
        return [before, after, [...server.closed]] as const
      }).pipe(Effect.provide(leadsAt(server.url, { timeout: "100 millis", retry: false })))
      // No timer of the second request's deadline is left (one would keep a process alive that long).
      expect(after).toBe(before)
      // The connection is kept for reuse, not aborted by a timer that outlived its request.
      expect(closed).toEqual([false, false])
    }).pipe(Effect.scoped))
})
