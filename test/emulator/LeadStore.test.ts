import { describe, expect, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import { generate, generateLeads } from "../../src/emulator/Generate.js"
import * as LeadStore from "../../src/emulator/LeadStore.js"
import { Lead, LeadStatus } from "../../src/Lead.js"

const encode = (lead: Lead | undefined) => lead === undefined ? undefined : Schema.encodeSync(Lead)(lead)
const encodeAll = (leads: Iterable<Lead>) => Array.from(leads, encode)

const options = { count: 40, seed: 3 }
const all = generateLeads(options)
const ids = all.map((lead) => lead.id)

/** The same workspace twice: held as its seed, and as leads given one by one. */
const both = () => {
  const seeded = LeadStore.make(generate(options))
  const given = LeadStore.make(undefined)
  for (const lead of all) given.put(lead)
  return [seeded, given] as const
}

/** What a store says about itself: every lead, in seed order and in id order after a few cursors. */
const view = (store: LeadStore.LeadStore) => ({
  size: store.size(),
  values: encodeAll(store.values()),
  ascending: [undefined, ids[0], ids[17], ids[39], "0", "f"].map((after) => encodeAll(store.ascending(after))),
  got: ids.map((id) => encode(store.get(id)))
})

describe("LeadStore", () => {
  it("a generated workspace held as its seed reads the same as its leads given one by one", () => {
    const [seeded, given] = both()
    expect(view(seeded)).toEqual(view(given))
    expect(view(seeded).ascending[0]).toEqual(encodeAll(all))
  })

  it("remove and move change both alike (the generated one in typed arrays); a lead in none is left as it is", () => {
    const [seeded, given] = both()
    const completed = all.findIndex((lead) => lead.status === LeadStatus.Completed)
    const inNone = all.findIndex((lead, i) => lead.subsequence_id === null && i !== completed && i !== 5)
    const subsequence = all[0]!.subsequence_id!
    for (const store of [seeded, given]) {
      expect(store.removeFromSubsequence(ids[0]!, 1_000)?.subsequence_id).toBeNull()
      expect(encode(store.removeFromSubsequence(ids[inNone]!, 2_000))).toEqual(encode(all[inNone]))
      expect(store.moveToSubsequence(ids[completed]!, subsequence, 3_000)?.status).toBe(LeadStatus.Active)
      expect(store.removeFromSubsequence(ids[completed]!, 4_000)?.status).toBe(LeadStatus.Active)
      store.moveToSubsequence(ids[5]!, "019cc099-0000-7000-8000-000000000001", 5_000)
      expect(store.removeFromSubsequence("019cc099-0000-7000-8000-00000000dead", 6_000)).toBeUndefined()
    }
    expect(view(seeded)).toEqual(view(given))
    expect(encode(seeded.get(ids[inNone]!))).toEqual(encode(all[inNone]))
    expect(seeded.get(ids[5]!)).toMatchObject({ subsequence_id: "019cc099-0000-7000-8000-000000000001" })
  })

  it("put replaces a generated lead in place, and adds others in id order among the generated ones", () => {
    const store = LeadStore.make(generate(options))
    const replaced = new Lead({ ...all[3]!, email: "changed@example.com" })
    const [before, between, after] = generateLeads({ count: 3, seed: 9, since: Date.UTC(2026, 2, 2, 9, 30) })
    const early = new Lead({ ...before!, id: "00000000-0000-7000-8000-000000000000" })
    store.put(replaced)
    store.put(between!)
    store.put(early)
    store.put(after!)
    expect(store.size()).toBe(43)
    expect(store.get(ids[3]!)?.email).toBe("changed@example.com")
    const values = Array.from(store.values(), (lead) => lead.id)
    expect(values).toEqual([...ids, between!.id, early.id, after!.id])
    const ascending = Array.from(store.ascending(undefined), (lead) => lead.id)
    expect(ascending).toEqual([...values].sort())
    expect(Array.from(store.ascending(undefined)).find((lead) => lead.id === ids[3])?.email).toBe("changed@example.com")
    expect(ascending.indexOf(between!.id)).toBeLessThan(ascending.indexOf(ids[39]!)) // merged, not appended
  })
})
