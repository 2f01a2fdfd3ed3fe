import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as TestClock from "effect/TestClock"
import type * as Tracer from "effect/Tracer"
import { apiKey, layer, ok, remove, seed, status } from "./utils/Client.js"
import { withRecordedLogs } from "./utils/Logs.js"
import { spanText, withDefaultTracerSpansCounted, withRecordedSpans } from "./utils/Spans.js"

/** Forks `self`, runs the clock a minute ahead, and joins it. */
const settled = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(self)
    yield* TestClock.adjust("1 minute")
    return yield* Fiber.join(fiber)
  })

const attemptSpans = (spans: ReadonlyArray<Tracer.Span>) =>
  spans.filter((span) => span.name === "InstantlyClient.attempt")

const parentId = (span: Tracer.Span | undefined) =>
  Option.getOrUndefined(Option.map(span?.parent ?? Option.none(), (p) => p.spanId))

describe("InstantlyClient telemetry", () => {
  it.effect("each attempt is a child span with its attempt number and status; the HTTP span sits under it", () =>
    Effect.gen(function*() {
      const [, spans] = yield* settled(withRecordedSpans(Effect.withRandom(remove, Random.fixed([0]))))
      const call = spans.find((span) => span.name === "Leads.removeFromSubsequence")
      const attempts = attemptSpans(spans)
      expect(attempts.map((span) => [
        span.attributes.get("instantly.operation"),
        span.attributes.get("instantly.attempt"),
        span.attributes.get("http.response.status_code")
      ])).toEqual([["removeFromSubsequence", 1, 503], ["removeFromSubsequence", 2, 200]])
      for (const attempt of attempts) expect(parentId(attempt)).toBe(call?.spanId)
      const http = spans.filter((span) => span.name.startsWith("http.client"))
      expect(http.map(parentId)).toEqual(attempts.map((span) => span.spanId))
    }).pipe(Effect.provide(layer([status(503), ok]))))

  it.effect("an attempt without a response says why in error.type", () =>
    Effect.gen(function*() {
      const [, spans] = yield* settled(withRecordedSpans(Effect.withRandom(remove, Random.fixed([0]))))
      expect(attemptSpans(spans).map((span) => span.attributes.get("error.type"))).toEqual([
        "timeout",
        "transport",
        undefined
      ])
    }).pipe(Effect.provide(layer([{ hang: true }, { drop: true }, ok], { timeout: "1 second" }))))

  it.effect("an attempt that got its headers but timed out reading the body is a timeout in its span, with no status", () =>
    Effect.gen(function*() {
      const [, spans] = yield* settled(withRecordedSpans(Effect.withRandom(remove, Random.fixed([0]))))
      expect(
        attemptSpans(spans).map((span) => [
          span.attributes.get("http.response.status_code"),
          span.attributes.get("error.type")
        ])
      ).toEqual([[undefined, "timeout"], [200, undefined]])
    }).pipe(Effect.provide(layer([{ status: 200, bodyHangs: true }, ok], { timeout: "1 second" }))))

  it.effect("without a tracer of its own, no span is made at all: not ours, not the platform's http.client", () =>
    Effect.gen(function*() {
      const [lead, count] = yield* settled(withDefaultTracerSpansCounted(Effect.withRandom(remove, Random.fixed([0]))))
      expect(lead.id).toBe(seed.id)
      expect(count).toBe(0)
      // The same call (now answered at once) with a tracer records every span.
      const [, spans] = yield* settled(withRecordedSpans(Effect.withRandom(remove, Random.fixed([0]))))
      expect(spans.map((span) => span.name).sort()).toEqual([
        "InstantlyClient.attempt",
        "Leads.removeFromSubsequence",
        "http.client POST"
      ])
    }).pipe(Effect.provide(layer([status(503), ok]))))

  it.effect("with tracing disabled, a tracer installed records nothing", () =>
    Effect.gen(function*() {
      const [, spans] = yield* withRecordedSpans(Effect.withTracerEnabled(remove, false))
      expect(spans).toEqual([])
    }).pipe(Effect.provide(layer([ok]))))

  it.effect("a retry is logged at debug level with the delay chosen and why", () =>
    Effect.gen(function*() {
      const [, lines] = yield* settled(withRecordedLogs(Effect.withRandom(remove, Random.fixed([0]))))
      expect(lines.map((line) => line.level)).toEqual(["DEBUG", "DEBUG"])
      expect(lines[0]?.message).toMatch(
        /removeFromSubsequence failed with 503 Service Unavailable.*attempt 2 of 5 in 500 ms \(backoff\)/
      )
      expect(lines[1]?.message).toMatch(/429 Too Many Requests.*attempt 3 of 5 in 3000 ms \(Retry-After\)/)
      expect(lines.map((line) => line.annotations)).toEqual([
        { "instantly.operation": "removeFromSubsequence", "instantly.retry_reason": "503", "instantly.delay_ms": 500 },
        { "instantly.operation": "removeFromSubsequence", "instantly.retry_reason": "429", "instantly.delay_ms": 3_000 }
      ])
    }).pipe(Effect.provide(layer([status(503), status(429, { "retry-after": "3" }), ok]))))

  const redactedNames: ReadonlyArray<
    readonly [string, <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>]
  > = [
    ["the platform's default redacted header names", (self) => self],
    [
      "an app's own redacted header names, without authorization",
      (self) => Effect.locally(self, Headers.currentRedactedNames, ["x-tenant-secret"])
    ]
  ]
  for (const [names, withNames] of redactedNames) {
    it.effect(`no API key, Authorization header or lead payload in any span, log line or metric, with ${names}`, () =>
      Effect.gen(function*() {
        const [[, spans], lines] = yield* settled(
          withNames(withRecordedLogs(withRecordedSpans(Effect.withRandom(remove, Random.fixed([0])))))
        )
        const authorization = spans.flatMap((span) =>
          span.name.startsWith("http.client") ? [String(span.attributes.get("http.request.header.authorization"))] : []
        )
        expect(authorization.length).toBeGreaterThan(0)
        for (const value of authorization) expect(value).toBe("<redacted>")
        const metrics = (yield* Metric.snapshot).filter((pair) => pair.metricKey.name.startsWith("instantly_"))
        expect(metrics.length).toBeGreaterThan(0)
        expect(spans.length).toBeGreaterThan(0)
        expect(lines.length).toBe(4)
        const texts = [
          ...spans.map(spanText),
          ...lines.map((line) => JSON.stringify(line)),
          ...metrics.map((pair) => JSON.stringify({ name: pair.metricKey.name, tags: pair.metricKey.tags }))
        ]
        const secrets = [apiKey, `Bearer`, seed.email, ...Object.values(seed.payload), seed.first_name, `{"id"`]
        for (const text of texts) {
          for (const secret of secrets.filter((s): s is string => typeof s === "string" && s !== "")) {
            expect(text).not.toContain(secret)
          }
        }
      }).pipe(
        Effect.provide(layer([status(429, { "retry-after": "1" }), status(503), { hang: true }, { drop: true }, ok], {
          timeout: "1 second"
        }))
      ))
  }
})
