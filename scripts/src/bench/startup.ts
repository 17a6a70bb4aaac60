/**
 * `npm run bench:startup -- [--runs 5] [--queries 50]`: start-up time and memory of the built
 * services (`node dist/main.js`) against the sources (`node --conditions=source --import tsx
 * src/main.ts`), side by side in one run (#18.1). For each service (national, a province, the
 * gateway) it starts the source and the built entry in turn, `runs` times each after one uncounted
 * warm-up each, and records the milliseconds from spawn to the `listening` line, the RSS right
 * then, and the RSS after `queries` sequential GraphQL requests. Prints a Markdown table
 * (medians, min–max of the start time). The province runs over PostgreSQL when DATABASE_URL is
 * set (one database per mode, migrated by the warm-up), else over PGlite; the gateway's runs
 * use one built national and one built province started once.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createProvinceStorage, type ProvinceStorage } from '../harness/province-storage.js';
import {
  BUILT_SERVICE_ENTRIES,
  SERVICE_ENTRIES,
  startService,
  type ServiceProcess,
} from '../harness/service-process.js';
import { rssFromStatus } from './service-usage.js';

type Service = keyof typeof SERVICE_ENTRIES;
type Mode = 'source' | 'built';

/** One start of one service. */
interface StartSample {
  listeningMs: number;
  rssStartMb: number;
  rssAfterMb: number;
}

const MB = 1024 * 1024;
const rssMb = (pid: number) => (rssFromStatus(readFileSync(`/proc/${pid}/status`, 'utf8')) ?? 0) / MB;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The request each service answers during the "after queries" measurement. */
function probe(service: Service, url: string): { url: string; query: string } {
  if (service === 'province')
    return { url: `${url.replace(/\/+$/, '')}/workers/graphql`, query: '{ _service { sdl } }' };
  return { url, query: '{ regions(parent: "450000") { code name } }' };
}

async function ask(target: { url: string; query: string }): Promise<void> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: target.query }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (response.status !== 200 || body.errors) throw new Error(`${target.url}: ${JSON.stringify(body)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '5' }, queries: { type: 'string', default: '50' } },
  });
  const runs = Number(values.runs);
  const queries = Number(values.queries);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dev = { HOST: '127.0.0.1', PORT: '0', P2P_DEV: '1' };
  const storages: Record<Mode, ProvinceStorage> = {
    source: await createProvinceStorage({ province: '130000', ...(databaseUrl ? { databaseUrl } : {}) }),
    built: await createProvinceStorage({ province: '130000', ...(databaseUrl ? { databaseUrl } : {}) }),
  };
  const backends: ServiceProcess[] = [];
  const backendStorage = await createProvinceStorage({
    province: '450000',
    ...(databaseUrl ? { databaseUrl } : {}),
  });
  try {
    const national = await startService({
      name: 'national (backend)',
      entry: BUILT_SERVICE_ENTRIES.national,
      env: dev,
    });
    const province = await startService({
      name: 'province 450000 (backend)',
      entry: BUILT_SERVICE_ENTRIES.province,
      env: { ...dev, PROVINCE: '450000', ALLOW_UNSIGNED: '1', ...backendStorage.env },
    });
    backends.push(national, province);

    const envOf = (service: Service, mode: Mode): Record<string, string> => {
      if (service === 'province')
        return { ...dev, PROVINCE: '130000', ALLOW_UNSIGNED: '1', ...storages[mode].env };
      if (service === 'gateway')
        return {
          ...dev,
          PROVINCES: `450000=${province.url.replace(/\/+$/, '')}`,
          NATIONAL_URL: national.url,
        };
      return dev;
    };
    const startOnce = async (service: Service, mode: Mode): Promise<StartSample> => {
      const entry = (mode === 'built' ? BUILT_SERVICE_ENTRIES : SERVICE_ENTRIES)[service];
      const started = performance.now();
      const running = await startService({ name: `${service} (${mode})`, entry, env: envOf(service, mode) });
      const listeningMs = performance.now() - started;
      try {
        const rssStartMb = rssMb(running.child.pid!);
        const target = probe(service, running.url);
        for (let i = 0; i < queries; i++) await ask(target);
        return { listeningMs, rssStartMb, rssAfterMb: rssMb(running.child.pid!) };
      } finally {
        await running.stop();
      }
    };

    console.log(
      `| service | run from | start to listening, ms: median (min–max) | RSS at listening, MB | RSS after ${queries} queries, MB |`,
    );
    console.log('| --- | --- | --- | --- | --- |');
    for (const service of ['national', 'province', 'gateway'] as Service[]) {
      const samples: Record<Mode, StartSample[]> = { source: [], built: [] };
      for (const mode of ['source', 'built'] as Mode[]) await startOnce(service, mode); // warm-up
      for (let run = 0; run < runs; run++)
        for (const mode of ['source', 'built'] as Mode[]) samples[mode].push(await startOnce(service, mode));
      for (const mode of ['source', 'built'] as Mode[]) {
        const s = samples[mode];
        const ms = s.map((x) => x.listeningMs);
        console.log(
          `| ${service} | ${mode === 'built' ? 'dist/ (node)' : 'src/ (tsx)'} | ${median(ms).toFixed(0)} (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}) | ${median(s.map((x) => x.rssStartMb)).toFixed(0)} | ${median(s.map((x) => x.rssAfterMb)).toFixed(0)} |`,
        );
      }
    }
  } finally {
    await Promise.all(backends.map((b) => b.stop()));
    await Promise.all([storages.source.drop(), storages.built.drop(), backendStorage.drop()]);
  }
}

main().catch((error: unknown) => {
  console.error((error as Error)?.stack ?? error);
  process.exit(1);
});
