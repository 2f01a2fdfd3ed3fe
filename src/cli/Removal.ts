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
import * as Sink from "effect/Sink"
import * as Stream from "effect/Stream"
import { defaultRemoveManyConcurrency, type InstantlyError, type Lead, Leads, type RemovalOutcome } from "../index.js"
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
  return Either.right({ _tag: "Subsequence", id: Option.getOrElse(options.subsequence, () => "") })
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
        Stream.filter((row) => !isDone(Input.doneKey(row)))
      )
      return Option.isSome(first) && first.value._tag === "Email"
        ? all.pipe(
          Stream.mapEffect((row) => row._tag === "Email" ? lookUp(row.index, row.email) : Effect.succeed([]), {
            concurrency: lookupConcurrency
          }),
          Stream.flattenIterables
        )
        : Stream.filterMap(all, (row) => row._tag === "Id" ? Option.some(row) : Option.none()).pipe(
          Stream.map((row): Item => ({ _tag: "Send", index: row.index, id: row.id }))
        )
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
      onSome: (path) => Effect.mapError(Input.readDone(path), (error) => usage(error.message))
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
    // How many rows, when that is known before the run and needed: ids as arguments, or a file of ids
    // (counted first: read twice, never held).
    const knownTotal: Option.Option<number> = yield* Effect.suspend(() => {
      if (!showProgress && !mayConfirm) return Effect.succeed(Option.none())
      if (source._tag === "Ids") {
        return Effect.succeed(
          Option.some(source.ids.filter((id) => !done.has(Input.doneKey({ id: id.trim() }))).length)
        )
      }
      if (source._tag === "Subsequence" || Option.isNone(source.path)) return Effect.succeed(Option.none())
      return Input.rowsOfFile(source.path).pipe(
        Stream.runFold(
          Option.some(0),
          (n, row) =>
            row._tag === "Email" ? Option.none() : Option.map(n, (n) => done.has(Input.doneKey(row)) ? n : n + 1)
        ),
        Effect.mapError((error) => usage(error.message))
      )
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

    return yield* Effect.scoped(Effect.gen(function*() {
      // The run's time: from here (listing ahead, looking up emails), or from the answer to the confirmation.
      let started = performance.now()
      let input = items
      let total = knownTotal
      if (mayConfirm) {
        if (Option.isSome(total)) {
          if (total.value > confirmAbove) {
            yield* confirmed(total)
            started = performance.now()
          }
        } else {
          // Read ahead until more than 50 leads to remove, to know whether to ask.
          const [ahead, rest] = yield* Stream.peel(
            items,
            Sink.fold(
              { items: [] as Array<Item>, sends: 0 },
              (s) => s.sends <= confirmAbove,
              (s, item) => ({ items: [...s.items, item], sends: s.sends + (item._tag === "Send" ? 1 : 0) })
            )
          ).pipe(Effect.mapError((error) => error._tag === "InputError" ? usage(error.message) : failedBefore(error)))
          input = Stream.concat(Stream.fromIterable(ahead.items), rest)
          if (ahead.sends > confirmAbove) {
            yield* confirmed(total)
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
      const halt = Effect.race(stop.requested, Effect.asVoid(Deferred.await(misconfigured)))
      const report = (outcome: Report.Outcome) =>
        Effect.uninterruptible(Effect.suspend(() => {
          Report.count(tally, outcome)
          const line = options.output === "ndjson"
            ? Output.stdout(Report.toJsonLine(outcome))
            : progress.line(Report.toTextLine(outcome))
          return outcome.error !== undefined && stopsEveryRequest.has(outcome.error._tag)
            ? Effect.zipRight(line, Deferred.succeed(misconfigured, outcome.error))
            : line
        }))

      const outcomes = options.dryRun
        ? dryRun(input, leads, halt, concurrency)
        : removals(input, leads, { concurrency, haltWhen: halt, report })
      const ended = yield* stop.graceful(Effect.either(Stream.runForEach(outcomes, report)))
      return { ended, elapsedMillis: performance.now() - started, misconfigured: yield* Deferred.poll(misconfigured) }
    })).pipe(
      Effect.flatMap(({ elapsedMillis, ended, misconfigured }) =>
        Effect.gen(function*() {
          const text = Report.summary(tally, {
            dryRun: options.dryRun,
            resumed: Option.isSome(options.resume),
            elapsedMillis
          })
          yield* options.output === "ndjson" ? Output.stderr(text) : Output.stdout(text)
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

/** The errors every other request would fail with too: the key, the plan or the base URL is wrong. */
const stopsEveryRequest: ReadonlySet<string> = new Set([
  "InstantlyAuthError",
  "InstantlyPaymentRequiredError",
  "InstantlyRedirectError",
  "InstantlyRouteNotFoundError"
])

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
