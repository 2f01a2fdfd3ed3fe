/**
 * A bounded memory of the ids seen lately, for `Leads.list` and `Leads.removeManyFromSubsequence` to
 * drop repeated ids without holding every id of an unbounded stream.
 *
 * A UUID is held as its 128 bits in a typed-array hash table (24 bytes a slot, 2 to 4 slots an id,
 * grown as ids come), outside the JavaScript heap: a hundred thousand ids held as strings in a `Map` cost 10 to 20 MB
 * of heap that the garbage collector then keeps growing around (measured over 300,000 removals: 275 MB
 * of peak RSS with a window of 1,000 ids in a `Map`, 318 MB with 100,000). Another id (Instantly
 * does not promise UUIDs) goes to a `Map` beside it. UUIDs compare case-insensitively.
 *
 * @since 0.2.0
 * @internal
 */

/**
 * Remembers at least the last `capacity` distinct ids added, each with a number (at most twice as many
 * are held: two generations of up to `capacity` ids; the older is emptied when the newer fills).
 *
 * @since 0.2.0
 * @internal
 */
export interface RecentIds {
  /** The number added with `id`, if `id` is among the ids remembered. */
  readonly get: (id: string) => number | undefined
  /** Remembers `id` with `value` (an id already remembered must not be added again). */
  readonly add: (id: string, value: number) => void
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The 128 bits of a UUID as four 32-bit words, into `words`; false when `id` is not a UUID. */
const parse = (id: string, words: Uint32Array): boolean => {
  if (!uuid.test(id)) return false
  words[0] = parseInt(id.slice(0, 8), 16)
  words[1] = parseInt(id.slice(9, 13) + id.slice(14, 18), 16)
  words[2] = parseInt(id.slice(19, 23) + id.slice(24, 28), 16)
  words[3] = parseInt(id.slice(28, 36), 16)
  return true
}

const hash = (words: Uint32Array): number => {
  let h = words[0]! ^ Math.imul(words[1]!, 0x85ebca6b) ^ Math.imul(words[2]!, 0xc2b2ae35) ^
    Math.imul(words[3]!, 0x27d4eb2f)
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  return (h ^ (h >>> 15)) >>> 0
}

/**
 * One generation: an open-addressing table of UUIDs (a slot is empty while its value is NaN), at most
 * half full, doubled as it fills; and a Map for other ids.
 */
interface Generation {
  keys: Uint32Array
  values: Float64Array
  /** Ids held in the table. */
  uuids: number
  /** Ids held in all. */
  size: number
  readonly others: Map<string, number>
}

const table = (slots: number) => ({ keys: new Uint32Array(slots * 4), values: new Float64Array(slots).fill(NaN) })

const emptyGeneration = (): Generation => ({ ...table(16), uuids: 0, size: 0, others: new Map() })

/**
 * An empty memory for at least the last `capacity` ids.
 *
 * @since 0.2.0
 * @internal
 */
export const make = (capacity: number): RecentIds => {
  const words = new Uint32Array(4)
  let current = emptyGeneration()
  let previous = emptyGeneration()

  /** The slot of the id in `words` in `generation`: where it is, or the empty slot where it would go. */
  const slotOf = (generation: Generation): number => {
    const mask = generation.values.length - 1
    let i = hash(words) & mask
    for (;;) {
      if (Number.isNaN(generation.values[i]!)) return i
      const k = i * 4
      if (
        generation.keys[k] === words[0] && generation.keys[k + 1] === words[1] && generation.keys[k + 2] === words[2] &&
        generation.keys[k + 3] === words[3]
      ) return i
      i = (i + 1) & mask
    }
  }

  const find = (generation: Generation): number | undefined => {
    const value = generation.values[slotOf(generation)]!
    return Number.isNaN(value) ? undefined : value
  }

  const put = (generation: Generation, value: number): void => {
    const i = slotOf(generation)
    generation.keys.set(words, i * 4)
    generation.values[i] = value
  }

  /** Doubles the table of `generation`, moving its ids over. */
  const grow = (generation: Generation): void => {
    const { keys, values } = generation
    Object.assign(generation, table(values.length * 2))
    for (let i = 0; i < values.length; i++) {
      if (Number.isNaN(values[i]!)) continue
      words.set(keys.subarray(i * 4, i * 4 + 4))
      put(generation, values[i]!)
    }
  }

  const get = (id: string): number | undefined =>
    parse(id, words)
      ? find(current) ?? find(previous)
      : current.others.get(id) ?? previous.others.get(id)

  const add = (id: string, value: number): void => {
    if (parse(id, words)) {
      if (2 * (current.uuids + 1) > current.values.length) {
        grow(current)
        parse(id, words)
      }
      put(current, value)
      current.uuids++
    } else {
      current.others.set(id, value)
    }
    if (++current.size >= capacity) {
      // The older generation's table is reused, emptied, for the next one.
      const next = previous
      next.values.fill(NaN)
      next.others.clear()
      next.uuids = 0
      next.size = 0
      previous = current
      current = next
    }
  }

  return { get, add }
}
