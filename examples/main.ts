/**
 * The main job until the emulator lands: removes a lead from its subsequence through the real
 * `Leads` and `InstantlyClient`, with an in-process `HttpClient` standing in for Instantly.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { Console, Effect, Layer, Redacted } from "effect"
import { InstantlyClient, Leads } from "effect-instantly"
import { readFileSync } from "node:fs"

const example = JSON.parse(readFileSync(new URL("../test/fixtures/lead-seed-example.json", import.meta.url), "utf8"))

// Answers every remove with the documented example lead, out of its subsequence.
const FakeInstantly = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request) =>
    Effect.succeed(HttpClientResponse.fromWeb(
      request,
      Response.json({
        ...example,
        subsequence_id: null,
        status_summary_subseq: null,
        timestamp_added_subsequence: null
      })
    ))
  )
)

const program = Effect.gen(function*() {
  const leads = yield* Leads
  const lead = yield* leads.removeFromSubsequence("019cc043-9cfe-773d-89ef-f0307b5667de")
  yield* Console.log(
    `removed ${lead.email} (${lead.id}) from its subsequence: subsequence_id is now ${lead.subsequence_id}`
  )
  const invalid = yield* Effect.flip(leads.removeFromSubsequence("not-a-uuid"))
  yield* Console.log(`an invalid id fails before sending: ${invalid._tag}: ${invalid.message}`)
})

program.pipe(
  Effect.provide(Leads.Default.pipe(
    Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make("demo-key") })),
    Layer.provide(FakeInstantly)
  )),
  Effect.runPromise
)
