/**
 * Reading many leads: `Leads.list` (paging on demand, repeated ids dropped), `findByEmail` and
 * `inSubsequence`, against the scripted `MockHttp`.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { type InstantlyError, type Lead, LeadFilter, Leads, type ListLeadsQuery } from "../src/index.js"
import { bodyOf, idOf, layer, leadJson, page, seed, status, subsequence } from "./utils/Client.js"
import * as MockHttp from "./utils/MockHttp.js"

const campaign = "019cc043-9cff-7f4c-88ba-3c17864ea05e"
const listUrl = "https://api.instantly.ai/api/v2/leads/list"

/** Ids `from` to `to - 1` as leads. */
const leads = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => leadJson(idOf(from + i)))

/** Three pages of 100, 100 and 50 leads, each answered for the cursor of the page before. */
const threePages = (request: MockHttp.Recorded): MockHttp.Reply => {
  const after = (bodyOf(request) as { starting_after?: string }).starting_after
  if (after === undefined) return page(leads(0, 100), idOf(99))
  if (after === idOf(99)) return page(leads(100, 200), idOf(199))
  return page(leads(200, 250))
}

const requests = Effect.map(MockHttp.MockHttp, (mock) => mock.requests)

const collect = <E, R>(stream: Stream.Stream<Lead, E, R>) =>
  Effect.map(Stream.runCollect(stream), (chunk) => Chunk.toArray(chunk).map((lead) => lead.id))

const list = (query?: ListLeadsQuery) => Stream.unwrap(Effect.map(Leads, (leads) => leads.list(query)))

describe("Leads.list", () => {
  it.effect("pages of 100, each after the last page's next_starting_after, until a page has none", () =>
    Effect.gen(function*() {
      const ids = yield* collect(list({ campaign, filter: LeadFilter.InSubsequence }))
      expect(ids).toEqual(Array.from({ length: 250 }, (_, i) => idOf(i)))
      const sent = yield* requests
      expect(sent.map((request) => [request.method, request.url])).toEqual([
        ["POST", listUrl],
        ["POST", listUrl],
        ["POST", listUrl]
      ])
      expect(sent.map(bodyOf)).toEqual([
        { campaign, filter: "FILTER_VAL_IN_SUBSEQUENCE", limit: 100 },
        { campaign, filter: "FILTER_VAL_IN_SUBSEQUENCE", limit: 100, starting_after: idOf(99) },
        { campaign, filter: "FILTER_VAL_IN_SUBSEQUENCE", limit: 100, starting_after: idOf(199) }
      ])
      expect(sent[0]?.headers).toMatchObject({ "content-type": "application/json", accept: "application/json" })
    }).pipe(Effect.provide(layer(threePages))))

  it.effect("fetches the next page only when the consumer wants more than it has", () =>
    Effect.gen(function*() {
      expect(yield* collect(Stream.take(list(), 100))).toHaveLength(100)
      expect(yield* requests).toHaveLength(1)
      expect(yield* collect(Stream.take(list(), 101))).toHaveLength(101)
      expect(yield* requests).toHaveLength(3)
    }).pipe(Effect.provide(layer(threePages))))

  it.effect("drops a lead id already emitted (leads created before 2025-10-15 may come out of order)", () =>
    Effect.gen(function*() {
      const ids = yield* collect(list())
      expect(ids).toEqual([idOf(1), idOf(2), idOf(3), idOf(4)])
    }).pipe(Effect.provide(layer((request) => {
      const after = (bodyOf(request) as { starting_after?: string }).starting_after
      if (after === undefined) return page([leadJson(idOf(1)), leadJson(idOf(2)), leadJson(idOf(2))], idOf(2))
      return page([leadJson(idOf(1)), leadJson(idOf(3)), leadJson(idOf(2)), leadJson(idOf(4))])
    }))))

  it.effect("a page with no lead, or a cursor that does not move, ends the listing", () =>
    Effect.gen(function*() {
      expect(yield* collect(list({ search: "empty" }))).toEqual([idOf(1)])
      expect(yield* collect(list({ search: "stuck" }))).toEqual([idOf(1), idOf(2)])
      // One request for the page, one for the empty page; two for the stuck cursor.
      expect(yield* requests).toHaveLength(4)
    }).pipe(Effect.provide(layer((request) => {
      const body = bodyOf(request) as { search: string; starting_after?: string }
      if (body.search === "empty") {
        return body.starting_after === undefined
          ? page([leadJson(idOf(1))], idOf(1))
          : page([], idOf(1))
      }
      return page([leadJson(body.starting_after === undefined ? idOf(1) : idOf(2))], idOf(1))
    }))))

  it.effect("a failing page ends the stream with its error, after the leads of the pages before it", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const error = yield* Effect.flip(Stream.runForEach(list(), (lead) => Effect.sync(() => seen.push(lead.id))))
      expect(error).toMatchObject({ _tag: "InstantlyPaymentRequiredError", status: 402, path: "/api/v2/leads/list" })
      expect(seen).toHaveLength(100)
    }).pipe(Effect.provide(layer([page(leads(0, 100), idOf(99)), status(402)]))))

  it.effect("sends a filter it does not know as it is: the filter is an open enum", () =>
    Effect.gen(function*() {
      yield* collect(list({ filter: "FILTER_VAL_ADDED_IN_2027" }))
      expect(bodyOf((yield* requests)[0])).toEqual({ filter: "FILTER_VAL_ADDED_IN_2027", limit: 100 })
    }).pipe(Effect.provide(layer([page([])]))))

  describe("validates the query before anything is sent", () => {
    const invalid: ReadonlyArray<readonly [string, ListLeadsQuery, string]> = [
      ["a campaign that is not a UUID", { campaign: "my-campaign" }, "campaign"],
      ["a lead id that is not a UUID", { ids: [seed.id, "42"] }, "ids.1"],
      ["an excluded id that is not a UUID", { excluded_ids: ["x"] }, "excluded_ids.0"],
      ["a contact that is not an email address", { contacts: ["olga.kim"] }, "contacts.0"],
      ["a flag that is not a boolean", { in_campaign: "yes" as unknown as boolean }, "in_campaign"]
    ]
    for (const [name, query, field] of invalid) {
      it.effect(name, () =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(Stream.runDrain(list(query)))
          expect(error).toMatchObject({ _tag: "InstantlyInvalidInputError", operation: "list" })
          expect(error.message).toContain(`${field}:`)
          expect(yield* requests).toHaveLength(0)
        }).pipe(Effect.provide(layer([page([])]))))
    }

    it.effect("says only what is wrong: the union member that matched the shape, not \"Expected undefined\"", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Stream.runDrain(list({ ids: ["bad"] })))
        expect(error.message).toBe("ids.0: Expected a Universally Unique Identifier, actual \"bad\"")
      }).pipe(Effect.provide(layer([page([])]))))
  })
})

describe("Leads.findByEmail", () => {
  it.effect("lists with contacts: [email]: one lead per campaign or list the address is in", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      const ids = yield* collect(leads.findByEmail("example@example.com"))
      expect(ids).toEqual([idOf(1), idOf(2)])
      const [request] = yield* requests
      expect(request?.url).toBe(listUrl)
      expect(bodyOf(request)).toEqual({ contacts: ["example@example.com"], limit: 100 })
    }).pipe(Effect.provide(layer([page([leadJson(idOf(1)), leadJson(idOf(2), { campaign: null })])]))))

  it.effect("an address of the wrong shape fails as InstantlyInvalidInputError, and nothing is sent", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      for (const email of ["", "olga", "olga@", "@acme.com", "olga kim@acme.com"]) {
        const error = yield* Effect.flip(Stream.runDrain(leads.findByEmail(email)))
        expect(error).toMatchObject({ _tag: "InstantlyInvalidInputError", operation: "findByEmail" })
      }
      expect(yield* requests).toHaveLength(0)
    }).pipe(Effect.provide(layer([page([])]))))
})

describe("Leads.inSubsequence", () => {
  const other = "019cc043-9d00-75e0-9e83-000000000002"

  it.effect("reads the subsequence, lists its campaign's leads in a subsequence, keeps those in this one", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      const ids = yield* collect(leads.inSubsequence(subsequence.id.toUpperCase()))
      expect(ids).toEqual([idOf(1), idOf(3)])
      const sent = yield* requests
      expect(sent.map((request) => `${request.method} ${request.url}`)).toEqual([
        // An id in capitals names the same subsequence; it is sent in the canonical lowercase.
        `GET https://api.instantly.ai/api/v2/subsequences/${subsequence.id}`,
        `POST ${listUrl}`
      ])
      expect(bodyOf(sent[1])).toEqual({
        campaign: subsequence.parent_campaign,
        filter: "FILTER_VAL_IN_SUBSEQUENCE",
        limit: 100
      })
    }).pipe(Effect.provide(layer((request) =>
      request.method === "GET" ? { status: 200, json: subsequence } : page([
        leadJson(idOf(1)),
        leadJson(idOf(2), { subsequence_id: other }),
        leadJson(idOf(3)),
        leadJson(idOf(4), { subsequence_id: null })
      ])
    ))))

  it.effect("an unknown subsequence fails at once with InstantlyNotFoundError: no list request is sent", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      const error: InstantlyError = yield* Effect.flip(Stream.runDrain(leads.inSubsequence(other)))
      expect(error).toMatchObject({
        _tag: "InstantlyNotFoundError",
        status: 404,
        path: `/api/v2/subsequences/${other}`
      })
      expect((yield* requests).map((request) => request.method)).toEqual(["GET"])
    }).pipe(Effect.provide(layer([status(404)]))))

  it.effect("a subsequence id that is not a UUID fails as InstantlyInvalidInputError, and nothing is sent", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      const error = yield* Effect.flip(Stream.runDrain(leads.inSubsequence("follow-up")))
      expect(error).toMatchObject({ _tag: "InstantlyInvalidInputError", operation: "getSubsequence" })
      expect(yield* requests).toHaveLength(0)
    }).pipe(Effect.provide(layer([page([])]))))
})
