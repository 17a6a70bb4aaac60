/**
 * Health records for the benchmark's travellers (#14): the boarding gate in `departTrip` boards
 * only passengers with a recognised GREEN record valid on the trip's departure day; another
 * province's passengers are judged on the HEALTH_COPY their home relays to the organiser when it
 * applies the TRIP fact ASSIGNED. The desks (`trip-desks.ts`) record the checks when the travellers
 * are registered ({@link recordGreenChecks}) and, after assigning, wait until the organiser holds
 * the copies ({@link HealthCopyWatch}) before they depart.
 */
import pg from 'pg';
import type { GraphQLClient } from './graphql-client.js';
import * as op from './operations.js';

/**
 * Records a GREEN code checked two hours ago (before any departure planned after it, in every
 * China day) and valid 7 days, with a negative test, for each of `workerIds` of `province`
 * (calls of 1,000, as its officer).
 * @throws Error when an item failed
 */
export async function recordGreenChecks(
  client: GraphQLClient,
  province: string,
  workerIds: readonly string[],
): Promise<void> {
  const checkedAt = new Date(Date.now() - 2 * 3_600_000);
  for (let done = 0; done < workerIds.length; done += 1_000) {
    const { recordHealthChecks } = await client.data<{
      recordHealthChecks: { items: { error: { message: string } | null }[] };
    }>(op.recordHealthChecks(province, workerIds.slice(done, done + 1_000), checkedAt));
    const failed = recordHealthChecks.items.find((i) => i.error);
    if (failed) throw new Error(`recordHealthChecks in ${province}: ${failed.error!.message}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Watches the organisers' `health_copies` tables (the benchmark's databases are on this machine):
 * one small pool per province, an indexed count every `intervalMs`.
 */
export class HealthCopyWatch {
  private readonly pools = new Map<string, pg.Pool>();

  /** @param databaseUrls province code → its database */
  constructor(databaseUrls: Record<string, string>) {
    for (const [province, url] of Object.entries(databaseUrls))
      this.pools.set(province, new pg.Pool({ connectionString: url, max: 2 }));
  }

  /** How many of `workerIds` the organiser holds a copy of, as of `sinceMs` or later. */
  async held(organizer: string, workerIds: readonly string[], sinceMs = 0): Promise<number> {
    const pool = this.pools.get(organizer);
    if (!pool) throw new Error(`no database for province ${organizer}`);
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM health_copies WHERE worker_id = ANY($1::text[]) AND as_of >= to_timestamp($2::float8 / 1000)',
      [workerIds, sinceMs],
    );
    return rows[0]!.n;
  }

  /**
   * Waits until the organiser holds a copy of every one of `workerIds` made at `sinceMs` or later
   * (0: any copy).
   * @returns false when `timeoutMs` passed first
   */
  async waitFor(
    organizer: string,
    workerIds: readonly string[],
    sinceMs: number,
    { timeoutMs = 60_000, intervalMs = 25 } = {},
  ): Promise<boolean> {
    if (workerIds.length === 0) return true;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.held(organizer, workerIds, sinceMs)) >= workerIds.length) return true;
      if (Date.now() > deadline) return false;
      await sleep(intervalMs);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.end()));
  }
}
