/**
 * The main job, `npm start`: one typed Effect program through the real `Leads` and `InstantlyClient`
 * over HTTP. By default it starts `InstantlyEmulator` on a free loopback port with a small seeded
 * workspace; with `--live` and `INSTANTLY_API_KEY` set (both, never one alone) it calls the real API.
 *
 *   npm start                                    # against the emulator
 *   INSTANTLY_API_KEY=... npm start -- --live --lead <lead id> [--burst <n>]
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import type { ServeError } from "@effect/platform/HttpServerError"
import { type ConfigError, Console, DateTime, Duration, Effect, Layer, Option, Redacted } from "effect"
import { defaultBaseUrl, InstantlyClient, type InstantlyError, type Lead, Leads } from "effect-instantly"
import { InstantlyEmulator } from "effect-instantly/emulator"

/** What the program needs to know: which lead to work on, and how many reads to fire at once. */
interface Plan {
  readonly leadId: string
  readonly burst: number
}

const unknownId = "019cc043-0000-7000-8000-000000000000"

const when = (time: DateTime.Utc | null) =>
  time === null ? "-" : DateTime.formatIso(time).replace("T", " ").slice(0, 19)
const who = (lead: Lead) =>
  `${[lead.first_name, lead.last_name].filter((part) => part !== null).join(" ")} <${lead.email ?? lead.id}>`
const where = (lead: Lead) =>
  lead.subsequence_id === null
    ? "in no subsequence"
    : `in subsequence ${lead.subsequence_id} since ${when(lead.timestamp_added_subsequence)}`

/** The program: written against `Leads` alone, so it runs the same against the emulator or Instantly. */
const program = (plan: Plan) =>
  Effect.gen(function*() {
    const leads = yield* Leads

    const before = yield* leads.get(plan.leadId)
    yield* Console.log(`1. get          ${who(before)} is ${where(before)}`)

    const removed = yield* leads.removeFromSubsequence(plan.leadId)
    yield* Console.log(
      `2. remove       done: ${where(removed)} now (timestamp_updated ${when(removed.timestamp_updated)})`
    )

    const after = yield* leads.get(plan.leadId)
    yield* Console.log(`3. get again    read back: ${where(after)}`)

    const missing = yield* leads.get(unknownId).pipe(
      Effect.map((lead) => `found ${who(lead)}?`),
      Effect.catchTag("InstantlyNotFoundError", (error) =>
        Effect.succeed(`${error._tag} (${error.status}): "${error.message}"`))
    )
    yield* Console.log(`4. unknown id   ${missing}`)

    if (plan.burst <= 0) {
      yield* Console.log("5. burst        skipped (pass --burst <n> to spend the workspace's real rate limit)")
      return
    }
    // A burst over the workspace's rate limit: the client retries 429s after their Retry-After; one that
    // still fails (retries used up, or a Retry-After over maxRetryAfter) is a typed error we catch and count.
    const outcomes = yield* Effect.forEach(
      Array.from({ length: plan.burst }),
      () =>
        leads.get(plan.leadId).pipe(
          Effect.as("ok" as const),
          Effect.catchTag("InstantlyRateLimitError", (error) =>
            Effect.succeed(error))
        ),
      { concurrency: "unbounded" }
    )
    const limited = outcomes.filter((outcome) => outcome !== "ok")
    const waits = limited.flatMap((error) => Option.toArray(error.retryAfter)).map(Duration.format)
    yield* Console.log(
      `5. burst        ${plan.burst} reads at once: ${plan.burst - limited.length} ok, ${limited.length} ` +
        `caught as InstantlyRateLimitError${waits.length > 0 ? ` (Retry-After: ${waits[0]})` : ""}`
    )
  })

/** Against the emulator: a workspace of 5 leads, limited to 10 requests a second so a burst of 30 meets it. */
const againstEmulator = Effect.gen(function*() {
  const emulator = yield* InstantlyEmulator
  const seeded = yield* emulator.leads
  const lead = seeded.find((lead) => lead.subsequence_id !== null) ?? seeded[0]!
  yield* Console.log(`Instantly emulator on ${emulator.url}: ${seeded.length} leads, rate limit 10/s\n`)
  yield* program({ leadId: lead.id, burst: 30 })
  const counters = yield* emulator.counters
  yield* Console.log(
    `\nThe emulator saw ${counters.requests} requests and answered ${counters.rateLimited} of them 429` +
      (counters.rateLimited > 0 ? ";\nthe client paused its rate limiter for each Retry-After and retried." : ".")
  )
}).pipe(
  Effect.provide(
    Layer.unwrapEffect(Effect.map(InstantlyEmulator, (emulator) =>
      Leads.Default.pipe(
        Layer.provide(
          InstantlyClient.layer({ apiKey: Redacted.make(InstantlyEmulator.defaultApiKey), baseUrl: emulator.url })
        )
      ))).pipe(
        Layer.provideMerge(InstantlyEmulator.layerServer({
          leads: InstantlyEmulator.generateLeads({ count: 5, seed: 2026 }),
          rateLimit: { perSecond: 10 }
        })),
        Layer.provide(NodeHttpClient.layerUndici)
      )
  )
)

/** Against Instantly itself: only with `--live` and `INSTANTLY_API_KEY`, on the lead given with `--lead`. */
const againstInstantly = (plan: Plan) =>
  Effect.zipRight(
    Console.log(`Instantly API at ${process.env["INSTANTLY_BASE_URL"] ?? defaultBaseUrl}, lead ${plan.leadId}\n`),
    program(plan)
  ).pipe(
    Effect.provide(
      Leads.Default.pipe(Layer.provide(InstantlyClient.layerConfig()), Layer.provide(NodeHttpClient.layerUndici))
    )
  )

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name)
  return index === -1 ? undefined : process.argv[index + 1]
}

const main = Effect.suspend((): Effect.Effect<void, InstantlyError | ConfigError.ConfigError | ServeError> => {
  const live = process.argv.includes("--live")
  const hasKey = (process.env["INSTANTLY_API_KEY"] ?? "") !== ""
  if (!live) {
    return hasKey
      ? Effect.zipRight(
        Console.log("(INSTANTLY_API_KEY is set but not used: pass --live to call the real API)\n"),
        againstEmulator
      )
      : againstEmulator
  }
  const leadId = argument("--lead")
  if (!hasKey || leadId === undefined) {
    return Effect.zipRight(
      Console.error("--live needs INSTANTLY_API_KEY set and --lead <id> of a lead you may take out of its subsequence"),
      Effect.sync(() => process.exitCode = 1)
    )
  }
  return againstInstantly({ leadId, burst: Number(argument("--burst") ?? 0) })
})

NodeRuntime.runMain(main)
