import { Effect, Metric } from "effect"
import { InstantlyMetrics } from "effect-instantly"

// Every series is tagged with its operation, so read the tagged metric: Metric.value on the untagged
// InstantlyMetrics.rateLimiterWait reads a series nothing records into, which stays at zero.
export const limiterWaits = Metric.value(
  Metric.tagged(InstantlyMetrics.rateLimiterWait, "operation", "removeFromSubsequence")
) // a histogram: count (requests that waited), sum (seconds waited), min, max, buckets

// Or every instantly_* series with its tags, as an exporter sees them.
export const instantlySeries = Effect.map(Metric.snapshot, (pairs) =>
  pairs
    .filter((pair) => pair.metricKey.name.startsWith("instantly_"))
    .map((pair) => ({
      name: pair.metricKey.name,
      tags: Object.fromEntries(pair.metricKey.tags.map((tag) => [tag.key, tag.value])),
      state: pair.metricState
    })))
