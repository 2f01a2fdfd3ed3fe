/**
 * Deterministic numbers for the emulator: the same seed gives the same workspace and the same
 * faults on every run and every platform (no `Math.random`, no clock).
 *
 * @since 0.1.0
 */

const mix = (h: number, value: number): number => {
  h = Math.imul(h ^ (value >>> 0), 0x9e3779b1)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * A 32-bit hash of a seed and a list of integers (e.g. a request index and a purpose), well spread.
 *
 * @since 0.1.0
 * @category Utils
 */
export const hash = (seed: number, ...values: ReadonlyArray<number>): number => {
  let h = mix(0x811c9dc5, seed)
  for (const value of values) h = mix(h, value)
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d)
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39)
  return (h ^ (h >>> 15)) >>> 0
}

/**
 * A number in `[0, 1)` determined by a seed and a list of integers.
 *
 * @since 0.1.0
 * @category Utils
 */
export const unit = (seed: number, ...values: ReadonlyArray<number>): number => hash(seed, ...values) / 2 ** 32

/**
 * A stream of deterministic draws from one seed: `next()` is the draw after the previous one.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Draws {
  /** A number in `[0, 1)`. */
  readonly next: () => number
  /** An integer in `[0, n)`. */
  readonly int: (n: number) => number
  /** One element of a non-empty list. */
  readonly pick: <const Items extends readonly [unknown, ...Array<unknown>]>(items: Items) => Items[number]
  /** `digits` lowercase hexadecimal digits. */
  readonly hex: (digits: number) => string
  /** How many draws were made from the seed so far (where `draws(seed, position)` would go on). */
  readonly position: () => number
}

/**
 * Starts a stream of draws from `seed`, at draw number `from` (default 0, the first).
 *
 * @since 0.1.0
 * @category Constructors
 */
export const draws = (seed: number, from = 0): Draws => {
  let index = from
  const next = () => unit(seed, index++)
  const int = (n: number) => Math.floor(next() * n)
  const pick = <const Items extends readonly [unknown, ...Array<unknown>]>(items: Items): Items[number] =>
    items[int(items.length)] ?? items[0]
  const hex = (digits: number) => {
    let out = ""
    while (out.length < digits) out += hash(seed, index++).toString(16).padStart(8, "0")
    return out.slice(0, digits)
  }
  return { next, int, pick, hex, position: () => index }
}
