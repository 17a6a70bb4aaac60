import { defineConfig } from 'vitest/config';

/** One vitest run over every workspace; tests run on source through the `source` export condition. */
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['{schema,subgraphs,gateway,scripts}/**/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
