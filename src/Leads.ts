/**
 * Lead operations: remove a lead from its subsequence, move it to one, read it.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { InstantlyClient, type RequestOptions } from "./InstantlyClient.js"
import { describeParseError, type InstantlyError, InstantlyInvalidInputError } from "./InstantlyError.js"
import { Lead, LeadId, MoveToSubsequenceRequest, RemoveFromSubsequenceRequest } from "./Lead.js"

/**
 * The lead operations, each validating its input before anything is sent and decoding the
 * answer into a `Lead`. Each runs in a span `Leads.<operation>` with the lead id as `instantly.lead_id`.
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
  effect: Effect.gen(function*() {
    const client = yield* InstantlyClient

    /** Validates `input` with `schema`, then sends the request built from the valid value. */
    const call = <I, A>(
      operation: string,
      schema: Schema.Schema<A, I>,
      input: I,
      toRequest: (valid: A) => HttpClientRequest.HttpClientRequest,
      options: RequestOptions | undefined
    ): Effect.Effect<Lead, InstantlyError> =>
      Schema.decodeUnknown(schema)(input).pipe(
        Effect.mapError((error) => new InstantlyInvalidInputError({ operation, message: describeParseError(error) })),
        Effect.flatMap((valid) => client.execute({ operation, request: toRequest(valid), response: Lead }, options))
      )

    /**
     * Removes a lead from the subsequence it is in: `POST /api/v2/leads/subsequence/remove` with
     * body `{"id": id}`. Answers the lead as it now is. `options` bound this call (see `RequestOptions`).
     */
    const removeFromSubsequence = (id: string, options?: RequestOptions): Effect.Effect<Lead, InstantlyError> =>
      call(
        "removeFromSubsequence",
        RemoveFromSubsequenceRequest,
        { id },
        (body) => HttpClientRequest.bodyUnsafeJson(HttpClientRequest.post("/api/v2/leads/subsequence/remove"), body),
        options
      ).pipe(Effect.withSpan("Leads.removeFromSubsequence", { attributes: { "instantly.lead_id": id } }))

    /**
     * Moves a lead to a subsequence: `POST /api/v2/leads/subsequence/move` with body
     * `{"id": id, "subsequence_id": subsequence_id}`.
     */
    const moveToSubsequence = (
      input: { readonly id: string; readonly subsequence_id: string },
      options?: RequestOptions
    ): Effect.Effect<Lead, InstantlyError> =>
      call(
        "moveToSubsequence",
        MoveToSubsequenceRequest,
        { id: input.id, subsequence_id: input.subsequence_id },
        (body) => HttpClientRequest.bodyUnsafeJson(HttpClientRequest.post("/api/v2/leads/subsequence/move"), body),
        options
      ).pipe(Effect.withSpan("Leads.moveToSubsequence", {
        attributes: { "instantly.lead_id": input.id, "instantly.subsequence_id": input.subsequence_id }
      }))

    /** Reads a lead: `GET /api/v2/leads/{id}`. */
    const get = (id: string, options?: RequestOptions): Effect.Effect<Lead, InstantlyError> =>
      call(
        "get",
        LeadId,
        id,
        (valid) => HttpClientRequest.get(`/api/v2/leads/${encodeURIComponent(valid)}`),
        options
      ).pipe(Effect.withSpan("Leads.get", { attributes: { "instantly.lead_id": id } }))

    return { removeFromSubsequence, moveToSubsequence, get } as const
  })
}) {}
