/**
 * Writing to stdout and stderr: text as it comes, waiting when the reader is slower (a pipe to `jq`),
 * so output never piles up in memory; and what the terminals are.
 *
 * @since 0.2.0
 */
import * as Terminal from "@effect/platform/Terminal"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"

/**
 * Writes `text` to a stream; when its buffer is full, waits until it drains (or closes, or fails: a
 * reader that went away must not hold the program up; `main` stops it).
 *
 * @since 0.2.0
 * @category Utils
 */
export const write = (stream: NodeJS.WritableStream & { readonly destroyed?: boolean }, text: string) =>
  Effect.async<void>((resume) => {
    if (stream.destroyed === true || stream.write(text)) return resume(Effect.void)
    const done = () => resume(Effect.void)
    const events = ["drain", "close", "error"] as const
    for (const event of events) stream.once(event, done)
    return Effect.sync(() => {
      for (const event of events) stream.off(event, done)
    })
  })

/**
 * Writes `text` to stdout.
 *
 * @since 0.2.0
 * @category Utils
 */
export const stdout = (text: string): Effect.Effect<void> => write(process.stdout, text)

/**
 * Writes `text` to stderr.
 *
 * @since 0.2.0
 * @category Utils
 */
export const stderr = (text: string): Effect.Effect<void> => write(process.stderr, text)

/**
 * Which of stdin, stdout and stderr are terminals, and whether stdout is a pipe (or a socket).
 *
 * @since 0.2.0
 * @category Models
 */
export interface Terminals {
  readonly stdin: boolean
  readonly stdout: boolean
  readonly stderr: boolean
  readonly stdoutIsPipe: boolean
}

/**
 * Which of stdin, stdout and stderr are terminals now.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const terminals: Effect.Effect<Terminals> = Effect.sync(() => {
  let stdoutIsPipe = false
  try {
    const stat = Fs.fstatSync(1)
    stdoutIsPipe = stat.isFIFO() || stat.isSocket()
  } catch {
    // stdout closed: not a pipe to keep quiet for.
  }
  return {
    stdin: process.stdin.isTTY === true,
    stdout: process.stdout.isTTY === true,
    stderr: process.stderr.isTTY === true,
    stdoutIsPipe
  }
})

/**
 * Runs `effect` (a prompt) on a `Terminal` that displays on stderr, so that a question is seen on the
 * terminal while stdout goes to a file or a pipe. It reads stdin as the platform's does.
 *
 * @since 0.2.0
 * @category Utils
 */
export const onStderr = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Terminal.Terminal> =>
  Effect.flatMap(Terminal.Terminal, (terminal) =>
    Effect.provideService(effect, Terminal.Terminal, {
      ...terminal,
      columns: Effect.sync(() => process.stderr.columns ?? 0),
      rows: Effect.sync(() => process.stderr.rows ?? 0),
      isTTY: Effect.sync(() => process.stderr.isTTY === true),
      display: stderr
    }))
