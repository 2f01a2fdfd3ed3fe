/**
 * The rate limiter kept in Redis: one log of slots per workspace, shared by every process, in a sorted
 * set whose members are slots and whose score is the instant a slot counts from ("counts until" is the
 * score plus a window): while a slot is in flight its score is the end of its lease (now plus the
 * lease, renewed while it is held, so a dead process's slots expire), after its release the release
 * time. A Lua script grants a slot atomically, on Redis's clock (`TIME`), when for every limit fewer
 * than `limit` members have a score above `now - window`, i.e. the same rule as the in-process
 * limiter: (slots in flight) + (slots released less than a window ago) < limit.
 *
 * Each process keeps its own queue (first come, first served, interactive before background); only
 * the first waiter asks Redis, and sleeps as long as Redis says when refused. When Redis cannot be
 * reached, waiters go through an in-process limiter at a share of the limits until a probe finds
 * Redis again; slots taken or released meanwhile are written to Redis then.
 *
 * @since 0.2.0
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Metric from "effect/Metric"
import * as Runtime from "effect/Runtime"
import * as Scope from "effect/Scope"
import { rateLimiterFallback } from "../InstantlyMetrics.js"
import type { AcquireOptions, RateLimiter, RedisClient } from "../RateLimiter.js"
import * as WaitQueue from "./waitQueue.js"

/**
 * One limit, its window in milliseconds.
 *
 * @since 0.2.0
 * @internal
 */
export interface Limit {
  readonly limit: number
  readonly window: number
}

/**
 * What `make` needs, checked and in milliseconds.
 *
 * @since 0.2.0
 * @internal
 */
export interface Options {
  readonly client: RedisClient
  /** The key prefix of this workspace, ending in the hash tag `{workspace}` (every key in one cluster slot). */
  readonly keyPrefix: string
  readonly limits: ReadonlyArray<Limit>
  readonly leaseMillis: number
  readonly timeoutMillis: number
  readonly probeMillis: number
  /** The in-process limiter to use while Redis cannot be reached (at `share` of the limits). */
  readonly fallback: RateLimiter
  readonly share: number
  /** Where Redis is, for logs: never a password. */
  readonly location: string
  /** A password to scrub from any message that could repeat it. */
  readonly secret?: string | undefined
  /** Whether Redis could not be reached when the layer was built: start in fallback. */
  readonly startInFallback?: string | undefined
  /** Whether the connection is down because Redis refused the credentials (seen by `connect`). */
  readonly authFailed?: (() => boolean) | undefined
}

/** Reads Redis's clock, in milliseconds with microseconds, into `now`; `num` writes a score. */
const prelude = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function num(x) return string.format('%.3f', x) end
`

/** Raises the pause (KEYS[2], an instant on Redis's clock) to `now + ms`, never lowers it. */
const raisePause = `
local function raisePause(ms)
  if ms <= 0 then return end
  local till = now + ms
  local current = tonumber(redis.call('GET', KEYS[2]))
  if current == nil or till > current then redis.call('SET', KEYS[2], num(till), 'PX', math.ceil(ms) + 1) end
end
`

/**
 * Grants a slot (member ARGV[1], lease ARGV[2] ms) when no pause is in force and, for every limit
 * (pairs from ARGV[4]), fewer than `limit` members count: `{1, 0}`. Else `{0, ms}`: the earliest a
 * slot could be granted, from the member that must stop counting first, counting a slot still in
 * flight as if released now (it cannot stop counting before now + window). ARGV[3] is the longest
 * window of the caller: members older than the longest window any caller uses (KEYS[3]) are dropped.
 */
const grantScript = `${prelude}
local pause = tonumber(redis.call('GET', KEYS[2]))
if pause ~= nil and pause > now then return {0, math.ceil(pause - now)} end
local lease = tonumber(ARGV[2])
local keep = tonumber(ARGV[3])
local stored = tonumber(redis.call('GET', KEYS[3]))
if stored == nil or keep >= stored then
  redis.call('SET', KEYS[3], ARGV[3], 'PX', math.ceil(lease + 2 * keep))
else
  keep = stored
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. num(now - keep))
local wait = 0
for i = 4, #ARGV, 2 do
  local limit = tonumber(ARGV[i])
  local window = tonumber(ARGV[i + 1])
  local from = '(' .. num(now - window)
  local count = redis.call('ZCOUNT', KEYS[1], from, '+inf')
  if count >= limit then
    local first = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', count - limit, 1)
    local free = math.min(tonumber(first[2]), now) + window - now
    if free > wait then wait = free end
  end
end
if wait > 0 then return {0, math.ceil(wait)} end
redis.call('ZADD', KEYS[1], num(now + lease), ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil(lease + 2 * keep))
return {1, 0}
`

/**
 * Releases a slot (ARGV[1]): it counts from now, for a window. A plain ZADD, so that a slot whose
 * lease was lost (Redis restarted empty) still counts its last window.
 */
const releaseScript = `${prelude}
redis.call('ZADD', KEYS[1], num(now), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`

/** Removes a slot granted to a waiter that never took it (it timed out or was interrupted meanwhile). */
const removeScript = `redis.call('ZREM', KEYS[1], ARGV[1])
return 1
`

/** Raises the shared pause to ARGV[1] ms from now. */
const pauseScript = `${prelude}${raisePause}
raisePause(tonumber(ARGV[1]))
return 1
`

/**
 * Writes what this process knows and Redis may not: the leases of the slots it holds (ARGV[4] of
 * them, renewed to now + ARGV[1] ms), then pairs (member, age in ms) of slots released that Redis has
 * not recorded (while it was unreachable), and its pause (ARGV[3] ms from now).
 */
const syncScript = `${prelude}${raisePause}
local lease = tonumber(ARGV[1])
local held = tonumber(ARGV[4])
for i = 5, 4 + held do redis.call('ZADD', KEYS[1], num(now + lease), ARGV[i]) end
for i = 5 + held, #ARGV, 2 do redis.call('ZADD', KEYS[1], num(now - tonumber(ARGV[i + 1])), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
raisePause(tonumber(ARGV[3]))
return 1
`

interface Script {
  readonly source: string
  readonly sha: string
}

const sha1 = (source: string): Effect.Effect<Script> =>
  Effect.promise(async () => {
    const digest = await globalThis.crypto.subtle.digest("SHA-1", new TextEncoder().encode(source))
    const sha = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("")
    return { source, sha }
  })

/** Why a call to Redis did not answer as it should. */
class RedisFailure {
  constructor(readonly message: string) {}
}

type Arg = string | number

const ignore = () => undefined

const describe = (error: unknown): string => String((error as Error | undefined)?.message ?? error)

/**
 * Whether Redis's answer says the credentials were refused or missing: `WRONGPASS` (Redis 6+), `NOAUTH`
 * (a password is required), `ERR invalid password` (before Redis 6).
 *
 * @since 0.2.0
 * @internal
 */
export const isAuthFailure = (message: string): boolean =>
  /\bWRONGPASS\b|\bNOAUTH\b|invalid password|invalid username-password/i.test(message)

/**
 * What the fallback warning says of Redis refusing the credentials (never the password itself).
 *
 * @since 0.2.0
 * @internal
 */
export const authFailureMessage = "authentication failed: check the password in INSTANTLY_REDIS_URL"

/**
 * The limits at `share` of their size, at least 1 each: what one process may use while Redis cannot
 * be reached.
 *
 * @since 0.2.0
 * @internal
 */
export const shareOf = <L extends { readonly limit: number }>(limits: ReadonlyArray<L>, share: number): Array<L> =>
  limits.map((limit) => ({ ...limit, limit: Math.max(1, Math.floor(limit.limit * share)) }))

/**
 * A limiter kept in Redis (see the module's doc), its background renewal and probe running in the
 * scope.
 *
 * @since 0.2.0
 * @internal
 */
export const make = (options: Options): Effect.Effect<RateLimiter, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { client, fallback, limits } = options
    const { grant, pauseOn, release, remove, sync } = yield* Effect.all({
      grant: sha1(grantScript),
      release: sha1(releaseScript),
      remove: sha1(removeScript),
      pauseOn: sha1(pauseScript),
      sync: sha1(syncScript)
    })
    const keys = [`${options.keyPrefix}:slots`, `${options.keyPrefix}:pause`, `${options.keyPrefix}:retention`]
    const longest = Math.max(...limits.map((limit) => limit.window))
    const shortest = Math.min(...limits.map((limit) => limit.window))
    const limitArgs = limits.flatMap((limit) => [limit.limit, limit.window])
    const ttl = Math.ceil(options.leaseMillis + 2 * longest)
    const clock = yield* Effect.clock
    const scope = yield* Effect.scope
    const runtime = yield* Effect.runtime<never>()

    const instance = globalThis.crypto.randomUUID()
    let counter = 0
    const nextMember = () => `${instance}:${(counter++).toString(36)}`
    const lanes = WaitQueue.makeLanes()
    const first = () => WaitQueue.first(lanes)
    /** Slots this process holds, whichever way they were granted. */
    const held = new Set<string>()
    /** Slots released that Redis has not recorded, with their local release time. */
    const unsynced = new Map<string, number>()
    let mode: "redis" | "fallback" = "redis"
    let closed = false
    let lastRenewal = -Infinity
    /** The end of the latest pause asked for here, on the local clock. */
    let pausedUntil = -Infinity

    const now = () => Number(clock.unsafeCurrentTimeNanos()) / 1e6
    const scrub = (text: string) =>
      options.secret === undefined || options.secret === "" ? text : text.split(options.secret).join("<redacted>")

    /** Runs a script, loading it if Redis does not know it (first call, or Redis restarted). */
    const send = (script: Script, args: ReadonlyArray<Arg>): Promise<unknown> => {
      try {
        return client.evalsha(script.sha, keys.length, ...keys, ...args).catch((error: unknown) =>
          describe(error).startsWith("NOSCRIPT")
            ? client.eval(script.source, keys.length, ...keys, ...args)
            : Promise.reject(error)
        )
      } catch (error) {
        return Promise.reject(error)
      }
    }

    /**
     * Waits for a reply at most `timeoutMillis` (on a plain timer: this is on every grant's path, and
     * Redis's answers come in real time whatever the clock).
     */
    const await_ = (reply: Promise<unknown>): Effect.Effect<unknown, RedisFailure> =>
      Effect.async((resume) => {
        let done = false
        const finish = (result: Effect.Effect<unknown, RedisFailure>) => {
          if (done) return
          done = true
          clearTimeout(timer)
          resume(result)
        }
        const timer = setTimeout(
          () => finish(Effect.fail(new RedisFailure(`no answer within ${options.timeoutMillis} ms`))),
          options.timeoutMillis
        )
        reply.then(
          (value) => finish(Effect.succeed(value)),
          (error: unknown) => finish(Effect.fail(new RedisFailure(scrub(describe(error)))))
        )
        return Effect.sync(() => {
          done = true
          clearTimeout(timer)
        })
      })

    const call = (script: Script, args: ReadonlyArray<Arg>) => Effect.suspend(() => await_(send(script, args)))

    /** A slot granted to a waiter that did not take it goes back, whenever the answer comes. */
    const abandon = (member: string, reply: Promise<unknown>): void =>
      void reply.then((answer) => {
        if (Array.isArray(answer) && answer[0] === 1) send(remove, [member]).catch(ignore)
      }, ignore)

    const enterFallback = (failure: RedisFailure): Effect.Effect<void> =>
      Effect.suspend(() => {
        if (mode === "fallback") return Effect.void
        mode = "fallback"
        WaitQueue.wake(first())
        if (closed) return Effect.void
        return Effect.all([
          // The server may have counted a whole limit from Redis's grants in the last short window.
          fallback.pause(Duration.millis(shortest)),
          Metric.increment(rateLimiterFallback),
          Effect.logWarning(
            `RateLimiter: Redis at ${options.location} ` +
              (options.authFailed?.() === true || isAuthFailure(failure.message)
                ? `refused the connection: ${authFailureMessage}; `
                : `cannot be reached (${failure.message}); `) +
              `falling back to the in-process limiter at ${Math.round(options.share * 100)}% of the limits ` +
              `until it is back (probed every ${options.probeMillis} ms)`
          )
        ], { discard: true })
      })

    /** Writes the leases held and the releases Redis missed; after an outage, this is the probe. */
    const syncNow = Effect.suspend(() => {
      const at = now()
      const members = [...held]
      const released: Array<readonly [string, number]> = []
      for (const [member, releasedAt] of unsynced) {
        if (at - releasedAt >= longest) unsynced.delete(member)
        else released.push([member, releasedAt])
      }
      const due = mode === "fallback" || released.length > 0 ||
        (members.length > 0 && at - lastRenewal >= options.leaseMillis / 3)
      if (!due) return Effect.void
      const args: Array<Arg> = [options.leaseMillis, ttl, Math.max(0, Math.ceil(pausedUntil - at)), members.length]
      args.push(...members)
      for (const [member, releasedAt] of released) args.push(member, at - releasedAt)
      return Effect.matchEffect(call(sync, args), {
        onFailure: enterFallback,
        onSuccess: () => {
          lastRenewal = at
          for (const [member, releasedAt] of released) {
            if (unsynced.get(member) === releasedAt) unsynced.delete(member)
          }
          if (mode === "redis") return Effect.void
          mode = "redis"
          WaitQueue.wake(first())
          return Effect.logInfo(`RateLimiter: Redis at ${options.location} is back; the limits are shared again`)
        }
      })
    })

    const tick = Math.min(options.probeMillis, options.leaseMillis / 3)
    yield* Effect.forkIn(
      Effect.forever(Effect.zipRight(Effect.sleep(Duration.millis(tick)), syncNow)),
      scope
    )
    yield* Scope.addFinalizer(scope, Effect.sync(() => void (closed = true)))
    if (options.startInFallback !== undefined) yield* enterFallback(new RedisFailure(options.startInFallback))

    /**
     * The scope's end of a slot: from now it counts for a window more (in Redis, or once Redis is
     * back). Sent at once (so it goes out even as the layer closes) but not waited for: a failure keeps
     * the release for the next sync and starts the fallback; a release that never gets an answer leaves
     * the lease, which runs out by itself.
     */
    const releaseSlot = (member: string) =>
      Effect.sync(() => {
        held.delete(member)
        const at = now()
        if (mode === "fallback") unsynced.set(member, at)
        else {
          send(release, [member, ttl]).catch((error: unknown) => {
            unsynced.set(member, at)
            Runtime.runFork(runtime)(enterFallback(new RedisFailure(scrub(describe(error)))))
          })
        }
      })

    const acquire = (acquireOptions?: AcquireOptions): Effect.Effect<Duration.Duration, never, Scope.Scope> =>
      Effect.flatMap(Effect.scope, (slotScope) =>
        Effect.uninterruptibleMask((restore) => {
          const start = now()
          const lane = lanes[acquireOptions?.priority ?? "interactive"]
          const waiter = WaitQueue.makeWaiter()
          lane.push(waiter)
          /** The question to Redis in flight, if any: its slot goes back if the waiter stops waiting. */
          let asking: { readonly member: string; readonly reply: Promise<unknown> } | undefined

          const take = (member: string) => {
            lane.remove(waiter)
            WaitQueue.wake(first())
            held.add(member)
            return Effect.as(Scope.addFinalizer(slotScope, releaseSlot(member)), Duration.millis(now() - start))
          }

          const ask = Effect.suspend(() => {
            const member = nextMember()
            const reply = send(grant, [member, options.leaseMillis, longest, ...limitArgs])
            asking = { member, reply }
            return await_(reply)
          })

          const turn: Effect.Effect<Duration.Duration> = Effect.suspend(() => {
            waiter.woken = false
            if (first() !== waiter) return Effect.zipRight(restore(WaitQueue.suspend(waiter, Infinity)), turn)
            if (mode === "fallback") {
              return Effect.flatMap(
                restore(Scope.extend(fallback.acquire(acquireOptions), slotScope)),
                () => take(nextMember())
              )
            }
            return Effect.flatMap(Effect.either(restore(ask)), (answer) => {
              const question = asking!
              asking = undefined
              if (Either.isLeft(answer)) {
                abandon(question.member, question.reply)
                return Effect.zipRight(enterFallback(answer.left), turn)
              }
              const reply = answer.right
              if (!Array.isArray(reply) || typeof reply[1] !== "number") {
                abandon(question.member, question.reply)
                return Effect.zipRight(enterFallback(new RedisFailure("unexpected answer to the grant script")), turn)
              }
              if (reply[0] === 1) return take(question.member)
              return Effect.zipRight(restore(WaitQueue.suspend(waiter, reply[1])), turn)
            })
          })
          return Effect.onInterrupt(turn, () =>
            Effect.sync(() => {
              if (asking !== undefined) abandon(asking.member, asking.reply)
              WaitQueue.leave(lanes, lane, waiter)
            }))
        }))

    const pause = (duration: Duration.Duration): Effect.Effect<void> =>
      Effect.suspend(() => {
        const millis = Duration.toMillis(duration)
        pausedUntil = Math.max(pausedUntil, now() + millis)
        const local = fallback.pause(duration)
        if (mode === "fallback" || !(millis > 0) || !Number.isFinite(millis)) return local
        return Effect.zipRight(local, Effect.catchAll(Effect.asVoid(call(pauseOn, [Math.ceil(millis)])), enterFallback))
      })

    return { acquire, pause } satisfies RateLimiter
  })

/**
 * A checked Redis URL: the URL to connect to, where it points for logs (no user or password), and
 * the password to scrub from messages.
 *
 * @since 0.2.0
 * @internal
 */
export interface RedisUrl {
  readonly url: string
  readonly location: string
  readonly password: string | undefined
}

/**
 * Reads a Redis URL: `redis://` or `rediss://` (TLS), a host, an optional port and database number,
 * an optional `user:password@`. Answers why it is unusable otherwise; the message shows the URL only
 * when it holds no credentials.
 *
 * @since 0.2.0
 * @internal
 */
export const parseUrl = (input: string): Either.Either<RedisUrl, string> => {
  const text = input.trim()
  if (text === "") return Either.left("is empty")
  const shown = text.includes("@") ? "" : ` (got "${text}")`
  const expected = `must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0${shown}`
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return Either.left(expected)
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") return Either.left(expected)
  if (url.hostname === "") return Either.left(`must name a host${shown}`)
  if (!/^\/?\d*$/.test(url.pathname)) return Either.left(`may end in a database number (/0) only${shown}`)
  if (url.hash !== "") return Either.left(`must not have a fragment (#...)${shown}`)
  const path = url.pathname === "/" ? "" : url.pathname
  return Either.right({
    url: text,
    location: `${url.protocol}//${url.host}${path}`,
    password: url.password === "" ? undefined : decodeURIComponent(url.password)
  })
}

/**
 * Opens a connection to `url` with ioredis, imported only now (it is an optional peer dependency),
 * closed with the scope. Commands fail at once while the connection is down (no offline queue, no
 * resending), so that the limiter falls back without waiting; ioredis reconnects every `retryMillis`.
 * Answers the client, and why the first connection failed if it did (the limiter then starts in
 * fallback: Redis being down when a process starts must not stop it).
 *
 * @since 0.2.0
 * @internal
 */
export const connect = (
  url: RedisUrl,
  timeoutMillis: number,
  retryMillis: number
): Effect.Effect<
  {
    readonly client: RedisClient
    readonly failure: string | undefined
    /** Whether the last connection attempt was refused for its credentials (until one succeeds). */
    readonly authFailed: () => boolean
  },
  never,
  Scope.Scope
> =>
  Effect.gen(function*() {
    // ioredis reports a refused AUTH only as an "error" event; commands then fail with "Connection is closed".
    let authFailed = false
    const { Redis } = yield* Effect.tryPromise(() => import("ioredis")).pipe(
      Effect.orDieWith(() =>
        new Cause.IllegalArgumentException(
          "RateLimiter.layerRedis: connecting from a url needs the ioredis package (npm install ioredis@5), or pass a client"
        )
      )
    )
    const client = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const redis = new Redis(url.url, {
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          autoResendUnfulfilledCommands: false,
          connectTimeout: timeoutMillis,
          retryStrategy: () => retryMillis
        })
        // Failures are seen (and logged once per outage) by the limiter; ioredis would print each one.
        redis.on("error", (error: unknown) => {
          if (isAuthFailure(describe(error))) authFailed = true
        })
        redis.on("ready", () => authFailed = false)
        return redis
      }),
      (redis) =>
        Effect.promise(() => redis.quit().catch(ignore)).pipe(
          Effect.timeout(Duration.millis(timeoutMillis)),
          Effect.ignore,
          Effect.ensuring(Effect.sync(() => redis.disconnect()))
        )
    )
    const failure = yield* Effect.promise(() =>
      client.connect().then(
        () => undefined,
        describe
      )
    )
    const scrub = (text: string) => url.password === undefined ? text : text.split(url.password).join("<redacted>")
    return {
      client,
      failure: failure === undefined ? undefined : authFailed ? authFailureMessage : scrub(failure),
      authFailed: () => authFailed
    }
  })
