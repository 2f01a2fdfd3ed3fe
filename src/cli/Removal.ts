/**
 * `effect-instantly leads remove-from-subsequence`: takes leads out of their subsequences, from ids
 * given as arguments, a file or stdin (ids, or emails looked up), or every lead of a subsequence; through
 * `Leads.removeManyFromSubsequence`, with a dry run, a confirmation past 50 removals, progress, NDJSON
 * or text output, a summary, a graceful stop on Ctrl-C and `--resume`.
 *
 * @since 0.2.0
 */
import * as Prompt from "@effect/cli/Prompt"
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Terminal from "@effect/platform/Terminal"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Sink from "effect/Sink"
import * as Stream from "effect/Stream"
import {
  defaultRemoveManyConcurrency,
  type InstantlyError,
  type Lead,
  LeadId,
  Leads,
  type RemovalOutcome
} from "../index.js"
import { CliExit, describeError, ExitCode, type InputError, usage } from "./Failure.js"
import * as Input from "./Input.js"
import * as Output from "./Output.js"
import * as Progress from "./Progress.js"
import * as Report from "./Report.js"
import { signals, Stop } from "./Stop.js"

/**
 * The options of `leads remove-from-subsequence`, as parsed from the command line.
 *
 * @since 0.2.0
 * @category Models
 */
export interface RemoveOptions {
  readonly ids: ReadonlyArray<string>
  /** A file of ids or emails; `-` is stdin. */
  readonly file: Option.Option<string>
  /** Every lead now in this subsequence. */
  readonly subsequence: Option.Option<string>
  readonly concurrency: Option.Option<number>
  readonly dryRun: boolean
  readonly yes: boolean
  readonly output: "text" | "ndjson"
  /** A previous run's NDJSON output: its done ids are skipped. */
  readonly resume: Option.Option<string>
}

/**
 * How many removals may run without `--yes` or a confirmation: 50.
 *
 * @since 0.2.0
 * @category Constants
 */
export const confirmAbove = 50

/** How many email addresses are looked up at once. */
const lookupConcurrency = 8

/**
 * Where the leads come from: ids given as arguments, a file (or stdin), or a subsequence.
 *
 * @since 0.2.0
 * @category Models
 */
export type Source =
  | { readonly _tag: "Ids"; readonly ids: ReadonlyArray<string> }
  | { readonly _tag: "File"; readonly path: Input.FilePath }
  | { readonly _tag: "Subsequence"; readonly id: string }

/** What a row (or a lead an email matched) comes to before anything is removed: a lead to remove, or an outcome. */
type Item =
  | {
    readonly _tag: "Send"
    readonly index: number
    readonly id: string
    readonly email?: string | undefined
    /** Known when the lead was listed (by email or subsequence): it is in this subsequence. */
    readonly subsequenceId?: string | undefined
  }
  | { readonly _tag: "Known"; readonly outcome: Report.Outcome }

type Send = Extract<Item, { readonly _tag: "Send" }>

/** What a run's input comes to, when it can be counted before the run: its rows, and the removals they make. */
interface Count {
  readonly rows: number
  readonly removals: number
}

const isLeadId = Schema.is(LeadId)

const sourceOf = (options: RemoveOptions): Either.Either<Source, CliExit> => {
  const given = [
    options.ids.length > 0 ? "lead ids" : undefined,
    Option.isSome(options.file) ? "--file" : undefined,
    Option.isSome(options.subsequence) ? "--subsequence" : undefined
  ].filter((name) => name !== undefined)
  // @effect/cli takes an unknown option for an argument; no lead id starts with a dash.
  const option = options.ids.find((id) => id.startsWith("-"))
  if (option !== undefined) return Either.left(usage(`unknown option ${option} (see --help)`))
  if (given.length === 0) {
    return Either.left(usage("say which leads: lead ids as arguments, --file PATH (- for stdin) or --subsequence ID"))
  }
  if (given.length > 1) {
    return Either.left(usage(`give only one of lead ids, --file and --subsequence (got ${given.join(", ")})`))
  }
  if (options.ids.length > 0) return Either.right({ _tag: "Ids", ids: options.ids })
  if (Option.isSome(options.file)) {
    return Either.right({ _tag: "File", path: Option.filter(options.file, (path) => path !== "-") })
  }
  return Either.map(
    Input.subsequenceId(Option.getOrElse(options.subsequence, () => "")),
    (id): Source => ({ _tag: "Subsequence", id })
  )
}

/** The concurrency option, checked: a positive integer, or the library's default. */
const concurrencyOf = (options: RemoveOptions): Either.Either<number | undefined, CliExit> =>
  Option.match(options.concurrency, {
    onNone: () => Either.right(undefined),
    onSome: (n) => n >= 1 ? Either.right(n) : Either.left(usage(`--concurrency must be 1 or more, got ${n}`))
  })

/** A row index for each id handed to the library, by the library's index (4 bytes an id). */
const makeRowIndexes = () => {
  let rows = new Int32Array(1024)
  return {
    set: (at: number, row: number) => {
      if (at >= rows.length) {
        const grown = new Int32Array(rows.length * 2)
        grown.set(rows)
        rows = grown
      }
      rows[at] = row
    },
    get: (at: number) => rows[at] ?? at
  }
}

/** The item of a row of ids, or of an empty row (of ids or emails): a lead to remove, or an invalid row. */
const itemOf = (row: Exclude<Input.Row, { readonly _tag: "Email" }>): Item => {
  switch (row._tag) {
    case "Id":
      return { _tag: "Send", index: row.index, id: row.id }
    case "Empty":
      return {
        _tag: "Known",
        outcome: row.column === "id"
          ? { outcome: "InvalidId", index: row.index, id: "", message: "empty id" }
          : { outcome: "InvalidEmail", index: row.index, email: "", message: "empty email" }
      }
  }
}

/** The outcome of a row from what the library reported for its lead. */
const fromRemoval = (send: Send, outcome: RemovalOutcome, rowOf: (index: number) => number): Report.Outcome => {
  const base = { index: send.index, id: send.id, email: send.email }
  switch (outcome._tag) {
    case "Removed":
      return { ...base, outcome: "Removed" }
    case "NotFound":
      return { ...base, outcome: "NotFound" }
    case "InvalidId":
      return { ...base, outcome: "InvalidId", message: outcome.message }
    case "Duplicate":
      return { ...base, outcome: "Duplicate", first: rowOf(outcome.first) }
    case "Failed":
      return { ...base, outcome: "Failed", error: outcome.error }
  }
}

/** The outcome of a lookup by id (`--dry-run`). */
const fromRead = (send: Send, read: Either.Either<Lead, InstantlyError>): Report.Outcome => {
  const base = { index: send.index, id: send.id, email: send.email }
  if (Either.isRight(read)) {
    const subsequenceId = read.right.subsequence_id
    return subsequenceId === null
      ? { ...base, outcome: "AlreadyOut" }
      : { ...base, outcome: "WouldRemove", subsequenceId }
  }
  const error = read.left
  switch (error._tag) {
    case "InstantlyNotFoundError":
      return { ...base, outcome: "NotFound" }
    case "InstantlyInvalidInputError":
      return { ...base, outcome: "InvalidId", message: error.message }
    default:
      return { ...base, outcome: "Failed", error }
  }
}

/**
 * What the rows come to before anything is removed, streamed: ids as they are; emails looked up (several
 * at once), each lead found to remove or already out; the leads of a subsequence as listed. What `isDone`
 * says the resumed run did is skipped.
 */
const itemsOf = (
  source: Source,
  leads: Leads,
  isDone: (key: string) => boolean
): Stream.Stream<Item, InputError | InstantlyError> => {
  /** A lead an email matched: to remove, or already out, or done in the resumed run. */
  const fromLead = (index: number, email: string | undefined) => (lead: Lead): Option.Option<Item> => {
    if (isDone(Input.doneKey({ id: lead.id }))) return Option.none()
    if (lead.subsequence_id === null) {
      return Option.some({ _tag: "Known", outcome: { outcome: "AlreadyOut", index, id: lead.id, email } })
    }
    return Option.some({ _tag: "Send", index, id: lead.id, email, subsequenceId: lead.subsequence_id })
  }

  const lookUp = (index: number, email: string): Effect.Effect<ReadonlyArray<Item>> =>
    Stream.runCollect(leads.findByEmail(email)).pipe(
      Effect.match({
        onSuccess: (found): ReadonlyArray<Item> =>
          Chunk.isEmpty(found)
            ? [{ _tag: "Known", outcome: { outcome: "NotFound", index, email } }]
            : Chunk.toReadonlyArray(Chunk.filterMap(found, fromLead(index, email))),
        onFailure: (error): ReadonlyArray<Item> => [{
          _tag: "Known",
          outcome: error._tag === "InstantlyInvalidInputError"
            ? { outcome: "InvalidEmail", index, email, message: error.message }
            : { outcome: "Failed", index, email, error }
        }]
      })
    )

  /** The items of input rows: ids as they are; emails looked up, several at once. */
  const fromRows = (rows: Stream.Stream<Input.Row, InputError>): Stream.Stream<Item, InputError> =>
    Stream.unwrapScoped(Effect.map(Stream.peel(rows, Sink.head()), ([first, rest]) => {
      const all = Stream.concat(Stream.fromIterable(Option.toArray(first)), rest).pipe(
        Stream.filter((row) => row._tag === "Empty" || !isDone(Input.doneKey(row)))
      )
      const emails = Option.exists(
        first,
        (row) => row._tag === "Email" || (row._tag === "Empty" && row.column === "email")
      )
      return emails
        ? all.pipe(
          Stream.mapEffect(
            (row) => row._tag === "Email" ? lookUp(row.index, row.email) : Effect.succeed([itemOf(row)]),
            {
              concurrency: lookupConcurrency
            }
          ),
          Stream.flattenIterables
        )
        : Stream.filterMap(all, (row) => row._tag === "Email" ? Option.none() : Option.some(itemOf(row)))
    }))

  return source._tag === "Subsequence"
    ? leads.inSubsequence(source.id).pipe(
      Stream.zipWithIndex,
      Stream.filterMap(([lead, index]) => fromLead(index, undefined)(lead))
    )
    : fromRows(source._tag === "Ids" ? Input.rowsOfIds(source.ids) : Input.rowsOfFile(source.path))
}

/**
 * The options of a run, checked: where the leads come from and how many removals at once.
 *
 * @since 0.2.0
 * @category Models
 */
export interface Checked extends RemoveOptions {
  readonly source: Source
  readonly concurrencyChecked: number | undefined
}

/**
 * Checks the options before anything is read or sent: exactly one source of leads, a positive
 * concurrency. Fails with a usage error (exit code 2).
 *
 * @since 0.2.0
 * @category Commands
 */
export const check = (options: RemoveOptions): Effect.Effect<Checked, CliExit> =>
  Effect.map(
    Effect.all([sourceOf(options), concurrencyOf(options)]),
    ([source, concurrencyChecked]) => ({ ...options, source, concurrencyChecked })
  )

/**
 * Runs `leads remove-from-subsequence`: fails with `CliExit` for any exit code but 0 (after printing
 * the summary, when anything ran).
 *
 * @since 0.2.0
 * @category Commands
 */
export const run = (
  options: Checked
): Effect.Effect<void, CliExit, Leads | Stop | FileSystem.FileSystem | Terminal.Terminal> =>
  Effect.gen(function*() {
    const { concurrencyChecked: concurrency, source } = options
    const leads = yield* Leads
    const stop = yield* Stop
    const terminals = yield* Output.terminals
    const done = yield* Option.match(options.resume, {
      onNone: () => Effect.succeed(Input.nothingDone),
      onSome: (path) =>
        Input.readDone(path).pipe(
          Effect.mapError((error) => usage(error.message)),
          Effect.tap((done) =>
            done.truncatedLine === undefined ? Effect.void : Output.stderr(
              `effect-instantly: warning: --resume ${path}: its last line (${done.truncatedLine}) is cut off ` +
                "(a run stopped while writing it) and was ignored: its id is not skipped\n"
            )
          )
        )
    })
    const tally = Report.makeTally()
    const isDone = (key: string) => {
      if (!done.has(key)) return false
      tally.skipped++
      return true
    }

    const items = itemsOf(source, leads, isDone)

    const showProgress = terminals.stderr && !(options.output === "ndjson" && terminals.stdoutIsPipe)
    const mayConfirm = !options.dryRun && !options.yes
    // How many rows (outcomes to come), and how many removals they make (unique valid ids), when that is known
    // before the run and needed: ids as arguments, or a file of ids (counted first: read twice, never held; the
    // unique ids are held while counting, only when a confirmation may be needed).
    const known: Option.Option<Count> = yield* Effect.suspend(() => {
      if (!showProgress && !mayConfirm) return Effect.succeed(Option.none())
      if (source._tag === "Subsequence" || (source._tag === "File" && Option.isNone(source.path))) {
        return Effect.succeed(Option.none())
      }
      const unique = new Set<string>()
      return Stream.runFold(
        source._tag === "Ids" ? Input.rowsOfIds(source.ids) : Input.rowsOfFile(source.path),
        Option.some<Count>({ rows: 0, removals: 0 }),
        (count, row) =>
          Option.flatMap(count, ({ removals, rows }): Option.Option<Count> => {
            if (row._tag === "Email") return Option.none()
            if (row._tag === "Empty") return Option.some({ rows: rows + 1, removals })
            const key = Input.doneKey(row)
            if (done.has(key)) return Option.some({ rows, removals })
            if (!mayConfirm || !isLeadId(row.id) || unique.has(key)) return Option.some({ rows: rows + 1, removals })
            unique.add(key)
            return Option.some({ rows: rows + 1, removals: removals + 1 })
          })
      ).pipe(Effect.mapError((error) => usage(error.message)))
    })

    // Without --yes (or --dry-run), more than 50 removals need a confirmation on a terminal.
    const confirmed = (total: Option.Option<number>) =>
      Effect.gen(function*() {
        const what = Option.match(total, {
          onNone: () =>
            `more than ${confirmAbove} leads (how many is known only as they are listed; --dry-run counts them)`,
          onSome: (n) => `${Report.formatCount(n)} leads`
        })
        if (!terminals.stdin || !terminals.stderr) {
          return yield* usage(
            `refusing to remove ${what} without --yes (there is no terminal to ask): check with --dry-run, then add --yes`
          )
        }
        const yes = yield* Prompt.confirm({ message: `Remove ${what} from their subsequences?` }).pipe(
          Output.onStderr,
          Effect.catchTag("QuitException", () => new CliExit({ code: signals.SIGINT, message: "nothing removed" }))
        )
        if (!yes) return yield* new CliExit({ code: ExitCode.failed, message: "nothing removed" })
      })

    /** The summary: on stdout for text (unless it is closed), on stderr for NDJSON. */
    const printSummary = (elapsedMillis: number) =>
      Effect.flatMap(Output.unwritten, (unwritten) => {
        const text = Report.summary(tally, {
          dryRun: options.dryRun,
          resumed: Option.isSome(options.resume),
          elapsedMillis
        })
        return options.output === "ndjson" || Option.isSome(unwritten) ? Output.stderr(text) : Output.stdout(text)
      })

    // The run's time: from here (listing ahead, looking up emails), or from the answer to the confirmation.
    let started = performance.now()
    // Whether the removals (or reads) have begun.
    let underway = false
    return yield* Effect.scoped(Effect.gen(function*() {
      started = performance.now()
      let input = items
      let total = Option.map(known, (count) => count.rows)
      if (mayConfirm) {
        if (Option.isSome(known)) {
          if (known.value.removals > confirmAbove) {
            yield* confirmed(Option.some(known.value.removals))
            started = performance.now()
          }
        } else {
          // Read ahead until more than 50 leads to remove (unique valid ids), to know whether to ask.
          const [ahead, rest] = yield* Stream.peel(
            items,
            Sink.fold(
              { items: [] as Array<Item>, sends: new Set<string>() },
              (s) => s.sends.size <= confirmAbove,
              (s, item) => {
                s.items.push(item)
                if (item._tag === "Send" && isLeadId(item.id)) s.sends.add(item.id.toLowerCase())
                return s
              }
            )
          ).pipe(Effect.mapError((error) => error._tag === "InputError" ? usage(error.message) : failedBefore(error)))
          input = Stream.concat(Stream.fromIterable(ahead.items), rest)
          if (ahead.sends.size > confirmAbove) {
            yield* confirmed(Option.none())
            started = performance.now()
          } else total = Option.some(ahead.items.length)
        }
      }

      const progress = yield* Progress.make({
        show: showProgress,
        stdoutIsTerminal: terminals.stdout,
        total,
        tally,
        verb: options.dryRun ? "checking" : "removing"
      })
      // A key, plan or base URL that every request would fail on stops the run as Ctrl-C does.
      const misconfigured = yield* Deferred.make<InstantlyError>()
      // So do a closed stdout (`| head`: what is reported next could not be written) and a lookup failure.
      const halt = Effect.raceAll([
        stop.requested,
        Effect.asVoid(Deferred.await(misconfigured)),
        Output.whenStdoutClosed
      ])
      const report = (outcome: Report.Outcome) =>
        Effect.uninterruptible(Effect.suspend(() => {
          Report.count(tally, outcome)
          const line = options.output === "ndjson"
            ? Output.stdout(Report.toJsonLine(outcome))
            : progress.line(Report.toTextLine(outcome))
          return outcome.error !== undefined && stopsEveryRequest(outcome.error)
            ? Effect.zipRight(line, Deferred.succeed(misconfigured, outcome.error))
            : line
        }))

      const outcomes = options.dryRun
        ? dryRun(input, leads, halt, concurrency)
        : removals(input, leads, { concurrency, haltWhen: halt, report })
      underway = true
      const ended = yield* stop.graceful(Effect.either(Stream.runForEach(outcomes, report)))
      return { ended, elapsedMillis: performance.now() - started, misconfigured: yield* Deferred.poll(misconfigured) }
    })).pipe(
      // A second signal during the run: the removals under way are abandoned (and the progress line cleared);
      // say so, with what was done, before exiting.
      Effect.onInterrupt(() =>
        underway
          ? Effect.gen(function*() {
            yield* printSummary(performance.now() - started)
            const signal = Option.getOrElse(yield* stop.received, () => "SIGINT")
            yield* Output.stderr(
              `effect-instantly: stopped at once by a second signal (the first was ${signal}): ` +
                (options.dryRun
                  ? "nothing was removed\n"
                  : "the removals under way were abandoned (Instantly may or may not have acted on them); " +
                    "the output holds every outcome that finished: run again with --resume <the NDJSON output> to finish\n")
            )
          })
          : Effect.void
      ),
      Effect.flatMap(({ elapsedMillis, ended, misconfigured }) =>
        Effect.gen(function*() {
          yield* printSummary(elapsedMillis)
          const signal = yield* stop.received
          if (Either.isLeft(ended)) {
            const error = ended.left
            return yield* error._tag === "InputError" ? usage(error.message) : failedBefore(error)
          }
          if (Option.isSome(misconfigured)) {
            return yield* new CliExit({
              code: ExitCode.failed,
              message: `stopped at ${describeError(yield* misconfigured.value)}: every other request would fail ` +
                "the same way (check the key, the plan and the base URL); the ids reported are done, no other was sent"
            })
          }
          const unwritten = yield* Output.unwritten
          if (Option.isSome(unwritten)) {
            return yield* new CliExit({
              code: ExitCode.failed,
              message:
                `stopped: stdout was closed (its reader went away), ${
                  Report.formatCount(unwritten.value)
                } outcomes could not be written; ` +
                (options.dryRun ? "nothing was removed" : "no other id was sent")
            })
          }
          if (Option.isSome(signal)) {
            return yield* new CliExit({
              code: signals[signal.value],
              message: options.dryRun
                ? `stopped by ${signal.value}: nothing was removed`
                : `stopped by ${signal.value}: the ids reported are done, no other was sent; ` +
                  `run again with --resume <the NDJSON output> to finish`
            })
          }
          if (!Report.allOut(tally)) return yield* new CliExit({ code: ExitCode.failed })
        })
      )
    )
  })

/** A failure of the listing (the subsequence unknown, say): exit code 1. */
const failedBefore = (error: InstantlyError) => new CliExit({ code: ExitCode.failed, message: describeError(error) })

/** The answers every other request would get too: the key, the plan or the base URL is wrong. */
const wrongForEveryRequest: ReadonlySet<string> = new Set([
  "InstantlyAuthError",
  "InstantlyPaymentRequiredError",
  "InstantlyRedirectError",
  "InstantlyRouteNotFoundError"
])

/** Transport failures at a base URL where nothing listens (refused) or a host no DNS knows; not timeouts or resets. */
const unreachable: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND"])

/**
 * Whether every other request would fail as this one did (after the client's retries): a key, plan or
 * route refused, or a base URL nothing answers at.
 */
const stopsEveryRequest = (error: InstantlyError): boolean =>
  wrongForEveryRequest.has(error._tag) ||
  (error._tag === "InstantlyTransportError" && error.code !== undefined && unreachable.has(error.code))

/** The removals: each lead to remove through `removeManyFromSubsequence`, the outcomes known already reported as they come. */
const removals = (
  items: Stream.Stream<Item, InputError | InstantlyError>,
  leads: Leads,
  options: {
    readonly concurrency: number | undefined
    readonly haltWhen: Effect.Effect<void>
    readonly report: (outcome: Report.Outcome) => Effect.Effect<void>
  }
): Stream.Stream<Report.Outcome, InputError | InstantlyError> =>
  Stream.suspend(() => {
    // The rows under way, by the library's index; the row of every id handed over, for the index of a repeat's first.
    const underway = new Map<number, Send>()
    const rows = makeRowIndexes()
    let handed = 0
    const ids = items.pipe(
      Stream.tap((item) => item._tag === "Known" ? options.report(item.outcome) : Effect.void),
      Stream.filterMap((item) => {
        if (item._tag === "Known") return Option.none()
        underway.set(handed, item)
        rows.set(handed, item.index)
        handed++
        return Option.some(item.id)
      })
    )
    return Stream.map(
      leads.removeManyFromSubsequence(ids, { concurrency: options.concurrency, haltWhen: options.haltWhen }),
      (outcome) => {
        const send = underway.get(outcome.index)!
        underway.delete(outcome.index)
        return fromRemoval(send, outcome, rows.get)
      }
    )
  })

/** The dry run: each lead read (or known from its listing), nothing written; stops taking rows when `halt` completes. */
const dryRun = (
  items: Stream.Stream<Item, InputError | InstantlyError>,
  leads: Leads,
  halt: Effect.Effect<void>,
  concurrency: number | undefined
): Stream.Stream<Report.Outcome, InputError | InstantlyError> =>
  Stream.suspend(() => {
    const firsts = new Map<string, number>()
    const check = (item: Item): Effect.Effect<Report.Outcome> => {
      if (item._tag === "Known") return Effect.succeed(item.outcome)
      const key = item.id.toLowerCase()
      const first = firsts.get(key)
      if (first !== undefined) {
        return Effect.succeed({ outcome: "Duplicate", index: item.index, id: item.id, email: item.email, first })
      }
      firsts.set(key, item.index)
      if (item.subsequenceId !== undefined) {
        return Effect.succeed({
          outcome: "WouldRemove",
          index: item.index,
          id: item.id,
          email: item.email,
          subsequenceId: item.subsequenceId
        })
      }
      return Effect.map(Effect.either(leads.get(item.id, { priority: "background" })), (read) => fromRead(item, read))
    }
    return items.pipe(
      Stream.haltWhen(halt),
      Stream.mapEffect(check, { concurrency: concurrency ?? defaultRemoveManyConcurrency })
    )
  })
