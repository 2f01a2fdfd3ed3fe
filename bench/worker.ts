/**
 * Measures one variant of one suite once, in this process, and prints the sample as one JSON line.
 * `bench/run.ts` starts one per variant and round.
 *
 * Usage: tsx bench/worker.ts <module> <variant> <params JSON> [server URL]
 */
import type { Params, Suite } from "./suite.js"

const [module, variant, params, url = ""] = process.argv.slice(2)
const { suite } = (await import(`./${module}.js`)) as { suite: Suite }
const sample = await suite.measure(variant!, JSON.parse(params!) as Params, url)
process.stdout.write(`${JSON.stringify(sample)}\n`)
process.exit(0)
