/**
 * What a removal run reports: one outcome per input row (or per lead an email address matched), as a
 * line of NDJSON or of text, and the counts of the run with its summary.
 *
 * @since 0.2.0
 */
import type { InstantlyError } from "../index.js"
import { describeError } from "./Failure.js"

/**
 * What became of one id:
 *
 * - `Removed`: Instantly answered the lead, now in no subsequence.
 * - `WouldRemove` (`--dry-run`): the lead is in a subsequence, `subsequence_id`.
 * - `AlreadyOut`: the lead is in no subsequence (seen when listed or read), so nothing was sent.
 * - `NotFound`: no such lead (404), or no lead has this email address.
 * - `InvalidId` / `InvalidEmail`: not a UUID / not an email address; nothing was sent.
 * - `Duplicate`: the same id came earlier, at index `first`; not sent again.
 * - `Failed`: the request failed with `error`, after the client's retries.
 *
 * @since 0.2.0
 * @category Models
 */
export type OutcomeKind = typeof outcomeKinds[number]

/**
 * Every `OutcomeKind`, as the `outcome` field of an NDJSON line spells it.
 *
 * @since 0.2.0
 * @category Constants
 */
export const outcomeKinds = [
  "Removed",
  "WouldRemove",
  "AlreadyOut",
  "NotFound",
  "InvalidId",
  "InvalidEmail",
  "Duplicate",
  "Failed"
] as const

/**
 * One outcome, with the `index` of its input row and what identifies it: the lead `id`, and the
 * `email` the row gave when the lead was looked up by email (an email that matched no lead has no id).
 *
 * @since 0.2.0
 * @category Models
 */
export interface Outcome {
  readonly outcome: OutcomeKind
  readonly index: number
  readonly id?: string | undefined
  readonly email?: string | undefined
  /** `Duplicate`: the index of the id's first row. */
  readonly first?: number | undefined
  /** `WouldRemove`: the subsequence the lead is in. */
  readonly subsequenceId?: string | undefined
  /** `InvalidId`, `InvalidEmail`: why. */
  readonly message?: string | undefined
  /** `Failed`: the error of the last attempt. */
  readonly error?: InstantlyError | undefined
}

/**
 * An outcome as one line of JSON: `{"id","index","outcome"}`, then `email`, `first`, `subsequence_id`
 * when set, and `error: {"_tag","status"?,"message"}` for `Failed`, `InvalidId` and `InvalidEmail`
 * (the latter two as `InstantlyInvalidInputError`). Nothing of the lead but its id.
 *
 * @since 0.2.0
 * @category Formatting
 */
export const toJsonLine = (o: Outcome): string => {
  const error = o.error !== undefined
    ? { _tag: o.error._tag, ...("status" in o.error ? { status: o.error.status } : {}), message: o.error.message }
    : o.message !== undefined
    ? { _tag: "InstantlyInvalidInputError", message: o.message }
    : undefined
  return JSON.stringify({
    id: o.id,
    index: o.index,
    outcome: o.outcome,
    email: o.email,
    first: o.first,
    subsequence_id: o.subsequenceId,
    error
  }) + "\n"
}

const labels: { readonly [K in OutcomeKind]: string } = {
  Removed: "removed",
  WouldRemove: "would remove",
  AlreadyOut: "already out",
  NotFound: "not found",
  InvalidId: "invalid",
  InvalidEmail: "invalid",
  Duplicate: "repeated",
  Failed: "failed"
}

const labelWidth = 14

/**
 * An outcome as one line of text: what became of it, the id (or email), and why.
 *
 * @since 0.2.0
 * @category Formatting
 */
export const toTextLine = (o: Outcome): string => {
  const who = o.id ?? o.email ?? ""
  const details = [
    o.id !== undefined && o.email !== undefined ? `(${o.email})` : undefined,
    o.outcome === "NotFound" && o.id === undefined ? "no lead has this email address" : undefined,
    o.subsequenceId !== undefined ? `in subsequence ${o.subsequenceId}` : undefined,
    o.first !== undefined ? `same id as index ${o.first}` : undefined,
    o.message,
    o.error !== undefined ? describeError(o.error) : undefined
  ].filter((part) => part !== undefined)
  return `${labels[o.outcome].padEnd(labelWidth)}${[who, ...details].join("  ")}\n`
}

/**
 * The counts of a run, updated as outcomes come.
 *
 * @since 0.2.0
 * @category Models
 */
export interface Tally {
  /** Outcomes by kind. */
  readonly byKind: Record<OutcomeKind, number>
  /** `Failed` outcomes by error tag. */
  readonly byError: Map<string, number>
  /** Outcomes in all. */
  total: number
  /** Rows skipped because the `--resume` file reports them done. */
  skipped: number
}

/**
 * A tally of nothing yet.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const makeTally = (): Tally => ({
  byKind: {
    Removed: 0,
    WouldRemove: 0,
    AlreadyOut: 0,
    NotFound: 0,
    InvalidId: 0,
    InvalidEmail: 0,
    Duplicate: 0,
    Failed: 0
  },
  byError: new Map(),
  total: 0,
  skipped: 0
})

/**
 * Counts one outcome.
 *
 * @since 0.2.0
 * @category Utils
 */
export const count = (tally: Tally, o: Outcome): void => {
  tally.total++
  tally.byKind[o.outcome]++
  if (o.error !== undefined) tally.byError.set(o.error._tag, (tally.byError.get(o.error._tag) ?? 0) + 1)
}

/**
 * Whether every id was removed (or would be) or was already out of a subsequence: the exit code is 0
 * only then.
 *
 * @since 0.2.0
 * @category Utils
 */
export const allOut = (tally: Tally): boolean =>
  tally.byKind.NotFound + tally.byKind.InvalidId + tally.byKind.InvalidEmail + tally.byKind.Failed === 0

/**
 * A count with thousands separators: `12,345`.
 *
 * @since 0.2.0
 * @category Formatting
 */
export const formatCount = (n: number): string => n.toLocaleString("en-US")

/**
 * A duration in seconds, to a tenth: `12.3 s`; past a minute `2 min 05 s`.
 *
 * @since 0.2.0
 * @category Formatting
 */
export const formatSeconds = (seconds: number): string => {
  if (seconds < 60) return `${seconds.toFixed(1)} s`
  const whole = Math.round(seconds)
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`
}

/**
 * The summary of a run, one line each: removed (or would remove), already out, not found, invalid,
 * failed by error tag, skipped (with `--resume`), elapsed, mean rate (outcomes a second).
 *
 * @since 0.2.0
 * @category Formatting
 */
export const summary = (
  tally: Tally,
  options: { readonly dryRun: boolean; readonly resumed: boolean; readonly elapsedMillis: number }
): string => {
  const k = tally.byKind
  const seconds = options.elapsedMillis / 1000
  const failures = [...tally.byError].map(([tag, n]) => `${tag} ${formatCount(n)}`).join(", ")
  const rows: Array<readonly [string, string, string?]> = [
    options.dryRun ? ["would remove", formatCount(k.WouldRemove)] : ["removed", formatCount(k.Removed)],
    [
      "already out",
      formatCount(k.AlreadyOut + k.Duplicate),
      k.Duplicate === 0 ? "" : [
        k.AlreadyOut > 0 ? `${formatCount(k.AlreadyOut)} in no subsequence` : undefined,
        `${formatCount(k.Duplicate)} repeated`
      ].filter((part) => part !== undefined).join(", ")
    ],
    ["not found", formatCount(k.NotFound)],
    ["invalid", formatCount(k.InvalidId + k.InvalidEmail)],
    ["failed", formatCount(k.Failed), failures],
    ...(options.resumed ? [["skipped", formatCount(tally.skipped), "done in the --resume file"] as const] : []),
    ["elapsed", formatSeconds(seconds)],
    ["mean rate", `${seconds > 0 ? (tally.total / seconds).toFixed(1) : "0.0"}/s`]
  ]
  const width = Math.max(...rows.map(([, value]) => value.length))
  return rows.map(([label, value, note]) =>
    `${label.padEnd(labelWidth)}${value.padStart(width)}${note ? `  ${note}` : ""}\n`
  ).join("")
}
