import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';

// graphql 16 ships CJS (index.js, what Node and the Apollo packages load) and ESM (index.mjs, what
// vite would pick): two copies break `instanceof GraphQLError` and schema identity. Pin the CJS one.
const graphqlEntry = createRequire(import.meta.url).resolve('graphql');
const graphqlDir = graphqlEntry.slice(0, -'index.js'.length);

/** Where the tests of every workspace live; the file name says which project a test belongs to. */
const TESTS = '{schema,subgraphs,gateway,conformance,scripts}/**/src/**/';
/** The end-to-end tests of the whole nation (31 provinces): a project of their own. */
const NATION_TESTS = 'scripts/src/nation/*.int.test.ts';

/**
 * One vitest run over every workspace, in three projects by what a test starts (its file name):
 * - `unit` (`*.test.ts`): no process, no network, no database; `vitest.unit-setup.ts` makes opening
 *   a socket, listening or spawning throw, so a misnamed test fails;
 * - `integration` (`*.int.test.ts`): servers in this process (a province over HTTP on loopback, the
 *   gateway against fake provinces), PGlite or Postgres;
 * - `e2e` (`*.e2e.test.ts`): real processes started by `scripts/src/harness`, Postgres;
 * - `nation` (`scripts/src/nation/*.int.test.ts`): the 31 provinces in the test's process on Postgres.
 * Groups (`sequence.groupOrder`): `unit` and `nation` first, side by side (the unit tests open no
 * database, so the nation's 62 connections fit the server), then `integration` and `e2e`.
 * Tests run on source through the `source` export condition.
 */
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
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default on this 2-core machine is ONE worker; most tests wait on servers and child
    // processes, not on the CPU, so two files at a time halve the wall time.
    maxWorkers: 2,
    // Development mode (P2P_DEV=1, see @p2p/runtime settings.ts): services started by tests accept
    // the public development keys; the secure-defaults tests start theirs without it.
    // Small pools in the province processes the e2e tests start: two test files at a time share one
    // PostgreSQL of 100 connections (a federation of 3 provinces holds 3 × (4 + 1)).
    env: { P2P_DEV: '1', DATABASE_POOL_SIZE: '4' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [`${TESTS}*.test.ts`],
          exclude: [...configDefaults.exclude, '**/*.int.test.ts', '**/*.e2e.test.ts'],
          setupFiles: ['./vitest.unit-setup.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [`${TESTS}*.int.test.ts`],
          exclude: [...configDefaults.exclude, NATION_TESTS],
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: [`${TESTS}*.e2e.test.ts`],
          sequence: { groupOrder: 1 },
        },
      },
      // The 31 provinces hold 62 of the server's 100 connections: they run first, beside the unit
      // tests only (group 0), never beside another file that opens databases.
      { extends: true, test: { name: 'nation', include: [NATION_TESTS], sequence: { groupOrder: 0 } } },
    ],
  },
});
