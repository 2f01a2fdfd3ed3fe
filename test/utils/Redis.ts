/**
 * A real `redis-server` for the tests, on a free loopback port, without persistence, stopped with the
 * scope. Tests that need one skip, loudly, when `redis-server` cannot be found; in CI (`CI=true`)
 * they fail instead (`.ci/run` installs it).
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import * as Net from "node:net"

/** Whether `redis-server` can be run here. */
export const available: boolean = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).error === undefined

if (!available) {
  if (process.env["CI"] === "true") {
    throw new Error("redis-server not found: in CI the Redis rate limiter tests must run (.ci/run installs it)")
  }
  const message = "redis-server not found: the Redis rate limiter tests are SKIPPED (apt-get install redis-server)"
  console.warn(`\n${"!".repeat(100)}\n!! ${message}\n${"!".repeat(100)}\n`)
}

/** A free TCP port on 127.0.0.1. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = Net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as Net.AddressInfo
      server.close(() => resolve(port))
    })
  })

/** A running (or stopped, then started again) `redis-server`. */
export interface RedisServer {
  readonly port: number
  readonly url: string
  /** Stops the server (SIGKILL: as a crash would); its data is gone. */
  readonly stop: Effect.Effect<void>
  /** Starts it again on the same port. */
  readonly start: Effect.Effect<void>
  /** Waits `after`, stops the server, waits `down`, starts it again. */
  readonly outage: (after: Duration.DurationInput, down: Duration.DurationInput) => Effect.Effect<void>
}

const launch = (port: number, args: ReadonlyArray<string> = []): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--loglevel",
        "warning",
        ...args
      ],
      { stdio: "ignore" }
    )
    child.once("error", reject)
    // Ready once it answers PING.
    const ping = (tries: number) => {
      const socket = Net.connect(port, "127.0.0.1")
      socket.once("connect", () => socket.write("PING\r\n"))
      socket.once("data", (data) => {
        socket.destroy()
        // A server with --requirepass answers NOAUTH: it is up.
        if (/^(\+PONG|-NOAUTH)/.test(data.toString())) resolve(child)
        else retry(tries)
      })
      socket.once("error", () => retry(tries))
    }
    const retry = (tries: number) =>
      tries > 200
        ? reject(new Error(`redis-server did not start on port ${port}`))
        : setTimeout(() => ping(tries + 1), 10)
    ping(0)
  })

const kill = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once("exit", () => resolve())
    child.kill("SIGKILL")
  })

/** Starts a `redis-server` on a free port with these extra arguments (`--requirepass`), stopped when the scope closes. */
export const serverWith = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const port = await freePort()
      const state = { child: await launch(port, args) }
      return { port, state }
    }),
    ({ state }) => Effect.promise(() => kill(state.child))
  ).pipe(Effect.map(({ port, state }): RedisServer => {
    const stop = Effect.promise(() => kill(state.child))
    const start = Effect.promise(async () => void (state.child = await launch(port, args)))
    return {
      port,
      url: `redis://127.0.0.1:${port}`,
      stop,
      start,
      outage: (after, down) =>
        Effect.sleep(after).pipe(Effect.zipRight(stop), Effect.zipRight(Effect.sleep(down)), Effect.zipRight(start))
    }
  }))

/** Starts a `redis-server` on a free port, stopped when the scope closes. */
export const server = serverWith([])
