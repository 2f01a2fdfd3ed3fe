/**
 * Four OS processes, each removing its share of the leads through its own `InstantlyClient` (undici),
 * against one emulator served on a socket that enforces the workspace's limit for all of them: with
 * four in-process limiters the server answers 429s; with the limiter kept in Redis it never does;
 * with Redis stopped mid-run and started again, every lead is still removed exactly once.
 *
 * Scaled down from the 4 x 1,500 leads at 100/s and 6,000/min (`npm run bench:redis` runs that):
 * 4 x 15 leads at 20/s and 1,200/min, so a run takes about 3 s. Timings are printed, not asserted.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as RedisServer from "../utils/Redis.js"
import * as Workers from "../utils/Workers.js"

const size: Workers.Size = { processes: 4, perProcess: 15, perSecond: 20, fibers: 10 }
const everyProcess = <A>(value: A) => Array<A>(size.processes).fill(value)

describe.skipIf(!RedisServer.available)(
  `${size.processes} processes, one emulator on a socket, one workspace limit`,
  () => {
    it.live(
      "four in-process limiters draw 429s; shared through Redis: 0 x 429, every lead removed once; Redis stopped mid-run: every lead still removed exactly once, the fallback counted",
      () =>
        Effect.gen(function*() {
          const redis = yield* RedisServer.server
          const workers = yield* Workers.make(size.processes)
          const report = (name: string, outcome: Workers.Outcome) =>
            console.log(Workers.describeOutcome(name, size, outcome))

          // First, as it also warms up each process's HTTP path (cold, the first requests take hundreds of ms).
          const separate = yield* Workers.removeAll(workers, size, { kind: "in-process" })
          report("4 in-process limiters", separate)
          expect(separate.counters.rateLimited).toBeGreaterThan(0)
          expect(separate.run.results.reduce((sum, result) => sum + result.retriedFor429, 0)).toBe(
            separate.counters.rateLimited
          )

          const shared = yield* Workers.removeAll(workers, size, { kind: "redis", url: redis.url, workspace: "shared" })
          report("Redis limiter", shared)
          expect(shared.counters.rateLimited).toBe(0)
          expect(shared.run.results.map((result) => result.removed)).toEqual(everyProcess(size.perProcess))
          expect(shared.counters.operations.removeFromSubsequence).toBe(shared.leads)
          expect(shared.left).toBe(0)

          const stopped = yield* Workers.removeAll(
            workers,
            size,
            { kind: "redis", url: redis.url, workspace: "outage" },
            // Killed (its data lost) 1 s in, started again 1 s later.
            redis.outage("1 second", "1 second")
          )
          report("Redis stopped for 1 s", stopped)
          expect(stopped.run.results.map((result) => result.failed)).toEqual(everyProcess([]))
          expect(stopped.counters.operations.removeFromSubsequence).toBe(stopped.leads)
          expect(stopped.left).toBe(0)
          expect(stopped.run.results.map((result) => result.fallbacks >= 1)).toEqual(everyProcess(true))
          expect(stopped.run.stderr).toContain("falling back to the in-process limiter at 25% of the limits")
        }).pipe(Effect.scoped),
      90_000
    )
  }
)
