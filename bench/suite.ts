/**
 * What a benchmark suite is, for `bench/run.ts`: its variants (one a baseline for the others), the
 * metrics each run reports, the goals, and the code that measures one variant once, in a child process
 * of its own (`bench/worker.ts`).
 *
 * To add a suite (e.g. the bulk figures): export a `Suite` from a module in `bench/` and list the
 * module in `suiteModules` in `bench/run.ts`.
 */
import * as v8 from "node:v8"

/** One measurement of one variant: metric key -> value (see `Suite.metrics`). */
export type Sample = Readonly<Record<string, number>>

/** Counts and sizes, at full size and for `--quick`. */
export type Params = Readonly<Record<string, number>>

/** A goal on one metric of a variant: on its ratio to the baseline, or on its own value. */
export interface Goal {
  readonly metric: string
  readonly on: "ratio" | "value"
  readonly max?: number
  readonly min?: number
}

/** A variant: what is measured; `baseline` names the variant its ratios are against (same round). */
export interface Variant {
  readonly id: string
  readonly label: string
  readonly baseline?: string
  readonly goals?: ReadonlyArray<Goal>
}

/** A metric a sample reports, with how to show it. */
export interface Metric {
  readonly key: string
  readonly label: string
  readonly unit: string
  readonly digits: number
}

/** A suite of variants measured in alternation, each run in its own child process. */
export interface Suite {
  readonly id: string
  readonly title: string
  /** What the figures mean and how they are taken, for the report. */
  readonly description: string
  /** Whether its variants call the loopback server (`bench/server.ts`), whose URL they then get. */
  readonly server: boolean
  /** Run only when named (`--suite <id>`), not by a plain `npm run bench` (which must stay within 5 minutes). */
  readonly onRequest?: boolean
  readonly rounds: { readonly full: number; readonly quick: number }
  readonly params: { readonly full: Params; readonly quick: Params }
  readonly metrics: ReadonlyArray<Metric>
  readonly variants: ReadonlyArray<Variant>
  /** Measures `variant` once (in the worker process). */
  readonly measure: (variant: string, params: Params, url: string) => Promise<Sample>
}

/** Runs `run(warmUp)`, then times `run(count)`, and returns the microseconds per call of the latter. */
export const microsPerCall = async (
  count: number,
  warmUp: number,
  run: (count: number) => Promise<unknown> | unknown
): Promise<number> => {
  await run(warmUp)
  const start = performance.now()
  await run(count)
  return ((performance.now() - start) * 1_000) / count
}

/**
 * Counts the bytes allocated on the JS heap from now until the returned function is called: the bytes
 * each garbage collection freed (from `v8.GCProfiler`'s before/after heap statistics) plus the growth
 * of the used heap since the start. Every byte allocated is either freed by a collection or still in
 * use at the end, so the sum is the allocation, without tracing flags that would slow the program.
 * Buffers' backing stores live outside the JS heap and are not counted.
 */
export const allocationMeter = (): () => number => {
  const profiler = new v8.GCProfiler()
  const start = v8.getHeapStatistics().used_heap_size
  profiler.start()
  return () => {
    const end = v8.getHeapStatistics().used_heap_size
    const { statistics } = profiler.stop()
    const freed = statistics.reduce(
      (sum, gc) => sum + gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize,
      0
    )
    return freed + end - start
  }
}

/** The process's peak resident set size so far, in MB. */
export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024
