/**
 * The install test's program, in an empty project where the README's install commands put effect-instantly
 * (from its packed tarball): compiled with the README's examples beside it, then run with node. It runs the
 * ManagedRuntime and metrics examples against the emulator, served on a loopback port.
 */
import { Effect, ManagedRuntime } from "effect"
import { InstantlyEmulator } from "effect-instantly/emulator"
import { strict as assert } from "node:assert"
import { instantlySeries } from "./metrics.js"
import { onReply, shutdown } from "./runtime.js"

const emulatorRuntime = ManagedRuntime.make(
  InstantlyEmulator.layerServer({ leads: InstantlyEmulator.generateLeads({ count: 1, seed: 3 }) })
)
const emulator = await emulatorRuntime.runPromise(InstantlyEmulator)
// The example's runtime reads its config on the first call.
process.env["INSTANTLY_API_KEY"] = InstantlyEmulator.defaultApiKey
process.env["INSTANTLY_BASE_URL"] = emulator.url

const [lead] = await emulatorRuntime.runPromise(emulator.leads)
assert.ok(lead !== undefined && lead.subsequence_id !== null, "the generated lead is in a subsequence")
assert.equal((await onReply(lead.id))?.subsequence_id, null)
assert.equal(await onReply("019cc043-0000-7000-8000-000000000000"), null)

const requests = (await Effect.runPromise(instantlySeries)).filter((one) => one.name === "instantly_requests_total")
assert.deepEqual(requests.map((one) => one.tags).sort((a, b) => a["status_class"]!.localeCompare(b["status_class"]!)), [
  { operation: "removeFromSubsequence", status_class: "2xx" },
  { operation: "removeFromSubsequence", status_class: "4xx" }
])

await shutdown()
await emulatorRuntime.dispose()
console.log(`install: the README's examples removed ${lead.email} from its subsequence (emulator, over HTTP)`)
