import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Integration and security tests import the package by name: that resolves to the compiled
// build in dist/, because the pool's worker is a compiled ES module that piscina loads from
// disk and vitest's transform never reaches it. `npm test` builds first.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^toolweaver$/, replacement: fileURLToPath(new URL('./dist/index.js', import.meta.url)) },
      // Subpath exports, as package.json maps them.
      { find: /^toolweaver\/ai-sdk$/, replacement: fileURLToPath(new URL('./dist/connectors/ai-sdk/index.js', import.meta.url)) },
      { find: /^toolweaver\/otel$/, replacement: fileURLToPath(new URL('./dist/otel/index.js', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
