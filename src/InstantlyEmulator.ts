/**
 * An in-memory Instantly workspace that speaks the API v2 wire format for the lead and subsequence
 * operations effect-instantly covers, with Instantly's errors, rate limit and injectable faults: serve it
 * on a loopback port (`layerServer`) or call it in-process (`layerClient`), then inspect its state. It
 * holds a million generated leads in a few tens of megabytes (`generate`).
 *
 * Imported as `effect-instantly/emulator` (it needs `@effect/platform-node`).
 *
 * @since 0.1.0
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Http from "node:http"
import * as Faults from "./emulator/Faults.js"
import * as Generate from "./emulator/Generate.js"
import * as App from "./emulator/Http.js"
import * as RateLimiter from "./emulator/RateLimiter.js"
import * as Workspace from "./emulator/Workspace.js"
import { defaultBaseUrl } from "./InstantlyClient.js"
import { describeParseError } from "./InstantlyError.js"
import type { Lead } from "./Lead.js"
import type { Subsequence } from "./Subsequence.js"

// The emulator's models live with the modules that use them; users import them from here.
import type { FaultOptions } from "./emulator/Faults.js"
import type { GenerateOptions } from "./emulator/Generate.js"
import { type ConnectionDropped } from "./emulator/Http.js"
import type { ApiKey, Counters } from "./emulator/Workspace.js"

export type {
  /**
   * Which faults to inject, how often, and from which seed.
   *
   * @since 0.1.0
   * @category Models
   */
  FaultOptions
} from "./emulator/Faults.js"
export type {
  /**
   * Options of `generateLeads`: `count`, `seed`, and `since` (creation time of the first lead).
   *
   * @since 0.1.0
   * @category Models
   */
  GenerateOptions
} from "./emulator/Generate.js"
export {
  /**
   * The emulator's decision to close a connection unanswered; the app of `Service.app` fails with it.
   *
   * @since 0.1.0
   * @category Errors
   */
  ConnectionDropped
} from "./emulator/Http.js"
export type {
  /**
   * An API key of the emulated workspace and its scopes, e.g. `{ key: "k", scopes: ["leads:read"] }`.
   *
   * @since 0.1.0
   * @category Models
   */
  ApiKey,
  /**
   * What the emulator has seen and done: requests, answers by status, 429s, operations and injected faults.
   *
   * @since 0.1.0
   * @category Models
   */
  Counters,
  /**
   * The operations the emulator serves and counts, named as in `Leads` and `Subsequences`.
   *
   * @since 0.2.0
   * @category Models
   */
  Operation
} from "./emulator/Workspace.js"

/**
 * The key of the default workspace (scope `all:all`); use it as `apiKey` of `InstantlyClient`.
 *
 * @since 0.1.0
 * @category Constants
 */
export const defaultApiKey = "instantly-emulator-key"

/**
 * Generates `count` realistic leads (one organization, two campaigns, about two thirds in a
 * subsequence, the first always) with UUIDv7-looking ids; the same seed gives the same leads.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const generateLeads: (options: GenerateOptions) => ReadonlyArray<Lead> = Generate.generateLeads

/**
 * The two subsequences (one per campaign) that the leads of `generateLeads` with the same `seed` and
 * `since` are in: pass them as `subsequences` next to `leads` to seed a workspace with both.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const generateSubsequences: (options: Omit<GenerateOptions, "count">) => ReadonlyArray<Subsequence> =
  Generate.generateSubsequences

/**
 * The most leads `generate` may ask for.
 *
 * @since 0.2.0
 * @category Constants
 */
export const maxGeneratedLeads = 10_000_000

/**
 * Instantly's workspace rate limit, which the emulator applies by default.
 *
 * @since 0.1.0
 * @category Constants
 */
export const defaultRateLimit = { perSecond: 100, perMinute: 6_000 } as const

/**
 * The emulated workspace and how it behaves. Every option has a default.
 *
 * @since 0.1.0
 * @category Models
 */
export interface InstantlyEmulatorOptions {
  /**
   * Leads generated from a seed, the same as `generateLeads` with these options, and their two
   * subsequences. They are made when read and never held: a million leads cost about 4 bytes each until
   * the first change, then 25 bytes each (at most `maxGeneratedLeads`). Default, when `leads` is not given
   * either: `{ count: 10, seed: 1 }`.
   */
  readonly generate?: GenerateOptions | undefined
  /** Leads of the workspace besides the generated ones (which a lead with the same id replaces). */
  readonly leads?: Iterable<Lead> | undefined
  /**
   * The workspace's subsequences, besides those of `generate`. A subsequence a lead of `leads` is in, but
   * not listed, is implied: active, named `Subsequence`, in that lead's campaign.
   */
  readonly subsequences?: Iterable<Subsequence> | undefined
  /** The keys that may call it; default one key, `defaultApiKey`, with scope `all:all`. */
  readonly apiKeys?: Iterable<ApiKey> | undefined
  /** Whether the workspace has an active paid plan (else every operation answers 402); default `true`. */
  readonly paidPlan?: boolean | undefined
  /**
   * The workspace's sliding-window limit, shared by all keys (default 100/s and 6,000/min), and whether
   * a 429 carries `Retry-After` in seconds (default `true`; Instantly does not document one); `false` for none.
   */
  readonly rateLimit?: false | {
    readonly perSecond?: number | undefined
    readonly perMinute?: number | undefined
    readonly retryAfter?: boolean | undefined
  } | undefined
  /** Faults to inject, deterministic from `faults.seed`; default none. */
  readonly faults?: FaultOptions | undefined
}

/**
 * Options of `layerServer`: the workspace's, plus the loopback port (default 0: a free one).
 *
 * @since 0.1.0
 * @category Models
 */
export interface InstantlyEmulatorServerOptions extends InstantlyEmulatorOptions {
  readonly port?: number | undefined
}

/**
 * The emulator: where it answers, its `HttpApp`, and the workspace's state, to seed and inspect.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Service {
  /**
   * The base URL to give `InstantlyClient`: `http://127.0.0.1:<port>` for `layerServer`; for `make` and
   * `layerClient`, Instantly's own URL, which the in-process client answers without any network.
   */
  readonly url: string
  /** The emulated API as an `HttpApp`, to serve elsewhere; it fails with `ConnectionDropped` to drop a connection. */
  readonly app: HttpApp.Default<ConnectionDropped>
  /**
   * Every lead, in the order they were added (generated ones first): all made at once, so read `lead(id)`
   * instead in a workspace of a million.
   */
  readonly leads: Effect.Effect<ReadonlyArray<Lead>>
  /** One lead as it is now. */
  readonly lead: (id: string) => Effect.Effect<Option.Option<Lead>>
  /** Adds leads, or replaces those with the same id; their subsequences are implied when unknown. */
  readonly putLeads: (leads: Iterable<Lead>) => Effect.Effect<void>
  /** Every subsequence of the workspace. */
  readonly subsequences: Effect.Effect<ReadonlyArray<Subsequence>>
  /** One subsequence. */
  readonly subsequence: (id: string) => Effect.Effect<Option.Option<Subsequence>>
  /** Adds subsequences, or replaces those with the same id. */
  readonly putSubsequences: (subsequences: Iterable<Subsequence>) => Effect.Effect<void>
  /** Adds a key, or replaces the scopes of an existing one. */
  readonly putApiKey: (apiKey: ApiKey) => Effect.Effect<void>
  /** Removes a key: its requests then answer 401. */
  readonly revokeApiKey: (key: string) => Effect.Effect<void>
  /** Whether the workspace has an active paid plan. */
  readonly paidPlan: Effect.Effect<boolean>
  /** Activates or ends the paid plan (without one, operations answer 402). */
  readonly setPaidPlan: (active: boolean) => Effect.Effect<void>
  /** The counters so far. */
  readonly counters: Effect.Effect<Counters>
  /** Sets every counter back to zero (the fault plan keeps counting requests from where it was). */
  readonly resetCounters: Effect.Effect<void>
}

/**
 * The service tag. `InstantlyEmulator.layerClient()` for in-process tests, `InstantlyEmulator.layerServer()`
 * for a real socket; both provide this tag so a test can read the state.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { InstantlyEmulator } from "effect-instantly/emulator"
 *
 * const requestsSoFar = Effect.flatMap(InstantlyEmulator, (emulator) => emulator.counters)
 * ```
 *
 * @since 0.1.0
 * @category Tags
 */
export class InstantlyEmulator extends Context.Tag("effect-instantly/InstantlyEmulator")<InstantlyEmulator, Service>() {
  /**
   * Builds an emulator (with `url` set to Instantly's, as for `layerClient`).
   *
   * @since 0.1.0
   */
  static readonly make = (options?: InstantlyEmulatorOptions): Effect.Effect<Service> => make(options)

  /**
   * The emulator served on `127.0.0.1` (port 0 picks a free one); `url` says where.
   *
   * @since 0.1.0
   */
  static readonly layerServer = (
    options?: InstantlyEmulatorServerOptions
  ): Layer.Layer<InstantlyEmulator, HttpServerError.ServeError> => layerServer(options)

  /**
   * The emulator and an `HttpClient` that calls it in-process: no socket, and it runs in the caller's
   * fiber, so `TestClock` drives its clock, latency and rate limit.
   *
   * @since 0.1.0
   */
  static readonly layerClient = (
    options?: InstantlyEmulatorOptions
  ): Layer.Layer<InstantlyEmulator | HttpClient.HttpClient> => layerClient(options)

  /**
   * Realistic leads from a seed: see `generateLeads`.
   *
   * @since 0.1.0
   */
  static readonly generateLeads = (options: GenerateOptions): ReadonlyArray<Lead> => generateLeads(options)

  /**
   * The subsequences of generated leads: see `generateSubsequences`.
   *
   * @since 0.2.0
   */
  static readonly generateSubsequences = (options: Omit<GenerateOptions, "count">): ReadonlyArray<Subsequence> =>
    generateSubsequences(options)

  /**
   * The key of the default workspace: see `defaultApiKey`.
   *
   * @since 0.1.0
   */
  static readonly defaultApiKey = defaultApiKey
}

const Limit = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))
const NumericOptions = Schema.Struct({
  rateLimit: Schema.optional(Schema.Union(
    Schema.Literal(false),
    Schema.Struct({ perSecond: Schema.optional(Limit), perMinute: Schema.optional(Limit) })
  )),
  port: Schema.optional(Schema.Int.pipe(Schema.between(0, 65_535))),
  generate: Schema.optional(Schema.Struct({
    count: Schema.Int.pipe(Schema.between(0, maxGeneratedLeads)),
    seed: Schema.optional(Schema.Finite),
    since: Schema.optional(Schema.Int)
  }))
})

const invalid = (message: string) => Effect.die(new Cause.IllegalArgumentException(`InstantlyEmulator: ${message}`))

/** Checks the options that are plain data; a wrong one is a defect that names it. */
const validate = (options: InstantlyEmulatorServerOptions): Effect.Effect<Faults.Planner> =>
  Effect.gen(function*() {
    const numeric = Schema.decodeUnknownEither(NumericOptions)({
      rateLimit: options.rateLimit,
      port: options.port,
      generate: options.generate
    })
    if (Either.isLeft(numeric)) return yield* invalid(describeParseError(numeric.left))
    const planner = yield* Effect.try(() => Faults.makePlanner(options.faults ?? {})).pipe(
      Effect.catchAll((error) => invalid(`faults.latency: ${error.error}`))
    )
    return yield* Either.match(planner, { onLeft: invalid, onRight: Effect.succeed })
  })

/**
 * Builds an emulator (defaults in `InstantlyEmulatorOptions`); its `url` is Instantly's, as for `layerClient`.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: InstantlyEmulatorOptions = {}): Effect.Effect<Service> =>
  Effect.gen(function*() {
    const planner = yield* validate(options)
    const generate = options.generate ?? (options.leads === undefined ? { count: 10, seed: 1 } : undefined)
    const workspace = yield* Workspace.make({
      leads: options.leads ?? [],
      generated: generate === undefined ? undefined : Generate.generate(generate),
      subsequences: options.subsequences,
      apiKeys: options.apiKeys ?? [{ key: defaultApiKey, scopes: ["all:all"] }],
      paidPlan: options.paidPlan ?? true
    })
    const rateLimit = options.rateLimit === false ? undefined : options.rateLimit ?? {}
    const limiter = RateLimiter.make(
      rateLimit === undefined ? [] : [
        { limit: rateLimit.perSecond ?? defaultRateLimit.perSecond, millis: 1_000 },
        { limit: rateLimit.perMinute ?? defaultRateLimit.perMinute, millis: 60_000 }
      ]
    )
    const app = App.make(workspace, { limiter, retryAfter: rateLimit?.retryAfter ?? true, planner })
    const { leads, lead, putLeads, subsequences, subsequence, putSubsequences } = workspace
    const { putApiKey, revokeApiKey, paidPlan, setPaidPlan, counters, resetCounters } = workspace
    return {
      url: defaultBaseUrl,
      app,
      leads,
      lead,
      putLeads,
      subsequences,
      subsequence,
      putSubsequences,
      putApiKey,
      revokeApiKey,
      paidPlan,
      setPaidPlan,
      counters,
      resetCounters
    } satisfies Service
  })

type WebBody = NonNullable<NonNullable<ConstructorParameters<typeof Request>[1]>["body"]> | null

/** The body of a client request as the web `Request` takes it. */
const webBody = (request: HttpClientRequest.HttpClientRequest): Either.Either<WebBody, string> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Either.right(null)
    case "Uint8Array":
      return Either.right(body.body as Uint8Array<ArrayBuffer>)
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array
        ? Either.right(body.body as string | Uint8Array<ArrayBuffer>)
        : Either.left("a raw body that is not a string or bytes")
    default:
      return Either.left(`a ${body._tag} body`)
  }
}

/**
 * An `HttpClient` that answers every request with `app`, in the caller's fiber and with no socket;
 * a dropped connection fails as a transport `RequestError`, as it would over a network.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const inProcessClient = (app: HttpApp.Default<ConnectionDropped>): Effect.Effect<HttpClient.HttpClient> =>
  Effect.map(Effect.runtime<never>(), (runtime) =>
    HttpClient.make((request, url) =>
      Either.match(webBody(request), {
        onLeft: (what) =>
          Effect.fail(
            new HttpClientError.RequestError({
              request,
              reason: "Encode",
              description: `the emulator's in-process client cannot send ${what}`
            })
          ),
        onRight: (body) =>
          app.pipe(
            Effect.provideService(
              HttpServerRequest.HttpServerRequest,
              HttpServerRequest.fromWeb(new Request(url, { method: request.method, headers: request.headers, body }))
            ),
            Effect.map((response) =>
              HttpClientResponse.fromWeb(request, HttpServerResponse.toWeb(response, { runtime }))
            ),
            Effect.catchTag("ConnectionDropped", () =>
              Effect.fail(
                new HttpClientError.RequestError({
                  request,
                  reason: "Transport",
                  description: "the emulator dropped the connection (injected fault)"
                })
              ))
          )
      })
    ))

/**
 * The emulator and an `HttpClient` that calls it in-process: fast tests with no socket. Use
 * `defaultApiKey` as the client's key; any base URL works.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerClient = (
  options?: InstantlyEmulatorOptions
): Layer.Layer<InstantlyEmulator | HttpClient.HttpClient> =>
  Layer.effectContext(Effect.gen(function*() {
    const emulator = yield* make(options)
    const client = yield* inProcessClient(emulator.app)
    return Context.make(InstantlyEmulator, emulator).pipe(Context.add(HttpClient.HttpClient, client))
  }))

/** Over a socket, a dropped connection is the socket destroyed with no answer written. */
const destroySocketOnDrop = (app: HttpApp.Default<ConnectionDropped>): HttpApp.Default =>
  Effect.catchTag(app, "ConnectionDropped", () =>
    Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
      NodeHttpServerRequest.toServerResponse(request).destroy()
      return HttpServerResponse.empty()
    }))

/**
 * The emulator served over HTTP on `127.0.0.1` through `@effect/platform-node`; `port` 0 (the default)
 * picks a free port, and the service's `url` says which. Closed, with its connections, with the layer.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerServer = (
  options: InstantlyEmulatorServerOptions = {}
): Layer.Layer<InstantlyEmulator, HttpServerError.ServeError> =>
  Layer.scoped(
    InstantlyEmulator,
    Effect.gen(function*() {
      const emulator = yield* make(options)
      const port = options.port ?? 0
      const server = Http.createServer()
      const httpServer = yield* NodeHttpServer.make(() => server, { port, host: "127.0.0.1" })
      // Runs before the server's own close, which would otherwise wait for never-ending answers.
      yield* Effect.addFinalizer(() => Effect.sync(() => server.closeAllConnections()))
      yield* httpServer.serve(destroySocketOnDrop(emulator.app))
      const address = httpServer.address as HttpServer.TcpAddress
      return { ...emulator, url: `http://127.0.0.1:${address.port}` }
    })
  )
