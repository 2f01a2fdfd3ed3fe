/**
 * effect-instantly for Node.js: a fast `HttpClient` over undici, `import { InstantlyHttpClient } from
 * "effect-instantly/node"`.
 *
 * @since 0.2.0
 */

/**
 * `InstantlyHttpClient.layer`, `layerWith(options)` and `make(dispatcher)`: an `HttpClient` over undici.
 *
 * @since 0.2.0
 */
export * as InstantlyHttpClient from "./InstantlyHttpClient.js"
