/**
 * The emulated API as an `HttpApp`: routes, Instantly's checks in order (key, rate limit, scope,
 * plan, body, lead), answers encoded with the `Lead`, `ListLeadsResponse`, `Subsequence` and
 * `ErrorEnvelope` schemas, and fault injection.
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { ErrorEnvelope, statusText } from "../InstantlyError.js"
import { Lead, ListLeadsResponse } from "../Lead.js"
import { Subsequence } from "../Subsequence.js"
import { bodyMessage, ListBody, MoveBody, RemoveBody } from "./Bodies.js"
import type { Planner } from "./Faults.js"
import { matcher } from "./ListLeads.js"
import type { RateLimiter } from "./RateLimiter.js"
import type { Operation, Workspace } from "./Workspace.js"

/**
 * The emulator decided to drop this request's connection without answering: a server closes the
 * socket, the in-process client fails with a transport `RequestError`.
 *
 * @since 0.1.0
 * @category Errors
 */
export class ConnectionDropped extends Schema.TaggedError<ConnectionDropped>()("ConnectionDropped", {}) {}

/**
 * The scopes of which a key needs one to change a lead (remove, move).
 *
 * @since 0.1.0
 * @category Constants
 */
export const updateScopes: ReadonlyArray<string> = ["leads:update", "leads:all", "all:update", "all:all"]

/**
 * The scopes of which a key needs one to read a lead.
 *
 * @since 0.1.0
 * @category Constants
 */
export const readScopes: ReadonlyArray<string> = ["leads:read", "leads:all", "all:read", "all:all"]

/**
 * The scopes of which a key needs one to read a subsequence.
 *
 * @since 0.2.0
 * @category Constants
 */
export const subsequenceReadScopes: ReadonlyArray<string> = [
  "subsequences:read",
  "subsequences:all",
  "all:read",
  "all:all"
]

/**
 * How the app behaves beyond the workspace's state.
 *
 * @since 0.1.0
 * @category Models
 */
export interface AppOptions {
  readonly limiter: RateLimiter
  /** Whether a 429 carries `Retry-After` (whole seconds until the window has room). */
  readonly retryAfter: boolean
  readonly planner: Planner
}

/** A request refused with an error envelope. */
class Rejection extends Data.TaggedError("Rejection")<{
  readonly status: number
  readonly message: string
  readonly headers?: Readonly<Record<string, string>>
}> {}

const reject = (status: number, message: string, headers?: Readonly<Record<string, string>>) =>
  Effect.fail(new Rejection({ status, message, ...(headers ? { headers } : {}) }))

const encodeEnvelope = HttpServerResponse.schemaJson(ErrorEnvelope)
const encodeLead = HttpServerResponse.schemaJson(Lead)
const encodeSubsequence = HttpServerResponse.schemaJson(Subsequence)
const encodeList = HttpServerResponse.schemaJson(ListLeadsResponse)

/** 200 with the value encoded by `encode`, or 404 `Resource not found` when there is none. */
const found = <A>(encode: (value: A) => Effect.Effect<HttpServerResponse.HttpServerResponse, unknown>) =>
  Option.match({
    onNone: () => reject(404, "Resource not found"),
    onSome: (value: A) => Effect.orDie(encode(value))
  })

/**
 * An answer in Instantly's error envelope `{statusCode, error, message}`.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const errorResponse = (
  status: number,
  message: string,
  headers: Readonly<Record<string, string>> = {}
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  Effect.orDie(encodeEnvelope({ statusCode: status, error: statusText(status), message }, { status, headers }))

const fromRejection = (rejection: Rejection) => errorResponse(rejection.status, rejection.message, rejection.headers)

const readBody = <A, I>(schema: Schema.Schema<A, I>) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const text = yield* Effect.orElseSucceed(request.text, () => "")
    const json = yield* Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: () => new Rejection({ status: 400, message: "Body is not valid JSON" })
    })
    return yield* Effect.mapError(
      Schema.decodeUnknown(schema)(json),
      (error) => new Rejection({ status: 400, message: bodyMessage(error) })
    )
  })

interface Endpoint {
  readonly method: "GET" | "POST"
  readonly path: `/${string}`
  readonly operation: Operation
  readonly scopes: ReadonlyArray<string>
  /** The operation's 200 answer, or the rejection (400, 404) of its body or ids. */
  readonly run: Effect.Effect<
    HttpServerResponse.HttpServerResponse,
    Rejection,
    HttpServerRequest.HttpServerRequest | HttpRouter.RouteContext
  >
}

const pathPattern = (path: string) => new RegExp(`^${path.replace(/:[^/]+/g, "[^/]+")}$`)

/**
 * Builds the app serving `workspace` with the given limiter, `Retry-After` choice and fault planner.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (workspace: Workspace, options: AppOptions): HttpApp.Default<ConnectionDropped> => {
  const endpoints: ReadonlyArray<Endpoint> = [
    {
      method: "POST",
      path: "/api/v2/leads/subsequence/remove",
      operation: "removeFromSubsequence",
      scopes: updateScopes,
      run: readBody(RemoveBody).pipe(
        Effect.flatMap((body) => workspace.removeFromSubsequence(body.id)),
        Effect.flatMap(found(encodeLead))
      )
    },
    {
      method: "POST",
      path: "/api/v2/leads/subsequence/move",
      operation: "moveToSubsequence",
      scopes: updateScopes,
      run: readBody(MoveBody).pipe(
        Effect.flatMap((body) => workspace.moveToSubsequence(body.id, body.subsequence_id)),
        Effect.flatMap((moved) => {
          switch (moved._tag) {
            case "Moved":
              return Effect.orDie(encodeLead(moved.lead))
            case "NoSuchLead":
              return reject(404, "Resource not found")
            case "NoSuchSubsequence":
              return reject(404, "Subsequence not found")
          }
        })
      )
    },
    {
      method: "POST",
      path: "/api/v2/leads/list",
      operation: "list",
      scopes: readScopes,
      run: readBody(ListBody).pipe(
        Effect.flatMap((body) =>
          Either.match(matcher(body), {
            onLeft: (message) => reject(400, message),
            onRight: (selects) => workspace.list(body, selects)
          })
        ),
        Effect.flatMap((page) => Effect.orDie(encodeList({ items: page.items, next_starting_after: page.next })))
      )
    },
    {
      method: "GET",
      path: "/api/v2/leads/:id",
      operation: "get",
      scopes: readScopes,
      run: HttpRouter.params.pipe(
        Effect.flatMap((params) => workspace.lead(params["id"] ?? "")),
        Effect.flatMap(found(encodeLead))
      )
    },
    {
      method: "GET",
      path: "/api/v2/subsequences/:id",
      operation: "getSubsequence",
      scopes: subsequenceReadScopes,
      run: HttpRouter.params.pipe(
        Effect.flatMap((params) => workspace.subsequence(params["id"] ?? "")),
        Effect.flatMap(found(encodeSubsequence))
      )
    }
  ]

  /** The checks Instantly makes before an operation: key, workspace rate limit, scope, plan. */
  const admit = (scopes: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const header = request.headers["authorization"]
      if (header === undefined || header.trim() === "") return yield* reject(401, "Missing Authorization header")
      const bearer = /^Bearer +(\S+) *$/i.exec(header)
      if (bearer === null) return yield* reject(401, "Malformed Authorization header: expected 'Bearer <API key>'")
      const keyScopes = yield* workspace.scopesOf(bearer[1]!)
      if (Option.isNone(keyScopes)) return yield* reject(401, "Invalid API key")

      const decision = options.limiter.tryAcquire(yield* Clock.currentTimeMillis)
      if (decision._tag === "Rejected") {
        yield* workspace.countRateLimited
        const seconds = String(Math.max(1, Math.ceil(decision.retryAfterMillis / 1000)))
        return yield* reject(429, "Rate limit exceeded", options.retryAfter ? { "retry-after": seconds } : undefined)
      }
      if (!scopes.some((scope) => keyScopes.value.includes(scope))) {
        return yield* reject(403, `API key lacks the required scope: one of ${scopes.join(", ")}`)
      }
      if (!(yield* workspace.paidPlan)) return yield* reject(402, "Workspace does not have an active paid plan")
    })

  const handler = (endpoint: Endpoint) =>
    admit(endpoint.scopes).pipe(
      Effect.zipRight(endpoint.run),
      Effect.tap(workspace.countOperation(endpoint.operation)),
      Effect.catchTag("Rejection", fromRejection)
    )

  const patterns = endpoints.map((endpoint) => [pathPattern(endpoint.path), endpoint.method] as const)

  /** 405 (with `Allow`) for a path we serve with another method, else 404 like Fastify. */
  const routeNotFound = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const path = request.url.split("?")[0] ?? "/"
    const allowed = patterns.filter(([pattern]) => pattern.test(path)).map(([, method]) => method)
    return allowed.length > 0
      ? errorResponse(405, `Method ${request.method} is not allowed on ${path}`, { allow: allowed.join(", ") })
      : errorResponse(404, `Route ${request.method}:${path} not found`)
  })

  const router = HttpRouter.fromIterable(
    endpoints.map((endpoint) => HttpRouter.makeRoute(endpoint.method, endpoint.path, handler(endpoint)))
  )
  const app = Effect.catchTag(router, "RouteNotFound", () => routeNotFound)
  return withFaults(workspace, options.planner, app)
}

const encoder = new TextEncoder()

/** Hangs without holding a timer, so a forgotten hang never keeps the process alive. */
const forever: Effect.Effect<never> = Effect.async<never>(() => {})

const neverEnding = HttpServerResponse.stream(
  Stream.concat(Stream.succeed(encoder.encode("{\"id\":\"")), Stream.fromEffect(forever)),
  { status: 200, contentType: "application/json" }
)

const nonJson = HttpServerResponse.text(
  "<!DOCTYPE html><html><head><title>Instantly</title></head><body>Something went wrong.</body></html>",
  { status: 200, contentType: "text/html; charset=utf-8" }
)

/** The app behind a flaky network: delays, 5xx, dropped connections and mangled 200s, as planned. */
const withFaults = (
  workspace: Workspace,
  planner: Planner,
  app: HttpApp.Default<never>
): HttpApp.Default<ConnectionDropped> =>
  Effect.gen(function*() {
    const { delay, fault } = planner(yield* workspace.countRequest)
    if (Duration.greaterThan(delay, Duration.zero)) {
      yield* workspace.countFault("delayed")
      // Interruptible even inside a server's uninterruptible handler: a client that gives up frees it.
      yield* Effect.interruptible(Effect.sleep(delay))
    }
    switch (fault._tag) {
      case "ServerError": {
        yield* workspace.countFault("serverError")
        return yield* errorResponse(fault.status, statusText(fault.status))
      }
      case "DropConnection": {
        yield* workspace.countFault("dropped")
        return yield* new ConnectionDropped()
      }
      case "NeverEnds": {
        yield* workspace.countFault("neverEnded")
        return neverEnding
      }
    }
    const response = yield* app
    if (response.status !== 200 || fault._tag === "None") return response
    if (fault._tag === "NonJsonBody") {
      yield* workspace.countFault("nonJson")
      return nonJson
    }
    yield* workspace.countFault("truncated")
    // The connection breaks mid-body, as it does on a network: the headers promise the whole body, half
    // of it comes, then the stream fails (over a socket, the socket is destroyed).
    const body = response.body._tag === "Uint8Array" ? response.body.body : new Uint8Array()
    return HttpServerResponse.stream(
      Stream.concat(Stream.succeed(body.slice(0, Math.floor(body.length / 2))), Stream.die("connection cut mid-body")),
      { status: 200, contentType: "application/json", contentLength: body.length }
    )
  }).pipe(Effect.tap((response) => workspace.countResponse(response.status)))
