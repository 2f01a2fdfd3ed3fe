import { expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { readFileSync } from "node:fs"
import { InstantlyLive, stopFollowUps } from "../examples/usage.js"
import seed from "./fixtures/lead-seed-example.json" with { type: "json" }
import * as MockHttp from "./utils/MockHttp.js"

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8")

it("the README's usage example is examples/usage.ts, verbatim", () => {
  expect(read("../README.md")).toContain("```ts\n" + read("../examples/usage.ts") + "```")
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
