/**
 * Lead operations: remove a lead from its subsequence (one, or many at the workspace's limit), move it to
 * one, read it, and list leads (all of a query, by email, or all of a subsequence).
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { InstantlyClient, type InstantlyRequest, type RequestOptions } from "./InstantlyClient.js"
import { describeParseError, type InstantlyError } from "./InstantlyError.js"
import { mapConcurrently } from "./internal/concurrently.js"
import { call, validate, validateCall } from "./internal/operation.js"
import * as RecentIds from "./internal/recentIds.js"
import { withSpan } from "./internal/tracing.js"
import {
  EmailAddress,
  Lead,
  LeadFilter,
  LeadId,
  listLeadsPageSize,
  ListLeadsQuery,
  ListLeadsResponse,
  MoveToSubsequenceRequest,
  RemoveFromSubsequenceRequest
} from "./Lead.js"
import { RemovalOutcome } from "./RemovalOutcome.js"
import { Subsequences } from "./Subsequences.js"

/**
 * Options of `Leads.removeManyFromSubsequence`.
 *
 * @since 0.2.0
 * @category Models
 */
export interface RemoveManyOptions {
  /**
   * How many removals may be under way at once (waiting for a rate-limiter slot or awaiting their answer),
   * default `defaultRemoveManyConcurrency` (32).
   */
  readonly concurrency?: number | undefined
  /**
   * `"completion"` (default): each outcome as soon as it is known, so an id that is being retried holds
   * no other back. `"input"`: outcomes in the order of the ids (an id being retried holds back the
   * outcomes after it, and after `concurrency` of them, the sending too).
   */
  readonly order?: "input" | "completion" | undefined
  /**
   * Duplicates are recognized among at least this many distinct ids seen last, default
   * `defaultDuplicateWindow` (100,000). They are held outside the JavaScript heap: two tables of 2 to 4
   * slots for each id of the window, 24 bytes a slot (12 MB for the default, allocated as ids come).
   */
  readonly duplicateWindow?: number | undefined
  /**
   * A graceful stop (on SIGINT, say): when this effect completes, no further id is taken; the removals
   * already taken (at most `concurrency`) are made and reported, then the stream ends. Interrupting the
   * stream instead stops at once: ids waiting for a rate-limiter slot are not sent, and requests on
   * the wire are aborted (Instantly may or may not have acted on them).
   */
  readonly haltWhen?: Effect.Effect<unknown> | undefined
}

/**
 * How many removals `removeManyFromSubsequence` keeps under way by default: 32. By Little's law, 100
 * requests a second (Instantly's workspace limit) whose answers take up to 320 ms each need 32 under way;
 * when answers come faster, the extra ones just wait for a limiter slot, which costs a fiber and no request.
 *
 * @since 0.2.0
 * @category Constants
 */
export const defaultRemoveManyConcurrency = 32

/**
 * How many distinct ids, at least, `removeManyFromSubsequence` and `list` remember to recognize a repeat
 * by default: 100,000 (held as 128-bit keys outside the JavaScript heap, 12 MB at most), so memory stays
 * flat however long the input is. An id repeated further apart than that is sent (or listed) again:
 * removing a lead twice is harmless, the second answer is the lead as it already is.
 *
 * @since 0.2.0
 * @category Constants
 */
export const defaultDuplicateWindow = 100_000

/** The invalid option of `removeManyFromSubsequence`, as a defect that names it. */
const invalidOption = (name: string, expected: string, actual: unknown) =>
  Stream.die(
    new Cause.IllegalArgumentException(
      `Leads.removeManyFromSubsequence: ${name} must be ${expected}, got ${String(actual)}`
    )
  )

const isPositiveInteger = (n: number) => Number.isInteger(n) && n > 0

/** The ids of an Iterable as an `IterableIterator`, as `Stream.fromIteratorSucceed` takes them. */
function* iterate(ids: Iterable<string>): IterableIterator<string> {
  yield* ids
}

const decodeLeadId = Schema.decodeUnknownEither(LeadId)

const backgroundLane: RequestOptions = { priority: "background" }

/** What the sequential stage decided for one id: an outcome already, or a removal to send. */
type Step =
  | { readonly _tag: "Known"; readonly outcome: RemovalOutcome }
  | { readonly _tag: "Send"; readonly index: number; readonly id: string; readonly valid: LeadId }

/**
 * The lead operations, each validating its input before anything is sent and decoding the
 * answer into a `Lead`. Each runs in a span `Leads.<operation>` with the lead id as `instantly.lead_id`.
 * `Leads.Default` includes the `Subsequences` it needs (for `inSubsequence`), so it needs only an
 * `InstantlyClient`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Leads } from "effect-instantly"
 *
 * const program = Effect.gen(function*() {
 *   const leads = yield* Leads
 *   const lead = yield* leads.removeFromSubsequence("019cc043-e399-7fdb-86d6-bb0d304b0776")
 *   return lead.subsequence_id // null once removed
 * })
 * ```
 *
 * @since 0.1.0
 * @category Services
 */
export class Leads extends Effect.Service<Leads>()("effect-instantly/Leads", {
  dependencies: [Subsequences.Default],
  effect: Effect.gen(function*() {
    const client = yield* InstantlyClient
    const subsequences = yield* Subsequences

    /** The request that takes a (valid) lead out of its subsequence: one definition for one and many. */
    const removalRequest = (id: LeadId): InstantlyRequest<Lead, typeof Lead.Encoded> => ({
      operation: "removeFromSubsequence",
      request: HttpClientRequest.bodyUnsafeJson(HttpClientRequest.post("/api/v2/leads/subsequence/remove"), { id }),
      response: Lead
    })

    /**
     * Removes a lead from the subsequence it is in (`removeLeadFromSubsequence`):
     * `POST /api/v2/leads/subsequence/remove` with body `{"id": id}`. `id` is the lead's id, a UUID string,
     * checked before anything is sent. Answers the `Lead` as it now is (`subsequence_id: null`); a lead in
     * no subsequence comes back as it is. `options` bound this call (`RequestOptions`: `timeout`, `retry`,
     * `priority`).
     *
     * Fails with `InstantlyInvalidInputError` (not a UUID; nothing sent), `InstantlyNotFoundError` (no such
     * lead: it is gone), `InstantlyAuthError` (401, or 403 without `leads:update`, `leads:all`,
     * `all:update` or `all:all`), `InstantlyPaymentRequiredError` (402), `InstantlyRateLimitError` (429
     * after the retries), `InstantlyServerError`, `InstantlyTransportError`, `InstantlyDecodeError`, or
     * a configuration error (`InstantlyRouteNotFoundError`, `InstantlyRedirectError`,
     * `InstantlyBadRequestError`).
     *
     * @example
     * ```ts
     * import { Effect } from "effect"
     * import { Leads } from "effect-instantly"
     *
     * // A reply came in: stop the follow-ups. A lead that is gone is nothing to stop.
     * const onReply = (leadId: string) =>
     *   Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId, { timeout: "5 seconds" })).pipe(
     *     Effect.asVoid,
     *     Effect.catchTag("InstantlyNotFoundError", () => Effect.void)
     *   )
     * ```
     */
    const removeFromSubsequence = (id: string, options?: RequestOptions): Effect.Effect<Lead, InstantlyError> =>
      Effect.flatMap(
        validateCall("removeFromSubsequence", RemoveFromSubsequenceRequest, { id }, options),
        (valid) => client.execute(removalRequest(valid.id), options)
      ).pipe(withSpan("Leads.removeFromSubsequence", { attributes: { "instantly.lead_id": id } }))

    /**
     * Moves a lead to a subsequence (`moveLeadToSubsequence`): `POST /api/v2/leads/subsequence/move` with
     * body `{"id": id, "subsequence_id": subsequence_id}`, both UUID strings checked before anything is
     * sent. Answers the `Lead` as it now is (in that subsequence; Instantly sets its `status` to Active).
     * `options` as for `removeFromSubsequence`.
     *
     * Fails as `removeFromSubsequence` does; here `InstantlyNotFoundError` means no such lead
     * (`"Resource not found"`) or no such subsequence (`"Subsequence not found"`): `message` tells which.
     *
     * @example
     * ```ts
     * import { Effect } from "effect"
     * import { Leads } from "effect-instantly"
     *
     * const moveToNurture = (leadId: string, nurtureSubsequenceId: string) =>
     *   Effect.flatMap(Leads, (leads) => leads.moveToSubsequence({ id: leadId, subsequence_id: nurtureSubsequenceId }))
     * ```
     */
    const moveToSubsequence = (
      input: { readonly id: string; readonly subsequence_id: string },
      options?: RequestOptions
    ): Effect.Effect<Lead, InstantlyError> =>
      call(
        client,
        "moveToSubsequence",
        MoveToSubsequenceRequest,
        input,
        (body) => HttpClientRequest.bodyUnsafeJson(HttpClientRequest.post("/api/v2/leads/subsequence/move"), body),
        Lead,
        options
      ).pipe(withSpan("Leads.moveToSubsequence", {
        // Read with care: a caller without types may pass anything, which `call` refuses as invalid input.
        attributes: { "instantly.lead_id": input?.id, "instantly.subsequence_id": input?.subsequence_id }
      }))

    /**
     * Reads a lead (`getLead`): `GET /api/v2/leads/{id}`, `id` a UUID string checked before anything is
     * sent. Answers the `Lead`. `options` as for `removeFromSubsequence`.
     *
     * Fails with `InstantlyInvalidInputError`, `InstantlyNotFoundError` (no such lead), `InstantlyAuthError`
     * (401, or 403 without `leads:read`, `leads:all`, `all:read` or `all:all`), and the other errors of
     * `removeFromSubsequence`.
     *
     * @example
     * ```ts
     * import { Effect } from "effect"
     * import { Leads } from "effect-instantly"
     *
     * const isInASubsequence = (leadId: string) =>
     *   Effect.map(Effect.flatMap(Leads, (leads) => leads.get(leadId)), (lead) => lead.subsequence_id !== null)
     * ```
     */
    const get = (id: string, options?: RequestOptions): Effect.Effect<Lead, InstantlyError> =>
      call(
        client,
        "get",
        LeadId,
        id,
        (valid) => HttpClientRequest.get(`/api/v2/leads/${encodeURIComponent(valid)}`),
        Lead,
        options
      ).pipe(withSpan("Leads.get", { attributes: { "instantly.lead_id": id } }))

    /** One page of `POST /api/v2/leads/list`: the (valid) query, 100 leads, after `cursor` if any. */
    const page = (query: typeof ListLeadsQuery.Type, cursor: string | undefined) =>
      client.execute({
        operation: "list",
        request: HttpClientRequest.bodyUnsafeJson(HttpClientRequest.post("/api/v2/leads/list"), {
          ...query,
          limit: listLeadsPageSize,
          ...(cursor === undefined ? {} : { starting_after: cursor })
        }),
        response: ListLeadsResponse
      }).pipe(withSpan("Leads.list", { attributes: { "instantly.page_after": cursor ?? "" } }))

    /**
     * Every lead of a valid query, page by page on demand; a page is fetched only when the consumer
     * pulls past the previous one. A lead id listed already (among the last `defaultDuplicateWindow`) is
     * dropped. A page with no lead, or a cursor that does not move, ends the listing.
     */
    const pages = (query: typeof ListLeadsQuery.Type): Stream.Stream<Lead, InstantlyError> =>
      Stream.suspend(() => {
        const listed = RecentIds.make(defaultDuplicateWindow)
        return Stream.paginateChunkEffect(undefined as string | undefined, (cursor) =>
          Effect.map(page(query, cursor), (answer) => {
            const fresh: Array<Lead> = []
            for (const lead of answer.items) {
              if (listed.get(lead.id) === undefined) {
                listed.add(lead.id, 0)
                fresh.push(lead)
              }
            }
            const next = answer.next_starting_after
            const more = next !== null && answer.items.length > 0 && next !== cursor
            return [Chunk.unsafeFromArray(fresh), more ? Option.some(next) : Option.none()] as const
          }))
      })

    /**
     * Every lead that matches `query`: `POST /api/v2/leads/list` (`listLeads`), 100 leads a page (the most
     * Instantly allows), each page after the last one's `next_starting_after`, fetched only when the consumer
     * wants more. Instantly orders leads by id; leads created before 2025-10-15 may come out of order, so a
     * lead id already emitted is dropped. The query is validated before anything is sent (ids as UUIDs,
     * `contacts` as email addresses).
     *
     * Fails with `InstantlyInvalidInputError` (nothing sent), or the `InstantlyError` of a page's request
     * (401/403 without a `leads:read`, `leads:all`, `all:read` or `all:all` scope, 402, 400, 429, 5xx,
     * transport, decode) after the client's retries; the leads of the pages before it are emitted first.
     */
    const list = (query: ListLeadsQuery = {}): Stream.Stream<Lead, InstantlyError> =>
      Stream.unwrap(Effect.map(validate("list", ListLeadsQuery, query), pages))

    /**
     * The leads with this email address, one per campaign or list it is in: `listLeads` with
     * `{"contacts": [email]}`. The address is checked before anything is sent. Fails as `list` does.
     */
    const findByEmail = (email: string): Stream.Stream<Lead, InstantlyError> =>
      Stream.unwrap(Effect.map(validate("findByEmail", EmailAddress, email), (valid) => pages({ contacts: [valid] })))

    /**
     * Every lead now in a subsequence: reads it (`GET /api/v2/subsequences/{id}`), then lists its
     * `parent_campaign`'s leads with `filter: FILTER_VAL_IN_SUBSEQUENCE`, keeping those whose `subsequence_id`
     * is this one. Fails at once, before any list request, with `InstantlyInvalidInputError` (not a UUID)
     * or `InstantlyNotFoundError` (no such subsequence), then as `Subsequences.get` and `list` do.
     */
    const inSubsequence = (subsequenceId: string): Stream.Stream<Lead, InstantlyError> =>
      Stream.unwrap(Effect.map(subsequences.get(subsequenceId), (subsequence) => {
        const wanted = subsequenceId.toLowerCase()
        return pages({ campaign: subsequence.parent_campaign, filter: LeadFilter.InSubsequence }).pipe(
          Stream.filter((lead) => lead.subsequence_id?.toLowerCase() === wanted)
        )
      }))

    /**
     * One removal of a bulk run, the outcome of its request after the client's retries. Every removal
     * of `removeManyFromSubsequence` goes through here, in the rate limiter's background lane, so a
     * single call made meanwhile is not queued behind the run.
     */
    const removeOne = (index: number, id: string, valid: LeadId): Effect.Effect<RemovalOutcome> =>
      client.execute(removalRequest(valid), backgroundLane).pipe(
        Effect.match({
          onSuccess: (lead) => RemovalOutcome.Removed({ index, id, lead }),
          onFailure: (error) =>
            error._tag === "InstantlyNotFoundError"
              ? RemovalOutcome.NotFound({ index, id })
              : RemovalOutcome.Failed({ index, id, error })
        }),
        // No stack trace: a bulk run makes a span per id, and the trace would say only "removeManyFromSubsequence".
        withSpan("Leads.removeFromSubsequence", {
          attributes: { "instantly.lead_id": id },
          captureStackTrace: false
        })
      )

    /**
     * Removes many leads from their subsequences, one `POST /api/v2/leads/subsequence/remove` per lead
     * (Instantly has no bulk form), paced by the client's rate limiter and retried by its policy. Takes
     * ids (UUID strings) as an `Iterable` or a `Stream`, never collected: they are pulled as removals
     * finish, so any number of ids streams through in bounded memory.
     *
     * Emits one `RemovalOutcome` per id: `Removed`, `NotFound` (404), `InvalidId` (not sent), `Duplicate`
     * (not sent again) or `Failed` (the error after retries). A bad id or a failed request is an outcome,
     * never a failure of the stream: the stream fails only when the input stream does, with its error,
     * after the outcomes of the ids taken before it.
     *
     * Interrupting the stream (or ending it early, e.g. with `Stream.take`) stops sending at once: an id
     * not yet pulled or still waiting for a rate-limiter slot is never sent, and its slot is given back.
     * With `order: "completion"`, every answer received has been emitted, so an id is either reported or
     * not sent, except an answer still on its way when the interruption came.
     *
     * @example
     * ```ts
     * import { Effect, Stream } from "effect"
     * import { Leads, summarize } from "effect-instantly"
     *
     * // Everyone who booked a meeting, read from a CSV export elsewhere as ids.
     * const stopAll = (ids: Iterable<string>) =>
     *   Effect.flatMap(Leads, (leads) => summarize(leads.removeManyFromSubsequence(ids, { concurrency: 16 })))
     *
     * // Every lead of a subsequence that went wrong.
     * const emptySubsequence = (subsequenceId: string) =>
     *   Effect.flatMap(Leads, (leads) =>
     *     Stream.runCollect(
     *       leads.removeManyFromSubsequence(Stream.map(leads.inSubsequence(subsequenceId), (lead) => lead.id))
     *     ))
     * ```
     */
    const removeManyFromSubsequence = <E = never, R = never>(
      ids: Iterable<string> | Stream.Stream<string, E, R>,
      options: RemoveManyOptions = {}
    ): Stream.Stream<RemovalOutcome, E, R> => {
      const concurrency = options.concurrency ?? defaultRemoveManyConcurrency
      const order = options.order ?? "completion"
      const window = options.duplicateWindow ?? defaultDuplicateWindow
      if (!isPositiveInteger(concurrency)) return invalidOption("concurrency", "a positive integer", concurrency)
      if (order !== "input" && order !== "completion") return invalidOption("order", "input or completion", order)
      if (!isPositiveInteger(window)) return invalidOption("duplicateWindow", "a positive integer", window)
      if (typeof ids === "string") {
        return invalidOption("ids", "an Iterable or a Stream of ids, not one string (split it first)", "a string")
      }
      if (!Predicate.hasProperty(ids, Stream.StreamTypeId) && !Predicate.isIterable(ids)) {
        return invalidOption("ids", "an Iterable or a Stream of ids", ids === null ? "null" : typeof ids)
      }
      // An Iterable is read one id at a time: no id is taken from it before it is needed (one-shot sources
      // such as a generator or a reader lose nothing to a halt).
      const input: Stream.Stream<string, E, R> = Predicate.hasProperty(ids, Stream.StreamTypeId)
        ? ids as Stream.Stream<string, E, R>
        : Stream.suspend(() => Stream.fromIteratorSucceed(iterate(ids as Iterable<string>), 1))

      return Stream.suspend(() => {
        const seen = RecentIds.make(window)
        /** Decides, in input order, what becomes of the id: known at once, or to be sent. */
        const step = ([id, index]: readonly [string, number]): Step => {
          const decoded = decodeLeadId(id)
          if (Either.isLeft(decoded)) {
            const message = describeParseError(decoded.left)
            return { _tag: "Known", outcome: RemovalOutcome.InvalidId({ index, id, message }) }
          }
          const first = seen.get(id)
          if (first !== undefined) return { _tag: "Known", outcome: RemovalOutcome.Duplicate({ index, id, first }) }
          seen.add(id, index)
          return { _tag: "Send", index, id, valid: decoded.right }
        }
        return mapConcurrently(
          Stream.map(Stream.zipWithIndex(input), step),
          (next) => next._tag === "Known" ? Effect.succeed(next.outcome) : removeOne(next.index, next.id, next.valid),
          { concurrency, ordered: order === "input", haltWhen: options.haltWhen }
        )
      })
    }

    return {
      removeFromSubsequence,
      moveToSubsequence,
      get,
      list,
      findByEmail,
      inSubsequence,
      removeManyFromSubsequence
    } as const
  })
}) {}
