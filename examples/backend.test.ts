/**
 * `examples/backend.ts` run as a user runs it: a child process (`node --import tsx`) serving HTTP on a free
 * port, calling an `InstantlyEmulator` served by this test over a socket. No test ever calls the real API.
 */
import { Command, HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Fiber, Layer, Ref, Schedule, Stream } from "effect"
import { InstantlyEmulator, type InstantlyEmulatorServerOptions } from "effect-instantly/emulator"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const unknownId = "019cc043-0000-7000-8000-000000000000"

/** Starts the backend against the emulator in context; ends it (SIGTERM) with the scope if still running. */
const startBackend = Effect.gen(function*() {
  const emulator = yield* InstantlyEmulator
  const child = yield* Command.make(process.execPath, "--import", "tsx", "examples/backend.ts").pipe(
    Command.workingDirectory(root),
    Command.env({ INSTANTLY_API_KEY: InstantlyEmulator.defaultApiKey, INSTANTLY_BASE_URL: emulator.url, PORT: "0" }),
    Command.start
  )
  const output = yield* Ref.make<ReadonlyArray<string>>([])
  const listening = yield* Deferred.make<string>()
  yield* Stream.merge(child.stdout, child.stderr).pipe(
    Stream.decodeText(),
    Stream.splitLines,
    Stream.runForEach((line) => {
      const port = /Listening on http:\/\/[^:]+:(\d+)/.exec(line)?.[1]
      return Effect.zipRight(
        Ref.update(output, (lines) => [...lines, line]),
        port === undefined ? Effect.void : Deferred.succeed(listening, `http://127.0.0.1:${port}`)
      )
    }),
    Effect.forkScoped
  )
  const url = yield* Deferred.await(listening).pipe(
    Effect.timeoutFail({ duration: "20 seconds", onTimeout: () => new Error("the backend did not start listening") })
  )
  const stopFollowUps = (id: string) =>
    HttpClient.execute(HttpClientRequest.post(`${url}/leads/${id}/stop-follow-ups`)).pipe(
      Effect.flatMap((response) =>
        Effect.map(response.text, (body) => ({ status: response.status, headers: response.headers, body }))
      ),
      Effect.scoped
    )
  return { child, output: Ref.get(output), stopFollowUps }
})

const withEmulator = (options: InstantlyEmulatorServerOptions) =>
  Effect.provide(Layer.mergeAll(
    Layer.orDie(InstantlyEmulator.layerServer(options)),
    NodeHttpClient.layerUndici,
    NodeContext.layer
  ))

describe("examples/backend.ts", () => {
  it.live("on SIGINT, all 8 requests in flight get their normal answers, and the process exits 0", () =>
    Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      const leads = (yield* emulator.leads).slice(0, 8)
      const backend = yield* startBackend
      const calls = yield* Effect.fork(Effect.forEach(leads, (lead) => backend.stopFollowUps(lead.id), {
        concurrency: "unbounded"
      }))
      // All 8 have reached Instantly (the emulator), which holds each for a second: they are in flight.
      yield* emulator.counters.pipe(
        Effect.repeat({ schedule: Schedule.spaced("10 millis"), until: (counters) => counters.faults.delayed === 8 })
      )
      yield* backend.child.kill("SIGINT")
      const answers = yield* Fiber.join(calls)
      expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200))
      expect(answers.map((answer) => JSON.parse(answer.body))).toEqual(
        leads.map((lead) => ({ id: lead.id, subsequence_id: null }))
      )
      expect(yield* backend.child.exitCode).toBe(0)
      expect((yield* emulator.counters).operations.removeFromSubsequence).toBe(8)
    }).pipe(
      Effect.scoped,
      withEmulator({
        leads: InstantlyEmulator.generateLeads({ count: 8, seed: 12 }),
        faults: { latency: { min: Duration.seconds(1), max: Duration.seconds(1) } }
      })
    ))

  it.live("maps Instantly's answers: 200, 404 ignored, 401/402/403 a 500 and a log line, 429 a 503 with Retry-After", () =>
    Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      const [lead] = yield* emulator.leads
      const key = InstantlyEmulator.defaultApiKey
      const backend = yield* startBackend

      // 401 first: Instantly does not count it toward the rate limit.
      yield* emulator.revokeApiKey(key)
      expect((yield* backend.stopFollowUps(lead!.id)).status).toBe(500)
      yield* emulator.putApiKey({ key, scopes: ["all:all"] })

      // Then 4 requests, all the workspace's limit allows in a minute (see perMinute below).
      expect(yield* backend.stopFollowUps(lead!.id)).toMatchObject({
        status: 200,
        body: JSON.stringify({ id: lead!.id, subsequence_id: null })
      })
      expect(yield* backend.stopFollowUps(unknownId)).toMatchObject({ status: 204, body: "" })
      yield* emulator.setPaidPlan(false)
      expect((yield* backend.stopFollowUps(lead!.id)).status).toBe(500)
      yield* emulator.setPaidPlan(true)
      yield* emulator.putApiKey({ key, scopes: ["leads:read"] })
      expect((yield* backend.stopFollowUps(lead!.id)).status).toBe(500)
      yield* emulator.putApiKey({ key, scopes: ["all:all"] })

      // An id that is not a UUID never reaches Instantly.
      expect((yield* backend.stopFollowUps("not-a-uuid")).status).toBe(400)

      // The fifth: 429, Retry-After about a minute, longer than the backend waits (5 s): 503 to the caller.
      const limited = yield* backend.stopFollowUps(lead!.id)
      expect(limited.status).toBe(503)
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(5)
      expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60)

      const counters = yield* emulator.counters
      expect(counters.responses).toEqual({ 200: 1, 401: 1, 402: 1, 403: 1, 404: 1, 429: 1 })
      const log = (yield* backend.output).join("\n")
      const refusals = log.split("\n").filter((line) => / ERROR \(#\d+\): /.test(line))
      expect(refusals.map((line) => /Instantly refused the call \((\d{3})/.exec(line)?.[1])).toEqual([
        "401",
        "402",
        "403"
      ])
      expect(log).not.toContain(key)
    }).pipe(
      Effect.scoped,
      withEmulator({ rateLimit: { perMinute: 4 } })
    ))
})
