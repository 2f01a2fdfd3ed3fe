import { Effect, Stream } from "effect"
import { Leads, summarize } from "effect-instantly"

// Everyone in a CSV export (lead ids, read lazily), one request per lead at the workspace's limit.
// One outcome per id (Removed, NotFound, InvalidId, Duplicate, Failed): failures are logged, all counted.
export const removeAll = (ids: Iterable<string>) =>
  Effect.gen(function*() {
    const leads = yield* Leads
    const outcomes = leads.removeManyFromSubsequence(ids).pipe(
      Stream.tap((outcome) =>
        outcome._tag === "Failed" ? Effect.logWarning(`${outcome.id}: ${outcome.error._tag}`) : Effect.void
      )
    )
    return yield* summarize(outcomes) // { total, byKind: { Removed, ... }, byError: { InstantlyServerError, ... } }
  })

// Every lead of a subsequence that went wrong, listed page by page as the removals need them.
export const emptySubsequence = (subsequenceId: string) =>
  Effect.gen(function*() {
    const leads = yield* Leads
    const ids = Stream.map(leads.inSubsequence(subsequenceId), (lead) => lead.id)
    return yield* summarize(leads.removeManyFromSubsequence(ids))
  })

// A reply whose payload carries an email, not an id: the lead in each campaign or list it is in.
export const stopByEmail = (email: string) =>
  Effect.gen(function*() {
    const leads = yield* Leads
    const ids = Stream.map(leads.findByEmail(email), (lead) => lead.id)
    return yield* summarize(leads.removeManyFromSubsequence(ids))
  })
