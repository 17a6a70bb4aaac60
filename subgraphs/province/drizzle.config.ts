import { defineConfig } from 'drizzle-kit';

/** `npx drizzle-kit generate` (from subgraphs/province) writes migrations to ./drizzle. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
});
