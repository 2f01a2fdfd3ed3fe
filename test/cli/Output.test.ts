import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { Writable } from "node:stream"
import * as Output from "../../src/cli/Output.js"

/** A stream that takes one chunk at a time, a little later, with a buffer of 1 byte: every write waits. */
const slow = (written: Array<string>, fail?: (chunk: string) => boolean) =>
  new Writable({
    highWaterMark: 1,
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      setTimeout(() => {
        if (fail?.(chunk)) return callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }))
        written.push(chunk)
        callback()
      }, 1)
    }
  })

describe("Output.write", () => {
  it.live("waits for a slow reader, leaving no listener behind however many times it waits", () =>
    Effect.gen(function*() {
      const written: Array<string> = []
      const stream = slow(written)
      const results = yield* Effect.forEach(
        Array.from({ length: 30 }, (_, i) => `${i}\n`),
        (text) => Output.write(stream, text)
      )
      for (const event of ["drain", "close", "error", "finish"]) expect(stream.listenerCount(event), event).toBe(0)
      expect(results.every((ok) => ok)).toBe(true)
      expect(written).toHaveLength(30)
    }))

  it.live("answers false for a text the reader went away before taking, and for any after", () =>
    Effect.gen(function*() {
      const written: Array<string> = []
      const stream = slow(written, (chunk) => chunk === "2\n")
      stream.on("error", () => {}) // as main does for stdout
      const results = yield* Effect.forEach(["0\n", "1\n", "2\n", "3\n"], (text) => Output.write(stream, text))
      expect(results).toEqual([true, true, false, false])
      expect(written).toEqual(["0\n", "1\n"])
    }))
})
