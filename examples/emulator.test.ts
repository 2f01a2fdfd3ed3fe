import { expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, Redacted, TestClock } from "effect"
import { InstantlyClient, Leads } from "effect-instantly"
import { InstantlyEmulator, type InstantlyEmulatorOptions } from "effect-instantly/emulator"
import { stopFollowUps } from "./usage.js" // the code under test

// The real Leads and InstantlyClient, answered in-process by an emulated workspace: no network, no key.
const InstantlyTest = (options?: InstantlyEmulatorOptions) =>
  Leads.Default.pipe(
    Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make(InstantlyEmulator.defaultApiKey) })),
    Layer.provideMerge(InstantlyEmulator.layerClient({
      leads: InstantlyEmulator.generateLeads({ count: 3, seed: 42 }), // the first is in a subsequence
      ...options
    }))
  )

it.effect("a reply stops the lead's follow-ups; an unknown lead is no error", () =>
  Effect.gen(function*() {
    const emulator = yield* InstantlyEmulator
    const [lead] = yield* emulator.leads
    yield* stopFollowUps(lead!.id)
    const after = yield* emulator.lead(lead!.id)
    expect(Option.map(after, (l) => l.subsequence_id)).toEqual(Option.some(null))
    expect(yield* stopFollowUps("019cc043-0000-7000-8000-000000000000")).toBeNull()
    expect((yield* emulator.counters).operations.removeFromSubsequence).toBe(1)
  }).pipe(Effect.provide(InstantlyTest())))

it.effect("when Instantly keeps answering 503, the caller gets InstantlyServerError after the retries", () =>
  Effect.gen(function*() {
    const [lead] = yield* Effect.flatMap(InstantlyEmulator, (emulator) => emulator.leads)
    const call = yield* Effect.fork(Effect.flip(stopFollowUps(lead!.id)))
    yield* TestClock.adjust("1 minute") // the client's backoff sleeps on the test clock
    expect(yield* Fiber.join(call)).toMatchObject({ _tag: "InstantlyServerError", attempts: 5 })
  }).pipe(Effect.provide(InstantlyTest({ faults: { serverError: 1, seed: 3 } }))))
