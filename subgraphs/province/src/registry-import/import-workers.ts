/**
 * Imports a worker registry (CSV) through the gateway: rows grouped by home province into
 * `registerWorkers` calls of up to 1,000 (the province's limit), each with an idempotency key
 * derived from its content, so an import that stopped half-way can simply be run again (the
 * same person is never registered twice anyway: his id comes from his resident ID).
 *
 * A row the province refuses is set aside with its line number and the reason, and the rest of
 * its call is sent again without it: one bad row never blocks a thousand good ones (a refusal
 * that names no row, e.g. a row outside the caller's region, splits the call until it does). Calls that
 * failed for a passing reason (province unavailable, rate limited, network) are retried with
 * backoff. Reports carry line numbers and reasons only, never a name, ID number or phone.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { assertResidentId, callerFromClaims, regionPrefix, type Caller } from '@p2p/schema';
import { decodeJwt } from 'jose';
import { parse } from 'csv-parse';
import { graphqlRequest, type GraphQLWireError } from '@p2p/runtime';
import { columnsOf, workerRow, type RegisterWorkerInput } from './worker-csv.js';

/**
 * The import's one operation, registered with the gateway's trusted documents
 * (`gateway/trusted-documents/import-workers/`) and sent by its id, so the import works against a
 * gateway in safelist mode; byte for byte the registered body (graphql-js `print`).
 */
export const IMPORT_WORKERS_OPERATION = `mutation ImportWorkers($inputs: [RegisterWorkerInput!]!, $key: String) {
  registerWorkers(inputs: $inputs, idempotencyKey: $key) {
    id
  }
}`;
/** Splits of one call at most, looking for the rows a refusal without a row index is about (then the rest is reported refused). */
const MAX_SPLITS = 32;
/** Codes worth another attempt of the same call. */
const PASSING = new Set(['PROVINCE_UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR']);

/** Options of {@link importWorkers}. */
export interface ImportOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  gatewayUrl: string;
  /** Request headers, e.g. `{ authorization: 'Bearer …' }` of the province's officer. */
  headers: Record<string, string>;
  /** Workers per `registerWorkers` call. @default 1000 */
  batchSize?: number;
  /** Calls in flight. @default 2 */
  concurrency?: number;
  /** Attempts of a call failing for a passing reason before its rows are reported. @default 6 */
  attempts?: number;
  /** First retry delay in ms, doubled each time. @default 500 */
  retryMs?: number;
  /** Called after every call. */
  onProgress?(report: Readonly<ImportReport>): void;
}

/** A data row that was not registered. */
export interface RejectedRow {
  /** Line of the file (the header is line 1). */
  line: number;
  /** The error code (from the province or the gateway), or `BAD_USER_INPUT` for a row this importer could not read. */
  code: string;
  reason: string;
}

/** What an import did. */
export interface ImportReport {
  /** Data rows read. */
  rows: number;
  /** Rows registered (new workers, or known ones whose phone was refreshed). */
  registered: number;
  rejected: RejectedRow[];
  /** `registerWorkers` calls sent (retries and re-sends included). */
  calls: number;
}

interface PendingRow {
  line: number;
  input: RegisterWorkerInput;
}

/** Thrown when the import cannot go on at all (bad token, gateway unreachable). */
export class ImportAborted extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Who the token says the caller is (read, not verified: the gateway verifies), so rows outside a
 * province or city officer's region are set aside before sending; undefined when unreadable.
 */
function callerOf(headers: Record<string, string>): Caller | undefined {
  try {
    return callerFromClaims(decodeJwt((headers.authorization ?? '').replace(/^Bearer\s+/i, '')));
  } catch {
    return undefined;
  }
}

/** `inputs[17].idNumber` → 17. */
function rowIndexOf(error: GraphQLWireError): number | undefined {
  const match = /^inputs\[(\d+)\]/.exec(String(error.extensions?.field ?? ''));
  return match ? Number(match[1]) : undefined;
}

/**
 * Sends one province's rows, setting aside the ones refused, until the rest is registered. A
 * refusal naming a row (`inputs[i]…`) removes that row; one naming none (FORBIDDEN: a row outside
 * the caller's region) splits the call in halves until the rows concerned stand alone.
 * @throws ImportAborted when the gateway refuses the credentials or cannot be reached at all.
 */
async function sendCall(
  rows: PendingRow[],
  options: ImportOptions,
  report: ImportReport,
  splits = { left: MAX_SPLITS },
): Promise<void> {
  let attempt = 0;
  while (rows.length > 0) {
    const inputs = rows.map((r) => r.input);
    const key = `import-workers:${createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 40)}`;
    report.calls++;
    let errors: GraphQLWireError[];
    let unreachable = false;
    try {
      const answer = await graphqlRequest<{ registerWorkers: { id: string }[] | null }>(
        options.gatewayUrl,
        IMPORT_WORKERS_OPERATION,
        { inputs, key },
        options.headers,
        { persisted: true },
      );
      if (answer.data?.registerWorkers && !answer.errors?.length) {
        report.registered += rows.length;
        return;
      }
      errors = answer.errors ?? [{ message: 'no data', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
    } catch (err) {
      // Not a GraphQL answer at all: the gateway is down, or the URL is not a gateway.
      unreachable = true;
      errors = [{ message: (err as Error).message, extensions: { code: 'PROVINCE_UNAVAILABLE' } }];
    }
    const first = errors[0]!;
    const code = String(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    if (code === 'UNAUTHENTICATED')
      throw new ImportAborted(`the gateway refused the credentials: ${first.message}`);
    const index = code === 'BAD_USER_INPUT' ? rowIndexOf(first) : undefined;
    if (index !== undefined && rows[index]) {
      const [bad] = rows.splice(index, 1);
      report.rejected.push({
        line: bad!.line,
        code,
        reason: first.message.replace(/^.*?inputs\[\d+\]\./, ''),
      });
      continue;
    }
    if ((unreachable || PASSING.has(code)) && ++attempt < (options.attempts ?? 6)) {
      await sleep((options.retryMs ?? 500) * 2 ** (attempt - 1));
      continue;
    }
    if (unreachable)
      throw new ImportAborted(
        `the gateway at ${options.gatewayUrl} cannot be reached: ${first.message.slice(0, 200)}`,
      );
    if (rows.length > 1 && !PASSING.has(code) && splits.left-- > 0) {
      const half = Math.ceil(rows.length / 2);
      await sendCall(rows.slice(0, half), options, report, splits);
      await sendCall(rows.slice(half), options, report, splits);
      return;
    }
    for (const row of rows) report.rejected.push({ line: row.line, code, reason: first.message });
    return;
  }
}

/**
 * Imports the CSV `source` (a path or a stream; UTF-8, a header row first) through the gateway.
 * @returns what was registered and what was not, by line.
 * @throws ImportAborted when the gateway refuses the credentials; Error when the header is unusable.
 */
export async function importWorkers(
  source: string | Readable,
  options: ImportOptions,
): Promise<ImportReport> {
  const batchSize = Math.min(options.batchSize ?? 1_000, 1_000);
  const report: ImportReport = { rows: 0, registered: 0, rejected: [], calls: 0 };
  const input = typeof source === 'string' ? createReadStream(source) : source;
  const parser = input.pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }),
  );
  const pending = new Map<string, PendingRow[]>();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const dispatch = async (rows: PendingRow[]) => {
    const call = sendCall(rows, options, report).then(
      () => options.onProgress?.(report),
      (err: unknown) => void (failure ??= err),
    );
    inFlight.add(call);
    void call.finally(() => inFlight.delete(call));
    while (inFlight.size >= (options.concurrency ?? 2)) await Promise.race(inFlight);
  };

  const caller = callerOf(options.headers);
  if (caller && caller.role !== 'province' && caller.role !== 'city') {
    throw new ImportAborted(
      `workers are registered by a province or city officer; this token's role is ${caller.role}`,
    );
  }
  const scope =
    caller && (caller.role === 'province' || caller.role === 'city') && caller.region
      ? regionPrefix(caller.region)
      : undefined;
  let columns: ReturnType<typeof columnsOf> | undefined;
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    if (failure) break;
    if (!columns) {
      columns = columnsOf(record);
      continue;
    }
    report.rows++;
    if (record.length !== columns.width) {
      report.rejected.push({
        line: info.lines,
        code: 'BAD_USER_INPUT',
        reason: `the row has ${record.length} cells, the header ${columns.width} (an unquoted comma?)`,
      });
      continue;
    }
    const row = workerRow(columns, record);
    if (!row.ok) {
      report.rejected.push({ line: info.lines, code: 'BAD_USER_INPUT', reason: row.reason });
      continue;
    }
    try {
      assertResidentId(row.input.idNumber);
    } catch (err) {
      report.rejected.push({ line: info.lines, code: 'BAD_USER_INPUT', reason: (err as Error).message });
      continue;
    }
    if (scope !== undefined && !row.input.homeRegion.startsWith(scope)) {
      report.rejected.push({
        line: info.lines,
        code: 'FORBIDDEN',
        reason: `homeRegion: outside the caller's region ${caller!.region}`,
      });
      continue;
    }
    const rows = pending.get(row.province) ?? [];
    rows.push({ line: info.lines, input: row.input });
    pending.set(row.province, rows);
    if (rows.length >= batchSize) {
      pending.delete(row.province);
      await dispatch(rows);
    }
  }
  if (!columns && !failure) throw new Error('the file is empty: a header row is expected first');
  for (const rows of pending.values()) if (!failure) await dispatch(rows);
  await Promise.all(inFlight);
  if (failure) throw failure;
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}
