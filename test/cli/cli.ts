/**
 * The `effect-instantly` command run as an operator runs it: a child process of `node`, on our sources
 * and the packages they use bundled into one file by esbuild, once per test file. `--version` took 2.9 s
 * through tsx on 2 cores (load average 4), 1.0 to 1.8 s bundled with the packages left in node_modules
 * (as the installed package loads them: several hundred modules), 0.35 to 0.5 s bundled whole.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Command from "@effect/platform/Command"
import type * as CommandExecutor from "@effect/platform/CommandExecutor"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Esbuild from "esbuild"
import { randomUUID } from "node:crypto"
import { rm } from "node:fs/promises"
import { fileURLToPath } from "node:url"
import { InstantlyEmulator } from "../../src/InstantlyEmulator.js"

/** What a finished run printed, and its exit code. */
export interface Result {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** How to run it: what to feed its stdin, and environment variables over ours (`undefined` unsets one). */
export interface RunOptions {
  readonly stdin?: string | undefined
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
}

/** A run under way: its stdout line by line, and its process to signal. */
export interface Running {
  readonly lines: Stream.Stream<string>
  readonly stderr: Effect.Effect<string>
  /** Sends `signal` and waits for the process to exit. */
  readonly kill: (signal: "SIGINT" | "SIGTERM") => Effect.Effect<void>
  /** Sends `signal` without waiting. */
  readonly signal: (signal: "SIGINT" | "SIGTERM") => Effect.Effect<void>
  readonly exitCode: Effect.Effect<number>
}

/** Runs the command line in a child process, with the emulator's key and no `INSTANTLY_BASE_URL`. */
export class Cli extends Context.Tag("test/Cli")<Cli, {
  /** The bundled command, to run with `node` where the test needs the child process itself. */
  readonly script: string
  /** The environment a run gets: ours, with the emulator's key, no `INSTANTLY_BASE_URL`, and `env` over it. */
  readonly env: (env?: RunOptions["env"]) => Record<string, string>
  readonly run: (args: ReadonlyArray<string>, options?: RunOptions) => Effect.Effect<Result>
  readonly start: (args: ReadonlyArray<string>, options?: RunOptions) => Effect.Effect<Running, never, Scope.Scope>
}>() {}

const bundle = Effect.acquireRelease(
  Effect.promise(async () => {
    const outfile = fileURLToPath(
      new URL(`../../node_modules/.cache/effect-instantly/cli-${randomUUID()}.mjs`, import.meta.url)
    )
    await Esbuild.build({
      entryPoints: [fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url))],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      // Some packages are CommonJS and require Node's modules.
      banner: {
        js:
          `import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);`
      },
      logLevel: "warning"
    })
    return outfile
  }),
  (outfile) => Effect.promise(() => rm(outfile, { force: true }))
)

const text = (stream: Stream.Stream<Uint8Array, unknown>) =>
  stream.pipe(Stream.decodeText(), Stream.runCollect, Effect.map(Chunk.join("")), Effect.orDie)

/** `Cli`, over a bundle made for the layer's lifetime. */
export const layer: Layer.Layer<Cli> = Layer.scoped(
  Cli,
  Effect.gen(function*() {
    const script = yield* bundle
    const executor = yield* Effect.context<CommandExecutor.CommandExecutor>()
    const overrides = (env: RunOptions["env"] = {}) => ({
      INSTANTLY_API_KEY: InstantlyEmulator.defaultApiKey,
      INSTANTLY_BASE_URL: undefined,
      ...env
    })
    const command = (args: ReadonlyArray<string>, options: RunOptions = {}) => {
      const base = Command.make(process.execPath, script, ...args).pipe(Command.env(overrides(options.env)))
      return options.stdin === undefined ? base : Command.feed(base, options.stdin)
    }
    const start = (args: ReadonlyArray<string>, options?: RunOptions) =>
      Command.start(command(args, options)).pipe(Effect.provide(executor), Effect.orDie)
    return {
      script,
      env: (env) => {
        const merged: Record<string, string> = {}
        for (const [name, value] of Object.entries({ ...process.env, ...overrides(env) })) {
          if (value !== undefined) merged[name] = value
        }
        return merged
      },
      run: (args, options) =>
        Effect.scoped(Effect.gen(function*() {
          const child = yield* start(args, options)
          const [stdout, stderr, code] = yield* Effect.all(
            [text(child.stdout), text(child.stderr), Effect.orDie(child.exitCode)],
            { concurrency: "unbounded" }
          )
          return { code, stdout, stderr }
        })),
      start: (args, options) =>
        Effect.gen(function*() {
          const child = yield* start(args, options)
          const stderr = yield* Effect.forkScoped(text(child.stderr))
          return {
            lines: child.stdout.pipe(Stream.decodeText(), Stream.splitLines, Stream.orDie),
            stderr: Fiber.join(stderr),
            kill: (signal) => Effect.orDie(child.kill(signal)),
            signal: (signal) => Effect.sync(() => process.kill(child.pid, signal)),
            exitCode: Effect.orDie(child.exitCode)
          }
        })
    }
  })
).pipe(Layer.provide(NodeContext.layer))

/** The lines of NDJSON output, parsed. */
export const ndjson = (stdout: string): Array<Record<string, unknown>> =>
  stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Record<string, unknown>)
