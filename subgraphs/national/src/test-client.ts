/**
 * Test support (not built): starts the national subgraph on a random port and posts GraphQL to
 * it over real HTTP, as the gateway does.
 */
import { afterAll, beforeAll } from 'vitest';
import { startNational, type RunningNational } from './index.js';

/** A GraphQL answer as it arrives on the wire, with the HTTP status. */
export interface WireAnswer<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }>;
}

/** Posts one operation and returns the HTTP status with the parsed body. */
export async function post<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<WireAnswer<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as Omit<WireAnswer<T>, 'status'>) };
}

/**
 * Starts a national subgraph for the current test file (stopped after it) and returns a
 * getter of its URL.
 */
export function useNational(): () => string {
  let national: RunningNational | undefined;
  beforeAll(async () => {
    national = await startNational({ port: 0 });
  });
  afterAll(async () => {
    await national?.close();
  });
  return () => {
    if (!national) throw new Error('national subgraph not started');
    return national.url;
  };
}
