import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { readFileSync } from "node:fs"
import { InstantlyClient, Leads, userAgent, version } from "../src/index.js"
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

  it.effect("falls back to the status text when the error body is not the envelope", () =>
    Effect.gen(function*() {
      const html = yield* removeWith([{ status: 502, text: "<html>Bad gateway</html>" }])
      expect(html).toMatchObject({ _tag: "InstantlyServerError", message: "Bad Gateway" })
      const empty = yield* removeWith([{ status: 404 }])
      expect(empty).toMatchObject({ _tag: "InstantlyNotFoundError", message: "Not Found" })
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

    it.effect("a missing key is a ConfigError naming the variable", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Layer.build(configured({})).pipe(Effect.scoped))
        expect(error._tag).toBe("ConfigError")
        expect(String(error)).toContain("INSTANTLY_API_KEY")
      }))
  })
})
