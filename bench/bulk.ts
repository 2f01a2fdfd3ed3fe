/**
 * Suite 4, bulk at the limit (the figures of issue 9), each variant in a worker process of its own
 * (`bench/worker.ts`), the emulator in a child process of that worker (this file, `--role server`), so
 * client and server never share an event loop:
 *
 * - Pacing: `count` removals (20,000) against the emulator limited to `limit` requests a second (1,000,
 *   and 60 times that a minute), over a loopback socket. Ours: `Leads.removeManyFromSubsequence` over
 *   `InstantlyHttpClient.layer`, its limiter at the same limits. Figures: wall time / (count / limit)
 *   (goal <= 1.05), the 429s the emulator sent (goal 0), the removals answered 200, peak RSS. Beside it,
 *   what people write without a limiter: `Promise.all` over raw `fetch` (every request at once, no
 *   retry: what is not removed failed) and `p-limit` (32 at a time, the client's default concurrency)
 *   retrying a 429 after 100 ms (the naive retry: it ignores `Retry-After`).
 * - Memory: peak RSS of a process removing `small` (10,000) and `large` (1,000,000) ids from a lazy input,
 *   rate limiter off, each removal answered by an in-process `HttpClient` that echoes a lead for the id
 *   sent (a million over a socket would take 17 minutes at 1,000/s); goal: large within 1.2x of small.
 *   What must stay flat is the client and the bulk pipeline, which is what this measures.
 *
 * `npm run bench -- --suite bulk` (or `npm run bench:bulk`) runs it alone.
 */
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
import pLimit from "p-limit"
import { Agent, fetch } from "undici"
import { generate } from "../src/emulator/Generate.js"
import { InstantlyClient, Lead, Leads, summarize } from "../src/index.js"
import { type Counters, InstantlyEmulator } from "../src/InstantlyEmulator.js"
import { WholeBody } from "../src/internal/bufferedResponse.js"
import * as Deadline from "../src/internal/deadline.js"
import { InstantlyHttpClient } from "../src/node.js"
import { type Params, peakRssMb, type Sample, type Suite } from "./suite.js"

const seed = 9

/** Messages between a worker and its emulator child. */
type Message =
  | { readonly _tag: "Listening"; readonly url: string }
  | { readonly _tag: "Report" }
  | { readonly _tag: "Server"; readonly counters: Counters }

/** The ids of the generated workspace, one at a time: the input is never held. */
function* generatedIds(n: number) {
  const workspace = generate({ count: n, seed })
  for (let i = 0; i < n; i++) yield workspace.idAt(i)
}

/** `n` distinct lead ids for the in-process runs (any id will do there), one at a time. */
function* serialIds(n: number) {
  for (let i = 0; i < n; i++) yield `019cc043-0000-7000-8000-${i.toString(16).padStart(12, "0")}`
}

const clientLayer = (options: Omit<Parameters<typeof InstantlyClient.layer>[0], "apiKey">) =>
  Leads.Default.pipe(
    Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make(InstantlyEmulator.defaultApiKey), ...options }))
  )

/** Removes `ids` through `Leads.removeManyFromSubsequence`; answers how many were removed. */
const removeAll = (ids: Iterable<string>) =>
  Effect.map(
    Effect.flatMap(Leads, (leads) => summarize(leads.removeManyFromSubsequence(ids))),
    (summary) => summary.byKind.Removed
  )

/**
 * An `HttpClient` answering every removal at once with a lead of the id sent, out of its subsequence:
 * the lead's JSON made once, the id spliced in; a response that keeps its body (no copy) from a client
 * that keeps the deadline itself (none needed: it answers at once), as `InstantlyHttpClient` would, so
 * the run measures the client and the bulk pipeline, not a stand-in for the network.
 */
const echo = Effect.sync(() => {
  const lead = Schema.encodeSync(Lead)(generate({ count: 1, seed }).leadAt(0))
  const [head, tail] = JSON.stringify({ ...lead, id: "\u0000", subsequence_id: null }).split("\"\\u0000\"")
  const template = HttpClientResponse.fromWeb(HttpClientRequest.get("/"), new Response(null, { status: 200 }))
  const decoder = new TextDecoder()
  const encoder = new TextEncoder()
  const respond = (request: HttpClientRequest.HttpClientRequest): HttpClientResponse.HttpClientResponse => {
    const body = request.body._tag === "Uint8Array" ? JSON.parse(decoder.decode(request.body.body)) : {}
    const json = head + JSON.stringify(body.id) + tail
    return Object.create(template, {
      request: { value: request },
      text: { value: Effect.succeed(json) },
      arrayBuffer: { value: Effect.sync(() => encoder.encode(json).buffer) },
      [WholeBody]: { value: () => Effect.void }
    })
  }
  return Deadline.markTransport(
    HttpClient.makeWith<never, never, never, never>((request) => Effect.map(request, respond), Effect.succeed)
  )
})

/** The emulator in a child process: `count` generated leads, limited to `limit` a second (and 60 times that a minute). */
const serve = async (count: number, limit: number) => {
  const child = fork(
    fileURLToPath(import.meta.url),
    ["--role", "server", "--count", `${count}`, "--limit", `${limit}`],
    {
      execArgv: ["--import", "tsx"]
    }
  )
  const next = <T extends Message["_tag"]>(tag: T) =>
    new Promise<Extract<Message, { _tag: T }>>((resolve, reject) => {
      const onMessage = (message: Message) => {
        if (message._tag !== tag) return
        child.off("message", onMessage)
        resolve(message as Extract<Message, { _tag: T }>)
      }
      child.on("message", onMessage)
      child.once("exit", (code) => reject(new Error(`the emulator exited (${code}) before ${tag}`)))
    })
  const { url } = await next("Listening")
  const counters = async () => {
    const answer = next("Server")
    child.send({ _tag: "Report" } satisfies Message)
    return (await answer).counters
  }
  return { url, counters, stop: () => child.kill() }
}

/** The emulator's side of the pacing runs. */
const server = (count: number, limit: number) =>
  Effect.gen(function*() {
    const emulator = yield* InstantlyEmulator
    process.on("message", (message: Message) => {
      if (message._tag !== "Report") return
      Effect.runPromise(emulator.counters).then((counters) => process.send?.({ _tag: "Server", counters }))
    })
    process.send?.({ _tag: "Listening", url: emulator.url } satisfies Message)
    yield* Effect.never
  }).pipe(
    Effect.provide(Layer.orDie(InstantlyEmulator.layerServer({
      generate: { count, seed },
      rateLimit: { perSecond: limit, perMinute: 60 * limit }
    })))
  )

/** A raw removal with `fetch`: its status. */
const rawRemove = async (url: string, id: string, dispatcher: Agent): Promise<number> => {
  const response = await fetch(`${url}/api/v2/leads/subsequence/remove`, {
    method: "POST",
    headers: { authorization: `Bearer ${InstantlyEmulator.defaultApiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ id }),
    dispatcher
  })
  await response.arrayBuffer()
  return response.status
}

/**
 * Runs `run` (which answers how many leads it removed) against a fresh emulator limited to `limit`,
 * timing it; the 429s are the emulator's count.
 */
const paced = async (
  { count, limit }: Params,
  run: (url: string, ids: Iterable<string>) => Promise<number>
): Promise<Sample> => {
  const emulator = await serve(count!, limit!)
  try {
    const start = performance.now()
    const removed = await run(emulator.url, generatedIds(count!))
    const wallMs = performance.now() - start
    const counters = await emulator.counters()
    return { pace: wallMs / (count! / limit! * 1_000), rejected: counters.rateLimited, removed, rss: peakRssMb() }
  } finally {
    emulator.stop()
  }
}

const notPaced = { pace: Number.NaN, rejected: Number.NaN, removed: Number.NaN }

export const suite: Suite = {
  id: "bulk",
  title: "Bulk at the limit: removals against the emulator at its rate limit, and memory at 10k vs 1M ids",
  description: "Pacing: `count` removals against the emulator (its own process, a loopback socket) limited to " +
    "`limit`/s and 60 times that a minute; pace is wall time / (count / limit), 1.00 being the limit exactly; " +
    "429s as the emulator counted them; removed: answered 200. Ours: Leads.removeManyFromSubsequence over " +
    "InstantlyHttpClient.layer, its limiter at the same limits. Promise.all over undici's fetch (a pool of 256 " +
    "connections), no retry; p-limit(32) over fetch, a 429 retried after 100 ms. Memory: peak RSS of a process " +
    "removing `small` and `large` ids from a lazy input (limiter off, answered in-process).",
  server: false,
  rounds: { full: 1, quick: 1 },
  params: {
    full: { count: 20_000, limit: 1_000, small: 10_000, large: 1_000_000 },
    quick: { count: 2_000, limit: 1_000, small: 1_000, large: 20_000 }
  },
  metrics: [
    { key: "pace", label: "wall / (N / limit)", unit: "x", digits: 3 },
    { key: "rejected", label: "429s", unit: "", digits: 0 },
    { key: "removed", label: "removed", unit: "", digits: 0 },
    { key: "rss", label: "peak RSS MB", unit: "MB", digits: 0 }
  ],
  variants: [
    {
      id: "ours",
      label: "ours: removeManyFromSubsequence over InstantlyHttpClient.layer",
      goals: [{ metric: "pace", on: "value", max: 1.05 }, { metric: "rejected", on: "value", max: 0 }]
    },
    { id: "promise-all", label: "Promise.all over raw fetch, no retry" },
    { id: "p-limit", label: "p-limit(32) over raw fetch, 429 retried after 100 ms" },
    { id: "memory-small", label: "ours, memory: `small` ids" },
    {
      id: "memory-large",
      label: "ours, memory: `large` ids",
      baseline: "memory-small",
      goals: [{ metric: "rss", on: "ratio", max: 1.2 }]
    }
  ],
  measure: async (variant, params) => {
    switch (variant) {
      case "ours":
        return paced(params, (url, ids) =>
          Effect.runPromise(
            removeAll(ids).pipe(
              Effect.provide(clientLayer({
                baseUrl: url,
                rateLimit: {
                  limits: [{ limit: params.limit!, window: "1 second" }, {
                    limit: 60 * params.limit!,
                    window: "1 minute"
                  }]
                }
              })),
              Effect.provide(InstantlyHttpClient.layer)
            )
          ))
      case "promise-all":
        return paced(params, async (url, ids) => {
          const agent = new Agent({ connections: 256 })
          const statuses = await Promise.all(Array.from(ids, (id) => rawRemove(url, id, agent).catch(() => 0)))
          await agent.close()
          return statuses.filter((status) => status === 200).length
        })
      case "p-limit":
        return paced(params, async (url, ids) => {
          const agent = new Agent()
          const limit = pLimit(32)
          const removeRetrying = async (id: string): Promise<number> => {
            for (;;) {
              const status = await rawRemove(url, id, agent)
              if (status !== 429) return status
              await new Promise((resolve) => setTimeout(resolve, 100))
            }
          }
          const statuses = await Promise.all(Array.from(ids, (id) => limit(() => removeRetrying(id))))
          await agent.close()
          return statuses.filter((status) => status === 200).length
        })
      case "memory-small":
      case "memory-large": {
        const n = variant === "memory-small" ? params.small! : params.large!
        await Effect.runPromise(Effect.flatMap(echo, (client) =>
          removeAll(serialIds(n)).pipe(
            Effect.provide(clientLayer({ rateLimit: false })),
            Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
          )))
        return { ...notPaced, rss: peakRssMb() }
      }
    }
    throw new Error(`unknown variant ${variant}`)
  }
}

// The emulator's child process: `tsx bench/bulk.ts --role server --count N --limit L`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { role: { type: "string" }, count: { type: "string" }, limit: { type: "string" } }
  })
  if (values.role === "server") Effect.runFork(server(Number(values.count), Number(values.limit)))
}
