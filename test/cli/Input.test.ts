import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Input from "../../src/cli/Input.js"

const a = "019cade6-75b9-7080-8a2e-0d8792f1f0a2"
const b = "019cae1b-4d34-7ac0-bab5-a8ce81680ec4"

/** A file with `content` (a string, or bytes), removed with the scope. */
const file = (content: string | Uint8Array) =>
  Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "effect-instantly-input-"))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  ).pipe(
    Effect.map((dir) => join(dir, "input")),
    Effect.tap((path) => Effect.promise(() => writeFile(path, content)))
  )

const rows = (content: string | Uint8Array) =>
  Effect.flatMap(file(content), (path) => Stream.runCollect(Input.rowsOfFile(Option.some(path)))).pipe(
    Effect.map(Chunk.toReadonlyArray)
  )

const id = (index: number, id: string): Input.Row => ({ _tag: "Id", index, id })
const email = (index: number, email: string): Input.Row => ({ _tag: "Email", index, email })

describe("Input.rowsOfFile", () => {
  it.scoped("one id a line: blank lines, spaces, \\r\\n, a lone \\r and a byte order mark are tolerated", () =>
    Effect.gen(function*() {
      expect(yield* rows(`\uFEFF  ${a}  \r\n\r\n   \n${b}\r`)).toEqual([id(0, a), id(1, b)])
      expect(yield* rows(`${a}\r${b}\r`)).toEqual([id(0, a), id(1, b)])
    }))

  it.scoped("a first line that is neither an id nor an email is a header; an invalid id later is a row", () =>
    Effect.gen(function*() {
      expect(yield* rows(`lead id\n${a}\nnot-an-id\n`)).toEqual([id(0, a), id(1, "not-an-id")])
    }))

  it.scoped("a CSV with an id column (any case, any place), quoted fields with commas; an empty cell is an Empty row", () =>
    Effect.gen(function*() {
      expect(yield* rows(`email,"first name",ID\nx@y.z,"Kim, Olga",${a}\nw@y.z,Bo,\n,,${b}\n,,\n`))
        .toEqual([id(0, a), { _tag: "Empty", index: 1, column: "id" }, id(2, b)])
      expect(yield* rows("name,email\nOlga,\nBo,bo@acme.com\n"))
        .toEqual([{ _tag: "Empty", index: 0, column: "email" }, email(1, "bo@acme.com")])
    }))

  it.scoped("a CSV with an email column and no id column: emails, as written", () =>
    Effect.gen(function*() {
      expect(yield* rows("name,Email\nOlga, OLGA@ACME.COM \nBo,bo@acme.com\n"))
        .toEqual([email(0, "OLGA@ACME.COM"), email(1, "bo@acme.com")])
      expect(yield* rows("olga@acme.com\nbo@acme.com\n")).toEqual([email(0, "olga@acme.com"), email(1, "bo@acme.com")])
    }))

  it.scoped("several columns, none named id or email: InputError, without the line's content", () =>
    Effect.gen(function*() {
      const path = yield* file("name,phone\nOlga,+1 555\n")
      const error = yield* Effect.flip(Stream.runCollect(Input.rowsOfFile(Option.some(path))))
      expect(error.message).toBe(`${path}: its first line has 2 columns and names no "id" or "email" column`)
    }))

  it.effect("a file that cannot be read: InputError naming it", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Stream.runCollect(Input.rowsOfFile(Option.some("/nonexistent/ids.txt"))))
      expect(error).toMatchObject({ _tag: "InputError" })
      expect(error.message).toMatch(/^\/nonexistent\/ids\.txt: ENOENT/)
    }))

  it.effect("ids as arguments, trimmed", () =>
    Effect.gen(function*() {
      expect(Chunk.toReadonlyArray(yield* Stream.runCollect(Input.rowsOfIds([` ${a}`, b])))).toEqual([
        id(0, a),
        id(1, b)
      ])
    }))
})

describe("Input.readDone", () => {
  it.scoped("what a previous output reports done (ids any case, emails not found), not failures or repeats; a cut line is ignored", () =>
    Effect.gen(function*() {
      const failed = "019cae44-8bb4-793b-a01d-9e3745d2c2b2"
      const lines = [
        { id: a.toUpperCase(), index: 0, outcome: "Removed" },
        { id: b, index: 1, outcome: "AlreadyOut", email: "bo@acme.com" },
        { index: 2, outcome: "NotFound", email: "Nobody@Acme.com" },
        { id: failed, index: 3, outcome: "Failed", error: { _tag: "InstantlyServerError", status: 503, message: "" } },
        { id: failed, index: 4, outcome: "Duplicate", first: 3 },
        { id: "not-an-id", index: 5, outcome: "InvalidId", error: { _tag: "InstantlyInvalidInputError", message: "" } }
      ].map((line) => JSON.stringify(line))
      const path = yield* file(lines.join("\n") + `\n{"id":"${failed}","ind`)
      const done = yield* Input.readDone(path).pipe(Effect.provide(NodeFileSystem.layer))
      expect(done.size).toBe(4)
      expect(done.has(Input.doneKey({ id: a }))).toBe(true)
      expect(done.has(Input.doneKey({ id: b }))).toBe(true)
      expect(done.has(Input.doneKey({ email: "nobody@acme.com" }))).toBe(true)
      expect(done.has(Input.doneKey({ id: "NOT-AN-ID" }))).toBe(true)
      expect(done.has(Input.doneKey({ id: failed }))).toBe(false)
      expect(done.truncatedLine).toBe(7)
    }))

  it.scoped("a line that is not an outcome, or a cut line before the last: InputError naming the file and the line", () =>
    Effect.gen(function*() {
      const removed = JSON.stringify({ id: a, index: 0, outcome: "Removed" })
      const lineOf = (content: string) =>
        file(content).pipe(
          Effect.flatMap((path) =>
            Effect.flip(Input.readDone(path)).pipe(
              Effect.map((error) => error.message.replace(path, "FILE"))
            )
          ),
          Effect.provide(NodeFileSystem.layer)
        )
      expect(yield* lineOf(`${removed}\n\nremoved       ${b}\n`)).toBe(
        "--resume FILE: line 3 is not an outcome of an --output ndjson run"
      )
      expect(yield* lineOf(`{"id":"${a}","ind\n${removed}\n`)).toBe(
        "--resume FILE: line 1 is not an outcome of an --output ndjson run"
      )
      expect(yield* lineOf(`{"id":"${a}","index":0,"outcome":"Gone"}\n`)).toBe(
        "--resume FILE: line 1 is not an outcome of an --output ndjson run"
      )
    }))

  it.effect("a file that cannot be read: InputError naming --resume", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Input.readDone("/nonexistent/run.ndjson")).pipe(
        Effect.provide(NodeFileSystem.layer)
      )
      expect(error.message).toMatch(/^--resume \/nonexistent\/run\.ndjson: /)
    }))
})
