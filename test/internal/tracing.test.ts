import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { useSpan, withSpan } from "../../src/internal/tracing.js"
import { withDefaultTracerSpansCounted, withRecordedSpans } from "../utils/Spans.js"

const traced = Effect.succeed(1).pipe(withSpan("outer", { attributes: { "test.key": "value" } }))
const used = useSpan("used", { kind: "client" }, (span) => Effect.succeed(span === undefined ? "none" : "span"))

describe("tracing", () => {
  it.effect("with a tracer installed: the span, its attributes and kind, and no stack trace", () =>
    Effect.gen(function*() {
      const [[, kind], spans] = yield* withRecordedSpans(Effect.all([traced, used]))
      expect(kind).toBe("span")
      expect(spans.map((span) => [span.name, span.kind])).toEqual([["outer", "internal"], ["used", "client"]])
      expect(spans[0]!.attributes.get("test.key")).toBe("value")
      // A failure records no stack trace (the call site would be this helper anyway).
      const [, failed] = yield* withRecordedSpans(Effect.either(Effect.fail("boom").pipe(withSpan("failing"))))
      expect(failed[0]!.attributes.has("code.stacktrace")).toBe(false)
    }))

  it.effect("with Effect's default tracer, or tracing disabled: no span is made", () =>
    Effect.gen(function*() {
      const [[value, kind], count] = yield* withDefaultTracerSpansCounted(Effect.all([traced, used]))
      expect([value, kind, count]).toEqual([1, "none", 0])
      const [, spans] = yield* withRecordedSpans(Effect.withTracerEnabled(Effect.all([traced, used]), false))
      expect(spans).toEqual([])
    }))

  it.effect("spans nest as Effect.withSpan's do", () =>
    Effect.gen(function*() {
      const [, spans] = yield* withRecordedSpans(traced.pipe(withSpan("parent")))
      const inner = spans.find((span) => span.name === "outer")!
      const parent = spans.find((span) => span.name === "parent")!
      expect(Option.map(inner.parent, (span) => span.spanId)).toEqual(Option.some(parent.spanId))
    }))
})
