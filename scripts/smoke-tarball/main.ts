/**
 * The tarball smoke test's program, run in a fresh project where effect-instantly is installed from
 * its packed tarball next to `effect` and `@effect/platform`: compiled with `tsc` (strict, NodeNext,
 * library declarations checked too), then run with node. It removes a lead from its subsequence
 * through the published `Leads` and `InstantlyClient` layers against a mocked `HttpClient`.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { Effect, Either, Layer, Redacted } from "effect"
import { InstantlyClient, type InstantlyError, type Lead, Leads, LeadStatus, version } from "effect-instantly"
import { strict as assert } from "node:assert"
import { readFileSync } from "node:fs"

const leadId = "019cc043-9cfe-773d-89ef-f0307b5667de"
const sent: Array<string> = []

// Answers every request with the lead, out of its subsequence, and records what was sent.
const MockInstantly = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request, url) =>
    Effect.sync(() => {
      sent.push(`${request.method} ${url.href} ${request.headers["authorization"]}`)
      return HttpClientResponse.fromWeb(
        request,
        Response.json({
          id: leadId,
          timestamp_created: "2026-03-05T23:09:42.527Z",
          timestamp_updated: "2026-03-05T23:09:42.527Z",
          organization: "019cc043-9cff-7f4c-88ba-3c161f82ff62",
          status: 1,
          email_open_count: 0,
          email_reply_count: 0,
          email_click_count: 0,
          company_domain: "example.com",
          status_summary: {},
          email: "example@example.com",
          subsequence_id: null
        })
      )
    })
  )
)

const InstantlyLive = Leads.Default.pipe(
  Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make("smoke-key") })),
  Layer.provide(MockInstantly)
)

// The annotations fail to compile if a type from the package does not resolve to what it should.
const program: Effect.Effect<Lead, InstantlyError, Leads> = Effect.gen(function*() {
  const leads = yield* Leads
  // @ts-expect-error an id is a string (were the package's types missing, this would not be an error)
  leads.removeFromSubsequence(42)
  const invalid = yield* Effect.either(leads.removeFromSubsequence("not-a-uuid"))
  assert.ok(Either.isLeft(invalid) && invalid.left._tag === "InstantlyInvalidInputError", "an invalid id fails")
  return yield* leads.removeFromSubsequence(leadId)
})

const lead = await Effect.runPromise(program.pipe(Effect.provide(InstantlyLive)))
assert.equal(lead.id, leadId)
assert.equal(lead.subsequence_id, null)
assert.equal(lead.status, LeadStatus.Active)
assert.deepEqual(sent, [`POST https://api.instantly.ai/api/v2/leads/subsequence/remove Bearer smoke-key`])
const installed = JSON.parse(readFileSync("node_modules/effect-instantly/package.json", "utf8"))
assert.equal(version, installed.version)
console.log(`smoke: effect-instantly ${version} from the tarball removed ${lead.email} from its subsequence`)
