/**
 * `effect-instantly emulator`: serves the Instantly emulator on a fixed loopback port until
 * interrupted, printing its URL and the key to use, so an app, a curl or this command line can be tried
 * against it.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { InstantlyEmulator, maxGeneratedLeads } from "../InstantlyEmulator.js"
import { CliExit, ExitCode, usage } from "./Failure.js"
import * as Output from "./Output.js"
import { formatCount } from "./Report.js"

/**
 * The options of `emulator`, as parsed from the command line.
 *
 * @since 0.2.0
 * @category Models
 */
export interface EmulatorOptions {
  readonly port: number
  readonly leads: number
  readonly seed: number
  /** `N/s` (or `N`): N requests a second and 60 x N a minute; `off`: no limit. Default Instantly's. */
  readonly rateLimit: Option.Option<string>
}

/** The emulator's rate limit from `--rate-limit`. */
const rateLimitOf = (
  option: Option.Option<string>
): Either.Either<false | { readonly perSecond: number; readonly perMinute: number } | undefined, CliExit> => {
  if (Option.isNone(option)) return Either.right(undefined)
  if (option.value === "off") return Either.right(false)
  const match = /^(\d+)(?:\/s)?$/.exec(option.value)
  const perSecond = Number(match?.[1] ?? 0)
  if (perSecond < 1) return Either.left(usage(`--rate-limit must be N/s (N of 1 or more) or off, got ${option.value}`))
  return Either.right({ perSecond, perMinute: perSecond * 60 })
}

/**
 * Runs `emulator` until interrupted: fails with `CliExit` for a bad option (2) or a port it cannot
 * listen on (1).
 *
 * @since 0.2.0
 * @category Commands
 */
export const run = (options: EmulatorOptions): Effect.Effect<never, CliExit> =>
  Effect.gen(function*() {
    const rateLimit = yield* rateLimitOf(options.rateLimit)
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
      return yield* usage(`--port must be 0 to 65535, got ${options.port}`)
    }
    if (options.leads < 0 || options.leads > maxGeneratedLeads) {
      return yield* usage(`--leads must be 0 to ${formatCount(maxGeneratedLeads)}, got ${options.leads}`)
    }
    const served = Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      const subsequences = yield* emulator.subsequences
      const limit = rateLimit === false
        ? "no rate limit"
        : `rate limit ${formatCount(rateLimit?.perSecond ?? 100)}/s and ${
          formatCount(rateLimit?.perMinute ?? 6_000)
        }/min`
      yield* Output.stdout(
        [
          `Instantly emulator on ${emulator.url}: ${formatCount(options.leads)} leads (seed ${options.seed}), ${limit}`,
          `key:          ${InstantlyEmulator.defaultApiKey}`,
          ...subsequences.map((s) => `subsequence:  ${s.id}  ${s.name}`),
          `try:          INSTANTLY_API_KEY=${InstantlyEmulator.defaultApiKey} effect-instantly leads list ` +
          `--base-url ${emulator.url} --limit 5`,
          "Ctrl-C stops it."
        ].join("\n") + "\n"
      )
      return yield* Effect.never
    })
    return yield* served.pipe(
      Effect.provide(InstantlyEmulator.layerServer({
        port: options.port,
        generate: { count: options.leads, seed: options.seed },
        ...(rateLimit === undefined ? {} : { rateLimit })
      })),
      Effect.catchTag(
        "ServeError",
        (error) =>
          new CliExit({
            code: ExitCode.failed,
            message: `cannot serve on port ${options.port}: ${String(error.cause)}`
          })
      )
    )
  })
