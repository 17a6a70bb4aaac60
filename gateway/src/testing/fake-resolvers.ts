import {
  NATION,
  badInput,
  compareKeysets,
  decodeCursor,
  decodeId,
  encodeCursor,
  encodeId,
  hubError,
  notFound,
  pageSize,
  provinceOf,
  regionContains,
  scalarResolvers,
  workerIdFor,
  type Keyset,
} from '@p2p/schema';
import type { GraphQLError } from 'graphql';
import type { FakeEnterprise, FakeTrip, FakeWorker, ProvinceData } from './fake-data.js';

/** The province a fake subgraph answers for. */
export interface FakeShard {
  code: string;
  data: ProvinceData;
}

type Args = Record<string, any>;
type Resolvers = Record<string, any>;

/** A keyset-paginated Relay connection, exactly as schema/src/cursor.ts describes. */
export function connection<T extends { id: string }>(
  items: readonly T[],
  k: (item: T) => string | number,
  first?: number | null,
  after?: string | null,
) {
  const size = pageSize(first);
  const keyset = (item: T): Keyset => ({ k: k(item), id: item.id });
  const sorted = [...items].sort((a, b) => compareKeysets(keyset(a), keyset(b)));
  const from = after ? decodeCursor(after) : undefined;
  const rest = from ? sorted.filter((item) => compareKeysets(keyset(item), from) > 0) : sorted;
  const page = rest.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyset(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rest.length > size, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: sorted.length,
  };
}

const inScope = (scope: string, code: string | null | undefined) =>
  !!code && (scope === NATION || regionContains(scope, code));
/**
 * The trips a province counts for `scope`: its own, and for a scope inside it the relayed copies of
 * the other provinces' trips (#17.2; never for the nation, where each organiser counts its own).
 */
const countedTrips = (shard: FakeShard, scope: string): FakeTrip[] =>
  scope !== NATION && provinceOf(scope) === shard.code
    ? [...shard.data.trips, ...(shard.data.tripCopies ?? [])]
    : shard.data.trips;
const owned = (shard: FakeShard, region: string, field: string) => {
  if (provinceOf(region) !== shard.code)
    throw hubError('WRONG_PROVINCE', `${field}: ${region} belongs to another province`, { field });
};
const region = (code: string | null | undefined) => (code ? { code } : null);
/** A trip's corridor key (`<origin province>-<destination province>`); null inside one province. */
const corridorOf = (t: FakeTrip) => {
  const [origin, destination] = [provinceOf(t.origin), provinceOf(t.destination)];
  return t.status !== 'CANCELLED' && origin !== destination ? `${origin}-${destination}` : null;
};
/** The corridors of trips, once each, in key order. */
const corridorKeys = (trips: readonly FakeTrip[]) =>
  [...new Set(trips.map(corridorOf).filter((k): k is string => k !== null))].sort();

function findWorker(shard: FakeShard, id: string): FakeWorker {
  const w = shard.data.workers.find((x) => x.id === id);
  if (!w) throw notFound('Worker', id);
  return w;
}

/**
 * A bulk worker mutation with per-item results (`WorkerBatchResult`): each item changes its worker
 * with `change`, or fails alone as the single mutation would (an unknown worker: NOT_FOUND).
 */
function workerBatch(shard: FakeShard, items: Args[], change: (w: FakeWorker, input: Args) => void) {
  return {
    items: items.map((item, index) => {
      try {
        const worker = findWorker(shard, item.workerId);
        change(worker, item.input);
        return { index, record: worker, error: null };
      } catch (err) {
        const error = err as GraphQLError;
        return { index, record: null, error: { code: error.extensions.code, message: error.message } };
      }
    }),
  };
}

/** Resolvers of the `workers` logical subgraph over a fake province's records. */
export function workersResolvers(shard: FakeShard): Resolvers {
  const register = (input: Args): FakeWorker => {
    owned(shard, input.homeRegion, 'input.homeRegion');
    const id = workerIdFor(input.idNumber, shard.code);
    let w = shard.data.workers.find((x) => x.id === id);
    if (!w) {
      w = {
        id,
        name: input.name,
        idNumber: input.idNumber,
        phone: input.phone,
        homeRegion: input.homeRegion,
        workRegion: null,
        employerId: null,
        status: 'AT_HOME',
        povertyStatus: input.povertyStatus ?? 'NONE',
        skills: input.skills ?? [],
        registeredAt: new Date().toISOString(),
      };
      shard.data.workers.push(w);
    }
    return w;
  };
  return {
    ...scalarResolvers,
    Query: {
      worker: (_: unknown, { id }: Args) => {
        decodeId(id, 'Worker');
        return shard.data.workers.find((w) => w.id === id) ?? null;
      },
      workers: (_: unknown, a: Args) =>
        connection(
          shard.data.workers.filter(
            (w) => inScope(a.homeRegion, w.homeRegion) && (!a.status || w.status === a.status),
          ),
          (w) => w.id,
          a.first,
          a.after,
        ),
    },
    Mutation: {
      registerWorker: (_: unknown, { input }: Args) => register(input),
      registerWorkers: (_: unknown, { inputs }: Args) => (inputs as Args[]).map(register),
      reportEmployment: (_: unknown, a: Args) =>
        Object.assign(findWorker(shard, a.workerId), {
          workRegion: a.workRegion,
          employerId: a.enterpriseId ?? null,
          status: 'AT_WORK',
        }),
      recordHealthCheck: (_: unknown, a: Args) =>
        Object.assign(findWorker(shard, a.workerId), { health: a.input }),
      reportTravelIntent: (_: unknown, a: Args) =>
        Object.assign(findWorker(shard, a.workerId), {
          travelIntent: { ...a.input, declaredAt: new Date().toISOString() },
        }),
      recordHealthChecks: (_: unknown, { items }: Args) =>
        workerBatch(shard, items, (w, input) => Object.assign(w, { health: input })),
      reportTravelIntents: (_: unknown, { items }: Args) =>
        workerBatch(shard, items, (w, input) =>
          Object.assign(w, { travelIntent: { ...input, declaredAt: new Date().toISOString() } }),
        ),
    },
    Worker: {
      __resolveReference: (ref: { id: string }) => shard.data.workers.find((w) => w.id === ref.id) ?? null,
      homeRegion: (w: FakeWorker) => region(w.homeRegion),
      workRegion: (w: FakeWorker) => region(w.workRegion),
      employer: (w: FakeWorker) => (w.employerId ? { id: w.employerId } : null),
      travelIntent: (w: FakeWorker & { travelIntent?: Args }) =>
        w.travelIntent ? { ...w.travelIntent, destination: region(w.travelIntent.destination) } : null,
    },
    Summary: {
      __resolveReference: ({ scope, day }: { scope: string; day: string }) => {
        const ws = shard.data.workers.filter((w) => inScope(scope, w.homeRegion));
        const count = (f: (w: FakeWorker) => boolean) => ws.filter(f).length;
        const atWork = ws.filter((w) => w.workRegion);
        const flow = (f: (w: FakeWorker) => boolean) => atWork.filter(f).length;
        const out = count(
          (w) => w.status === 'TRAVELLING' || w.status === 'AT_WORK' || w.status === 'OBSERVATION',
        );
        return {
          scope,
          day,
          workers: {
            registered: ws.length,
            atHome: count((w) => w.status === 'AT_HOME'),
            travelling: count((w) => w.status === 'TRAVELLING'),
            atWork: count((w) => w.status === 'AT_WORK'),
            underObservation: count((w) => w.status === 'OBSERVATION'),
            priority: count((w) => w.povertyStatus === 'REGISTERED_POOR'),
            out,
            outRate: ws.length ? out / ws.length : 0,
            flow: {
              withinTownship: flow((w) => w.workRegion === w.homeRegion),
              withinCounty: 0,
              withinCity: 0,
              withinProvince: flow(
                (w) =>
                  w.workRegion !== w.homeRegion && provinceOf(w.workRegion!) === provinceOf(w.homeRegion),
              ),
              crossProvince: flow((w) => provinceOf(w.workRegion!) !== provinceOf(w.homeRegion)),
            },
          },
        };
      },
    },
  };
}

/** Resolvers of the `employment` logical subgraph over a fake province's records. */
export function employmentResolvers(shard: FakeShard): Resolvers {
  const enterprise = (id: string) => shard.data.enterprises.find((e) => e.id === id) ?? null;
  const request = (id: string) => shard.data.returnRequests.find((r) => r.id === id) ?? null;
  return {
    ...scalarResolvers,
    Query: {
      enterprise: (_: unknown, { id }: Args) => enterprise(id),
      enterprises: (_: unknown, a: Args) =>
        connection(
          shard.data.enterprises.filter((e) => inScope(a.region, e.region) && (!a.keyOnly || e.key)),
          (e) => e.id,
          a.first,
          a.after,
        ),
      returnRequest: (_: unknown, { id }: Args) => request(id),
      returnRequests: (_: unknown, a: Args) => {
        if (!a.origin && !a.destination)
          throw badInput('returnRequests: give origin or destination', 'origin');
        const matching = shard.data.returnRequests.filter(
          (r) =>
            (!a.origin || inScope(a.origin, r.filedWorker.homeRegion)) &&
            (!a.destination || inScope(a.destination, enterprise(r.enterpriseId)?.region)),
        );
        return connection(matching, (r) => r.plannedReturnDate, a.first, a.after);
      },
    },
    Mutation: {
      registerEnterprise: (_: unknown, { input }: Args) => {
        owned(shard, input.region, 'input.region');
        const e: FakeEnterprise = {
          id: encodeId('Enterprise', shard.code),
          name: input.name,
          region: input.region,
          sector: input.sector,
          key: !!input.key,
          openings: 0,
          filled: 0,
        };
        shard.data.enterprises.push(e);
        return e;
      },
      reportLaborDemand: (_: unknown, a: Args) => {
        const e = enterprise(a.enterpriseId);
        if (!e) throw notFound('Enterprise', a.enterpriseId);
        return Object.assign(e, { openings: a.openings, filled: a.filled ?? e.filled });
      },
    },
    Enterprise: {
      __resolveReference: (ref: { id: string }) => enterprise(ref.id),
      region: (e: FakeEnterprise) => region(e.region),
    },
    ReturnRequest: {
      __resolveReference: (ref: { id: string }) => request(ref.id),
      enterprise: (r: { enterpriseId: string }) => enterprise(r.enterpriseId),
      worker: (r: { workerId: string }) => ({ id: r.workerId }),
      departureRegion: (r: { departureRegion: string }) => region(r.departureRegion),
    },
    RequestedWorker: { homeRegion: (w: { homeRegion: string }) => region(w.homeRegion) },
    Summary: {
      __resolveReference: ({ scope, day }: { scope: string; day: string }) => {
        const es = shard.data.enterprises.filter((e) => inScope(scope, e.region));
        const openings = es.reduce((s, e) => s + e.openings, 0);
        const filled = es.reduce((s, e) => s + e.filled, 0);
        const keys = es.filter((e) => e.key);
        const keyOpenings = keys.reduce((s, e) => s + e.openings, 0);
        const keyFilled = keys.reduce((s, e) => s + e.filled, 0);
        return {
          scope,
          day,
          employment: {
            enterprises: es.length,
            keyEnterprises: es.filter((e) => e.key).length,
            openings,
            filled,
            fillRate: openings ? filled / openings : 0,
            keyOpenings,
            keyFilled,
            keyFillRate: keyOpenings ? keyFilled / keyOpenings : 0,
          },
        };
      },
    },
  };
}

/** Resolvers of the `transport` logical subgraph over a fake province's records. */
export function transportResolvers(shard: FakeShard): Resolvers {
  const trip = (id: string) => shard.data.trips.find((t) => t.id === id) ?? null;
  const mustTrip = (id: string) =>
    trip(id) ??
    (() => {
      throw notFound('Trip', id);
    })();
  return {
    ...scalarResolvers,
    Query: {
      trip: (_: unknown, { id }: Args) => trip(id),
      trips: (_: unknown, a: Args) =>
        connection(
          shard.data.trips.filter(
            (t) =>
              (!a.origin || inScope(a.origin, t.origin)) &&
              (!a.destination || inScope(a.destination, t.destination)) &&
              (!a.status?.length || a.status.includes(t.status)),
          ),
          (t) => t.departureAt,
          a.first,
          a.after,
        ),
    },
    Mutation: {
      planTrip: (_: unknown, { input }: Args) => {
        owned(shard, input.origin, 'input.origin');
        const t: FakeTrip = {
          id: encodeId('Trip', shard.code),
          ...input,
          departureAt: new Date(input.departureAt).toISOString(),
          expectedArrivalAt: new Date(input.expectedArrivalAt).toISOString(),
          status: 'PLANNED',
          passengers: [],
        };
        shard.data.trips.push(t);
        return t;
      },
      assignPassengers: (_: unknown, a: Args) => {
        const t = mustTrip(a.tripId);
        for (const workerId of a.workerIds as string[])
          if (!t.passengers.some((p) => p.workerId === workerId))
            t.passengers.push({ workerId, boarded: false, temperature: null });
        return t;
      },
      cancelTrip: (_: unknown, a: Args) =>
        Object.assign(mustTrip(a.tripId), { status: 'CANCELLED', cancelReason: a.reason }),
    },
    Trip: {
      __resolveReference: (ref: { id: string }) => trip(ref.id),
      organizer: (t: FakeTrip) => region(t.organizer ?? t.origin),
      origin: (t: FakeTrip) => region(t.origin),
      destination: (t: FakeTrip) => region(t.destination),
      passengers: (t: FakeTrip) =>
        t.passengers.map((p) => ({
          worker: { id: p.workerId },
          boarded: p.boarded,
          temperature: p.temperature,
        })),
    },
    ReturnRequest: {
      __resolveReference: (ref: {
        id: string;
        departureRegion?: { code: string };
        worker?: { id: string };
      }) => ({
        id: ref.id,
        trip:
          shard.data.trips.find(
            (t) => t.status !== 'CANCELLED' && t.passengers.some((p) => p.workerId === ref.worker?.id),
          ) ?? null,
      }),
    },
    Summary: {
      __resolveReference: ({ scope, day }: { scope: string; day: string }) => {
        const counted = countedTrips(shard, scope);
        const count = (f: (t: FakeTrip) => boolean) => {
          const ts = counted.filter(f);
          const moved = ts.filter((t) => t.status !== 'PLANNED' && t.status !== 'CANCELLED');
          return {
            trips: ts.length,
            passengers: ts.reduce((s, t) => s + t.passengers.length, 0),
            moved: {
              trips: moved.length,
              passengers: moved.reduce((s, t) => s + t.passengers.filter((p) => p.boarded).length, 0),
            },
          };
        };
        const touching = counted.filter((t) => inScope(scope, t.origin) || inScope(scope, t.destination));
        const modes = [...new Set(touching.map((t) => t.mode))];
        return {
          scope,
          day,
          transport: {
            outbound: count((t) => inScope(scope, t.origin) && !inScope(scope, t.destination)),
            inbound: count((t) => !inScope(scope, t.origin) && inScope(scope, t.destination)),
            internal: count((t) => inScope(scope, t.origin) && inScope(scope, t.destination)),
            byMode: modes.map((mode) => ({ mode, ...count((t) => t.mode === mode && touching.includes(t)) })),
            corridors: corridorKeys(touching).map((key) => {
              const [origin, destination] = key.split('-') as [string, string];
              return {
                key,
                origin: { code: origin },
                destination: { code: destination },
                ...count((t) => touching.includes(t) && corridorOf(t) === key),
              };
            }),
          },
        };
      },
    },
  };
}

/**
 * The `health` subgraph of a fake province: no observations to list; `summary` counts its trips'
 * refusals (by origin) and arrival fevers (by the passenger's stop), and its observations.
 */
export function healthResolvers(shard: FakeShard): Resolvers {
  return {
    ...scalarResolvers,
    Query: {
      observation: () => null,
      observations: (_: unknown, a: Args) => connection([], (o: { id: string }) => o.id, a.first, a.after),
    },
    Summary: {
      __resolveReference: ({ scope, day }: { scope: string; day: string }) => {
        const passengers = countedTrips(shard, scope).flatMap((t) => t.passengers.map((p) => ({ t, p })));
        const refused = (reasons: readonly string[]) =>
          passengers.filter(({ t, p }) => inScope(scope, t.origin) && reasons.includes(p.refusal ?? ''))
            .length;
        const observations = (shard.data.observations ?? []).filter((o) => inScope(scope, o.region));
        return {
          scope,
          day,
          health: {
            boardingRefused: {
              fever: refused(['FEVER']),
              healthCode: refused(['HEALTH_CODE', 'NO_HEALTH_RECORD']),
            },
            feverAtArrival: passengers.filter(
              ({ t, p }) => p.arrivalFever && inScope(scope, p.alightAt ?? t.destination),
            ).length,
            underObservation: observations.filter((o) => o.endedAt === null).length,
            released: observations.filter((o) => o.outcome === 'RELEASED').length,
          },
        };
      },
    },
  };
}
