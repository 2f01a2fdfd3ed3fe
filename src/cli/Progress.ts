/**
 * The progress line of a long run, on stderr when it is a terminal: done/total (or done so far),
 * rate per second, ETA, and the 429s the client waited out; redrawn in place at most 10 times a
 * second by cli-progress, and cleared when the run ends.
 *
 * @since 0.2.0
 */
// cli-progress is CommonJS: Node gives its exports to ESM as the default import only.
import CliProgress, { type Options as BarOptions, type Params } from "cli-progress"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as MetricState from "effect/MetricState"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Output from "./Output.js"
import { formatCount, formatSeconds, type Tally } from "./Report.js"

/**
 * Where a run writes its lines of text output while its progress may be drawn.
 *
 * @since 0.2.0
 * @category Models
 */
export interface Progress {
  /** Writes a line of text output: to stdout, or above the progress line when both are on one terminal. */
  readonly line: (text: string) => Effect.Effect<void>
}

/**
 * Options of `make`.
 *
 * @since 0.2.0
 * @category Models
 */
export interface ProgressOptions {
  /** Whether to draw it (stderr is a terminal, and the output is not NDJSON to a pipe). */
  readonly show: boolean
  /** Whether stdout is the same terminal, so lines of output go above the progress line. */
  readonly stdoutIsTerminal: boolean
  /** How many outcomes to expect, when known. */
  readonly total: Option.Option<number>
  /** The counts it shows, updated by the run. */
  readonly tally: Tally
  /** What the run does, e.g. `removing`. */
  readonly verb: string
}

/**
 * Requests sent again after a 429, from the client's `instantly_retries_total{reason="429"}` (all
 * operations).
 *
 * @since 0.2.0
 * @category Utils
 */
export const retriedAfter429: Effect.Effect<number> = Effect.map(Metric.snapshot, (pairs) => {
  let n = 0
  for (const pair of pairs) {
    if (
      pair.metricKey.name === "instantly_retries_total" &&
      pair.metricKey.tags.some((tag) => tag.key === "reason" && tag.value === "429") &&
      MetricState.isCounterState(pair.metricState)
    ) n += Number(pair.metricState.count)
  }
  return n
})

/** What the progress line shows beyond cli-progress's own parameters. */
interface Payload {
  readonly done: number
  readonly rate: number
  readonly retried: number
}

const describe =
  (verb: string, total: Option.Option<number>) => (options: BarOptions, params: Params, payload: Payload): string => {
    const rate = `${payload.rate.toFixed(1)}/s`
    const retried = `429s waited out ${formatCount(payload.retried)}`
    return Option.match(total, {
      onNone: () => `${verb} ${formatCount(payload.done)} so far · ${rate} · ${retried}`,
      onSome: (total) => {
        const left = Math.max(0, total - payload.done)
        const eta = payload.rate > 0 ? formatSeconds(left / payload.rate) : "-"
        const bar = CliProgress.Format.BarFormat(params.progress, options)
        return `${verb} ${bar} ${formatCount(payload.done)}/${formatCount(total)} · ${rate} · ETA ${eta} · ${retried}`
      }
    })
  }

/**
 * Draws the progress of a run while the scope is open (nothing when `show` is false), and answers
 * where to write lines of output meanwhile.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const make = (options: ProgressOptions): Effect.Effect<Progress, never, Scope.Scope> => {
  if (!options.show) return Effect.succeed({ line: Output.stdout })
  return Effect.gen(function*() {
    const started = performance.now()
    const bars = new CliProgress.MultiBar({
      format: describe(options.verb, options.total),
      fps: 10,
      barsize: 20,
      clearOnComplete: true
    }, CliProgress.Presets.shades_classic)
    const payload = (retried: number): Payload => {
      const seconds = (performance.now() - started) / 1000
      return { done: options.tally.total, rate: seconds > 0 ? options.tally.total / seconds : 0, retried }
    }
    const bar = yield* Effect.acquireRelease(
      Effect.sync(() => bars.create(Option.getOrElse(options.total, () => 0), 0, payload(0))),
      () =>
        Effect.sync(() => {
          bars.update() // writes the lines logged since the last redraw
          bars.stop()
        })
    )
    // cli-progress redraws on its own timer; this keeps what it draws current.
    yield* Effect.forkScoped(
      Effect.repeat(
        Effect.flatMap(
          retriedAfter429,
          (retried) => Effect.sync(() => bar.update(options.tally.total, payload(retried)))
        ),
        Schedule.spaced("100 millis")
      )
    )
    return {
      line: options.stdoutIsTerminal ? (text) => Effect.sync(() => bars.log(text)) : Output.stdout
    }
  })
}
