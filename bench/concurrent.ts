/**
 * Suite 3, concurrent: 20,000 removals at concurrency 50 (limiter off) against the loopback server,
 * ours vs a pool of 50 raw undici workers: throughput, JS heap allocated per call, peak RSS.
 */
import * as Effect from "effect/Effect"
import { Agent } from "undici"
import { Leads } from "../src/index.js"
import { leadId, leadsRuntime, rawRemove, removePath } from "./stack.js"
import { allocationMeter, type Params, peakRssMb, type Sample, type Suite } from "./suite.js"

/** Runs `calls` through `run` (warm-up first), metering time, allocation and peak RSS. */
const metered = async (calls: number, warmUp: number, run: (count: number) => Promise<unknown>): Promise<Sample> => {
  await run(warmUp)
  const allocated = allocationMeter()
  const start = performance.now()
  await run(calls)
  const seconds = (performance.now() - start) / 1_000
  return { rps: calls / seconds, kib: allocated() / 1024 / calls, rss: peakRssMb() }
}

const ours = async (url: string, { calls, concurrency, warmUp }: Params) => {
  const runtime = leadsRuntime("InstantlyHttpClient.layer", url)
  const leads = await runtime.runPromise(Leads)
  const run = (count: number) =>
    runtime.runPromise(
      Effect.forEach(Array.from({ length: count }, () => leadId), (id) => leads.removeFromSubsequence(id), {
        concurrency,
        discard: true
      })
    )
  const sample = await metered(calls!, warmUp!, run)
  await runtime.dispose()
  return sample
}

export const suite: Suite = {
  id: "concurrent",
  title: "Concurrent: removals at concurrency 50, limiter off",
  description: "Requests per second over the whole batch, JS heap bytes allocated per call (GC accounting, " +
    "see bench/suite.ts), and the process's peak RSS. Baseline: 50 async workers looping undici.request + " +
    "JSON.parse over one Agent, same round.",
  server: true,
  rounds: { full: 3, quick: 1 },
  params: {
    full: { calls: 20_000, concurrency: 50, warmUp: 2_000 },
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
    }
  ],
  measure: async (variant, params, url) => {
    const target = url + removePath
    switch (variant) {
      case "raw-undici": {
        const agent = new Agent()
        const run = async (count: number) => {
          let next = 0
          const worker = async () => {
            while (next++ < count) await rawRemove(target, agent)
          }
          await Promise.all(Array.from({ length: params.concurrency! }, worker))
        }
        const sample = await metered(params.calls!, params.warmUp!, run)
        await agent.close()
        return sample
      }
      case "ours-instantly":
        return ours(url, params)
    }
    throw new Error(`unknown variant ${variant}`)
  }
}
