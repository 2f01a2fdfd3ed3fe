/**
 * Suite 2, decode: one Lead (the seed) from its JSON text, with our fast decoder, as a ratio to
 * `JSON.parse` alone; the schema's decode for reference.
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"
import { decode } from "../src/internal/leadDecoder.js"
import { Lead } from "../src/Lead.js"
import { microsPerCall, type Suite } from "./suite.js"

const text = JSON.stringify(
  JSON.parse(readFileSync(new URL("../test/fixtures/lead-seed-example.json", import.meta.url), "utf8"))
)
const schemaDecode = Schema.decodeUnknownEither(Lead, { errors: "all" })

/** Runs `f` on the seed's text `count` times, checking the last result so the work is not optimised away. */
const loop = (f: (text: string) => unknown) => (count: number) => {
  let last: unknown
  for (let i = 0; i < count; i++) last = f(text)
  if (last === undefined || (Either.isEither(last) && Either.isLeft(last))) throw new Error("the seed did not decode")
}

export const suite: Suite = {
  id: "decode",
  title: "Decode one Lead (the seed)",
  description: "Microseconds to turn the seed's JSON text into a value, after a warm-up; ratios to JSON.parse " +
    "alone in the same round. Ours: JSON.parse, then the fast decoder (src/internal/leadDecoder.ts).",
  server: false,
  rounds: { full: 3, quick: 1 },
  params: { full: { calls: 5_000, warmUp: 2_000 }, quick: { calls: 2_000, warmUp: 500 } },
  metrics: [{ key: "us", label: "us/decode", unit: "us", digits: 2 }],
  variants: [
    { id: "json-parse", label: "JSON.parse" },
    {
      id: "fast",
      label: "ours: JSON.parse + fast decoder",
      baseline: "json-parse",
      goals: [{ metric: "us", on: "ratio", max: 2 }]
    },
    { id: "schema", label: "JSON.parse + Schema.decodeUnknown(Lead, { errors: \"all\" })", baseline: "json-parse" }
  ],
  measure: async (variant, { calls, warmUp }) => {
    const f = variant === "json-parse"
      ? JSON.parse
      : variant === "fast"
      ? (json: string) => decode(JSON.parse(json))
      : (json: string) => schemaDecode(JSON.parse(json))
    return { us: await microsPerCall(calls!, warmUp!, loop(f)) }
  }
}
