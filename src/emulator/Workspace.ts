/**
 * The state of an emulated Instantly workspace (leads, subsequences, API keys, plan, counters) and the
 * operations on it, independent of HTTP.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type { Lead } from "../Lead.js"
import { Subsequence, SubsequenceStatus } from "../Subsequence.js"
import type { ListBody } from "./Bodies.js"
import type { Generated } from "./Generate.js"
import * as LeadStore from "./LeadStore.js"
import * as ListLeads from "./ListLeads.js"

/**
 * An API key of the workspace and its scopes, e.g. `["leads:update"]` or `["all:all"]`.
 *
 * @since 0.1.0
 * @category Models
 */
export interface ApiKey {
  readonly key: string
  readonly scopes: ReadonlyArray<string>
}

/**
 * The operations the emulator serves, named as in `Leads`.
 *
 * @since 0.1.0
 * @category Models
 */
export type Operation = "removeFromSubsequence" | "moveToSubsequence" | "get" | "list" | "getSubsequence"

/**
 * What the emulator has seen and done, for tests to assert on.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Counters {
  /** Every request received, whatever became of it. */
  readonly requests: number
  /** Answers sent, by status (a dropped connection sends none; a never-ending answer counts as its 200). */
  readonly responses: Readonly<Record<number, number>>
  /** Requests answered 429 by the rate limiter. */
  readonly rateLimited: number
  /** Operations carried out on the workspace (answered 200, even if a fault then mangled the body). */
  readonly operations: Readonly<Record<Operation, number>>
  /** Faults injected, by kind. */
  readonly faults: {
    /** Requests held back by added latency. */
    readonly delayed: number
    /** Requests answered 500, 502 or 503 (see `responses` for which). */
    readonly serverError: number
    /** Connections closed without an answer. */
    readonly dropped: number
    /** 200 answers whose JSON was cut in the middle. */
    readonly truncated: number
    /** 200 answers whose body was replaced by one that is not JSON. */
    readonly nonJson: number
    /** 200 answers whose body never ends. */
    readonly neverEnded: number
  }
}

/**
 * Counters before any request.
 *
 * @since 0.1.0
 * @category Constants
 */
export const emptyCounters: Counters = {
  requests: 0,
  responses: {},
  rateLimited: 0,
  operations: { removeFromSubsequence: 0, moveToSubsequence: 0, get: 0, list: 0, getSubsequence: 0 },
  faults: { delayed: 0, serverError: 0, dropped: 0, truncated: 0, nonJson: 0, neverEnded: 0 }
}

/**
 * A fault counter's name.
 *
 * @since 0.1.0
 * @category Models
 */
export type FaultKind = keyof Counters["faults"]

/**
 * What a move came to: the lead moved, or which of the two ids is unknown.
 *
 * @since 0.2.0
 * @category Models
 */
export type MoveResult =
  | { readonly _tag: "Moved"; readonly lead: Lead }
  | { readonly _tag: "NoSuchLead" }
  | { readonly _tag: "NoSuchSubsequence" }

/**
 * The workspace: its state and what can be done with it.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Workspace {
  readonly leads: Effect.Effect<ReadonlyArray<Lead>>
  readonly lead: (id: string) => Effect.Effect<Option.Option<Lead>>
  readonly putLeads: (leads: Iterable<Lead>) => Effect.Effect<void>
  readonly subsequences: Effect.Effect<ReadonlyArray<Subsequence>>
  readonly subsequence: (id: string) => Effect.Effect<Option.Option<Subsequence>>
  readonly putSubsequences: (subsequences: Iterable<Subsequence>) => Effect.Effect<void>
  readonly scopesOf: (key: string) => Effect.Effect<Option.Option<ReadonlyArray<string>>>
  readonly putApiKey: (apiKey: ApiKey) => Effect.Effect<void>
  readonly revokeApiKey: (key: string) => Effect.Effect<void>
  readonly paidPlan: Effect.Effect<boolean>
  readonly setPaidPlan: (active: boolean) => Effect.Effect<void>
  readonly removeFromSubsequence: (id: string) => Effect.Effect<Option.Option<Lead>>
  readonly moveToSubsequence: (id: string, subsequenceId: string) => Effect.Effect<MoveResult>
  /** One page of the leads `selects` keeps, as `POST /api/v2/leads/list` answers it. */
  readonly list: (
    body: ListBody,
    selects: (lead: Lead) => boolean
  ) => Effect.Effect<{ readonly items: ReadonlyArray<Lead>; readonly next: string | null }>
  readonly counters: Effect.Effect<Counters>
  readonly resetCounters: Effect.Effect<void>
  /** Counts a request and returns its arrival number (0 for the first). */
  readonly countRequest: Effect.Effect<number>
  readonly countResponse: (status: number) => Effect.Effect<void>
  readonly countRateLimited: Effect.Effect<void>
  readonly countOperation: (operation: Operation) => Effect.Effect<void>
  readonly countFault: (kind: FaultKind) => Effect.Effect<void>
}

/**
 * The subsequence a lead is in when the workspace was not told about it: active, named `Subsequence`,
 * in the lead's campaign, created when the lead was added to it.
 */
const impliedBy = (lead: Lead & { readonly subsequence_id: string; readonly campaign: string }): Subsequence =>
  new Subsequence({
    id: lead.subsequence_id,
    timestamp_created: lead.timestamp_added_subsequence ?? lead.timestamp_created,
    parent_campaign: lead.campaign,
    workspace: lead.organization,
    status: SubsequenceStatus.Active,
    timestamp_leads_updated: lead.timestamp_added_subsequence ?? lead.timestamp_created,
    name: "Subsequence",
    conditions: {}
  })

/**
 * Builds a workspace with the given leads (plus, when given, a generated workspace held as its seed),
 * subsequences, keys and plan. A subsequence a given lead is in, but `subsequences` does not list, is
 * implied (see `impliedBy`), so every lead's subsequence exists.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: {
  readonly leads: Iterable<Lead>
  readonly generated?: Generated | undefined
  readonly subsequences?: Iterable<Subsequence> | undefined
  readonly apiKeys: Iterable<ApiKey>
  readonly paidPlan: boolean
}): Effect.Effect<Workspace> =>
  Effect.gen(function*() {
    const store = LeadStore.make(options.generated)
    const subsequences = new Map<string, Subsequence>()
    const putSubsequences = (given: Iterable<Subsequence>) => {
      for (const subsequence of given) subsequences.set(subsequence.id, subsequence)
    }
    const putLeads = (leads: Iterable<Lead>) => {
      for (const lead of leads) {
        store.put(lead)
        if (lead.subsequence_id !== null && lead.campaign !== null && !subsequences.has(lead.subsequence_id)) {
          subsequences.set(
            lead.subsequence_id,
            impliedBy({ ...lead, subsequence_id: lead.subsequence_id, campaign: lead.campaign })
          )
        }
      }
    }
    putSubsequences(options.generated?.subsequences ?? [])
    putSubsequences(options.subsequences ?? [])
    putLeads(options.leads)
    const keysRef = yield* Ref.make(HashMap.fromIterable(Array.from(options.apiKeys, (k) => [k.key, k.scopes])))
    const paidPlanRef = yield* Ref.make(options.paidPlan)
    const countersRef = yield* Ref.make(emptyCounters)

    const count = (f: (counters: Counters) => Counters) => Ref.update(countersRef, f)

    return {
      leads: Effect.sync(() => Array.from(store.values())),
      lead: (id) => Effect.sync(() => Option.fromNullable(store.get(id))),
      putLeads: (leads) => Effect.sync(() => putLeads(leads)),
      subsequences: Effect.sync(() => Array.from(subsequences.values())),
      subsequence: (id) => Effect.sync(() => Option.fromNullable(subsequences.get(id))),
      putSubsequences: (given) => Effect.sync(() => putSubsequences(given)),
      scopesOf: (key) => Effect.map(Ref.get(keysRef), HashMap.get(key)),
      putApiKey: (apiKey) => Ref.update(keysRef, HashMap.set(apiKey.key, apiKey.scopes)),
      revokeApiKey: (key) => Ref.update(keysRef, HashMap.remove(key)),
      paidPlan: Ref.get(paidPlanRef),
      setPaidPlan: (active) => Ref.set(paidPlanRef, active),
      removeFromSubsequence: (id) =>
        Effect.map(Clock.currentTimeMillis, (now) => Option.fromNullable(store.removeFromSubsequence(id, now))),
      // Our assumption: an unknown lead is answered before an unknown subsequence.
      moveToSubsequence: (id, subsequenceId) =>
        Effect.map(Clock.currentTimeMillis, (now): MoveResult => {
          if (store.get(id) === undefined) return { _tag: "NoSuchLead" }
          if (!subsequences.has(subsequenceId)) return { _tag: "NoSuchSubsequence" }
          return { _tag: "Moved", lead: store.moveToSubsequence(id, subsequenceId, now)! }
        }),
      list: (body, selects) => Effect.sync(() => ListLeads.page(store, body, selects)),
      counters: Ref.get(countersRef),
      resetCounters: Ref.set(countersRef, emptyCounters),
      countRequest: Ref.modify(countersRef, (c) => [c.requests, { ...c, requests: c.requests + 1 }]),
      countResponse: (status) =>
        count((c) => ({ ...c, responses: { ...c.responses, [status]: (c.responses[status] ?? 0) + 1 } })),
      countRateLimited: count((c) => ({ ...c, rateLimited: c.rateLimited + 1 })),
      countOperation: (operation) =>
        count((c) => ({ ...c, operations: { ...c.operations, [operation]: c.operations[operation] + 1 } })),
      countFault: (kind) => count((c) => ({ ...c, faults: { ...c.faults, [kind]: c.faults[kind] + 1 } }))
    } satisfies Workspace
  })
