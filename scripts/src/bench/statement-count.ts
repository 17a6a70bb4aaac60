/**
 * Counts the SQL statements a request costs in each province database, from Postgres' own
 * statistics: `pg_stat_database.xact_commit`, the transactions committed in a database. A province
 * runs its reads outside explicit transactions, so each read statement commits on its own and
 * counts exactly once. (pg_stat_statements would name the statements too, but it needs
 * `shared_preload_libraries`, i.e. a server restart; and `idx_scan` counts every element of an
 * `= ANY($1)` array as a scan on Postgres ≤ 16, so it cannot tell one batch from many lookups.)
 *
 * Statistics reach the shared counters up to a second after a backend goes idle, so a count waits
 * until the numbers stop moving.
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
const same = (a: Map<string, number>, b: Map<string, number>) => [...a].every(([k, v]) => b.get(k) === v);

/** Like {@link committedTransactions}, once two readings 1.2 s apart agree (at most `maxWaitMs`). */
export async function settledTransactions(serverUrl: string, databases: readonly string[], maxWaitMs = 15_000): Promise<Map<string, number>> {
  const deadline = Date.now() + maxWaitMs;
  let last = await committedTransactions(serverUrl, databases);
  for (;;) {
    await sleep(1_200);
    const now = await committedTransactions(serverUrl, databases);
    if (same(last, now) || Date.now() > deadline) return now;
    last = now;
  }
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
