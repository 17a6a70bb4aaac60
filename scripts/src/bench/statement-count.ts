/**
 * Counts the SQL statements a request costs in each province, from the province's own statement
 * log: at `LOG_LEVEL=trace` a province logs every statement it sends (its text, never the
 * parameters). The provinces are restarted with that level for the count and restarted again
 * without it afterwards, so the other measurements run at the normal level.
 *
 * Why not Postgres' own counters: pg_stat_statements needs `shared_preload_libraries` (a server
 * restart); `pg_stat_database.xact_commit` also counts the provinces' background work (the
 * statistics fold commits every second); and `idx_scan` counts every element of an `= ANY($1)`
 * array as a scan on Postgres ≤ 16, so one batch and many lookups look the same.
 */
import type { RunningFederation } from '../harness/index.js';

/** Collects the statements provinces log while counting is on (fed every output line). */
export class ProvinceStatementLog {
  private counting = false;
  /** Province code → statements logged while counting. */
  readonly statements = new Map<string, string[]>();

  /** Receives every output line of every service (the harness's `onLog`). */
  readonly onLine = (service: string, line: string): void => {
    if (!this.counting || !service.startsWith('province ') || !line.includes('"msg":"sql"')) return;
    try {
      const entry = JSON.parse(line) as { msg?: string; sql?: string };
      if (entry.msg !== 'sql' || typeof entry.sql !== 'string') return;
      const province = service.slice('province '.length);
      this.statements.set(province, [...(this.statements.get(province) ?? []), entry.sql]);
    } catch {
      // not a JSON log line
    }
  };

  /** Starts counting afresh. */
  start(): void {
    this.statements.clear();
    this.counting = true;
  }

  /** Stops counting (the collected statements stay). */
  stop(): void {
    this.counting = false;
  }
}

/** Statements per province over a number of requests, split into the request's and the rest. */
export interface StatementCount {
  requests: number;
  /** Province code → statements that read or wrote `table`. */
  onTable: Record<string, number>;
  /** Province code → other statements in the same time (background work: the statistics fold…). */
  other: Record<string, number>;
  /** One example of the statements on `table` (its first 120 characters). */
  example: string | undefined;
  /** With `perRequestMs`: province code → statements logged in each request's window (background included). */
  perRequest: Record<string, number[]>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Restarts every province with `LOG_LEVEL` set to `level` (undefined: as the launcher's env says). */
async function restartProvinces(
  federation: RunningFederation,
  provinces: readonly string[],
  level: string | undefined,
): Promise<void> {
  const saved = process.env.LOG_LEVEL;
  await Promise.all(provinces.map((p) => federation.stopProvince(p)));
  if (level === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = level;
  try {
    for (const p of provinces) await federation.startProvince(p);
  } finally {
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;
  }
}

/** Options of {@link countStatements}. */
export interface CountStatementsOptions {
  federation: RunningFederation;
  provinces: readonly string[];
  log: ProvinceStatementLog;
  /** Requests sent one after the other while counting. */
  requests: number;
  /** Sends request `n` and resolves when it has been answered without errors. */
  send: (n: number) => Promise<void>;
  /** The table whose statements are the request's (e.g. `workers`). */
  table: string;
  /**
   * When set, waits this long after each request (its log lines come through the pipes) and
   * keeps every statement each province logged in that request's window in `perRequest`.
   */
  perRequestMs?: number;
}

/**
 * Restarts the provinces at trace level, sends a few uncounted requests (the gateway finds the
 * restarted provinces back), counts the statements of `requests` requests, restarts the provinces
 * at their normal level and waits until they answer again.
 */
export async function countStatements(options: CountStatementsOptions): Promise<StatementCount> {
  const { federation, provinces, log } = options;
  const savedLevel = process.env.LOG_LEVEL;
  const perRequest: Record<string, number[]> = {};
  // After a restart the gateway may still hold a province for down (a health check saw it stopped)
  // until its next probe: send until every province answers again.
  const untilAnswered = async (first: number) => {
    const deadline = Date.now() + 30_000;
    for (let n = 0; n < 3; n++) {
      for (;;) {
        try {
          await options.send(first - n);
          break;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          await sleep(500);
        }
      }
    }
  };
  await restartProvinces(federation, provinces, 'trace');
  try {
    await untilAnswered(-1);
    log.start();
    for (let n = 0; n < options.requests; n++) {
      const before = new Map(provinces.map((p) => [p, log.statements.get(p)?.length ?? 0]));
      await options.send(n);
      if (options.perRequestMs === undefined) continue;
      await sleep(options.perRequestMs);
      for (const p of provinces)
        (perRequest[p] ??= []).push((log.statements.get(p)?.length ?? 0) - before.get(p)!);
    }
    await sleep(500); // the last log lines are still on their way through the pipes
    log.stop();
  } finally {
    await restartProvinces(federation, provinces, savedLevel);
  }
  await untilAnswered(-100);
  const onTable: Record<string, number> = {};
  const other: Record<string, number> = {};
  const mentions = new RegExp(`"${options.table}"`);
  let example: string | undefined;
  for (const province of provinces) {
    const statements = log.statements.get(province) ?? [];
    const mine = statements.filter((sql) => mentions.test(sql));
    example ??= mine[0]?.replace(/\s+/g, ' ').slice(0, 120);
    onTable[province] = mine.length;
    other[province] = statements.length - mine.length;
  }
  return { requests: options.requests, onTable, other, example, perRequest };
}
