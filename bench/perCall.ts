/**
 * Suite 1, per call: sequential `Leads.removeFromSubsequence` calls against the loopback server, over
 * each transport, as a ratio to raw `undici.request` + `JSON.parse` (and raw `fetch` for the fetch row).
 */
import * as Effect from "effect/Effect"
import { Agent } from "undici"
import { leadsTarget, rawHeaders, rawRemove, removeBody, removePath, type Target, transportTarget } from "./stack.js"
import { microsPerCall, type Suite } from "./suite.js"

/** Microseconds per call of `target`'s removal, sequential, each awaited before the next. */
const sequential = async (target: Promise<Target>, calls: number, warmUp: number) => {
  const { call, dispose, run } = await target
  const us = await microsPerCall(calls, warmUp, (count) =>
    run(Effect.gen(function*() {
      for (let i = 0; i < count; i++) yield* call
    })))
  await dispose()
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
  rounds: { full: 3, quick: 1 },
  params: { full: { calls: 1_000, warmUp: 300 }, quick: { calls: 200, warmUp: 50 } },
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
      id: "transport-untraced",
      label: "InstantlyHttpClient alone (no tracer): execute + text + JSON.parse",
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
        return sequential(leadsTarget("InstantlyHttpClient.layer", url), calls!, warmUp!)
      case "transport-untraced":
        return sequential(transportTarget(url, false), calls!, warmUp!)
      case "ours-undici":
        return sequential(leadsTarget("NodeHttpClient.layerUndici", url), calls!, warmUp!)
      case "ours-fetch":
        return sequential(leadsTarget("FetchHttpClient.layer", url), calls!, warmUp!)
    }
    throw new Error(`unknown variant ${variant}`)
  }
}
