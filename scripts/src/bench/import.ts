/**
 * Benchmark (not a test): `npm run import-workers` throughput, a Guangxi registry (CSV) of the
 * benchmark population imported through a real federation (national, Guangxi on a fresh PostgreSQL database, the
 * gateway) as Guangxi's officer, end to end: reading and checking the file, calls of 1,000
 * through the gateway, the province's validation, INSERT and statistics triggers.
 *
 *   node --conditions=source --import tsx scripts/src/bench/import.ts [--rows 100000] [--database postgres://…]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startFederation } from '../harness/federation.js';
import { importWorkers } from '@p2p/province/registry-import';
import { describeMachine, machineLines } from './machine.js';
import { workerIdentity } from './population.js';

/** `rows` Guangxi workers of the benchmark population (`workerIdentity`: real townships, valid resident IDs), as CSV. */
function registry(rows: number): string {
  const lines = ['name,idNumber,phone,homeRegion,skills,povertyStatus'];
  for (let i = 0; i < rows; i++) {
    const w = workerIdentity('450000', i);
    lines.push([w.name, w.idNumber, w.phone, w.homeRegion, w.skills.join(';'), w.povertyStatus].join(','));
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, database: { type: 'string' } } });
  const rows = Number(values.rows ?? 100_000);
  const database =
    values.database ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  console.log(machineLines(await describeMachine(database)).join('\n'));
  const dir = await mkdtemp(join(tmpdir(), 'p2p-import-bench-'));
  const federation = await startFederation({
    provinces: ['450000'],
    databaseUrl: database,
    gatewayEnv: { RATE_LIMIT_PER_SECOND: '0' },
  });
  try {
    const file = join(dir, 'workers.csv');
    await writeFile(file, registry(rows));
    const started = performance.now();
    const report = await importWorkers(file, {
      gatewayUrl: federation.gatewayUrl,
      headers: await federation.authorization('province', '450000'),
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `import-workers: ${report.rows.toLocaleString('en')} rows, ${report.registered.toLocaleString('en')} registered, ${report.rejected.length} refused, ${report.calls} calls in ${seconds.toFixed(1)} s: ${Math.round(report.registered / seconds).toLocaleString('en')} workers/s`,
    );
  } finally {
    await federation.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
