/**
 * What the benchmarks drive: the real `Leads` over the real `InstantlyClient` (retries and the
 * per-attempt timeout at their defaults, the rate limiter off so nothing waits) over a given
 * `HttpClient` layer, or the transport alone; both against the loopback server. And the raw baselines'
 * request.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { type Dispatcher, request } from "undici"
import { InstantlyClient, Leads } from "../src/index.js"
import { InstantlyHttpClient } from "../src/node.js"

/** The lead every benchmark removes (the server answers the seed lead whatever the id). */
export const leadId = "019cc043-e399-7fdb-86d6-bb0d304b0776"

/** The removal's path and body, as `Leads.removeFromSubsequence` sends them. */
export const removePath = "/api/v2/leads/subsequence/remove"
export const removeBody = JSON.stringify({ id: leadId })

/** The headers the raw baselines send: what `InstantlyClient` sends, but the user agent. */
export const rawHeaders = {
  "content-type": "application/json",
  accept: "application/json",
  authorization: "Bearer bench-key"
}

/** The raw baseline's removal: `undici.request` through `dispatcher`, the body read and `JSON.parse`d. */
export const rawRemove = async (target: string, dispatcher: Dispatcher): Promise<unknown> => {
  const response = await request(target, { method: "POST", body: removeBody, headers: rawHeaders, dispatcher })
  return JSON.parse(await response.body.text())
}

/** The transports `Leads` is measured over. */
export const transports = {
  "InstantlyHttpClient.layer": InstantlyHttpClient.layer,
  "NodeHttpClient.layerUndici": NodeHttpClient.layerUndici,
  "FetchHttpClient.layer": FetchHttpClient.layer
} satisfies Record<string, Layer.Layer<HttpClient.HttpClient>>

/** One removal as an effect, and a way to run effects where it runs (and to dispose of that). */
export interface Target {
  readonly call: Effect.Effect<unknown, unknown>
  readonly run: <A, E>(effect: Effect.Effect<A, E>) => Promise<A>
  readonly dispose: () => Promise<void>
}

const target = async <R>(
  layer: Layer.Layer<R>,
  call: (runtime: ManagedRuntime.ManagedRuntime<R, never>) => Promise<Effect.Effect<unknown, unknown>>
): Promise<Target> => {
  const runtime = ManagedRuntime.make(layer)
  return { call: await call(runtime), run: (effect) => runtime.runPromise(effect), dispose: () => runtime.dispose() }
}

/** `Leads.removeFromSubsequence` over `transport`, with the limiter off. */
export const leadsTarget = (transport: keyof typeof transports, baseUrl: string): Promise<Target> =>
  target(
    Leads.Default.pipe(
      Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make("bench-key"), baseUrl, rateLimit: false })),
      Layer.provide(transports[transport])
    ),
    async (runtime) => {
      const leads = await runtime.runPromise(Leads)
      return leads.removeFromSubsequence(leadId)
    }
  )

/**
 * The transport alone, without `InstantlyClient` and `Leads`: the raw baseline's request through
 * `InstantlyHttpClient`, its body read and `JSON.parse`d; with the tracer on (the platform's
 * `http.client` span and trace headers) or off.
 */
export const transportTarget = (baseUrl: string, tracer: boolean): Promise<Target> =>
  target(InstantlyHttpClient.layer, async (runtime) => {
    const client = await runtime.runPromise(HttpClient.HttpClient)
    const post = HttpClientRequest.post(baseUrl + removePath).pipe(
      HttpClientRequest.setHeaders(rawHeaders),
      HttpClientRequest.bodyText(removeBody, "application/json")
    )
    return Effect.withTracerEnabled(
      Effect.flatMap(client.execute(post), (response) => Effect.map(response.text, JSON.parse)),
      tracer
    )
  })
