import { Effect, Layer } from "effect"
import { InstantlyClient, Leads } from "effect-instantly"

// Leads needs an InstantlyClient, which needs an HttpClient: FetchHttpClient.layer,
// NodeHttpClient.layerUndici, or a mock in your tests.
export const InstantlyLive = Leads.Default.pipe(
  Layer.provide(InstantlyClient.layerConfig()) // reads INSTANTLY_API_KEY, INSTANTLY_BASE_URL
)

// A reply arrived: stop the lead's follow-ups. A lead that is gone is not an error for us.
export const stopFollowUps = (leadId: string) =>
  Effect.gen(function*() {
    const leads = yield* Leads
    const lead = yield* leads.removeFromSubsequence(leadId)
    yield* Effect.log(`${lead.email ?? lead.id} left its subsequence`)
    return lead
  }).pipe(
    Effect.catchTag("InstantlyNotFoundError", () => Effect.succeed(null))
  )
