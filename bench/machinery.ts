/**
 * Suite 5, the client's own machinery: what retries, the per-attempt timeout and the rate limiter cost
 * per call when nothing fails, over an in-process `HttpClient` whose answer is already in memory (it
 * answers on a later microtask, as a socket would, so the timeout's timer is really set). The figures
 * are `InstantlyClient`'s own cost, without a transport: the part the client-side work can still cut.
 *
 * Baseline "bare": what `execute` does without that machinery (send, then `handleResponse`). The last two
 * rows put each per-attempt timeout a transport other than `InstantlyHttpClient` gets around "bare": ours
 * (`internal/timeout.ts`) and `Effect.timeoutFail`, which justifies keeping ours.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { handleResponse, InstantlyClient, type InstantlyClientOptions } from "../src/InstantlyClient.js"
import { WholeBody } from "../src/internal/bufferedResponse.js"
import * as Deadline from "../src/internal/deadline.js"
import { timeoutFail } from "../src/internal/timeout.js"
import { microsPerCall, type Suite } from "./suite.js"

/** A response whose body is already in memory, as text and as bytes: reading it costs nothing but the Effect. */
const json = JSON.stringify({ id: "019cc043-e399-7fdb-86d6-bb0d304b0776" })
const body = Effect.succeed(json)
const bytes = Effect.sync(() => new TextEncoder().encode(json).buffer as ArrayBuffer)
// With its content-length, as a server sends it: the client then reads the body whole, not as a stream.
const template = HttpClientResponse.fromWeb(
  HttpClientRequest.get("/"),
  new Response(null, { status: 200, headers: { "content-length": String(new TextEncoder().encode(json).length) } })
)
const respond = (request: HttpClientRequest.HttpClientRequest): HttpClientResponse.HttpClientResponse =>
  Object.create(template, { request: { value: request }, text: { value: body }, arrayBuffer: { value: bytes } })

const server = HttpClient.make((request) =>
  Effect.async<HttpClientResponse.HttpClientResponse>((resume) => {
    queueMicrotask(() => resume(Effect.succeed(respond(request))))
  })
)

/**
 * The same answer from a transport built as `InstantlyHttpClient` is: no platform span without a tracer,
 * the per-attempt deadline taken (and not needed), the body kept (no copy).
 */
const keepingServer = Deadline.markTransport(HttpClient.makeWith<never, never, never, never>(
  (requests) =>
    Effect.flatMap(requests, (request) =>
      Effect.async<HttpClientResponse.HttpClientResponse>((resume) => {
        queueMicrotask(() =>
          resume(Effect.succeed(Object.create(respond(request), { [WholeBody]: { value: () => Effect.void } })))
        )
      })),
  Effect.succeed
))

const request = {
  operation: "bench",
  request: HttpClientRequest.bodyUnsafeJson(HttpClientRequest.post("/api/v2/leads/subsequence/remove"), { id: "x" }),
  response: Schema.Struct({ id: Schema.String })
}

const noWait = { limits: [{ limit: 1_000_000, window: "1 second" }, { limit: 2_000_000, window: "1 minute" }] } as const

const options: Record<string, Omit<InstantlyClientOptions, "apiKey">> = {
  bare: { retry: false, rateLimit: false, timeout: false },
  "bare-timeout": { retry: false, rateLimit: false, timeout: false },
  "bare-effect-timeout": { retry: false, rateLimit: false, timeout: false },
  off: { retry: false, rateLimit: false, timeout: false },
  defaults: { rateLimit: false },
  limiter: { rateLimit: noWait },
  keeping: { rateLimit: false }
}

export const suite: Suite = {
  id: "machinery",
  title: "InstantlyClient's own cost (in-process HttpClient, no socket)",
  description: "Microseconds per execute() with the answer in memory; ratios and differences to \"bare\" " +
    "(send + handleResponse, as execute did before retries, timeouts and the limiter), same round.",
  server: false,
  onRequest: true,
  rounds: { full: 3, quick: 1 },
  params: { full: { calls: 5_000, warmUp: 1_000 }, quick: { calls: 1_000, warmUp: 200 } },
  metrics: [{ key: "us", label: "us/call", unit: "us", digits: 1 }],
  variants: [
    { id: "bare", label: "bare: send + handleResponse" },
    { id: "off", label: "execute, retry/timeout/limiter off (attempt span, metrics)", baseline: "bare" },
    { id: "defaults", label: "execute, defaults, limiter off", baseline: "bare" },
    { id: "limiter", label: "execute, defaults, limiter on (never waits)", baseline: "bare" },
    {
      id: "keeping",
      label: "execute, defaults, limiter off, over a transport like InstantlyHttpClient (deadline, body kept)",
      baseline: "bare"
    },
    { id: "bare-timeout", label: "bare + internal/timeout.ts timeoutFail (30 s)", baseline: "bare" },
    { id: "bare-effect-timeout", label: "bare + Effect.timeoutFail (30 s)", baseline: "bare" }
  ],
  measure: async (variant, { calls, warmUp }) => {
    const runtime = ManagedRuntime.make(
      InstantlyClient.layer({ apiKey: Redacted.make("bench-key"), ...options[variant] }).pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, variant === "keeping" ? keepingServer : server))
      )
    )
    const client = await runtime.runPromise(InstantlyClient)
    const info = { method: request.request.method, path: request.request.url }
    const bare = Effect.flatMap(
      Effect.orDie(client.httpClient.execute(request.request)),
      (response) => handleResponse(response, request.response, info)
    )
    // The per-attempt timeout of another transport than InstantlyHttpClient: ours against Effect's.
    const call = variant === "bare"
      ? bare
      : variant === "bare-timeout"
      ? timeoutFail(30_000, () => "timeout")(bare)
      : variant === "bare-effect-timeout"
      ? Effect.timeoutFail(bare, { duration: "30 seconds", onTimeout: () => "timeout" })
      : client.execute(request)
    const us = await microsPerCall(calls!, warmUp!, (count) =>
      runtime.runPromise(Effect.gen(function*() {
        for (let i = 0; i < count; i++) yield* call
      })))
    await runtime.dispose()
    return { us }
  }
}
