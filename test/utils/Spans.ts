/**
 * Records every span a program starts, so tests can assert span names and attributes.
 */
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"

/** Runs `self` with a tracer that records its spans (on top of the current one) and returns them. */
export const withRecordedSpans = <A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<[result: A, spans: ReadonlyArray<Tracer.Span>], E, R> =>
  Effect.flatMap(Effect.tracer, (base) => {
    const spans: Array<Tracer.Span> = []
    const tracer = Tracer.make({
      span: (...args) => {
        const span = base.span(...args)
        spans.push(span)
        return span
      },
      context: (f, fiber) => base.context(f, fiber)
    })
    return Effect.map(Effect.withTracer(self, tracer), (a) => [a, spans] as [A, ReadonlyArray<Tracer.Span>])
  })

/** Everything a span holds as text: name, attributes and events, for leak checks. */
export const spanText = (span: Tracer.Span): string =>
  JSON.stringify({ name: span.name, attributes: Object.fromEntries(span.attributes) })

/**
 * Runs `self` with Effect's default tracer (the one every fiber has unless another is installed) counting
 * the spans made with it, and returns that count: what telemetry nobody reads costs.
 */
export const withDefaultTracerSpansCounted = <A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<[result: A, spans: number], E, R> =>
  Effect.flatMap(Effect.tracer, (tracer) => {
    const mutable = tracer as { span: Tracer.Tracer["span"] }
    const original = mutable.span
    let count = 0
    return Effect.acquireUseRelease(
      Effect.sync(() => {
        mutable.span = (...args) => {
          count++
          return original(...args)
        }
      }),
      () => Effect.map(self, (a) => [a, count] as [A, number]),
      () => Effect.sync(() => mutable.span = original)
    )
  })
