/**
 * The benchmarks' stand-in for Instantly: a plain `node:http` server on a free loopback port that
 * answers every request with the seed Lead (`test/fixtures/lead-seed-example.json`) as JSON, after
 * reading the request body. It runs in its own process, so it does not share the client's event
 * loop, prints `{"url":"http://127.0.0.1:<port>"}` once listening, and exits when its stdin closes.
 *
 * Run with `tsx bench/server.ts` (the runner starts it).
 */
import { readFileSync } from "node:fs"
import { createServer } from "node:http"

const body = Buffer.from(
  JSON.stringify(JSON.parse(readFileSync(new URL("../test/fixtures/lead-seed-example.json", import.meta.url), "utf8")))
)
const headers = { "content-type": "application/json; charset=utf-8", "content-length": String(body.length) }

const server = createServer((request, response) => {
  request.resume()
  request.on("end", () => {
    response.writeHead(200, headers)
    response.end(body)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("no port")
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`)
})
process.stdin.resume()
process.stdin.on("end", () => process.exit(0))
