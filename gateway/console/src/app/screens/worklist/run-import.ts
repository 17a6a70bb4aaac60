/**
 * The console's side of the registry import (loaded only when an officer imports): the file read
 * by `registry-file.ts`, the rules of `@p2p/schema/registry-import` run with the session's GraphQL
 * client as the sender, and the hub's own region directory (`region(code:)`, many codes a request) as the directory.
 */
import {
  type ImportCaller,
  type ImportReport,
  importRegistry,
  MAX_IMPORT_BATCH,
} from '@p2p/schema/registry-import';
import type { Client } from 'urql';
import { clientSender, hubDirectory, lookUpAhead } from './hub-registry-client';
import { registryRecords } from './registry-file';

/** Calls an import makes for a file, at least: enough steps for the progress bar to move. */
const PROGRESS_STEPS = 20;

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
  const directory = hubDirectory(client);
  await lookUpAhead(records, directory, caller.region ? [caller.region] : []);
  return importRegistry(records, {
    send: clientSender(client),
    levelOf: directory.levelOf,
    caller,
    target: new URL('/graphql', location.origin).toString(),
    batchSize: Math.max(1, Math.min(MAX_IMPORT_BATCH, Math.ceil(rows / PROGRESS_STEPS))),
    onProgress: (report) => onProgress({ done: report.registered + report.rejected.length, rows }),
  });
}
