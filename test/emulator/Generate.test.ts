import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"
import { generateLeads } from "../../src/emulator/Generate.js"
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
