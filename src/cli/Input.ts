/**
 * What the command line reads: the rows of an input (lead ids as arguments, or a file or stdin of one
 * id per line, a CSV with an `id` column, or a CSV with an `email` column), streamed, and the ids a
 * previous run's NDJSON output reports as done (`--resume`).
 *
 * @since 0.2.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { parse } from "csv-parse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { createReadStream } from "node:fs"
import { pipeline, type Readable } from "node:stream"
import { LeadId, SubsequenceId } from "../index.js"
import { type CliExit, InputError, usage } from "./Failure.js"
import { type OutcomeKind, outcomeKinds } from "./Report.js"

/**
 * One row of the input, with its `index` among the rows (from 0; a header line is not a row): a lead
 * id as given (trimmed), or an email address to look up, or `Empty`: a row whose id (or email) cell is
 * empty, which still gets an outcome.
 *
 * @since 0.2.0
 * @category Models
 */
export type Row =
  | { readonly _tag: "Id"; readonly index: number; readonly id: string }
  | { readonly _tag: "Email"; readonly index: number; readonly email: string }
  | { readonly _tag: "Empty"; readonly index: number; readonly column: "id" | "email" }

/**
 * Where the rows are: `Option.none()` is stdin (`--file -`).
 *
 * @since 0.2.0
 * @category Models
 */
export type FilePath = Option.Option<string>

/** Which column holds what, decided from the first record. */
interface Layout {
  readonly kind: "Id" | "Email"
  readonly column: number
  /** Whether the first record is a header (not a row). */
  readonly header: boolean
}

const isLeadId = Schema.is(LeadId)
const isSubsequenceId = Schema.is(SubsequenceId)

/**
 * A `--subsequence` option, checked before anything is sent: a UUID (trimmed), else a usage error
 * (exit code 2).
 *
 * @since 0.2.0
 * @category Constructors
 */
export const subsequenceId = (given: string): Either.Either<string, CliExit> =>
  isSubsequenceId(given.trim())
    ? Either.right(given.trim())
    : Either.left(usage(`--subsequence must be a subsequence id (a UUID), got ${JSON.stringify(given)}`))

/**
 * The layout a first record announces: a header naming an `id` column (or, without one, an `email`
 * column); else one column of ids or of emails, the first line being a header unless it holds an id or an
 * email address.
 */
const layoutOf = (name: string, first: ReadonlyArray<string>): Either.Either<Layout, InputError> => {
  const cells = first.map((cell) => cell.toLowerCase())
  const id = cells.indexOf("id")
  if (id >= 0) return Either.right({ kind: "Id", column: id, header: true })
  const email = cells.indexOf("email")
  if (email >= 0) return Either.right({ kind: "Email", column: email, header: true })
  if (first.length > 1) {
    return Either.left(
      new InputError({
        message: `${name}: its first line has ${first.length} columns and names no "id" or "email" column`
      })
    )
  }
  const cell = first[0] ?? ""
  if (isLeadId(cell)) return Either.right({ kind: "Id", column: 0, header: false })
  if (cell.includes("@")) return Either.right({ kind: "Email", column: 0, header: false })
  return Either.right({ kind: "Id", column: 0, header: true })
}

/** The name of an input in messages. */
const nameOf = (path: FilePath) => Option.getOrElse(path, () => "stdin")

/**
 * The CSV records of a file or stdin, read as they are needed: fields trimmed, blank lines and
 * lines of blank fields skipped, `\n`, `\r\n` or `\r` line ends, a byte order mark dropped.
 */
const records = (path: FilePath): Stream.Stream<ReadonlyArray<string>, InputError> =>
  Stream.suspend(() => {
    const source: Readable = Option.match(path, { onNone: () => process.stdin, onSome: (p) => createReadStream(p) })
    const parser = parse({
      trim: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      bom: true
    })
    // pipeline forwards an error of the file (ENOENT, EACCES) to the parser, whose iterator then fails with it.
    pipeline(source, parser, () => {})
    return Stream.fromAsyncIterable(
      parser as AsyncIterable<ReadonlyArray<string>>,
      (error) => new InputError({ message: `${nameOf(path)}: ${error instanceof Error ? error.message : error}` })
    )
  })

/**
 * The rows of a file (or of stdin, for `Option.none()`), streamed: one id per line, or a CSV with an
 * `id` column, or with an `email` column (and no `id`). Blank lines, a header line, spaces around a
 * field and `\r` are tolerated; a row whose cell is empty (`a@b.c,` under `email,id`) is an `Empty` row.
 * Fails with `InputError` when the
 * input cannot be read or parsed, or has several columns none of which is `id` or `email`.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const rowsOfFile = (path: FilePath): Stream.Stream<Row, InputError> =>
  Stream.suspend(() => {
    let layout: Layout | undefined
    let index = 0
    const rows = Stream.mapEffect(records(path), (record): Effect.Effect<Option.Option<Row>, InputError> => {
      if (layout === undefined) {
        const decided = layoutOf(nameOf(path), record)
        if (Either.isLeft(decided)) return Effect.fail(decided.left)
        layout = decided.right
        if (layout.header) return Effect.succeedNone
      }
      const cell = record[layout.column] ?? ""
      const row: Row = cell === ""
        ? { _tag: "Empty", index: index++, column: layout.kind === "Id" ? "id" : "email" }
        : layout.kind === "Id"
        ? { _tag: "Id", index: index++, id: cell }
        : { _tag: "Email", index: index++, email: cell }
      return Effect.succeedSome(row)
    })
    return Stream.filterMap(rows, (row) => row)
  })

/**
 * The rows of lead ids given as arguments, trimmed; an empty one is an `Empty` row.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const rowsOfIds = (ids: ReadonlyArray<string>): Stream.Stream<Row> =>
  Stream.fromIterable(ids.map((given, index): Row => {
    const id = given.trim()
    return id === "" ? { _tag: "Empty", index, column: "id" } : { _tag: "Id", index, id }
  }))

/**
 * What a previous run reported as done: lead ids (lower case) and, for the email addresses that
 * matched no lead, `email:<address>` (lower case). `truncatedLine` is the number (from 1) of a last
 * line cut off in the middle of its JSON (a run killed while writing it), which was ignored.
 *
 * @since 0.2.0
 * @category Models
 */
export interface Done {
  readonly has: (key: string) => boolean
  readonly size: number
  readonly truncatedLine?: number | undefined
}

/**
 * The key of an id or an email address in `Done`.
 *
 * @since 0.2.0
 * @category Utils
 */
export const doneKey = (row: { readonly id: string } | { readonly email: string }): string =>
  "id" in row ? row.id.toLowerCase() : `email:${row.email.toLowerCase()}`

/**
 * Nothing done yet (no `--resume`).
 *
 * @since 0.2.0
 * @category Constants
 */
export const nothingDone: Done = { has: () => false, size: 0 }

/** The outcomes after which an id is not sent again: done, or that would come out the same. */
const final: ReadonlySet<OutcomeKind> = new Set(["Removed", "AlreadyOut", "NotFound", "InvalidId", "InvalidEmail"])

/** A line of a run's NDJSON output: an outcome with its row's index (other fields tolerated). */
const OutcomeLine = Schema.parseJson(Schema.Struct({
  outcome: Schema.Literal(...outcomeKinds),
  index: Schema.Number,
  id: Schema.optional(Schema.String),
  email: Schema.optional(Schema.String)
}))
const decodeOutcomeLine = Schema.decodeUnknownOption(OutcomeLine)
const decodeJson = Schema.decodeUnknownOption(Schema.parseJson())
const isJson = (line: string) => Option.isSome(decodeJson(line))

/**
 * Reads a previous run's NDJSON output, streamed, for `--resume`: the ids it reports `Removed`,
 * `AlreadyOut`, `NotFound`, `InvalidId` (and the emails `NotFound` or `InvalidEmail`), which the new
 * run skips. A failed or repeated id is not done. Blank lines are tolerated, and so is a last line
 * cut off in the middle of its JSON (a run killed while writing it: `truncatedLine`); any other line
 * that is not an outcome fails with `InputError` naming the file and the line's number, so that a
 * file which is not such an output (the text output, say) is not taken for one that reports nothing.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const readDone = (path: string): Effect.Effect<Done, InputError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const keys = new Set<string>()
    const notAnOutcome = (line: number) =>
      new InputError({ message: `--resume ${path}: line ${line} is not an outcome of an --output ndjson run` })
    // A line that starts an object but is not JSON: cut off, if it is the last one.
    let cut: number | undefined
    yield* fs.stream(path).pipe(
      Stream.decodeText(),
      Stream.splitLines,
      Stream.zipWithIndex,
      Stream.mapError((error) => new InputError({ message: `--resume ${path}: ${error.message}` })),
      Stream.runForEach(([line, index]) => {
        if (line.trim() === "") return Effect.void
        if (cut !== undefined) return Effect.fail(notAnOutcome(cut))
        const decoded = decodeOutcomeLine(line)
        if (Option.isNone(decoded)) {
          if (!line.trimStart().startsWith("{") || isJson(line)) return Effect.fail(notAnOutcome(index + 1))
          cut = index + 1
          return Effect.void
        }
        const { email, id, outcome } = decoded.value
        if (final.has(outcome)) {
          if (id !== undefined) keys.add(doneKey({ id }))
          else if (email !== undefined) keys.add(doneKey({ email }))
        }
        return Effect.void
      })
    )
    return { has: (key: string) => keys.has(key), size: keys.size, truncatedLine: cut }
  })
