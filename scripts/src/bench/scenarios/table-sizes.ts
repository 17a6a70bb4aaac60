/**
 * Scenario "table-sizes" (#17.7): what the loaded data takes on disk in one province's real
 * Postgres database, per table — rows, heap and index bytes (`pg_relation_size`,
 * `pg_indexes_size`, `pg_total_relation_size` with TOAST) and bytes per row — after VACUUM
 * ANALYZE, so ARCHITECTURE.md's "The nation on paper" can scale them to 100 million workers.
 */
import pg from 'pg';
import type { ScenarioContext } from '../scenario.js';
import { assignPassengers, cancelTrip, planTrip, registerWorkers } from '../operations.js';
import { countiesIn, receivingCounty } from '../geography.js';
import { Random } from '../people.js';
import { workerIdentity } from '../population.js';

/** Workers registered through the API first. */
const REGISTERED = 2_000;
/** Trips planned, given 20 of those workers and cancelled through the API: real trip events in the outbox. */
const TRIPS = 100;

/** One table's size. */
interface TableSize {
  table: string;
  rows: number;
  heap: number;
  indexes: number;
  total: number;
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;

/** Runs the scenario on the baseline province's database. */
export async function tableSizes(ctx: ScenarioContext): Promise<void> {
  const { hub, report } = ctx;
  const province = hub.baselineProvince;
  report.heading(
    `table sizes: province ${province}'s database after the load (${hub.workersPerProvince.toLocaleString('en')} workers)`,
  );
  const registered: string[] = [];
  for (let done = 0; done < REGISTERED; done += 1_000) {
    const people = Array.from({ length: 1_000 }, () =>
      workerIdentity(province, hub.freshWorkerIndex(province)),
    );
    await hub.sharded.data(registerWorkers(province, people));
    registered.push(...people.map((p) => p.id));
  }
  const random = new Random(7);
  const counties = countiesIn(province);
  for (let t = 0; t < TRIPS; t++) {
    const { planTrip: trip } = await hub.sharded.data<{ planTrip: { id: string } }>(
      planTrip({
        organizer: province,
        vehicleCode: `桂A-S${t}`,
        origin: random.pick(counties),
        destination: receivingCounty(random),
        capacity: 40,
      }),
    );
    await hub.sharded.data(assignPassengers(province, trip.id, registered.slice(t * 20, t * 20 + 20)));
    await hub.sharded.data(cancelTrip(province, trip.id, 'table sizes'));
  }
  report.say(
    `  ${REGISTERED.toLocaleString('en')} more workers registered through the gateway; ${TRIPS} trips planned, given 20 of them each and cancelled (real outbox events)`,
  );
  const client = new pg.Client({ connectionString: hub.databaseUrls[province] });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE');
    const { rows: names } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const sizes: TableSize[] = [];
    for (const { name } of names) {
      const { rows } = await client.query<{ rows: string; heap: string; indexes: string; total: string }>(
        `SELECT (SELECT count(*) FROM ${pg.escapeIdentifier(name)}) AS rows, pg_relation_size($1::regclass) AS heap,
                pg_indexes_size($1::regclass) AS indexes, pg_total_relation_size($1::regclass) AS total`,
        [pg.escapeIdentifier(name)],
      );
      const r = rows[0]!;
      sizes.push({
        table: name,
        rows: Number(r.rows),
        heap: Number(r.heap),
        indexes: Number(r.indexes),
        total: Number(r.total),
      });
    }
    sizes.sort((a, b) => b.total - a.total);
    report.say('  table                      rows        heap      indexes   total     bytes/row (total)');
    for (const s of sizes) {
      if (s.total === 0) continue;
      report.say(
        `  ${s.table.padEnd(26)} ${String(s.rows).padStart(9)}  ${kB(s.heap).padStart(9)} ${kB(s.indexes).padStart(9)} ${kB(s.total).padStart(9)}  ${s.rows ? Math.round(s.total / s.rows) : '-'}`,
      );
    }
    const { rows: indexRows } = await client.query<{ table: string; index: string; bytes: string }>(
      `SELECT tablename AS table, indexname AS index, pg_relation_size(format('%I', indexname)::regclass) AS bytes
         FROM pg_indexes WHERE schemaname = 'public' ORDER BY pg_relation_size(format('%I', indexname)::regclass) DESC LIMIT 12`,
    );
    report.say(`  largest indexes: ${indexRows.map((i) => `${i.index} ${kB(Number(i.bytes))}`).join(', ')}`);
    const { rows: db } = await client.query<{ bytes: string }>(
      'SELECT pg_database_size(current_database()) AS bytes',
    );
    const database = Number(db[0]!.bytes);
    const workers = sizes.find((t) => t.table === 'workers')?.rows ?? hub.workersPerProvince;
    report.fact(
      `  table sizes (${province}, ${workers.toLocaleString('en')} workers): database ${(database / 1024 / 1024).toFixed(0)} MB = ${Math.round(database / workers).toLocaleString('en')} bytes per worker (everything: trips, passengers, enterprises, return requests, counters, outbox, indexes); ${sizes
        .slice(0, 6)
        .map((s) => `${s.table} ${s.rows ? Math.round(s.total / s.rows) : '-'} B/row`)
        .join(', ')}`,
    );
  } finally {
    await client.end();
  }
}
