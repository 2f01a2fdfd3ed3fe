/**
 * The limiter kept in Redis, against a real `redis-server` on a free loopback port: several limiter
 * instances (as several processes would) sharing one Redis. Redis's clock cannot be a `TestClock`, so
 * these run on real time with short windows (20 per 200 ms and the like), and check invariants, never
 * speed.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Scope from "effect/Scope"
import { Redis } from "ioredis"
import { InstantlyMetrics, RateLimiter } from "../src/index.js"
import { withRecordedLogs } from "./utils/Logs.js"
import * as RedisServer from "./utils/Redis.js"
import { maxInWindow, maxMeeting } from "./utils/Windows.js"

class Server extends Context.Tag("test/RedisServer")<Server, RedisServer.RedisServer>() {}

/** A raw client, to look at what the limiter wrote. */
const rawClient = (url: string) =>
  Effect.acquireRelease(
    Effect.sync(() => new Redis(url).on("error", () => undefined)),
    (redis) => Effect.sync(() => redis.disconnect())
  )

let workspaces = 0
/** A workspace no other test uses, so tests sharing the server do not share a limit. */
const freshWorkspace = () => `test-${process.pid}-${workspaces++}`

/** A limiter on the test's server. */
const limiterOn = (
  url: string,
  options: Omit<RateLimiter.RedisRateLimitOptions, "workspace"> & { readonly workspace: string }
) => RateLimiter.makeRedis({ ...options, url })

/** Milliseconds on a clock every limiter in this process shares. */
const clock = () => performance.now()

/** Holds a slot `latency` ms (the request's round trip): when it was granted and when answered. */
const hold = (limiter: RateLimiter.RateLimiter, latency: number, options?: RateLimiter.AcquireOptions) =>
  Effect.scoped(Effect.gen(function*() {
    yield* limiter.acquire(options)
    const start = clock()
    if (latency > 0) yield* Effect.sleep(Duration.millis(latency))
    return { start, end: clock() }
  }))

const slotsKey = (workspace: string) => `effect-instantly:{${workspace}}:slots`

it("an ioredis client is a RateLimiter.RedisClient as it is (checked by the compiler)", () => {
  const client: RateLimiter.RedisClient = new Redis({ lazyConnect: true })
  expect(typeof client.evalsha).toBe("function")
})

describe("RateLimiter.layerRedisConfig and layerRedis: configuration checked when the layer is built", () => {
  const withEnv = (env: Record<string, string>) =>
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  const buildError = (env: Record<string, string>) =>
    Layer.build(RateLimiter.layerRedisConfig()).pipe(Effect.scoped, withEnv(env), Effect.flip, Effect.map(String))

  it.effect("a URL that is not redis:// is a ConfigError naming INSTANTLY_REDIS_URL, never showing the password", () =>
    Effect.gen(function*() {
      const withPassword = yield* buildError({ INSTANTLY_REDIS_URL: "http://:hunter2@cache:6379" })
      expect(withPassword).toContain("INSTANTLY_REDIS_URL must be a redis:// or rediss:// URL")
      expect(withPassword).not.toContain("hunter2")
      const hostOnly = yield* buildError({ INSTANTLY_REDIS_URL: "cache:6379" })
      expect(hostOnly).toContain(`INSTANTLY_REDIS_URL must be a redis:// or rediss:// URL`)
      expect(yield* buildError({ INSTANTLY_REDIS_URL: "redis://cache:6379/zero" })).toContain("database number")
      expect(yield* buildError({ INSTANTLY_REDIS_URL: " " })).toContain("INSTANTLY_REDIS_URL is empty")
    }))

  it.effect("a missing INSTANTLY_REDIS_URL says so plainly; a workspace with braces names INSTANTLY_WORKSPACE", () =>
    Effect.gen(function*() {
      expect(yield* buildError({})).toContain("INSTANTLY_REDIS_URL is not set")
      const workspace = yield* buildError({ INSTANTLY_REDIS_URL: "redis://cache", INSTANTLY_WORKSPACE: "a}b" })
      expect(workspace).toContain("INSTANTLY_WORKSPACE workspace must not hold { or }")
    }))

  it.effect("layerRedis with a bad url or option is a defect naming it, never showing the password", () =>
    Effect.gen(function*() {
      const defect = (options: Parameters<typeof RateLimiter.layerRedis>[0]) =>
        Effect.map(Effect.exit(Effect.scoped(Layer.build(RateLimiter.layerRedis(options)))), (exit) => {
          expect(Exit.isFailure(exit) && exit.cause._tag === "Die").toBe(true)
          return String(Exit.isFailure(exit) && exit.cause._tag === "Die" ? exit.cause.defect : "")
        })
      const url = yield* defect({ workspace: "w", url: "mysql://root:hunter2@db" })
      expect(url).toContain("url must be a redis://")
      expect(url).not.toContain("hunter2")
      expect(yield* defect({ workspace: " ", url: "redis://cache" })).toContain("workspace is empty")
      expect(yield* defect({ workspace: "w", url: "redis://cache", fallbackShare: 0 })).toContain("fallbackShare")
      expect(yield* defect({ workspace: "w", url: "redis://cache", lease: "0 millis" })).toContain("lease")
      expect(yield* defect({ workspace: "w", url: "redis://cache", timeout: "soon" as never })).toContain(
        "timeout must be a positive, finite duration"
      )
    }))
})

describe.skipIf(!RedisServer.available)("RateLimiter.makeRedis against a real redis-server", () => {
  layer(Layer.scoped(Server, RedisServer.server), { timeout: 20_000, excludeTestServices: true })((it) => {
    it.scoped("three limiters on one Redis keep 20 per 200 ms over any sliding window, slots in flight and released less than a window ago counted", () =>
      Effect.gen(function*() {
        const { url } = yield* Server
        const workspace = freshWorkspace()
        const limits = [{ limit: 20, window: "200 millis" }] as const
        const limiters = yield* Effect.all(Array.from({ length: 3 }, () => limiterOn(url, { workspace, limits })))
        // Deterministic, uneven latencies: a few slow answers among fast ones.
        const latency = (i: number) => (i * 7919) % 11 === 0 ? 60 : (i * 104_729) % 23
        const slots = yield* Effect.forEach(
          limiters,
          (limiter, n) =>
            Effect.forEach(Array.from({ length: 30 }, (_, i) => i), (i) => hold(limiter, latency(i * 3 + n)), {
              concurrency: 10
            }),
          { concurrency: "unbounded" }
        ).pipe(Effect.map((perLimiter) => perLimiter.flat()))
        expect(slots).toHaveLength(90)
        // A server could have counted each request anywhere between its grant and its answer.
        expect(maxMeeting(slots, 200)).toBeLessThanOrEqual(20)
        // And the limit was reached, not kept by accident: (nearly) the first 20 went at once.
        expect(maxInWindow(slots.map((slot) => slot.start), 200)).toBeGreaterThanOrEqual(15)
      }))

    it.scoped("another workspace on the same Redis has its own limit", () =>
      Effect.gen(function*() {
        const { url } = yield* Server
        const limits = [{ limit: 2, window: "10 seconds" }] as const
        const a = yield* limiterOn(url, { workspace: freshWorkspace(), limits })
        const b = yield* limiterOn(url, { workspace: freshWorkspace(), limits })
        yield* Effect.all([hold(a, 0), hold(a, 0)])
        const waiting = yield* Effect.fork(hold(a, 0))
        // b is granted at once although a's limit is full for ten seconds.
        expect(Duration.toMillis(yield* Effect.scoped(b.acquire()))).toBeLessThan(5_000)
        expect((yield* Fiber.poll(waiting))._tag).toBe("None")
        yield* Fiber.interrupt(waiting)
      }))

    it.scoped("a slot held past its lease is renewed: the other process waits for its release, then a window", () =>
      Effect.gen(function*() {
        const { url } = yield* Server
        const workspace = freshWorkspace()
        const limits = [{ limit: 1, window: "100 millis" }] as const
        const a = yield* limiterOn(url, { workspace, limits, lease: "300 millis" })
        const b = yield* limiterOn(url, { workspace, limits, lease: "300 millis" })
        const held = yield* Effect.fork(hold(a, 1_000))
        yield* Effect.sleep("20 millis")
        const next = yield* hold(b, 0)
        const { end } = yield* Fiber.join(held)
        // Without renewal the lease would have run out at 300 ms and b gone at about 400 ms.
        expect(next.start - end).toBeGreaterThanOrEqual(99)
      }))

    it.scoped("the slot of a process that died stops counting one lease and one window after its grant", () =>
      Effect.gen(function*() {
        const { url } = yield* Server
        const workspace = freshWorkspace()
        const limits = [{ limit: 1, window: "100 millis" }] as const
        const deadScope = yield* Scope.make()
        const dead = yield* Scope.extend(limiterOn(url, { workspace, limits, lease: "300 millis" }), deadScope)
        // Granted and never released: the scope of the slot is never closed.
        yield* Scope.extend(dead.acquire(), yield* Scope.make())
        const granted = clock()
        yield* Scope.close(deadScope, Exit.void)
        const b = yield* limiterOn(url, { workspace, limits })
        const next = yield* hold(b, 0).pipe(Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => "stuck" }))
        expect(next.start - granted).toBeGreaterThanOrEqual(390)
      }))

    it.scoped("a pause from one process holds back the others, and pauses take the latest end, never add up", () =>
      Effect.gen(function*() {
        const { url } = yield* Server
        const workspace = freshWorkspace()
        const a = yield* limiterOn(url, { workspace })
        const b = yield* limiterOn(url, { workspace })
        const redis = yield* rawClient(url)
        yield* a.pause(Duration.millis(300))
        yield* b.pause(Duration.millis(100))
        const left = yield* Effect.promise(() => redis.pttl(`effect-instantly:{${workspace}}:pause`))
        expect(left).toBeGreaterThan(150)
        expect(left).toBeLessThanOrEqual(301)
        const waited = yield* Effect.scoped(b.acquire())
        expect(Duration.toMillis(waited)).toBeGreaterThanOrEqual(150)
      }))

    it.scoped("waiters of one process: interactive before background, first come first served within a lane", () =>
      Effect.gen(function*() {
        const { url } = yield* Server
        const limiter = yield* limiterOn(url, {
          workspace: freshWorkspace(),
          limits: [{ limit: 1, window: "50 millis" }]
        })
        yield* hold(limiter, 0)
        const order: Array<string> = []
        const send = (name: string, priority: RateLimiter.Priority) =>
          Effect.fork(Effect.zipRight(hold(limiter, 0, { priority }), Effect.sync(() => order.push(name))))
        const fibers = [
          yield* send("b1", "background"),
          yield* send("b2", "background"),
          yield* send("b3", "background")
        ]
        yield* Effect.sleep("10 millis")
        fibers.push(yield* send("i1", "interactive"))
        yield* Fiber.joinAll(fibers)
        expect(order).toEqual(["i1", "b1", "b2", "b3"])
      }))

    it.scoped("waiters interrupted take nothing with them: no slot in Redis, and the next in line goes in their place", () =>
      Effect.gen(function*() {
        const { url } = yield* Server
        const workspace = freshWorkspace()
        const limiter = yield* limiterOn(url, { workspace, limits: [{ limit: 2, window: "150 millis" }] })
        const redis = yield* rawClient(url)
        yield* Effect.all([hold(limiter, 0), hold(limiter, 0)], { concurrency: 2 })
        const waiting = yield* Effect.fork(Effect.all(Array.from({ length: 5 }, () => hold(limiter, 0)), {
          concurrency: "unbounded"
        }))
        yield* Effect.sleep("30 millis")
        yield* Fiber.interrupt(waiting)
        expect(yield* Effect.promise(() => redis.zcard(slotsKey(workspace)))).toBe(2)
        // Had an interrupted waiter stayed first in line, this one would never be served.
        const next = yield* hold(limiter, 0).pipe(
          Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => "stuck" })
        )
        expect(next.end).toBeGreaterThanOrEqual(next.start)
      }))

    it.scoped("a grant whose answer comes after the waiter was interrupted goes back to Redis", () =>
      Effect.gen(function*() {
        const { url } = yield* Server
        const workspace = freshWorkspace()
        const redis = yield* rawClient(url)
        // A client whose answers arrive 200 ms late (Redis has done the work already).
        const late = (answer: Promise<unknown>) =>
          answer.then((value) => new Promise((resolve) => setTimeout(() => resolve(value), 200)))
        const slow: RateLimiter.RedisClient = {
          evalsha: (...args) => late(redis.evalsha(...args)),
          eval: (...args) => late(redis.eval(...args))
        }
        const limiter = yield* RateLimiter.makeRedis({ workspace, client: slow })
        const waiting = yield* Effect.fork(Effect.scoped(limiter.acquire()))
        yield* Effect.sleep("100 millis")
        // Granted in Redis, the answer still on its way.
        expect(yield* Effect.promise(() => redis.zcard(slotsKey(workspace)))).toBe(1)
        yield* Fiber.interrupt(waiting)
        yield* Effect.sleep("300 millis")
        expect(yield* Effect.promise(() => redis.zcard(slotsKey(workspace)))).toBe(0)
      }))
  })

  it.live(
    "Redis stopped: the limiter goes on in-process at its share, warns once, counts the fallback; started again: back to Redis with what it did meanwhile",
    () =>
      Effect.gen(function*() {
        const server = yield* RedisServer.server
        const workspace = freshWorkspace()
        const redis = yield* rawClient(server.url)
        const password = "hunter2-not-logged"
        const limiter = yield* limiterOn(server.url.replace("redis://", `redis://:${password}@`), {
          workspace,
          limits: [{ limit: 20, window: "200 millis" }],
          fallbackShare: 0.25,
          probeInterval: "50 millis"
        })
        const fallbacks = Effect.map(Metric.value(InstantlyMetrics.rateLimiterFallback), (state) => state.count)
        const before = yield* fallbacks
        const send = (count: number) =>
          Effect.forEach(Array.from({ length: count }, (_, i) => i), () => hold(limiter, 2), { concurrency: 5 })
        yield* send(10)
        expect(yield* Effect.promise(() => redis.zcard(slotsKey(workspace)))).toBe(10)

        yield* server.stop
        const during = yield* send(15)
        // 25% of 20 per 200 ms while Redis is away.
        expect(maxMeeting(during, 200)).toBeLessThanOrEqual(5)
        expect((yield* fallbacks) - before).toBe(1)

        yield* server.start
        // Back once a probe finds it (every 50 ms): then grants are recorded in Redis again (it restarted empty).
        const recorded = Effect.zipRight(send(1), Effect.promise(() => redis.zcard(slotsKey(workspace))))
        const members = yield* recorded.pipe(
          Effect.repeat({ until: (count) => count > 0 }),
          Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => "never back to Redis" })
        )
        expect(members).toBeGreaterThan(0)
        expect((yield* fallbacks) - before).toBe(1)
      }).pipe(
        withRecordedLogs,
        Effect.map(([_, lines]) => {
          const warnings = lines.filter((line) => line.level === "WARN")
          expect(warnings).toHaveLength(1)
          expect(warnings[0]!.message).toContain("falling back to the in-process limiter at 25% of the limits")
          expect(lines.some((line) => line.level === "INFO" && line.message.includes("is back"))).toBe(true)
          expect(JSON.stringify(lines)).not.toContain("hunter2")
        }),
        Effect.scoped
      ),
    20_000
  )

  it.live.each([
    ["a wrong password", ":WRONG-hunter3@"],
    ["no password", ""]
  ])(
    "Redis that requires a password, given %s: the warning says authentication failed (never the password), calls go through the fallback",
    ([, credentials]) =>
      Effect.gen(function*() {
        const server = yield* RedisServer.serverWith(["--requirepass", "right-password"])
        const limiter = yield* limiterOn(server.url.replace("redis://", `redis://${credentials}`), {
          workspace: freshWorkspace(),
          limits: [{ limit: 8, window: "100 millis" }],
          timeout: "200 millis",
          probeInterval: "50 millis"
        })
        const slots = yield* Effect.forEach(Array.from({ length: 6 }, (_, i) => i), () => hold(limiter, 0), {
          concurrency: 6
        })
        expect(slots).toHaveLength(6)
        // Probes keep failing: still in fallback, still one warning.
        yield* Effect.sleep("200 millis")
        expect(yield* hold(limiter, 0)).toBeDefined()
      }).pipe(
        withRecordedLogs,
        Effect.map(([_, lines]) => {
          const warnings = lines.filter((line) => line.level === "WARN")
          expect(warnings).toHaveLength(1)
          expect(warnings[0]!.message).toContain(
            "refused the connection: authentication failed: check the password in INSTANTLY_REDIS_URL; falling back"
          )
          expect(warnings[0]!.message).not.toContain("cannot be reached")
          expect(JSON.stringify(lines)).not.toContain("hunter3")
          expect(lines.some((line) => line.level === "INFO" && line.message.includes("is back"))).toBe(false)
        }),
        Effect.scoped
      ),
    20_000
  )

  it.live("Redis down when the layer is built: requests still go, through the in-process limiter", () =>
    Effect.gen(function*() {
      const port = yield* Effect.promise(RedisServer.freePort)
      const limiter = yield* limiterOn(`redis://127.0.0.1:${port}`, {
        workspace: freshWorkspace(),
        limits: [{ limit: 8, window: "100 millis" }],
        timeout: "200 millis"
      })
      const slots = yield* Effect.forEach(Array.from({ length: 6 }, (_, i) => i), () => hold(limiter, 0), {
        concurrency: 6
      })
      expect(slots).toHaveLength(6)
      // 25% of 8: two at a time.
      expect(maxInWindow(slots.map((slot) => slot.start), 100)).toBeLessThanOrEqual(2)
    }).pipe(
      withRecordedLogs,
      Effect.map(([_, lines]) => expect(lines.filter((l) => l.level === "WARN")).toHaveLength(1)),
      Effect.scoped
    ))
})
