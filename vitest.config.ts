import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 ships CJS (index.js, what Node and the Apollo packages load) and ESM (index.mjs, what
// vite would pick): two copies break `instanceof GraphQLError` and schema identity. Pin the CJS one.
const graphqlEntry = createRequire(import.meta.url).resolve('graphql');
const graphqlDir = graphqlEntry.slice(0, -'index.js'.length);

/** One vitest run over every workspace; tests run on source through the `source` export condition. */
export default defineConfig({
  resolve: {
    conditions: ['source'],
    alias: [
      { find: /^graphql$/, replacement: graphqlEntry },
      { find: /^graphql\/(.+?)(\.m?js)?$/, replacement: `${graphqlDir}$1.js` },
    ],
  },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['{schema,subgraphs,gateway,scripts}/**/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Development mode (P2P_DEV=1, see @p2p/runtime settings.ts): services started by tests accept
    // the public development keys; the secure-defaults tests start theirs without it.
    env: { P2P_DEV: '1' },
  },
});
