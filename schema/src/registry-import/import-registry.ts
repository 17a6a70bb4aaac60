/**
 * Imports a worker registry, whatever carries it: rows grouped by home province into
 * `registerWorkers` calls of up to 1,000 (the province's limit), each with an idempotency key
 * derived from its content, so an import that stopped half-way can simply be run again (the
 * same person is never registered twice anyway: his id comes from his resident ID).
 *
 * A row the province refuses is set aside with its line number and the reason, and the rest of
 * its call is sent again without it: one bad row never blocks a thousand good ones (a refusal
 * that names no row, e.g. a row outside the caller's region, splits the call until it does).
 * Calls that failed for a passing reason (province unavailable, rate limited, network) are retried
 * with backoff. Reports carry line numbers and reasons only, never a name, ID number or phone.
 *
 * No transport and no Node API here: the caller reads the file (the command line with csv-parse,
 * the console with papaparse or exceljs) and gives the rows; `send` makes one call (the command
 * line with `graphqlRequest`, the console with its GraphQL client).
 */
import { regionPrefixAt } from '../region-prefix.js';
import { assertResidentId } from '../resident-id.js';
import { importKey } from './import-key.js';
import {
  columnsOf,
  type RegionLevelOf,
  RegionLookupFailed,
  type RegisterWorkerInput,
  workerRow,
} from './worker-row.js';

/** One GraphQL error as it arrives on the wire. */
export interface ImportWireError {
  message: string;
  extensions?: Record<string, unknown>;
}

/** The answer to one `registerWorkers` call. */
export interface RegisterWorkersAnswer {
  data?: { registerWorkers: readonly unknown[] | null } | null;
  errors?: readonly ImportWireError[];
}

/**
 * Makes one `registerWorkers(inputs, idempotencyKey: key)` call and returns its GraphQL answer
 * (errors included). Throws only when no GraphQL answer came at all (the gateway unreachable).
 */
export type RegisterWorkersSender = (
  inputs: RegisterWorkerInput[],
  key: string,
) => Promise<RegisterWorkersAnswer>;

/** One row of the file: its cells and the line where it ends (the header is line 1). */
export interface RegistryRecord {
  line: number;
  cells: readonly string[];
}

/** Who imports, as the token says (read, not verified: the gateway verifies). */
export interface ImportCaller {
  role: string;
  region?: string;
}

/** Options of {@link importRegistry}. */
export interface RegistryImportOptions {
  /** Sends one call. */
  send: RegisterWorkersSender;
  /** The GB/T 2260 directory: whether a home region exists, and the level of the caller's region. */
  levelOf: RegionLevelOf;
  /**
   * The caller, so rows outside a province or city officer's region are set aside before sending;
   * undefined when the token cannot be read (the gateway then judges every row).
   */
  caller?: ImportCaller;
  /** Where the calls go, named when it cannot be reached (e.g. the gateway's URL). */
  target?: string;
  /** Workers per `registerWorkers` call, at most 1,000. @default 1000 */
  batchSize?: number;
  /** Calls in flight. @default 2 */
  concurrency?: number;
  /** Attempts of a call failing for a passing reason before its rows are reported. @default 6 */
  attempts?: number;
  /** First retry delay in ms, doubled each time. @default 500 */
  retryMs?: number;
  /** Called after every call, and once when every row has been read. */
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

/** The most workers one `registerWorkers` call may carry (the province's limit). */
export const MAX_IMPORT_BATCH = 1_000;
/** Splits of one call at most, looking for the rows a refusal without a row index is about (then the rest is reported refused). */
const MAX_SPLITS = 32;
/** Codes worth another attempt of the same call. */
const PASSING = new Set(['PROVINCE_UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR']);

interface PendingRow {
  line: number;
  input: RegisterWorkerInput;
}

/** Thrown when the import cannot go on at all (bad token, gateway unreachable). */
export class ImportAborted extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `inputs[17].idNumber` → 17. */
function rowIndexOf(error: ImportWireError): number | undefined {
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
  options: RegistryImportOptions,
  report: ImportReport,
  splits = { left: MAX_SPLITS },
): Promise<void> {
  let attempt = 0;
  while (rows.length > 0) {
    const inputs = rows.map((r) => r.input);
    const key = await importKey(inputs);
    report.calls++;
    let errors: readonly ImportWireError[];
    let unreachable = false;
    try {
      const answer = await options.send(inputs, key);
      if (answer.data?.registerWorkers && !answer.errors?.length) {
        report.registered += rows.length;
        return;
      }
      errors = answer.errors?.length
        ? answer.errors
        : [{ message: 'no data', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
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
        `the gateway${options.target ? ` at ${options.target}` : ''} cannot be reached: ${first.message.slice(0, 200)}`,
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
 * Imports the rows of a registry (a header row first) through `options.send`.
 * @returns what was registered and what was not, by line.
 * @throws ImportAborted when the caller may not register workers, the gateway refuses the
 * credentials or cannot be reached; Error when the header is unusable or there is none.
 */
export async function importRegistry(
  records: Iterable<RegistryRecord> | AsyncIterable<RegistryRecord>,
  options: RegistryImportOptions,
): Promise<ImportReport> {
  const batchSize = Math.min(options.batchSize ?? MAX_IMPORT_BATCH, MAX_IMPORT_BATCH);
  const report: ImportReport = { rows: 0, registered: 0, rejected: [], calls: 0 };
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

  const { caller } = options;
  if (caller && caller.role !== 'province' && caller.role !== 'city') {
    throw new ImportAborted(
      `workers are registered by a province or city officer; this token's role is ${caller.role}`,
    );
  }
  const scope = caller?.region ? await callerScope(caller.region, options.levelOf) : undefined;
  let columns: ReturnType<typeof columnsOf> | undefined;
  try {
    for await (const { cells, line } of records) {
      if (failure) break;
      if (!columns) {
        columns = columnsOf(cells);
        continue;
      }
      report.rows++;
      if (cells.length !== columns.width) {
        report.rejected.push({
          line,
          code: 'BAD_USER_INPUT',
          reason: `the row has ${cells.length} cells, the header ${columns.width} (an unquoted comma?)`,
        });
        continue;
      }
      const row = await workerRow(columns, cells, options.levelOf).catch(lookUpFailed);
      if (!row.ok) {
        report.rejected.push({ line, code: 'code' in row ? row.code : 'BAD_USER_INPUT', reason: row.reason });
        continue;
      }
      try {
        assertResidentId(row.input.idNumber);
      } catch (err) {
        report.rejected.push({ line, code: 'BAD_USER_INPUT', reason: (err as Error).message });
        continue;
      }
      if (scope !== undefined && !row.input.homeRegion.startsWith(scope)) {
        report.rejected.push({
          line,
          code: 'FORBIDDEN',
          reason: `homeRegion: outside the caller's region ${caller!.region}`,
        });
        continue;
      }
      const rows = pending.get(row.province) ?? [];
      rows.push({ line, input: row.input });
      pending.set(row.province, rows);
      if (rows.length >= batchSize) {
        pending.delete(row.province);
        await dispatch(rows);
      }
    }
  } catch (err) {
    // Calls already sent settle before the import stops: its report is then what it says.
    await Promise.allSettled(inFlight);
    throw err;
  }
  if (!columns && !failure) throw new Error('the file is empty: a header row is expected first');
  if (!failure) options.onProgress?.(report);
  for (const rows of pending.values()) if (!failure) await dispatch(rows);
  await Promise.all(inFlight);
  if (failure) throw failure;
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}

/**
 * A row whose home region the directory could not be asked about: set aside with the directory's
 * code, to be imported again later.
 * @throws err when it is not a RegionLookupFailed.
 */
function lookUpFailed(err: unknown): { ok: false; code: string; reason: string } {
  if (!(err instanceof RegionLookupFailed)) throw err;
  return {
    ok: false,
    code: err.code,
    reason: `homeRegion: the region directory could not be read (${err.code}); import the row again later`,
  };
}

/**
 * The code prefix of the caller's region, which every home region of the file must start with.
 * @throws ImportAborted when the directory could not be asked.
 */
async function callerScope(region: string, levelOf: RegionLevelOf): Promise<string> {
  try {
    return regionPrefixAt(region, await levelOf(region));
  } catch (err) {
    if (!(err instanceof RegionLookupFailed)) throw err;
    throw new ImportAborted(`the region directory could not be read (${err.code}): ${err.message}`);
  }
}
