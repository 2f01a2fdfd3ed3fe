import { describe, expect, it } from "@effect/vitest"
import * as RecentIds from "../../src/internal/recentIds.js"

const uuid = (n: number) => `019cc043-0000-7000-8000-${n.toString(16).padStart(12, "0")}`

describe("RecentIds", () => {
  it("answers the number added with an id; UUIDs compare case-insensitively, other ids exactly", () => {
    const ids = RecentIds.make(100)
    ids.add(uuid(0xabc), 7)
    ids.add("lead-42", 8)
    expect(ids.get(uuid(0xabc))).toBe(7)
    expect(ids.get(uuid(0xabc).toUpperCase())).toBe(7)
    expect(ids.get("lead-42")).toBe(8)
    expect(ids.get("LEAD-42")).toBeUndefined()
    expect(ids.get(uuid(0xabd))).toBeUndefined()
    expect(ids.get("019cc043-0000-7000-8000-00000000abcz")).toBeUndefined()
  })

  it("remembers at least the last `capacity` ids, and forgets those more than twice as far back", () => {
    const capacity = 1_000
    const ids = RecentIds.make(capacity)
    for (let n = 0; n < 10 * capacity; n++) {
      expect(ids.get(uuid(n))).toBeUndefined()
      ids.add(uuid(n), n)
      const back = n - capacity + 1
      if (back >= 0) expect(ids.get(uuid(back))).toBe(back)
      if (n >= 2 * capacity) expect(ids.get(uuid(n - 2 * capacity))).toBeUndefined()
    }
  })

  it("tells apart ids that differ in any of their 128 bits, even when they collide in the table", () => {
    const ids = RecentIds.make(8)
    const similar = [
      "00000000-0000-0000-0000-000000000000",
      "00000000-0000-0000-0000-000000000001",
      "10000000-0000-0000-0000-000000000000",
      "00000000-0001-0000-0000-000000000000",
      "00000000-0000-0000-0001-000000000000"
    ]
    similar.forEach((id, i) => ids.add(id, i))
    similar.forEach((id, i) => expect(ids.get(id)).toBe(i))
  })
})
