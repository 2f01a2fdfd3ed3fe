/**
 * The Instantly API v2 `CampaignSubsequence` entity: a follow-up sequence of a campaign, which leads
 * are moved into (and removed from) with the lead endpoints.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import { InterestStatus, makeEnum, openEnum, type OpenEnumValue, optionalNullable, optionalOrNull } from "./Lead.js"

// -----------------------------------------------------------------------------
// Open enums
// -----------------------------------------------------------------------------

/**
 * Subsequence status (`status`). Constants: `SubsequenceStatus.Active === 1`, and so on.
 *
 * @since 0.2.0
 * @category Constants
 */
export const SubsequenceStatus = makeEnum([
  {
    name: "AccountSuspended",
    value: -99,
    description: "Account Suspended - The subsequence is suspended due to account issues"
  },
  {
    name: "AccountsUnhealthy",
    value: -1,
    description: "Accounts Unhealthy - The subsequence is paused due to unhealthy sending accounts"
  },
  {
    name: "BounceProtection",
    value: -2,
    description: "Bounce Protection - The subsequence is paused due to high bounce rates"
  },
  { name: "Draft", value: 0, description: "Draft - The subsequence is in draft mode and not yet active" },
  { name: "Active", value: 1, description: "Active - The subsequence is currently running" },
  { name: "Paused", value: 2, description: "Paused - The subsequence has been manually paused" },
  { name: "Completed", value: 3, description: "Completed - The subsequence has finished running" },
  {
    name: "RunningSubsequences",
    value: 4,
    description: "Running Subsequences - The subsequence has active child sequences"
  }
])

/**
 * A decoded subsequence `status`: a known `SubsequenceStatus` value or an undocumented one.
 *
 * @since 0.2.0
 * @category Models
 */
export type SubsequenceStatus = OpenEnumValue<typeof SubsequenceStatus>

/**
 * A lead activity that triggers a subsequence (`conditions.lead_activity[]`).
 *
 * @since 0.2.0
 * @category Constants
 */
export const LeadActivity = makeEnum([
  { name: "EmailLinkClicked", value: 4, description: "Email Link Clicked - Triggered when a lead clicks a link" },
  {
    name: "CampaignCompletedWithoutReply",
    value: 91,
    description: "Campaign Completed Without Reply - Triggered when a campaign completes for a lead without a reply"
  },
  { name: "EmailOpened", value: 2, description: "Email Opened - Triggered when a lead opens an email" }
])

/**
 * A decoded `conditions.lead_activity[]` value.
 *
 * @since 0.2.0
 * @category Models
 */
export type LeadActivity = OpenEnumValue<typeof LeadActivity>

/**
 * How the subsequence's daily limit is set (`daily_limit_mode`).
 *
 * @since 0.2.0
 * @category Constants
 */
export const DailyLimitMode = makeEnum([
  { name: "Inherit", value: "inherit", description: "Uses the parent campaign's limit" },
  { name: "Custom", value: "custom", description: "Uses the subsequence's own daily_limit" },
  { name: "Unlimited", value: "unlimited", description: "Bypasses the campaign-level daily limit" }
])

/**
 * A decoded `daily_limit_mode`.
 *
 * @since 0.2.0
 * @category Models
 */
export type DailyLimitMode = OpenEnumValue<typeof DailyLimitMode>

/**
 * What picks the winning variant automatically (`auto_variant_select.trigger`).
 *
 * @since 0.2.0
 * @category Constants
 */
export const AutoVariantTrigger = makeEnum([
  { name: "ReplyRate", value: "reply_rate", description: "Reply rate" },
  { name: "ClickRate", value: "click_rate", description: "Click rate" },
  { name: "OpenRate", value: "open_rate", description: "Open rate" }
])

/**
 * A decoded `auto_variant_select.trigger`.
 *
 * @since 0.2.0
 * @category Models
 */
export type AutoVariantTrigger = OpenEnumValue<typeof AutoVariantTrigger>

/**
 * The kind of a sequence step (`sequences[].steps[].type`); only `"email"` is documented.
 *
 * @since 0.2.0
 * @category Constants
 */
export const StepType = makeEnum([
  { name: "Email", value: "email", description: "This steps represents an email" }
])

/**
 * A decoded step `type`.
 *
 * @since 0.2.0
 * @category Models
 */
export type StepType = OpenEnumValue<typeof StepType>

/**
 * The unit of a step's `delay` and `pre_delay` (`delay_unit`, `pre_delay_unit`; Instantly's default is days).
 *
 * @since 0.2.0
 * @category Constants
 */
export const DelayUnit = makeEnum([
  { name: "Minutes", value: "minutes", description: "Minutes" },
  { name: "Hours", value: "hours", description: "Hours" },
  { name: "Days", value: "days", description: "Days" }
])

/**
 * A decoded `delay_unit` or `pre_delay_unit`.
 *
 * @since 0.2.0
 * @category Models
 */
export type DelayUnit = OpenEnumValue<typeof DelayUnit>

// -----------------------------------------------------------------------------
// Nested objects
// -----------------------------------------------------------------------------

/**
 * What triggers the subsequence (`conditions`): interest statuses (`InterestStatus` values or a custom
 * label's), lead activities, or a reply containing some text; every key is optional.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const SubsequenceConditions = Schema.Struct({
  crm_status: Schema.optional(Schema.Array(openEnum(InterestStatus))),
  lead_activity: Schema.optional(Schema.Array(openEnum(LeadActivity))),
  reply_contains: Schema.optional(Schema.String)
}).annotations({ identifier: "SubsequenceConditions" })

/**
 * One sending window of a schedule: `timing` as `"HH:MM"` strings, `days` keyed `"0"` (Sunday) to `"6"`,
 * and an IANA-style `timezone` name.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const ScheduleEntry = Schema.Struct({
  name: Schema.String,
  timing: Schema.Struct({ from: Schema.String, to: Schema.String }),
  days: Schema.Record({ key: Schema.String, value: Schema.Boolean }),
  timezone: Schema.String
}).annotations({ identifier: "ScheduleEntry" })

/**
 * The subsequence's schedule (`subsequence_schedule`): optional start and end dates, and its windows.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const SubsequenceSchedule = Schema.Struct({
  start_date: Schema.optional(Schema.NullOr(Schema.String)),
  end_date: Schema.optional(Schema.NullOr(Schema.String)),
  schedules: Schema.Array(ScheduleEntry)
}).annotations({ identifier: "SubsequenceSchedule" })

/**
 * One variant of a step: its subject and HTML body, and whether it is disabled.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const StepVariant = Schema.Struct({
  subject: Schema.String,
  body: Schema.String,
  v_disabled: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "StepVariant" })

/**
 * One step of a sequence: an email, sent `delay` units (`delay_unit`, days by default) before the next.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const SequenceStep = Schema.Struct({
  type: openEnum(StepType),
  delay: Schema.Finite,
  delay_unit: Schema.optional(openEnum(DelayUnit)),
  pre_delay: Schema.optional(Schema.Finite),
  pre_delay_unit: Schema.optional(openEnum(DelayUnit)),
  variants: Schema.Array(StepVariant)
}).annotations({ identifier: "SequenceStep" })

/**
 * A sequence (the email copy): its steps. Instantly uses only the first sequence of `sequences`.
 *
 * @since 0.2.0
 * @category Schemas
 */
export const Sequence = Schema.Struct({
  steps: Schema.Array(SequenceStep)
}).annotations({ identifier: "Sequence" })

// -----------------------------------------------------------------------------
// Subsequence
// -----------------------------------------------------------------------------

/**
 * A campaign subsequence, as `GET /api/v2/subsequences/{id}` (`getCampaignSubsequence`) answers it
 * (`components.schemas.CampaignSubsequence`): wire (snake_case) keys, timestamps as `DateTime.Utc`, missing
 * optional keys as `null`, open enums, unknown keys ignored. `parent_campaign` is the id of the campaign
 * whose leads it takes.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { Subsequence, SubsequenceStatus } from "effect-instantly"
 *
 * const isRunning = (body: unknown) =>
 *   Schema.decodeUnknown(Subsequence)(body).pipe(
 *     Effect.map((subsequence) => subsequence.status === SubsequenceStatus.Active)
 *   )
 * ```
 *
 * @since 0.2.0
 * @category Models
 */
export class Subsequence extends Schema.Class<Subsequence>("Subsequence")({
  id: Schema.String,
  timestamp_created: Schema.DateTimeUtc,
  parent_campaign: Schema.String,
  workspace: Schema.String,
  status: openEnum(SubsequenceStatus),
  timestamp_leads_updated: Schema.DateTimeUtc,
  name: Schema.String,
  conditions: SubsequenceConditions,
  subsequence_schedule: optionalOrNull(SubsequenceSchedule),
  sequences: optionalOrNull(Schema.Array(Sequence)),
  auto_variant_select: optionalNullable(Schema.Struct({ trigger: openEnum(AutoVariantTrigger) })),
  daily_limit_mode: optionalOrNull(openEnum(DailyLimitMode)),
  daily_limit: optionalNullable(Schema.Finite),
  ignore_account_daily_limit: optionalOrNull(Schema.Boolean)
}) {}
