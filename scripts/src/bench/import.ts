/**
 * Benchmark (not a test): `npm run import-workers` throughput, a generated Guangxi registry (CSV)
 * imported through a real federation (national, Guangxi on a fresh PostgreSQL database, the
 * gateway) as Guangxi's officer, end to end: reading and checking the file, calls of 1,000
 * through the gateway, the province's validation, INSERT and statistics triggers.
 *
 *   node --conditions=source --import tsx scripts/src/bench/import.ts [--rows 100000] [--database postgres://…]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { childRegionCodes, residentIdCheckDigit } from '@p2p/schema';
import { startFederation } from '../harness/federation.js';
import { importWorkers } from '../import/import-workers.js';
import { describeMachine, machineLines } from './machine.js';

/** `rows` Guangxi workers over the townships of Liuzhou, with valid resident IDs, as CSV. */
function registry(rows: number): string {
  const homes = childRegionCodes('450200').flatMap((county) => childRegionCodes(county));
  const lines = ['name,idNumber,phone,homeRegion,skills,povertyStatus'];
  for (let i = 0; i < rows; i++) {
    const first17 = `450203${1970 + (i % 30)}${String(1 + (Math.floor(i / 30) % 12)).padStart(2, '0')}${String(1 + (Math.floor(i / 360) % 28)).padStart(2, '0')}${String(Math.floor(i / 10_080) % 1000).padStart(3, '0')}`;
    lines.push(`工人${i},${first17}${residentIdCheckDigit(first17)},139${String(i).padStart(8, '0')},${homes[i % homes.length]},电工;焊工,${i % 5 ? 'NONE' : 'REGISTERED_POOR'}`);
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, database: { type: 'string' } } });
  const rows = Number(values.rows ?? 100_000);
  const database = values.database ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  console.log(machineLines(await describeMachine(database)).join('\n'));
  const dir = await mkdtemp(join(tmpdir(), 'p2p-import-bench-'));
  const federation = await startFederation({ provinces: ['450000'], databaseUrl: database, gatewayEnv: { RATE_LIMIT_PER_SECOND: '0' } });
  try {
    const file = join(dir, 'workers.csv');
    await writeFile(file, registry(rows));
    const started = performance.now();
    const report = await importWorkers(file, { gatewayUrl: federation.gatewayUrl, headers: await federation.authorization('province', '450000') });
    const seconds = (performance.now() - started) / 1000;
    console.log(`import-workers: ${report.rows.toLocaleString('en')} rows, ${report.registered.toLocaleString('en')} registered, ${report.rejected.length} refused, ${report.calls} calls in ${seconds.toFixed(1)} s: ${Math.round(report.registered / seconds).toLocaleString('en')} workers/s`);
  } finally {
    await federation.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
