/**
 * The Instantly API v2 `Lead` entity and the request and error bodies of the lead endpoints.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import type * as Brand from "effect/Brand"
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as FastDecoder from "./internal/fastDecoder.js"
import * as IsoTimestamp from "./internal/isoTimestamp.js"

// -----------------------------------------------------------------------------
// Property signature helpers
// -----------------------------------------------------------------------------

/**
 * A non-required property whose spec type includes `null` (e.g. `["null", "string"]`): a missing key
 * decodes as `null`, and `null` encodes as `null`.
 *
 * @since 0.1.0
 * @category Utils
 * @internal
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
 * @internal
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
 * @internal
 */
export const UnknownNumericEnumValue = Schema.Finite.pipe(Schema.brand("UnknownEnumValue"))

/**
 * Any string, branded `UnknownEnumValue`: the fallback member of string open enums.
 *
 * @since 0.1.0
 * @category Schemas
 * @internal
 */
export const UnknownStringEnumValue = Schema.String.pipe(Schema.brand("UnknownEnumValue"))

/**
 * Builds an enum constants object (`Name -> value`, typed as literals) from a table of entries defined once.
 *
 * @since 0.1.0
 * @category Utils
 * @internal
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
 * @internal
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
 * @internal
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

/** RFC 3339's `date-time`: `T` (or `t`, or a space) between date and time, `Z` (or `z`) or an offset. */
const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/

/** Whether `text` is a real instant in the form Instantly sends (`2026-03-05T23:09:42.527Z`). */
const isCanonicalTimestamp = (text: string): boolean => IsoTimestamp.canonicalMillis(text) !== undefined

/** The timestamp as `Date` reads it (`T`, `Z`), or `undefined` when it is not a real RFC 3339 date-time. */
const normalizeTimestamp = (text: string): string | undefined => {
  if (isCanonicalTimestamp(text)) return text
  const match = rfc3339.exec(text)
  if (match === null) return undefined
  const [, year, month, day, hours, minutes, seconds, , , offsetHours, offsetMinutes] = match.map(Number)
  const inMonth = new Date(Date.UTC(year!, month! - 1, day!)).getUTCDate() === day
  const valid = month! >= 1 && month! <= 12 && day! >= 1 && inMonth && hours! <= 23 && minutes! <= 59 &&
    seconds! <= 59 && (offsetHours === undefined || Number.isNaN(offsetHours) || offsetHours <= 23) &&
    (offsetMinutes === undefined || Number.isNaN(offsetMinutes) || offsetMinutes <= 59)
  return valid ? `${text.slice(0, 10)}T${text.slice(11).toUpperCase()}` : undefined
}

/**
 * An RFC 3339 timestamp (`2026-03-05T23:09:42.527Z`, or with an offset), decoded to `DateTime.Utc` and
 * encoded back to an ISO string. Read strictly: RFC 3339's lowercase `t` and `z` are accepted (JavaScript's
 * `Date` does not read them), but a date that does not exist (`2026-02-31`), a time past `23:59:59`, a
 * missing offset or another format fails to decode, rather than silently becoming another instant.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const Timestamp: Schema.Schema<DateTime.Utc, string> = Schema.compose(
  Schema.transformOrFail(Schema.String, Schema.String, {
    strict: true,
    decode: (text, _, ast) => {
      const normalized = normalizeTimestamp(text)
      return normalized === undefined
        ? ParseResult.fail(new ParseResult.Type(ast, text, "Expected an RFC 3339 date-time"))
        : ParseResult.succeed(normalized)
    },
    encode: ParseResult.succeed
  }).annotations({ [FastDecoder.IdentityWhen]: isCanonicalTimestamp }),
  Schema.DateTimeUtc
).annotations({
  identifier: "Timestamp",
  // Instants RFC 3339 can write (years 0000 to 9999), as `DateTime.Utc`s.
  arbitrary: () => (fc) =>
    fc.date({
      min: new Date("0000-01-01T00:00:00.000Z"),
      max: new Date("9999-12-31T23:59:59.999Z"),
      noInvalidDate: true
    })
      .map(DateTime.unsafeFromDate)
})

/**
 * The time of a step in a summary, read from its key (`key`) or, when only that is sent, from the other
 * spelling Instantly uses elsewhere (`other`), so neither is dropped; encoded under `key`.
 */
const stepTimeUnderEitherKey = <Fields extends Schema.Struct.Fields, K extends keyof Fields & string>(
  fields: Schema.Struct<Fields>,
  key: K,
  other: string
) =>
  Schema.transform(
    Schema.Struct({ ...fields.fields, [other]: Schema.optional(Timestamp) }),
    Schema.typeSchema(fields),
    {
      strict: false,
      decode: (input: Record<string, unknown>) => {
        // The usual case, one spelling only: the decoded struct as it is (it is a new object already).
        if (!Object.prototype.hasOwnProperty.call(input, other)) return input
        const { [other]: alternate, ...summary } = input
        return summary[key] === undefined && alternate !== undefined ? { ...summary, [key]: alternate } : summary
      },
      encode: (summary) => summary
    }
  )

// -----------------------------------------------------------------------------
// Nested objects
// -----------------------------------------------------------------------------

/**
 * The last campaign step executed for a lead (`status_summary.lastStep`) as decoded: the spec's keys.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const LastStepFields = Schema.Struct({
  from: Schema.optional(Schema.String),
  stepID: Schema.optional(Schema.String),
  timestamp_executed: Schema.optional(Timestamp)
}).annotations({ identifier: "LastStep" })

/**
 * The last campaign step executed for a lead (`status_summary.lastStep`); every key is optional. The time
 * of the step is read from the spec's `timestamp_executed` or, when only that is sent, from
 * `timestampExecuted` (the spelling of `status_summary_subseq`); it is encoded as `timestamp_executed`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const LastStep = stepTimeUnderEitherKey(LastStepFields, "timestamp_executed", "timestampExecuted")
  .annotations({ identifier: "LastStep" })

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
export const StatusSummarySubsequence = stepTimeUnderEitherKey(
  StatusSummarySubsequenceFields,
  "timestampExecuted",
  "timestamp_executed"
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
  /** Unique identifier for the lead (a UUID string). */
  id: Schema.String,
  /** Timestamp when the lead was created (a `DateTime.Utc`). */
  timestamp_created: Timestamp,
  /** Timestamp when the lead was last updated (a `DateTime.Utc`). */
  timestamp_updated: Timestamp,
  /** Organization ID associated with the lead (a UUID string). */
  organization: Schema.String,
  /** Campaign ID associated with the lead (a UUID string; `null` when absent). */
  campaign: optionalNullable(Schema.String),
  /** Status of the lead (a `LeadStatus` value, or an undocumented one, which decodes too). */
  status: openEnum(LeadStatus),
  /** Email address of the lead (`null` when absent). */
  email: optionalNullable(Schema.String),
  /** Personalization of the lead (`null` when absent). */
  personalization: optionalNullable(Schema.String),
  /** Website of the lead (`null` when absent). */
  website: optionalNullable(Schema.String),
  /** Last name of the lead (`null` when absent). */
  last_name: optionalNullable(Schema.String),
  /** First name of the lead (`null` when absent). */
  first_name: optionalNullable(Schema.String),
  /** Company name of the lead (`null` when absent). */
  company_name: optionalNullable(Schema.String),
  /** Job title of the lead (`null` when absent). */
  job_title: optionalNullable(Schema.String),
  /** Phone number of the lead (`null` when absent). */
  phone: optionalNullable(Schema.String),
  /** Number of times the email was opened. */
  email_open_count: Schema.Finite,
  /** Number of times the email was replied to. */
  email_reply_count: Schema.Finite,
  /** Number of times the email was clicked. */
  email_click_count: Schema.Finite,
  /** Company domain of the lead. */
  company_domain: Schema.String,
  /** Status summary of the lead. */
  status_summary: StatusSummary,
  /**
   * Lead custom variables. This object can contain any key, but the values have to be of type string,
   * number, boolean, or null. We do NOT allow objects or arrays as values (`null` when absent; an object
   * or array value sent anyway is kept as received: see `Payload`).
   */
  payload: optionalNullable(Payload),
  /** Subsequence status summary of the lead (`null` when absent). */
  status_summary_subseq: optionalOrNull(StatusSummarySubsequence),
  /** Source of the last step (`null` when absent). */
  last_step_from: optionalNullable(Schema.String),
  /** ID of the last step (often a UUID; step ids such as `0_1_0` are seen too; `null` when absent). */
  last_step_id: optionalNullable(Schema.String),
  /** Timestamp when the last step was executed (a `DateTime.Utc`; `null` when absent). */
  last_step_timestamp_executed: optionalNullable(Timestamp),
  /** Last email step opened by the lead (`null` when absent). */
  email_opened_step: optionalNullable(Schema.Finite),
  /** Last step variant opened by the lead (`null` when absent). */
  email_opened_variant: optionalNullable(Schema.Finite),
  /** Last email step the lead has replied to (`null` when absent). */
  email_replied_step: optionalNullable(Schema.Finite),
  /** Last step variant the lead has replied to (`null` when absent). */
  email_replied_variant: optionalNullable(Schema.Finite),
  /** Last email step the lead has clicked (`null` when absent). */
  email_clicked_step: optionalNullable(Schema.Finite),
  /** Last step variant the lead has clicked (`null` when absent). */
  email_clicked_variant: optionalNullable(Schema.Finite),
  /**
   * Lead interest status. It can be either a static value (check below), or a custom status interest value (a `InterestStatus` value, or an undocumented one, which decodes too; `null` when absent).
   */
  lt_interest_status: optionalOrNull(openEnum(InterestStatus)),
  /** ID of the subsequence (a UUID string; `null` when absent). */
  subsequence_id: optionalNullable(Schema.String),
  /**
   * Verification status of the lead (a `VerificationStatus` value, or an undocumented one, which decodes too; `null` when absent).
   */
  verification_status: optionalOrNull(openEnum(VerificationStatus)),
  /** Potential value of the lead (`null` when absent). */
  pl_value_lead: optionalNullable(Schema.String),
  /** Timestamp when the lead was added to the subsequence (a `DateTime.Utc`; `null` when absent). */
  timestamp_added_subsequence: optionalNullable(Timestamp),
  /** Timestamp of the last contact with the lead (a `DateTime.Utc`; `null` when absent). */
  timestamp_last_contact: optionalNullable(Timestamp),
  /** Timestamp of the last email open (a `DateTime.Utc`; `null` when absent). */
  timestamp_last_open: optionalNullable(Timestamp),
  /** Timestamp of the last email reply (a `DateTime.Utc`; `null` when absent). */
  timestamp_last_reply: optionalNullable(Timestamp),
  /** Timestamp of the last interest status change (a `DateTime.Utc`; `null` when absent). */
  timestamp_last_interest_change: optionalNullable(Timestamp),
  /** Timestamp of the last email click (a `DateTime.Utc`; `null` when absent). */
  timestamp_last_click: optionalNullable(Timestamp),
  /**
   * Enrichment status of the lead (a `EnrichmentStatus` value, or an undocumented one, which decodes too; `null` when absent).
   */
  enrichment_status: optionalOrNull(openEnum(EnrichmentStatus)),
  /** List ID associated with the lead (a UUID string; `null` when absent). */
  list_id: optionalNullable(Schema.String),
  /** Source of the last contact (`null` when absent). */
  last_contacted_from: optionalNullable(Schema.String),
  /** ID of the user who uploaded the lead (a UUID string; `null` when absent). */
  uploaded_by_user: optionalNullable(Schema.String),
  /** Method used to upload the lead (a `UploadMethod` value, or an undocumented one, which decodes too; `null` when absent). */
  upload_method: optionalOrNull(openEnum(UploadMethod)),
  /** ID of the user assigned to the lead (a UUID string; `null` when absent). */
  assigned_to: optionalNullable(Schema.String),
  /** Indicates if the lead is a website visitor (`null` when absent). */
  is_website_visitor: optionalNullable(Schema.Boolean),
  /** Timestamp of the last touch with the lead (a `DateTime.Utc`; `null` when absent). */
  timestamp_last_touch: optionalNullable(Timestamp),
  /** ESP code associated with the lead (a `EspCode` value, or an undocumented one, which decodes too; `null` when absent). */
  esp_code: optionalOrNull(openEnum(EspCode)),
  /** ESG code associated with the lead (a `EsgCode` value, or an undocumented one, which decodes too; `null` when absent). */
  esg_code: optionalOrNull(openEnum(EsgCode))
}) {}

// -----------------------------------------------------------------------------
// Requests and errors
// -----------------------------------------------------------------------------

/**
 * A UUID in its canonical, lowercase form: a UUID in any case decodes to it, so an id written in capitals
 * names the same lead here (duplicates) as at Instantly.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const Uuid: Schema.Schema<string> = Schema.compose(Schema.Lowercase, Schema.UUID).annotations({
  identifier: "Uuid"
})

/**
 * A lead id as a caller passes it in: a UUID string (sent in lowercase), branded `LeadId`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const LeadId = Uuid.pipe(Schema.brand("LeadId"))

/**
 * A UUID string branded `LeadId`.
 *
 * @since 0.1.0
 * @category Models
 */
export type LeadId = typeof LeadId.Type

/**
 * A subsequence id as a caller passes it in: a UUID string (sent in lowercase), branded `SubsequenceId`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const SubsequenceId = Uuid.pipe(Schema.brand("SubsequenceId"))

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

// -----------------------------------------------------------------------------
// Listing leads
// -----------------------------------------------------------------------------

/**
 * The documented values of `filter` in `POST /api/v2/leads/list` (`listLeads`). Open: any other string is
 * sent as it is, e.g. a filter Instantly adds later. Constants: `LeadFilter.InSubsequence ===
 * "FILTER_VAL_IN_SUBSEQUENCE"`, and so on.
 *
 * @example
 * ```ts
 * import { LeadFilter } from "effect-instantly"
 *
 * const query = { campaign: "019cc043-9cff-7f4c-88ba-3c17864ea05e", filter: LeadFilter.InSubsequence }
 * ```
 *
 * @since 0.2.0
 * @category Constants
 */
export const LeadFilter = makeEnum([
  { name: "Contacted", value: "FILTER_VAL_CONTACTED", description: "Filter for contacted leads" },
  { name: "NotContacted", value: "FILTER_VAL_NOT_CONTACTED", description: "Filter for not contacted leads" },
  { name: "Completed", value: "FILTER_VAL_COMPLETED", description: "Filter for completed leads" },
  { name: "Unsubscribed", value: "FILTER_VAL_UNSUBSCRIBED", description: "Filter for unsubscribed leads" },
  { name: "Active", value: "FILTER_VAL_ACTIVE", description: "Filter for active leads" },
  { name: "Interested", value: "FILTER_LEAD_INTERESTED", description: "Filter for interested leads" },
  { name: "NotInterested", value: "FILTER_LEAD_NOT_INTERESTED", description: "Filter for not interested leads" },
  { name: "MeetingBooked", value: "FILTER_LEAD_MEETING_BOOKED", description: "Filter for leads with meeting booked" },
  {
    name: "MeetingCompleted",
    value: "FILTER_LEAD_MEETING_COMPLETED",
    description: "Filter for leads with meeting completed"
  },
  { name: "Closed", value: "FILTER_LEAD_CLOSED", description: "Filter for closed leads" },
  { name: "OutOfOffice", value: "FILTER_LEAD_OUT_OF_OFFICE", description: "Filter for leads out of office" },
  { name: "WrongPerson", value: "FILTER_LEAD_WRONG_PERSON", description: "Filter for wrong person leads" },
  { name: "Lost", value: "FILTER_LEAD_LOST", description: "Filter for lost leads" },
  { name: "NoShow", value: "FILTER_LEAD_NO_SHOW", description: "Filter for no show leads" },
  {
    name: "CustomLabelPositive",
    value: "FILTER_LEAD_CUSTOM_LABEL_POSITIVE",
    description: "Filter for leads with positive custom label"
  },
  {
    name: "CustomLabelNegative",
    value: "FILTER_LEAD_CUSTOM_LABEL_NEGATIVE",
    description: "Filter for leads with negative custom label"
  },
  { name: "Bounced", value: "FILTER_VAL_BOUNCED", description: "Filter for bounced leads" },
  { name: "Skipped", value: "FILTER_VAL_SKIPPED", description: "Filter for skipped leads" },
  { name: "Risky", value: "FILTER_VAL_RISKY", description: "Filter for risky leads" },
  { name: "Invalid", value: "FILTER_VAL_INVALID", description: "Filter for invalid leads" },
  { name: "Valid", value: "FILTER_VAL_VALID", description: "Filter for valid leads" },
  { name: "InSubsequence", value: "FILTER_VAL_IN_SUBSEQUENCE", description: "Filter for leads in subsequence" },
  {
    name: "OpenedNoReply",
    value: "FILTER_VAL_OPENED_NO_REPLY",
    description: "Filter for leads with opened emails but no reply"
  },
  {
    name: "CompletedNoReply",
    value: "FILTER_VAL_COMPLETED_NO_REPLY",
    description: "Filter for leads with completed sequence but no reply"
  },
  { name: "NoOpens", value: "FILTER_VAL_NO_OPENS", description: "Filter for leads with no opened emails" },
  { name: "Replied", value: "FILTER_VAL_REPLIED", description: "Filter for leads that replied" },
  { name: "LinkClicked", value: "FILTER_VAL_LINK_CLICKED", description: "Filter for leads that clicked a link" }
])

/**
 * A `filter` value: a known `LeadFilter` or any other string.
 *
 * @since 0.2.0
 * @category Models
 */
export type LeadFilter = OpenEnumValue<typeof LeadFilter>

/**
 * An email address in the shape the spec's `format: "email"` admits (the check Instantly's request
 * validation makes), e.g. `"olga.kim@acme-robotics.com"`.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const EmailAddress = Schema.String.pipe(
  Schema.pattern(
    /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i,
    { message: () => "Expected an email address" }
  )
)

/**
 * The kind of event a smart-view query (`queries` of `listLeads`) looks at, e.g. `"email-open"`.
 *
 * @since 0.2.0
 * @category Constants
 */
export const LeadQueryAction = makeEnum([
  { name: "Reply", value: "reply", description: "Reply" },
  { name: "EmailOpen", value: "email-open", description: "Email open" },
  { name: "LastContacted", value: "last-contacted", description: "Last contacted" },
  { name: "LinkClick", value: "link-click", description: "Link click" },
  { name: "LeadStatus", value: "lead-status", description: "Lead status" },
  { name: "LeadStatusChange", value: "lead-status-change", description: "Lead status change" }
])

/**
 * One smart-view query of `listLeads` (`queries[]`): an event kind and its conditions.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const LeadQuery = Schema.Struct({
  actionType: openEnum(LeadQueryAction),
  values: Schema.Struct({
    "occurrence-days": Schema.optional(Schema.Finite),
    "occurrence-count": Schema.optional(Schema.Struct({
      condition: Schema.optional(Schema.String),
      count: Schema.optional(Schema.Finite)
    })),
    "lead-status": Schema.optional(Schema.Struct({
      status: Schema.optional(Schema.Finite),
      condition: Schema.optional(Schema.String)
    }))
  })
}).annotations({ identifier: "LeadQuery" })

/**
 * What to list with `POST /api/v2/leads/list` (`listLeads`): every filter of the spec, each optional; ids
 * are UUID strings, `contacts` email addresses. Paging (`limit`, `starting_after`) is not part of it:
 * `Leads.list` pages by itself.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const ListLeadsQuery = Schema.Struct({
  /** Matched against first name, last name or email. */
  search: Schema.optional(Schema.String),
  /** One of `LeadFilter`, or any other string. */
  filter: Schema.optional(openEnum(LeadFilter)),
  /** Only the leads of this campaign. */
  campaign: Schema.optional(Uuid),
  /** Only the leads of this lead list. */
  list_id: Schema.optional(Uuid),
  /** Whether the lead is in a campaign. */
  in_campaign: Schema.optional(Schema.Boolean),
  /** Whether the lead is in a list. */
  in_list: Schema.optional(Schema.Boolean),
  /** Only these leads. */
  ids: Schema.optional(Schema.Array(LeadId)),
  /** Smart-view queries. */
  queries: Schema.optional(Schema.Array(LeadQuery)),
  /** All leads but these. */
  excluded_ids: Schema.optional(Schema.Array(LeadId)),
  /** Only the leads with one of these email addresses. */
  contacts: Schema.optional(Schema.Array(EmailAddress)),
  /** Only the leads of these organization users. */
  organization_user_ids: Schema.optional(Schema.Array(Uuid)),
  /** Only the leads of this smart view. */
  smart_view_id: Schema.optional(Uuid),
  /** Whether the lead is a website visitor. */
  is_website_visitor: Schema.optional(Schema.Boolean),
  /** One lead per email address (the cursor is then an email). */
  distinct_contacts: Schema.optional(Schema.Boolean),
  /** Only the leads with this enrichment status. */
  enrichment_status: Schema.optional(openEnum(EnrichmentStatus)),
  /** ESG code as a string (`"0"` to `"4"`), or `"all"` or `"none"`. */
  esg_code: Schema.optional(Schema.String)
}).annotations({ identifier: "ListLeadsQuery" })

/**
 * A `listLeads` query as a caller passes it in, e.g. `{ campaign, filter: LeadFilter.InSubsequence }`.
 *
 * @since 0.2.0
 * @category Models
 */
export type ListLeadsQuery = typeof ListLeadsQuery.Encoded

/**
 * The most leads one page of `listLeads` holds (the spec's maximum `limit`).
 *
 * @since 0.2.0
 * @category Constants
 */
export const listLeadsPageSize = 100

/**
 * Body of `POST /api/v2/leads/list`: the query plus `limit` (1 to 100) and `starting_after` (the
 * previous page's `next_starting_after`).
 *
 * @since 0.2.0
 * @category Schemas
 */
export const ListLeadsRequest = Schema.Struct({
  ...ListLeadsQuery.fields,
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, listLeadsPageSize))),
  starting_after: Schema.optional(Schema.String)
}).annotations({ identifier: "ListLeadsRequest" })

/**
 * A page of `POST /api/v2/leads/list`: its leads, and the cursor of the next page (`null` when there
 * is none: the key is absent on the last page, and omitted when encoded).
 *
 * @since 0.2.0
 * @category Schemas
 */
export const ListLeadsResponse = Schema.Struct({
  items: Schema.Array(Lead),
  next_starting_after: optionalOrNull(Schema.String)
}).annotations({ identifier: "ListLeadsResponse" })
