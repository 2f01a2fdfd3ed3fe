/**
 * effect-instantly: an Effect-native client for the Instantly.ai API v2.
 *
 * @since 0.1.0
 */

/**
 * The Lead schema, its enums and the request schemas.
 *
 * @since 0.1.0
 */
export * from "./Lead.js"

/**
 * The CampaignSubsequence schema and its enums.
 *
 * @since 0.2.0
 */
export * from "./Subsequence.js"

/**
 * The tagged errors and the status table.
 *
 * @since 0.1.0
 */
export * from "./InstantlyError.js"

/**
 * The transport: base URL, auth, headers, decoding and errors.
 *
 * @since 0.1.0
 */
export {
  defaultBaseUrl,
  defaultMaxResponseBytes,
  defaultTimeout,
  InstantlyClient,
  type InstantlyClientConfigOptions,
  type InstantlyClientOptions,
  type InstantlyRequest,
  type InstantlyRequestError,
  type RequestOptions,
  type Service as InstantlyClientService,
  userAgent
} from "./InstantlyClient.js"

/**
 * The retry policy: which failures are retried and after how long.
 *
 * @since 0.1.0
 */
export * as RetryPolicy from "./RetryPolicy.js"

/**
 * The retry options and their defaults.
 *
 * @since 0.1.0
 */
export { defaultRetryOptions, type RetryOptions } from "./RetryPolicy.js"

/**
 * The client-side rate limiter: sliding-window limits, `acquire` and `pause`.
 *
 * @since 0.1.0
 */
export * as RateLimiter from "./RateLimiter.js"

/**
 * The rate limiter options and Instantly's workspace limits.
 *
 * @since 0.1.0
 */
export { defaultRateLimits, type RateLimit, type RateLimitOptions } from "./RateLimiter.js"

/**
 * The `instantly_*` metrics.
 *
 * @since 0.1.0
 */
export * as InstantlyMetrics from "./InstantlyMetrics.js"

/**
 * The lead operations.
 *
 * @since 0.1.0
 */
export { Leads } from "./Leads.js"

/**
 * The options of bulk removal and their defaults.
 *
 * @since 0.2.0
 */
export { defaultDuplicateWindow, defaultRemoveManyConcurrency, type RemoveManyOptions } from "./Leads.js"

/**
 * The outcomes of a bulk removal and their summary.
 *
 * @since 0.2.0
 */
export * from "./RemovalOutcome.js"

/**
 * The subsequence operations.
 *
 * @since 0.2.0
 */
export { Subsequences } from "./Subsequences.js"

/**
 * The package version.
 *
 * @since 0.1.0
 */
export { version } from "./version.js"
