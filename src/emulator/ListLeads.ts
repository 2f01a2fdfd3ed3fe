/**
 * `POST /api/v2/leads/list` over an emulated workspace: which leads a body selects, and one page of them
 * in ascending id order after `starting_after`.
 *
 * @since 0.2.0
 */
import * as Either from "effect/Either"
import type { Lead } from "../Lead.js"
import { InterestStatus, LeadFilter, LeadStatus, VerificationStatus } from "../Lead.js"
import type { ListBody } from "./Bodies.js"
import type { LeadStore } from "./LeadStore.js"

type Predicate = (lead: Lead) => boolean

const is = <K extends keyof Lead>(key: K, value: Lead[K]): Predicate => (lead) => lead[key] === value

/** The `filter` values the emulator implements, and what each keeps. */
const filters: Readonly<Record<string, Predicate>> = {
  [LeadFilter.InSubsequence]: (lead) => lead.subsequence_id !== null,
  [LeadFilter.Active]: is("status", LeadStatus.Active),
  [LeadFilter.Completed]: is("status", LeadStatus.Completed),
  [LeadFilter.Unsubscribed]: is("status", LeadStatus.Unsubscribed),
  [LeadFilter.Bounced]: is("status", LeadStatus.Bounced),
  [LeadFilter.Skipped]: is("status", LeadStatus.Skipped),
  [LeadFilter.Interested]: is("lt_interest_status", InterestStatus.Interested),
  [LeadFilter.NotInterested]: is("lt_interest_status", InterestStatus.NotInterested),
  [LeadFilter.MeetingBooked]: is("lt_interest_status", InterestStatus.MeetingBooked),
  [LeadFilter.MeetingCompleted]: is("lt_interest_status", InterestStatus.MeetingCompleted),
  [LeadFilter.Closed]: is("lt_interest_status", InterestStatus.Won),
  [LeadFilter.OutOfOffice]: is("lt_interest_status", InterestStatus.OutOfOffice),
  [LeadFilter.WrongPerson]: is("lt_interest_status", InterestStatus.WrongPerson),
  [LeadFilter.Lost]: is("lt_interest_status", InterestStatus.Lost),
  [LeadFilter.NoShow]: is("lt_interest_status", InterestStatus.NoShow),
  [LeadFilter.Valid]: is("verification_status", VerificationStatus.Verified),
  [LeadFilter.Invalid]: is("verification_status", VerificationStatus.Invalid),
  [LeadFilter.Risky]: is("verification_status", VerificationStatus.Risky),
  [LeadFilter.Contacted]: (lead) => lead.timestamp_last_contact !== null,
  [LeadFilter.NotContacted]: (lead) => lead.timestamp_last_contact === null,
  [LeadFilter.Replied]: (lead) => lead.email_reply_count > 0,
  [LeadFilter.NoOpens]: (lead) => lead.email_open_count === 0,
  [LeadFilter.LinkClicked]: (lead) => lead.email_click_count > 0,
  [LeadFilter.OpenedNoReply]: (lead) => lead.email_open_count > 0 && lead.email_reply_count === 0,
  [LeadFilter.CompletedNoReply]: (lead) => lead.status === LeadStatus.Completed && lead.email_reply_count === 0
}

/**
 * The `filter` values the emulator implements (all documented ones but the custom-label filters).
 *
 * @since 0.2.0
 * @category Constants
 */
export const supportedFilters: ReadonlyArray<string> = Object.keys(filters)

/** The body's properties the emulator does not implement (set to a value that would select something). */
const unsupported = (body: ListBody): ReadonlyArray<string> =>
  [
    body.queries !== undefined && body.queries.length > 0 ? "queries" : undefined,
    body.smart_view_id !== undefined ? "smart_view_id" : undefined,
    body.organization_user_ids !== undefined ? "organization_user_ids" : undefined,
    body.distinct_contacts === true ? "distinct_contacts" : undefined,
    body.esg_code !== undefined ? "esg_code" : undefined
  ].filter((name) => name !== undefined)

const lower = (value: string | null) => value?.toLowerCase() ?? ""

/**
 * What a valid body selects, as one predicate (every filter given must hold), or why the emulator
 * cannot tell (a filter it does not implement).
 *
 * @since 0.2.0
 * @category Utils
 */
export const matcher = (body: ListBody): Either.Either<Predicate, string> => {
  const missing = unsupported(body)
  if (missing.length > 0) return Either.left(`The emulator does not implement body/${missing[0]}`)
  const checks: Array<Predicate> = []
  if (body.filter !== undefined) {
    const filter = filters[body.filter]
    if (filter === undefined) return Either.left(`The emulator does not implement filter ${body.filter}`)
    checks.push(filter)
  }
  if (body.search !== undefined) {
    const search = body.search.toLowerCase()
    checks.push((lead) =>
      [lead.first_name, lead.last_name, lead.email, `${lead.first_name ?? ""} ${lead.last_name ?? ""}`].some((field) =>
        lower(field).includes(search)
      )
    )
  }
  if (body.campaign !== undefined) checks.push(is("campaign", body.campaign))
  if (body.list_id !== undefined) checks.push(is("list_id", body.list_id))
  if (body.in_campaign !== undefined) checks.push((lead) => (lead.campaign !== null) === body.in_campaign)
  if (body.in_list !== undefined) checks.push((lead) => (lead.list_id !== null) === body.in_list)
  if (body.excluded_ids !== undefined) {
    const excluded = new Set(body.excluded_ids)
    checks.push((lead) => !excluded.has(lead.id))
  }
  if (body.contacts !== undefined) {
    const contacts = new Set(body.contacts.map((email) => email.toLowerCase()))
    checks.push((lead) => lead.email !== null && contacts.has(lead.email.toLowerCase()))
  }
  if (body.is_website_visitor !== undefined) {
    checks.push((lead) => (lead.is_website_visitor ?? false) === body.is_website_visitor)
  }
  if (body.enrichment_status !== undefined) {
    checks.push((lead) => lead.enrichment_status === body.enrichment_status)
  }
  return Either.right((lead) => checks.every((check) => check(lead)))
}

/**
 * How many leads a page holds when the body sets no `limit` (our assumption: the spec gives no default).
 *
 * @since 0.2.0
 * @category Constants
 */
export const defaultLimit = 100

/**
 * One page: up to `limit` selected leads after `starting_after`, in ascending id order, and the id of
 * its last lead as `next` when more selected leads follow (none on the last page).
 *
 * @since 0.2.0
 * @category Utils
 */
export const page = (
  store: LeadStore,
  body: ListBody,
  selects: Predicate
): { readonly items: ReadonlyArray<Lead>; readonly next: string | null } => {
  const limit = body.limit ?? defaultLimit
  const after = body.starting_after
  const candidates = body.ids === undefined
    ? store.ascending(after)
    : [...new Set(body.ids)].filter((id) => after === undefined || id > after).sort()
      .flatMap((id) => store.get(id) ?? [])
  const items: Array<Lead> = []
  for (const lead of candidates) {
    if (!selects(lead)) continue
    if (items.length === limit) return { items, next: items[limit - 1]!.id }
    items.push(lead)
  }
  return { items, next: null }
}
