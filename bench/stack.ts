/**
 * The client under test in the benchmarks: the real `Leads` over the real `InstantlyClient` (retries
 * and the per-attempt timeout at their defaults, the rate limiter off so nothing waits) over a given
 * `HttpClient` layer, pointed at the loopback server; and the raw baselines' request.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
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

/** A runtime holding `Leads` over `transport`, against `baseUrl`, with the limiter off. */
export const leadsRuntime = (transport: keyof typeof transports, baseUrl: string) =>
  ManagedRuntime.make(
    Leads.Default.pipe(
      Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make("bench-key"), baseUrl, rateLimit: false })),
      Layer.provide(transports[transport])
    )
  )
