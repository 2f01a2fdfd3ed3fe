import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import {
  defaultRetryOptions,
  InstantlyDecodeError,
  InstantlyNotFoundError,
  InstantlyRateLimitError,
  InstantlyServerError,
  InstantlyTransportError,
  RetryPolicy
} from "../src/index.js"

const where = { method: "POST", path: "/api/v2/leads/subsequence/remove" }

describe("RetryPolicy", () => {
  it("defaults: 4 retries, 500 ms doubling up to 30 s, a quarter of jitter, Retry-After up to 60 s", () => {
    expect(RetryPolicy.make()).toEqual({
      maxRetries: 4,
      baseDelayMillis: 500,
      maxDelayMillis: 30_000,
      jitter: 0.25,
      maxRetryAfterMillis: 60_000
    })
    expect(RetryPolicy.make()).toEqual(RetryPolicy.make(defaultRetryOptions))
  })

  it("refuses options that cannot make sense, naming them", () => {
    expect(() => RetryPolicy.make({ maxRetries: -1 })).toThrow("retry.maxRetries")
    expect(() => RetryPolicy.make({ maxRetries: 1.5 })).toThrow("retry.maxRetries")
    expect(() => RetryPolicy.make({ baseDelay: Duration.infinity })).toThrow("retry.baseDelay")
    expect(() => RetryPolicy.make({ jitter: 2 })).toThrow("retry.jitter")
    expect(() => RetryPolicy.make({ jitter: Number.NaN })).toThrow("retry.jitter")
    expect(RetryPolicy.make({ maxRetries: 0, jitter: 0, baseDelay: 0 })).toMatchObject({ maxRetries: 0, jitter: 0 })
  })

  it("backs off exponentially from 500 ms, doubling, capped at 30 s", () => {
    const policy = RetryPolicy.make({ maxRetries: 10 })
    const delays = Array.from({ length: 9 }, (_, i) => RetryPolicy.backoffMillis(policy, i + 1, 0))
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000])
  })

  it("jitter takes at most its fraction off, never adds", () => {
    const policy = RetryPolicy.make()
    expect(RetryPolicy.backoffMillis(policy, 1, 1)).toBe(375)
    expect(RetryPolicy.backoffMillis(policy, 7, 1)).toBe(22_500)
    expect(RetryPolicy.backoffMillis(RetryPolicy.make({ jitter: 0 }), 2, 1)).toBe(1_000)
  })

  it("names the reason of a retryable error, and nothing for the others", () => {
    const server = (status: number) =>
      new InstantlyServerError({ ...where, status, message: "", retryAfter: Option.none() })
    expect([500, 502, 503, 504, 501, 505].map((status) => RetryPolicy.retryReason(server(status))))
      .toEqual(["500", "502", "503", "504", undefined, undefined])
    const transport = (reason: InstantlyTransportError["reason"]) =>
      new InstantlyTransportError({ ...where, reason, message: "" })
    expect(
      ["Timeout", "Transport", "InvalidUrl", "Encode"].map((reason) =>
        RetryPolicy.retryReason(transport(reason as InstantlyTransportError["reason"]))
      )
    ).toEqual(["timeout", "transport", undefined, undefined])
    expect(RetryPolicy.retryReason(new InstantlyNotFoundError({ ...where, status: 404, message: "" }))).toBeUndefined()
    expect(RetryPolicy.retryReason(new InstantlyDecodeError({ ...where, status: 200, message: "" }))).toBeUndefined()
  })

  it("reads Retry-After off 429 and 5xx errors only", () => {
    const limited = new InstantlyRateLimitError({
      ...where,
      status: 429,
      message: "",
      retryAfter: Option.some(Duration.seconds(7))
    })
    expect(RetryPolicy.retryAfterMillis(limited)).toBe(7_000)
    expect(
      RetryPolicy.retryAfterMillis(
        new InstantlyRateLimitError({ ...where, status: 429, message: "", retryAfter: Option.none() })
      )
    )
      .toBeUndefined()
    expect(RetryPolicy.retryAfterMillis(new InstantlyNotFoundError({ ...where, status: 404, message: "" })))
      .toBeUndefined()
  })
})
