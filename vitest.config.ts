import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

export default defineConfig({
  resolve: {
    // Examples and README snippets import the package by name, as users do.
    alias: [
      { find: /^effect-instantly$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
      {
        find: /^effect-instantly\/emulator$/,
        replacement: fileURLToPath(new URL("./src/InstantlyEmulator.ts", import.meta.url))
      },
      { find: /^effect-instantly\/node$/, replacement: fileURLToPath(new URL("./src/node.ts", import.meta.url)) }
    ]
  },
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 30_000
  }
})
