/**
 * `npm run test:vercel`: tests of `vercel build`'s output, kept out of `npm test` (they
 * need the build first). Named `*.e2e.ts` so that the main config never picks them up.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/entries/**/*.e2e.ts'],
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
