/**
 * Realistic leads and subsequences generated deterministically from a seed number, for seeding an
 * emulated workspace: all at once (`generateLeads`), or one lead at a time by index, without holding
 * them (`generate`), so a workspace of a million leads costs a few bytes a lead.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import { InterestStatus, Lead, LeadStatus, UploadMethod, VerificationStatus } from "../Lead.js"
import { DelayUnit, StepType, Subsequence, SubsequenceStatus } from "../Subsequence.js"
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

/** The draws of the workspace around the leads: its organization, two campaigns and their subsequences. */
interface Frame {
  readonly organization: string
  readonly subsequences: readonly [SubsequenceDraw, SubsequenceDraw]
  /** The draw number at which the first lead's draws start. */
  readonly start: number
}

interface SubsequenceDraw {
  readonly campaign: string
  readonly id: string
  readonly step: string
}

const drawFrame = (seed: number, since: number): Frame => {
  const draws = Random.draws(seed)
  const organization = uuidV7(since - 90 * 86_400_000, draws)
  const campaigns = [uuidV7(since - 30 * 86_400_000, draws), uuidV7(since - 20 * 86_400_000, draws)] as const
  const subsequence = (campaign: string): SubsequenceDraw => ({
    campaign,
    id: uuidV7(since - 10 * 86_400_000, draws),
    step: uuidV7(since - 10 * 86_400_000, draws)
  })
  const subsequences = [subsequence(campaigns[0]), subsequence(campaigns[1])] as const
  return { organization, subsequences, start: draws.position() }
}

/** Everything drawn for lead number `i`, in the order the draws are made. */
const drawLead = (draws: Random.Draws, i: number, since: number) => {
  const created = since + i * 3_600_000 + draws.int(3_600_000)
  const first = draws.pick(firstNames)
  const last = draws.pick(lastNames)
  const company = draws.pick(companies)
  const campaignIndex = draws.int(2)
  const inSubsequence = i === 0 || draws.next() < 2 / 3
  const lastStepAt = created + 86_400_000 + draws.int(86_400_000)
  const addedAt = lastStepAt + 3_600_000 + draws.int(86_400_000)
  const opens = 1 + draws.int(4)
  const id = uuidV7(created, draws)
  const status = inSubsequence
    ? LeadStatus.Active
    : draws.pick([LeadStatus.Active, LeadStatus.Paused, LeadStatus.Completed])
  const jobTitle = draws.pick(jobTitles)
  const clicks = draws.int(opens + 1)
  const stepId = uuidV7(created, draws)
  const industry = draws.pick(["SaaS", "Logistics", "Healthcare", "Retail"])
  return {
    created,
    first,
    last,
    company,
    campaignIndex,
    inSubsequence,
    lastStepAt,
    addedAt,
    opens,
    id,
    status,
    jobTitle,
    clicks,
    stepId,
    industry
  }
}

type Drawn = ReturnType<typeof drawLead>

/**
 * How many draws `drawLead` makes for lead `i` whose draws start at `offset`, without making them:
 * 22, less the draw deciding `inSubsequence` for the first lead (always in one), plus the status
 * drawn for a lead in no subsequence. `generate` relies on it to reach lead `i` in one hash a lead.
 */
const drawsOfLead = (seed: number, offset: number, i: number): number =>
  i === 0 ? 21 : Random.unit(seed, offset + 5) < 2 / 3 ? 22 : 23

const at = (millis: number) => DateTime.unsafeMake(millis)

/** The lead made of its draws (valid by construction, so the constructor does not check it again). */
const buildLead = (frame: Frame, drawn: Drawn): Lead => {
  const { created, first, last, inSubsequence, lastStepAt, addedAt } = drawn
  const [companyName, domain] = drawn.company
  const subsequence = frame.subsequences[drawn.campaignIndex] ?? frame.subsequences[0]
  return new Lead({
    id: drawn.id,
    timestamp_created: at(created),
    timestamp_updated: at(inSubsequence ? addedAt : lastStepAt),
    organization: frame.organization,
    campaign: subsequence.campaign,
    status: drawn.status,
    email: `${first.toLowerCase()}.${last.toLowerCase()}@${domain}`,
    first_name: first,
    last_name: last,
    company_name: companyName,
    company_domain: domain,
    website: `https://${domain}`,
    job_title: drawn.jobTitle,
    email_open_count: drawn.opens,
    email_reply_count: inSubsequence ? 1 : 0,
    email_click_count: drawn.clicks,
    status_summary: {
      lastStep: { from: "campaign", stepID: drawn.stepId, timestamp_executed: at(lastStepAt) },
      domain_complete: false
    },
    payload: { industry: drawn.industry },
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
  }, true)
}

const subsequenceNames = ["Interested: book the call", "Interested: send the case study"] as const

/** The subsequence of campaign `k` of the frame, as `getCampaignSubsequence` would answer it. */
const buildSubsequence = (frame: Frame, k: 0 | 1, since: number): Subsequence =>
  new Subsequence({
    id: frame.subsequences[k].id,
    timestamp_created: at(since - 10 * 86_400_000),
    parent_campaign: frame.subsequences[k].campaign,
    workspace: frame.organization,
    status: SubsequenceStatus.Active,
    timestamp_leads_updated: at(since - 10 * 86_400_000),
    name: subsequenceNames[k],
    conditions: { crm_status: [InterestStatus.Interested] },
    subsequence_schedule: {
      schedules: [{
        name: "Weekdays",
        timing: { from: "09:00", to: "17:00" },
        days: { "1": true, "2": true, "3": true, "4": true, "5": true },
        timezone: "Etc/GMT+12"
      }]
    },
    sequences: [{
      steps: [{
        type: StepType.Email,
        delay: 2,
        delay_unit: DelayUnit.Days,
        variants: [{ subject: "Thanks for your reply, {{firstName}}", body: "Hi {{firstName}},<br/>..." }]
      }]
    }]
  })

/**
 * A generated workspace held as its seed: any lead can be made from its index (or its id) when it is
 * needed, so holding a million costs a draw offset (4 bytes) per lead once they have been reached.
 *
 * @since 0.2.0
 * @category Models
 */
export interface Generated {
  /** How many leads. */
  readonly count: number
  /** The two subsequences, one per campaign, that the leads are in (when they are in one). */
  readonly subsequences: ReadonlyArray<Subsequence>
  /** The id of lead number `i` (from 0); ids grow with `i`, so index order is id order. */
  readonly idAt: (i: number) => string
  /** Lead number `i` (from 0), as `generateLeads` makes it. */
  readonly leadAt: (i: number) => Lead
  /** The index of the lead with this id, if it is one of the generated leads. */
  readonly indexOf: (id: string) => number | undefined
  /** The index of the first lead whose id comes after `id` (`count` when there is none). */
  readonly indexAfter: (id: string) => number
}

/** The creation time (milliseconds) in the time prefix of a UUIDv7, or NaN. */
const timeOf = (id: string): number =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id) ? parseInt(id.slice(0, 8) + id.slice(9, 13), 16) : NaN

/**
 * A workspace of `count` leads (and their two subsequences) from `seed`, made one lead at a time on
 * demand; `leadAt(i)` is the `i`-th lead of `generateLeads` with the same options.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const generate = (options: GenerateOptions): Generated => {
  const seed = options.seed ?? 1
  const since = options.since ?? defaultSince
  const count = Math.max(0, Math.floor(options.count))
  const frame = drawFrame(seed, since)
  // offsets[i]: the draw number at which lead i's draws start, known for i <= known.
  const offsets = new Uint32Array(count + 1)
  offsets[0] = frame.start
  let known = 0
  const drawn = (i: number): Drawn => {
    for (; known < i; known++) offsets[known + 1] = offsets[known]! + drawsOfLead(seed, offsets[known]!, known)
    return drawLead(Random.draws(seed, offsets[i]!), i, since)
  }
  const idAt = (i: number) => drawn(i).id
  const firstAfter = (id: string): number => {
    const time = timeOf(id)
    if (Number.isNaN(time)) return id < (count > 0 ? idAt(0) : "") ? 0 : count
    let i = Math.min(count, Math.max(0, Math.floor((time - since) / 3_600_000)))
    while (i > 0 && idAt(i - 1) > id) i--
    while (i < count && idAt(i) <= id) i++
    return i
  }
  return {
    count,
    subsequences: [buildSubsequence(frame, 0, since), buildSubsequence(frame, 1, since)],
    idAt,
    leadAt: (i) => buildLead(frame, drawn(i)),
    indexOf: (id) => {
      const i = firstAfter(id) - 1
      return i >= 0 && idAt(i) === id ? i : undefined
    },
    indexAfter: firstAfter
  }
}

/**
 * Generates `count` leads of one organization and its two campaigns from `seed`. About two thirds of
 * them (always the first) are in a subsequence, with the timestamps and summary that go with it.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const generateLeads = (options: GenerateOptions): ReadonlyArray<Lead> => {
  const since = options.since ?? defaultSince
  const seed = options.seed ?? 1
  const frame = drawFrame(seed, since)
  const draws = Random.draws(seed, frame.start)
  const leads: Array<Lead> = []
  for (let i = 0; i < Math.max(0, Math.floor(options.count)); i++) {
    leads.push(buildLead(frame, drawLead(draws, i, since)))
  }
  return leads
}

/**
 * The two subsequences (one per campaign) of the workspace `generateLeads` makes with the same `seed`
 * and `since`: the leads in a subsequence are in one of them.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const generateSubsequences = (options: Omit<GenerateOptions, "count">): ReadonlyArray<Subsequence> =>
  generate({ ...options, count: 0 }).subsequences
