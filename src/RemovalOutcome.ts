/**
 * What became of each id of a bulk removal (`Leads.removeManyFromSubsequence`), and a summary of a run.
 *
 * @since 0.2.0
 */
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import * as Sink from "effect/Sink"
import * as Stream from "effect/Stream"
import type { InstantlyError, InstantlyInvalidInputError, InstantlyNotFoundError } from "./InstantlyError.js"
import type { Lead } from "./Lead.js"

/**
 * Why a removal failed after the client's retries: any `InstantlyError` but a 404 (an outcome of its
 * own, `NotFound`) and invalid input (`InvalidId`, never sent).
 *
 * @since 0.2.0
 * @category Models
 */
export type RemovalError = Exclude<InstantlyError, InstantlyNotFoundError | InstantlyInvalidInputError>

/**
 * The outcome of one id, with its `index` in the input (from 0) and the `id` as given:
 *
 * - `Removed`: Instantly answered 200 with the `lead` as it now is (out of any subsequence).
 * - `NotFound`: Instantly answered 404: no such lead in the workspace.
 * - `InvalidId`: not a UUID; never sent. `message` says why.
 * - `Duplicate`: the same id (compared case-insensitively) came earlier, at index `first`; not sent again.
 * - `Failed`: the request failed with `error` after the client's retries (429, 5xx, transport, decode, 401,
 *   402, 403, another 4xx).
 *
 * Match on `_tag`, or with `RemovalOutcome.$match`.
 *
 * @example
 * ```ts
 * import { RemovalOutcome } from "effect-instantly"
 *
 * const describe = RemovalOutcome.$match({
 *   Removed: ({ id }) => `${id}: removed`,
 *   NotFound: ({ id }) => `${id}: no such lead`,
 *   InvalidId: ({ id, message }) => `${id}: not sent (${message})`,
 *   Duplicate: ({ id, first }) => `${id}: same as row ${first}`,
 *   Failed: ({ id, error }) => `${id}: ${error._tag}`
 * })
 * ```
 *
 * @since 0.2.0
 * @category Models
 */
export type RemovalOutcome = Data.TaggedEnum<{
  Removed: { readonly index: number; readonly id: string; readonly lead: Lead }
  NotFound: { readonly index: number; readonly id: string }
  InvalidId: { readonly index: number; readonly id: string; readonly message: string }
  Duplicate: { readonly index: number; readonly id: string; readonly first: number }
  Failed: { readonly index: number; readonly id: string; readonly error: RemovalError }
}>

/**
 * Constructors (`RemovalOutcome.Removed({ index, id, lead })`, ...) and matchers (`$is`, `$match`) of
 * `RemovalOutcome`.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const RemovalOutcome = Data.taggedEnum<RemovalOutcome>()

/**
 * The kinds of outcome: `"Removed" | "NotFound" | "InvalidId" | "Duplicate" | "Failed"`.
 *
 * @since 0.2.0
 * @category Models
 */
export type RemovalOutcomeKind = RemovalOutcome["_tag"]

/**
 * Counts of a run's outcomes: in all, by kind, and the `Failed` ones by their error's `_tag`
 * (e.g. `{ InstantlyServerError: 2 }`).
 *
 * @since 0.2.0
 * @category Models
 */
export interface RemovalSummary {
  readonly total: number
  readonly byKind: { readonly [K in RemovalOutcomeKind]: number }
  readonly byError: { readonly [tag: string]: number }
}

/**
 * The summary of no outcome.
 *
 * @since 0.2.0
 * @category Constants
 */
export const emptySummary: RemovalSummary = {
  total: 0,
  byKind: { Removed: 0, NotFound: 0, InvalidId: 0, Duplicate: 0, Failed: 0 },
  byError: {}
}

/**
 * Adds one outcome to a summary (a fold step; the summary given is left as it is).
 *
 * @since 0.2.0
 * @category Utils
 */
export const addToSummary = (summary: RemovalSummary, outcome: RemovalOutcome): RemovalSummary => ({
  total: summary.total + 1,
  byKind: { ...summary.byKind, [outcome._tag]: summary.byKind[outcome._tag] + 1 },
  byError: outcome._tag === "Failed"
    ? { ...summary.byError, [outcome.error._tag]: (summary.byError[outcome.error._tag] ?? 0) + 1 }
    : summary.byError
})

/**
 * A sink folding outcomes into a `RemovalSummary`.
 *
 * @since 0.2.0
 * @category Utils
 */
export const summarySink: Sink.Sink<RemovalSummary, RemovalOutcome> = Sink.foldLeft(emptySummary, addToSummary)

/**
 * Runs a stream of outcomes to its end and answers their summary; fails only as the stream does.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Leads, summarize } from "effect-instantly"
 *
 * const program = Effect.gen(function*() {
 *   const leads = yield* Leads
 *   const summary = yield* summarize(leads.removeManyFromSubsequence(["019cc043-e399-7fdb-86d6-bb0d304b0776"]))
 *   return `${summary.byKind.Removed} removed, ${summary.byKind.Failed} failed`
 * })
 * ```
 *
 * @since 0.2.0
 * @category Utils
 */
export const summarize = <E, R>(outcomes: Stream.Stream<RemovalOutcome, E, R>): Effect.Effect<RemovalSummary, E, R> =>
  Stream.run(outcomes, summarySink)
