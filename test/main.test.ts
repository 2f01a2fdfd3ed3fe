/**
 * The main job, `npm start` (`tsx examples/main.ts`), run as a child process the way a user runs it.
 * The `--live` runs point INSTANTLY_BASE_URL at an emulator: no test ever calls the real API.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { InstantlyEmulator } from "../src/InstantlyEmulator.js"

const root = fileURLToPath(new URL("..", import.meta.url))
const tsx = fileURLToPath(new URL("../node_modules/tsx/dist/cli.mjs", import.meta.url))

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `tsx examples/main.ts ...args` with INSTANTLY_* taken from `env` only. */
const start = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.async<Run>((resume) => {
    const { INSTANTLY_API_KEY: _, INSTANTLY_BASE_URL: __, ...inherited } = process.env
    const child = execFile(
      process.execPath,
      [tsx, "examples/main.ts", ...args],
      { cwd: root, env: { ...inherited, ...env }, timeout: 25_000 },
      (error, stdout, stderr) => resume(Effect.succeed({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }))
    )
    return Effect.sync(() => child.kill())
  })

const count = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN)

describe("npm start", () => {
  it.live("against the emulator: shows the lead, removes it, reads it back, a 404 and a burst over the limit", () =>
    Effect.gen(function*() {
      const run = yield* start([], { INSTANTLY_API_KEY: "set-but-unused-without---live" })
      expect(run.stderr).toBe("")
      expect(run.code).toBe(0)
      const lines = run.stdout.split("\n")
      expect(lines[0]).toBe("(INSTANTLY_API_KEY is set but not used: pass --live to call the real API)")
      expect(run.stdout).toMatch(/^Instantly emulator on http:\/\/127\.0\.0\.1:\d+: 5 leads, rate limit 10\/s$/m)
      expect(run.stdout).toMatch(/^1\. get .* is in subsequence [0-9a-f-]{36} since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/m)
      expect(run.stdout).toMatch(/^2\. remove +done: in no subsequence now/m)
      expect(run.stdout).toMatch(/^3\. get again +read back: in no subsequence$/m)
      expect(run.stdout).toMatch(/^4\. unknown id +InstantlyNotFoundError \(404\): "Resource not found"$/m)
      // Whether 429s reach the caller or are retried away, the burst is handled and accounted for.
      const ok = count(run.stdout, /30 reads at once: (\d+) ok/)
      const limited = count(run.stdout, /(\d+) caught as InstantlyRateLimitError/)
      expect(ok + limited).toBe(30)
      expect(count(run.stdout, /answered (\d+) of them 429/)).toBeGreaterThanOrEqual(Math.max(limited, 1))
    }))

  it.live("--live calls the API at INSTANTLY_BASE_URL with INSTANTLY_API_KEY, on the lead given", () =>
    Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      const [lead] = yield* emulator.leads
      const run = yield* start(["--live", "--lead", lead!.id], {
        INSTANTLY_API_KEY: "live-key",
        INSTANTLY_BASE_URL: emulator.url
      })
      expect(run.code).toBe(0)
      expect(run.stdout).toContain(`Instantly API at ${emulator.url}, lead ${lead!.id}`)
      expect(run.stdout).toMatch(/^5\. burst +skipped/m)
      // get, remove, get, and the unknown id's get, which is no operation (404).
      const counters = yield* emulator.counters
      expect(counters.requests).toBe(4)
      expect(counters.operations).toEqual({
        removeFromSubsequence: 1,
        moveToSubsequence: 0,
        get: 2,
        list: 0,
        getSubsequence: 0
      })
      expect(counters.responses).toEqual({ 200: 3, 404: 1 })
      const after = yield* emulator.lead(lead!.id)
      expect(after._tag === "Some" && after.value.subsequence_id).toBeNull()
    }).pipe(Effect.provide(InstantlyEmulator.layerServer({ apiKeys: [{ key: "live-key", scopes: ["all:all"] }] }))))

  it.live("--live without INSTANTLY_API_KEY, or without --lead, refuses and sends nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      const runs = yield* Effect.all([
        start(["--live", "--lead", "019cc043-0000-7000-8000-000000000000"], { INSTANTLY_BASE_URL: emulator.url }),
        start(["--live"], { INSTANTLY_API_KEY: "live-key", INSTANTLY_BASE_URL: emulator.url })
      ], { concurrency: 2 })
      for (const run of runs) {
        expect(run.code).toBe(1)
        expect(run.stderr).toContain("--live needs INSTANTLY_API_KEY set and --lead <id>")
        expect(run.stdout).toBe("")
      }
      expect((yield* emulator.counters).requests).toBe(0)
    }).pipe(Effect.provide(InstantlyEmulator.layerServer())))
})
