/**
 * Counts the SQL statements a request costs in each province database, from Postgres' own
 * statistics: `pg_stat_database.xact_commit`, the transactions committed in a database. A province
 * runs its reads outside explicit transactions, so each read statement commits on its own and
 * counts exactly once. (pg_stat_statements would name the statements too, but it needs
 * `shared_preload_libraries`, i.e. a server restart; and `idx_scan` counts every element of an
 * `= ANY($1)` array as a scan on Postgres ≤ 16, so it cannot tell one batch from many lookups.)
 *
 * A backend publishes its statistics when it goes idle, but at most once a second: one that
 * published less than a second ago waits 10 s (Postgres 15's PGSTAT_IDLE_INTERVAL) before trying
 * again. So a count waits until the numbers have not moved for 11 s.
 */
import pg from 'pg';

/** Committed transactions of each named database, now. */
export async function committedTransactions(serverUrl: string, databases: readonly string[]): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string; xact_commit: string }>(
      'SELECT datname, xact_commit FROM pg_stat_database WHERE datname = ANY($1::text[])', [[...databases]],
    );
    return new Map(rows.map((r) => [r.datname, Number(r.xact_commit)]));
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const same = (a: Map<string, number>, b: Map<string, number>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** How long the counters must stay still to be taken as published: PGSTAT_IDLE_INTERVAL (10 s) and a margin. */
export const STATISTICS_QUIET_MS = 11_000;

/** Like {@link committedTransactions}, once the counters have not moved for {@link STATISTICS_QUIET_MS} (at most `maxWaitMs`). */
export async function settledTransactions(serverUrl: string, databases: readonly string[], maxWaitMs = 45_000): Promise<Map<string, number>> {
  const deadline = Date.now() + maxWaitMs;
  let last = await committedTransactions(serverUrl, databases);
  let stillSince = Date.now();
  while (Date.now() - stillSince < STATISTICS_QUIET_MS && Date.now() < deadline) {
    await sleep(1_000);
    const now = await committedTransactions(serverUrl, databases);
    if (!same(last, now)) stillSince = Date.now();
    last = now;
  }
  return last;
}

/** Statements per request in each province, measured over `requests` requests sent one by one. */
export interface StatementCount {
  requests: number;
  /** Province code → statements committed in its database during the requests. */
  statements: Record<string, number>;
}

/**
 * Sends `requests` requests one after the other with `send` and counts what each province
 * database committed meanwhile.
 * @param databases province code → database name
 */
export async function countStatements(
  serverUrl: string, databases: Record<string, string>, requests: number, send: (n: number) => Promise<void>,
): Promise<StatementCount> {
  const names = Object.values(databases);
  const before = await settledTransactions(serverUrl, names);
  for (let n = 0; n < requests; n++) await send(n);
  const after = await settledTransactions(serverUrl, names);
  const statements = Object.fromEntries(Object.entries(databases).map(([code, name]) => [code, (after.get(name) ?? 0) - (before.get(name) ?? 0)]));
  return { requests, statements };
}
