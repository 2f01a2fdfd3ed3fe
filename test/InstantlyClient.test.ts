import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { readFileSync } from "node:fs"
import { InstantlyClient, type InstantlyClientOptions, Leads, userAgent, version } from "../src/index.js"
import seed from "./fixtures/lead-seed-example.json" with { type: "json" }
import * as MockHttp from "./utils/MockHttp.js"

const apiKey = "sk_live_SECRET-KEY-123"
const leadId = "019cc043-e399-7fdb-86d6-bb0d304b0776"
const removePath = "/api/v2/leads/subsequence/remove"

// One request, one answer: these tests pin how a single response is mapped, so retries are off
// (test/InstantlyClient.retry.test.ts covers them).
const leadsWith = (script: Parameters<typeof MockHttp.layer>[0], baseUrl?: string) =>
  Leads.Default.pipe(
    Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make(apiKey), baseUrl, retry: false })),
    Layer.provideMerge(MockHttp.layer(script))
  )

const removeWith = (script: Parameters<typeof MockHttp.layer>[0]) =>
  Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId)).pipe(
    Effect.flip,
    Effect.provide(leadsWith(script))
  )

/** `Leads` over a client that retries (with the default policy), to show what is not retried. */
const retrying = (script: Parameters<typeof MockHttp.layer>[0], options: Partial<InstantlyClientOptions> = {}) =>
  Leads.Default.pipe(
    Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make(apiKey), ...options })),
    Layer.provideMerge(MockHttp.layer(script))
  )

const envelope = (statusCode: number, error: string, message: string) => ({ statusCode, error, message })

describe("InstantlyClient", () => {
  it.effect("sends base URL, bearer auth, JSON headers and the User-Agent", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      yield* leads.removeFromSubsequence(leadId)
      const [request] = (yield* MockHttp.MockHttp).requests
      expect(request?.url).toBe(`https://api.instantly.ai${removePath}`)
      expect(request?.headers["authorization"]).toBe(`Bearer ${apiKey}`)
      expect(request?.headers["accept"]).toBe("application/json")
      expect(request?.headers["content-type"]).toBe("application/json")
      expect(request?.headers["user-agent"]).toBe(`effect-instantly/${version}`)
      expect(userAgent).toBe(`effect-instantly/${version}`)
    }).pipe(Effect.provide(leadsWith([{ status: 200, json: seed }]))))

  it.effect("appends the spec's paths to a custom base URL, trailing slash or not", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      yield* leads.get(leadId)
      const [request] = (yield* MockHttp.MockHttp).requests
      expect(request?.url).toBe(`http://127.0.0.1:4010/api/v2/leads/${leadId}`)
    }).pipe(Effect.provide(leadsWith([{ status: 200, json: seed }], "http://127.0.0.1:4010/"))))

  it("keeps the package version equal to package.json's", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
    expect(version).toBe(pkg.version)
  })

  describe("maps every status to its tagged error", () => {
    const cases = [
      [400, "Bad Request", "InstantlyBadRequestError"],
      [401, "Unauthorized", "InstantlyAuthError"],
      [402, "Payment Required", "InstantlyPaymentRequiredError"],
      [403, "Forbidden", "InstantlyAuthError"],
      [404, "Not Found", "InstantlyNotFoundError"],
      [405, "Method Not Allowed", "InstantlyBadRequestError"],
      [409, "Conflict", "InstantlyBadRequestError"],
      [422, "Unprocessable Entity", "InstantlyBadRequestError"],
      [429, "Too Many Requests", "InstantlyRateLimitError"],
      [500, "Internal Server Error", "InstantlyServerError"],
      [502, "Bad Gateway", "InstantlyServerError"],
      [503, "Service Unavailable", "InstantlyServerError"],
      [504, "Gateway Timeout", "InstantlyServerError"]
    ] as const
    for (const [status, error, tag] of cases) {
      it.effect(`${status} -> ${tag}`, () =>
        Effect.gen(function*() {
          const failure = yield* removeWith([{ status, json: envelope(status, error, `server says ${status}`) }])
          expect(failure._tag).toBe(tag)
          expect(failure).toMatchObject({
            status,
            message: `server says ${status}`,
            method: "POST",
            path: removePath,
            attempts: 1
          })
        }))
    }
  })

  it.effect("falls back to the status text (and a clue from a body that is not JSON) when the error body is not the envelope", () =>
    Effect.gen(function*() {
      const html = yield* removeWith([{ status: 502, text: "<html>Bad gateway</html>" }])
      expect(html).toMatchObject({ _tag: "InstantlyServerError", message: "Bad Gateway: <html>Bad gateway</html>" })
      const empty = yield* removeWith([{ status: 500 }])
      expect(empty).toMatchObject({ _tag: "InstantlyServerError", message: "Internal Server Error" })
      const onlyError = yield* removeWith([{ status: 403, json: { error: "Insufficient scope" } }])
      expect(onlyError).toMatchObject({ _tag: "InstantlyAuthError", status: 403, message: "Insufficient scope" })
      const onlyMessage = yield* removeWith([{ status: 400, json: { message: "id must be a string" } }])
      expect(onlyMessage).toMatchObject({ _tag: "InstantlyBadRequestError", message: "id must be a string" })
      const odd = yield* removeWith([{ status: 418, json: [1, 2] }])
      expect(odd).toMatchObject({ _tag: "InstantlyBadRequestError", message: "HTTP 418" })
    }))

  describe("reads how long a 429 asks to wait", () => {
    const retryAfterOf = (headers: Record<string, string>) =>
      removeWith([{ status: 429, json: envelope(429, "Too Many Requests", "Rate limit exceeded"), headers }]).pipe(
        Effect.map((error) => {
          if (error._tag !== "InstantlyRateLimitError") {
            throw new Error(`expected a rate limit error, got ${error._tag}`)
          }
          return Option.map(error.retryAfter, Duration.toMillis)
        })
      )

    it.effect("Retry-After in seconds", () =>
      Effect.map(retryAfterOf({ "retry-after": "7" }), (ms) => expect(ms).toEqual(Option.some(7_000))))

    it.effect("retry-after-ms wins over Retry-After", () =>
      Effect.map(
        retryAfterOf({ "retry-after-ms": "1500", "retry-after": "7" }),
        (ms) => expect(ms).toEqual(Option.some(1_500))
      ))

    it.effect("Retry-After as an HTTP date, relative to the clock", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.parse("2026-11-26T12:00:00.000Z"))
        const ms = yield* retryAfterOf({ "retry-after": "Thu, 26 Nov 2026 12:00:30 GMT" })
        expect(ms).toEqual(Option.some(30_000))
        const past = yield* retryAfterOf({ "retry-after": "Thu, 26 Nov 2026 11:00:00 GMT" })
        expect(past).toEqual(Option.some(0))
      }))

    it.effect("no header, or one that means nothing, is None", () =>
      Effect.gen(function*() {
        expect(yield* retryAfterOf({})).toEqual(Option.none())
        expect(yield* retryAfterOf({ "retry-after": "soon" })).toEqual(Option.none())
        expect(yield* retryAfterOf({ "retry-after": "-3" })).toEqual(Option.none())
      }))

    it.effect("a 503 keeps its Retry-After too", () =>
      Effect.gen(function*() {
        const error = yield* removeWith([{ status: 503, headers: { "retry-after": "2" } }])
        expect(error._tag).toBe("InstantlyServerError")
        if (error._tag === "InstantlyServerError") {
          expect(Option.map(error.retryAfter, Duration.toMillis)).toEqual(Option.some(2_000))
        }
      }))
  })

  it.effect("a dropped connection is an InstantlyTransportError", () =>
    Effect.gen(function*() {
      const error = yield* removeWith([{ drop: true }])
      expect(error).toMatchObject({
        _tag: "InstantlyTransportError",
        reason: "Transport",
        method: "POST",
        path: removePath
      })
    }))

  describe("decode errors", () => {
    it.effect("malformed JSON in a 200", () =>
      Effect.gen(function*() {
        const error = yield* removeWith([{ status: 200, text: "{\"id\": \"019cc043" }])
        expect(error).toMatchObject({ _tag: "InstantlyDecodeError", status: 200, path: removePath })
        expect(error.message).toMatch(/JSON|Unterminated|Unexpected/i)
      }))

    it.effect("a 200 that breaks the schema names the field", () =>
      Effect.gen(function*() {
        const error = yield* removeWith([{
          status: 200,
          json: { ...seed, status_summary: undefined, email_open_count: "x" }
        }])
        expect(error._tag).toBe("InstantlyDecodeError")
        expect(error.message).toContain("email_open_count")
      }))

    it.effect("names the failing paths but never repeats what the body held there", () =>
      Effect.gen(function*() {
        const wrong = yield* removeWith([{
          status: 200,
          json: { ...seed, phone: { private: "+49 170 PRIVATE" }, status_summary: undefined }
        }])
        expect(wrong.message).toBe("phone: has an unexpected type or value; status_summary: is missing")
        const html = yield* removeWith([{ status: 200, text: "<html>PRIVATE page</html>" }])
        expect(html.message).toBe("body is not JSON (25 characters)")
        for (const error of [wrong, html]) expect(JSON.stringify(error) + String(error)).not.toContain("PRIVATE")
      }))

    it.effect("an empty 200 body", () =>
      Effect.map(removeWith([{ status: 200 }]), (error) => expect(error._tag).toBe("InstantlyDecodeError")))
  })

  it.effect("the API key is in no error's message, toString() or JSON", () =>
    Effect.gen(function*() {
      const replies: ReadonlyArray<MockHttp.Reply> = [
        { status: 401, json: envelope(401, "Unauthorized", "Invalid API key") },
        { status: 401, json: envelope(401, "Unauthorized", `API key ${apiKey} has been revoked`) },
        { status: 403, json: { error: `Forbidden for ${apiKey}` } },
        { status: 429, headers: { "retry-after": "1" } },
        { status: 500, text: "oops" },
        { drop: true },
        { status: 200, text: "not json" },
        { status: 200, json: { id: 1 } }
      ]
      for (const reply of replies) {
        const error = yield* removeWith([reply])
        for (const text of [error.message, String(error), JSON.stringify(error), JSON.stringify(error.toJSON())]) {
          expect(text).not.toContain(apiKey)
        }
      }
    }))

  it.effect("transformClient gets the last word on the HttpClient", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      yield* leads.removeFromSubsequence(leadId)
      const [request] = (yield* MockHttp.MockHttp).requests
      expect(request?.headers["x-trace"]).toBe("on")
    }).pipe(
      Effect.provide(
        Leads.Default.pipe(
          Layer.provide(InstantlyClient.layer({
            apiKey: Redacted.make(apiKey),
            transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("x-trace", "on"))
          })),
          Layer.provideMerge(MockHttp.layer([{ status: 200, json: seed }]))
        )
      )
    ))

  describe("layerConfig", () => {
    const configured = (env: Record<string, string>) =>
      Leads.Default.pipe(
        Layer.provide(InstantlyClient.layerConfig()),
        Layer.provideMerge(MockHttp.layer([{ status: 200, json: seed }])),
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))
      )

    it.effect("reads INSTANTLY_API_KEY and INSTANTLY_BASE_URL", () =>
      Effect.gen(function*() {
        const leads = yield* Leads
        yield* leads.removeFromSubsequence(leadId)
        const [request] = (yield* MockHttp.MockHttp).requests
        expect(request?.url).toBe(`http://localhost:9/api/v2/leads/subsequence/remove`)
        expect(request?.headers["authorization"]).toBe("Bearer from-env")
      }).pipe(Effect.provide(configured({ INSTANTLY_API_KEY: "from-env", INSTANTLY_BASE_URL: "http://localhost:9" }))))

    it.effect("defaults the base URL", () =>
      Effect.gen(function*() {
        const leads = yield* Leads
        yield* leads.get(leadId)
        const [request] = (yield* MockHttp.MockHttp).requests
        expect(request?.url).toBe(`https://api.instantly.ai/api/v2/leads/${leadId}`)
      }).pipe(Effect.provide(configured({ INSTANTLY_API_KEY: "from-env" }))))

    it.effect("a missing key is a ConfigError that says plainly the variable is not set", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Layer.build(configured({})).pipe(Effect.scoped))
        expect(error._tag).toBe("ConfigError")
        expect(String(error)).toContain("INSTANTLY_API_KEY is not set")
        expect(String(error)).not.toContain("<redacted>")
      }))

    it.effect("trims a key's surrounding whitespace (a trailing newline from a file or .env)", () =>
      Effect.gen(function*() {
        yield* Effect.flatMap(Leads, (leads) => leads.get(leadId))
        const [request] = (yield* MockHttp.MockHttp).requests
        expect(request?.headers["authorization"]).toBe("Bearer from-env")
      }).pipe(Effect.provide(configured({ INSTANTLY_API_KEY: "  from-env\r\n" }))))

    it.effect.each(
      [
        ["empty", "", /INSTANTLY_API_KEY is empty/],
        ["blank", " \n", /INSTANTLY_API_KEY is empty/],
        ["a line break inside", "sk_live\nSECRET", /control character \(U\+000A\) at position 8/],
        ["a NUL", "sk_live\u0000SECRET", /control character \(U\+0000\)/],
        ["non-ASCII", "sk_live_SËCRET", /non-ASCII character at position 10/],
        ["written with its Bearer prefix", "Bearer sk_live_SECRET", /starts with "Bearer ": give the key alone/]
      ] as const
    )(
      "a key that is %s fails the layer with a ConfigError naming the variable, never showing the key",
      ([, key, message]) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(Layer.build(configured({ INSTANTLY_API_KEY: key })).pipe(Effect.scoped))
          expect(error._tag).toBe("ConfigError")
          expect(String(error)).toMatch(message)
          expect(String(error)).toContain("INSTANTLY_API_KEY")
          if (key.trim() !== "") expect(String(error)).not.toContain("SECRET")
        })
    )

    it.effect("an empty INSTANTLY_BASE_URL means the default", () =>
      Effect.gen(function*() {
        yield* Effect.flatMap(Leads, (leads) => leads.get(leadId))
        const [request] = (yield* MockHttp.MockHttp).requests
        expect(request?.url).toBe(`https://api.instantly.ai/api/v2/leads/${leadId}`)
      }).pipe(Effect.provide(configured({ INSTANTLY_API_KEY: "k", INSTANTLY_BASE_URL: "" }))))

    it.effect.each(
      [
        [
          "127.0.0.1:4010",
          /INSTANTLY_BASE_URL must be an absolute http: or https: URL.*did you mean http:\/\/127\.0\.0\.1:4010\?/
        ],
        ["localhost:4010", /did you mean http:\/\/localhost:4010\?/],
        ["not a url", /must be an absolute http: or https: URL/],
        ["ftp://api.instantly.ai", /must be an absolute http: or https: URL/],
        ["https://user:secret@proxy.example", /must not carry credentials/],
        ["https://api.instantly.ai/#v2", /must not have a fragment/],
        ["https://api.instantly.ai/#", /must not have a fragment/],
        ["http://127.0.0.1:0", /must not have port 0/]
      ] as const
    )(
      "INSTANTLY_BASE_URL=%s fails the layer with a ConfigError saying why",
      ([url, message]) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(
            Layer.build(configured({ INSTANTLY_API_KEY: "k", INSTANTLY_BASE_URL: url })).pipe(Effect.scoped)
          )
          expect(error._tag).toBe("ConfigError")
          expect(String(error)).toMatch(message)
          expect(String(error)).not.toContain("secret")
        })
    )
  })

  describe("base URL", () => {
    const urlOf = (baseUrl: string) =>
      Effect.gen(function*() {
        yield* Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId))
        return (yield* MockHttp.MockHttp).requests[0]?.url
      }).pipe(Effect.provide(leadsWith([{ status: 200, json: seed }], baseUrl)))

    it.effect("a base URL that already ends in /api/v2 does not give /api/v2/api/v2", () =>
      Effect.gen(function*() {
        expect(yield* urlOf("https://api.instantly.ai/api/v2")).toBe(`https://api.instantly.ai${removePath}`)
        expect(yield* urlOf("https://api.instantly.ai/api/v2/")).toBe(`https://api.instantly.ai${removePath}`)
        expect(yield* urlOf("https://proxy.example/instantly/api/v2")).toBe(
          `https://proxy.example/instantly${removePath}`
        )
        expect(yield* urlOf("https://api.instantly.ai/api/v2/api/v2")).toBe(`https://api.instantly.ai${removePath}`)
      }))

    it.effect("a query string stays a query string, after the request's path", () =>
      Effect.gen(function*() {
        expect(yield* urlOf("https://proxy.example/instantly/?tenant=a")).toBe(
          `https://proxy.example/instantly${removePath}?tenant=a`
        )
      }))

    it.effect.each(["127.0.0.1:4010", "not a url", "https://api.instantly.ai/#x", "https://u:p@proxy.example"])(
      "InstantlyClient.layer with baseUrl %j is a defect naming baseUrl when the layer is built",
      (baseUrl) =>
        Effect.gen(function*() {
          const exit = yield* Effect.exit(
            Layer.build(leadsWith([{ status: 200, json: seed }], baseUrl)).pipe(Effect.scoped)
          )
          expect(exit._tag === "Failure" && Cause.isDie(exit.cause)).toBe(true)
          if (exit._tag === "Failure") expect(Cause.pretty(exit.cause)).toMatch(/InstantlyClient: baseUrl must/)
        })
    )

    it.effect("InstantlyClient.layer with an unsendable apiKey is a defect naming apiKey, never showing it", () =>
      Effect.gen(function*() {
        for (const key of ["", "sk_live_SECRET\r\nX-Injected: 1", "sk_live_SËCRET"]) {
          const layer = InstantlyClient.layer({ apiKey: Redacted.make(key) }).pipe(
            Layer.provide(MockHttp.layer([{ status: 200, json: seed }]))
          )
          const exit = yield* Effect.exit(Layer.build(layer).pipe(Effect.scoped))
          expect(exit._tag === "Failure" && Cause.isDie(exit.cause)).toBe(true)
          if (exit._tag === "Failure") {
            expect(Cause.pretty(exit.cause)).toMatch(/InstantlyClient: apiKey (is empty|holds)/)
            expect(Cause.pretty(exit.cause)).not.toContain("SECRET")
          }
        }
      }))
    it.effect("InstantlyClient.layer with a timeout that is not a positive duration is a defect naming timeout", () =>
      Effect.gen(function*() {
        for (const timeout of [0, -1, Number.NaN, "0 millis", "bogus"] as const) {
          const layer = InstantlyClient.layer({ apiKey: Redacted.make("key"), timeout: timeout as never }).pipe(
            Layer.provide(MockHttp.layer([{ status: 200, json: seed }]))
          )
          const exit = yield* Effect.exit(Layer.build(layer).pipe(Effect.scoped))
          expect(exit._tag === "Failure" && Cause.isDie(exit.cause)).toBe(true)
          if (exit._tag === "Failure") {
            expect(Cause.pretty(exit.cause)).toContain("InstantlyClient: timeout must be a positive, finite duration")
          }
        }
      }))
  })

  describe("answers that are not what they seem", () => {
    it.effect("a body over maxResponseBytes is read no further: its stream cancelled, the request aborted, InstantlyDecodeError, not retried", () =>
      Effect.gen(function*() {
        let pulled = 0
        let cancelled = false
        const endless = () =>
          new ReadableStream<Uint8Array>({
            pull: (controller) => {
              pulled += 1024
              controller.enqueue(new Uint8Array(1024).fill(0x20))
            },
            cancel: () => void (cancelled = true)
          })
        const layer = Leads.Default.pipe(
          Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make(apiKey), maxResponseBytes: 10_000 })),
          Layer.provideMerge(MockHttp.layer([{ status: 503, body: endless }]))
        )
        const error = yield* Effect.flip(Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId))).pipe(
          Effect.provide(layer)
        )
        expect(error).toMatchObject({
          _tag: "InstantlyDecodeError",
          status: 503,
          attempts: 1,
          message: "response body larger than 10000 bytes (maxResponseBytes): not read further, the request was aborted"
        })
        expect(cancelled).toBe(true)
        expect(pulled).toBeLessThan(20_000)
      }))

    it.effect("a body within maxResponseBytes decodes, streamed in many chunks", () =>
      Effect.gen(function*() {
        const bytes = new TextEncoder().encode(JSON.stringify(seed))
        const chunked = () =>
          new ReadableStream<Uint8Array>({
            start: (controller) => {
              for (let i = 0; i < bytes.length; i += 100) controller.enqueue(bytes.slice(i, i + 100))
              controller.close()
            }
          })
        const layer = Leads.Default.pipe(
          Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make(apiKey), maxResponseBytes: bytes.length })),
          Layer.provideMerge(MockHttp.layer([{ status: 200, body: chunked }]))
        )
        const lead = yield* Effect.provide(Effect.flatMap(Leads, (leads) => leads.get(leadId)), layer)
        expect(lead.id).toBe(seed.id)
      }))

    it.effect("maxResponseBytes that is not a positive integer is a defect naming it when the layer is built", () =>
      Effect.gen(function*() {
        for (const maxResponseBytes of [0, -1, 1.5, Number.NaN]) {
          const layer = InstantlyClient.layer({ apiKey: Redacted.make("key"), maxResponseBytes }).pipe(
            Layer.provide(MockHttp.layer([{ status: 200, json: seed }]))
          )
          const exit = yield* Effect.exit(Layer.build(layer).pipe(Effect.scoped))
          expect(exit._tag === "Failure" && Cause.pretty(exit.cause)).toContain(
            "InstantlyClient: maxResponseBytes must be a positive integer (bytes)"
          )
        }
      }))

    it.effect("a 3xx is InstantlyRedirectError, not followed and not retried", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId)))
        expect(error).toMatchObject({
          _tag: "InstantlyRedirectError",
          status: 301,
          location: "https://api.instantly.ai/"
        })
        expect((yield* MockHttp.MockHttp).requests).toHaveLength(1)
      }).pipe(Effect.provide(retrying([{ status: 301, headers: { location: "https://api.instantly.ai/" } }]))))

    it.effect("a 404 for the route is InstantlyRouteNotFoundError, not retried, so it is never taken for 'lead gone'", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId)))
        expect(error._tag).toBe("InstantlyRouteNotFoundError")
        expect((yield* MockHttp.MockHttp).requests).toHaveLength(1)
      }).pipe(Effect.provide(retrying([{
        status: 404,
        json: {
          message: "Route POST:/api/v2/api/v2/leads/subsequence/remove not found",
          error: "Not Found",
          statusCode: 404
        }
      }]))))

    it.effect("a transport error keeps the underlying code in a field and in its message", () =>
      Effect.gen(function*() {
        const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4010"), { code: "ECONNREFUSED" })
        const error = yield* removeWith([{ drop: true, cause: new TypeError("fetch failed", { cause: refused }) }])
        expect(error).toMatchObject({ _tag: "InstantlyTransportError", reason: "Transport", code: "ECONNREFUSED" })
        expect(error.message).toBe("Transport error: connect ECONNREFUSED 127.0.0.1:4010")
        const dns = Object.assign(new Error("getaddrinfo ENOTFOUND api.instantly.invalid"), { code: "ENOTFOUND" })
        expect(yield* removeWith([{ drop: true, cause: dns }])).toMatchObject({ code: "ENOTFOUND" })
        const undici = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" })
        const closed = yield* removeWith([{ drop: true, cause: undici }])
        expect(closed.message).toBe("Transport error: other side closed (UND_ERR_SOCKET)")
      }))

    it.effect("a body that a transformClient tap reads is still there to decode, in every form, any number of times", () =>
      Effect.gen(function*() {
        const lead = yield* Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId))
        expect(lead.id).toBe(seed.id)
        expect((yield* MockHttp.MockHttp).requests).toHaveLength(1)
      }).pipe(Effect.provide(retrying([{ status: 200, json: seed }], {
        transformClient: HttpClient.tap((response) =>
          Effect.all([Stream.runDrain(response.stream), response.arrayBuffer, response.json, response.text])
        )
      }))))

    it.effect("a tap that hands back a response whose body it consumed is a decode error, sent once", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId)))
        expect(error).toMatchObject({ _tag: "InstantlyDecodeError", status: 200 })
        expect(error.message).toMatch(/consumed it first/)
        expect((yield* MockHttp.MockHttp).requests).toHaveLength(1)
      }).pipe(Effect.provide(retrying([{ status: 200, json: seed }], {
        transformClient: HttpClient.transformResponse(Effect.flatMap((response) => {
          const web = new Response(JSON.stringify(seed), { status: 200 })
          return Effect.as(Effect.promise(() => web.text()), HttpClientResponse.fromWeb(response.request, web))
        }))
      }))))

    it.effect("a transformClient that judges the status (filterStatusOk) changes nothing: a 404 is still 'not found', sent once", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId)))
        expect(error).toMatchObject({ _tag: "InstantlyNotFoundError", status: 404, message: "Resource not found" })
        expect((yield* MockHttp.MockHttp).requests).toHaveLength(1)
      }).pipe(Effect.provide(retrying([{ status: 404, json: envelope(404, "Not Found", "Resource not found") }], {
        transformClient: HttpClient.filterStatusOk
      }))))

    it.effect("a transformClient that fails on a response that came is a decode error, not retried as a network fault", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId)))
        expect(error).toMatchObject({ _tag: "InstantlyDecodeError", status: 200 })
        expect(error.message).toMatch(/^a transformClient failed on the response/)
        expect((yield* MockHttp.MockHttp).requests).toHaveLength(1)
      }).pipe(Effect.provide(retrying([{ status: 200, json: seed }], {
        transformClient: HttpClient.transformResponse(
          Effect.flatMap((response) =>
            Effect.fail(new HttpClientError.ResponseError({ request: response.request, response, reason: "Decode" }))
          )
        )
      }))))

    it.effect("a 200 whose body is an error object says which error", () =>
      Effect.map(
        removeWith([{ status: 200, json: { error: "ACC_AUTH_ERROR" } }]),
        (error) =>
          expect(error).toMatchObject({
            _tag: "InstantlyDecodeError",
            message: "body is an error object, not the expected answer: ACC_AUTH_ERROR"
          })
      ))

    it.effect("a body behind a UTF-8 byte order mark decodes", () =>
      Effect.gen(function*() {
        const lead = yield* Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId))
        expect(lead.id).toBe(seed.id)
      }).pipe(Effect.provide(leadsWith([{ status: 200, text: `\uFEFF${JSON.stringify(seed)}` }]))))
  })
})
