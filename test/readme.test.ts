import { expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { readFileSync } from "node:fs"
import { emptySubsequence, removeAll, stopByEmail } from "../examples/bulk.js"
import { InstantlyLive, stopFollowUps } from "../examples/usage.js"
import { InstantlyClient, Leads } from "../src/index.js"
import { InstantlyEmulator } from "../src/InstantlyEmulator.js"
import seed from "./fixtures/lead-seed-example.json" with { type: "json" }
import { runOnTestClock } from "./utils/Client.js"
import * as MockHttp from "./utils/MockHttp.js"

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8")

it("the README's usage example is examples/usage.ts, verbatim", () => {
  expect(read("../README.md")).toContain("```ts\n" + read("../examples/usage.ts") + "```")
})

it("the README's bulk removal example is examples/bulk.ts, verbatim", () => {
  expect(read("../README.md")).toContain("```ts\n" + read("../examples/bulk.ts") + "```")
})

it("the README's emulator example is examples/emulator.test.ts (run by vitest), verbatim", () => {
  expect(read("../README.md")).toContain("```ts\n" + read("../examples/emulator.test.ts") + "```")
})

it.effect("the README's usage example runs: removes a lead, and a 404 is not an error", () =>
  Effect.gen(function*() {
    const removed = yield* stopFollowUps(seed.id)
    expect(removed?.id).toBe(seed.id)
    const gone = yield* stopFollowUps(seed.id)
    expect(gone).toBeNull()
    const requests = (yield* MockHttp.MockHttp).requests
    expect(requests.map((r) => `${r.method} ${r.url} ${r.headers["authorization"]}`)).toEqual([
      `POST https://api.instantly.ai/api/v2/leads/subsequence/remove Bearer key-from-env`,
      `POST https://api.instantly.ai/api/v2/leads/subsequence/remove Bearer key-from-env`
    ])
  }).pipe(
    Effect.provide(InstantlyLive.pipe(
      Layer.provideMerge(MockHttp.layer([
        { status: 200, json: seed },
        { status: 404, json: { statusCode: 404, error: "Not Found", message: "Resource not found" } }
      ])),
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["INSTANTLY_API_KEY", "key-from-env"]]))))
    ))
  ))

it.effect(
  "the README's bulk removal example runs: a subsequence emptied, a lead found by email, a list of ids",
  () =>
    Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      const [first, second] = yield* emulator.subsequences
      const leads = yield* emulator.leads
      const inFirst = leads.filter((lead) => lead.subsequence_id === first!.id)

      const emptied = yield* runOnTestClock(emptySubsequence(first!.id), "1 second")
      expect(emptied.byKind.Removed).toBe(inFirst.length)

      const [replied] = leads.filter((lead) => lead.subsequence_id === second!.id)
      const byEmail = yield* runOnTestClock(stopByEmail(replied!.email!), "1 second")
      expect(byEmail.byKind.Removed).toBeGreaterThanOrEqual(1)
      expect(Option.map(yield* emulator.lead(replied!.id), (lead) => lead.subsequence_id)).toEqual(Option.some(null))

      const ids = [...leads.map((lead) => lead.id), "not-an-id", leads[0]!.id]
      const all = yield* runOnTestClock(removeAll(ids), "1 second")
      expect(all).toEqual({
        total: leads.length + 2,
        byKind: { Removed: leads.length, NotFound: 0, InvalidId: 1, Duplicate: 1, Failed: 0 },
        byError: {}
      })
      expect((yield* emulator.leads).filter((lead) => lead.subsequence_id !== null)).toEqual([])
      expect((yield* emulator.counters).rateLimited).toBe(0)
    }).pipe(Effect.provide(
      Leads.Default.pipe(
        Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make(InstantlyEmulator.defaultApiKey) })),
        Layer.provideMerge(InstantlyEmulator.layerClient({ generate: { count: 300, seed: 42 } }))
      )
    )),
  60_000
)
