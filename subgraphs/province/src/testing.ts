import { randomBytes } from 'node:crypto';
import {
  CALLER_HEADER,
  generateGatewayKeyPair,
  importGatewaySigningKey,
  signCallerAssertion,
  type AssertionBinding,
  type Caller,
  type SignAssertionOptions,
} from '@p2p/schema';
import pg from 'pg';

/** A database for one test province. */
export interface TestDatabase {
  /** `postgres://…` of a fresh database; undefined on PGlite (the province then runs in memory). */
  databaseUrl?: string;
  /** Drops the database (no-op on PGlite). Idempotent. */
  drop(): Promise<void>;
}

/** Runs one statement on a short-lived admin connection. */
async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A FRESH database per test province when `DATABASE_URL` is set (`CREATE DATABASE p2p_test_…` on
 * that server, dropped by `drop()`); PGlite in memory otherwise.
 * @param adminUrl server to create it on. @default process.env.DATABASE_URL
 */
export async function createProvinceDatabase(
  adminUrl: string | undefined = process.env.DATABASE_URL || undefined,
): Promise<TestDatabase> {
  if (!adminUrl) return { drop: async () => {} };
  const name = `p2p_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    databaseUrl: url.toString(),
    drop() {
      dropped ??= admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      return dropped;
    },
  };
}

/** A gateway key pair made for a test, and the headers the gateway would send for a caller. */
export interface TestGatewayKeys {
  /** Give it to `startProvince({ gatewayPublicKey })` (or GATEWAY_PUBLIC_KEY). */
  publicKeyPem: string;
  privateKeyPem: string;
  /**
   * `{ 'x-p2p-caller': <assertion> }` signed for `caller`, as the gateway attaches it: for one
   * POST of exactly `binding.body` to `binding.province`, or for its subscription link (`webSocket`).
   */
  headers(
    caller: Caller,
    binding: AssertionBinding,
    options?: SignAssertionOptions,
  ): Promise<Record<string, string>>;
}

/** Generates a gateway key pair for a test province that requires the gateway's signature. */
export async function testGatewayKeys(): Promise<TestGatewayKeys> {
  const pair = await generateGatewayKeyPair();
  const signingKey = await importGatewaySigningKey(pair.privateKeyPem);
  return {
    ...pair,
    headers: async (caller, binding, options) => ({
      [CALLER_HEADER]: signCallerAssertion(caller, signingKey, binding, options),
    }),
  };
}

/** The brute-force recount of `Summary` over raw records: the oracle of the statistics tests, the e2e property test included. */
export {
  recountSummary,
  flowClassOf,
  type StatisticsRecords,
  type RecountedSummary,
} from './summary/recount.js';
