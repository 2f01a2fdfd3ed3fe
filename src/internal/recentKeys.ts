/**
 * A bounded memory of keys seen lately: what `Leads.list` and `Leads.removeManyFromSubsequence` use to
 * drop repeated ids without holding every id of an unbounded stream.
 *
 * @since 0.2.0
 * @internal
 */

/**
 * Remembers at least the last `capacity` distinct keys added, each with a value (at most twice as
 * many are held: two generations of up to `capacity` keys; the older is dropped when the newer fills).
 *
 * @since 0.2.0
 * @internal
 */
export interface RecentKeys<V> {
  /** The value added with `key`, if `key` is among the keys remembered. */
  readonly get: (key: string) => V | undefined
  /** Remembers `key` with `value`. */
  readonly add: (key: string, value: V) => void
}

/**
 * An empty memory for at least the last `capacity` keys.
 *
 * @since 0.2.0
 * @internal
 */
export const make = <V>(capacity: number): RecentKeys<V> => {
  let current = new Map<string, V>()
  let previous = new Map<string, V>()
  return {
    get: (key) => current.has(key) ? current.get(key) : previous.get(key),
    add: (key, value) => {
      current.set(key, value)
      if (current.size >= capacity) {
        previous = current
        current = new Map()
      }
    }
  }
}
