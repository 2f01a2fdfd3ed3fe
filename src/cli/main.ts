#!/usr/bin/env node
/**
 * The `effect-instantly` command (package.json's `bin`): runs the command line on Node.js, with Ctrl-C
 * handled by `Stop`, logs on stderr, and the exit code of `Failure.ExitCode`.
 *
 * @since 0.2.0
 */
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as Cli from "./Cli.js"
import { ExitCode } from "./Failure.js"
import * as Output from "./Output.js"
import * as Stop from "./Stop.js"

const stop = Stop.make()

/** The program: the command line run, its failures printed on one line, answering the exit code. */
const program: Effect.Effect<number> = Cli.run(process.argv).pipe(
  Effect.as<number>(ExitCode.ok),
  Effect.catchAll((error) => {
    // @effect/cli has printed its own errors (an unknown option, a missing argument) with the usage.
    if (ValidationError.isValidationError(error)) return Effect.succeed<number>(ExitCode.usage)
    return Effect.as(
      error.message === "" ? Effect.void : Output.stderr(`effect-instantly: ${error.message}\n`),
      error.code
    )
  }),
  Effect.catchAllDefect((defect) =>
    Effect.as(Output.stderr(`effect-instantly: ${Cause.pretty(Cause.die(defect))}\n`), ExitCode.failed)
  ),
  Effect.provide(NodeContext.layer),
  Effect.provideService(Stop.Stop, stop.service),
  Effect.provide(Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger)))
)

const fiber = Effect.runFork(program)
const stopListening = stop.install(fiber)
// Effect's timers keep Node running, but a fiber waiting on a signal alone would not.
const keepAlive = setInterval(() => {}, 2 ** 31 - 1)
// The reader of stdout went away (`| head`): a run in a graceful section stops taking work and says how
// many outcomes were lost; anything else stops at once, without a stack trace.
process.stdout.on("error", () => {
  Output.markStdoutClosed()
  if (!stop.inGracefulSection()) fiber.unsafeInterruptAsFork(fiber.id())
})
fiber.addObserver((exit) => {
  stopListening()
  clearInterval(keepAlive)
  const signal = stop.signal()
  process.exitCode = Exit.isSuccess(exit) ? exit.value : signal === undefined ? ExitCode.failed : Stop.signals[signal]
})
