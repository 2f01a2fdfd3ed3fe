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
import { LeadId } from "../index.js"
import { InputError } from "./Failure.js"

/**
 * One row of the input, with its `index` among the rows (from 0; a header line is not a row): a lead
 * id as given (trimmed), or an email address to look up.
 *
 * @since 0.2.0
 * @category Models
 */
export type Row =
  | { readonly _tag: "Id"; readonly index: number; readonly id: string }
  | { readonly _tag: "Email"; readonly index: number; readonly email: string }

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
 * field and `\r` are tolerated; a row whose cell is empty is skipped. Fails with `InputError` when the
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
      if (cell === "") return Effect.succeedNone
      const row: Row = layout.kind === "Id"
        ? { _tag: "Id", index: index++, id: cell }
        : { _tag: "Email", index: index++, email: cell }
      return Effect.succeedSome(row)
    })
    return Stream.filterMap(rows, (row) => row)
  })

/**
 * The rows of lead ids given as arguments, trimmed.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const rowsOfIds = (ids: ReadonlyArray<string>): Stream.Stream<Row> =>
  Stream.fromIterable(ids.map((id, index): Row => ({ _tag: "Id", index, id: id.trim() })))

/**
 * What a previous run reported as done: lead ids (lower case) and, for the email addresses that
 * matched no lead, `email:<address>` (lower case).
 *
 * @since 0.2.0
 * @category Models
 */
export interface Done {
  readonly has: (key: string) => boolean
  readonly size: number
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
const final = new Set(["Removed", "AlreadyOut", "NotFound", "InvalidId", "InvalidEmail"])

const OutcomeLine = Schema.parseJson(Schema.Struct({
  outcome: Schema.String,
  id: Schema.optional(Schema.String),
  email: Schema.optional(Schema.String)
}))
const decodeOutcomeLine = Schema.decodeUnknownOption(OutcomeLine)

/**
 * Reads a previous run's NDJSON output, streamed, for `--resume`: the ids it reports `Removed`,
 * `AlreadyOut`, `NotFound`, `InvalidId` (and the emails `NotFound` or `InvalidEmail`), which the new
 * run skips. A failed or repeated id is not done. A line that is not an outcome (a run killed in the middle of
 * a line) is ignored.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const readDone = (path: string): Effect.Effect<Done, InputError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const keys = new Set<string>()
    yield* fs.stream(path).pipe(
      Stream.decodeText(),
      Stream.splitLines,
      Stream.runForEach((line) =>
        Effect.sync(() => {
          const decoded = decodeOutcomeLine(line)
          if (Option.isNone(decoded) || !final.has(decoded.value.outcome)) return
          const { email, id } = decoded.value
          if (id !== undefined) keys.add(doneKey({ id }))
          else if (email !== undefined) keys.add(doneKey({ email }))
        })
      ),
      Effect.mapError((error) => new InputError({ message: `--resume ${path}: ${error.message}` }))
    )
    return { has: (key: string) => keys.has(key), size: keys.size }
  })
