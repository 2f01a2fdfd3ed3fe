import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import type * as MetricState from "effect/MetricState"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { readFileSync } from "node:fs"
import { emptySubsequence, removeAll, stopByEmail } from "../examples/bulk.js"
import { instantlySeries, limiterWaits } from "../examples/metrics.js"
import { onReply, shutdown } from "../examples/runtime.js"
import { InstantlyLive, stopFollowUps } from "../examples/usage.js"
import { InstantlyClient, InstantlyMetrics, Leads } from "../src/index.js"
import { InstantlyEmulator } from "../src/InstantlyEmulator.js"
import seed from "./fixtures/lead-seed-example.json" with { type: "json" }
import { runOnTestClock } from "./utils/Client.js"
import { emulator, leadsWith } from "./utils/Emulator.js"
import * as MockHttp from "./utils/MockHttp.js"

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8")
const readme = read("../README.md")
const unknownId = "019cc043-0000-7000-8000-000000000000"

describe("the README's snippets are these files, verbatim", () => {
  it.each([
    "examples/usage.ts",
    "examples/runtime.ts",
    "examples/backend.ts", // run by examples/backend.test.ts
    "examples/metrics.ts",
    "examples/bulk.ts",
    "examples/emulator.test.ts" // run by vitest
  ])("%s", (file) => {
    expect(readme).toContain("```ts\n" + read(`../${file}`) + "```")
  })
})

describe("the README's install commands", () => {
  const install = /^## Install\n\n```sh\n([\s\S]*?)```/m.exec(readme)?.[1] ?? ""
  const pins = new Map([...install.matchAll(/(\S+)@(\^\S+)/g)].map(([, name, range]) => [name!, range!]))
  const pkg = JSON.parse(read("../package.json")) as {
    readonly peerDependencies: Record<string, string>
    readonly devDependencies: Record<string, string>
  }

  it("pin every Effect peer dependency to the line package.json accepts, a caret range below Effect 4", () => {
    const effectPeers = Object.entries(pkg.peerDependencies).filter(([name]) => /^(effect|@effect\/)/.test(name))
    expect(effectPeers.map(([name]) => name).sort()).toEqual(["@effect/platform", "@effect/platform-node", "effect"])
    for (const [name, range] of effectPeers) {
      expect(range, name).toMatch(/^\^(3|0)\.\d+\.\d+$/) // ^3.x.y or ^0.x.y: never admits 4.x
      expect(range.startsWith(`${pins.get(name)}.`), `${name}: README ${pins.get(name)}, package ${range}`)
        .toBe(true)
    }
  })

  it("name the major version of ioredis the optional Redis limiter takes", () => {
    expect(pkg.peerDependencies["ioredis"]).toBe("^5.0.0")
    expect(readme).toContain("`ioredis@5`")
  })

  it("pin the test libraries we test with", () => {
    expect(pins.get("@effect/vitest")).toBe("^0.30")
    expect(pins.get("vitest")).toBe("^3")
    expect(pkg.devDependencies["@effect/vitest"]).toMatch(/^\^0\.30\./)
    expect(pkg.devDependencies["vitest"]).toMatch(/^~3\./)
  })
})

it.effect("the usage example runs: removes a lead, and a 404 is not an error", () =>
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

it.live("the ManagedRuntime example runs: its calls reach INSTANTLY_BASE_URL with INSTANTLY_API_KEY", () =>
  Effect.gen(function*() {
    const emulator = yield* InstantlyEmulator
    const [first, second] = yield* emulator.leads
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        process.env["INSTANTLY_API_KEY"] = InstantlyEmulator.defaultApiKey
        process.env["INSTANTLY_BASE_URL"] = emulator.url
      }),
      () =>
        Effect.sync(() => {
          delete process.env["INSTANTLY_API_KEY"]
          delete process.env["INSTANTLY_BASE_URL"]
        })
    )
    const removed = yield* Effect.promise(() => Promise.all([onReply(first!.id), onReply(second!.id)]))
    expect(removed.map((lead) => lead?.subsequence_id)).toEqual([null, null])
    expect(yield* Effect.promise(() => onReply(unknownId))).toBeNull()
    expect((yield* emulator.counters).operations.removeFromSubsequence).toBe(2)
    yield* Effect.promise(shutdown)
  }).pipe(Effect.scoped, Effect.provide(Layer.orDie(InstantlyEmulator.layerServer()))))

describe("the metrics example", () => {
  type Histogram = MetricState.MetricState.Histogram
  const threeAtOnce = Effect.gen(function*() {
    const ids = (yield* Effect.flatMap(InstantlyEmulator, (emulator) => emulator.leads)).map((lead) => lead.id)
    const fiber = yield* Effect.fork(Effect.forEach(ids, stopFollowUps, { concurrency: "unbounded" }))
    yield* TestClock.adjust("3 seconds")
    yield* Fiber.join(fiber)
  })
  // 3 removals at once through a limiter of 1 a second: 2 wait, 1 s and 2 s.
  const limitedToOnePerSecond = Effect.provide(
    leadsWith(InstantlyEmulator.defaultApiKey, { rateLimit: { limits: [{ limit: 1, window: "1 second" }] } }).pipe(
      Layer.provideMerge(emulator("in-process", { leads: InstantlyEmulator.generateLeads({ count: 3, seed: 4 }) }))
    )
  )

  it.effect("reads the limiter waits of one operation; the untagged metric stays at zero", () =>
    Effect.gen(function*() {
      const before: Histogram = yield* limiterWaits
      yield* threeAtOnce
      const after: Histogram = yield* limiterWaits
      expect({ count: after.count - before.count, sum: after.sum - before.sum }).toEqual({ count: 2, sum: 3 })
      expect((yield* Metric.value(InstantlyMetrics.rateLimiterWait)).count).toBe(0)
      const series = yield* instantlySeries
      expect(series).toContainEqual(expect.objectContaining({
        name: "instantly_requests_total",
        tags: { operation: "removeFromSubsequence", status_class: "2xx" }
      }))
      expect(series.every((one) => one.name.startsWith("instantly_"))).toBe(true)
    }).pipe(limitedToOnePerSecond))

  it.effect("with Effect.tagMetrics, the tagged metric reads your tags first, then operation", () =>
    Effect.gen(function*() {
      yield* Effect.tagMetrics(threeAtOnce, "app", "readme-test")
      const waits = Metric.tagged(InstantlyMetrics.rateLimiterWait, "app", "readme-test").pipe(
        Metric.tagged("operation", "removeFromSubsequence")
      )
      expect(yield* Metric.value(waits)).toMatchObject({ count: 2, sum: 3 })
    }).pipe(limitedToOnePerSecond))
})

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
