/**
 * What the retry, timeout and rate-limiter machinery costs per call when nothing fails.
 *
 * Each variant sends `calls` sequential requests through `InstantlyClient.execute` to an in-process
 * `HttpClient` whose answer is already in memory, so the figures are the client's own cost. Variants
 * run interleaved, round after round, and an overhead is the median over rounds of the difference
 * with a baseline in the same round, which keeps it steady on a busy machine. Baselines: "bare" is
 * what `execute` did before retries, timeouts and the limiter (send, then `handleResponse`); "raw"
 * is `execute` with all three turned off (its attempt span and metrics remain).
 *
 * Run with `npm run bench` (options: `--rounds 15 --calls 10000`).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { parseArgs } from "node:util"
import { InstantlyMetrics } from "../src/index.js"
import { handleResponse, InstantlyClient, type InstantlyClientOptions } from "../src/InstantlyClient.js"

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "15" }, calls: { type: "string", default: "10000" } }
})
const rounds = Number(values.rounds)
const calls = Number(values.calls)

/** A response whose body is already in memory: reading it costs nothing but the Effect. */
const body = Effect.succeed(JSON.stringify({ id: "019cc043-e399-7fdb-86d6-bb0d304b0776" }))
const template = HttpClientResponse.fromWeb(HttpClientRequest.get("/"), new Response(null, { status: 200 }))
const respond = (request: HttpClientRequest.HttpClientRequest): HttpClientResponse.HttpClientResponse =>
  Object.create(template, { request: { value: request }, text: { value: body } })

/** Answers at once, or on a later microtask as a socket would (so that the timeout's timer is set). */
const servers = [
  ["answered synchronously", HttpClient.make((request) => Effect.sync(() => respond(request)))],
  [
    "answered on a later microtask",
    HttpClient.make((request) =>
      Effect.async<HttpClientResponse.HttpClientResponse>((resume) =>
        queueMicrotask(() => resume(Effect.succeed(respond(request))))
      )
    )
  ]
] as const

const Answer = Schema.Struct({ id: Schema.String })
const request = {
  operation: "bench",
  request: HttpClientRequest.bodyUnsafeJson(HttpClientRequest.post("/api/v2/leads/subsequence/remove"), { id: "x" }),
  response: Answer
}

const noWait = { limits: [{ limit: 1_000_000, window: "1 second" }, { limit: 2_000_000, window: "1 minute" }] } as const

const variants: ReadonlyArray<readonly [string, Omit<InstantlyClientOptions, "apiKey">]> = [
  ["bare: send + handleResponse, as before this machinery", { retry: false, rateLimit: false, timeout: false }],
  ["raw (retry false, rateLimit false, timeout false)", { retry: false, rateLimit: false, timeout: false }],
  ["defaults, rate limiter off", { rateLimit: false }],
  ["defaults, rate limiter on (limits too high to wait)", { rateLimit: noWait }]
]

const loopOf = (server: HttpClient.HttpClient, options: Omit<InstantlyClientOptions, "apiKey">, bare: boolean) =>
  Effect.gen(function*() {
    const client = yield* InstantlyClient
    const info = { method: request.request.method, path: request.request.url }
    // What `execute` did before retries, timeouts and the limiter: send, then read the answer.
    const call = bare
      ? Effect.flatMap(
        Effect.orDie(client.httpClient.execute(request.request)),
        (response) => handleResponse(response, request.response, info)
      )
      : client.execute(request)
    return Effect.gen(function*() {
      for (let i = 0; i < calls; i++) yield* call
    })
  }).pipe(
    Effect.provide(
      InstantlyClient.layer({ apiKey: Redacted.make("bench-key"), ...options }).pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, server))
      )
    )
  )

/** Runs the variants against `server`, interleaved round after round, and prints the figures. */
const measure = (label: string, server: HttpClient.HttpClient) =>
  Effect.gen(function*() {
    const loops = yield* Effect.forEach(variants, ([, options], i) => loopOf(server, options, i === 0))
    yield* Effect.forEach(loops, (loop) => loop) // warm up
    const perCall: Array<Array<number>> = variants.map(() => [])
    for (let round = 0; round < rounds; round++) {
      for (const [i, loop] of loops.entries()) {
        const start = performance.now()
        yield* loop
        perCall[i]!.push(((performance.now() - start) * 1_000) / calls)
      }
    }
    const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    /** The median over rounds of (variant - baseline) in the same round. */
    const over = (i: number, baseline: number) =>
      i <= baseline ? "" : `${median(perCall[i]!.map((t, r) => t - perCall[baseline]![r]!)).toFixed(1)} us`
    console.log(`\n${label}`)
    console.log(
      `${"variant".padEnd(56)}${"median us/call".padStart(15)}${"min".padStart(7)}${"vs bare".padStart(10)}${
        "vs raw".padStart(10)
      }`
    )
    for (const [i, [name]] of variants.entries()) {
      const times = perCall[i]!
      console.log(
        `${name.padEnd(56)}${median(times).toFixed(1).padStart(15)}${Math.min(...times).toFixed(1).padStart(7)}` +
          `${over(i, 0).padStart(10)}${over(i, 1).padStart(10)}`
      )
    }
  })

const main = Effect.gen(function*() {
  console.log(`effect-instantly happy-path cost: ${rounds} rounds x ${calls} sequential calls, Node ${process.version}`)
  for (const [label, server] of servers) yield* measure(`In-process HttpClient, ${label}:`, server)
  const waits = yield* Metric.value(InstantlyMetrics.rateLimiterWait.pipe(Metric.tagged("operation", "bench")))
  console.log(`\nrequests that waited in the rate limiter: ${waits.count}`)
})

Effect.runPromise(main)
