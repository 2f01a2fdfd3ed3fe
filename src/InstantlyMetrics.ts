/**
 * The metrics of effect-instantly, all named `instantly_*`. Their tags are the operation, a status
 * class and a retry reason: never a key, a header or anything from a lead.
 *
 * @since 0.1.0
 */
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"

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
 * Times a rate limiter kept in Redis (`RateLimiter.layerRedis`) found Redis unreachable and fell back
 * to its in-process limiter at a share of the limits: once per outage and process.
 *
 * @since 0.2.0
 * @category Metrics
 */
export const rateLimiterFallback = Metric.counter("instantly_rate_limiter_fallback_total", {
  description: "Times the rate limiter kept in Redis fell back to the in-process limiter (once per outage)",
  incremental: true
})

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
