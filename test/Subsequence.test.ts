import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import {
  AutoVariantTrigger,
  DailyLimitMode,
  DelayUnit,
  describeValue,
  InterestStatus,
  LeadActivity,
  StepType,
  Subsequence,
  SubsequenceStatus
} from "../src/index.js"
import { subsequence as example } from "./utils/Client.js"

const decode = Schema.decodeUnknownSync(Subsequence)
const encode = Schema.encodeSync(Subsequence)

/** The spec's `components.schemas.CampaignSubsequence`: its properties, and those it requires. */
const specProperties = [
  "id",
  "timestamp_created",
  "parent_campaign",
  "workspace",
  "status",
  "timestamp_leads_updated",
  "name",
  "conditions",
  "subsequence_schedule",
  "sequences",
  "auto_variant_select",
  "daily_limit_mode",
  "daily_limit",
  "ignore_account_daily_limit"
]
const specRequired = specProperties.slice(0, 8)

const without = (key: string) => Object.fromEntries(Object.entries(example).filter(([k]) => k !== key))

describe("Subsequence", () => {
  it("decodes a CampaignSubsequence: timestamps as DateTime.Utc, enums as their constants, nested objects", () => {
    const subsequence = decode(example)
    expect(subsequence).toBeInstanceOf(Subsequence)
    expect(subsequence.parent_campaign).toBe("019cc043-9cff-7f4c-88ba-3c17864ea05e")
    expect(DateTime.isDateTime(subsequence.timestamp_created)).toBe(true)
    expect(DateTime.formatIso(subsequence.timestamp_leads_updated)).toBe("2026-03-05T23:09:42.528Z")
    expect(subsequence.status).toBe(SubsequenceStatus.Active)
    expect(subsequence.conditions).toEqual({
      crm_status: [InterestStatus.Interested, InterestStatus.MeetingBooked],
      lead_activity: [LeadActivity.EmailLinkClicked],
      reply_contains: "yes"
    })
    const [step] = subsequence.sequences?.[0]?.steps ?? []
    expect(step).toMatchObject({ type: StepType.Email, delay: 2, delay_unit: DelayUnit.Days })
    expect(step?.variants[1]?.v_disabled).toBe(true)
    expect(subsequence.subsequence_schedule?.schedules[0]?.days["1"]).toBe(true)
    expect(subsequence.auto_variant_select).toEqual({ trigger: AutoVariantTrigger.ClickRate })
    expect(subsequence.daily_limit_mode).toBe(DailyLimitMode.Inherit)
    expect(describeValue(SubsequenceStatus, SubsequenceStatus.BounceProtection)).toEqual(
      Option.some("Bounce Protection - The subsequence is paused due to high bounce rates")
    )
  })

  it("has exactly the spec's properties; the required ones must be there, the others decode as null", () => {
    expect(Object.keys(Subsequence.fields).sort()).toEqual([...specProperties].sort())
    for (const key of specRequired) {
      expect(Either.isLeft(Schema.decodeUnknownEither(Subsequence)(without(key))), key).toBe(true)
    }
    const minimal = decode(Object.fromEntries(Object.entries(example).filter(([k]) => specRequired.includes(k))))
    for (const key of specProperties.slice(8)) expect(minimal[key as keyof Subsequence], key).toBeNull()
  })

  it("tolerates what Instantly adds later: unknown keys are ignored, undocumented enum values decode", () => {
    const later = decode({
      ...example,
      status: 42,
      owner: "someone",
      conditions: { crm_status: [12_345], lead_activity: [7], new_condition: true },
      daily_limit_mode: "weekly",
      auto_variant_select: null
    })
    expect(later.status).toBe(42)
    expect(describeValue(SubsequenceStatus, later.status)).toEqual(Option.none())
    expect(later.conditions).toEqual({ crm_status: [12_345], lead_activity: [7] })
    expect(later.daily_limit_mode).toBe("weekly")
    expect(later.auto_variant_select).toBeNull()
    expect("owner" in later).toBe(false)
  })

  it("encodes back to what it decoded from (a null the spec forbids is omitted)", () => {
    expect(encode(decode(example))).toEqual(example)
    const minimal = encode(decode(without("subsequence_schedule")))
    expect("subsequence_schedule" in minimal).toBe(false)
  })
})
