import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Faults from "../../src/emulator/Faults.js"

const planner = (options: Faults.FaultOptions) => Either.getOrThrow(Faults.makePlanner(options))

/** How many of the first `n` requests get each fault (and status, for 5xx). */
const tally = (plan: Faults.Planner, n: number) => {
  const counts: Record<string, number> = {}
  for (let index = 0; index < n; index++) {
    const { fault } = plan(index)
    const key = fault._tag === "ServerError" ? `ServerError ${fault.status}` : fault._tag
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

describe("Faults", () => {
  const options: Faults.FaultOptions = {
    seed: 42,
    serverError: 0.1,
    dropConnection: 0.05,
    truncatedBody: 0.05,
    nonJsonBody: 0.05,
    neverEnds: 0.01
  }

  it("a fixed seed gives exact counts over N requests, close to the shares", () => {
    const counts = tally(planner(options), 10_000)
    expect(counts).toEqual({
      None: 7377,
      "ServerError 500": 342,
      "ServerError 502": 345,
      "ServerError 503": 355,
      DropConnection: 504,
      TruncatedBody: 493,
      NonJsonBody: 497,
      NeverEnds: 87
    })
    // Each within a few standard deviations of its share of 10,000.
    const near = (count: number | undefined, expected: number) =>
      expect(Math.abs((count ?? 0) - expected)).toBeLessThan(4 * Math.sqrt(expected))
    near((counts["ServerError 500"] ?? 0) + (counts["ServerError 502"] ?? 0) + (counts["ServerError 503"] ?? 0), 1_000)
    near(counts["DropConnection"], 500)
    near(counts["NeverEnds"], 100)
  })

  it("is a function of seed and arrival number only: same plan twice, another seed another plan", () => {
    const a = planner(options)
    const b = planner(options)
    const c = planner({ ...options, seed: 43 })
    const plans = (p: Faults.Planner) => Array.from({ length: 200 }, (_, i) => p(i).fault._tag).join()
    expect(plans(a)).toBe(plans(b))
    expect(plans(a)).not.toBe(plans(c))
  })

  it("no options, no faults and no delay", () => {
    const plan = planner({})
    for (let i = 0; i < 1_000; i++) expect(plan(i)).toEqual({ delay: Duration.zero, fault: { _tag: "None" } })
  })

  it("latency: a share of requests is delayed between min and max", () => {
    const plan = planner({ latency: { share: 0.25, min: "10 millis", max: "50 millis" } })
    const delays = Array.from({ length: 4_000 }, (_, i) => Duration.toMillis(plan(i).delay))
    const delayed = delays.filter((ms) => ms > 0)
    expect(delayed.length).toBe(992)
    expect(Math.min(...delayed)).toBeGreaterThanOrEqual(10)
    expect(Math.max(...delayed)).toBeLessThanOrEqual(50)
    expect(new Set(delayed).size).toBeGreaterThan(30)
  })

  it("share 1 of one fault hits every request", () => {
    expect(tally(planner({ dropConnection: 1 }), 500)).toEqual({ DropConnection: 500 })
  })

  it("rejects shares outside [0, 1], shares adding up to more than 1, and min > max", () => {
    expect(Faults.makePlanner({ serverError: 1.5 })).toEqual(
      Either.left("faults.serverError must be between 0 and 1, got 1.5")
    )
    expect(Faults.makePlanner({ neverEnds: -0.1 })).toEqual(
      Either.left("faults.neverEnds must be between 0 and 1, got -0.1")
    )
    expect(Either.getLeft(Faults.makePlanner({ serverError: 0.6, dropConnection: 0.5 }))._tag).toBe("Some")
    expect(Faults.makePlanner({ latency: { min: "2 seconds", max: "1 second" } }))
      .toEqual(Either.left("faults.latency needs 0 <= min <= max < Infinity, got 2000 ms and 1000 ms"))
  })
})
