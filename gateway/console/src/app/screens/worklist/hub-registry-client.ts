/**
 * What the registry import needs of the hub, through the console's GraphQL client: the GB/T 2260
 * directory (`region(code:)`, asked about many codes a request) and the sender of
 * `registerWorkers` calls.
 */
import type { RegionLevelOf, RegistryRecord, RegisterWorkersSender } from '@p2p/schema/registry-import';
import { columnsOf, RegionLookupFailed } from '@p2p/schema/registry-import';
import type { Client } from 'urql';
import type { RegionLevel, WorklistRegionLevelsQueryVariables } from '../../generated/graphql.js';
import { WorklistRegionLevelsDocument, WorklistRegisterWorkersDocument } from '../../generated/graphql.js';

/** Codes one request asks about: the variables of its document (`$c0`, `$c1`, …). */
const CODES_PER_REQUEST = WorklistRegionLevelsDocument.definitions.reduce(
  (count, d) => count + (d.kind === 'OperationDefinition' ? (d.variableDefinitions?.length ?? 0) : 0),
  0,
);
/** Directory requests in flight at once. */
const REQUESTS_IN_FLIGHT = 2;
/** Answers worth asking again, a little later. */
const PASSING = new Set(['RATE_LIMITED', 'PROVINCE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR']);
const REGION_SHAPE = /^\d{6}(\d{3})?$/;

/** The hub's directory as the import uses it. */
export interface HubDirectory {
  /** The level of a region, asked about alone when {@link lookUp} did not ask already. */
  levelOf: RegionLevelOf;
  /**
   * Asks about codes in bulk ({@link CODES_PER_REQUEST} a request); never rejects: a code whose
   * request failed makes `levelOf` throw RegionLookupFailed with the hub's error code.
   */
  lookUp(codes: Iterable<string>): Promise<void>;
}

/** Options of {@link hubDirectory}. */
export interface HubDirectoryOptions {
  /** Attempts of a request failing for a passing reason. @default 3 */
  attempts?: number;
  /** First retry delay in ms, doubled each time. @default 500 */
  retryMs?: number;
}

/** The code of a variable the hub refused as no GB/T 2260 region (`Variable "$c3" got invalid value …`). */
function refusedVariable(
  error: { message: string; extensions?: Record<string, unknown> },
  variables: Readonly<Record<string, string>>,
): string | undefined {
  if (error.extensions?.code !== 'BAD_USER_INPUT') return undefined;
  const name = /^Variable "\$(c\d+)" got invalid value/.exec(error.message)?.[1];
  return name ? variables[name] : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The hub's directory: each code asked about once, in requests of many codes. */
export function hubDirectory(client: Client, options: HubDirectoryOptions = {}): HubDirectory {
  const known = new Map<string, Promise<RegionLevel | undefined>>();
  const lanes = Array.from({ length: REQUESTS_IN_FLIGHT }, () => Promise.resolve());
  let next = 0;

  /**
   * One request about up to CODES_PER_REQUEST codes (the first repeated to fill the variables).
   * The hub refuses a code outside GB/T 2260 as a variable (BAD_USER_INPUT naming `$cN`): that
   * code does not exist, and the others are asked about again without it.
   */
  async function levels(codes: readonly string[]): Promise<(RegionLevel | undefined)[]> {
    const missing = new Set<string>();
    for (let attempt = 1; ; ) {
      const asked = codes.filter((c) => !missing.has(c));
      if (asked.length === 0) return codes.map(() => undefined);
      const variables: Record<string, string> = Object.fromEntries(
        Array.from({ length: CODES_PER_REQUEST }, (_, i) => [`c${i}`, asked[i] ?? asked[0]!]),
      );
      const result = await client
        .query(WorklistRegionLevelsDocument, variables as WorklistRegionLevelsQueryVariables, {
          requestPolicy: 'network-only',
        })
        .toPromise();
      if (!result.error && result.data) {
        const data = result.data as unknown as Record<string, { level: RegionLevel } | null>;
        return codes.map((c) =>
          missing.has(c) ? undefined : (data[`r${asked.indexOf(c)}`]?.level ?? undefined),
        );
      }
      const errors = result.error?.graphQLErrors ?? [];
      const refused = errors.map((e) => refusedVariable(e, variables)).filter((c) => c !== undefined);
      if (refused.length > 0 && refused.length === errors.length) {
        for (const c of refused) missing.add(c);
        continue;
      }
      const [first] = errors;
      const code = String(
        first?.extensions?.code ?? (first ? 'INTERNAL_SERVER_ERROR' : 'PROVINCE_UNAVAILABLE'),
      );
      if (!PASSING.has(code) || attempt++ >= (options.attempts ?? 3)) {
        throw new RegionLookupFailed(code, first?.message ?? result.error?.message ?? 'no answer');
      }
      await sleep((options.retryMs ?? 500) * 2 ** (attempt - 2));
    }
  }

  const lookUp = async (codes: Iterable<string>) => {
    const fresh = [...new Set(codes)].filter((c) => !known.has(c));
    const requests: Promise<unknown>[] = [];
    for (let start = 0; start < fresh.length; start += CODES_PER_REQUEST) {
      const batch = fresh.slice(start, start + CODES_PER_REQUEST);
      const lane = next++ % REQUESTS_IN_FLIGHT;
      const answer = lanes[lane]!.then(() => levels(batch));
      lanes[lane] = answer.then(
        () => undefined,
        () => undefined,
      );
      requests.push(lanes[lane]!);
      batch.forEach((code, i) => {
        const level = answer.then((all) => all[i]);
        level.catch(() => {}); // read (and reported per row) when the import asks for it
        known.set(code, level);
      });
    }
    await Promise.all(requests);
  };

  return {
    lookUp,
    levelOf: async (code) => {
      if (!known.has(code)) await lookUp([code]);
      return known.get(code)!;
    },
  };
}

/** Asks the directory about every home region of the file (and `also`) before the rows are read. */
export async function lookUpAhead(
  records: readonly RegistryRecord[],
  directory: Pick<HubDirectory, 'lookUp'>,
  also: readonly string[] = [],
): Promise<void> {
  let column: number | undefined;
  try {
    column = records.length > 1 ? columnsOf(records[0]!.cells).get('homeRegion') : undefined;
  } catch {
    // the import names what is wrong with the header
  }
  const homes = column === undefined ? [] : records.slice(1).map((r) => (r.cells[column] ?? '').trim());
  await directory.lookUp([...also, ...homes].filter((c) => REGION_SHAPE.test(c)));
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
