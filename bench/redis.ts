/**
 * What the limiter kept in Redis costs and what it achieves, against a local `redis-server` started
 * on a free port (it must be installed: `apt-get install redis-server`).
 *
 * 1. Cost per `acquire` (slot granted and released at once, limits too high to wait): the in-process
 *    limiter, the Redis limiter, and a bare `PING` round trip for scale; medians over rounds.
 * 2. Grants per second with limits too high to wait: one limiter with 50 fibers, four with 50 each.
 * 3. The run: 4 OS processes x 1,500 leads, each through its own client (undici), against one
 *    emulator on a socket enforcing 100/s and 6,000/min: four in-process limiters, then the Redis
 *    limiter (fails unless 0 x 429 and at most 1.1x the ideal time, the leads over the per-second limit),
 *    then, with `--outage`, the Redis limiter with Redis killed 20 s in and started 5 s later.
 *
 * Run with `npm run bench:redis` (options: `--rounds 7 --calls 2000 --per-process 1500 --outage`,
 * `--no-run` for parts 1 and 2 only).
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { Redis } from "ioredis"
import { parseArgs } from "node:util"
import { RateLimiter } from "../src/index.js"
import * as RedisServer from "../test/utils/Redis.js"
import * as Workers from "../test/utils/Workers.js"

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "7" },
    calls: { type: "string", default: "2000" },
    "per-process": { type: "string", default: "1500" },
    outage: { type: "boolean", default: false },
    "no-run": { type: "boolean", default: false }
  }
})
const rounds = Number(values.rounds)
const calls = Number(values.calls)
const noWait = [{ limit: 1_000_000_000, window: "1 second" }] as const

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const micros = (millis: number) => `${(millis * 1_000).toFixed(0)} µs`

/** Milliseconds per run of `self`, over `calls` sequential runs. */
const perCall = <E, R>(self: Effect.Effect<unknown, E, R>) =>
  Effect.gen(function*() {
    const start = performance.now()
    for (let i = 0; i < calls; i++) yield* self
    return (performance.now() - start) / calls
  })

/** Slots granted per second by `limiters`, each with `fibers` fibers taking and releasing slots, over `millis`. */
const grantsPerSecond = (limiters: ReadonlyArray<RateLimiter.RateLimiter>, fibers: number, millis: number) =>
  Effect.gen(function*() {
    let granted = 0
    const loops = limiters.flatMap((limiter) =>
      Array.from(
        { length: fibers },
        () => Effect.forever(Effect.scoped(Effect.zipRight(limiter.acquire(), Effect.sync(() => granted++))))
      )
    )
    const fiber = yield* Effect.fork(Effect.all(loops, { concurrency: "unbounded", discard: true }))
    yield* Effect.sleep(millis)
    yield* Fiber.interrupt(fiber)
    return (granted / millis) * 1_000
  })

const program = Effect.gen(function*() {
  const server = yield* RedisServer.server
  const raw = yield* Effect.acquireRelease(
    Effect.sync(() => new Redis(server.url).on("error", () => undefined)),
    (redis) => Effect.sync(() => redis.disconnect())
  )
  console.log(`redis-server on ${server.url}; ${rounds} rounds of ${calls} sequential calls`)

  const inProcess = yield* RateLimiter.make({ limits: noWait })
  const viaRedis = yield* RateLimiter.makeRedis({ workspace: "bench-cost", url: server.url, limits: noWait })
  const acquire = (limiter: RateLimiter.RateLimiter) => Effect.scoped(limiter.acquire())
  const ping = Effect.promise(() => raw.ping())
  const samples = { inProcess: [] as Array<number>, redis: [] as Array<number>, ping: [] as Array<number> }
  for (let round = 0; round < rounds; round++) {
    samples.inProcess.push(yield* perCall(acquire(inProcess)))
    samples.redis.push(yield* perCall(acquire(viaRedis)))
    samples.ping.push(yield* perCall(ping))
  }
  console.log(`\n1. Cost per acquire (slot granted and released, no wait), medians:`)
  console.log(`   in-process limiter       ${micros(median(samples.inProcess))}`)
  console.log(`   Redis limiter            ${micros(median(samples.redis))}`)
  console.log(`   bare PING round trip     ${micros(median(samples.ping))}`)
  console.log(`   added by Redis           ${micros(median(samples.redis) - median(samples.inProcess))} per acquire`)

  const four = yield* Effect.all(
    Array.from(
      { length: 4 },
      () => RateLimiter.makeRedis({ workspace: "bench-throughput", url: server.url, limits: noWait })
    )
  )
  console.log(`\n2. Grants per second with limits too high to wait (2 s each):`)
  console.log(`   1 limiter, 50 fibers     ${(yield* grantsPerSecond([viaRedis], 50, 2_000)).toFixed(0)}/s`)
  console.log(`   4 limiters, 50 fibers    ${(yield* grantsPerSecond(four, 50, 2_000)).toFixed(0)}/s`)
  if (values["no-run"]) return true

  const size: Workers.Size = { processes: 4, perProcess: Number(values["per-process"]), perSecond: 100, fibers: 50 }
  const workers = yield* Workers.make(size.processes)
  console.log(`\n3. ${size.processes} processes x ${size.perProcess} removals, emulator at 100/s and 6,000/min:`)
  const separate = yield* Workers.removeAll(workers, size, { kind: "in-process" })
  console.log(`   ${Workers.describeOutcome("4 in-process limiters", size, separate)}`)
  const shared = yield* Workers.removeAll(workers, size, { kind: "redis", url: server.url, workspace: "bench-run" })
  console.log(`   ${Workers.describeOutcome("Redis limiter", size, shared)}`)
  const ratio = shared.run.millis / shared.idealMillis
  const ok = shared.counters.rateLimited === 0 && ratio <= 1.1 && shared.left === 0
  console.log(`   Redis limiter: ${ok ? "OK" : "FAILED"} (0 x 429 and at most 1.1x the ideal time)`)
  if (values.outage) {
    const stopped = yield* Workers.removeAll(
      workers,
      size,
      { kind: "redis", url: server.url, workspace: "bench-outage" },
      server.outage("20 seconds", "5 seconds")
    )
    const fallbacks = stopped.run.results.map((result) => result.fallbacks).join(", ")
    console.log(`   ${Workers.describeOutcome("Redis killed 20 s in for 5 s", size, stopped)}`)
    console.log(
      `   removed ${stopped.counters.operations.removeFromSubsequence} of ${stopped.leads}, ` +
        `${stopped.left} left, fallbacks per process: ${fallbacks}`
    )
  }
  return ok
})

const ok = await Effect.runPromise(Effect.scoped(program))
process.exit(ok ? 0 : 1)
