/**
 * What the registry import needs of the hub, through the console's GraphQL client: the GB/T 2260
 * directory (`region(code:)`, one read per distinct code) and the sender of `registerWorkers` calls.
 */
import type { RegionLevelOf, RegistryRecord, RegisterWorkersSender } from '@p2p/schema/registry-import';
import { columnsOf } from '@p2p/schema/registry-import';
import type { Client } from 'urql';
import type { RegionLevel } from '../../generated/graphql.js';
import { WorklistRegionLevelDocument, WorklistRegisterWorkersDocument } from '../../generated/graphql.js';

/** Region look-ups in flight while the file's home regions are checked ahead of the import. */
const LOOKUPS_IN_FLIGHT = 6;
const REGION_SHAPE = /^\d{6}(\d{3})?$/;

/** The hub's directory: one `region(code:)` read per distinct code, kept for the import. */
export function hubDirectory(client: Client): RegionLevelOf {
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
export async function lookUpAhead(records: readonly RegistryRecord[], levelOf: RegionLevelOf): Promise<void> {
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
export function clientSender(client: Client): RegisterWorkersSender {
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
