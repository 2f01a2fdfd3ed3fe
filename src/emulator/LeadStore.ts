/**
 * Where an emulated workspace keeps its leads: leads given one by one, plus (optionally) a generated
 * workspace held as its seed, whose leads are made when read and whose changes (remove, move) are kept
 * in typed arrays, so a million leads fit in about 25 MB.
 *
 * @since 0.2.0
 */
import * as DateTime from "effect/DateTime"
import { Lead, LeadStatus } from "../Lead.js"
import type { Generated } from "./Generate.js"

/**
 * The leads of a workspace, by id, in seed order and in id order. Not thread-safe by itself: the
 * workspace changes it only in synchronous steps.
 *
 * @since 0.2.0
 * @category Models
 */
export interface LeadStore {
  /** How many leads. */
  readonly size: () => number
  /** The lead with this id, as it is now. */
  readonly get: (id: string) => Lead | undefined
  /** Adds a lead, or replaces the one with the same id. */
  readonly put: (lead: Lead) => void
  /**
   * Takes a lead out of its subsequence at `now` (epoch milliseconds): the lead as it now is, unchanged
   * if it was in none; `undefined` when there is no such lead.
   */
  readonly removeFromSubsequence: (id: string, now: number) => Lead | undefined
  /** Puts a lead in a subsequence at `now`, status Active; `undefined` when there is no such lead. */
  readonly moveToSubsequence: (id: string, subsequenceId: string, now: number) => Lead | undefined
  /** Every lead: generated ones first, by index, then the others in the order they were first added. */
  readonly values: () => IterableIterator<Lead>
  /** The leads whose id comes after `after` (all when `undefined`), in ascending id order. */
  readonly ascending: (after: string | undefined) => IterableIterator<Lead>
}

/**
 * A lead taken out of its subsequence at `now`; our assumption: a lead in none comes back unchanged
 * (Instantly does not document this case). Its `status` stays as it is, as Instantly was seen to do.
 *
 * @since 0.2.0
 * @category Utils
 */
export const removedFromSubsequence = (lead: Lead, now: number): Lead =>
  lead.subsequence_id === null ? lead : new Lead({
    ...lead,
    subsequence_id: null,
    status_summary_subseq: null,
    timestamp_added_subsequence: null,
    timestamp_updated: DateTime.unsafeMake(now)
  }, true)

/**
 * A lead moved to a subsequence at `now`: status Active (as Instantly was seen to do, even for a Completed
 * lead), and an empty `status_summary_subseq` (no step of it has run yet).
 *
 * @since 0.2.0
 * @category Utils
 */
export const movedToSubsequence = (lead: Lead, subsequenceId: string, now: number): Lead =>
  new Lead({
    ...lead,
    status: LeadStatus.Active,
    subsequence_id: subsequenceId,
    status_summary_subseq: {},
    timestamp_added_subsequence: DateTime.unsafeMake(now),
    timestamp_updated: DateTime.unsafeMake(now)
  }, true)

/** Index of the first element of a sorted array greater than `key`. */
const upperBound = (sorted: ReadonlyArray<string>, key: string): number => {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (sorted[mid]! <= key) low = mid + 1
    else high = mid
  }
  return low
}

/**
 * The changes made to generated leads, one slot per lead, allocated at the first change: whether the
 * lead was changed, whether it was made Active, its subsequence (an index into `subsequenceIds`, -1 for
 * none), and two timestamps. 21 bytes a lead.
 */
interface Changes {
  readonly changed: Uint8Array
  readonly subsequence: Int32Array
  readonly added: Float64Array
  readonly updated: Float64Array
}

const Unchanged = 0
const Changed = 1
const ChangedActive = 2

/**
 * An empty store, but for the leads of `generated` (when given).
 *
 * @since 0.2.0
 * @category Constructors
 */
export const make = (generated: Generated | undefined): LeadStore => {
  const count = generated?.count ?? 0
  /** Leads given one by one (and generated ones replaced by `put`), in the order first added. */
  const given = new Map<string, Lead>()
  /** The ids of `given` that are not generated ones, ascending. */
  const givenIds: Array<string> = []
  /** How many generated leads `put` replaced (they are then read from `given`). */
  let replaced = 0
  let changes: Changes | undefined
  const subsequenceIds: Array<string> = []
  const subsequenceIndex = new Map<string, number>()

  const changesFor = (): Changes =>
    changes ??= {
      changed: new Uint8Array(count),
      subsequence: new Int32Array(count),
      added: new Float64Array(count),
      updated: new Float64Array(count)
    }

  const internSubsequence = (id: string): number => {
    let index = subsequenceIndex.get(id)
    if (index === undefined) {
      index = subsequenceIds.length
      subsequenceIds.push(id)
      subsequenceIndex.set(id, index)
    }
    return index
  }

  /** Generated lead `i` with its changes. */
  const generatedAt = (i: number): Lead => {
    const base = generated!.leadAt(i)
    const changed = changes?.changed[i] ?? Unchanged
    if (changed === Unchanged) return base
    const c = changes!
    const subsequence = c.subsequence[i]!
    return new Lead({
      ...base,
      status: changed === ChangedActive ? LeadStatus.Active : base.status,
      subsequence_id: subsequence < 0 ? null : subsequenceIds[subsequence]!,
      status_summary_subseq: subsequence < 0 ? null : {},
      timestamp_added_subsequence: subsequence < 0 ? null : DateTime.unsafeMake(c.added[i]!),
      timestamp_updated: DateTime.unsafeMake(c.updated[i]!)
    }, true)
  }

  /** Records a change of generated lead `i` (already read as `before`) to `after`. */
  const recordChange = (i: number, before: Lead, after: Lead): void => {
    const c = changesFor()
    const active = after.status === LeadStatus.Active && before.status !== LeadStatus.Active
    c.changed[i] = active || c.changed[i] === ChangedActive ? ChangedActive : Changed
    c.subsequence[i] = after.subsequence_id === null ? -1 : internSubsequence(after.subsequence_id)
    c.added[i] = after.timestamp_added_subsequence === null
      ? 0
      : DateTime.toEpochMillis(after.timestamp_added_subsequence)
    c.updated[i] = DateTime.toEpochMillis(after.timestamp_updated)
  }

  /** The generated index of `id` when it is a generated lead not replaced by `put`. */
  const generatedIndex = (id: string): number | undefined =>
    generated === undefined || given.has(id) ? undefined : generated.indexOf(id)

  /** Generated lead `i` as it is now, unless `put` replaced it. */
  const generatedNow = (i: number): Lead => (replaced > 0 ? given.get(generated!.idAt(i)) : undefined) ?? generatedAt(i)

  const get = (id: string): Lead | undefined => {
    const lead = given.get(id)
    if (lead !== undefined) return lead
    const i = generatedIndex(id)
    return i === undefined ? undefined : generatedAt(i)
  }

  const put = (lead: Lead): void => {
    if (!given.has(lead.id)) {
      if (generated?.indexOf(lead.id) === undefined) givenIds.splice(upperBound(givenIds, lead.id), 0, lead.id)
      else replaced++
    }
    given.set(lead.id, lead)
  }

  const change = (id: string, f: (lead: Lead) => Lead): Lead | undefined => {
    const lead = given.get(id)
    if (lead !== undefined) {
      const after = f(lead)
      given.set(id, after)
      return after
    }
    const i = generatedIndex(id)
    if (i === undefined) return undefined
    const before = generatedAt(i)
    const after = f(before)
    if (after !== before) recordChange(i, before, after)
    return after
  }

  function* values(): IterableIterator<Lead> {
    for (let i = 0; i < count; i++) yield generatedNow(i)
    for (const [id, lead] of given) if (replaced === 0 || generated?.indexOf(id) === undefined) yield lead
  }

  function* ascending(after: string | undefined): IterableIterator<Lead> {
    let i = generated === undefined || after === undefined ? 0 : generated.indexAfter(after)
    let j = after === undefined ? 0 : upperBound(givenIds, after)
    while (i < count || j < givenIds.length) {
      const generatedId = i < count ? generated!.idAt(i) : undefined
      const givenId = givenIds[j]
      if (givenId === undefined || (generatedId !== undefined && generatedId < givenId)) {
        yield generatedNow(i)
        i++
      } else {
        yield given.get(givenId)!
        j++
      }
    }
  }

  return {
    size: () => count + givenIds.length,
    get,
    put,
    removeFromSubsequence: (id, now) => change(id, (lead) => removedFromSubsequence(lead, now)),
    moveToSubsequence: (id, subsequenceId, now) => change(id, (lead) => movedToSubsequence(lead, subsequenceId, now)),
    values,
    ascending
  } satisfies LeadStore
}
