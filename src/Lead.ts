/**
 * The Instantly API v2 `Lead` entity and the request and error bodies of the lead endpoints.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import type * as Brand from "effect/Brand"
import type * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

// -----------------------------------------------------------------------------
// Property signature helpers
// -----------------------------------------------------------------------------

/**
 * A non-required property whose spec type includes `null` (e.g. `["null", "string"]`): a missing key
 * decodes as `null`, and `null` encodes as `null`.
 *
 * @since 0.1.0
 * @category Utils
 */
export const optionalNullable = <A, I, R>(
  schema: Schema.Schema<A, I, R>
): Schema.PropertySignature<":", A | null, never, "?:", I | null | undefined, true, R> =>
  Schema.optionalWith(Schema.NullOr(schema), { default: () => null })

/**
 * A non-required property whose spec type does not include `null`: a missing key (or an explicit `null`)
 * decodes as `null`, and `null` encodes by omitting the key, so a `null` the spec forbids is never sent.
 *
 * @since 0.1.0
 * @category Utils
 */
export const optionalOrNull = <A, I, R>(
  schema: Schema.Schema<A, I, R>
): Schema.PropertySignature<":", A | null, never, "?:", I | null, true, R> =>
  Schema.optionalToRequired(
    Schema.NullOr(schema),
    Schema.NullOr(Schema.typeSchema(schema)),
    {
      decode: Option.getOrElse(() => null),
      encode: Option.liftPredicate(Predicate.isNotNull)
    }
  ).pipe(Schema.withConstructorDefault(() => null))

// -----------------------------------------------------------------------------
// Open enums
// -----------------------------------------------------------------------------

/**
 * One documented value of an enum: its constant name, wire value and the spec's description.
 *
 * @since 0.1.0
 * @category Models
 */
export interface EnumEntry {
  readonly name: string
  readonly value: number | string
  readonly description: string
}

/**
 * The key under which an enum constants object keeps its table of entries.
 *
 * @since 0.1.0
 * @category Constants
 */
export const EnumEntries: unique symbol = Symbol.for("effect-instantly/Lead/EnumEntries")

/**
 * An enum constants object: `Name -> value` (as literal types), plus its table of entries under `EnumEntries`.
 *
 * @since 0.1.0
 * @category Models
 */
export type KnownEnum<Entries extends Arr.NonEmptyReadonlyArray<EnumEntry>> =
  & { readonly [E in Entries[number] as E["name"]]: E["value"] }
  & { readonly [EnumEntries]: Entries }

/**
 * Any enum constants object built with `makeEnum`.
 *
 * @since 0.1.0
 * @category Models
 */
export type AnyKnownEnum = { readonly [EnumEntries]: Arr.NonEmptyReadonlyArray<EnumEntry> }

/**
 * The documented (known) wire values of an enum, as a union of literals.
 *
 * @since 0.1.0
 * @category Models
 */
export type KnownValue<E extends AnyKnownEnum> = E[typeof EnumEntries][number]["value"]

/**
 * The base type of an enum's values: `number` for numeric enums, `string` for string enums.
 *
 * @since 0.1.0
 * @category Models
 */
export type BaseValue<E extends AnyKnownEnum> = [KnownValue<E>] extends [number] ? number : string

/**
 * A value the spec does not document (yet): its base type branded `UnknownEnumValue`.
 *
 * @since 0.1.0
 * @category Models
 */
export type UnknownEnumValue<A extends number | string> = A & Brand.Brand<"UnknownEnumValue">

/**
 * The decoded type of an open enum: a known literal, or any other value of the base type, branded.
 *
 * @since 0.1.0
 * @category Models
 */
export type OpenEnumValue<E extends AnyKnownEnum> = KnownValue<E> | UnknownEnumValue<BaseValue<E>>

/**
 * Any (finite, i.e. JSON) number, branded `UnknownEnumValue`: the fallback member of numeric open enums.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const UnknownNumericEnumValue = Schema.Finite.pipe(Schema.brand("UnknownEnumValue"))

/**
 * Any string, branded `UnknownEnumValue`: the fallback member of string open enums.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const UnknownStringEnumValue = Schema.String.pipe(Schema.brand("UnknownEnumValue"))

/**
 * Builds an enum constants object (`Name -> value`, typed as literals) from a table of entries defined once.
 *
 * @since 0.1.0
 * @category Utils
 */
export const makeEnum = <
  const Entries extends
    | Arr.NonEmptyReadonlyArray<EnumEntry & { readonly value: number }>
    | Arr.NonEmptyReadonlyArray<EnumEntry & { readonly value: string }>
>(entries: Entries): KnownEnum<Entries> => {
  const constants: Record<string | symbol, unknown> = {}
  for (const entry of entries) {
    constants[entry.name] = entry.value
  }
  constants[EnumEntries] = entries
  return Object.freeze(constants) as KnownEnum<Entries>
}

/**
 * The table of entries of an enum constants object, in spec order.
 *
 * @since 0.1.0
 * @category Utils
 */
export const enumEntries = <E extends AnyKnownEnum>(knownEnum: E): E[typeof EnumEntries] => knownEnum[EnumEntries]

/**
 * The spec's description of an enum value, or `None` for a value the spec does not document.
 *
 * @example
 * ```ts
 * import { Option } from "effect"
 * import { describeValue, LeadStatus } from "effect-instantly"
 *
 * describeValue(LeadStatus, LeadStatus.Bounced) // Option.some("Bounced")
 * describeValue(LeadStatus, 42) // Option.none(): a status Instantly added after this release
 * const label = (status: number) => Option.getOrElse(describeValue(LeadStatus, status), () => `status ${status}`)
 * ```
 *
 * @since 0.1.0
 * @category Utils
 */
export const describeValue = <E extends AnyKnownEnum>(knownEnum: E, value: BaseValue<E>): Option.Option<string> =>
  Option.map(
    Option.fromNullable(knownEnum[EnumEntries].find((entry) => entry.value === value)),
    (entry) => entry.description
  )

/**
 * An open enum schema: the known literals, or any other value of the same base type (branded
 * `UnknownEnumValue`), so decoding never fails on a value the spec has not caught up with.
 *
 * @since 0.1.0
 * @category Utils
 */
export const openEnum = <E extends AnyKnownEnum>(
  knownEnum: E
): Schema.Schema<OpenEnumValue<E>, BaseValue<E>> => {
  const values = Arr.map(knownEnum[EnumEntries], (entry) => entry.value)
  const unknown = typeof values[0] === "number" ? UnknownNumericEnumValue : UnknownStringEnumValue
  return Schema.Union(Schema.Literal(...values), unknown) as unknown as Schema.Schema<OpenEnumValue<E>, BaseValue<E>>
}

/**
 * Lead status (`status`). Constants: `LeadStatus.Active === 1`, and so on.
 *
 * @example
 * ```ts
 * import { type Lead, LeadStatus } from "effect-instantly"
 *
 * const isStillEmailed = (lead: Lead) => lead.status === LeadStatus.Active || lead.status === LeadStatus.Paused
 * ```
 *
 * @since 0.1.0
 * @category Constants
 */
export const LeadStatus = makeEnum([
  { name: "Active", value: 1, description: "Active" },
  { name: "Paused", value: 2, description: "Paused" },
  { name: "Completed", value: 3, description: "Completed" },
  { name: "Bounced", value: -1, description: "Bounced" },
  { name: "Unsubscribed", value: -2, description: "Unsubscribed" },
  { name: "Skipped", value: -3, description: "Skipped" }
])

/**
 * A decoded `status`: a known `LeadStatus` value or an undocumented one.
 *
 * @since 0.1.0
 * @category Models
 */
export type LeadStatus = OpenEnumValue<typeof LeadStatus>

/**
 * Lead interest status (`lt_interest_status`); workspaces may also define custom (numeric) statuses.
 *
 * @since 0.1.0
 * @category Constants
 */
export const InterestStatus = makeEnum([
  { name: "OutOfOffice", value: 0, description: "Out of Office" },
  { name: "Interested", value: 1, description: "Interested" },
  { name: "MeetingBooked", value: 2, description: "Meeting Booked" },
  { name: "MeetingCompleted", value: 3, description: "Meeting Completed" },
  { name: "Won", value: 4, description: "Won" },
  { name: "NotInterested", value: -1, description: "Not Interested" },
  { name: "WrongPerson", value: -2, description: "Wrong Person" },
  { name: "Lost", value: -3, description: "Lost" },
  { name: "NoShow", value: -4, description: "No Show" }
])

/**
 * A decoded `lt_interest_status`: a known `InterestStatus` value or a custom / undocumented one.
 *
 * @since 0.1.0
 * @category Models
 */
export type InterestStatus = OpenEnumValue<typeof InterestStatus>

/**
 * Email verification status (`verification_status`).
 *
 * @since 0.1.0
 * @category Constants
 */
export const VerificationStatus = makeEnum([
  { name: "Verified", value: 1, description: "Verified" },
  { name: "Pending", value: 11, description: "Pending" },
  { name: "PendingVerificationJob", value: 12, description: "Pending Verification Job" },
  { name: "Invalid", value: -1, description: "Invalid" },
  { name: "Risky", value: -2, description: "Risky" },
  { name: "CatchAll", value: -3, description: "Catch All" },
  { name: "JobChange", value: -4, description: "Job Change" }
])

/**
 * A decoded `verification_status`: a known `VerificationStatus` value or an undocumented one.
 *
 * @since 0.1.0
 * @category Models
 */
export type VerificationStatus = OpenEnumValue<typeof VerificationStatus>

/**
 * Enrichment status (`enrichment_status`).
 *
 * @since 0.1.0
 * @category Constants
 */
export const EnrichmentStatus = makeEnum([
  { name: "Enriched", value: 1, description: "Enriched" },
  { name: "Pending", value: 11, description: "Pending" },
  { name: "NotAvailable", value: -1, description: "Enrichment data not available" },
  { name: "Error", value: -2, description: "Error" }
])

/**
 * A decoded `enrichment_status`: a known `EnrichmentStatus` value or an undocumented one.
 *
 * @since 0.1.0
 * @category Models
 */
export type EnrichmentStatus = OpenEnumValue<typeof EnrichmentStatus>

/**
 * Email service provider of the lead's address (`esp_code`).
 *
 * @since 0.1.0
 * @category Constants
 */
export const EspCode = makeEnum([
  { name: "InQueue", value: 0, description: "In Queue" },
  { name: "Google", value: 1, description: "Google" },
  { name: "Microsoft", value: 2, description: "Microsoft" },
  { name: "Zoho", value: 3, description: "Zoho" },
  { name: "AirMail", value: 8, description: "AirMail" },
  { name: "Yahoo", value: 9, description: "Yahoo" },
  { name: "Yandex", value: 10, description: "Yandex" },
  { name: "WebDe", value: 12, description: "Web.de" },
  { name: "LiberoIt", value: 13, description: "Libero.it" },
  { name: "Other", value: 999, description: "Other" },
  { name: "NotFound", value: 1000, description: "Not Found" }
])

/**
 * A decoded `esp_code`: a known `EspCode` value or an undocumented one.
 *
 * @since 0.1.0
 * @category Models
 */
export type EspCode = OpenEnumValue<typeof EspCode>

/**
 * Email security gateway in front of the lead's address (`esg_code`).
 *
 * @since 0.1.0
 * @category Constants
 */
export const EsgCode = makeEnum([
  { name: "InQueue", value: 0, description: "In Queue" },
  { name: "Barracuda", value: 1, description: "Barracuda" },
  { name: "Mimecast", value: 2, description: "Mimecast" },
  { name: "Proofpoint", value: 3, description: "Proofpoint" },
  { name: "Cisco", value: 4, description: "Cisco" }
])

/**
 * A decoded `esg_code`: a known `EsgCode` value or an undocumented one.
 *
 * @since 0.1.0
 * @category Models
 */
export type EsgCode = OpenEnumValue<typeof EsgCode>

/**
 * How the lead was uploaded (`upload_method`).
 *
 * @since 0.1.0
 * @category Constants
 */
export const UploadMethod = makeEnum([
  { name: "Manual", value: "manual", description: "Manual" },
  { name: "Api", value: "api", description: "API" },
  { name: "WebsiteVisitor", value: "website-visitor", description: "Website Visitor" }
])

/**
 * A decoded `upload_method`: a known `UploadMethod` value or an undocumented one.
 *
 * @since 0.1.0
 * @category Models
 */
export type UploadMethod = OpenEnumValue<typeof UploadMethod>

// -----------------------------------------------------------------------------
// Timestamps
// -----------------------------------------------------------------------------

/**
 * An RFC 3339 timestamp, decoded to `DateTime.Utc` and encoded back to an ISO string. RFC 3339 allows
 * a lowercase `t` and `z` (`2026-03-05t23:09:42.527z`), which JavaScript's `Date` does not read: they
 * are read as `T` and `Z`.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const Timestamp: Schema.Schema<DateTime.Utc, string> = Schema.compose(
  Schema.transform(Schema.String, Schema.String, {
    strict: true,
    decode: (text) => /^\d{4}-\d{2}-\d{2}t|z$/.test(text) ? text.toUpperCase() : text,
    encode: (text) => text
  }),
  Schema.DateTimeUtc
).annotations({ identifier: "Timestamp" })

// -----------------------------------------------------------------------------
// Nested objects
// -----------------------------------------------------------------------------

/**
 * The last campaign step executed for a lead (`status_summary.lastStep`); every key is optional.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const LastStep = Schema.Struct({
  from: Schema.optional(Schema.String),
  stepID: Schema.optional(Schema.String),
  timestamp_executed: Schema.optional(Timestamp)
}).annotations({ identifier: "LastStep" })

/**
 * The lead's status summary (`status_summary`); `{}` is valid.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const StatusSummary = Schema.Struct({
  lastStep: Schema.optional(LastStep),
  domain_complete: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "StatusSummary" })

/**
 * The lead's subsequence status summary (`status_summary_subseq`) as decoded: the spec's camelCase
 * `timestampExecuted`, unlike `status_summary.lastStep`.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const StatusSummarySubsequenceFields = Schema.Struct({
  from: Schema.optional(Schema.String),
  stepID: Schema.optional(Schema.String),
  timestampExecuted: Schema.optional(Timestamp)
}).annotations({ identifier: "StatusSummarySubsequence" })

/**
 * The lead's subsequence status summary (`status_summary_subseq`). The time of the step is read from the
 * spec's `timestampExecuted` or, when only that is sent, from `timestamp_executed` (the spelling of
 * `status_summary.lastStep`), so neither is dropped; it is encoded as `timestampExecuted`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const StatusSummarySubsequence = Schema.transform(
  Schema.Struct({
    ...StatusSummarySubsequenceFields.fields,
    timestamp_executed: Schema.optional(Timestamp)
  }),
  Schema.typeSchema(StatusSummarySubsequenceFields),
  {
    strict: true,
    decode: ({ timestamp_executed, ...summary }) =>
      summary.timestampExecuted === undefined && timestamp_executed !== undefined
        ? { ...summary, timestampExecuted: timestamp_executed }
        : summary,
    encode: (summary) => summary
  }
).annotations({ identifier: "StatusSummarySubsequence" })

/**
 * A documented custom-variable value: string, number, boolean or null.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const PayloadValue = Schema.Union(Schema.String, Schema.Finite, Schema.Boolean, Schema.Null)

/**
 * A custom-variable value the docs forbid (an array or an object) but the spec's `additionalProperties` admits:
 * accepted and kept as received, so such a response still decodes.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const UnexpectedPayloadValue = Schema.Union(
  Schema.Array(Schema.Unknown),
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * The lead's custom variables (`payload`). Values should be `PayloadValue`s; arrays and objects are
 * tolerated on decode (see `UnexpectedPayloadValue`) and kept as received.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const Payload = Schema.Record({
  key: Schema.String,
  value: Schema.Union(PayloadValue, UnexpectedPayloadValue)
}).annotations({ identifier: "Payload" })

// -----------------------------------------------------------------------------
// Lead
// -----------------------------------------------------------------------------

/**
 * A lead, as returned by the lead endpoints (`components.schemas.Lead`): wire (snake_case) keys, timestamps
 * as `DateTime.Utc`, finite (JSON) numbers, missing optional keys as `null`, open enums, unknown keys ignored.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { Lead, LeadStatus } from "effect-instantly"
 *
 * const isActive = (body: unknown) =>
 *   Schema.decodeUnknown(Lead)(body).pipe(Effect.map((lead) => lead.status === LeadStatus.Active))
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export class Lead extends Schema.Class<Lead>("Lead")({
  id: Schema.String,
  timestamp_created: Timestamp,
  timestamp_updated: Timestamp,
  organization: Schema.String,
  campaign: optionalNullable(Schema.String),
  status: openEnum(LeadStatus),
  email: optionalNullable(Schema.String),
  personalization: optionalNullable(Schema.String),
  website: optionalNullable(Schema.String),
  last_name: optionalNullable(Schema.String),
  first_name: optionalNullable(Schema.String),
  company_name: optionalNullable(Schema.String),
  job_title: optionalNullable(Schema.String),
  phone: optionalNullable(Schema.String),
  email_open_count: Schema.Finite,
  email_reply_count: Schema.Finite,
  email_click_count: Schema.Finite,
  company_domain: Schema.String,
  status_summary: StatusSummary,
  payload: optionalNullable(Payload),
  status_summary_subseq: optionalOrNull(StatusSummarySubsequence),
  last_step_from: optionalNullable(Schema.String),
  last_step_id: optionalNullable(Schema.String),
  last_step_timestamp_executed: optionalNullable(Timestamp),
  email_opened_step: optionalNullable(Schema.Finite),
  email_opened_variant: optionalNullable(Schema.Finite),
  email_replied_step: optionalNullable(Schema.Finite),
  email_replied_variant: optionalNullable(Schema.Finite),
  email_clicked_step: optionalNullable(Schema.Finite),
  email_clicked_variant: optionalNullable(Schema.Finite),
  lt_interest_status: optionalOrNull(openEnum(InterestStatus)),
  subsequence_id: optionalNullable(Schema.String),
  verification_status: optionalOrNull(openEnum(VerificationStatus)),
  pl_value_lead: optionalNullable(Schema.String),
  timestamp_added_subsequence: optionalNullable(Timestamp),
  timestamp_last_contact: optionalNullable(Timestamp),
  timestamp_last_open: optionalNullable(Timestamp),
  timestamp_last_reply: optionalNullable(Timestamp),
  timestamp_last_interest_change: optionalNullable(Timestamp),
  timestamp_last_click: optionalNullable(Timestamp),
  enrichment_status: optionalOrNull(openEnum(EnrichmentStatus)),
  list_id: optionalNullable(Schema.String),
  last_contacted_from: optionalNullable(Schema.String),
  uploaded_by_user: optionalNullable(Schema.String),
  upload_method: optionalOrNull(openEnum(UploadMethod)),
  assigned_to: optionalNullable(Schema.String),
  is_website_visitor: optionalNullable(Schema.Boolean),
  timestamp_last_touch: optionalNullable(Timestamp),
  esp_code: optionalOrNull(openEnum(EspCode)),
  esg_code: optionalOrNull(openEnum(EsgCode))
}) {}

// -----------------------------------------------------------------------------
// Requests and errors
// -----------------------------------------------------------------------------

/**
 * A lead id as a caller passes it in: a UUID string, branded `LeadId`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const LeadId = Schema.UUID.pipe(Schema.brand("LeadId"))

/**
 * A UUID string branded `LeadId`.
 *
 * @since 0.1.0
 * @category Models
 */
export type LeadId = typeof LeadId.Type

/**
 * A subsequence id as a caller passes it in: a UUID string, branded `SubsequenceId`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const SubsequenceId = Schema.UUID.pipe(Schema.brand("SubsequenceId"))

/**
 * A UUID string branded `SubsequenceId`.
 *
 * @since 0.1.0
 * @category Models
 */
export type SubsequenceId = typeof SubsequenceId.Type

/**
 * Body of `POST /api/v2/leads/subsequence/remove`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const RemoveFromSubsequenceRequest = Schema.Struct({ id: LeadId })

/**
 * Body of `POST /api/v2/leads/subsequence/move`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const MoveToSubsequenceRequest = Schema.Struct({ id: LeadId, subsequence_id: SubsequenceId })
