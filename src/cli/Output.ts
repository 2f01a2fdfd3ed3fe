/**
 * Writing to stdout and stderr: text as it comes, waiting when the reader is slower (a pipe to `jq`),
 * so output never piles up in memory; and what the terminals are.
 *
 * @since 0.2.0
 */
import * as Terminal from "@effect/platform/Terminal"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Option from "effect/Option"
import * as Fs from "node:fs"

/**
 * Writes `text` to a stream; when its buffer is full, waits until this text is flushed (or could not be:
 * a reader that went away must not hold the program up). Answers whether the text was written: `false`
 * when the stream was closed or failed (`EPIPE`) before it was.
 *
 * @since 0.2.0
 * @category Utils
 */
export const write = (
  stream: NodeJS.WritableStream & { readonly destroyed?: boolean },
  text: string
): Effect.Effect<boolean> =>
  Effect.async<boolean>((resume) => {
    if (stream.destroyed === true) {
      lost(stream)
      return resume(Effect.succeed(false))
    }
    // The write's own callback says when the text is flushed or failed: no listener to add, none left behind.
    let waiting = false
    let settled: boolean | undefined
    const accepted = stream.write(text, (error) => {
      if (error) lost(stream)
      if (waiting) resume(Effect.succeed(!error))
      else settled = !error
    })
    if (accepted) return resume(Effect.succeed(true))
    if (settled !== undefined) return resume(Effect.succeed(settled))
    waiting = true
  })

/** How many texts could not be written, by stream: the stream's reader went away. */
const failures = new WeakMap<NodeJS.WritableStream, number>()
const lost = (stream: NodeJS.WritableStream) => {
  failures.set(stream, (failures.get(stream) ?? 0) + 1)
}

const stdoutClosed = Deferred.unsafeMake<void>(FiberId.none)

/**
 * Writes `text` to stdout. When stdout is closed (`| head -1`, the reader gone), `text` is counted as
 * not written (`unwritten`) and `whenStdoutClosed` completes.
 *
 * @since 0.2.0
 * @category Utils
 */
export const stdout = (text: string): Effect.Effect<void> =>
  Effect.flatMap(
    write(process.stdout, text),
    () => failures.has(process.stdout) ? Deferred.succeed(stdoutClosed, undefined) : Effect.void
  )

/**
 * Completes when stdout is found closed: its reader went away (`EPIPE`).
 *
 * @since 0.2.0
 * @category Utils
 */
export const whenStdoutClosed: Effect.Effect<void> = Deferred.await(stdoutClosed)

/**
 * Marks stdout closed (its `error` event: `EPIPE`), so that a run stops taking work.
 *
 * @since 0.2.0
 * @category Utils
 */
export const markStdoutClosed = (): void => {
  Deferred.unsafeDone(stdoutClosed, Exit.void)
}

/**
 * How many writes to stdout failed since the program started: the lines of output lost when its reader
 * went away; `Option.none()` while stdout is open.
 *
 * @since 0.2.0
 * @category Utils
 */
export const unwritten: Effect.Effect<Option.Option<number>> = Effect.map(
  Deferred.isDone(stdoutClosed),
  (isClosed) => isClosed ? Option.some(failures.get(process.stdout) ?? 0) : Option.none()
)

/**
 * Writes `text` to stderr.
 *
 * @since 0.2.0
 * @category Utils
 */
export const stderr = (text: string): Effect.Effect<void> => Effect.asVoid(write(process.stderr, text))

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
