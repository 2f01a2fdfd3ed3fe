/**
 * `Leads.removeManyFromSubsequence` against the scripted `MockHttp`: one outcome per id of every kind,
 * duplicates, order, input failures, interruption, and the options.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { Leads, type RemovalOutcome, type RemoveManyOptions } from "../src/index.js"
import { bodyOf, idOf, layer, leadJson, status } from "./utils/Client.js"
import * as MockHttp from "./utils/MockHttp.js"

const [a, b, c, d, e] = [idOf(1), idOf(2), idOf(3), idOf(4), idOf(5)]

/** The lead id a removal request carries. */
const idSent = (request: MockHttp.Recorded | undefined) => (bodyOf(request) as { id: string }).id

/** Answers each removal by its id: from `replies`, else 200 with that lead. */
const byId = (replies: Record<string, MockHttp.Reply> = {}) => (request: MockHttp.Recorded): MockHttp.Reply => {
  const id = idSent(request)
  return replies[id] ?? { status: 200, json: leadJson(id, { subsequence_id: null }) }
}

const removeMany = <E>(ids: Iterable<string> | Stream.Stream<string, E>, options?: RemoveManyOptions) =>
  Stream.unwrap(Effect.map(Leads, (leads) => leads.removeManyFromSubsequence(ids, options)))

const run = <E, R>(outcomes: Stream.Stream<RemovalOutcome, E, R>) =>
  Effect.map(Stream.runCollect(outcomes), Chunk.toArray)

/** An outcome as plain data: its tag, index and id, and the error's tag when it failed. */
const brief = (outcome: RemovalOutcome) => [
  outcome._tag,
  outcome.index,
  outcome.id,
  ...(outcome._tag === "Failed" ? [outcome.error._tag] : [])
]

const sentIds = Effect.map(MockHttp.MockHttp, (mock) => mock.requests.map(idSent))

describe("Leads.removeManyFromSubsequence", () => {
  it.effect("one outcome per id, of every kind; only valid ids not seen before are sent, as {\"id\"}", () =>
    Effect.gen(function*() {
      const outcomes = yield* run(removeMany([a, b, "not-a-uuid", c, a.toUpperCase(), d], { order: "input" }))
      expect(outcomes.map(brief)).toEqual([
        ["Removed", 0, a],
        ["NotFound", 1, b],
        ["InvalidId", 2, "not-a-uuid"],
        ["Failed", 3, c, "InstantlyServerError"],
        ["Duplicate", 4, a.toUpperCase()],
        ["Failed", 5, d, "InstantlyAuthError"]
      ])
      const [removed, , invalid, , duplicate] = outcomes
      expect(removed?._tag === "Removed" && removed.lead.subsequence_id).toBeNull()
      expect(invalid?._tag === "InvalidId" && invalid.message).toBe(
        "Expected a Universally Unique Identifier, actual \"not-a-uuid\""
      )
      expect(duplicate?._tag === "Duplicate" && duplicate.first).toBe(0)
      const requests = (yield* MockHttp.MockHttp).requests
      expect(requests.map((request) => `${request.method} ${request.url} ${request.body}`)).toEqual(
        [a, b, c, d].map((id) => `POST https://api.instantly.ai/api/v2/leads/subsequence/remove {"id":"${id}"}`)
      )
    }).pipe(Effect.provide(layer(byId({ [b]: status(404), [c]: status(500), [d]: status(403) }), { retry: false }))))

  it.effect("an id written in capitals is the same lead: sent in lowercase, and its repeat in lowercase is a duplicate", () =>
    Effect.gen(function*() {
      const outcomes = yield* run(removeMany([a.toUpperCase(), a], { order: "input" }))
      expect(outcomes.map(brief)).toEqual([["Removed", 0, a.toUpperCase()], ["Duplicate", 1, a]])
      expect(yield* sentIds).toEqual([a])
      const single = yield* Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(b.toUpperCase()))
      expect(single.id).toBe(b)
      expect((yield* sentIds).at(-1)).toBe(b)
    }).pipe(Effect.provide(layer(byId()))))

  it.effect("Failed carries the typed error of the last attempt, after the client's retries", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(run(removeMany([a, b])))
      yield* TestClock.adjust("5 minutes")
      const outcomes = yield* Fiber.join(fiber)
      expect(outcomes.map(brief)).toEqual([["Removed", 1, b], ["Failed", 0, a, "InstantlyServerError"]])
      expect(outcomes[1]).toMatchObject({ error: { status: 503, attempts: 5 } })
      expect((yield* sentIds).filter((id) => id === a)).toHaveLength(5)
    }).pipe(Effect.provide(layer(byId({ [a]: status(503) })))))

  it.effect("order: completion (the default) reports each id when its answer comes; input keeps the ids' order", () =>
    Effect.gen(function*() {
      for (
        const [order, expected] of [[undefined, [c, b, a]], ["completion", [c, b, a]], ["input", [a, b, c]]] as const
      ) {
        const fiber = yield* Effect.fork(run(removeMany([a, b, c], order === undefined ? {} : { order })))
        yield* TestClock.adjust("1 second")
        expect((yield* Fiber.join(fiber)).map((outcome) => outcome.id)).toEqual(expected)
      }
    }).pipe(Effect.provide(layer(byId({
      [a]: { status: 200, json: leadJson(a), delay: "300 millis" },
      [b]: { status: 200, json: leadJson(b), delay: "100 millis" }
    })))))

  for (const order of ["completion", "input"] as const) {
    it.effect(`a failing input stream ends the output with its error, after the ids taken before it (${order})`, () =>
      Effect.gen(function*() {
        const reported: Array<string> = []
        const input = Stream.concat(Stream.make(a, b), Stream.fail("the CSV file is truncated" as const))
        const fiber = yield* Effect.fork(
          Effect.flip(Stream.runForEach(removeMany(input, { order }), (o) => Effect.sync(() => reported.push(o.id))))
        )
        yield* TestClock.adjust("1 second")
        expect(yield* Fiber.join(fiber)).toBe("the CSV file is truncated")
        expect(reported.sort()).toEqual([a, b])
        expect((yield* sentIds).sort()).toEqual([a, b])
      }).pipe(Effect.provide(layer(byId({ [b]: { status: 200, json: leadJson(b), delay: "500 millis" } })))))
  }

  for (const order of ["completion", "input"] as const) {
    it.effect(`an input that dies (a throwing parser, say) ends the output with the defect, after the ids taken before it (${order})`, () =>
      Effect.gen(function*() {
        const reported: Array<string> = []
        const input = Stream.make(a, b, "x").pipe(
          Stream.rechunk(1),
          Stream.map((id) => {
            if (id === "x") throw new Error("bad row")
            return id
          })
        )
        const fiber = yield* Effect.fork(
          Effect.exit(Stream.runForEach(removeMany(input, { order }), (o) => Effect.sync(() => reported.push(o.id))))
        )
        yield* TestClock.adjust("1 second")
        const exit = yield* Fiber.join(fiber)
        expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
        expect(reported.sort()).toEqual([a, b])
      }).pipe(Effect.provide(layer(byId({ [b]: { status: 200, json: leadJson(b), delay: "500 millis" } })))))
  }

  it.effect("an Iterable is read one id at a time: a halted run takes no id it does not send", () =>
    Effect.gen(function*() {
      let taken = 0
      function* ids() {
        for (let i = 0; i < 1_000; i++) {
          taken++
          yield idOf(i)
        }
      }
      const outcomes = yield* run(Stream.take(removeMany(ids(), { concurrency: 4 }), 5))
      expect(outcomes).toHaveLength(5)
      // The 5 reported, the few under way or answered while the end of the stream got through: not a
      // chunk of 4,096 read ahead.
      expect(taken).toBeLessThan(20)
    }).pipe(Effect.provide(layer(byId()))))

  it.effect("one string instead of ids is a defect that says so, not 36 invalid ids", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(run(removeMany(a as unknown as Iterable<string>)))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      if (Exit.isFailure(exit)) {
        expect(Cause.pretty(exit.cause)).toMatch(/ids must be an Iterable or a Stream of ids, not one string/)
      }
      expect(yield* sentIds).toEqual([])
    }).pipe(Effect.provide(layer(byId()))))

  it.effect.each([["null", null], ["undefined", undefined], ["number", 42], ["object", {}]] as const)(
    "%s instead of ids is a defect that says what is expected, nothing sent",
    ([shown, input]) =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(run(removeMany(input as unknown as Iterable<string>)))
        expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
        if (Exit.isFailure(exit)) {
          expect(Cause.pretty(exit.cause)).toContain(`ids must be an Iterable or a Stream of ids, got ${shown}`)
        }
        expect(yield* sentIds).toEqual([])
      }).pipe(Effect.provide(layer(byId())))
  )

  it.effect("never collects its input: an endless input yields outcomes as they come", () =>
    Effect.gen(function*() {
      let pulled = 0
      const endless: Iterable<string> = {
        *[Symbol.iterator]() {
          for (;;) yield idOf(++pulled)
        }
      }
      const outcomes = yield* run(Stream.take(removeMany(endless, { concurrency: 4 }), 10))
      expect(outcomes.every((outcome) => outcome._tag === "Removed")).toBe(true)
      expect(outcomes).toHaveLength(10)
      expect(pulled).toBeLessThanOrEqual(4_096 + 4) // one chunk of the iterable, and what is under way
    }).pipe(Effect.provide(layer(byId(), { rateLimit: false }))))

  it.effect("remembers the last duplicateWindow distinct ids: a repeat further apart is sent again", () =>
    Effect.gen(function*() {
      const near = yield* run(removeMany([a, b, a], { order: "input", duplicateWindow: 2 }))
      expect(near.map((outcome) => outcome._tag)).toEqual(["Removed", "Removed", "Duplicate"])
      const far = yield* run(removeMany([a, b, c, d, e, a], { order: "input", duplicateWindow: 2 }))
      expect(far.map((outcome) => outcome._tag)).toEqual([
        "Removed",
        "Removed",
        "Removed",
        "Removed",
        "Removed",
        "Removed"
      ])
      expect(yield* sentIds).toEqual([a, b, a, b, c, d, e, a])
    }).pipe(Effect.provide(layer(byId()))))

  it.effect("interrupting stops sending at once: every id is either reported or not sent", () =>
    Effect.gen(function*() {
      const ids = Array.from({ length: 50 }, (_, i) => idOf(i))
      const reported: Array<string> = []
      const fiber = yield* Effect.fork(
        Stream.runForEach(
          removeMany(ids, { concurrency: 8 }),
          (outcome) => Effect.sync(() => reported.push(outcome.id))
        )
      )
      yield* TestClock.adjust("2500 millis")
      yield* Fiber.interrupt(fiber)
      const sentAtInterrupt = yield* sentIds
      yield* TestClock.adjust("1 minute")
      expect(yield* sentIds).toEqual(sentAtInterrupt)
      // 10 a second at t = 0, 1 and 2 s: the ids waiting for a slot (up to 8) were not sent.
      expect(sentAtInterrupt).toHaveLength(30)
      expect(reported.sort()).toEqual([...sentAtInterrupt].sort())
    }).pipe(Effect.provide(layer(byId(), { rateLimit: { limits: [{ limit: 10, window: "1 second" }] } }))))

  it.effect("haltWhen stops cleanly: no further id is taken, those taken are removed and reported, the stream ends", () =>
    Effect.gen(function*() {
      const stop = yield* Deferred.make<void>()
      const ids = Array.from({ length: 40 }, (_, i) => idOf(i))
      const fiber = yield* Effect.fork(run(removeMany(ids, { concurrency: 8, haltWhen: Deferred.await(stop) })))
      yield* TestClock.adjust("1100 millis")
      yield* Deferred.succeed(stop, void 0)
      yield* TestClock.adjust("1 minute")
      const outcomes = yield* Fiber.join(fiber)
      const sent = yield* sentIds
      // 8 taken and sent at 0 (answered at 300 ms); 8 taken at 300 ms, 2 of them sent then (10 a second),
      // whose answers at 600 ms free 2 more: 18 taken by the halt at 1.1 s, all sent, and nothing after.
      expect(sent).toEqual(ids.slice(0, 18))
      expect(outcomes.map((outcome) => outcome.id).sort()).toEqual([...sent].sort())
      expect(outcomes.every((outcome) => outcome._tag === "Removed")).toBe(true)
    }).pipe(Effect.provide(layer(
      (request) => ({ ...byId()(request), delay: "300 millis" }),
      { rateLimit: { limits: [{ limit: 10, window: "1 second" }] } }
    ))))

  it.effect("a single call made while a bulk run is queued goes at the next slot, not behind the run", () =>
    Effect.gen(function*() {
      const ids = Array.from({ length: 50 }, (_, i) => idOf(i))
      const bulk = yield* Effect.fork(run(removeMany(ids)))
      yield* TestClock.adjust("500 millis")
      const single = yield* Effect.fork(Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(idOf(99))))
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(single)
      expect((yield* Fiber.join(bulk)).length).toBe(50)
      const requests = (yield* MockHttp.MockHttp).requests
      const singleAt = requests.find((request) => idSent(request) === idOf(99))?.at
      // 10 a second: the bulk run's first 10 went at 0; the single call takes the first slot at 1 s,
      // where behind the run's 32 waiting removals it would have gone at 4 s.
      expect(singleAt).toBe(1_000)
      expect(requests.filter((request) => request.at === 1_000)).toHaveLength(10)
      expect(Math.max(...requests.map((request) => request.at))).toBe(5_000)
    }).pipe(Effect.provide(layer(byId(), { rateLimit: { limits: [{ limit: 10, window: "1 second" }] } }))))

  it.effect("an option that cannot make sense is a defect that names it", () =>
    Effect.gen(function*() {
      const defect = (options: RemoveManyOptions) =>
        Effect.map(Effect.exit(run(removeMany([a], options))), (exit) =>
          Exit.isFailure(exit) ? String(Cause.squash(exit.cause)) : "ran")
      expect(yield* defect({ concurrency: 0 })).toContain("concurrency must be a positive integer, got 0")
      expect(yield* defect({ concurrency: 1.5 })).toContain("concurrency")
      expect(yield* defect({ duplicateWindow: -1 })).toContain("duplicateWindow")
      expect(yield* defect({ order: "random" as "input" })).toContain("order must be input or completion")
      expect(yield* sentIds).toEqual([])
      expect(yield* defect({ concurrency: 1, duplicateWindow: 1, order: "input" })).toBe("ran")
    }).pipe(Effect.provide(layer(byId()))))
})
