/**
 * The fast decoder of a `Lead` (see `fastDecoder.ts`), for the response of every lead operation.
 *
 * @since 0.2.0
 * @internal
 */
import { Lead } from "../Lead.js"
import * as FastDecoder from "./fastDecoder.js"

const compiled = FastDecoder.compile(Lead)

/**
 * The `Lead` that `Schema.decodeUnknown(Lead, { errors: "all" })` would decode from `json`, built
 * directly; `undefined` when `json` is not a lead the fast path takes, so the caller decodes it with
 * the schema (and gets the schema's errors).
 *
 * @since 0.2.0
 * @category Decoding
 * @internal
 */
export const decode = (json: unknown): Lead | undefined => {
  if (compiled === undefined) return undefined
  const lead = compiled(json)
  return lead === FastDecoder.Invalid ? undefined : lead
}
