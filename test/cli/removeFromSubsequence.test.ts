/**
 * `effect-instantly leads remove-from-subsequence` as an operator runs it: a child process against an
 * emulator served by the test, whose state and counters say what was really sent.
 */
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { spawn } from "node:child_process"
import { once } from "node:events"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Lead } from "../../src/index.js"
import { InstantlyEmulator, type InstantlyEmulatorServerOptions } from "../../src/InstantlyEmulator.js"
import { Cli, layer as cliLayer, ndjson } from "./cli.js"

/** The arguments of a run that removes `ids` at `url`, two at a time, confirmed, as NDJSON. */
const removeAllTwoAtATime = (url: string, ids: ReadonlyArray<string>): Array<string> => [
  "leads",
  "remove-from-subsequence",
  "--base-url",
  url,
  "--yes",
  "--concurrency",
  "2",
  "--output",
  "ndjson",
  ...ids
]

const unknownId = "019cc043-0000-7000-8000-000000000000"

/** Runs `effect` against a fresh emulator served on a free port. */
const withEmulator = (options: InstantlyEmulatorServerOptions) =>
  Effect.provide(Layer.orDie(InstantlyEmulator.layerServer(options)))

/** The emulator's leads, those in a subsequence first. */
const leadsNow = Effect.flatMap(InstantlyEmulator, (emulator) => emulator.leads)
const inASubsequence = Effect.map(leadsNow, (leads) => leads.filter((lead) => lead.subsequence_id !== null))
const stillIn = (ids: ReadonlyArray<string>) =>
  Effect.flatMap(InstantlyEmulator, (emulator) =>
    Effect.map(
      Effect.forEach(ids, (id) => emulator.lead(id)),
      (leads) => leads.filter((lead) => Option.exists(lead, (l) => l.subsequence_id !== null)).length
    ))
const removals = Effect.flatMap(
  InstantlyEmulator,
  (emulator) => Effect.map(emulator.counters, (counters) => counters.operations.removeFromSubsequence)
)

/** `remove-from-subsequence` against the emulator in context. */
const remove = (args: ReadonlyArray<string>, options?: { readonly stdin?: string }) =>
  Effect.gen(function*() {
    const { url } = yield* InstantlyEmulator
    const cli = yield* Cli
    return yield* cli.run(["leads", "remove-from-subsequence", "--base-url", url, ...args], options)
  })

/** A file with `content`, removed with the scope. */
const tempFile = (name: string, content: string) =>
  Effect.map(
    Effect.acquireRelease(
      Effect.promise(() => mkdtemp(join(tmpdir(), "effect-instantly-cli-"))),
      (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
    ),
    (dir) => join(dir, name)
  ).pipe(Effect.tap((path) => Effect.promise(() => writeFile(path, content))))

const ids = (leads: ReadonlyArray<Lead>) => leads.map((lead) => lead.id)

/** A loopback URL where nothing listens: a port just freed. */
const refusedUrl = Effect.promise(async () => {
  const server = createServer().listen(0, "127.0.0.1")
  await once(server, "listening")
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, "close")
  return `http://127.0.0.1:${port}`
})

/** Runs `args` until `lines` lines of stdout came, then sends SIGINT once per entry of `delays` (each so many ms after the last). */
const interrupted = (args: ReadonlyArray<string>, lines: number, delays: ReadonlyArray<number>) =>
  Effect.scoped(Effect.gen(function*() {
    const running = yield* (yield* Cli).start(args)
    const seen: Array<string> = []
    yield* running.lines.pipe(
      Stream.tap((line) =>
        Effect.suspend(() => {
          seen.push(line)
          return seen.length === lines
            ? Effect.forkDaemon(
              Effect.forEach(delays, (ms) => Effect.zipRight(Effect.sleep(ms), running.signal("SIGINT")))
            )
            : Effect.void
        })
      ),
      Stream.runDrain
    )
    return { lines: seen.join("\n"), code: yield* running.exitCode, stderr: yield* running.stderr }
  }))

layer(cliLayer, { timeout: 120_000, excludeTestServices: true })("leads remove-from-subsequence", (it) => {
  it.scoped("ids as arguments: each removed, one NDJSON line per id, exit 0", () =>
    Effect.gen(function*() {
      const leads = ids((yield* inASubsequence).slice(0, 3))
      const result = yield* remove(["--output", "ndjson", ...leads])
      expect(result.code).toBe(0)
      const lines = ndjson(result.stdout)
      expect(lines.map((line) => [line.id, line.outcome]).sort()).toEqual(leads.map((id) => [id, "Removed"]).sort())
      expect(lines.map((line) => line.index).sort()).toEqual([0, 1, 2])
      expect(yield* stillIn(leads)).toBe(0)
      // The summary goes to stderr, so stdout stays NDJSON.
      expect(result.stderr).toMatch(/^removed\s+3$/m)
    }).pipe(withEmulator({ generate: { count: 10, seed: 1 } })))

  it.scoped("a file with a header, blank lines, spaces and \\r\\n; text and the summary; exit 1 for an unknown or invalid id", () =>
    Effect.gen(function*() {
      const [a, b] = ids(yield* inASubsequence)
      const path = yield* tempFile(
        "ids.txt",
        `lead id\r\n\r\n  ${a}  \r\n${b}\r\n   \r\n${unknownId}\r\nnot-an-id\r\n${a}\r\n`
      )
      const result = yield* remove(["--file", path])
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(`removed       ${a}`)
      expect(result.stdout).toContain(`not found     ${unknownId}`)
      expect(result.stdout).toMatch(/^invalid\s+not-an-id {2}Expected a Universally Unique Identifier/m)
      expect(result.stdout).toContain(`repeated      ${a}  same id as index 0`)
      expect(result.stdout).toMatch(/^removed\s+2$/m)
      expect(result.stdout).toMatch(/^already out\s+1 {2}1 repeated$/m)
      expect(result.stdout).toMatch(/^not found\s+1$/m)
      expect(result.stdout).toMatch(/^invalid\s+1$/m)
      expect(result.stdout).toMatch(/^failed\s+0$/m)
      expect(result.stdout).toMatch(/^elapsed\s+\d+\.\d s$/m)
      expect(result.stdout).toMatch(/^mean rate\s+\d+\.\d\/s$/m)
      expect(yield* stillIn([a!, b!])).toBe(0)
      // a, b and the unknown id are sent (the emulator carries out two); the invalid and the repeated id are not.
      expect((yield* (yield* InstantlyEmulator).counters).requests).toBe(3)
      expect(yield* removals).toBe(2)
    }).pipe(withEmulator({ generate: { count: 10, seed: 2 } })))

  it.scoped("ids on stdin (--file -)", () =>
    Effect.gen(function*() {
      const leads = ids((yield* inASubsequence).slice(0, 4))
      const result = yield* remove(["--file", "-", "--output", "ndjson"], { stdin: leads.join("\n") + "\n" })
      expect(result.code).toBe(0)
      expect(ndjson(result.stdout).map((line) => line.outcome)).toEqual(Array(4).fill("Removed"))
      expect(yield* stillIn(leads)).toBe(0)
    }).pipe(withEmulator({ generate: { count: 10, seed: 3 } })))

  it.scoped("a CSV with an id column among others", () =>
    Effect.gen(function*() {
      const leads = (yield* inASubsequence).slice(0, 3)
      const csv = "email,ID,first name\n" + leads.map((l) => `${l.email},${l.id},"${l.first_name}, Jr."`).join("\n")
      const result = yield* remove(["--file", yield* tempFile("leads.csv", csv), "--output", "ndjson"])
      expect(result.code).toBe(0)
      expect(ndjson(result.stdout).map((line) => line.id).sort()).toEqual(ids(leads).sort())
      expect(yield* stillIn(ids(leads))).toBe(0)
    }).pipe(withEmulator({ generate: { count: 10, seed: 4 } })))

  it.scoped("a CSV with only an email column: each email looked up; a lead already out is not sent, an unknown email is not found", () =>
    Effect.gen(function*() {
      const all = yield* leadsNow
      const inOne = all.filter((lead) => lead.subsequence_id !== null).slice(0, 2)
      const out = all.find((lead) => lead.subsequence_id === null)!
      const emails = [...inOne, out].map((lead) => ` ${lead.email!.toUpperCase()} `)
      const path = yield* tempFile("emails.csv", `Email\n${emails.join("\n")}\nnobody@example.com\n`)
      const result = yield* remove(["--file", path, "--output", "ndjson"])
      expect(result.code).toBe(1) // the unknown email
      const lines = ndjson(result.stdout)
      expect(lines).toHaveLength(4)
      expect(lines.filter((line) => line.outcome === "Removed").map((line) => line.id).sort())
        .toEqual(ids(inOne).sort())
      expect(lines.find((line) => line.id === out.id)).toMatchObject({ outcome: "AlreadyOut", index: 2 })
      expect(lines.find((line) => line.email === "nobody@example.com")).toEqual({
        index: 3,
        outcome: "NotFound",
        email: "nobody@example.com"
      })
      expect(yield* stillIn(ids(inOne))).toBe(0)
      expect(yield* removals).toBe(2)
    }).pipe(withEmulator({ generate: { count: 10, seed: 5 } })))

  it.scoped("--subsequence: every lead in it, and no other", () =>
    Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      const [subsequence] = yield* emulator.subsequences
      const before = yield* leadsNow
      const inIt = before.filter((lead) => lead.subsequence_id === subsequence!.id)
      const elsewhere = before.filter((lead) => lead.subsequence_id !== null && lead.subsequence_id !== subsequence!.id)
      expect(inIt.length).toBeGreaterThan(3)
      const result = yield* remove(["--subsequence", subsequence!.id, "--output", "ndjson"])
      expect(result.code).toBe(0)
      expect(ndjson(result.stdout).map((line) => line.id).sort()).toEqual(ids(inIt).sort())
      expect(yield* stillIn(ids(inIt))).toBe(0)
      expect(yield* stillIn(ids(elsewhere))).toBe(elsewhere.length)
    }).pipe(withEmulator({ generate: { count: 30, seed: 6 } })))

  it.scoped("--dry-run reads and lists, and sends no write", () =>
    Effect.gen(function*() {
      const all = yield* leadsNow
      const result = yield* remove(["--dry-run", "--output", "ndjson", ...ids(all), unknownId])
      expect(result.code).toBe(1) // the unknown id would not be removed
      const lines = ndjson(result.stdout)
      expect(lines).toHaveLength(all.length + 1)
      for (const lead of all) {
        expect(lines.find((line) => line.id === lead.id)).toMatchObject(
          lead.subsequence_id === null
            ? { outcome: "AlreadyOut" }
            : { outcome: "WouldRemove", subsequence_id: lead.subsequence_id }
        )
      }
      const counters = yield* (yield* InstantlyEmulator).counters
      expect(counters.operations.removeFromSubsequence).toBe(0)
      expect(counters.operations.moveToSubsequence).toBe(0)
      expect(counters.operations.get).toBe(all.length) // and the unknown id's 404
      expect(counters.requests).toBe(all.length + 1)
      expect(yield* stillIn(ids(all))).toBe(all.filter((lead) => lead.subsequence_id !== null).length)
    }).pipe(withEmulator({ generate: { count: 8, seed: 7 } })))

  it.scoped("more than 50 removals without --yes and no terminal to ask: exit 2, nothing sent", () =>
    Effect.gen(function*() {
      const all = ids(yield* leadsNow)
      const fromArgs = yield* remove(all)
      expect(fromArgs.code).toBe(2)
      expect(fromArgs.stderr).toBe(
        "effect-instantly: refusing to remove 60 leads without --yes (there is no terminal to ask): " +
          "check with --dry-run, then add --yes\n"
      )
      // From stdin the count is not known: the first 51 are read, then it refuses all the same.
      const fromStdin = yield* remove(["--file", "-"], { stdin: all.join("\n") })
      expect(fromStdin.code).toBe(2)
      expect(fromStdin.stderr).toContain("refusing to remove more than 50 leads")
      expect((yield* (yield* InstantlyEmulator).counters).requests).toBe(0)
    }).pipe(withEmulator({ generate: { count: 60, seed: 8 } })))

  it.scoped("the key from INSTANTLY_API_KEY only: missing or malformed, one line naming it, exit 2, nothing sent", () =>
    Effect.gen(function*() {
      const { url } = yield* InstantlyEmulator
      const cli = yield* Cli
      const args = ["leads", "remove-from-subsequence", "--base-url", url, unknownId]
      const missing = yield* cli.run(args, { env: { INSTANTLY_API_KEY: undefined } })
      expect(missing).toMatchObject({ code: 2, stdout: "" })
      expect(missing.stderr).toBe(
        "effect-instantly: INSTANTLY_API_KEY is not set: set it to an API key of your Instantly workspace\n"
      )
      const malformed = yield* cli.run(args, { env: { INSTANTLY_API_KEY: "key\u0007with a bell" } })
      expect(malformed.code).toBe(2)
      expect(malformed.stderr).toMatch(/^effect-instantly: INSTANTLY_API_KEY [^\n]+\n$/)
      expect(malformed.stderr).not.toContain("bell")
      expect((yield* (yield* InstantlyEmulator).counters).requests).toBe(0)
    }).pipe(withEmulator({ generate: { count: 1, seed: 1 } })))

  it.scoped("a key Instantly refuses (401): the run stops at the first, saying why, exit 1", () =>
    Effect.gen(function*() {
      const all = ids(yield* leadsNow)
      const { url } = yield* InstantlyEmulator
      const result = yield* (yield* Cli).run(removeAllTwoAtATime(url, all), {
        env: { INSTANTLY_API_KEY: "a-revoked-key" }
      })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain("effect-instantly: stopped at InstantlyAuthError (401): ")
      const lines = ndjson(result.stdout)
      expect(lines.length).toBeGreaterThanOrEqual(1)
      expect(lines.length).toBeLessThanOrEqual(3) // the first, and those already taken
      expect(lines.every((line) => (line.error as { _tag: string })._tag === "InstantlyAuthError")).toBe(true)
      expect((yield* (yield* InstantlyEmulator).counters).requests).toBe(lines.length)
    }).pipe(withEmulator({ generate: { count: 60, seed: 10 } })))

  it.scoped("usage errors exit 2: no leads, two sources, a bad option", () =>
    Effect.gen(function*() {
      const none = yield* remove([])
      expect(none).toMatchObject({ code: 2, stdout: "" })
      expect(none.stderr).toContain("say which leads")
      const two = yield* remove(["--file", "-", unknownId])
      expect(two.stderr).toContain("give only one of lead ids, --file and --subsequence")
      expect(two.code).toBe(2)
      expect((yield* remove(["--concurrency", "0", unknownId])).code).toBe(2)
      expect((yield* remove(["--output", "xml", unknownId])).code).toBe(2)
      expect((yield* remove(["--resume", "/nonexistent/run.ndjson", unknownId])).code).toBe(2)
      expect((yield* (yield* InstantlyEmulator).counters).requests).toBe(0)
    }).pipe(withEmulator({ generate: { count: 1, seed: 1 } })))

  it.scoped("SIGINT mid-run: exit 130, every finished removal reported; --resume finishes, every id exactly once", () =>
    Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      const cli = yield* Cli
      const all = ids(yield* leadsNow)
      const path = yield* tempFile("ids.txt", all.join("\n"))
      const args = ["leads", "remove-from-subsequence", "--base-url", emulator.url, "--file", path, "--yes"]
      const first = yield* interrupted([...args, "--output", "ndjson"], 20, [0])
      expect(first.code).toBe(130)
      expect(first.stderr).toContain("stopped by SIGINT")
      const done = ndjson(first.lines)
      expect(done.length).toBeGreaterThanOrEqual(20)
      expect(done.length).toBeLessThan(all.length)
      // Every removal the emulator made is reported: none was cut in half.
      expect(yield* removals).toBe(done.length)
      const resumed = path + ".ndjson"
      yield* Effect.promise(() => writeFile(resumed, first.lines + "\n"))
      const second = yield* cli.run([...args, "--output", "ndjson", "--resume", resumed])
      expect(second.code).toBe(0)
      expect(second.stderr).toMatch(new RegExp(`^skipped\\s+${done.length}  done in the --resume file$`, "m"))
      const union = [...done, ...ndjson(second.stdout)]
      expect(union.map((line) => line.id).sort()).toEqual([...all].sort())
      expect(union.every((line) => line.outcome === "Removed")).toBe(true)
      expect(yield* stillIn(all)).toBe(0)
    }).pipe(withEmulator({ generate: { count: 200, seed: 9 } })))

  it.scoped(
    "a base URL where nothing listens (connection refused): the run stops at the first failure, saying why, exit 1",
    () =>
      Effect.gen(function*() {
        const all = ids(yield* leadsNow)
        const result = yield* (yield* Cli).run(removeAllTwoAtATime(yield* refusedUrl, all))
        expect(result.code).toBe(1)
        expect(result.stderr).toContain("effect-instantly: stopped at InstantlyTransportError: ")
        expect(result.stderr.match(/stopped at/g)).toHaveLength(1)
        expect(result.stderr).toMatch(/^failed\s+[1-3] {2}InstantlyTransportError [1-3]$/m)
        const lines = ndjson(result.stdout)
        expect(lines.length).toBeGreaterThanOrEqual(1)
        expect(lines.length).toBeLessThanOrEqual(3) // the first, and those already taken
        expect(
          lines.every((line) => (line.error as { code?: string; message: string }).message.includes("ECONNREFUSED"))
        )
          .toBe(true)
      }).pipe(withEmulator({ generate: { count: 60, seed: 11 } })),
    90_000
  )

  it.scoped("--resume with a file that is not NDJSON output: exit 2 naming the file and line, nothing sent; a cut last line is tolerated", () =>
    Effect.gen(function*() {
      const [a, b, c] = ids(yield* inASubsequence)
      const text = yield* tempFile("run.txt", `removed       ${a}\nremoved           1\n`)
      const fromText = yield* remove(["--resume", text, "--output", "ndjson", a!, b!])
      expect(fromText).toMatchObject({ code: 2, stdout: "" })
      expect(fromText.stderr).toBe(
        `effect-instantly: --resume ${text}: line 1 is not an outcome of an --output ndjson run\n`
      )
      const garbage = yield* tempFile(
        "garbage.ndjson",
        `{"id":"${a}","index":0,"outcome":"Removed"}\n\n{"id":"${b}","index":1,"outcome":"Rem\n{"id":"x"}\n`
      )
      const fromGarbage = yield* remove(["--resume", garbage, a!, b!])
      expect(fromGarbage.code).toBe(2)
      expect(fromGarbage.stderr).toBe(
        `effect-instantly: --resume ${garbage}: line 3 is not an outcome of an --output ndjson run\n`
      )
      expect((yield* (yield* InstantlyEmulator).counters).requests).toBe(0)
      const cut = yield* tempFile(
        "cut.ndjson",
        `{"id":"${a}","index":0,"outcome":"Removed"}\n{"id":"${b}","index":1,"outc`
      )
      const resumed = yield* remove(["--resume", cut, "--output", "ndjson", a!, b!, c!])
      expect(resumed.code).toBe(0)
      expect(resumed.stderr).toContain(
        `effect-instantly: warning: --resume ${cut}: its last line (2) is cut off (a run stopped while writing it) ` +
          "and was ignored: its id is not skipped\n"
      )
      expect(resumed.stderr).toMatch(/^skipped\s+1 {2}done in the --resume file$/m)
      expect(ndjson(resumed.stdout).map((line) => line.id).sort()).toEqual([b, c].sort())
    }).pipe(withEmulator({ generate: { count: 10, seed: 12 } })))

  it.scoped("a second SIGINT stops at once: exit 130, the summary and a line saying the removals under way were abandoned", () =>
    Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      const all = ids(yield* leadsNow)
      const args = ["leads", "remove-from-subsequence", "--base-url", emulator.url, "--yes", "--output", "ndjson"]
      // Half the requests take 20 s: when the second SIGINT comes, some are surely under way.
      const run = yield* interrupted([...args, "--concurrency", "16", ...all], 3, [0, 300])
      expect(run.code).toBe(130)
      expect(run.stderr).toMatch(/^removed\s+\d+$/m)
      expect(run.stderr).toContain(
        "effect-instantly: stopped at once by a second signal (the first was SIGINT): the removals under way were abandoned " +
          "(Instantly may or may not have acted on them); the output holds every outcome that finished"
      )
      expect(ndjson(run.lines).every((line) => line.outcome === "Removed")).toBe(true)
    }).pipe(withEmulator({
      generate: { count: 60, seed: 13 },
      faults: { seed: 1, latency: { share: 0.5, min: "20 seconds", max: "20 seconds" } }
    })))

  it.scoped("stdout closed early (| head -1): the run stops taking ids, says how many outcomes were lost, exit 1", () =>
    Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      const cli = yield* Cli
      const all = ids(yield* leadsNow)
      const child = spawn(process.execPath, [
        cli.script,
        "leads",
        "remove-from-subsequence",
        "--base-url",
        emulator.url,
        "--yes",
        "--concurrency",
        "4",
        "--output",
        "ndjson",
        ...all
      ], { env: cli.env(), stdio: ["ignore", "pipe", "pipe"] })
      let stderr = ""
      child.stderr.setEncoding("utf8").on("data", (text: string) => stderr += text)
      // Read the first line, then close the pipe as head does.
      yield* Effect.promise(() => once(child.stdout, "data"))
      child.stdout.destroy()
      const [code] = yield* Effect.promise(() => once(child, "exit") as Promise<[number]>)
      expect(code).toBe(1)
      expect(stderr).toMatch(/^removed\s+\d+$/m)
      const lost =
        /^effect-instantly: stopped: stdout was closed \(its reader went away\), (\d+) outcomes could not be written; no other id was sent\n$/m
          .exec(stderr)
      expect(lost).not.toBeNull()
      expect(Number(lost![1])).toBeGreaterThanOrEqual(1)
      // It stopped taking ids: far from all of them were sent.
      expect(yield* removals).toBeLessThan(all.length)
    }).pipe(withEmulator({ generate: { count: 200, seed: 14 } })))

  it.scoped("--subsequence that is not an id: a usage error, exit 2, no summary, nothing sent", () =>
    Effect.gen(function*() {
      for (const given of ["nope", ""]) {
        const result = yield* remove(["--subsequence", given, "--yes"])
        expect(result).toEqual({
          code: 2,
          stdout: "",
          stderr: `effect-instantly: --subsequence must be a subsequence id (a UUID), got ${JSON.stringify(given)}\n`
        })
      }
      expect((yield* (yield* InstantlyEmulator).counters).requests).toBe(0)
    }).pipe(withEmulator({ generate: { count: 1, seed: 1 } })))

  it.scoped("an empty id gets an InvalidId outcome; the 50 removals are counted without the repeated and invalid ids", () =>
    Effect.gen(function*() {
      const all = ids(yield* leadsNow)
      // 50 unique ids, a repeat, an invalid and an empty id: 50 removals, no --yes needed.
      const fromArgs = yield* remove(["--output", "ndjson", ...all, all[0]!, "not-an-id", " "])
      expect(fromArgs.code).toBe(1)
      const lines = ndjson(fromArgs.stdout)
      expect(lines).toHaveLength(53)
      expect(lines.find((line) => line.index === 52)).toMatchObject({
        id: "",
        outcome: "InvalidId",
        error: { message: "empty id" }
      })
      expect(yield* removals).toBe(50)
      // A CSV row with an empty id cell, and one of 51 rows of ids: asks (so refuses without a terminal).
      const csv = yield* tempFile("leads.csv", "email,id\nolga@acme.com,\n" + all.map((id) => `x@y.z,${id}`).join("\n"))
      const fromCsv = yield* remove(["--file", csv, "--dry-run", "--output", "ndjson"])
      expect(ndjson(fromCsv.stdout).find((line) => line.index === 0)).toMatchObject({
        id: "",
        outcome: "InvalidId",
        error: { message: "empty id" }
      })
      expect(ndjson(fromCsv.stdout)).toHaveLength(51)
      const emails = yield* tempFile("emails.csv", "name,email\nOlga,\n")
      const fromEmails = yield* remove(["--file", emails, "--output", "ndjson"])
      expect(ndjson(fromEmails.stdout)).toEqual([{
        index: 0,
        outcome: "InvalidEmail",
        email: "",
        error: { _tag: "InstantlyInvalidInputError", message: "empty email" }
      }])
    }).pipe(withEmulator({ generate: { count: 50, seed: 15 } })))
})
