import { count } from 'drizzle-orm';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  enterprises,
  idempotencyKeys,
  outbox,
  returnRequests,
  staff,
  tripPassengers,
  trips,
  workerReturnRequests,
  workers,
} from '../db/schema/index.js';
import { startProvince, type ProvinceService } from '../index.js';
import { createProvinceDatabase } from './database.js';
import { residentIdFrom, type ProvinceSubgraph } from '@p2p/schema';

/** A GraphQL answer as the tests read it. */
export interface GraphQLAnswer {
  status: number;
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** The tables of a province database, by name. */
export const TABLES = {
  workers,
  enterprises,
  returnRequests,
  trips,
  tripPassengers,
  idempotencyKeys,
  outbox,
  staff,
  workerReturnRequests,
} as const;

/** A province started for a test file, on PGlite or on a fresh Postgres database (DATABASE_URL). */
export interface TestProvince {
  service: ProvinceService;
  /** POSTs a GraphQL request to a logical subgraph over real HTTP. */
  gql(subgraph: ProvinceSubgraph, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer>;
  /** Row count of every table. */
  rowCounts(): Promise<Record<keyof typeof TABLES, number>>;
  /** Every row of every table, in a stable order: equal before and after means nothing was written. */
  fingerprint(): Promise<string>;
  close(): Promise<void>;
}

/** Starts a province on a loopback port with a fresh database; logs silenced. */
export async function startTestProvince(province = '450000'): Promise<TestProvince> {
  const database = await createProvinceDatabase();
  // Unit tests call the province directly, without the gateway: no signature, no access rules
  // (access/*.test.ts start signed provinces of their own).
  const service = await startProvince({
    province,
    port: 0,
    databaseUrl: database.databaseUrl,
    logLevel: 'silent',
    requireGatewaySignature: false,
  });
  // No background fold of the statistics deltas: it would add its statements to the counts the
  // batching tests assert. Summaries read unfolded deltas too; tests fold with foldNow() when they choose.
  await service.statistics.stop();
  // Nor the retention task (its first pass, a minute in, would add statements too); tests call pruneOnce.
  await service.retention.stop();
  const { db } = service.db;
  return {
    service,
    async gql(subgraph, query, variables) {
      const res = await fetch(`${service.url}/${subgraph}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, ...((await res.json()) as object) };
    },
    async rowCounts() {
      const entries = await Promise.all(
        Object.entries(TABLES).map(
          async ([name, table]) => [name, (await db.select({ n: count() }).from(table))[0]!.n] as const,
        ),
      );
      return Object.fromEntries(entries) as Record<keyof typeof TABLES, number>;
    },
    async fingerprint() {
      const dump: Record<string, string[]> = {};
      for (const [name, table] of Object.entries(TABLES)) {
        dump[name] = (await db.select().from(table)).map((row) => JSON.stringify(row)).sort();
      }
      return JSON.stringify(dump);
    },
    async close() {
      await service.close();
      await database.drop();
    },
  };
}

/**
 * The test file's province: started before its tests (a vitest `beforeAll`, registered first, so
 * the file's own `beforeAll` hooks can use it) and closed after them (`afterAll`). The answer stands
 * for the started province.
 * @param province the province code. @default '450000'
 */
export function useTestProvince(province = '450000'): TestProvince {
  let started: TestProvince | undefined;
  const current = (): TestProvince => {
    if (!started) throw new Error(`test province ${province} used before its beforeAll started it`);
    return started;
  };
  beforeAll(async () => {
    started = await startTestProvince(province);
  });
  afterAll(async () => {
    await started?.close();
  });
  return {
    get service() {
      return current().service;
    },
    gql: (subgraph, query, variables) => current().gql(subgraph, query, variables),
    rowCounts: () => current().rowCounts(),
    fingerprint: () => current().fingerprint(),
    close: () => current().close(),
  };
}

/** Asserts a GraphQL answer failed with `code` (and optionally a message part) and returns the error. */
export function expectError(answer: GraphQLAnswer, code: string, message?: string | RegExp) {
  expect(answer.errors?.length, JSON.stringify(answer)).toBeGreaterThan(0);
  const error = answer.errors![0]!;
  expect(error.extensions?.code, error.message).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

/** Asserts a GraphQL answer has no errors and returns its data. */
export function expectData(answer: GraphQLAnswer): Record<string, any> {
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return answer.data!;
}

/** A valid resident ID number (GB 11643 check digit) for a region, birth date and serial. */
export function residentId(region6: string, birth = '19900101', serial = 1): string {
  return residentIdFrom(region6, birth, serial);
}
