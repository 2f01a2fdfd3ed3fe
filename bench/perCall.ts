/**
 * Suite 1, per call: sequential `Leads.removeFromSubsequence` calls against the loopback server, over
 * each transport, as a ratio to raw `undici.request` + `JSON.parse` (and raw `fetch` for the fetch row).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { Agent } from "undici"
import { Leads } from "../src/index.js"
import { InstantlyHttpClient } from "../src/node.js"
import { leadId, leadsRuntime, rawHeaders, rawRemove, removeBody, removePath, type transports } from "./stack.js"
import { microsPerCall, type Suite } from "./suite.js"

const ours = async (transport: keyof typeof transports, url: string, calls: number, warmUp: number) => {
  const runtime = leadsRuntime(transport, url)
  const leads = await runtime.runPromise(Leads)
  const loop = (count: number) =>
    runtime.runPromise(Effect.gen(function*() {
      for (let i = 0; i < count; i++) yield* leads.removeFromSubsequence(leadId)
    }))
  const us = await microsPerCall(calls, warmUp, loop)
  await runtime.dispose()
  return { us }
}

/**
 * The transport alone, without `InstantlyClient` and `Leads`: the same request through
 * `InstantlyHttpClient`, its body read and parsed; with the tracer on (the platform's `http.client` span)
 * or off.
 */
const transportOnly = async (url: string, calls: number, warmUp: number, tracer: boolean) => {
  const runtime = ManagedRuntime.make(InstantlyHttpClient.layer)
  const client = await runtime.runPromise(HttpClient.HttpClient)
  const post = HttpClientRequest.post(url + removePath).pipe(
    HttpClientRequest.setHeaders(rawHeaders),
    HttpClientRequest.bodyText(removeBody, "application/json")
  )
  const call = Effect.flatMap(client.execute(post), (response) => Effect.map(response.text, JSON.parse))
  const loop = (count: number) =>
    runtime.runPromise(Effect.withTracerEnabled(
      Effect.gen(function*() {
        for (let i = 0; i < count; i++) yield* call
      }),
      tracer
    ))
  const us = await microsPerCall(calls, warmUp, loop)
  await runtime.dispose()
  return { us }
}

export const suite: Suite = {
  id: "per-call",
  title: "Per call, sequential (loopback server in its own process)",
  description: "Sequential removals, each awaited before the next; microseconds per call after a warm-up. " +
    "Ours: Leads.removeFromSubsequence (retries and timeout on, limiter off) over each transport. " +
    "Ratios are to raw undici.request + JSON.parse (raw fetch + JSON.parse for the fetch row), same round. " +
    "The transport rows send the same request without InstantlyClient and Leads, to split the cost.",
  server: true,
  rounds: { full: 5, quick: 1 },
  params: { full: { calls: 2_000, warmUp: 300 }, quick: { calls: 200, warmUp: 50 } },
  metrics: [{ key: "us", label: "us/call", unit: "us", digits: 0 }],
  variants: [
    { id: "raw-undici", label: "raw undici.request + JSON.parse" },
    {
      id: "ours-instantly",
      label: "ours over InstantlyHttpClient.layer",
      baseline: "raw-undici",
      goals: [{ metric: "us", on: "ratio", max: 1.5 }]
    },
    {
      id: "ours-undici",
      label: "ours over NodeHttpClient.layerUndici",
      baseline: "raw-undici",
      goals: [{ metric: "us", on: "ratio", max: 2.4 }]
    },
    {
      id: "transport",
      label: "InstantlyHttpClient alone: execute + text + JSON.parse",
      baseline: "raw-undici"
    },
    {
      id: "transport-untraced",
      label: "InstantlyHttpClient alone, tracer disabled",
      baseline: "raw-undici"
    },
    { id: "raw-fetch", label: "raw fetch + JSON.parse" },
    { id: "ours-fetch", label: "ours over FetchHttpClient.layer", baseline: "raw-fetch" }
  ],
  measure: async (variant, { calls, warmUp }, url) => {
    const target = url + removePath
    switch (variant) {
      case "raw-undici": {
        const agent = new Agent()
        const us = await microsPerCall(calls!, warmUp!, async (count) => {
          for (let i = 0; i < count; i++) await rawRemove(target, agent)
        })
        await agent.close()
        return { us }
      }
      case "raw-fetch":
        return {
          us: await microsPerCall(calls!, warmUp!, async (count) => {
            for (let i = 0; i < count; i++) {
              const response = await fetch(target, { method: "POST", body: removeBody, headers: rawHeaders })
              JSON.parse(await response.text())
            }
          })
        }
      case "ours-instantly":
        return ours("InstantlyHttpClient.layer", url, calls!, warmUp!)
      case "transport":
        return transportOnly(url, calls!, warmUp!, true)
      case "transport-untraced":
        return transportOnly(url, calls!, warmUp!, false)
      case "ours-undici":
        return ours("NodeHttpClient.layerUndici", url, calls!, warmUp!)
      case "ours-fetch":
        return ours("FetchHttpClient.layer", url, calls!, warmUp!)
    }
    throw new Error(`unknown variant ${variant}`)
  }
}
