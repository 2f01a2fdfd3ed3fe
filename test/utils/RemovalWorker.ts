/**
 * One process of a multi-process run (see `Workers.ts`): it reads a job as a JSON line on stdin,
 * builds the real `Leads` over the real `InstantlyClient` over undici with the limiter the job names
 * (kept in Redis, or in-process), answers `{"ready":true}`, waits for a `go` line, removes its leads
 * from their subsequences, and answers `{"done":{...}}`; then waits for the next job. Run with
 * `node --import tsx test/utils/RemovalWorker.ts`, or bundled (see `Workers.ts`).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Metric from "effect/Metric"
import * as MetricState from "effect/MetricState"
import * as Redacted from "effect/Redacted"
import * as Readline from "node:readline"
import { InstantlyClient, InstantlyMetrics, Leads, RateLimiter } from "../../src/index.js"
import type { Job, Result } from "./Workers.js"

const lines = Readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]()
const nextLine = async (): Promise<string | undefined> => {
  const next = await lines.next()
  return next.done === true ? undefined : String(next.value)
}
const answer = (message: unknown) => process.stdout.write(JSON.stringify(message) + "\n")

/** The sum of a counter over the tag sets that have `key: value`. */
const counter = (name: string, key: string, value: string) =>
  Effect.map(Metric.snapshot, (pairs) =>
    pairs.reduce(
      (sum, pair) =>
        pair.metricKey.name === name && MetricState.isCounterState(pair.metricState) &&
          pair.metricKey.tags.some((tag) => tag.key === key && tag.value === value)
          ? sum + Number(pair.metricState.count)
          : sum,
      0
    ))

const run = (job: Job) => {
  const limits = job.limits.map(({ limit, windowMillis }) => ({ limit, window: Duration.millis(windowMillis) }))
  const limiter = job.limiter.kind === "redis"
    ? RateLimiter.layerRedis({
      workspace: job.limiter.workspace,
      url: Redacted.make(job.limiter.url),
      limits,
      fallbackShare: job.limiter.fallbackShare,
      probeInterval: Duration.millis(job.limiter.probeMillis)
    })
    : RateLimiter.layer({ limits })
  const live = Leads.Default.pipe(
    Layer.provide(InstantlyClient.layer({
      apiKey: Redacted.make(job.apiKey),
      baseUrl: job.baseUrl,
      retry: { maxRetries: 20, maxDelay: "2 seconds" }
    })),
    Layer.provide(limiter),
    Layer.provide(NodeHttpClient.layerUndici)
  )
  return Effect.gen(function*() {
    const leads = yield* Leads
    const before = {
      retried: yield* counter("instantly_retries_total", "reason", "429"),
      fallbacks: (yield* Metric.value(InstantlyMetrics.rateLimiterFallback)).count
    }
    answer({ ready: true })
    yield* Effect.promise(nextLine)
    const start = performance.now()
    const outcomes = yield* Effect.forEach(
      job.ids,
      (id) => Effect.either(leads.removeFromSubsequence(id)),
      { concurrency: job.fibers }
    )
    const result: Result = {
      removed: outcomes.filter((outcome) => outcome._tag === "Right").length,
      failed: outcomes.flatMap((outcome) => outcome._tag === "Left" ? [outcome.left._tag] : []),
      retriedFor429: (yield* counter("instantly_retries_total", "reason", "429")) - before.retried,
      fallbacks: (yield* Metric.value(InstantlyMetrics.rateLimiterFallback)).count - before.fallbacks,
      millis: performance.now() - start
    }
    return result
  }).pipe(
    Effect.provide(live),
    // Warnings to stderr (stdout carries the answers), for the parent to read.
    Logger.withMinimumLogLevel(LogLevel.Warning),
    Effect.provide(Logger.replace(Logger.defaultLogger, Logger.withLeveledConsole(Logger.logfmtLogger))),
    Effect.scoped
  )
}

for (let line = await nextLine(); line !== undefined; line = await nextLine()) {
  const done = await Effect.runPromise(run(JSON.parse(line) as Job))
  answer({ done })
}
