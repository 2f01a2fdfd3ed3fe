import { HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Config, Duration, Effect, Layer, Option } from "effect"
import { InstantlyClient, type InstantlyError, type InstantlyHttpError, Leads } from "effect-instantly"
import { createServer } from "node:http"

// 401, 402, 403, or a redirect or unknown route (a wrong base URL): our setup is wrong, not the caller's
// request. Log it for us, answer 500.
const misconfigured = (error: InstantlyHttpError) =>
  Effect.as(
    Effect.logError(`Instantly refused the call (${error.status}: ${error.message}); check the key, plan and URL`),
    HttpServerResponse.empty({ status: 500 })
  )

// Instantly failed or could not be reached, after the client's retries: 502.
const unavailable = (error: InstantlyError) =>
  Effect.as(Effect.logWarning(`${error._tag}: ${error.message}`), HttpServerResponse.empty({ status: 502 }))

// POST /leads/:id/stop-follow-ups, e.g. from a reply webhook: take the lead out of its subsequence.
const stopFollowUps = Effect.gen(function*() {
  const { id = "" } = yield* HttpRouter.params
  const leads = yield* Leads
  // However long Instantly asks us to wait, our caller gets an answer within 5 seconds.
  const lead = yield* leads.removeFromSubsequence(id, { timeout: "5 seconds" })
  return HttpServerResponse.unsafeJson({ id: lead.id, subsequence_id: lead.subsequence_id })
}).pipe(
  Effect.catchTags({
    // 404: the lead is gone, so there is nothing left to stop.
    InstantlyNotFoundError: () => Effect.succeed(HttpServerResponse.empty({ status: 204 })),
    InstantlyAuthError: misconfigured,
    InstantlyPaymentRequiredError: misconfigured,
    InstantlyRedirectError: misconfigured,
    InstantlyRouteNotFoundError: misconfigured,
    // 429 still, or a Retry-After past our 5 seconds: our caller should come back when Instantly said.
    InstantlyRateLimitError: (error) =>
      Effect.succeed(HttpServerResponse.empty({
        status: 503,
        headers: Option.match(error.retryAfter, {
          onNone: () => ({}),
          onSome: (wait) => ({ "retry-after": String(Math.ceil(Duration.toSeconds(wait))) })
        })
      })),
    // Not a UUID: nothing was sent.
    InstantlyInvalidInputError: () => Effect.succeed(HttpServerResponse.empty({ status: 400 })),
    InstantlyBadRequestError: unavailable,
    InstantlyServerError: unavailable,
    InstantlyTransportError: unavailable,
    InstantlyDecodeError: unavailable
  })
)

// One client for the process: one rate limiter, one connection pool.
const InstantlyLive = Leads.Default.pipe(
  Layer.provide(InstantlyClient.layerConfig()),
  Layer.provide(NodeHttpClient.layerUndici)
)

// Layers are released in the reverse order they were built. InstantlyLive, provided last, is built first
// and released last: on SIGINT the server stops taking requests and answers those in flight, and only
// then are the Instantly client and its connections released. (Provided before NodeHttpServer.layerConfig,
// InstantlyLive would be released first, and the calls in flight would fail.)
const Main = HttpRouter.empty.pipe(
  HttpRouter.post("/leads/:id/stop-follow-ups", stopFollowUps),
  HttpServer.serve(),
  HttpServer.withLogAddress,
  Layer.provide(
    NodeHttpServer.layerConfig(createServer, { port: Config.integer("PORT").pipe(Config.withDefault(3000)) })
  ),
  Layer.provide(InstantlyLive)
)

NodeRuntime.runMain(Layer.launch(Main))
