/**
 * Campaign subsequence operations: read a subsequence.
 *
 * @since 0.2.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import { InstantlyClient, type RequestOptions } from "./InstantlyClient.js"
import type { InstantlyError } from "./InstantlyError.js"
import { call } from "./internal/operation.js"
import { withSpan } from "./internal/tracing.js"
import { SubsequenceId } from "./Lead.js"
import { Subsequence } from "./Subsequence.js"

/**
 * The subsequence operations, validating their input before anything is sent and decoding the answer
 * into a `Subsequence`. Each runs in a span `Subsequences.<operation>` with the id as
 * `instantly.subsequence_id`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Subsequences } from "effect-instantly"
 *
 * const campaignOf = (subsequenceId: string) =>
 *   Effect.flatMap(Subsequences, (subsequences) => subsequences.get(subsequenceId)).pipe(
 *     Effect.map((subsequence) => subsequence.parent_campaign)
 *   )
 * ```
 *
 * @since 0.2.0
 * @category Services
 */
export class Subsequences extends Effect.Service<Subsequences>()("effect-instantly/Subsequences", {
  effect: Effect.gen(function*() {
    const client = yield* InstantlyClient

    /**
     * Reads a subsequence: `GET /api/v2/subsequences/{id}` (`getCampaignSubsequence`), `id` a UUID string.
     * Fails with `InstantlyInvalidInputError` (not a UUID; nothing sent), `InstantlyNotFoundError` (404: no
     * such subsequence), or any other `InstantlyError` of the request (401/403 without a `subsequences:read`,
     * `subsequences:all`, `all:read` or `all:all` scope, 402, 429, 5xx, transport, decode).
     */
    const get = (id: string, options?: RequestOptions): Effect.Effect<Subsequence, InstantlyError> =>
      call(
        client,
        "getSubsequence",
        SubsequenceId,
        id,
        (valid) => HttpClientRequest.get(`/api/v2/subsequences/${encodeURIComponent(valid)}`),
        Subsequence,
        options
      ).pipe(withSpan("Subsequences.get", { attributes: { "instantly.subsequence_id": id } }))

    return { get } as const
  })
}) {}
