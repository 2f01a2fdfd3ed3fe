import { describe, expect, it } from "@effect/vitest"
import * as Option from "effect/Option"
import * as Report from "../../src/cli/Report.js"
import { InstantlyServerError, InstantlyTransportError } from "../../src/index.js"

const id = "019cade6-75b9-7080-8a2e-0d8792f1f0a2"
const serverError = new InstantlyServerError({
  status: 503,
  message: "Service Unavailable",
  method: "POST",
  path: "/api/v2/leads/subsequence/remove",
  attempts: 5,
  retryAfter: Option.none()
})

describe("Report", () => {
  it("an outcome as NDJSON: id, index, outcome, then what the kind says; the error's tag, status and message only", () => {
    expect(JSON.parse(Report.toJsonLine({ outcome: "Removed", index: 0, id }))).toEqual({
      id,
      index: 0,
      outcome: "Removed"
    })
    expect(JSON.parse(Report.toJsonLine({ outcome: "Failed", index: 3, id, error: serverError }))).toEqual({
      id,
      index: 3,
      outcome: "Failed",
      error: { _tag: "InstantlyServerError", status: 503, message: "Service Unavailable" }
    })
    expect(JSON.parse(Report.toJsonLine({ outcome: "InvalidEmail", index: 1, email: "x", message: "Expected" })))
      .toEqual({
        index: 1,
        outcome: "InvalidEmail",
        email: "x",
        error: { _tag: "InstantlyInvalidInputError", message: "Expected" }
      })
    expect(Report.toJsonLine({ outcome: "Duplicate", index: 4, id, first: 0 })).toBe(
      `{"id":"${id}","index":4,"outcome":"Duplicate","first":0}\n`
    )
  })

  it("an outcome as text: what became of it, then the id or email, then why", () => {
    expect(Report.toTextLine({ outcome: "NotFound", index: 0, email: "a@b.c" })).toBe(
      "not found     a@b.c  no lead has this email address\n"
    )
    expect(Report.toTextLine({ outcome: "AlreadyOut", index: 0, id, email: "a@b.c" })).toBe(
      `already out   ${id}  (a@b.c)\n`
    )
    expect(Report.toTextLine({ outcome: "Failed", index: 0, id, error: serverError })).toBe(
      `failed        ${id}  InstantlyServerError (503): Service Unavailable\n`
    )
  })

  it("the summary counts each kind, failures by tag, and the rate; exit 0 only when all are out", () => {
    const tally = Report.makeTally()
    const transport = new InstantlyTransportError({
      reason: "Transport",
      message: "connection refused",
      method: "POST",
      path: "/",
      attempts: 5
    })
    const outcomes: ReadonlyArray<Report.Outcome> = [
      ...Array.from({ length: 1200 }, (_, index): Report.Outcome => ({ outcome: "Removed", index, id })),
      { outcome: "AlreadyOut", index: 1200, id },
      { outcome: "Duplicate", index: 1201, id, first: 0 }
    ]
    for (const outcome of outcomes) Report.count(tally, outcome)
    expect(Report.allOut(tally)).toBe(true)
    Report.count(tally, { outcome: "Failed", index: 1202, id, error: serverError })
    Report.count(tally, { outcome: "Failed", index: 1203, id, error: transport })
    Report.count(tally, { outcome: "Failed", index: 1204, id, error: serverError })
    tally.skipped = 7
    expect(Report.allOut(tally)).toBe(false)
    expect(Report.summary(tally, { dryRun: false, resumed: true, elapsedMillis: 12_050 })).toBe(
      [
        "removed         1,200",
        "already out         2  1 in no subsequence, 1 repeated",
        "not found           0",
        "invalid             0",
        "failed              3  InstantlyServerError 2, InstantlyTransportError 1",
        "skipped             7  done in the --resume file",
        "elapsed        12.1 s",
        "mean rate     100.0/s",
        ""
      ].join("\n")
    )
  })
})
