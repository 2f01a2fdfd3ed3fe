/**
 * Wiring for emulator tests: the real `Leads` and `InstantlyClient` pointed at an emulator, raw
 * requests for wire-level checks, and outcomes reduced to plain data so two runs can be compared.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import {
  InstantlyClient,
  type InstantlyClientOptions,
  type InstantlyError,
  Lead,
  Leads,
  Subsequences
} from "../../src/index.js"
import { InstantlyEmulator, type InstantlyEmulatorServerOptions } from "../../src/InstantlyEmulator.js"
import { InstantlyHttpClient } from "../../src/node.js"

/**
 * An emulator called in-process, or served on a loopback socket and called over undici: through
 * `NodeHttpClient.layerUndici` ("socket") or our `InstantlyHttpClient.layer` ("fast socket").
 */
export type Transport = "in-process" | SocketTransport

/** The transports that reach the emulator over a real socket. */
export type SocketTransport = "socket" | "fast socket"

/** Every socket transport, for tests that run over each. */
export const socketTransports: ReadonlyArray<SocketTransport> = ["socket", "fast socket"]

/** The emulator and an `HttpClient` that reaches it. */
export const emulator = (
  transport: Transport,
  options: InstantlyEmulatorServerOptions = {}
): Layer.Layer<InstantlyEmulator | HttpClient.HttpClient> =>
  transport === "in-process"
    ? InstantlyEmulator.layerClient(options)
    : Layer.merge(
      Layer.orDie(InstantlyEmulator.layerServer(options)),
      transport === "socket" ? NodeHttpClient.layerUndici : InstantlyHttpClient.layer
    )

/**
 * The real `Leads` and `Subsequences` over one real `InstantlyClient`, pointed at the emulator's `url` with `apiKey`.
 * Retries and the client's limiter are off unless `client` turns them on: most emulator tests check
 * what one request gets back, so one answer must reach the caller as it is.
 */
export const leadsWith = (
  apiKey: string = InstantlyEmulator.defaultApiKey,
  client: Omit<InstantlyClientOptions, "apiKey" | "baseUrl"> = { retry: false, rateLimit: false }
) =>
  Layer.unwrapEffect(Effect.map(InstantlyEmulator, (emulator) =>
    Layer.merge(Leads.Default, Subsequences.Default).pipe(
      Layer.provide(InstantlyClient.layer({ ...client, apiKey: Redacted.make(apiKey), baseUrl: emulator.url }))
    )))

/** `Leads` and `Subsequences` over an emulator, plus the emulator and its `HttpClient` for the test to use. */
export const layer = (transport: Transport, options: InstantlyEmulatorServerOptions = {}) =>
  leadsWith().pipe(Layer.provideMerge(emulator(transport, options)))

/** A wire-level answer. */
export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

/** Sends a raw request to the emulator (default key, JSON body when given) and reads the answer. */
export const send = (
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH",
  path: string,
  options: { readonly authorization?: string | null; readonly body?: string } = {}
): Effect.Effect<Answer, never, InstantlyEmulator | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const { url } = yield* InstantlyEmulator
    const client = yield* HttpClient.HttpClient
    const authorization = options.authorization === undefined
      ? `Bearer ${InstantlyEmulator.defaultApiKey}`
      : options.authorization
    let request = HttpClientRequest.make(method)(url + path)
    if (authorization !== null) request = HttpClientRequest.setHeader(request, "authorization", authorization)
    if (options.body !== undefined) request = HttpClientRequest.bodyText(request, options.body, "application/json")
    const response = yield* client.execute(request)
    const text = yield* response.text
    const body: unknown = text === "" ? null : JSON.parse(text)
    return { status: response.status, headers: response.headers, body }
  }).pipe(Effect.orDie)

/** An operation's outcome as plain data: the encoded lead, or the error's tag, status and message. */
export type Outcome =
  | { readonly lead: unknown }
  | { readonly error: string; readonly status?: number; readonly message: string }

/** Runs an operation and reduces its outcome to plain data. */
export const outcome = <R>(self: Effect.Effect<Lead, InstantlyError, R>): Effect.Effect<Outcome, never, R> =>
  Effect.match(self, {
    onSuccess: (lead) => ({ lead: Schema.encodeSync(Lead)(lead) }),
    onFailure: (error) => ({
      error: error._tag,
      ...("status" in error ? { status: error.status } : {}),
      message: error.message
    })
  })
