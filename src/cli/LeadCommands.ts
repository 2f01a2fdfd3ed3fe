/**
 * `effect-instantly leads get`, `leads move-to-subsequence` and `leads list`: one lead read or moved,
 * or the leads of a query, as text (a table for a list) or NDJSON (one lead a line, as Instantly sends it).
 *
 * @since 0.2.0
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { describeValue, EmailAddress, type InstantlyError, Lead, Leads, LeadStatus } from "../index.js"
import { CliExit, describeError, ExitCode, usage } from "./Failure.js"
import * as Input from "./Input.js"
import * as Output from "./Output.js"

/**
 * How leads are printed: `text` (fields, or a table) or `ndjson` (one JSON lead a line).
 *
 * @since 0.2.0
 * @category Models
 */
export type Format = "text" | "ndjson"

const encodeLead = Schema.encodeSync(Lead)

/** A lead as one line of JSON, as Instantly sends it. */
const jsonLine = (lead: Lead) => JSON.stringify(encodeLead(lead)) + "\n"

const statusOf = (lead: Lead) => Option.getOrElse(describeValue(LeadStatus, lead.status), () => String(lead.status))

const timestamp = (at: DateTime.Utc | null) => at === null ? "-" : DateTime.formatIso(at)

/** A lead as lines of `field  value`: who it is, where it is, and its subsequence. */
const fields = (lead: Lead): string => {
  const name = [lead.first_name, lead.last_name].filter((part) => part !== null && part !== "").join(" ")
  const rows: ReadonlyArray<readonly [string, string]> = [
    ["id", lead.id],
    ["email", lead.email ?? "-"],
    ["name", name === "" ? "-" : name],
    ["company", lead.company_name ?? "-"],
    ["campaign", lead.campaign ?? "-"],
    ["status", statusOf(lead)],
    ["subsequence", lead.subsequence_id ?? "none"],
    ["in it since", timestamp(lead.timestamp_added_subsequence)],
    ["updated", timestamp(lead.timestamp_updated)]
  ]
  return rows.map(([field, value]) => `${field.padEnd(13)}${value}\n`).join("")
}

/** The columns of `leads list` as text. */
const columns = [["id", 36], ["email", 34], ["status", 12], ["subsequence", 36]] as const

const tableLine = (cells: ReadonlyArray<string>) =>
  cells.map((cell, i) => i === cells.length - 1 ? cell : cell.padEnd(columns[i]![1])).join("  ") + "\n"

const tableRow = (lead: Lead) => tableLine([lead.id, lead.email ?? "-", statusOf(lead), lead.subsequence_id ?? "-"])

/** Whether an option that narrows a listing lets a value through: unset, or `test` holds. */
const allows = <A>(option: Option.Option<A>, test: (a: A) => boolean) => Option.isNone(option) || test(option.value)

/** An error of a lead operation: invalid input is a usage error (nothing was sent), any other exit code 1. */
const failed = (error: InstantlyError) =>
  error._tag === "InstantlyInvalidInputError"
    ? usage(error.message)
    : new CliExit({ code: ExitCode.failed, message: describeError(error) })

const isEmailAddress = Schema.is(EmailAddress)

/**
 * `leads get ID`: reads the lead (`GET /api/v2/leads/{id}`) and prints it.
 *
 * @since 0.2.0
 * @category Commands
 */
export const get = (options: { readonly id: string; readonly output: Format }): Effect.Effect<void, CliExit, Leads> =>
  Effect.flatMap(Leads, (leads) => leads.get(options.id.trim())).pipe(
    Effect.mapError(failed),
    Effect.flatMap((lead) => Output.stdout(options.output === "ndjson" ? jsonLine(lead) : fields(lead)))
  )

/**
 * `leads move-to-subsequence ID --subsequence SID`: moves the lead (`POST /api/v2/leads/subsequence/move`)
 * and prints it as it now is.
 *
 * @since 0.2.0
 * @category Commands
 */
export const move = (
  options: { readonly id: string; readonly subsequence: string; readonly output: Format }
): Effect.Effect<void, CliExit, Leads> =>
  Effect.flatMap(
    Leads,
    (leads) => leads.moveToSubsequence({ id: options.id.trim(), subsequence_id: options.subsequence.trim() })
  )
    .pipe(
      Effect.mapError(failed),
      Effect.flatMap((lead) => Output.stdout(options.output === "ndjson" ? jsonLine(lead) : fields(lead)))
    )

/**
 * The options of `leads list`.
 *
 * @since 0.2.0
 * @category Models
 */
export interface ListOptions {
  readonly campaign: Option.Option<string>
  readonly subsequence: Option.Option<string>
  readonly email: Option.Option<string>
  readonly limit: Option.Option<number>
  readonly output: Format
}

/**
 * `leads list`: the leads of a campaign, of a subsequence (`Leads.inSubsequence`), with an email
 * address, or all of them, at most `--limit`; listed page by page as they are printed.
 *
 * @since 0.2.0
 * @category Commands
 */
export const list = (options: ListOptions): Effect.Effect<void, CliExit, Leads> =>
  Effect.gen(function*() {
    if (Option.exists(options.limit, (n) => n < 1)) return yield* usage("--limit must be 1 or more")
    const email = Option.map(options.email, (e) => e.trim().toLowerCase())
    if (Option.isSome(email) && !isEmailAddress(email.value)) {
      return yield* usage(`--email must be an email address, got ${JSON.stringify(Option.getOrThrow(options.email))}`)
    }
    const subsequence = yield* Effect.transposeOption(Option.map(options.subsequence, Input.subsequenceId))
    const leads = yield* Leads
    const listed = Option.match(subsequence, {
      // A subsequence's leads, narrowed here by the other options.
      onSome: (subsequence) =>
        Stream.filter(leads.inSubsequence(subsequence), (lead) =>
          allows(options.campaign, (c) =>
            lead.campaign?.toLowerCase() === c.toLowerCase()) &&
          allows(email, (e) => lead.email?.toLowerCase() === e)),
      onNone: () =>
        leads.list({
          ...Option.match(options.campaign, { onNone: () => ({}), onSome: (campaign) => ({ campaign }) }),
          ...Option.match(email, { onNone: () => ({}), onSome: (e) => ({ contacts: [e] }) })
        })
    })
    const limited = Option.match(options.limit, {
      onNone: () =>
        listed,
      onSome: (n) => Stream.take(listed, n)
    })
    if (options.output === "ndjson") {
      return yield* Stream.runForEach(limited, (lead) => Output.stdout(jsonLine(lead))).pipe(Effect.mapError(failed))
    }
    // The table's header comes with its first row (or at the end of an empty listing), never before a failure.
    const header = tableLine(columns.map(([name]) => name.toUpperCase()))
    const rows = yield* Stream.runFoldEffect(
      limited,
      0,
      (n, lead) => Effect.as(Output.stdout(n === 0 ? header + tableRow(lead) : tableRow(lead)), n + 1)
    ).pipe(Effect.mapError(failed))
    if (rows === 0) yield* Output.stdout(header)
  })
