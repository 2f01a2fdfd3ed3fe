/**
 * The request bodies the emulator accepts, as the spec declares them (`removeLeadFromSubsequence`,
 * `moveLeadToSubsequence`, `listLeads`), with the 400 messages of Instantly's request validation
 * (Fastify's): `body must have required property 'id'`, `body/limit must be <= 100`, ... Keys the spec
 * does not declare are ignored, as Fastify removes them.
 *
 * @since 0.2.0
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { EmailAddress } from "../Lead.js"

const must = (what: string) => ({ message: () => `must ${what}` })

const Str = Schema.String.annotations(must("be string"))
const Bool = Schema.Boolean.annotations(must("be boolean"))
const Num = Schema.Number.annotations(must("be number"))
const Int = Schema.Number.annotations(must("be integer")).pipe(Schema.int(must("be integer")))
const Arr = <A, I>(item: Schema.Schema<A, I>) => Schema.Array(item).annotations(must("be array"))
const Obj = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.Struct(fields).annotations(must("be object"))
const Email = Str.pipe(Schema.compose(EmailAddress.annotations(must("match format \"email\""))))
const Limit = Int.pipe(
  Schema.greaterThanOrEqualTo(1, must("be >= 1")),
  Schema.lessThanOrEqualTo(100, must("be <= 100"))
)

/**
 * Body of `POST /api/v2/leads/subsequence/remove`: `{"id"}` (not `lead_id`, not `lead_ids`).
 *
 * @since 0.2.0
 * @category Schemas
 */
export const RemoveBody = Obj({ id: Str })

/**
 * Body of `POST /api/v2/leads/subsequence/move`: `{"id", "subsequence_id"}`.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const MoveBody = Obj({ id: Str, subsequence_id: Str })

/**
 * Body of `POST /api/v2/leads/list`: every property optional, typed as the spec types it.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const ListBody = Obj({
  search: Schema.optional(Str),
  filter: Schema.optional(Str),
  campaign: Schema.optional(Str),
  list_id: Schema.optional(Str),
  in_campaign: Schema.optional(Bool),
  in_list: Schema.optional(Bool),
  ids: Schema.optional(Arr(Str)),
  queries: Schema.optional(Arr(Obj({ actionType: Str, values: Obj({}) }))),
  excluded_ids: Schema.optional(Arr(Str)),
  contacts: Schema.optional(Arr(Email)),
  limit: Schema.optional(Limit),
  starting_after: Schema.optional(Str),
  organization_user_ids: Schema.optional(Arr(Str)),
  smart_view_id: Schema.optional(Str),
  is_website_visitor: Schema.optional(Bool),
  distinct_contacts: Schema.optional(Bool),
  enrichment_status: Schema.optional(Num),
  esg_code: Schema.optional(Str)
})

/**
 * A valid `listLeads` body.
 *
 * @since 0.2.0
 * @category Models
 */
export type ListBody = typeof ListBody.Type

/**
 * The 400 message of the first problem of a body, in Fastify's words: `body must have required property
 * 'id'`, `body/ids/0 must be string`, `body must be object`.
 *
 * @since 0.2.0
 * @category Utils
 */
export const bodyMessage = (error: ParseResult.ParseError): string => {
  const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
  if (issue === undefined) return "body must be object"
  const at = (path: ReadonlyArray<PropertyKey>) => ["body", ...path.map(String)].join("/")
  return issue._tag === "Missing"
    ? `${at(issue.path.slice(0, -1))} must have required property '${String(issue.path.at(-1))}'`
    : `${at(issue.path)} ${issue.message}`
}
