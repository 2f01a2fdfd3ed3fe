import { afterEach, describe, expect, it } from "@effect/vitest"
import { parseHttpDate } from "../../src/internal/httpDate.js"

const now = Date.parse("2026-11-29T12:00:00Z")
const sunday = Date.UTC(1994, 10, 6, 8, 49, 37)

describe("parseHttpDate", () => {
  const tz = process.env["TZ"]
  afterEach(() => {
    if (tz === undefined) delete process.env["TZ"]
    else process.env["TZ"] = tz
  })

  it.each([
    ["IMF-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT"],
    ["RFC 850", "Sunday, 06-Nov-94 08:49:37 GMT"],
    ["asctime", "Sun Nov  6 08:49:37 1994"]
  ])("reads the %s form as GMT in every time zone", (_, text) => {
    for (const zone of ["UTC", "America/New_York", "Asia/Tokyo", "Pacific/Chatham"]) {
      process.env["TZ"] = zone
      expect(parseHttpDate(text, now)).toBe(sunday)
    }
  })

  it("places RFC 850's two-digit year within 50 years of now, else in the past century", () => {
    expect(parseHttpDate("Monday, 30-Nov-26 12:00:03 GMT", now)).toBe(Date.UTC(2026, 10, 30, 12, 0, 3))
    expect(parseHttpDate("Thursday, 01-Jan-76 00:00:00 GMT", now)).toBe(Date.UTC(2076, 0, 1))
    expect(parseHttpDate("Saturday, 01-Jan-77 00:00:00 GMT", now)).toBe(Date.UTC(1977, 0, 1))
  })

  it("tolerates whitespace around the value", () => {
    expect(parseHttpDate("  Sun, 06 Nov 1994 08:49:37 GMT\t", now)).toBe(sunday)
  })

  it.each([
    "Retry 2",
    "wait 10",
    "soon 1",
    "Sun Nov 6 08:49:37", // no year
    "Nov 6 08:49:37 1994",
    "Sun, 06 Nov 1994 08:49:37", // no zone
    "Sun, 06 Nov 1994 08:49:37 PST", // not GMT
    "Sun, 6 Nov 1994 08:49:37 GMT", // day not two digits
    "Sun, 06 November 1994 08:49:37 GMT",
    "Sun, 31 Feb 1994 08:49:37 GMT", // no such day
    "Sun, 06 Nov 1994 24:00:00 GMT",
    "1994-11-06T08:49:37Z", // ISO is not an HTTP date
    "3",
    ""
  ])("refuses %j", (text) => {
    expect(parseHttpDate(text, now)).toBeUndefined()
  })
})
