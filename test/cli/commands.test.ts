/**
 * The other commands of `effect-instantly` as an operator runs them (child processes against an
 * emulator served by the test): `leads get`, `leads move-to-subsequence`, `leads list`, `emulator`,
 * and `--help` and `--version`.
 */
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { stripVTControlCharacters } from "node:util"
import { version } from "../../src/index.js"
import { InstantlyEmulator, type InstantlyEmulatorServerOptions } from "../../src/InstantlyEmulator.js"
import { Cli, layer as cliLayer, ndjson } from "./cli.js"

const unknownId = "019cc043-0000-7000-8000-000000000000"

const withEmulator = (options: InstantlyEmulatorServerOptions) =>
  Effect.provide(Layer.orDie(InstantlyEmulator.layerServer(options)))

/** `leads <args>` against the emulator in context. */
const leads = (...args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const { url } = yield* InstantlyEmulator
    return yield* (yield* Cli).run(["leads", ...args, "--base-url", url])
  })

layer(cliLayer, { timeout: 120_000, excludeTestServices: true })("effect-instantly", (it) => {
  it.scoped("leads get: the lead as fields, or as Instantly's JSON; unknown exit 1, not a UUID exit 2", () =>
    Effect.gen(function*() {
      const [lead] = yield* (yield* InstantlyEmulator).leads
      const text = yield* leads("get", lead!.id)
      expect(text.code).toBe(0)
      expect(text.stdout).toContain(`id           ${lead!.id}\n`)
      expect(text.stdout).toContain(`email        ${lead!.email}\n`)
      expect(text.stdout).toContain(`subsequence  ${lead!.subsequence_id}\n`)
      const json = yield* leads("get", lead!.id, "--output", "ndjson")
      expect(ndjson(json.stdout)).toMatchObject([{ id: lead!.id, email: lead!.email, campaign: lead!.campaign }])
      const unknown = yield* leads("get", unknownId)
      expect(unknown).toMatchObject({ code: 1, stdout: "" })
      expect(unknown.stderr).toBe("effect-instantly: InstantlyNotFoundError (404): Resource not found\n")
      expect((yield* leads("get", "not-a-uuid")).code).toBe(2)
    }).pipe(withEmulator({ generate: { count: 3, seed: 1 } })))

  it.scoped("leads move-to-subsequence: the lead moves; an unknown subsequence exits 1", () =>
    Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      const lead = (yield* emulator.leads).find((l) => l.subsequence_id === null)!
      const [subsequence] = yield* emulator.subsequences
      const moved = yield* leads("move-to-subsequence", lead.id, "--subsequence", subsequence!.id)
      expect(moved.code).toBe(0)
      expect(moved.stdout).toContain(`subsequence  ${subsequence!.id}\n`)
      expect(Option.map(yield* emulator.lead(lead.id), (l) => l.subsequence_id)).toEqual(Option.some(subsequence!.id))
      const unknown = yield* leads("move-to-subsequence", lead.id, "--subsequence", unknownId)
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toContain("InstantlyNotFoundError (404)")
    }).pipe(withEmulator({ generate: { count: 5, seed: 2 } })))

  it.scoped("leads list: a table or NDJSON, by subsequence, email and limit", () =>
    Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      const all = yield* emulator.leads
      const [subsequence] = yield* emulator.subsequences
      const inIt = all.filter((lead) => lead.subsequence_id === subsequence!.id)
      const table = yield* leads("list", "--subsequence", subsequence!.id)
      expect(table.code).toBe(0)
      const rows = table.stdout.trimEnd().split("\n")
      expect(rows[0]).toMatch(/^ID\s+EMAIL\s+STATUS\s+SUBSEQUENCE$/)
      expect(rows.slice(1).map((row) => row.split(/\s+/)[0]).sort()).toEqual(inIt.map((lead) => lead.id).sort())
      const limited = yield* leads("list", "--output", "ndjson", "--limit", "7")
      expect(ndjson(limited.stdout).map((lead) => lead.id)).toEqual(
        all.map((lead) => lead.id).sort().slice(0, 7)
      )
      const byEmail = yield* leads("list", "--output", "ndjson", "--email", all[3]!.email!.toUpperCase())
      expect(ndjson(byEmail.stdout).map((lead) => lead.id)).toEqual(
        all.filter((lead) => lead.email === all[3]!.email).map((lead) => lead.id).sort()
      )
      expect((yield* leads("list", "--limit", "0")).code).toBe(2)
    }).pipe(withEmulator({ generate: { count: 30, seed: 3 } })))

  it.scoped("leads list: the header only with the first row; a bad --email or --subsequence is a usage error, exit 2", () =>
    Effect.gen(function*() {
      const { url } = yield* InstantlyEmulator
      const refused = yield* (yield* Cli).run(["leads", "list", "--base-url", url], {
        env: { INSTANTLY_API_KEY: "a-revoked-key" }
      })
      expect(refused).toMatchObject({ code: 1, stdout: "" })
      expect(refused.stderr).toContain("InstantlyAuthError (401)")
      const unknown = yield* leads("list", "--subsequence", unknownId)
      expect(unknown.code).toBe(1)
      expect(unknown.stdout).toBe("")
      expect(yield* leads("list", "--email", "notanemail")).toEqual({
        code: 2,
        stdout: "",
        stderr: "effect-instantly: --email must be an email address, got \"notanemail\"\n"
      })
      expect(yield* leads("list", "--subsequence", "nope")).toEqual({
        code: 2,
        stdout: "",
        stderr: "effect-instantly: --subsequence must be a subsequence id (a UUID), got \"nope\"\n"
      })
      expect((yield* (yield* InstantlyEmulator).counters).requests).toBe(2)
    }).pipe(withEmulator({ generate: { count: 3, seed: 5 } })))

  it.scoped("leads get trims the id as remove does", () =>
    Effect.gen(function*() {
      const [lead] = yield* (yield* InstantlyEmulator).leads
      const text = yield* leads("get", ` ${lead!.id} `)
      expect(text.code).toBe(0)
      expect(text.stdout).toContain(`id           ${lead!.id}\n`)
    }).pipe(withEmulator({ generate: { count: 1, seed: 7 } })))

  it.scoped("--help on every command, with an example; --version", () =>
    Effect.gen(function*() {
      const cli = yield* Cli
      const commands = [
        [],
        ["leads"],
        ["leads", "remove-from-subsequence"],
        ["leads", "get"],
        ["leads", "move-to-subsequence"],
        ["leads", "list"],
        ["emulator"]
      ]
      const helps = yield* Effect.forEach(commands, (command) => cli.run([...command, "--help"]), {
        concurrency: 2
      })
      for (const [i, help] of helps.entries()) {
        const text = stripVTControlCharacters(help.stdout)
        expect(help.code, commands[i]!.join(" ")).toBe(0)
        expect(text).toMatch(/EXAMPLES?\n\n\$ (INSTANTLY_API_KEY=\.\.\. )?effect-instantly /)
        expect(text).toContain(`$ ${commands[i]!.at(-1) ?? "effect-instantly"}`)
      }
      expect(stripVTControlCharacters(helps[2]!.stdout)).toContain("--resume file")
      const shown = yield* cli.run(["--version"])
      expect(shown.stdout.trim()).toBe(version)
    }))

  it.scoped("emulator: serves on its port, prints its URL and key, answers until SIGINT, exit 130", () =>
    Effect.gen(function*() {
      const running = yield* (yield* Cli).start(["emulator", "--port", "0", "--leads", "5", "--seed", "4"])
      const [first, second] = yield* running.lines.pipe(Stream.take(2), Stream.runCollect)
      const url = /^Instantly emulator on (http:\/\/127\.0\.0\.1:\d+): 5 leads \(seed 4\), rate limit 100\/s/.exec(
        first!
      )
        ?.[1]
      expect(url).toBeDefined()
      expect(second).toBe(`key:          ${InstantlyEmulator.defaultApiKey}`)
      const [lead] = InstantlyEmulator.generateLeads({ count: 1, seed: 4 })
      const answer = yield* Effect.promise(() =>
        fetch(`${url}/api/v2/leads/${lead!.id}`, {
          headers: { authorization: `Bearer ${InstantlyEmulator.defaultApiKey}` }
        }).then(async (response) => ({ status: response.status, body: await response.json() as { id: string } }))
      )
      expect(answer).toMatchObject({ status: 200, body: { id: lead!.id } })
      yield* running.kill("SIGINT")
      expect(yield* running.exitCode).toBe(130)
    }))
})
