import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import {
  boundedMessage,
  describeDecodeFailure,
  fromStatus,
  Lead,
  maxServerMessageLength,
  parseRateLimitReset,
  parseRetryAfter
} from "../src/index.js"

const now = Date.parse("2026-11-26T12:00:00Z")
const millis = (option: Option.Option<Duration.Duration>) =>
  Option.getOrUndefined(Option.map(option, Duration.toMillis))
const retryAfter = (headers: Record<string, string>) => millis(parseRetryAfter(Headers.fromInput(headers), now))
const reset = (headers: Record<string, string>) => millis(parseRateLimitReset(Headers.fromInput(headers), now))
const info = { method: "POST", path: "/api/v2/leads/subsequence/remove" }
const errorOf = (status: number, body: string, headers: Record<string, string> = {}, secret?: string) =>
  fromStatus({ ...info, status, body, headers: Headers.fromInput(headers), now, secret })

describe("parseRetryAfter", () => {
  it("reads delta seconds (decimals too) and retry-after-ms first", () => {
    expect(retryAfter({ "retry-after": "7" })).toBe(7_000)
    expect(retryAfter({ "retry-after": " 1.5 " })).toBe(1_500)
    expect(retryAfter({ "retry-after-ms": "1250", "retry-after": "7" })).toBe(1_250)
  })

  it("reads each HTTP date form as GMT, whatever the process's time zone", () => {
    const tz = process.env["TZ"]
    try {
      for (const zone of ["America/New_York", "Asia/Tokyo"]) {
        process.env["TZ"] = zone
        expect(retryAfter({ "retry-after": "Thu, 26 Nov 2026 12:00:03 GMT" })).toBe(3_000)
        expect(retryAfter({ "retry-after": "Thursday, 26-Nov-26 12:00:03 GMT" })).toBe(3_000)
        expect(retryAfter({ "retry-after": "Thu Nov 26 12:00:03 2026" })).toBe(3_000)
      }
    } finally {
      if (tz === undefined) delete process.env["TZ"]
      else process.env["TZ"] = tz
    }
  })

  it("measures an HTTP date against the response's Date, so a skewed local clock does not matter", () => {
    // Our clock is 5 minutes behind the server's: against our clock this would be 5 minutes and 2 s.
    const headers = { date: "Thu, 26 Nov 2026 12:05:00 GMT", "retry-after": "Thu, 26 Nov 2026 12:05:02 GMT" }
    expect(retryAfter(headers)).toBe(2_000)
    expect(retryAfter({ ...headers, date: "not a date" })).toBe(302_000)
  })

  it.each(["Retry 2", "wait 10", "soon 1", "Thu Nov 26 12:00:03", "-5", "1e3", "", "  "])(
    "ignores %j, which is neither delta seconds nor an HTTP date",
    (value) => {
      expect(retryAfter({ "retry-after": value })).toBeUndefined()
    }
  )

  it("a date in the past is no wait at all", () => {
    expect(retryAfter({ "retry-after": "Sun, 06 Nov 1994 08:49:37 GMT" })).toBe(0)
  })
})

describe("parseRateLimitReset", () => {
  it("reads seconds until the reset", () => {
    expect(reset({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": "12" })).toBe(12_000)
    expect(reset({ "ratelimit-reset": "3" })).toBe(3_000)
  })

  it("reads epoch seconds and epoch milliseconds, against the response's Date when it has one", () => {
    const epoch = now / 1_000 + 4
    expect(reset({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(epoch) })).toBe(4_000)
    expect(reset({ "x-ratelimit-reset": String(now + 4_000) })).toBe(4_000)
    expect(reset({ "x-ratelimit-reset": String(epoch), date: "Thu, 26 Nov 2026 12:00:03 GMT" })).toBe(1_000)
  })

  it("is ignored while requests remain, or when it is not a number", () => {
    expect(reset({ "x-ratelimit-remaining": "5", "x-ratelimit-reset": "12" })).toBeUndefined()
    expect(reset({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": "soon" })).toBeUndefined()
    expect(reset({ "x-ratelimit-remaining": "0" })).toBeUndefined()
  })
})

describe("fromStatus", () => {
  const envelope = (status: number, message: string) => JSON.stringify({ statusCode: status, error: "Error", message })

  it("a 429 or 503 without Retry-After waits for X-RateLimit-Reset; Retry-After wins when both are sent", () => {
    const headers = { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "9" }
    for (const status of [429, 503]) {
      const error = errorOf(status, envelope(status, "Rate limit exceeded"), headers)
      expect(error._tag === "InstantlyRateLimitError" || error._tag === "InstantlyServerError").toBe(true)
      if ("retryAfter" in error) expect(millis(error.retryAfter)).toBe(9_000)
    }
    const both = errorOf(429, "", { ...headers, "retry-after": "2" })
    expect(both._tag === "InstantlyRateLimitError" && millis(both.retryAfter)).toBe(2_000)
    const other5xx = errorOf(500, "", headers)
    expect(other5xx._tag === "InstantlyServerError" && millis(other5xx.retryAfter)).toBeUndefined()
  })

  it("3xx is InstantlyRedirectError with where it pointed, telling to check baseUrl", () => {
    for (const status of [301, 302, 307, 308]) {
      const error = errorOf(status, "", { location: "https://api.instantly.ai/api/v2/leads/subsequence/remove" })
      expect(error).toMatchObject({
        _tag: "InstantlyRedirectError",
        status,
        location: "https://api.instantly.ai/api/v2/leads/subsequence/remove"
      })
      expect(error.message).toMatch(/does not follow redirects; check baseUrl \(it pointed to https:\/\/api/)
    }
  })

  it("a 404 for a route, or one that is not Instantly's JSON, is InstantlyRouteNotFoundError, not 'not found'", () => {
    const route = errorOf(
      404,
      JSON.stringify({
        message: "Route POST:/api/v2/api/v2/leads/subsequence/remove not found",
        error: "Not Found",
        statusCode: 404
      })
    )
    expect(route).toMatchObject({
      _tag: "InstantlyRouteNotFoundError",
      message: "Route POST:/api/v2/api/v2/leads/subsequence/remove not found"
    })
    expect(errorOf(404, "<html><body>404 Not Found</body></html>")._tag).toBe("InstantlyRouteNotFoundError")
    expect(errorOf(404, "")._tag).toBe("InstantlyRouteNotFoundError")
    // Gateways' and frameworks' 404s in JSON are not Instantly's envelope either.
    for (
      const body of [
        { message: "no Route matched with those values" }, // Kong
        { status: 404, error: "Not Found", path: "/api/v2/api/v2/leads/subsequence/remove" }, // Spring
        { type: "about:blank", title: "Not Found", status: 404 }, // problem+json
        { message: "Not Found" },
        {},
        null,
        [],
        "Not Found",
        { statusCode: 404, error: "Not Found", message: "route POST:/x not found" }
      ]
    ) {
      expect(errorOf(404, JSON.stringify(body))._tag, JSON.stringify(body)).toBe("InstantlyRouteNotFoundError")
    }
    expect(errorOf(404, envelope(404, "Resource not found"))).toMatchObject({
      _tag: "InstantlyNotFoundError",
      message: "Resource not found"
    })
    expect(errorOf(404, envelope(404, "Subsequence not found"))._tag).toBe("InstantlyNotFoundError")
  })

  it("a body that is not JSON leaves a clue: its start on one line, control characters gone, the key scrubbed", () => {
    const error = errorOf(
      502,
      "<html>\r\n<title>502\u0000 Bad gateway</title>\r\n key=sk_SECRET ...</html>",
      {},
      "sk_SECRET"
    )
    expect(error.message).toBe("Bad Gateway: <html> <title>502 Bad gateway</title> key=<redacted> ...</html>")
    const long = errorOf(500, "x".repeat(10_000))
    expect(long.message.length).toBeLessThan(maxServerMessageLength + 50)
    expect(long.message).toMatch(/… \(\d+ more characters\)$/)
  })

  it("recognises a block by Instantly's edge (Cloudflare) and says so instead of blaming the key", () => {
    for (const headers of [{ server: "cloudflare" }, { "cf-ray": "8f1a2b3c4d5e6f70-FRA" }]) {
      const error = errorOf(403, "error code: 1010", { "content-type": "text/plain", ...headers })
      expect(error._tag).toBe("InstantlyAuthError")
      expect(error.message).toMatch(/^Forbidden: blocked by Instantly's edge \(Cloudflare error 1010\) before/)
    }
    expect(errorOf(403, "error code: 1010").message).toBe("Forbidden: error code: 1010")
    expect(errorOf(429, "error code: 1015", { server: "cloudflare" }).message).toBe(
      "Too Many Requests: rate limited by Instantly's edge (Cloudflare error 1015) before the request reached the API"
    )
  })

  it("caps every message taken from a server: a 4 MiB envelope message is not a 4 MiB error", () => {
    const huge = "retry later ".repeat(350_000)
    const error = errorOf(500, envelope(500, huge))
    expect(error.message.length).toBeLessThanOrEqual(maxServerMessageLength + 40)
    expect(error.message.startsWith("retry later retry later")).toBe(true)
  })

  it("a body with a byte order mark is still read as JSON", () => {
    expect(errorOf(404, `\uFEFF${envelope(404, "Resource not found")}`)._tag).toBe("InstantlyNotFoundError")
  })
})

describe("boundedMessage", () => {
  it("never cuts a secret in half: it is scrubbed before the text is cut", () => {
    const secret = "sk_live_0123456789"
    const text = `${"a".repeat(295)}${secret}`
    expect(boundedMessage(text, { secret })).not.toContain("sk_live_01")
  })
})

describe("describeDecodeFailure", () => {
  it("quotes the short error string of a 200 whose body is an error object", () => {
    const json = { error: "ACC_AUTH_ERROR" }
    const error = Schema.decodeUnknownEither(Lead)(json)
    if (error._tag === "Right") throw new Error("expected a failure")
    expect(describeDecodeFailure(json, error.left)).toBe(
      "body is an error object, not the expected answer: ACC_AUTH_ERROR"
    )
    const notAnError = { id: "x", error: "field" }
    const other = Schema.decodeUnknownEither(Lead)(notAnError)
    if (other._tag === "Right") throw new Error("expected a failure")
    expect(describeDecodeFailure(notAnError, other.left)).toMatch(/: is missing/)
  })
})
