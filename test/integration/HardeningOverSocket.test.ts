/**
 * Faults whose behaviour depends on the transport, checked over real loopback sockets with each of
 * the platform's clients and `InstantlyHttpClient`: connection refused and DNS failures keep their codes, a byte order mark
 * decodes, a body consumed by a tap is not retried, a bad key or base URL never reaches the network,
 * and the rate limiter keeps a real server under its limit whatever the latency.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { InstantlyClient, type InstantlyClientOptions, Leads } from "../../src/index.js"
import { InstantlyEmulator } from "../../src/InstantlyEmulator.js"
import { InstantlyHttpClient } from "../../src/node.js"
import seed from "../fixtures/lead-seed-example.json" with { type: "json" }
import { emulator, leadsWith } from "../utils/Emulator.js"
import { closedPort, rawServer } from "../utils/RawServer.js"

const leadId = seed.id
const clients = [
  ["FetchHttpClient", FetchHttpClient.layer],
  ["NodeHttpClient.layer", NodeHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["InstantlyHttpClient.layer", InstantlyHttpClient.layer]
] as const

/** `Leads` over `InstantlyClient` at `baseUrl`, over `http`; retries off unless `options` say otherwise. */
const leadsAt = (
  http: Layer.Layer<HttpClient.HttpClient>,
  baseUrl: string,
  options: Omit<InstantlyClientOptions, "apiKey" | "baseUrl"> = { retry: false }
) =>
  Leads.Default.pipe(
    Layer.provide(
      InstantlyClient.layer({ apiKey: Redacted.make(InstantlyEmulator.defaultApiKey), baseUrl, ...options })
    ),
    Layer.provide(http)
  )

const get = Effect.flatMap(Leads, (leads) => leads.get(leadId))

describe.each(clients)("over %s", (_, http) => {
  it.effect("connection refused is a transport error with code ECONNREFUSED", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const error = yield* Effect.flip(Effect.provide(get, leadsAt(http, `http://127.0.0.1:${port}`)))
      expect(error).toMatchObject({ _tag: "InstantlyTransportError", reason: "Transport", code: "ECONNREFUSED" })
      expect(error.message).toContain("ECONNREFUSED")
    }))

  it.effect("a host that does not resolve is a transport error with a DNS code, told apart from a refusal", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.provide(get, leadsAt(http, "http://api.instantly.invalid")))
      expect(error._tag).toBe("InstantlyTransportError")
      expect(error._tag === "InstantlyTransportError" && error.code).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/)
    }))

  it.effect("a redirect is not followed: a POST answered 302 is InstantlyRedirectError, sent once, never a GET", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const { url } = yield* rawServer((request, response) => {
        seen.push(`${request.method} ${request.url}`)
        if (request.method === "POST") response.writeHead(302, { location: `/api/v2/leads/${leadId}` }).end()
        else response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(seed))
      })
      const error = yield* Effect.flip(
        Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId)).pipe(
          Effect.provide(leadsAt(http, url, {}))
        )
      )
      expect(error).toMatchObject({ _tag: "InstantlyRedirectError", status: 302, location: `/api/v2/leads/${leadId}` })
      expect(seen).toEqual(["POST /api/v2/leads/subsequence/remove"])
    }).pipe(Effect.scoped))

  it.effect("a JSON body behind a UTF-8 byte order mark decodes", () =>
    Effect.gen(function*() {
      const { url } = yield* rawServer((_, response) => {
        response.writeHead(200, { "content-type": "application/json; charset=utf-8" })
        response.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(seed))]))
      })
      const lead = yield* Effect.provide(get, leadsAt(http, url))
      expect(lead.id).toBe(leadId)
    }).pipe(Effect.scoped))

  it.scopedLive.each(
    [
      ["a 200 that never ends (chunked)", 200, undefined],
      ["a 500 saying content-length 200 MiB", 500, 200 * 1024 * 1024]
    ] as const
  )(
    "%s: read up to maxResponseBytes, then aborted, InstantlyDecodeError, not retried",
    ([, status, length]) =>
      Effect.gen(function*() {
        let requests = 0
        let closed = 0
        let written = 0
        const chunk = Buffer.alloc(64 * 1024, 0x20)
        const { url } = yield* rawServer((_, response) => {
          requests++
          response.writeHead(status, {
            "content-type": "application/json",
            ...(length === undefined ? {} : { "content-length": String(length) })
          })
          response.on("close", () => closed++)
          // Writes as fast as the client reads, until 64 MiB or the client goes away.
          const write = (): void => {
            while (!response.destroyed && written < 64 * 1024 * 1024) {
              written += chunk.length
              if (!response.write(chunk)) return void response.once("drain", write)
            }
          }
          write()
        })
        const error = yield* Effect.flip(
          Effect.provide(get, leadsAt(http, url, { maxResponseBytes: 1024 * 1024, retry: { baseDelay: "1 millis" } }))
        )
        expect(error).toMatchObject({
          _tag: "InstantlyDecodeError",
          status,
          attempts: 1,
          message:
            "response body larger than 1048576 bytes (maxResponseBytes): not read further, the request was aborted"
        })
        expect(requests).toBe(1)
        // The connection is closed by the client, long before the server has written all it would.
        yield* Effect.suspend(() => closed > 0 ? Effect.void : Effect.fail("open")).pipe(
          Effect.retry({ times: 200, schedule: Schedule.spaced("10 millis") })
        )
        expect(written).toBeLessThan(32 * 1024 * 1024)
      })
  )

  it.effect("a body a transformClient tap reads (as a stream, the hardest case) is still decoded, and sent once", () =>
    Effect.gen(function*() {
      let requests = 0
      const { url } = yield* rawServer((_, response) => {
        requests++
        response.writeHead(200, { "content-type": "application/json" })
        response.end(JSON.stringify(seed))
      })
      let tapped = 0
      const lead = yield* Effect.provide(
        get,
        leadsAt(http, url, {
          timeout: "2 seconds",
          transformClient: HttpClient.tap((response) =>
            Stream.runForEach(response.stream, (chunk) => Effect.sync(() => void (tapped += chunk.length)))
          )
        })
      )
      expect(lead.id).toBe(leadId)
      expect(tapped).toBe(JSON.stringify(seed).length)
      expect(requests).toBe(1)
    }).pipe(Effect.scoped))
})

describe("configuration that cannot work fails before the network", () => {
  it.effect("a key with a line break inside fails when the layer is built: no request reaches the server", () =>
    Effect.gen(function*() {
      let requests = 0
      const { url } = yield* rawServer((_, response) => {
        requests++
        response.end()
      })
      const exit = yield* Effect.exit(Layer.build(
        InstantlyClient.layer({ apiKey: Redacted.make("sk_live\nSECRET"), baseUrl: url }).pipe(
          Layer.provide(NodeHttpClient.layerUndici)
        )
      ))
      expect(exit._tag).toBe("Failure")
      expect(requests).toBe(0)
    }).pipe(Effect.scoped))

  it.effect("a base URL written with /api/v2 reaches the right routes of the emulator", () =>
    Effect.gen(function*() {
      const server = yield* InstantlyEmulator
      const [lead] = yield* server.leads
      const removed = yield* Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(lead!.id)).pipe(
        Effect.provide(leadsAt(NodeHttpClient.layerUndici, `${server.url}/api/v2/`))
      )
      expect(removed.subsequence_id).toBeNull()
    }).pipe(Effect.provide(emulator("socket"))))

  it.effect("a route the server does not have is InstantlyRouteNotFoundError, never 'not found'", () =>
    Effect.gen(function*() {
      const server = yield* InstantlyEmulator
      const [lead] = yield* server.leads
      const error = yield* Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(lead!.id)).pipe(
        Effect.provide(leadsAt(NodeHttpClient.layerUndici, `${server.url}/v2`)),
        Effect.flip
      )
      expect(error).toMatchObject({ _tag: "InstantlyRouteNotFoundError", status: 404 })
      expect(error.message).toBe("Route POST:/v2/api/v2/leads/subsequence/remove not found")
      expect((yield* server.lead(lead!.id)).pipe((l) => l._tag === "Some" && l.value.subsequence_id)).not.toBe(null)
    }).pipe(Effect.provide(emulator("socket"))))
})

describe("the rate limiter against a real server's limit", () => {
  it.live(
    "500 removals from 50 fibers at the emulator's default limit, retries off: not one 429",
    () =>
      Effect.gen(function*() {
        const server = yield* InstantlyEmulator
        const leads = yield* Leads
        const ids = InstantlyEmulator.generateLeads({ count: 500, seed: 11 }).map((lead) => lead.id)
        yield* Effect.forEach(ids, (id) => leads.removeFromSubsequence(id), { concurrency: 50, discard: true })
        const counters = yield* server.counters
        expect(counters.rateLimited).toBe(0)
        expect(counters.operations.removeFromSubsequence).toBe(500)
      }).pipe(
        Effect.provide(
          leadsWith(InstantlyEmulator.defaultApiKey, { retry: false }).pipe(
            Layer.provideMerge(emulator("socket", { leads: InstantlyEmulator.generateLeads({ count: 500, seed: 11 }) }))
          )
        )
      ),
    30_000
  )
})
