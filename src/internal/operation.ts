/**
 * One operation of a resource service (`Leads`, `Subsequences`): its input validated before anything is
 * sent, then one request through `InstantlyClient.execute`.
 *
 * @since 0.2.0
 * @internal
 */
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as InstantlyClient from "../InstantlyClient.js"
import { describeParseError, type InstantlyError, InstantlyInvalidInputError } from "../InstantlyError.js"

/**
 * Checks `input` with `schema`: the valid value, or an `InstantlyInvalidInputError` naming `operation`
 * and what is wrong (no request is sent).
 *
 * @since 0.2.0
 * @internal
 */
export const validate = <A, I>(
  operation: string,
  schema: Schema.Schema<A, I>,
  input: I
): Effect.Effect<A, InstantlyInvalidInputError> =>
  Effect.mapError(
    Schema.decodeUnknown(schema)(input),
    (error) => new InstantlyInvalidInputError({ operation, message: describeParseError(error) })
  )

/**
 * Validates `input` with `schema`, then sends the request built from the valid value (with the call's
 * `options`) and decodes the answer with `response`.
 *
 * @since 0.2.0
 * @internal
 */
export const call = <I, V, A, AI>(
  client: InstantlyClient.Service,
  operation: string,
  schema: Schema.Schema<V, I>,
  input: I,
  toRequest: (valid: V) => HttpClientRequest.HttpClientRequest,
  response: Schema.Schema<A, AI>,
  options?: InstantlyClient.RequestOptions
): Effect.Effect<A, InstantlyError> =>
  Effect.flatMap(
    validate(operation, schema, input),
    (valid) => client.execute({ operation, request: toRequest(valid), response }, options)
  )
