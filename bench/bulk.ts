/**
 * The bulk removal figures of issue 9, each measured in child processes of their own.
 *
 * 1. Pacing: `--count` removals (default 20,000) through `Leads.removeManyFromSubsequence` at `--limit`
 *    requests a second (default 1,000; and 60 times that a minute), client and emulator both limited,
 *    the emulator (`layerServer`) in one child and the client (undici) in another, over a loopback
 *    socket. Figures: wall time / (count / limit) (goal <= 1.05) and the 429s the client received
 *    (goal 0), with the CPU time each side spent.
 * 2. Memory: peak RSS of a client child removing `--sizes` ids (default 10,000 and 1,000,000) from a
 *    lazy input, rate limiter off (goal: within 1.2x of each other). Its answers come from an
 *    in-process `HttpClient` that echoes a lead for the id sent, so a million removals take minutes
 *    rather than the hour a socket would on a small machine; it measures what must stay flat, the
 *    client and the bulk pipeline; its heap after a full collection at the end says what stayed live.
 *    Beside it, the emulator holding as many generated leads, after one removal (which allocates its
 *    change arrays for all of them) and a read of the last lead: its RSS and its typed arrays.
 *
 * A million removals take about 7 minutes on 2 cores (Node 20).
 *
 * Run with `npm run bench:bulk` (options: `--count 20000 --limit 1000 --sizes 10000,1000000`).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { generate } from "../src/emulator/Generate.js"
import { InstantlyClient, Lead, Leads, type RemovalSummary, summarize } from "../src/index.js"
import { type Counters, InstantlyEmulator } from "../src/InstantlyEmulator.js"

const { values } = parseArgs({
  options: {
    role: { type: "string", default: "main" },
    count: { type: "string", default: "20000" },
    limit: { type: "string", default: "1000" },
    sizes: { type: "string", default: "10000,1000000" },
    url: { type: "string", default: "" }
  }
})
const count = Number(values.count)
const limit = Number(values.limit)
const seed = 9

/** Messages between the bench and its children. */
type Message =
  | { readonly _tag: "Listening"; readonly url: string }
  | { readonly _tag: "Report" }
  | {
    readonly _tag: "Server"
    readonly counters: Counters
    readonly rssMb: number
    readonly arrayBuffersMb: number
    readonly cpuMs: number
  }
  | {
    readonly _tag: "Client"
    readonly wallMs: number
    readonly cpuMs: number
    readonly maxRssMb: number
    /** The heap still in use after a full collection at the end (when the child runs with `--expose-gc`). */
    readonly liveHeapMb: number
    readonly summary: RemovalSummary
  }

const send = (message: Message) => process.send?.(message)
const cpuMs = () => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1_000
}

/** The ids of the generated workspace, one at a time: the input is never held. */
function* generatedIds(n: number) {
  const workspace = generate({ count: n, seed })
  for (let i = 0; i < n; i++) yield workspace.idAt(i)
}

/** Removes `ids` with the client given, and reports the run to the bench. */
const removeAll = (ids: Iterable<string>) =>
  Effect.gen(function*() {
    const leads = yield* Leads
    const cpu = cpuMs()
    const start = performance.now()
    const summary = yield* summarize(leads.removeManyFromSubsequence(ids))
    const wallMs = performance.now() - start
    const maxRssMb = process.resourceUsage().maxRSS / 1_024
    globalThis.gc?.()
    send({
      _tag: "Client",
      wallMs,
      cpuMs: cpuMs() - cpu,
      maxRssMb,
      liveHeapMb: process.memoryUsage().heapUsed / 1e6,
      summary
    })
  })

const clientLayer = (options: Omit<Parameters<typeof InstantlyClient.layer>[0], "apiKey">) =>
  Leads.Default.pipe(
    Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make(InstantlyEmulator.defaultApiKey), ...options }))
  )

/** An `HttpClient` answering every removal at once with a lead of the id sent, out of its subsequence. */
const echo = Effect.sync(() => {
  const lead = Schema.encodeSync(Lead)(generate({ count: 1, seed }).leadAt(0))
  const template = HttpClientResponse.fromWeb(HttpClientRequest.get("/"), new Response(null, { status: 200 }))
  const decoder = new TextDecoder()
  return HttpClient.make((request) => {
    const body = request.body._tag === "Uint8Array" ? JSON.parse(decoder.decode(request.body.body)) : {}
    const text = Effect.succeed(JSON.stringify({ ...lead, id: body.id, subsequence_id: null }))
    return Effect.succeed(Object.create(template, { request: { value: request }, text: { value: text } }))
  })
})

const roles: Record<string, () => Effect.Effect<void>> = {
  /** The emulator on a free port, limited to `--limit`, answering the bench's requests for its figures. */
  server: () =>
    Effect.gen(function*() {
      const emulator = yield* InstantlyEmulator
      process.on("message", (message: Message) => {
        if (message._tag !== "Report") return
        Effect.runPromise(emulator.counters).then((counters) =>
          send({
            _tag: "Server",
            counters,
            rssMb: process.memoryUsage().rss / 1e6,
            arrayBuffersMb: process.memoryUsage().arrayBuffers / 1e6,
            cpuMs: cpuMs()
          })
        )
      })
      send({ _tag: "Listening", url: emulator.url })
      yield* Effect.never
    }).pipe(
      Effect.provide(Layer.orDie(InstantlyEmulator.layerServer({
        generate: { count, seed },
        rateLimit: limit > 0 ? { perSecond: limit, perMinute: 60 * limit } : false
      })))
    ),
  /** The paced run: the real client over undici to the emulator at `--url`. */
  pace: () =>
    removeAll(generatedIds(count)).pipe(
      Effect.provide(clientLayer({
        baseUrl: values.url,
        rateLimit: { limits: [{ limit, window: "1 second" }, { limit: 60 * limit, window: "1 minute" }] }
      })),
      Effect.provide(NodeHttpClient.layerUndici)
    ),
  /** The memory run: `--count` ids through the client, answered in-process. */
  memory: () =>
    Effect.flatMap(echo, (client) =>
      removeAll(generatedIds(count)).pipe(
        Effect.provide(clientLayer({ rateLimit: false })),
        Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
      ))
}

// -----------------------------------------------------------------------------
// The bench: starts the children, collects their figures, prints a table
// -----------------------------------------------------------------------------

/** Starts this file in a child with `role` and the options given; resolves each message it sends. */
const child = (role: string, options: Record<string, string>, flags: ReadonlyArray<string> = []) => {
  const args = ["--role", role, ...Object.entries(options).flatMap(([key, value]) => [`--${key}`, value])]
  const proc = fork(fileURLToPath(import.meta.url), args, { execArgv: ["--import", "tsx", ...flags] })
  const next = <T extends Message["_tag"]>(tag: T) =>
    new Promise<Extract<Message, { _tag: T }>>((resolve, reject) => {
      const onMessage = (message: Message) => {
        if (message._tag !== tag) return
        proc.off("message", onMessage)
        resolve(message as Extract<Message, { _tag: T }>)
      }
      proc.on("message", onMessage)
      proc.once("exit", (code) => reject(new Error(`bench child ${role} exited (${code}) before ${tag}`)))
    })
  return { proc, next }
}

const serve = async (n: number, perSecond: number) => {
  const server = child("server", { count: String(n), limit: String(perSecond) })
  const { url } = await server.next("Listening")
  const report = async () => {
    const answer = server.next("Server")
    server.proc.send({ _tag: "Report" } satisfies Message)
    return answer
  }
  return { url, report, stop: () => server.proc.kill() }
}

const row = (cells: ReadonlyArray<string>, widths: ReadonlyArray<number>) =>
  cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")

const main = async () => {
  console.log(`effect-instantly bulk removal, Node ${process.version}`)

  const server = await serve(count, limit)
  const pace = child("pace", { count: String(count), limit: String(limit), url: server.url })
  const paced = await pace.next("Client")
  const { counters, cpuMs: serverCpu } = await server.report()
  server.stop()
  const ideal = (count / limit) * 1_000
  console.log(`\n1. Pacing: ${count} removals at ${limit}/s, emulator and client in two processes, over a socket`)
  const widths = [40, 14]
  console.log(row(["wall time", `${(paced.wallMs / 1_000).toFixed(2)} s`], widths))
  console.log(row(["wall time / (N / limit)", `${(paced.wallMs / ideal).toFixed(3)}`], widths))
  console.log(row(["429s received", `${counters.rateLimited}`], widths))
  console.log(row(["removed", `${paced.summary.byKind.Removed} of ${paced.summary.total}`], widths))
  console.log(row(["client CPU per removal", `${(paced.cpuMs / count * 1_000).toFixed(0)} us`], widths))
  console.log(
    row(["emulator CPU per request (with startup)", `${(serverCpu / counters.requests * 1_000).toFixed(0)} us`], widths)
  )

  const sizes = values.sizes.split(",").map(Number)
  const memoryWidths = [12, 16, 10, 16, 8, 14, 14]
  console.log(`\n2. Memory: a client removing N ids (answered in-process), and the emulator holding N leads`)
  console.log(row(
    ["N", "client peak RSS", "vs first", "heap after GC", "wall", "emulator RSS", "typed arrays"],
    memoryWidths
  ))
  let first: number | undefined
  for (const n of sizes) {
    const run = await child("memory", { count: String(n) }, ["--expose-gc"]).next("Client")
    // The emulator holding n generated leads, after a removal of the first (always in a subsequence, so its
    // change arrays are allocated) and a read of the last (so are its draw offsets).
    const emulator = await serve(n, 0)
    const workspace = generate({ count: n, seed })
    const last = workspace.idAt(n - 1)
    const headers = { authorization: `Bearer ${InstantlyEmulator.defaultApiKey}`, "content-type": "application/json" }
    const body = JSON.stringify({ id: workspace.idAt(0) })
    await fetch(`${emulator.url}/api/v2/leads/subsequence/remove`, { method: "POST", headers, body })
      .then((response) => response.text())
    await fetch(`${emulator.url}/api/v2/leads/${last}`, { headers }).then((response) => response.text())
    const held = await emulator.report()
    emulator.stop()
    first ??= run.maxRssMb
    console.log(row([
      n.toLocaleString("en-US"),
      `${run.maxRssMb.toFixed(0)} MB`,
      `${(run.maxRssMb / first).toFixed(2)}x`,
      `${run.liveHeapMb.toFixed(1)} MB`,
      `${(run.wallMs / 1_000).toFixed(0)} s`,
      `${held.rssMb.toFixed(0)} MB`,
      `${held.arrayBuffersMb.toFixed(1)} MB`
    ], memoryWidths))
  }
}

if (values.role === "main") {
  main().catch((error) => {
    console.error(error)
    process.exit(1)
  })
} else {
  Effect.runPromise(roles[values.role]!()).then(() => process.exit(0))
}
