/**
 * Recording the `instantly_*` metrics on the hot path: label arrays are cached per tag set, so each
 * update finds its metric hook in O(1).
 *
 * @since 0.1.0
 * @internal
 */
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as MetricLabel from "effect/MetricLabel"
import { rateLimiterWait, requestDuration, requests, retries } from "../InstantlyMetrics.js"

/** One label array per tag set, so the metric hooks (cached by array) are found in O(1). */
const labelCache = new Map<string, ReadonlyArray<MetricLabel.MetricLabel>>()
const labels = (operation: string, key: string, value: string): ReadonlyArray<MetricLabel.MetricLabel> => {
  const id = `${operation}\u0000${key}\u0000${value}`
  let cached = labelCache.get(id)
  if (cached === undefined) {
    cached = key === ""
      ? [MetricLabel.make("operation", operation)]
      : [MetricLabel.make("operation", operation), MetricLabel.make(key, value)]
    labelCache.set(id, cached)
  }
  return cached
}

/** Runs `f` with the fiber's own metric tags (`Effect.tagMetrics`), to add to ours. */
const updating = (f: (extra: ReadonlyArray<MetricLabel.MetricLabel>) => void): Effect.Effect<void> =>
  Effect.withFiberRuntime((fiber) => {
    f(fiber.getFiberRef(FiberRef.currentMetricLabels))
    return Effect.void
  })

const withExtra = (
  extra: ReadonlyArray<MetricLabel.MetricLabel>,
  tags: ReadonlyArray<MetricLabel.MetricLabel>
): ReadonlyArray<MetricLabel.MetricLabel> => extra.length === 0 ? tags : [...extra, ...tags]

/**
 * Records one request: counts it by status class and adds its duration.
 *
 * @since 0.1.0
 * @category Metrics
 * @internal
 */
export const recordRequest = (operation: string, statusClass: string, millis: number): Effect.Effect<void> =>
  updating((extra) => {
    requests.unsafeUpdate(1, withExtra(extra, labels(operation, "status_class", statusClass)))
    requestDuration.unsafeUpdate(millis / 1_000, withExtra(extra, labels(operation, "", "")))
  })

/**
 * Records one retry and its reason.
 *
 * @since 0.1.0
 * @category Metrics
 * @internal
 */
export const recordRetry = (operation: string, reason: string): Effect.Effect<void> =>
  updating((extra) => retries.unsafeUpdate(1, withExtra(extra, labels(operation, "reason", reason))))

/**
 * Records a wait in the rate limiter.
 *
 * @since 0.1.0
 * @category Metrics
 * @internal
 */
export const recordRateLimiterWait = (operation: string, millis: number): Effect.Effect<void> =>
  updating((extra) => rateLimiterWait.unsafeUpdate(millis / 1_000, withExtra(extra, labels(operation, "", ""))))
