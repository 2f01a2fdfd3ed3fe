/**
 * Bulk removal end to end, through the real `Leads` and `InstantlyClient` (its limiter and retries on)
 * against the emulator: paced at the workspace's limit on the `TestClock` and over a real socket, and
 * the selections it is fed from (`inSubsequence`, `findByEmail`).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { Lead, Leads, summarize } from "../../src/index.js"
import { InstantlyEmulator } from "../../src/InstantlyEmulator.js"
import { runOnTestClock } from "../utils/Client.js"
import { emulator, layer, leadsWith } from "../utils/Emulator.js"

const ids = Effect.flatMap(InstantlyEmulator, (server) => Effect.map(server.leads, (leads) => leads.map((l) => l.id)))

const stillInOne = Effect.flatMap(
  InstantlyEmulator,
  (server) => Effect.map(server.leads, (leads) => leads.filter((lead) => lead.subsequence_id !== null))
)

describe("bulk removal at the workspace's limit", () => {
  it.effect(
    "2,000 removals at 100/s on the TestClock: no 429, done in 20 s of clock (within 5%)",
    () =>
      Effect.gen(function*() {
        const server = yield* InstantlyEmulator
        const leads = yield* Leads
        const all = yield* ids
        const [summary, elapsed] = yield* runOnTestClock(Effect.gen(function*() {
          const start = yield* Clock.currentTimeMillis
          const summary = yield* summarize(leads.removeManyFromSubsequence(all))
          return [summary, (yield* Clock.currentTimeMillis) - start] as const
        }))
        expect(summary).toEqual({
          total: 2_000,
          byKind: { Removed: 2_000, NotFound: 0, InvalidId: 0, Duplicate: 0, Failed: 0 },
          byError: {}
        })
        const counters = yield* server.counters
        expect(counters.rateLimited).toBe(0)
        expect(counters.responses).toEqual({ 200: 2_000 })
        expect(elapsed).toBeGreaterThanOrEqual(19_000)
        expect(elapsed).toBeLessThanOrEqual(21_000)
        expect(yield* stillInOne).toEqual([])
      }).pipe(Effect.provide(
        // The client's defaults: retries, and Instantly's limits (100/s, 6,000/min), as the emulator's.
        leadsWith(InstantlyEmulator.defaultApiKey, {}).pipe(
          Layer.provideMerge(emulator("in-process", { generate: { count: 2_000, seed: 21 } }))
        )
      )),
    60_000
  )

  it.live(
    "5,000 removals at 1,000/s over a socket: no 429, and every lead is out of its subsequence",
    () =>
      Effect.gen(function*() {
        const server = yield* InstantlyEmulator
        const leads = yield* Leads
        const summary = yield* summarize(leads.removeManyFromSubsequence(yield* ids))
        expect(summary.byKind).toEqual({ Removed: 5_000, NotFound: 0, InvalidId: 0, Duplicate: 0, Failed: 0 })
        expect((yield* server.counters).rateLimited).toBe(0)
        expect(yield* stillInOne).toEqual([])
      }).pipe(Effect.provide(
        leadsWith(InstantlyEmulator.defaultApiKey, {
          rateLimit: { limits: [{ limit: 1_000, window: "1 second" }, { limit: 60_000, window: "1 minute" }] }
        }).pipe(
          Layer.provideMerge(emulator("socket", {
            generate: { count: 5_000, seed: 22 },
            rateLimit: { perSecond: 1_000, perMinute: 60_000 }
          }))
        )
      )),
    60_000
  )
})

describe("selecting the leads to remove", () => {
  it.effect(
    "inSubsequence feeds removeManyFromSubsequence: the subsequence empties, the other one is untouched",
    () =>
      Effect.gen(function*() {
        const server = yield* InstantlyEmulator
        const leads = yield* Leads
        const [target, other] = yield* server.subsequences
        const before = yield* stillInOne
        const inTarget = before.filter((lead) => lead.subsequence_id === target!.id).map((lead) => lead.id)
        expect(inTarget.length).toBeGreaterThan(150) // more than a page, so paging meets the removals

        const listed = Chunk.toArray(yield* Stream.runCollect(leads.inSubsequence(target!.id))).map((l) => l.id)
        expect(listed).toEqual([...inTarget].sort())

        const summary = yield* runOnTestClock(
          summarize(leads.removeManyFromSubsequence(Stream.map(leads.inSubsequence(target!.id), (lead) => lead.id)))
        )
        expect(summary.byKind.Removed).toBe(inTarget.length)
        expect(summary.total).toBe(inTarget.length)
        expect(yield* Stream.runCollect(leads.inSubsequence(target!.id))).toEqual(Chunk.empty())
        const after = yield* stillInOne
        expect(after.map((lead) => lead.id)).toEqual(
          before.filter((lead) => lead.subsequence_id === other!.id).map((lead) => lead.id)
        )
      }).pipe(Effect.provide(
        leadsWith(InstantlyEmulator.defaultApiKey, {}).pipe(
          Layer.provideMerge(emulator("in-process", { generate: { count: 600, seed: 23 } }))
        )
      )),
    60_000
  )

  it.effect("findByEmail finds the lead behind a reply in each campaign it is in, and nothing for an unknown one", () =>
    Effect.gen(function*() {
      const server = yield* InstantlyEmulator
      const leads = yield* Leads
      const [lead] = yield* server.leads
      const twin = new Lead({ ...lead!, id: "019cc099-0000-7000-8000-000000000001", campaign: null })
      yield* server.putLeads([twin])
      const found = yield* Stream.runCollect(leads.findByEmail(lead!.email!.toUpperCase()))
      expect(Chunk.toArray(found).map((l) => l.id)).toEqual([lead!.id, twin.id].sort())
      expect(yield* Stream.runCollect(leads.findByEmail("nobody@example.com"))).toEqual(Chunk.empty())
    }).pipe(Effect.provide(layer("in-process", { generate: { count: 30, seed: 24 } }))))
})
