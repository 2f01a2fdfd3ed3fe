/**
 * Several OS processes removing leads through their own clients against one emulator (served on a
 * socket by the caller), each a `RemovalWorker.ts`: the processes start once, then run jobs, all
 * starting together once every one has built its client, so that start-up is not timed. The worker
 * is bundled with esbuild first (our sources only; packages stay in node_modules): four processes
 * loading it through tsx took 8 s on 2 cores, bundled under 2 s.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Esbuild from "esbuild"
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import * as Readline from "node:readline"
import { fileURLToPath } from "node:url"
import * as InstantlyEmulator from "../../src/InstantlyEmulator.js"

/** What one process does: remove `ids` through `fibers` fibers, under `limits`, with this limiter. */
export interface Job {
  readonly baseUrl: string
  readonly apiKey: string
  readonly ids: ReadonlyArray<string>
  readonly fibers: number
  readonly limits: ReadonlyArray<{ readonly limit: number; readonly windowMillis: number }>
  readonly limiter:
    | {
      readonly kind: "redis"
      readonly url: string
      readonly workspace: string
      readonly fallbackShare: number
      readonly probeMillis: number
    }
    | { readonly kind: "in-process" }
}

/** What one process reports. */
export interface Result {
  readonly removed: number
  /** The tags of the errors of calls that failed. */
  readonly failed: ReadonlyArray<string>
  /** Retries after a 429 (`instantly_retries_total{reason="429"}`). */
  readonly retriedFor429: number
  /** `instantly_rate_limiter_fallback_total` during the job. */
  readonly fallbacks: number
  readonly millis: number
}

/** A process and its lines. */
interface Worker {
  readonly child: ChildProcessWithoutNullStreams
  readonly next: () => Promise<unknown>
  /** What it wrote on stderr (warnings) so far. */
  readonly stderr: Array<string>
}

/** Bundles the worker where its imports of packages resolve (under node_modules); answers its path. */
const bundle = Effect.promise(async () => {
  const outfile = fileURLToPath(
    new URL("../../node_modules/.cache/effect-instantly/RemovalWorker.mjs", import.meta.url)
  )
  await Esbuild.build({
    entryPoints: [fileURLToPath(new URL("./RemovalWorker.ts", import.meta.url))],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    logLevel: "warning"
  })
  return outfile
})

const start = (script: string): Worker => {
  const child = spawn(process.execPath, [script], { stdio: ["pipe", "pipe", "pipe"] })
  const lines = Readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const stderr: Array<string> = []
  child.stderr.on("data", (data: Buffer) => stderr.push(data.toString()))
  const next = async () => {
    const line = await lines.next()
    if (line.done === true) throw new Error(`a worker exited (${child.exitCode}): ${stderr.join("")}`)
    return JSON.parse(String(line.value)) as unknown
  }
  return { child, next, stderr }
}

const stop = (worker: Worker): Promise<void> =>
  new Promise((resolve) => {
    if (worker.child.exitCode !== null) return resolve()
    worker.child.once("exit", () => resolve())
    worker.child.stdin.end()
    setTimeout(() => worker.child.kill("SIGKILL"), 5_000).unref()
  })

/** A run: each process's result, its stderr during the job, and the time from `go` to the last one done. */
export interface Run {
  readonly results: ReadonlyArray<Result>
  readonly stderr: string
  readonly millis: number
}

/** `count` worker processes, stopped when the scope closes. */
export const make = (count: number) =>
  Effect.map(
    Effect.acquireRelease(
      Effect.map(bundle, (script) => Array.from({ length: count }, () => start(script))),
      (workers) => Effect.promise(() => Promise.all(workers.map(stop)))
    ),
    (workers) => ({
      /**
       * Gives each process its job, starts them all at once when all are ready, and waits for all;
       * `during` runs (in the parent) while they work.
       */
      run: (jobs: ReadonlyArray<Job>, during: Effect.Effect<void> = Effect.void) =>
        Effect.gen(function*() {
          for (const worker of workers) worker.stderr.length = 0
          yield* Effect.promise(() =>
            Promise.all(workers.map((worker, i) => {
              worker.child.stdin.write(JSON.stringify(jobs[i]) + "\n")
              return worker.next()
            }))
          )
          const begin = performance.now()
          for (const worker of workers) worker.child.stdin.write("go\n")
          const [answers] = yield* Effect.all([
            Effect.promise(() => Promise.all(workers.map((worker) => worker.next()))),
            during
          ], { concurrency: "unbounded" })
          const millis = performance.now() - begin
          const results = answers.map((answer) => (answer as { readonly done: Result }).done)
          return { results, millis, stderr: workers.map((worker) => worker.stderr.join("")).join("") } satisfies Run
        })
    })
  )

/** The size of a multi-process run: `processes` x `perProcess` leads against a workspace limit of `perSecond` and 60 times that a minute. */
export interface Size {
  readonly processes: number
  readonly perProcess: number
  readonly perSecond: number
  /** Concurrent calls in each process. */
  readonly fibers: number
}

/** Where a run's limit lives: a Redis (URL, workspace), or each process's own in-process limiter. */
export type Limiter =
  | { readonly kind: "redis"; readonly url: string; readonly workspace: string }
  | { readonly kind: "in-process" }

/** What a run did, as the processes and the emulator saw it. */
export interface Outcome {
  readonly run: Run
  readonly counters: InstantlyEmulator.Counters
  /** Leads still in a subsequence after the run. */
  readonly left: number
  readonly leads: number
  /** The leads divided by the per-second limit: the least time the server's limit allows over a long run. */
  readonly idealMillis: number
}

/**
 * One run: a fresh emulator on a socket (limits of `size`), its leads split between the processes,
 * each removing its share through its own client under `limiter`; `during` runs in this process
 * meanwhile (e.g. stopping Redis).
 */
export const removeAll = (
  workers: Effect.Effect.Success<ReturnType<typeof make>>,
  size: Size,
  limiter: Limiter,
  during?: Effect.Effect<void>
): Effect.Effect<Outcome> =>
  Effect.gen(function*() {
    const emulator = yield* InstantlyEmulator.InstantlyEmulator
    const ids = (yield* emulator.leads).map((lead) => lead.id)
    const jobs = Array.from({ length: size.processes }, (_, n): Job => ({
      baseUrl: emulator.url,
      apiKey: InstantlyEmulator.defaultApiKey,
      ids: ids.slice(n * size.perProcess, (n + 1) * size.perProcess),
      fibers: size.fibers,
      limits: [{ limit: size.perSecond, windowMillis: 1_000 }, { limit: size.perSecond * 60, windowMillis: 60_000 }],
      limiter: limiter.kind === "redis"
        ? { ...limiter, fallbackShare: 1 / size.processes, probeMillis: 200 }
        : limiter
    }))
    const run = yield* workers.run(jobs, during)
    const counters = yield* emulator.counters
    const left = (yield* emulator.leads).filter((lead) => lead.subsequence_id !== null).length
    return { run, counters, left, leads: ids.length, idealMillis: (ids.length / size.perSecond) * 1_000 }
  }).pipe(
    Effect.provide(Layer.orDie(InstantlyEmulator.InstantlyEmulator.layerServer({
      leads: InstantlyEmulator.generateLeads({ count: size.processes * size.perProcess, seed: 13 }),
      rateLimit: { perSecond: size.perSecond, perMinute: size.perSecond * 60 }
    }))),
    Effect.scoped
  )

/** One line about a run: its size, time against the ideal, and the 429s the server answered. */
export const describeOutcome = (name: string, size: Size, outcome: Outcome): string =>
  `${name}: ${size.processes} x ${size.perProcess} removals at ${size.perSecond}/s in ` +
  `${Math.round(outcome.run.millis)} ms (ideal ${outcome.idealMillis} ms, ` +
  `${(outcome.run.millis / outcome.idealMillis).toFixed(2)}x), ${outcome.counters.rateLimited} x 429`
