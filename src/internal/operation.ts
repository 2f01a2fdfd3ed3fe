/**
 * One operation of a resource service (`Leads`, `Subsequences`): its input validated before anything is
 * sent, then one request through `InstantlyClient.execute`.
 *
 * @since 0.2.0
 * @internal
 */
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type * as InstantlyClient from "../InstantlyClient.js"
import { describeParseError, type InstantlyError, InstantlyInvalidInputError } from "../InstantlyError.js"
import { checkRequestOptions } from "./clientConfig.js"
import * as FastDecoder from "./fastDecoder.js"

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
): Effect.Effect<A, InstantlyInvalidInputError> => {
  const valid = checkerFor(schema)(input)
  return valid === FastDecoder.Invalid
    ? Effect.mapError(
      Schema.decodeUnknown(schema)(input),
      (error) => new InstantlyInvalidInputError({ operation, message: describeParseError(error) })
    )
    : Effect.succeed(valid)
}

const checkers = new WeakMap<Schema.Schema.Any, (input: unknown) => unknown>()

/**
 * The fast decoder compiled from an input schema (a UUID's pattern, say), made once per schema: the
 * valid value with no `Effect` or parse issues in between; for anything it does not take, `Invalid`,
 * and the schema then says what is wrong, word for word.
 */
const checkerFor = <A, I>(schema: Schema.Schema<A, I>): (input: unknown) => A | typeof FastDecoder.Invalid => {
  let checker = checkers.get(schema)
  if (checker === undefined) {
    checker = FastDecoder.compile(schema) ?? (() => FastDecoder.Invalid)
    checkers.set(schema, checker)
  }
  return checker as (input: unknown) => A | typeof FastDecoder.Invalid
}

/**
 * Checks `input` with `schema` and the call's `options` (`timeout`, `retry`, `priority`): the valid
 * value, or an `InstantlyInvalidInputError` naming `operation` and what is wrong (no request is sent).
 *
 * @since 0.2.0
 * @internal
 */
export const validateCall = <A, I>(
  operation: string,
  schema: Schema.Schema<A, I>,
  input: I,
  options: InstantlyClient.RequestOptions | undefined
): Effect.Effect<A, InstantlyInvalidInputError> => {
  if (options !== undefined) {
    const checked = checkRequestOptions(options)
    if (Either.isLeft(checked)) return Effect.fail(new InstantlyInvalidInputError({ operation, message: checked.left }))
  }
  return validate(operation, schema, input)
}

/**
 * Validates `input` with `schema` and the call's `options`, then sends the request built from the
 * valid value (with those options) and decodes the answer with `response`.
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
    validateCall(operation, schema, input, options),
    (valid) => client.execute({ operation, request: toRequest(valid), response }, options)
  )
