/**
 * The tarball smoke test's program, run in a fresh project where effect-instantly is installed from
 * its packed tarball next to `effect` and `@effect/platform`: compiled with `tsc` (strict, NodeNext,
 * library declarations checked too), then run with node. It removes a lead from its subsequence
 * through the published `Leads` and `InstantlyClient` layers, over a socket (the published
 * `effect-instantly/node` transport), against the published emulator; then removes another with the
 * published command line (`npx effect-instantly`), against the same emulator.
 */
import { Effect, Either, Layer, Option, Redacted } from "effect"
import { InstantlyClient, type InstantlyError, type Lead, Leads, RateLimiter, version } from "effect-instantly"
import { InstantlyEmulator } from "effect-instantly/emulator"
import { InstantlyHttpClient } from "effect-instantly/node"
import { strict as assert } from "node:assert"
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { promisify } from "node:util"

// The emulator from the tarball's `effect-instantly/emulator` subpath, on a free loopback port.
const Emulator = InstantlyEmulator.layerServer({ leads: InstantlyEmulator.generateLeads({ count: 3, seed: 7 }) })

// The real client over a real socket, pointed at the emulator's URL.
const ClientLive = Layer.unwrapEffect(
  Effect.map(
    InstantlyEmulator,
    (emulator) =>
      InstantlyClient.layer({ apiKey: Redacted.make(InstantlyEmulator.defaultApiKey), baseUrl: emulator.url })
  )
)

const InstantlyLive = Leads.Default.pipe(
  Layer.provide(ClientLive),
  Layer.provideMerge(Emulator),
  Layer.provide(InstantlyHttpClient.layer)
)

// The annotations fail to compile if a type from the package does not resolve to what it should.
const program: Effect.Effect<Lead, InstantlyError, Leads | InstantlyEmulator> = Effect.gen(function*() {
  const leads = yield* Leads
  const emulator = yield* InstantlyEmulator
  // @ts-expect-error an id is a string (were the package's types missing, this would not be an error)
  leads.removeFromSubsequence(42)
  const invalid = yield* Effect.either(leads.removeFromSubsequence("not-a-uuid"))
  assert.ok(Either.isLeft(invalid) && invalid.left._tag === "InstantlyInvalidInputError", "an invalid id fails")
  const [first] = yield* emulator.leads
  assert.ok(first !== undefined && first.subsequence_id !== null, "the first generated lead is in a subsequence")
  const lead = yield* leads.removeFromSubsequence(first.id)
  const stored = yield* emulator.lead(first.id)
  assert.equal(Option.getOrThrow(stored).subsequence_id, null)
  assert.equal((yield* emulator.counters).operations.removeFromSubsequence, 1)
  return lead
})

// The command line from the tarball's bin, as an operator runs it, against the emulator served here.
const run = promisify(execFile)
const cli: Effect.Effect<void, never, InstantlyEmulator> = Effect.gen(function*() {
  const emulator = yield* InstantlyEmulator
  const [, second] = yield* emulator.leads
  assert.ok(second !== undefined)
  const { stdout } = yield* Effect.promise(() =>
    run("npx", [
      "--no-install",
      "effect-instantly",
      "leads",
      "remove-from-subsequence",
      second.id,
      "--base-url",
      emulator.url,
      "--output",
      "ndjson"
    ], { env: { ...process.env, INSTANTLY_API_KEY: InstantlyEmulator.defaultApiKey } })
  )
  assert.deepEqual(JSON.parse(stdout), { id: second.id, index: 0, outcome: "Removed" })
  assert.equal(Option.getOrThrow(yield* emulator.lead(second.id)).subsequence_id, null)
})

const lead = await Effect.runPromise(
  Effect.zipLeft(program, cli).pipe(Effect.provide(InstantlyLive))
)
assert.equal(lead.subsequence_id, null)
assert.equal(lead.status_summary_subseq, null)
// ioredis is an optional peer dependency, not installed here: the package loads without it, and only a
// Redis limiter built from a URL needs it, saying so.
// ioredis is an optional peer: not installed here, so a Redis limiter from a URL says what to install.
// (Checked only when ioredis cannot be resolved from this project, e.g. not from a node_modules above it.)
const ioredisReachable = (() => {
  try {
    createRequire(import.meta.url).resolve("ioredis")
    return true
  } catch {
    return false
  }
})()
if (ioredisReachable) {
  console.log("smoke: ioredis resolves from a directory above this project; the missing-ioredis message is not checked")
} else {
  const withoutIoredis = await Effect.runPromise(
    Effect.exit(Effect.scoped(Layer.build(RateLimiter.layerRedis({ workspace: "w", url: "redis://127.0.0.1:1" }))))
  )
  assert.ok(
    withoutIoredis._tag === "Failure" && String(withoutIoredis.cause).includes("needs the ioredis package"),
    "a Redis limiter from a URL without ioredis says what to install"
  )
}
const installed = JSON.parse(readFileSync("node_modules/effect-instantly/package.json", "utf8"))
assert.equal(version, installed.version)
console.log(
  `smoke: effect-instantly ${version} from the tarball removed ${lead.email} from its subsequence (emulator, over HTTP), ` +
    "and another with npx effect-instantly"
)
