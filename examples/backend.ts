import { HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Config, Duration, Effect, Layer, Option } from "effect"
import {
  type InstantlyAuthError,
  InstantlyClient,
  type InstantlyError,
  type InstantlyPaymentRequiredError,
  Leads
} from "effect-instantly"
import { createServer } from "node:http"

// 401, 402, 403: our key or plan is wrong, not the caller's request. Log it for us, answer 500.
const misconfigured = (error: InstantlyAuthError | InstantlyPaymentRequiredError) =>
  Effect.as(
    Effect.logError(`Instantly refused the call (${error.status}: ${error.message}); check the API key and plan`),
    HttpServerResponse.empty({ status: 500 })
  )

// Instantly failed or could not be reached, after the client's retries: 502.
const unavailable = (error: InstantlyError) =>
  Effect.as(Effect.logWarning(`${error._tag}: ${error.message}`), HttpServerResponse.empty({ status: 502 }))

// POST /leads/:id/stop-follow-ups, e.g. from a reply webhook: take the lead out of its subsequence.
const stopFollowUps = Effect.gen(function*() {
  const { id = "" } = yield* HttpRouter.params
  const leads = yield* Leads
  const lead = yield* leads.removeFromSubsequence(id)
  return HttpServerResponse.unsafeJson({ id: lead.id, subsequence_id: lead.subsequence_id })
}).pipe(
  Effect.catchTags({
    // 404: the lead is gone, so there is nothing left to stop.
    InstantlyNotFoundError: () => Effect.succeed(HttpServerResponse.empty({ status: 204 })),
    InstantlyAuthError: misconfigured,
    InstantlyPaymentRequiredError: misconfigured,
    // 429 still, or a Retry-After longer than we wait: our caller should come back when Instantly said.
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

// One client for the process: one rate limiter, one connection pool. It waits out a Retry-After of up
// to 5 seconds; beyond that the caller gets the 503 at once rather than a request held open.
const InstantlyLive = Leads.Default.pipe(
  Layer.provide(InstantlyClient.layerConfig({ retry: { maxRetryAfter: "5 seconds" } })),
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
