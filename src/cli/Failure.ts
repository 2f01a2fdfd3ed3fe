/**
 * How the command line ends: its exit codes, and one line for each failure a person must read.
 *
 * @since 0.2.0
 */
import type * as ConfigError from "effect/ConfigError"
import * as Data from "effect/Data"
import type { InstantlyError } from "../index.js"

/**
 * The exit codes: `ok` (every id removed or already out), `failed` (some id was not), `usage` (a bad
 * command line, a missing or malformed key, an input that cannot be read: nothing was sent).
 * A run stopped by a signal ends with 128 + its number (`Stop.signals`).
 *
 * @since 0.2.0
 * @category Constants
 */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const

/**
 * Ends the command with `code`, after printing `message` (one line, on stderr) when there is one.
 *
 * @since 0.2.0
 * @category Errors
 */
export class CliExit extends Data.TaggedError("CliExit")<{
  readonly code: number
  readonly message?: string | undefined
}> {}

/**
 * A usage error: `message` on stderr, exit code 2.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const usage = (message: string): CliExit => new CliExit({ code: ExitCode.usage, message })

/**
 * A file the command reads (ids, a previous output) cannot be used: exit code 2.
 *
 * @since 0.2.0
 * @category Errors
 */
export class InputError extends Data.TaggedError("InputError")<{ readonly message: string }> {}

/**
 * A configuration error on one line: the messages of its leaves, which name the variable
 * (`INSTANTLY_API_KEY is not set: ...`). One at no path is the `--base-url` option's.
 *
 * @since 0.2.0
 * @category Formatting
 */
export const describeConfigError = (error: ConfigError.ConfigError): string => {
  const leaves = (e: ConfigError.ConfigError): Array<string> => {
    switch (e._op) {
      case "And":
      case "Or":
        return [...leaves(e.left), ...leaves(e.right)]
      default:
        return [e.path.length === 0 ? `--base-url: ${e.message}` : e.message]
    }
  }
  return [...new Set(leaves(error))].join("; ")
}

/**
 * An `InstantlyError` on one line: its tag, its HTTP status when it has one, and its message (which
 * never holds the key).
 *
 * @since 0.2.0
 * @category Formatting
 */
export const describeError = (error: InstantlyError): string =>
  `${error._tag}${"status" in error ? ` (${error.status})` : ""}: ${error.message}`
