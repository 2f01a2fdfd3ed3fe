/**
 * Suite 3, concurrent: 20,000 removals at concurrency 50 (limiter off) against the loopback server,
 * ours vs a pool of 50 raw undici workers: throughput, JS heap allocated per call, peak RSS.
 */
import * as Effect from "effect/Effect"
import { Agent } from "undici"
import { leadsTarget, rawRemove, removePath, type Target, transportTarget } from "./stack.js"
import { allocationMeter, type Params, peakRssMb, type Sample, type Suite } from "./suite.js"

/** Runs `run(warmUp)`, then `run(calls)` metering time, allocation and peak RSS. */
const metered = async (calls: number, warmUp: number, run: (count: number) => Promise<unknown>): Promise<Sample> => {
  await run(warmUp)
  const allocated = allocationMeter()
  const start = performance.now()
  await run(calls)
  const seconds = (performance.now() - start) / 1_000
  return { rps: calls / seconds, kib: allocated() / 1024 / calls, rss: peakRssMb() }
}

/** `target`'s removal `calls` times, `concurrency` at a time. */
const concurrently = async (target: Promise<Target>, { calls, concurrency, warmUp }: Params) => {
  const { call, dispose, run } = await target
  const sample = await metered(
    calls!,
    warmUp!,
    (count) => run(Effect.forEach(Array.from({ length: count }), () => call, { concurrency, discard: true }))
  )
  await dispose()
  return sample
}

export const suite: Suite = {
  id: "concurrent",
  title: "Concurrent: removals at concurrency 50, limiter off",
  description: "Requests per second over the whole batch, JS heap bytes allocated per call (GC accounting, " +
    "see bench/suite.ts), and the process's peak RSS. Baseline: 50 async workers looping undici.request + " +
    "JSON.parse over one Agent, same round. The transport row sends the same request without " +
    "InstantlyClient and Leads, tracer disabled: what is left for the client once its telemetry is cheap.",
  server: true,
  rounds: { full: 3, quick: 1 },
  params: {
    full: { calls: 20_000, concurrency: 50, warmUp: 500 },
    quick: { calls: 2_000, concurrency: 50, warmUp: 200 }
  },
  metrics: [
    { key: "rps", label: "req/s", unit: "/s", digits: 0 },
    { key: "kib", label: "KiB/call", unit: "KiB", digits: 1 },
    { key: "rss", label: "peak RSS MB", unit: "MB", digits: 0 }
  ],
  variants: [
    { id: "raw-undici", label: "raw undici worker pool" },
    {
      id: "ours-instantly",
      label: "ours over InstantlyHttpClient.layer",
      baseline: "raw-undici",
      goals: [{ metric: "rps", on: "ratio", min: 0.5 }, { metric: "kib", on: "value", max: 64 }]
    },
    {
      id: "transport-untraced",
      label: "InstantlyHttpClient alone, tracer disabled: execute + text + JSON.parse",
      baseline: "raw-undici"
    }
  ],
  measure: async (variant, params, url) => {
    switch (variant) {
      case "raw-undici": {
        const agent = new Agent()
        const sample = await metered(params.calls!, params.warmUp!, async (count) => {
          let next = 0
          const worker = async () => {
            while (next++ < count) await rawRemove(url + removePath, agent)
          }
          await Promise.all(Array.from({ length: params.concurrency! }, worker))
        })
        await agent.close()
        return sample
      }
      case "ours-instantly":
        return concurrently(leadsTarget("InstantlyHttpClient.layer", url), params)
      case "transport-untraced":
        return concurrently(transportTarget(url, false), params)
    }
    throw new Error(`unknown variant ${variant}`)
  }
}
