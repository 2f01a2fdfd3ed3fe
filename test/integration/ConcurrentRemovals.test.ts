/**
 * The whole stack under load, over real sockets (through `NodeHttpClient.layerUndici`, then through
 * `InstantlyHttpClient.layer`): 300 removals from 20 fibers through the real client (default retries,
 * the client's limiter set to the workspace's limit) against an emulator limited to 50/s that answers
 * 10% of requests 500/502/503 and drops 3% of connections.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as MetricState from "effect/MetricState"
import { Leads } from "../../src/index.js"
import { InstantlyEmulator } from "../../src/InstantlyEmulator.js"
import { emulator, leadsWith, type SocketTransport, socketTransports } from "../utils/Emulator.js"

const leads = 300
const fibers = 20
const perSecond = 50

/** The sum of a counter's values over every tag set that has `tags` among its tags. */
const counterSum = (name: string, tags: Record<string, string | ReadonlyArray<string>>) =>
  Effect.map(Metric.snapshot, (pairs) =>
    pairs.reduce((sum, pair) => {
      if (pair.metricKey.name !== name || !MetricState.isCounterState(pair.metricState)) return sum
      const matches = Object.entries(tags).every(([key, wanted]) => {
        const value = pair.metricKey.tags.find((tag) => tag.key === key)?.value
        return value !== undefined && (typeof wanted === "string" ? value === wanted : wanted.includes(value))
      })
      return matches ? sum + Number(pair.metricState.count) : sum
    }, 0))

const removeMetrics = Effect.all({
  requests: counterSum("instantly_requests_total", { operation: "removeFromSubsequence" }),
  succeeded: counterSum("instantly_requests_total", { operation: "removeFromSubsequence", status_class: "2xx" }),
  retriedFor429: counterSum("instantly_retries_total", { operation: "removeFromSubsequence", reason: "429" }),
  retriedFor5xx: counterSum("instantly_retries_total", {
    operation: "removeFromSubsequence",
    reason: ["500", "502", "503"]
  }),
  retriedForTransport: counterSum("instantly_retries_total", {
    operation: "removeFromSubsequence",
    reason: "transport"
  })
})

// About one attempt in five meets a fault or a 429 here, so 5 attempts leave 300 calls a few percent
// chance that one of them fails five times in a row (seen once in 12 runs): 10 retries make it ~1e-5,
// and a 2 s cap on the backoff keeps even that case well inside the test's time.
const TestLayer = (transport: SocketTransport) =>
  leadsWith(InstantlyEmulator.defaultApiKey, {
    retry: { maxRetries: 10, maxDelay: "2 seconds" },
    rateLimit: { limits: [{ limit: perSecond, window: "1 second" }] }
  }).pipe(
    Layer.provideMerge(emulator(transport, {
      leads: InstantlyEmulator.generateLeads({ count: leads, seed: 11 }),
      rateLimit: { perSecond },
      faults: { seed: 5, serverError: 0.1, dropConnection: 0.03 }
    }))
  )

describe.each(socketTransports)(
  "300 removals across 20 fibers, over a %s, with faults and a 50/s limit",
  (transport) => {
    it.live(
      "every lead ends out of its subsequence, no error escapes, and both sides count the same",
      () =>
        Effect.gen(function*() {
          const server = yield* InstantlyEmulator
          const client = yield* Leads
          const before = yield* removeMetrics
          const ids = (yield* server.leads).map((lead) => lead.id)
          expect(ids).toHaveLength(leads)

          const removed = yield* Effect.forEach(ids, (id) => client.removeFromSubsequence(id), { concurrency: fibers })

          // Every call returned its own lead, out of its subsequence, and the workspace agrees.
          expect(removed.map((lead) => lead.id)).toEqual(ids)
          expect(removed.every((lead) => lead.subsequence_id === null)).toBe(true)
          const stored = yield* server.leads
          expect(stored.filter((lead) => lead.subsequence_id !== null || lead.status_summary_subseq !== null)).toEqual(
            []
          )

          // What the emulator counted is what the client's metrics say it met.
          const after = yield* removeMetrics
          const counters = yield* server.counters
          const delta = (key: keyof typeof after) => after[key] - before[key]
          expect(counters.operations.removeFromSubsequence).toBe(leads)
          expect(delta("succeeded")).toBe(leads)
          expect(delta("requests")).toBe(counters.requests)
          expect(delta("retriedFor429")).toBe(counters.rateLimited)
          expect(delta("retriedFor5xx")).toBe(counters.faults.serverError)
          expect(delta("retriedForTransport")).toBe(counters.faults.dropped)
          // The faults really happened: the test is not passing on a quiet run.
          expect(counters.faults.serverError).toBeGreaterThan(10)
          expect(counters.faults.dropped).toBeGreaterThan(0)
          expect(counters.requests).toBe(
            leads + counters.rateLimited + counters.faults.serverError + counters.faults.dropped
          )
        }).pipe(Effect.provide(TestLayer(transport))),
      60_000
    )
  }
)
