/**
 * The console's side of the registry import (loaded only when an officer imports): the file read
 * by `registry-file.ts`, the rules of `@p2p/schema/registry-import` run with the session's GraphQL
 * client as the sender, and the hub's own region directory (`region(code:)`) as the directory.
 */
import {
  columnsOf,
  type ImportCaller,
  type ImportReport,
  importRegistry,
  MAX_IMPORT_BATCH,
  type RegionLevelOf,
  type RegistryRecord,
  type RegisterWorkersSender,
} from '@p2p/schema/registry-import';
import type { Client } from 'urql';
import type { RegionLevel } from '../../generated/graphql';
import { WorklistRegionLevelDocument, WorklistRegisterWorkersDocument } from '../../generated/graphql';
import { registryRecords } from './registry-file';

/** Calls an import makes for a file, at least: enough steps for the progress bar to move. */
const PROGRESS_STEPS = 20;
/** Region look-ups in flight while the file's home regions are checked ahead of the import. */
const LOOKUPS_IN_FLIGHT = 6;
const REGION_SHAPE = /^\d{6}(\d{3})?$/;

/** The hub's directory: one `region(code:)` read per distinct code, kept for the import. */
function hubDirectory(client: Client): RegionLevelOf {
  const known = new Map<string, Promise<RegionLevel | undefined>>();
  return (code) => {
    let level = known.get(code);
    if (!level) {
      level = client
        .query(WorklistRegionLevelDocument, { code })
        .toPromise()
        .then((result) => {
          if (result.error && !result.data) throw result.error;
          return result.data?.region?.level ?? undefined;
        });
      known.set(code, level);
    }
    return level;
  };
}

/** Asks the directory about every home region of the file before the rows are read, a few at a time. */
async function lookUpAhead(records: readonly RegistryRecord[], levelOf: RegionLevelOf): Promise<void> {
  if (records.length < 2) return;
  let column: number | undefined;
  try {
    column = columnsOf(records[0]!.cells).get('homeRegion');
  } catch {
    return; // the import names what is wrong with the header
  }
  if (column === undefined) return;
  const codes = [...new Set(records.slice(1).map((r) => (r.cells[column] ?? '').trim()))].filter((c) =>
    REGION_SHAPE.test(c),
  );
  const next = codes.values();
  await Promise.all(
    Array.from({ length: LOOKUPS_IN_FLIGHT }, async () => {
      for (const code of next) await levelOf(code);
    }),
  );
}

/** The sender: one `registerWorkers` call through the console's client. */
function clientSender(client: Client): RegisterWorkersSender {
  return async (inputs, key) => {
    const result = await client.mutation(WorklistRegisterWorkersDocument, { inputs, key }).toPromise();
    const errors = result.error?.graphQLErrors ?? [];
    // No GraphQL answer at all: the gateway cannot be reached (the import retries, then stops).
    if (result.error && errors.length === 0) throw result.error.networkError ?? result.error;
    return {
      data: result.data ?? null,
      errors: errors.map((e) => ({ message: e.message, extensions: { ...e.extensions } })),
    };
  };
}

/** Progress of an import: rows done (registered or set aside) of the rows the file has. */
export interface ImportProgress {
  done: number;
  rows: number;
}

/**
 * Imports a registry file as `caller` through `client`.
 * @throws ImportAborted or Error (header unusable, gateway unreachable) with a message for the officer.
 */
export async function runRegistryImport(
  file: File,
  client: Client,
  caller: ImportCaller,
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  const records = await registryRecords(file);
  const rows = Math.max(records.length - 1, 0);
  onProgress({ done: 0, rows });
  const levelOf = hubDirectory(client);
  await lookUpAhead(records, levelOf);
  return importRegistry(records, {
    send: clientSender(client),
    levelOf,
    caller,
    target: new URL('/graphql', location.origin).toString(),
    batchSize: Math.max(1, Math.min(MAX_IMPORT_BATCH, Math.ceil(rows / PROGRESS_STEPS))),
    onProgress: (report) => onProgress({ done: report.registered + report.rejected.length, rows }),
  });
}
