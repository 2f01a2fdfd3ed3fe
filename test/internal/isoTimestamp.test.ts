import { describe, expect, it } from "@effect/vitest"
import * as FastCheck from "effect/FastCheck"
import { canonicalMillis } from "../../src/internal/isoTimestamp.js"

describe("isoTimestamp.canonicalMillis", () => {
  it("gives Date.parse's milliseconds for every instant of years 0000 to 9999 in the form Instantly sends", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.date({ min: new Date("0000-01-01T00:00:00.000Z"), max: new Date("9999-12-31T23:59:59.999Z") }),
        (date) => {
          const text = date.toISOString()
          expect(canonicalMillis(text)).toBe(Date.parse(text))
        }
      ),
      { numRuns: 2_000 }
    )
  })

  it.each([
    "2026-02-29T12:00:00.000Z",
    "1900-02-29T12:00:00.000Z",
    "2026-04-31T00:00:00.000Z",
    "2026-00-10T00:00:00.000Z",
    "2026-13-10T00:00:00.000Z",
    "2026-03-05T24:00:00.000Z",
    "2026-03-05T23:60:00.000Z",
    "2026-03-05T23:09:60.000Z",
    "2026-03-05T23:09:4x.527Z",
    "2026-03-05t23:09:42.527z",
    "2026-03-05T23:09:42.527+00:00",
    "2026-03-05T23:09:42Z",
    "2026-03-05 23:09:42.527Z"
  ])("%s is not a real instant in that form: undefined", (text) => {
    expect(canonicalMillis(text)).toBeUndefined()
  })
})
