import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"
import { generate, generateLeads, generateSubsequences } from "../../src/emulator/Generate.js"
import { Lead } from "../../src/Lead.js"

const encode = (lead: Lead) => Schema.encodeSync(Lead)(lead)
const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe("generateLeads", () => {
  const leads = generateLeads({ count: 60, seed: 7 })

  it("the same seed gives the same leads, another seed others", () => {
    expect(generateLeads({ count: 60, seed: 7 }).map(encode)).toEqual(leads.map(encode))
    expect(generateLeads({ count: 60, seed: 8 }).map((l) => l.id)).not.toEqual(leads.map((l) => l.id))
    expect(generateLeads({ count: 0, seed: 7 })).toEqual([])
  })

  it("every lead survives the wire: encodes to JSON the Lead schema decodes back to the same lead", () => {
    for (const lead of leads) {
      const json = JSON.parse(JSON.stringify(encode(lead)))
      expect(encode(Schema.decodeUnknownSync(Lead)(json))).toEqual(encode(lead))
    }
  })

  it("ids are distinct UUIDv7s whose time prefix is the creation time", () => {
    expect(new Set(leads.map((l) => l.id)).size).toBe(leads.length)
    for (const lead of leads) {
      expect(lead.id).toMatch(uuidV7)
      const millis = parseInt(lead.id.replace("-", "").slice(0, 12), 16)
      expect(millis).toBe(DateTime.toEpochMillis(lead.timestamp_created))
    }
  })

  it("about two thirds are in a subsequence (the first always), with the fields that go with it", () => {
    const inSubsequence = leads.filter((l) => l.subsequence_id !== null)
    expect(leads[0]?.subsequence_id).not.toBeNull()
    expect(inSubsequence.length).toBeGreaterThan(30)
    expect(inSubsequence.length).toBeLessThan(50)
    for (const lead of leads) {
      const inOne = lead.subsequence_id !== null
      expect(lead.timestamp_added_subsequence !== null).toBe(inOne)
      expect(lead.status_summary_subseq !== null).toBe(inOne)
      expect(DateTime.lessThanOrEqualTo(lead.timestamp_created, lead.timestamp_updated)).toBe(true)
      expect(lead.email).toMatch(/^[a-z]+\.[a-z]+@[a-z.-]+$/)
      expect(lead.campaign).not.toBeNull()
    }
    expect(new Set(leads.map((l) => l.organization)).size).toBe(1)
    expect(new Set(inSubsequence.map((l) => l.subsequence_id)).size).toBe(2)
  })
})

describe("generate (one lead at a time, from its index)", () => {
  it("makes the same leads as generateLeads, in any order of access", () => {
    for (const seed of [1, 7, 2026]) {
      const all = generateLeads({ count: 120, seed }).map(encode)
      const one = generate({ count: 120, seed })
      for (const i of [119, 0, 57, 1, 118, 58]) expect(encode(one.leadAt(i))).toEqual(all[i])
      expect(Array.from({ length: 120 }, (_, i) => one.idAt(i))).toEqual(all.map((lead) => lead.id))
    }
  })

  it("finds a lead's index from its id, and the first lead after any id", () => {
    const one = generate({ count: 50, seed: 7 })
    const ids = Array.from({ length: 50 }, (_, i) => one.idAt(i))
    expect([...ids].sort()).toEqual(ids) // index order is id order
    ids.forEach((id, i) => {
      expect(one.indexOf(id)).toBe(i)
      expect(one.indexAfter(id)).toBe(i + 1)
    })
    expect(one.indexOf(ids[3]!.replace(/.$/, (c) => (c === "0" ? "1" : "0")))).toBeUndefined()
    expect(one.indexOf("not-an-id")).toBeUndefined()
    expect(one.indexAfter("0")).toBe(0)
    expect(one.indexAfter("f")).toBe(50)
  })

  it("reaches the millionth lead without making the others", () => {
    const million = generate({ count: 1_000_000, seed: 5 })
    const last = million.idAt(999_999)
    expect(million.indexOf(last)).toBe(999_999)
    expect(million.leadAt(999_999).id).toBe(last)
    expect(million.indexAfter(last)).toBe(1_000_000)
  })

  it("generateSubsequences: the two subsequences the leads are in, each in its leads' campaign", () => {
    const leads = generateLeads({ count: 60, seed: 7 })
    const subsequences = generateSubsequences({ seed: 7 })
    expect(subsequences.map((s) => s.id).sort()).toEqual(
      [...new Set(leads.flatMap((lead) => lead.subsequence_id ?? []))].sort()
    )
    for (const lead of leads.filter((l) => l.subsequence_id !== null)) {
      expect(subsequences.find((s) => s.id === lead.subsequence_id)?.parent_campaign).toBe(lead.campaign)
      expect(subsequences.find((s) => s.id === lead.subsequence_id)?.workspace).toBe(lead.organization)
    }
    expect(generate({ count: 3, seed: 7 }).subsequences).toEqual(subsequences)
  })
})
