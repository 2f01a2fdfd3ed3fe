/**
 * `InstantlyEmulator.layerClient` (in-process) and `layerServer` (a socket, reached through
 * `NodeHttpClient.layerUndici` and through `InstantlyHttpClient.layer`) give the same answers, state and
 * counters for the same script of calls, faults and rate limit included.
 */
import { expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Lead, Leads } from "../../src/index.js"
import { InstantlyEmulator, type InstantlyEmulatorOptions } from "../../src/InstantlyEmulator.js"
import { layer, type Outcome, outcome, send, socketTransports, type Transport } from "../utils/Emulator.js"

const options: InstantlyEmulatorOptions = {
  leads: InstantlyEmulator.generateLeads({ count: 6, seed: 11 }),
  rateLimit: { perSecond: 15 },
  faults: { seed: 4, serverError: 0.1, dropConnection: 0.1, truncatedBody: 0.1, nonJsonBody: 0.05 }
}

/** Transport errors name the URL, which differs (a loopback port or Instantly's host): keep the tag only. */
const comparable = (result: Outcome): Outcome =>
  "error" in result && result.error === "InstantlyTransportError" ? { error: result.error, message: "" } : result

const script = Effect.gen(function*() {
  const leads = yield* Leads
  const emulator = yield* InstantlyEmulator
  const ids = (yield* emulator.leads).map((lead) => lead.id)
  const results: Array<unknown> = []
  for (const id of ids) {
    results.push(yield* outcome(leads.get(id)))
    results.push(yield* outcome(leads.removeFromSubsequence(id)))
    results.push(yield* outcome(leads.removeFromSubsequence(id)))
    results.push(yield* outcome(leads.moveToSubsequence({ id, subsequence_id: ids[0]! })))
    results.push(yield* outcome(leads.get("019cc043-e399-7fdb-86d6-bb0d304b0776")))
  }
  for (
    const [method, path, body] of [
      ["POST", "/api/v2/leads/subsequence/remove", "{"],
      ["POST", "/api/v2/leads/subsequence/move", "{}"],
      ["GET", "/api/v2/leads/subsequence/remove", undefined],
      ["GET", "/api/v2/campaigns", undefined]
    ] as const
  ) {
    const answer = yield* send(method, path, body === undefined ? {} : { body })
    results.push({ status: answer.status, body: answer.body, allow: answer.headers["allow"] })
  }
  return {
    results: results.map((r) => comparable(r as Outcome)),
    leads: (yield* emulator.leads).map((lead) => Schema.encodeSync(Lead)(lead)),
    counters: yield* emulator.counters
  }
})

const run = (transport: Transport) => Effect.provide(script, layer(transport, options))

it.effect("layerClient and layerServer answer the same script the same way, over each socket transport", () =>
  Effect.gen(function*() {
    const inProcess = yield* run("in-process")
    for (const transport of socketTransports) {
      expect(yield* run(transport)).toEqual(inProcess)
    }
    // The script really met every kind of answer, so the comparison covers them.
    const tags = new Set(inProcess.results.map((r) => "error" in (r as object) ? (r as { error: string }).error : "ok"))
    expect([...tags].sort()).toEqual([
      "InstantlyDecodeError",
      "InstantlyNotFoundError",
      "InstantlyRateLimitError",
      "InstantlyServerError",
      "InstantlyTransportError",
      "ok"
    ])
    expect(inProcess.counters.requests).toBe(34)
  }))
