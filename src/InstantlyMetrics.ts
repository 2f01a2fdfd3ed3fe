/**
 * The metrics of effect-instantly, all named `instantly_*`. Their tags are the operation, a status
 * class and a retry reason: never a key, a header or anything from a lead.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricLabel from "effect/MetricLabel"

/**
 * Requests sent (each attempt counts), tagged `operation` and `status_class`: `2xx`, `3xx`, `4xx`,
 * `5xx`, or `timeout` / `transport` / `interrupted` when no response came.
 *
 * @since 0.1.0
 * @category Metrics
 */
export const requests = Metric.counter("instantly_requests_total", {
  description: "Requests sent to Instantly, by operation and status class",
  incremental: true
})

/**
 * Retries, tagged `operation` and `reason`: the status (`429`, `503`, ...), `timeout` or `transport`.
 *
 * @since 0.1.0
 * @category Metrics
 */
export const retries = Metric.counter("instantly_retries_total", {
  description: "Requests sent again after a transient failure, by operation and reason",
  incremental: true
})

/**
 * How long requests that had to wait spent in the client-side rate limiter, in seconds, tagged `operation`.
 *
 * @since 0.1.0
 * @category Metrics
 */
export const rateLimiterWait = Metric.histogram(
  "instantly_rate_limiter_wait_seconds",
  MetricBoundaries.exponential({ start: 0.01, factor: 2, count: 14 }),
  "Time a request waited for a rate limiter slot, when it had to wait"
)

/**
 * How long each request took, from sending to the decoded answer, in seconds, tagged `operation`.
 *
 * @since 0.1.0
 * @category Metrics
 */
export const requestDuration = Metric.histogram(
  "instantly_request_duration_seconds",
  MetricBoundaries.exponential({ start: 0.005, factor: 2, count: 14 }),
  "Duration of one request to Instantly, by operation"
)

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
 * @internal
 */
export const recordRetry = (operation: string, reason: string): Effect.Effect<void> =>
  updating((extra) => retries.unsafeUpdate(1, withExtra(extra, labels(operation, "reason", reason))))

/**
 * Records a wait in the rate limiter.
 *
 * @since 0.1.0
 * @internal
 */
export const recordRateLimiterWait = (operation: string, millis: number): Effect.Effect<void> =>
  updating((extra) => rateLimiterWait.unsafeUpdate(millis / 1_000, withExtra(extra, labels(operation, "", ""))))
