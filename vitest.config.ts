// Vitest configuration: real services, so generous timeouts and one file at a time on 2 cores.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Inside this repository `cachequake` and `cachequake/vitest` (as the examples import them) are the sources; the
// package's exports point at the compiled dist/, which only `npm pack` builds.
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^cachequake\/vitest$/, replacement: source('./src/vitest/index.ts') },
      { find: /^cachequake$/, replacement: source('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/nightly/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
