/**
 * The command line's side of the worker registry import: a CSV file (or stream) read with
 * csv-parse and each `registerWorkers` call sent to the gateway with `graphqlRequest`. The rules
 * (columns, rows, batching by province, idempotency keys, refused rows set aside by line,
 * retries) are `@p2p/schema/registry-import`'s, shared with the console.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { callerFromClaims, findRegion, type Caller } from '@p2p/schema';
import {
  type ImportReport,
  importRegistry,
  type RegistryImportOptions,
  type RegistryRecord,
} from '@p2p/schema/registry-import';
import { decodeJwt } from 'jose';
import { parse } from 'csv-parse';
import { graphqlRequest } from '@p2p/runtime';

export {
  ImportAborted,
  type ImportReport,
  type RejectedRow,
  rejectsCsv,
} from '@p2p/schema/registry-import';

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

/** Options of {@link importWorkers}. */
export interface ImportOptions
  extends Pick<RegistryImportOptions, 'batchSize' | 'concurrency' | 'attempts' | 'retryMs' | 'onProgress'> {
  /** The gateway's GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  gatewayUrl: string;
  /** Request headers, e.g. `{ authorization: 'Bearer …' }` of the province's officer. */
  headers: Record<string, string>;
}

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

/** The CSV's records with the line each ends on (UTF-8, BOM dropped, empty lines skipped). */
async function* csvRecords(input: Readable): AsyncGenerator<RegistryRecord> {
  const parser = input.pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>)
    yield { line: info.lines, cells: record };
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
  const { gatewayUrl, headers, ...rest } = options;
  const input = typeof source === 'string' ? createReadStream(source) : source;
  const caller = callerOf(headers);
  return importRegistry(csvRecords(input), {
    ...rest,
    levelOf: (code) => findRegion(code)?.level,
    ...(caller ? { caller } : {}),
    target: gatewayUrl,
    send: (inputs, key) =>
      graphqlRequest<{ registerWorkers: { id: string }[] | null }>(
        gatewayUrl,
        IMPORT_WORKERS_OPERATION,
        { inputs, key },
        headers,
        { persisted: true },
      ),
  });
}
