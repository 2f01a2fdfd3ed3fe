/**
 * Realistic leads generated deterministically from a seed number, for seeding an emulated workspace.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import { InterestStatus, Lead, LeadStatus, UploadMethod, VerificationStatus } from "../Lead.js"
import * as Random from "./Random.js"

/**
 * Options of `generateLeads`.
 *
 * @since 0.1.0
 * @category Models
 */
export interface GenerateOptions {
  /** How many leads to generate. */
  readonly count: number
  /** The seed: the same seed always gives the same leads (default 1). */
  readonly seed?: number | undefined
  /** When the first lead was created, in epoch milliseconds (default 2026-03-02T09:00:00Z). */
  readonly since?: number | undefined
}

const defaultSince = Date.UTC(2026, 2, 2, 9, 0, 0)

const firstNames = [
  "Ada",
  "Ben",
  "Chloe",
  "Dmitri",
  "Elena",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jonas",
  "Keira",
  "Luca",
  "Maya",
  "Nils",
  "Olga",
  "Priya"
] as const
const lastNames = [
  "Lovelace",
  "Okafor",
  "Martin",
  "Petrov",
  "Garcia",
  "Haddad",
  "Kim",
  "Tanaka",
  "Silva",
  "Berg",
  "Walsh",
  "Rossi",
  "Cohen",
  "Larsen",
  "Novak",
  "Iyer"
] as const
const companies = [
  ["Acme Robotics", "acme-robotics.com"],
  ["Northwind Traders", "northwind.io"],
  ["Globex", "globex.net"],
  ["Initech", "initech.com"],
  ["Umbrella Health", "umbrella-health.org"],
  ["Stark Logistics", "starklogistics.co"],
  ["Wayne Analytics", "wayne-analytics.com"],
  ["Hooli Cloud", "hooli.cloud"]
] as const
const jobTitles = ["Head of Growth", "CTO", "VP Sales", "Marketing Manager", "Founder", "Operations Lead"] as const

/**
 * A UUIDv7-looking id: the 48-bit creation time in milliseconds, version 7, variant bits, random rest.
 *
 * @since 0.1.0
 * @category Utils
 */
export const uuidV7 = (millis: number, draws: Random.Draws): string => {
  const time = Math.floor(millis).toString(16).padStart(12, "0").slice(-12)
  const variant = "89ab"[draws.int(4)]
  return `${time.slice(0, 8)}-${time.slice(8)}-7${draws.hex(3)}-${variant}${draws.hex(3)}-${draws.hex(12)}`
}

/**
 * Generates `count` leads of one organization and its two campaigns from `seed`. About two thirds of
 * them (always the first) are in a subsequence, with the timestamps and summary that go with it.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const generateLeads = (options: GenerateOptions): ReadonlyArray<Lead> => {
  const draws = Random.draws(options.seed ?? 1)
  const since = options.since ?? defaultSince
  const organization = uuidV7(since - 90 * 86_400_000, draws)
  const campaigns = [uuidV7(since - 30 * 86_400_000, draws), uuidV7(since - 20 * 86_400_000, draws)] as const
  const subsequences = campaigns.map((campaign) => ({
    campaign,
    id: uuidV7(since - 10 * 86_400_000, draws),
    step: uuidV7(since - 10 * 86_400_000, draws)
  }))
  const leads: Array<Lead> = []
  for (let i = 0; i < Math.max(0, Math.floor(options.count)); i++) {
    const created = since + i * 3_600_000 + draws.int(3_600_000)
    const first = draws.pick(firstNames)
    const last = draws.pick(lastNames)
    const [companyName, domain] = draws.pick(companies)
    const campaignIndex = draws.int(2)
    const inSubsequence = i === 0 || draws.next() < 2 / 3
    const lastStepAt = created + 86_400_000 + draws.int(86_400_000)
    const addedAt = lastStepAt + 3_600_000 + draws.int(86_400_000)
    const subsequence = subsequences[campaignIndex] ?? subsequences[0]!
    const at = (millis: number) => DateTime.unsafeMake(millis)
    const opens = 1 + draws.int(4)
    leads.push(
      new Lead({
        id: uuidV7(created, draws),
        timestamp_created: at(created),
        timestamp_updated: at(inSubsequence ? addedAt : lastStepAt),
        organization,
        campaign: subsequence.campaign,
        status: inSubsequence
          ? LeadStatus.Active
          : draws.pick([LeadStatus.Active, LeadStatus.Paused, LeadStatus.Completed]),
        email: `${first.toLowerCase()}.${last.toLowerCase()}@${domain}`,
        first_name: first,
        last_name: last,
        company_name: companyName,
        company_domain: domain,
        website: `https://${domain}`,
        job_title: draws.pick(jobTitles),
        email_open_count: opens,
        email_reply_count: inSubsequence ? 1 : 0,
        email_click_count: draws.int(opens + 1),
        status_summary: {
          lastStep: { from: "campaign", stepID: uuidV7(created, draws), timestamp_executed: at(lastStepAt) },
          domain_complete: false
        },
        payload: { industry: draws.pick(["SaaS", "Logistics", "Healthcare", "Retail"]) },
        last_step_from: "campaign",
        last_step_timestamp_executed: at(lastStepAt),
        timestamp_last_contact: at(lastStepAt),
        lt_interest_status: inSubsequence ? InterestStatus.Interested : null,
        verification_status: VerificationStatus.Verified,
        upload_method: UploadMethod.Api,
        ...(inSubsequence
          ? {
            subsequence_id: subsequence.id,
            timestamp_added_subsequence: at(addedAt),
            status_summary_subseq: { from: "subsequence", stepID: subsequence.step, timestampExecuted: at(addedAt) },
            email_replied_step: 1,
            timestamp_last_reply: at(addedAt - 3_600_000)
          }
          : {})
      })
    )
  }
  return leads
}
