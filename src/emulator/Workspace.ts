/**
 * The state of an emulated Instantly workspace (leads, API keys, plan, counters) and the lead
 * operations on it, independent of HTTP.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import { Lead } from "../Lead.js"

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
export type Operation = "removeFromSubsequence" | "moveToSubsequence" | "get"

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
  operations: { removeFromSubsequence: 0, moveToSubsequence: 0, get: 0 },
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
 * The workspace: its state behind `Ref`s and what can be done with it.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Workspace {
  readonly leads: Effect.Effect<ReadonlyArray<Lead>>
  readonly lead: (id: string) => Effect.Effect<Option.Option<Lead>>
  readonly putLeads: (leads: Iterable<Lead>) => Effect.Effect<void>
  readonly scopesOf: (key: string) => Effect.Effect<Option.Option<ReadonlyArray<string>>>
  readonly putApiKey: (apiKey: ApiKey) => Effect.Effect<void>
  readonly revokeApiKey: (key: string) => Effect.Effect<void>
  readonly paidPlan: Effect.Effect<boolean>
  readonly setPaidPlan: (active: boolean) => Effect.Effect<void>
  readonly removeFromSubsequence: (id: string) => Effect.Effect<Option.Option<Lead>>
  readonly moveToSubsequence: (id: string, subsequenceId: string) => Effect.Effect<Option.Option<Lead>>
  readonly counters: Effect.Effect<Counters>
  readonly resetCounters: Effect.Effect<void>
  /** Counts a request and returns its arrival number (0 for the first). */
  readonly countRequest: Effect.Effect<number>
  readonly countResponse: (status: number) => Effect.Effect<void>
  readonly countRateLimited: Effect.Effect<void>
  readonly countOperation: (operation: Operation) => Effect.Effect<void>
  readonly countFault: (kind: FaultKind) => Effect.Effect<void>
}

interface Leads {
  readonly byId: HashMap.HashMap<string, Lead>
  /** Ids in the order they were first added, so snapshots read like the seed. */
  readonly order: ReadonlyArray<string>
}

const addLeads = (state: Leads, leads: Iterable<Lead>): Leads => {
  let byId = state.byId
  const order = [...state.order]
  for (const lead of leads) {
    if (!HashMap.has(byId, lead.id)) order.push(lead.id)
    byId = HashMap.set(byId, lead.id, lead)
  }
  return { byId, order }
}

/**
 * Builds a workspace with the given leads, keys and plan.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: {
  readonly leads: Iterable<Lead>
  readonly apiKeys: Iterable<ApiKey>
  readonly paidPlan: boolean
}): Effect.Effect<Workspace> =>
  Effect.gen(function*() {
    const leadsRef = yield* Ref.make(addLeads({ byId: HashMap.empty(), order: [] }, options.leads))
    const keysRef = yield* Ref.make(HashMap.fromIterable(Array.from(options.apiKeys, (k) => [k.key, k.scopes])))
    const paidPlanRef = yield* Ref.make(options.paidPlan)
    const countersRef = yield* Ref.make(emptyCounters)

    /** Replaces a lead by `change(lead, now)` atomically; `None` when there is no such lead. */
    const update = (id: string, change: (lead: Lead, now: DateTime.Utc) => Lead) =>
      Effect.flatMap(Clock.currentTimeMillis, (millis) =>
        Ref.modify(leadsRef, (state): [Option.Option<Lead>, Leads] =>
          Option.match(HashMap.get(state.byId, id), {
            onNone: () => [Option.none(), state],
            onSome: (lead) => {
              const changed = change(lead, DateTime.unsafeMake(millis))
              return [Option.some(changed), { ...state, byId: HashMap.set(state.byId, id, changed) }]
            }
          })))

    const count = (f: (counters: Counters) => Counters) =>
      Ref.update(countersRef, f)

    return {
      leads: Effect.map(Ref.get(leadsRef), (state) =>
        state.order.map((id) => HashMap.unsafeGet(state.byId, id))),
      lead: (id) => Effect.map(Ref.get(leadsRef), (state) => HashMap.get(state.byId, id)),
      putLeads: (leads) => Ref.update(leadsRef, (state) => addLeads(state, leads)),
      scopesOf: (key) => Effect.map(Ref.get(keysRef), HashMap.get(key)),
      putApiKey: (apiKey) => Ref.update(keysRef, HashMap.set(apiKey.key, apiKey.scopes)),
      revokeApiKey: (key) => Ref.update(keysRef, HashMap.remove(key)),
      paidPlan: Ref.get(paidPlanRef),
      setPaidPlan: (active) => Ref.set(paidPlanRef, active),
      // Our assumption: a lead in no subsequence comes back unchanged (Instantly does not document this case).
      removeFromSubsequence: (id) =>
        update(id, (lead, now) =>
          lead.subsequence_id === null ? lead : new Lead({
            ...lead,
            subsequence_id: null,
            status_summary_subseq: null,
            timestamp_added_subsequence: null,
            timestamp_updated: now
          })),
      // No subsequence step has run yet in the new subsequence, so its summary starts empty.
      moveToSubsequence: (id, subsequenceId) =>
        update(id, (lead, now) =>
          new Lead({
            ...lead,
            subsequence_id: subsequenceId,
            status_summary_subseq: {},
            timestamp_added_subsequence: now,
            timestamp_updated: now
          })),
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
