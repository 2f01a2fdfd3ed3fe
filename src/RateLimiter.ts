/**
 * A client-side rate limiter that paces requests under several sliding-window limits at once, so that
 * requests wait for a slot instead of drawing a 429, whatever the latency between client and server.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import type * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import { positiveMillis } from "./internal/clientConfig.js"
import * as RedisLimiter from "./internal/redisLimiter.js"
import * as SlidingWindow from "./internal/slidingWindow.js"
import * as WaitQueue from "./internal/waitQueue.js"

/**
 * One limit: at most `limit` requests in any window of `window` (a sliding window, not a clock one).
 *
 * @since 0.1.0
 * @category Models
 */
export interface RateLimit {
  readonly limit: number
  readonly window: Duration.DurationInput
}

/**
 * Options of the rate limiter (`rateLimit` on `InstantlyClient.layer`).
 *
 * @since 0.1.0
 * @category Models
 */
export interface RateLimitOptions {
  /** The limits to keep under, all at once; default `defaultRateLimits` (Instantly's workspace limits). */
  readonly limits?: ReadonlyArray<RateLimit> | undefined
  /**
   * A limiter to use instead of building one from `limits`, e.g. one shared by several processes or
   * several `InstantlyClient` layers of the same workspace.
   */
  readonly limiter?: RateLimiter | undefined
}

/**
 * Instantly's workspace limits: 100 requests per second and 6,000 per minute.
 *
 * @since 0.1.0
 * @category Constants
 */
export const defaultRateLimits: ReadonlyArray<RateLimit> = [
  { limit: 100, window: Duration.seconds(1) },
  { limit: 6_000, window: Duration.minutes(1) }
]

/**
 * Which lane a request waits in: every `"interactive"` request waiting is served before any
 * `"background"` one (bulk work), so a single call is never queued behind a whole batch.
 *
 * @since 0.2.0
 * @category Models
 */
export type Priority = "interactive" | "background"

/**
 * Options of one `acquire`.
 *
 * @since 0.2.0
 * @category Models
 */
export interface AcquireOptions {
  /** The lane to wait in, default `"interactive"`. */
  readonly priority?: Priority | undefined
}

/**
 * What the client needs of a rate limiter; an implementation shared across processes can stand in for
 * the in-process one.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RateLimiter } from "effect-instantly"
 *
 * // A slot is held from the grant until the scope closes, i.e. until the answer has arrived.
 * const paced = <A, E>(limiter: RateLimiter.RateLimiter, send: Effect.Effect<A, E>) =>
 *   Effect.scoped(Effect.zipRight(limiter.acquire(), send))
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export interface RateLimiter {
  /**
   * Waits for a slot under every limit (first come, first served within a lane; interactive before
   * background) and holds it until the scope closes: send the request in that scope, so the slot
   * counts until its answer has arrived. Answers how long it waited.
   */
  readonly acquire: (options?: AcquireOptions) => Effect.Effect<Duration.Duration, never, Scope.Scope>
  /**
   * Holds back every request not yet sent until `duration` from now, e.g. after a 429. Pauses do not
   * add up: a pause that ends before one already in force changes nothing.
   */
  readonly pause: (duration: Duration.Duration) => Effect.Effect<void>
}

/**
 * The service tag of a rate limiter shared through the context: provide one (`RateLimiter.layer`, or a
 * limiter shared across processes) under `InstantlyClient`, and every client built there uses it,
 * unless its own `rateLimit` option says otherwise (`false`, or a `limiter`).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { InstantlyClient, Leads, RateLimiter } from "effect-instantly"
 *
 * // Two clients (say, two API keys of one workspace) share one limit.
 * const Shared = RateLimiter.layer()
 * const Client = Leads.Default.pipe(Layer.provide(InstantlyClient.layerConfig()), Layer.provide(Shared))
 * export const Live = Client.pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.2.0
 * @category Tags
 */
export const RateLimiter: Context.Tag<RateLimiter, RateLimiter> = Context.GenericTag<RateLimiter>(
  "effect-instantly/RateLimiter"
)

/**
 * A layer of the in-process limiter (see `make`), to share through the context.
 *
 * @since 0.2.0
 * @category Layers
 */
export const layer = (options: RateLimitOptions = {}): Layer.Layer<RateLimiter> =>
  Layer.effect(RateLimiter, options.limiter === undefined ? make(options) : Effect.succeed(options.limiter))

const toRing = ({ limit, window }: RateLimit): SlidingWindow.Ring =>
  SlidingWindow.makeRing(limit, Duration.toMillis(window))

/**
 * An in-process limiter that no latency can push over a limit at the server. A slot counts from when
 * it is granted until its scope closes (the answer arrived) and for a whole window after that: the
 * server saw the request somewhere in between, so a new request may go when, for every limit, fewer
 * than `limit` slots are in flight or ended less than a window ago. The cost is throughput: each slot
 * is taken for one window plus the request's round trip, so at a latency of L the rate is
 * `limit / (window + L)` (95/s instead of 100/s at 50 ms).
 *
 * Waiting requests are served first come, first served, interactive before background; an
 * interrupted waiter leaves the queue and takes nothing with it. Time is read from the clock's
 * monotonic nanoseconds; should it step back all the same, the bookkeeping moves back with it.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: RateLimitOptions = {}): Effect.Effect<RateLimiter> =>
  Effect.sync(() => {
    const rings = (options.limits ?? defaultRateLimits).map(toRing)
    const lanes = WaitQueue.makeLanes()
    let inFlight = 0
    let pausedUntil = -Infinity
    /** The last time read, to notice a clock that stepped back. */
    let lastNow = -Infinity

    /**
     * The time now in milliseconds, from the clock's monotonic nanoseconds. Should the clock step back
     * all the same (a test clock, a VM restored), every recorded time moves back with it, so no slot
     * waits for the lost time, and the first waiter looks again.
     */
    const currentTime = (clock: Clock.Clock): number => {
      const now = Number(clock.unsafeCurrentTimeNanos()) / 1e6
      if (now < lastNow) {
        const back = lastNow - now
        for (const ring of rings) SlidingWindow.shift(ring, -back)
        pausedUntil -= back
        WaitQueue.wake(first())
      }
      lastNow = now
      return now
    }

    /** The first instant at or after `now` when one more slot keeps every limit (`Infinity`: wait for an answer). */
    const readyAt = (now: number): number => {
      let at = Math.max(now, pausedUntil)
      for (const ring of rings) at = Math.max(at, SlidingWindow.freeAt(ring, inFlight))
      return at
    }

    const first = () => WaitQueue.first(lanes)

    /** The scope's end of a slot: it stops being in flight and counts, from now, for a window more. */
    const release = (now: number): void => {
      inFlight--
      SlidingWindow.record(rings, now)
      // Only a waiter held back by slots in flight can go earlier now; the others sleep until their time.
      WaitQueue.wake(first())
    }

    /** Takes a slot, held until `scope` closes. */
    const take = (scope: Scope.Scope, clock: Clock.Clock): Effect.Effect<void> => {
      inFlight++
      return Scope.addFinalizer(scope, Effect.sync(() => release(currentTime(clock))))
    }

    const acquire = (acquireOptions?: AcquireOptions): Effect.Effect<Duration.Duration, never, Scope.Scope> =>
      Effect.flatMap(Effect.scope, (scope) =>
        Effect.clockWith((clock) =>
          Effect.uninterruptibleMask((restore) => {
            const start = currentTime(clock)
            if (first() === undefined && readyAt(start) <= start) return Effect.as(take(scope, clock), Duration.zero)
            const lane = lanes[acquireOptions?.priority ?? "interactive"]
            const waiter = WaitQueue.makeWaiter()
            lane.push(waiter)
            // Only the first waiter watches the clock; the others sleep until they are first.
            const turn: Effect.Effect<Duration.Duration> = Effect.suspend(() => {
              waiter.woken = false
              const now = currentTime(clock)
              if (first() !== waiter) return Effect.zipRight(restore(WaitQueue.suspend(waiter, Infinity)), turn)
              const at = readyAt(now)
              if (at > now) return Effect.zipRight(restore(WaitQueue.suspend(waiter, at - now)), turn)
              lane.remove(waiter)
              WaitQueue.wake(first())
              return Effect.as(take(scope, clock), Duration.millis(now - start))
            })
            return Effect.onInterrupt(turn, () => Effect.sync(() => WaitQueue.leave(lanes, lane, waiter)))
          })
        ))

    const pause = (duration: Duration.Duration) =>
      Effect.clockWith((clock) =>
        Effect.sync(() => {
          const now = currentTime(clock)
          pausedUntil = Math.max(pausedUntil, now + Duration.toMillis(duration))
        })
      )

    return { acquire, pause } satisfies RateLimiter
  })

/**
 * What the Redis limiter needs of a Redis client: running Lua scripts. An `ioredis` client (`Redis`,
 * or `Cluster`: every key of a workspace shares one hash tag) has this shape; so can an adapter over
 * another client. `evalsha` must reject with a message starting `NOSCRIPT` when Redis does not know
 * the script.
 *
 * @since 0.2.0
 * @category Models
 */
export interface RedisClient {
  /** Runs a script Redis knows by its SHA-1 (`EVALSHA`); fails with `NOSCRIPT` when it does not. */
  evalsha(sha1: string, numkeys: number, ...args: Array<string | number>): Promise<unknown>
  /** Runs a script given in full (`EVAL`). */
  eval(script: string, numkeys: number, ...args: Array<string | number>): Promise<unknown>
}

/**
 * Options of the limiter kept in Redis (`layerRedis`, `makeRedis`), besides where Redis is.
 *
 * @since 0.2.0
 * @category Models
 */
export interface RedisRateLimitOptions {
  /**
   * The workspace whose limit is shared: every process given the same `workspace` (and `prefix`) on
   * the same Redis shares one limit. Any label, e.g. the workspace's id; no `{` or `}`.
   */
  readonly workspace: string
  /** The start of every key, default `"effect-instantly"`; keys are `<prefix>:{<workspace>}:slots` and so on. */
  readonly prefix?: string | undefined
  /** The limits to keep under, all at once, across all processes; default `defaultRateLimits`. */
  readonly limits?: ReadonlyArray<RateLimit> | undefined
  /**
   * How long a slot in flight counts without news from its process, default 1 minute: the process
   * renews it every third of that while it holds it, so the slot of a process that died stops
   * counting one lease plus one window after its last renewal.
   */
  readonly lease?: Duration.DurationInput | undefined
  /** How long to wait for Redis to answer before falling back, default 1 second. */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * The share of the limits this process uses on its own while Redis cannot be reached, in (0, 1],
   * default `0.25`: set it to 1 / (the number of processes) or less.
   */
  readonly fallbackShare?: number | undefined
  /** How often to look for Redis again while it cannot be reached, default 1 second. */
  readonly probeInterval?: Duration.DurationInput | undefined
}

/**
 * Where Redis is: a `url` (`redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS; the
 * layer then connects with `ioredis` and closes the connection with its scope), or a `client` you
 * connected and will close yourself.
 *
 * @since 0.2.0
 * @category Models
 */
export type RedisConnection =
  | { readonly url: Redacted.Redacted<string> | string; readonly client?: undefined }
  | { readonly client: RedisClient; readonly url?: undefined }

/** `workspace` and `prefix` checked; the key prefix of the workspace, or why it is unusable. */
const redisKeyPrefix = (workspace: string, prefix: string | undefined): Either.Either<string, string> => {
  if (workspace.trim() === "") return Either.left("workspace is empty")
  if (/[{}]/.test(workspace)) return Either.left("workspace must not hold { or }")
  return Either.right(`${prefix ?? "effect-instantly"}:{${workspace}}`)
}

const invalidRedisOption = (message: string) =>
  Effect.die(new Cause.IllegalArgumentException(`RateLimiter.layerRedis: ${message}`))

/**
 * A limiter shared by every process of a workspace through Redis, with the same guarantee as the
 * in-process one (`make`): a slot counts from its grant until its scope closes and for one window
 * after, and one is granted only when, for every limit, the slots in flight plus those released less
 * than a window ago, in all processes, are fewer than the limit. Grants are atomic (a Lua script),
 * on Redis's clock; a pause (after a 429) holds back every process.
 *
 * Each process serves its own waiters first come, first served, interactive before background;
 * across processes a free slot goes to whichever process asks first. While Redis cannot be reached
 * the limiter goes on in-process at `fallbackShare` of the limits, logs a warning once per outage,
 * counts `instantly_rate_limiter_fallback_total`, and returns to Redis when a probe reaches it.
 *
 * An unusable option (empty workspace, bad URL, a limit or duration that is not positive) is a
 * defect (`IllegalArgumentException`) naming it; the URL's password is never shown. A `url` needs
 * the `ioredis` package (an optional peer dependency); a `client` does not.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const makeRedis = (
  options: RedisRateLimitOptions & RedisConnection
): Effect.Effect<RateLimiter, never, Scope.Scope> =>
  Effect.suspend(() => {
    const keyPrefix = redisKeyPrefix(options.workspace, options.prefix)
    if (Either.isLeft(keyPrefix)) return invalidRedisOption(keyPrefix.left)
    const lease = positiveMillis(options.lease ?? 60_000)
    if (Either.isLeft(lease)) return invalidRedisOption(`lease ${lease.left}`)
    const timeout = positiveMillis(options.timeout ?? 1_000)
    if (Either.isLeft(timeout)) return invalidRedisOption(`timeout ${timeout.left}`)
    const probe = positiveMillis(options.probeInterval ?? 1_000)
    if (Either.isLeft(probe)) return invalidRedisOption(`probeInterval ${probe.left}`)
    const [leaseMillis, timeoutMillis, probeMillis] = [lease.right, timeout.right, probe.right]
    const share = options.fallbackShare ?? 0.25
    if (!(share > 0 && share <= 1)) return invalidRedisOption("fallbackShare must be in (0, 1]")
    const rateLimits = options.limits ?? defaultRateLimits
    const limits = rateLimits.map(({ limit, window }) => ({ limit, window: Duration.toMillis(window) }))
    if (limits.length === 0) return invalidRedisOption("limits must hold at least one limit")
    for (const { limit, window } of limits) {
      try {
        SlidingWindow.checkLimit(limit, window)
      } catch (error) {
        return Effect.die(error)
      }
    }
    let url: RedisLimiter.RedisUrl | undefined
    if (options.client === undefined) {
      const parsed = RedisLimiter.parseUrl(Redacted.isRedacted(options.url) ? Redacted.value(options.url) : options.url)
      if (Either.isLeft(parsed)) return invalidRedisOption(`url ${parsed.left}`)
      url = parsed.right
    }
    return Effect.gen(function*() {
      const connection = url === undefined
        ? { client: options.client!, failure: undefined, authFailed: undefined }
        : yield* RedisLimiter.connect(url, timeoutMillis, probeMillis)
      const fallback = yield* make({ limits: RedisLimiter.shareOf(rateLimits, share) })
      return yield* RedisLimiter.make({
        client: connection.client,
        keyPrefix: keyPrefix.right,
        limits,
        leaseMillis,
        timeoutMillis,
        probeMillis,
        fallback,
        share,
        location: url?.location ?? "(the client given)",
        secret: url?.password,
        startInFallback: connection.failure,
        authFailed: connection.authFailed
      })
    })
  })

/**
 * A layer of the limiter kept in Redis (see `makeRedis`): put it under `InstantlyClient` in every
 * process of the workspace. A connection opened from `url` closes with the layer.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer, Redacted } from "effect"
 * import { InstantlyClient, Leads, RateLimiter } from "effect-instantly"
 *
 * // Every process of the workspace shares one limit (100/s and 6,000/min) through Redis.
 * const Shared = RateLimiter.layerRedis({
 *   workspace: "acme",
 *   url: Redacted.make("redis://:secret@redis.internal:6379/0")
 * })
 * export const Live = Leads.Default.pipe(
 *   Layer.provide(InstantlyClient.layerConfig()),
 *   Layer.provide(Shared),
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.2.0
 * @category Layers
 */
export const layerRedis = (options: RedisRateLimitOptions & RedisConnection): Layer.Layer<RateLimiter> =>
  Layer.scoped(RateLimiter, makeRedis(options))

/**
 * Options of `layerRedisConfig`: the URL and the workspace as `Config`s (by default
 * `INSTANTLY_REDIS_URL`, required, and `INSTANTLY_WORKSPACE`, default `"default"`), the other
 * options as plain values.
 *
 * @since 0.2.0
 * @category Models
 */
export interface RedisRateLimitConfigOptions extends Omit<RedisRateLimitOptions, "workspace"> {
  readonly url?: Config.Config<Redacted.Redacted<string>> | undefined
  readonly workspace?: Config.Config<string> | undefined
}

const defaultRedisUrlConfig: Config.Config<Redacted.Redacted<string>> = Config.redacted("INSTANTLY_REDIS_URL").pipe(
  Config.option,
  Config.mapOrFail(Option.match({
    onNone: () =>
      Either.left(ConfigError.MissingData(
        ["INSTANTLY_REDIS_URL"],
        "INSTANTLY_REDIS_URL is not set: set it to the Redis shared by the workspace's processes, e.g. redis://127.0.0.1:6379/0"
      )),
    onSome: Either.right
  }))
)

const defaultWorkspaceConfig: Config.Config<string> = Config.string("INSTANTLY_WORKSPACE").pipe(
  Config.withDefault("default")
)

/**
 * A layer of the limiter kept in Redis from `Config`: `INSTANTLY_REDIS_URL` (required, redacted)
 * and `INSTANTLY_WORKSPACE` (default `"default"`), unless other configs are passed. A URL or
 * workspace that cannot be used fails the layer with a `ConfigError` naming the variable, never
 * showing the password.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { InstantlyClient, Leads, RateLimiter } from "effect-instantly"
 *
 * // INSTANTLY_REDIS_URL=redis://127.0.0.1:6379/0 INSTANTLY_WORKSPACE=acme in every process.
 * export const Live = Leads.Default.pipe(
 *   Layer.provide(InstantlyClient.layerConfig()),
 *   Layer.provide(RateLimiter.layerRedisConfig({ fallbackShare: 1 / 4 })),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.2.0
 * @category Layers
 */
export const layerRedisConfig = (
  options: RedisRateLimitConfigOptions = {}
): Layer.Layer<RateLimiter, ConfigError.ConfigError> => {
  const { url, workspace, ...rest } = options
  const checked = <A>(config: Config.Config<A>, name: string | undefined, check: (a: A) => Either.Either<A, string>) =>
    Config.mapOrFail(config, (value) =>
      Either.mapLeft(
        check(value),
        (problem) => ConfigError.InvalidData(name === undefined ? [] : [name], `${name ?? "the value"} ${problem}`)
      ))
  const configs = {
    url: checked(
      url ?? defaultRedisUrlConfig,
      url === undefined ? "INSTANTLY_REDIS_URL" : undefined,
      (value) => Either.map(RedisLimiter.parseUrl(Redacted.value(value)), () => value)
    ),
    workspace: checked(
      workspace ?? defaultWorkspaceConfig,
      workspace === undefined ? "INSTANTLY_WORKSPACE" : undefined,
      (value) => Either.map(redisKeyPrefix(value, rest.prefix), () => value)
    )
  }
  return Layer.scoped(RateLimiter, Effect.flatMap(Config.all(configs), (config) => makeRedis({ ...rest, ...config })))
}
