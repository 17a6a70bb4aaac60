/**
 * A province started on a database that already holds records from before the counters existed:
 * migration 0002 backfills the counters from the record tables, and the triggers carry on from
 * there; likewise migration 0009 for the statistics of safety over records of migration 0008,
 * 0010 for the key figures, 0012 for the distinct vehicles and 0014 for the corridors; and 0016
 * leaves the re-telling of past trips' copies to do.
 * Runs on PGlite, or on a fresh PostgreSQL database with DATABASE_URL.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, type Db } from '../db/database.js';
import { rowsOf } from '../db/sql-rows.js';
import * as schema from '../db/schema/index.js';
import {
  createProvinceDatabase,
  readStatisticsRecords,
  recountSummary,
  type RecountedSummary,
} from '../testing/index.js';
import { corridorsFrom, readCorridorFigures } from './corridors.js';
import { employmentStatsFrom } from './employment.js';
import { readFigures } from './figures.js';
import { foldDeltas } from './fold.js';
import { healthStatsFrom } from './health.js';
import { summaryScope } from './scope.js';
import { transportStatsFrom } from './transport.js';
import { workerStatsFrom } from './workers.js';

const SCOPES = [
  'CN',
  '450000',
  '450100',
  '450200',
  '450203',
  '450203001',
  '450203002',
  '440000',
  '440103',
  '110105',
];
const HOMES = ['450203001', '450203002', '450203', '450102', '450102001', '450100'];
const WORKS = [null, '450203001', '450203', '450204', '450102', '440103', '441900003'];
const STATUSES = ['AT_HOME', 'TRAVELLING', 'AT_WORK'] as const;
const TRIP_STATUSES = ['PLANNED', 'DEPARTED', 'ARRIVED', 'HANDED_OVER', 'CANCELLED'] as const;

/** A migrations folder holding the migrations up to `lastTag` (the schema as it was then). */
function migrationsUpTo(lastTag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'p2p-migrations-'));
  mkdirSync(join(dir, 'meta'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === lastTag) + 1);
  for (const { tag } of entries) copyFileSync(join(MIGRATIONS_FOLDER, `${tag}.sql`), join(dir, `${tag}.sql`));
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return dir;
}

/** A fresh database (PostgreSQL with DATABASE_URL, else PGlite) and a migrator for it. */
async function openDatabase(): Promise<{
  db: Db;
  migrate: (folder: string) => Promise<void>;
  close: () => Promise<void>;
}> {
  const database = await createProvinceDatabase(undefined, { empty: true });
  if (database.databaseUrl) {
    const client = new pg.Client({ connectionString: database.databaseUrl });
    await client.connect();
    const pgDb = drizzlePg({ client, schema });
    return {
      db: pgDb as unknown as Db,
      migrate: (folder) => migratePg(pgDb, { migrationsFolder: folder }),
      close: async () => {
        await client.end();
        await database.drop();
      },
    };
  }
  const client = new PGlite();
  const liteDb = drizzlePglite({ client, schema });
  return {
    db: liteDb as unknown as Db,
    migrate: (folder) => migratePglite(liteDb, { migrationsFolder: folder }),
    close: () => client.close(),
  };
}

/** Summaries of `scopes` read from the counters alone. */
async function fromCounters(db: Db, scopes: readonly string[]): Promise<RecountedSummary[]> {
  const requests = scopes.map((scope) => ({
    region: summaryScope({ scope, day: 'LATEST' }).prefix,
    asOf: null,
  }));
  const [w, t, c, e, h] = await Promise.all([
    readFigures(db, 'workers', requests),
    readFigures(db, 'transport', requests),
    readCorridorFigures(db, requests),
    readFigures(db, 'employment', requests),
    readFigures(db, 'health', requests),
  ]);
  return scopes.map((_, i) => ({
    workers: workerStatsFrom(w[i]!),
    transport: { ...transportStatsFrom(t[i]!), corridors: corridorsFrom(c[i]!) },
    employment: employmentStatsFrom(e[i]!),
    health: healthStatsFrom(h[i]!),
  }));
}

/**
 * Inserts rows into a table of the schema as it was at the init migration (the drizzle schema
 * has columns of later migrations): keys in camelCase become the columns of the same name; the
 * others take their defaults.
 */
async function insertRows(db: Db, table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  const snake = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
    ),
  );
  const columns = sql.join(
    Object.keys(snake[0] ?? {}).map((c) => sql.identifier(c)),
    sql`, `,
  );
  await db.execute(
    sql`INSERT INTO ${sql.identifier(table)} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${sql.identifier(table)}, ${JSON.stringify(snake)}::json)`,
  );
}

describe(`backfill of records older than the counters (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: Db;
  let migrate: (folder: string) => Promise<void>;
  let close: () => Promise<void>;
  const initFolder = migrationsUpTo('0000_init');

  beforeAll(async () => {
    ({ db, migrate, close } = await openDatabase());
    await migrate(initFolder);
  });
  afterAll(async () => {
    await close?.();
    rmSync(initFolder, { recursive: true, force: true });
  });

  it('counts every record written before the migration, then follows later writes', async () => {
    const workers = Array.from({ length: 300 }, (_, i) => ({
      id: `W45-backfill${String(i).padStart(10, '0')}`,
      name: `工人${i}`,
      idNumber: `x${i}`,
      phone: '13800000000',
      homeRegion: HOMES[i % HOMES.length]!,
      workRegion: WORKS[(i * 7) % WORKS.length] ?? null,
      status: STATUSES[i % 3]!,
      povertyStatus: i % 5 === 0 ? ('REGISTERED_POOR' as const) : ('NONE' as const),
    }));
    await insertRows(db, 'workers', workers);
    const trips = Array.from({ length: 20 }, (_, i) => ({
      id: `T45-backfill${String(i).padStart(4, '0')}`,
      mode: (['BUS', 'TRAIN', 'FLIGHT'] as const)[i % 3]!,
      vehicleCode: `V${i}`,
      origin: HOMES[i % HOMES.length]!,
      destination: ['440103', '450203', '110105', '450203001'][i % 4]!,
      capacity: 50,
      status: TRIP_STATUSES[i % 5]!,
      departureAt: new Date('2020-02-20T08:00:00+08:00'),
      expectedArrivalAt: new Date('2020-02-21T08:00:00+08:00'),
    }));
    await insertRows(db, 'trips', trips);
    await insertRows(
      db,
      'trip_passengers',
      trips.flatMap((t, i) =>
        workers
          .slice(i * 10, i * 10 + 3 + (i % 7))
          .map((w, j) => ({ tripId: t.id, workerId: w.id, boarded: j % 3 !== 0 })),
      ),
    );
    await insertRows(
      db,
      'enterprises',
      Array.from({ length: 12 }, (_, i) => ({
        id: `E45-backfill${i}`,
        name: `企业${i}`,
        region: HOMES[i % HOMES.length]!,
        sector: '制造业',
        key: i % 3 === 0,
        openings: 10 * i,
        filled: 3 * i,
      })),
    );

    await migrate(MIGRATIONS_FOLDER); // 0001 (tables) and 0002 (triggers, backfill)
    // 0016: a database with trips re-tells their copies once (`transport/copy-retelling.ts`).
    expect(
      rowsOf<{ after_trip: string | null; finished_at: unknown }>(
        await db.execute(sql`SELECT after_trip, finished_at FROM trip_copy_retelling`),
      ),
    ).toEqual([{ after_trip: null, finished_at: null }]);
    await foldDeltas(db);
    const records = await readStatisticsRecords(db);
    expect(await fromCounters(db, SCOPES)).toEqual(SCOPES.map((scope) => recountSummary(records, scope)));
    expect((await fromCounters(db, ['CN']))[0]!.workers.registered).toBe(300);

    // Later writes go through the triggers on top of the backfilled counters.
    await db.execute(
      sql`UPDATE workers SET status = 'AT_WORK', work_region = '450204' WHERE status = 'AT_HOME'`,
    );
    await db.execute(sql`UPDATE trips SET status = 'CANCELLED' WHERE status = 'DEPARTED'`);
    await db.execute(sql`UPDATE enterprises SET filled = openings`);
    const after = await readStatisticsRecords(db);
    expect(await fromCounters(db, SCOPES)).toEqual(SCOPES.map((scope) => recountSummary(after, scope)));
  });
});

describe(`backfill of the statistics of safety over records of migration 0008 (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: Db;
  let migrate: (folder: string) => Promise<void>;
  let close: () => Promise<void>;
  const before0009 = migrationsUpTo('0008_epidemic_control');

  beforeAll(async () => {
    ({ db, migrate, close } = await openDatabase());
    await migrate(before0009);
  });
  afterAll(async () => {
    await close?.();
    rmSync(before0009, { recursive: true, force: true });
  });

  it('counts moved trips, workers under observation, refusals, fevers and observations written before 0009, then follows later writes', async () => {
    const workers = Array.from({ length: 60 }, (_, i) => ({
      id: `W45-safety${String(i).padStart(10, '0')}`,
      name: `工人${i}`,
      idNumber: `y${i}`,
      phone: '13800000000',
      homeRegion: HOMES[i % HOMES.length]!,
      status: (['AT_HOME', 'TRAVELLING', 'AT_WORK', 'OBSERVATION'] as const)[i % 4]!,
    }));
    await insertRows(db, 'workers', workers);
    const trips = Array.from({ length: 15 }, (_, i) => ({
      id: `T45-safety${String(i).padStart(4, '0')}`,
      organizer: HOMES[i % HOMES.length]!,
      mode: (['BUS', 'TRAIN', 'FLIGHT'] as const)[i % 3]!,
      vehicleCode: `S${i}`,
      origin: HOMES[i % HOMES.length]!,
      destination: ['440103', '450203', '110105', '450203001'][i % 4]!,
      capacity: 50,
      status: TRIP_STATUSES[i % 5]!,
      departureAt: new Date('2020-02-20T08:00:00+08:00'),
      expectedArrivalAt: new Date('2020-02-21T08:00:00+08:00'),
    }));
    await insertRows(db, 'trips', trips);
    const refusals = [null, 'FEVER', 'HEALTH_CODE', 'NO_HEALTH_RECORD', 'ABSENT'] as const;
    await insertRows(
      db,
      'trip_passengers',
      trips.flatMap((t, i) =>
        workers.slice(i * 4, i * 4 + 4).map((w, j) => {
          const boarded = t.status !== 'PLANNED' && j % 2 === 0;
          return {
            tripId: t.id,
            workerId: w.id,
            boarded,
            refusal: boarded || t.status === 'PLANNED' ? null : refusals[(i + j) % 5],
            alightAt: j === 2 ? '450102' : null,
            arrivalFever: boarded && (i + j) % 3 === 0,
          };
        }),
      ),
    );
    await insertRows(
      db,
      'observations',
      Array.from({ length: 9 }, (_, i) => ({
        id: `O45-safety${String(i).padStart(4, '0')}`,
        workerId: workers[i]!.id,
        region: HOMES[i % HOMES.length]!,
        kind: 'CENTRALISED',
        site: '隔离酒店',
        reason: 'ORDERED',
        startedAt: new Date('2020-02-21T08:00:00+08:00'),
        days: 14,
        endedAt: i % 3 === 0 ? null : new Date('2020-03-06T08:00:00+08:00'),
        outcome: [null, 'RELEASED', 'TRANSFERRED_TO_HOSPITAL'][i % 3],
      })),
    );

    await migrate(MIGRATIONS_FOLDER); // 0009: the new counters backfilled
    await foldDeltas(db);
    const records = await readStatisticsRecords(db);
    const expected = SCOPES.map((scope) => recountSummary(records, scope));
    expect(await fromCounters(db, SCOPES)).toEqual(expected);
    const nation = expected[0]!;
    expect(nation.workers.underObservation).toBe(15);
    expect(nation.health.underObservation).toBe(3);
    expect(nation.health.released).toBe(3);
    expect(nation.health.boardingRefused.fever + nation.health.boardingRefused.healthCode).toBeGreaterThan(0);
    expect(nation.health.feverAtArrival).toBeGreaterThan(0);
    expect(nation.transport.internal.moved.trips).toBe(9);

    // Later writes go through the new triggers on top of the backfilled counters.
    await db.execute(
      sql`UPDATE observations SET ended_at = now(), outcome = 'RELEASED' WHERE ended_at IS NULL`,
    );
    await db.execute(sql`UPDATE workers SET status = 'AT_WORK' WHERE status = 'OBSERVATION'`);
    await db.execute(sql`UPDATE trip_passengers SET refusal = 'FEVER' WHERE refusal = 'HEALTH_CODE'`);
    await db.execute(sql`UPDATE trips SET status = 'CANCELLED' WHERE status = 'DEPARTED'`);
    const after = await readStatisticsRecords(db);
    expect(await fromCounters(db, SCOPES)).toEqual(SCOPES.map((scope) => recountSummary(after, scope)));
  });
});

describe(`backfill of the key figures over enterprises of migration 0009 (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: Db;
  let migrate: (folder: string) => Promise<void>;
  let close: () => Promise<void>;
  const before0010 = migrationsUpTo('0009_safety_statistics');

  beforeAll(async () => {
    ({ db, migrate, close } = await openDatabase());
    await migrate(before0010);
  });
  afterAll(async () => {
    await close?.();
    rmSync(before0010, { recursive: true, force: true });
  });

  it('counts the openings and filled openings of key enterprises written before 0010, then follows later flips', async () => {
    await insertRows(
      db,
      'enterprises',
      Array.from({ length: 12 }, (_, i) => ({
        id: `E45-keyfigures${i}`,
        name: `企业${i}`,
        region: HOMES[i % HOMES.length]!,
        sector: '制造业',
        key: i % 3 === 0,
        openings: 10 * i + 4,
        filled: 3 * i,
      })),
    );
    await migrate(MIGRATIONS_FOLDER); // 0010: the key figures backfilled
    await foldDeltas(db);
    const records = await readStatisticsRecords(db);
    const expected = SCOPES.map((scope) => recountSummary(records, scope));
    expect(await fromCounters(db, SCOPES)).toEqual(expected);
    // Enterprises 0, 3, 6, 9 are key: openings 4 + 34 + 64 + 94, filled 0 + 9 + 18 + 27.
    expect(expected[0]!.employment).toMatchObject({ keyEnterprises: 4, keyOpenings: 196, keyFilled: 54 });

    await db.execute(sql`UPDATE enterprises SET key = NOT key`);
    await db.execute(sql`UPDATE enterprises SET filled = openings WHERE key`);
    const after = await readStatisticsRecords(db);
    expect(await fromCounters(db, SCOPES)).toEqual(SCOPES.map((scope) => recountSummary(after, scope)));
  });
});

describe(`backfill of distinct vehicles over trips older than migration 0012 (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: Db;
  let migrate: (folder: string) => Promise<void>;
  let close: () => Promise<void>;
  const before0012 = migrationsUpTo('0009_safety_statistics');

  beforeAll(async () => {
    ({ db, migrate, close } = await openDatabase());
    await migrate(before0012);
  });
  afterAll(async () => {
    await close?.();
    rmSync(before0012, { recursive: true, force: true });
  });

  it('counts each vehicle of the trips not cancelled once per key, then follows later writes', async () => {
    // 30 trips sharing 4 codes, under 3 modes: some vehicles serve several routes, one code
    // names a bus and a train, some trips are cancelled.
    const trips = Array.from({ length: 30 }, (_, i) => ({
      id: `T45-vehicles${String(i).padStart(4, '0')}`,
      organizer: HOMES[i % HOMES.length]!,
      mode: (['BUS', 'TRAIN', 'FLIGHT'] as const)[i % 3]!,
      vehicleCode: `桂B·${i % 4}`,
      origin: HOMES[i % HOMES.length]!,
      destination: ['440103', '450203', '110105', '450203001', '450102'][i % 5]!,
      capacity: 50,
      status: TRIP_STATUSES[(i * 3) % 5]!,
      departureAt: new Date('2020-02-20T08:00:00+08:00'),
      expectedArrivalAt: new Date('2020-02-21T08:00:00+08:00'),
    }));
    await insertRows(db, 'trips', trips);

    await migrate(MIGRATIONS_FOLDER); // 0012: the uses and the vehicles counters backfilled
    await foldDeltas(db);
    const records = await readStatisticsRecords(db);
    const expected = SCOPES.map((scope) => recountSummary(records, scope));
    expect(await fromCounters(db, SCOPES)).toEqual(expected);
    // 4 codes × 3 modes at most, fewer than the 24 trips not cancelled.
    expect(expected[0]!.transport.vehicles).toBeGreaterThan(4);
    expect(expected[0]!.transport.vehicles).toBeLessThanOrEqual(12);

    // Later writes go through the trigger on top of the backfilled uses.
    await db.execute(sql`UPDATE trips SET status = 'CANCELLED' WHERE vehicle_code = '桂B·1'`);
    await db.execute(
      sql`UPDATE trips SET vehicle_code = '桂B·9' WHERE vehicle_code = '桂B·2' AND mode = 'BUS'`,
    );
    await db.execute(
      sql`UPDATE trips SET status = 'PLANNED' WHERE status = 'CANCELLED' AND vehicle_code = '桂B·3'`,
    );
    const after = await readStatisticsRecords(db);
    expect(await fromCounters(db, SCOPES)).toEqual(SCOPES.map((scope) => recountSummary(after, scope)));
  });
});

describe(`backfill of the corridors over trips older than migration 0014 (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: Db;
  let migrate: (folder: string) => Promise<void>;
  let close: () => Promise<void>;
  const before0014 = migrationsUpTo('0013_outbox_epoch_identity');

  beforeAll(async () => {
    ({ db, migrate, close } = await openDatabase());
    await migrate(before0014);
  });
  afterAll(async () => {
    await close?.();
    rmSync(before0014, { recursive: true, force: true });
  });

  it('counts the trips between two provinces written before 0014 under both ends, then follows later writes', async () => {
    const workers = Array.from({ length: 40 }, (_, i) => ({
      id: `W45-corridor${String(i).padStart(10, '0')}`,
      name: `工人${i}`,
      idNumber: `z${i}`,
      phone: '13800000000',
      homeRegion: HOMES[i % HOMES.length]!,
    }));
    await insertRows(db, 'workers', workers);
    const trips = Array.from({ length: 20 }, (_, i) => ({
      id: `T45-corridor${String(i).padStart(4, '0')}`,
      organizer: HOMES[i % HOMES.length]!,
      mode: (['BUS', 'TRAIN', 'FLIGHT'] as const)[i % 3]!,
      vehicleCode: `桂B·C${i}`,
      origin: HOMES[i % HOMES.length]!,
      destination: ['440103', '450203', '110105', '450203001', '441900003'][i % 5]!,
      capacity: 50,
      status: TRIP_STATUSES[(i * 3) % 5]!,
      departureAt: new Date('2020-02-20T08:00:00+08:00'),
      expectedArrivalAt: new Date('2020-02-21T08:00:00+08:00'),
    }));
    await insertRows(db, 'trips', trips);
    await insertRows(
      db,
      'trip_passengers',
      trips.flatMap((t, i) =>
        workers.slice(i * 2, i * 2 + 2).map((w, j) => ({ tripId: t.id, workerId: w.id, boarded: j === 0 })),
      ),
    );

    await migrate(MIGRATIONS_FOLDER); // 0014: the corridor counters backfilled
    await foldDeltas(db);
    const records = await readStatisticsRecords(db);
    const expected = SCOPES.map((scope) => recountSummary(records, scope));
    expect(await fromCounters(db, SCOPES)).toEqual(expected);
    // Guangxi → Guangdong and Guangxi → Beijing; the trips inside Guangxi are no corridor.
    expect(expected[0]!.transport.corridors.map((c) => c.key)).toEqual(['450000-110000', '450000-440000']);
    expect(expected[0]!.transport.corridors.every((c) => c.moved.trips > 0)).toBe(true);
    // Beijing's scope sees only the corridor into it; a Guangxi township sees the ones leaving it.
    expect(expected[SCOPES.indexOf('110105')]!.transport.corridors.map((c) => c.key)).toEqual([
      '450000-110000',
    ]);

    await db.execute(
      sql`UPDATE trips SET status = 'CANCELLED' WHERE destination = '110105' AND status = 'PLANNED'`,
    );
    await db.execute(sql`UPDATE trip_passengers SET boarded = true`);
    await db.execute(sql`UPDATE trips SET destination = '440103' WHERE destination = '450203001'`);
    const after = await readStatisticsRecords(db);
    expect(await fromCounters(db, SCOPES)).toEqual(SCOPES.map((scope) => recountSummary(after, scope)));
  });
});
