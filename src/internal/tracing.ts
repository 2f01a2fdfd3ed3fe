/**
 * Spans only when someone reads them: a span is made when tracing is enabled and a tracer other than
 * Effect's default one is installed (`@effect/opentelemetry`'s, a test's recording tracer). Effect's
 * default tracer keeps its spans nowhere, so without another one a span is pure cost (per call: the
 * span, its context and the fiber's refs copied to carry it, and a stack trace unless told otherwise).
 * Every span of effect-instantly goes through here; none captures a stack trace.
 *
 * @since 0.2.0
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import type * as Tracer from "effect/Tracer"

/** Effect's default tracer, as every fiber has it unless a layer or `Effect.withTracer` installs another. */
const defaultTracer: Tracer.Tracer = Effect.runSync(Effect.tracer)

/**
 * Whether `fiber` records spans: tracing is enabled and its tracer is not Effect's default one.
 *
 * @since 0.2.0
 * @category Tracing
 * @internal
 */
export const isTracing = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean =>
  fiber.currentTracer !== defaultTracer && fiber.getFiberRef(FiberRef.currentTracerEnabled)

/**
 * `Effect.withSpan(name, options)` (without a stack trace) when the fiber records spans; else `self`
 * as it is.
 *
 * @since 0.2.0
 * @category Tracing
 * @internal
 */
export const withSpan =
  (name: string, options?: Tracer.SpanOptions) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.withFiberRuntime((fiber) =>
      isTracing(fiber) ? Effect.withSpan(self, name, { ...options, captureStackTrace: false }) : self
    )

/**
 * `Effect.useSpan(name, options, f)` (without a stack trace) when the fiber records spans; else
 * `f(undefined)`.
 *
 * @since 0.2.0
 * @category Tracing
 * @internal
 */
export const useSpan = <A, E, R>(
  name: string,
  options: Tracer.SpanOptions,
  f: (span: Tracer.Span | undefined) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) =>
    isTracing(fiber) ? Effect.useSpan(name, { ...options, captureStackTrace: false }, f) : f(undefined)
  )
