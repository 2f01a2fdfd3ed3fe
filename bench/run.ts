/**
 * The benchmark suite: `npm run bench` (about 5 minutes on a 2-core machine), `npm run bench -- --quick` (each variant once,
 * small counts: a smoke test for CI).
 *
 * Every figure is taken in a child process of its own (`bench/worker.ts`), one per variant and round,
 * variants alternating within each round (the order rotates from round to round); a ratio is the
 * median over rounds of the variant's figure divided by its baseline's in the same round, so a busy
 * machine slows both sides of each ratio alike. The loopback server (`bench/server.ts`) runs in a
 * process of its own too. Results go to `bench/results/latest.{json,md}` (`quick.*` with `--quick`,
 * `partial.*` with `--suite`),
 * with the machine: CPU model, cores, Node version, load average before and after.
 *
 * Options: `--quick`, `--suite per-call,decode` (a subset; `machinery`, the client's own cost, runs only when
 * named here, or with `--quick`), `--rounds 3` (every suite),
 * `--profile per-call/ours-instantly` (one run of one variant, ten times the usual count, under
 * `node --cpu-prof`, summarised: where the time goes, by package and by function; the profile is kept
 * in `bench/results/profiles/`).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import type { Goal, Params, Sample, Suite, Variant } from "./suite.js"

/** The suites, in report order: the module in `bench/` that exports each as `suite`. */
const suiteModules = ["perCall", "decode", "concurrent", "bulk", "machinery"] as const

const root = fileURLToPath(new URL("..", import.meta.url))
const resultsDir = join(root, "bench", "results")

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    suite: { type: "string" },
    rounds: { type: "string" },
    profile: { type: "string" }
  }
})

/** A child process running a TypeScript file under tsx, its stdout read line by line. */
const node = (args: ReadonlyArray<string>, nodeOptions: ReadonlyArray<string> = []): ChildProcess =>
  spawn(process.execPath, [...nodeOptions, "--import", "tsx", ...args], {
    cwd: root,
    stdio: ["pipe", "pipe", "inherit"]
  })

const startServer = async (): Promise<{ readonly url: string; readonly stop: () => void }> => {
  const child = node(["bench/server.ts"])
  for await (const line of createInterface({ input: child.stdout! })) {
    return { url: (JSON.parse(line) as { url: string }).url, stop: () => child.stdin!.end() }
  }
  throw new Error("the benchmark server did not start")
}

/** Runs one variant once in a fresh process and returns its sample. */
const measure = (
  module: string,
  variant: string,
  params: Params,
  url: string,
  nodeOptions: ReadonlyArray<string> = []
): Promise<Sample> =>
  new Promise((resolve, reject) => {
    const child = node(["bench/worker.ts", module, variant, JSON.stringify(params), url], nodeOptions)
    child.stdin!.end()
    let output = ""
    child.stdout!.on("data", (chunk: Buffer) => output += chunk.toString())
    child.on("exit", (code) => {
      const last = output.trim().split("\n").at(-1)
      if (code !== 0 || last === undefined) reject(new Error(`${module}/${variant} exited with ${code}`))
      // A figure that does not apply to the variant is NaN, which JSON carries as null.
      else resolve(JSON.parse(last, (_, value) => value === null ? Number.NaN : value) as Sample)
    })
  })

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

interface VariantResult {
  readonly id: string
  readonly label: string
  readonly baseline?: string | undefined
  readonly samples: ReadonlyArray<Sample>
  /** Median over rounds, per metric. */
  readonly median: Sample
  /** Median over rounds of variant / baseline in the same round, per metric. */
  readonly ratio?: Sample | undefined
  /** Median over rounds of variant - baseline in the same round, per metric. */
  readonly difference?: Sample | undefined
  readonly goals: ReadonlyArray<Goal & { readonly actual: number; readonly pass: boolean }>
}

interface SuiteResult {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly rounds: number
  readonly params: Params
  readonly metrics: Suite["metrics"]
  readonly variants: ReadonlyArray<VariantResult>
}

const perMetric = (metrics: Suite["metrics"], f: (key: string) => number): Sample =>
  Object.fromEntries(metrics.map((metric) => [metric.key, f(metric.key)]))

const summarise = (suite: Suite, rounds: number, params: Params, samples: Map<string, Array<Sample>>) => {
  const result = (variant: Variant): VariantResult => {
    const own = samples.get(variant.id)!
    const base = variant.baseline === undefined ? undefined : samples.get(variant.baseline)!
    const ratio = base && perMetric(suite.metrics, (key) => median(own.map((s, r) => s[key]! / base[r]![key]!)))
    const difference = base && perMetric(suite.metrics, (key) => median(own.map((s, r) => s[key]! - base[r]![key]!)))
    const medians = perMetric(suite.metrics, (key) => median(own.map((s) => s[key]!)))
    const goals = (variant.goals ?? []).map((goal) => {
      const actual = goal.on === "ratio" ? ratio![goal.metric]! : medians[goal.metric]!
      const pass = (goal.max === undefined || actual <= goal.max) && (goal.min === undefined || actual >= goal.min)
      return { ...goal, actual, pass }
    })
    return {
      id: variant.id,
      label: variant.label,
      baseline: variant.baseline,
      samples: own,
      median: medians,
      ratio,
      difference,
      goals
    }
  }
  return {
    id: suite.id,
    title: suite.title,
    description: suite.description,
    rounds,
    params,
    metrics: suite.metrics,
    variants: suite.variants.map(result)
  } satisfies SuiteResult
}

const runSuite = async (module: string, suite: Suite, url: string, quick: boolean): Promise<SuiteResult> => {
  const rounds = values.rounds === undefined ? (quick ? suite.rounds.quick : suite.rounds.full) : Number(values.rounds)
  const params = quick ? suite.params.quick : suite.params.full
  const samples = new Map(suite.variants.map((variant) => [variant.id, [] as Array<Sample>]))
  for (let round = 0; round < rounds; round++) {
    const n = suite.variants.length
    const order = suite.variants.map((_, i) => suite.variants[(i + round) % n]!)
    for (const variant of order) {
      samples.get(variant.id)!.push(await measure(module, variant.id, params, url))
    }
    process.stderr.write(`  ${suite.id}: round ${round + 1}/${rounds} done\n`)
  }
  return summarise(suite, rounds, params, samples)
}

const machine = () => {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    loadAverage: os.loadavg().map((x) => Number(x.toFixed(2)))
  }
}

/** A figure as text; `-` where it does not apply to the variant (`NaN`). */
const format = (value: number, digits: number) =>
  Number.isNaN(value)
    ? "-"
    : value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })

const goalText = (goal: VariantResult["goals"][number], metric: Suite["metrics"][number]) => {
  const bound = goal.max !== undefined ? `<= ${goal.max}` : `>= ${goal.min}`
  const actual = goal.on === "ratio" ? `${goal.actual.toFixed(2)}x` : format(goal.actual, metric.digits)
  return `${metric.label} ${goal.on === "ratio" ? `${bound}x baseline` : bound}: ${actual} ${
    goal.pass ? "pass" : "FAIL"
  }`
}

const markdown = (report: {
  readonly mode: string
  readonly startedAt: string
  readonly seconds: number
  readonly machine: ReturnType<typeof machine>
  readonly loadAverageAfter: ReadonlyArray<number>
  readonly suites: ReadonlyArray<SuiteResult>
}): string => {
  const m = report.machine
  const lines = [
    `# effect-instantly benchmarks (${report.mode})`,
    "",
    `${report.startedAt}, ${Math.round(report.seconds)} s. ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ` +
    `${m.platform}, Node ${m.node}. Load average (1, 5, 15 min) before: ${m.loadAverage.join(", ")}; ` +
    `after: ${report.loadAverageAfter.join(", ")}.`,
    "",
    "Each figure is a median over rounds; each variant runs in its own process, variants alternating. " +
    "A ratio (x baseline) is the median over rounds of variant / baseline in the same round. Reproduce " +
    "with `npm run bench` (`-- --quick` for a quick pass).",
    ""
  ]
  for (const suite of report.suites) {
    // With one metric, the difference to the baseline too (e.g. microseconds added per call).
    const difference = suite.metrics.length === 1
    const headers = [
      "variant",
      ...suite.metrics.flatMap((metric) => [metric.label, "x baseline"]),
      ...(difference ? ["+ vs baseline"] : []),
      "goal"
    ]
    lines.push(`## ${suite.title}`, "", suite.description, "")
    lines.push(
      `${suite.rounds} round(s); ${Object.entries(suite.params).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
      ""
    )
    lines.push(`| ${headers.join(" | ")} |`, `|${headers.map(() => "---").join("|")}|`)
    const baselines = new Set(suite.variants.map((variant) => variant.baseline))
    for (const variant of suite.variants) {
      const cells = suite.metrics.flatMap((metric) => [
        format(variant.median[metric.key]!, metric.digits),
        variant.ratio === undefined
          ? baselines.has(variant.id) ? "(baseline)" : ""
          : Number.isNaN(variant.ratio[metric.key]!)
          ? "-"
          : `${variant.ratio[metric.key]!.toFixed(2)}x`
      ])
      if (difference) {
        const metric = suite.metrics[0]!
        const diff = variant.difference?.[metric.key]
        cells.push(diff === undefined ? "" : `${diff >= 0 ? "+" : ""}${format(diff, metric.digits)} ${metric.unit}`)
      }
      const goals = variant.goals.map((goal) =>
        goalText(goal, suite.metrics.find((metric) => metric.key === goal.metric)!)
      )
      lines.push(`| ${[variant.label, ...cells, goals.join("; ") || "-"].join(" | ")} |`)
    }
    lines.push("")
  }
  return lines.join("\n")
}

/** Where a profiled run spent its time: self time by package, and the heaviest functions. */
const summariseProfile = (file: string): string => {
  const profile = JSON.parse(readFileSync(file, "utf8")) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>
    samples: Array<number>
    timeDeltas: Array<number>
  }
  const time = new Map<number, number>()
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const area = (url: string, name: string): string => {
    if (name.startsWith("(")) return name
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
    if (match) return match[1]!
    if (url.includes("/src/")) return "effect-instantly (src/)"
    if (url.includes("/bench/")) return "bench"
    if (url.startsWith("node:internal/modules") || url.startsWith("node:internal/source_map")) {
      return "node: module loading"
    }
    if (url === "" && /^[a-z]/.test(name)) return "node: native (socket I/O, timers)"
    return url.startsWith("node:") || url === "" ? "node: other internals" : url
  }
  const byArea = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let total = 0
  for (const node of profile.nodes) {
    const t = time.get(node.id) ?? 0
    const { functionName, lineNumber, url } = node.callFrame
    const key = area(url, functionName)
    byArea.set(key, (byArea.get(key) ?? 0) + t)
    const fn = `${functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "").replace(root, "")}:${
      lineNumber + 1
    }`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + t)
    total += t
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) =>
      `${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`
    )
  return ["self time by package:", ...top(byArea, 12), "", "heaviest functions (self time):", ...top(byFunction, 25)]
    .join("\n")
}

const profile = async (target: string) => {
  const [suiteId, variant] = target.split("/")
  for (const module of suiteModules) {
    const { suite } = (await import(`./${module}.js`)) as { suite: Suite }
    if (suite.id !== suiteId) continue
    const dir = join(resultsDir, "profiles")
    mkdirSync(dir, { recursive: true })
    const server = suite.server ? await startServer() : undefined
    const before = new Set(readdirSync(dir))
    // Ten times the usual count, so that start-up (module loading) weighs little in the profile.
    const params = { ...suite.params.full, calls: suite.params.full.calls! * 10 }
    const sample = await measure(module, variant!, params, server?.url ?? "", [
      "--cpu-prof",
      `--cpu-prof-dir=${dir}`
    ])
    server?.stop()
    const file = readdirSync(dir).find((name) => !before.has(name) && name.endsWith(".cpuprofile"))!
    console.log(`${target}: ${JSON.stringify(sample)} (under the profiler)\nprofile: ${join(dir, file)}\n`)
    console.log(summariseProfile(join(dir, file)))
    return
  }
  throw new Error(`no suite ${suiteId}`)
}

const main = async () => {
  if (values.profile !== undefined) return profile(values.profile)
  const quick = values.quick
  const wanted = values.suite?.split(",")
  const started = Date.now()
  const startedAt = new Date(started).toISOString()
  const host = machine()
  const loaded = await Promise.all(
    suiteModules.map(async (module) => ({
      module,
      suite: ((await import(`./${module}.js`)) as { suite: Suite }).suite
    }))
  )
  const selected = loaded.filter(({ suite }) =>
    wanted === undefined ? suite.onRequest !== true || quick : wanted.includes(suite.id)
  )
  const server = selected.some(({ suite }) => suite.server) ? await startServer() : undefined
  const suites: Array<SuiteResult> = []
  try {
    for (const { module, suite } of selected) {
      process.stderr.write(`${suite.id}: ${suite.title}\n`)
      const suiteStarted = Date.now()
      suites.push(await runSuite(module, suite, server?.url ?? "", quick))
      process.stderr.write(`${suite.id}: ${((Date.now() - suiteStarted) / 1_000).toFixed(0)} s\n`)
    }
  } finally {
    server?.stop()
  }
  const report = {
    mode: quick ? "quick" : "full",
    startedAt,
    seconds: (Date.now() - started) / 1_000,
    machine: host,
    loadAverageAfter: os.loadavg().map((x) => Number(x.toFixed(2))),
    suites
  }
  // Only a full run of every suite is "latest"; a subset or a quick pass is kept apart.
  const name = quick ? "quick" : wanted === undefined ? "latest" : "partial"
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`)
  const text = markdown(report)
  writeFileSync(join(resultsDir, `${name}.md`), `${text}\n`)
  console.log(text)
  console.log(`written: bench/results/${name}.json, bench/results/${name}.md`)
}

await main()
